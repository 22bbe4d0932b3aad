"""sphinx-build without its start-up: builds forked from one process that has Sphinx loaded.

A `sphinx-build` spends about half a second importing Sphinx, docutils and the
extensions before it reads a line; `make all` starts six of them (three builders, two
languages). Here one helper process (``python -m taiyaku.warm``, started once per
command, single-threaded so that forking it is safe) imports all that once, then forks
one child per build; the child runs ``sphinx.cmd.build.build_main`` with the command's
arguments, working folder and environment, its output going to a file — the same code
and exit status as the `python -m sphinx` it replaces. The children share the loaded
modules' memory. The helper ends when the command does, after its last build.

Requests and replies are JSON lines on the helper's stdin and stdout.
"""

from __future__ import annotations

import atexit
import gc
import importlib
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

# What the builds import, besides the extensions Sphinx loads into every application
# (``sphinx.application.builtin_extensions``) and ours (``taiyaku.ext.MODULES``); the
# helper loads it once (a name that fails to import is skipped). Only that: the children
# share the helper's pages only in part (a child writing a reference count copies the
# page), so a module no build needs costs its whole size — sphinx.search.ja would be
# 21 MB, for it loads Janome's dictionary, and our Japanese search (taiyaku.ext.search)
# does not use it. tests/test_performance.py checks the list against what real builds import.
PRELOAD = (
    'sphinx.cmd.build', 'sphinx.search.en', 'sphinx.ext.mathjax', 'sphinx.builders.latex.transforms',
    'babel.messages.pofile', 'jinja2.ext', 'xml.dom.minidom', 'docutils.writers.html5_polyglot',
    '_strptime',      # Babel reads a catalog header's dates with strptime (parallel edition, .mo compiling)
    'docutils.languages.ja', 'docutils.languages.en', 'docutils.parsers.rst.languages.ja',
    *(f'docutils.parsers.rst.directives.{name}' for name in ('admonitions', 'body', 'images', 'misc', 'tables')),
    'taiyaku.ext.parallel_edition', 'taiyaku.ext.parallel_writers',    # loaded by taiyaku.ext.parallel's setup
    # the EPUB cover (taiyaku.ext.cover): Pillow's drawing and fonts, and the image plugins a save loads
    'PIL.ImageDraw', 'PIL.ImageFont', 'PIL.ImageText', 'PIL.ImageChops', 'PIL.ImageSequence', 'PIL.PngImagePlugin',
    'PIL.BmpImagePlugin', 'PIL.GifImagePlugin', 'PIL.JpegImagePlugin', 'PIL.PpmImagePlugin', 'fractions',
)
PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def is_sphinx_build(command: list[str]) -> bool:
    return command[:3] == [sys.executable, '-m', 'sphinx']


def serves(project_root: Path) -> bool:
    """Whether the helper's extensions are the project's: its conf.py imports taiyaku from its
    own folder when it has one (a past edition's worktree has its own toolchain)."""
    own = project_root / 'taiyaku'
    return not own.is_dir() or own.resolve() == PACKAGE_ROOT / 'taiyaku'


# -- the caller's side ---------------------------------------------------------------------------

class Helper:
    """The helper process, and the builds waiting for its replies."""

    def __init__(self, env: dict[str, str]):
        # the builds' own environment: a module may read it when the helper imports it
        # (Sphinx's gettext builder takes SOURCE_DATE_EPOCH at import)
        env = dict(env, PYTHONPATH=os.pathsep.join(filter(None, [str(PACKAGE_ROOT), env.get('PYTHONPATH')])))
        self.process = subprocess.Popen([sys.executable, '-m', 'taiyaku.warm'], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, env=env)
        self.lock = threading.Lock()
        self.replies: dict[int, int] = {}
        self.arrived = threading.Condition()
        self.next_id = 0
        threading.Thread(target=self.read_replies, daemon=True).start()

    def read_replies(self) -> None:
        for line in self.process.stdout:
            reply = json.loads(line)
            with self.arrived:
                self.replies[reply['id']] = reply['status']
                self.arrived.notify_all()
        with self.arrived:              # the helper is gone: nobody waits for ever
            self.replies[-1] = -1
            self.arrived.notify_all()

    def build(self, arguments: list[str], cwd: Path | None, env: dict[str, str], log: str) -> int:
        with self.lock:
            request_id, self.next_id = self.next_id, self.next_id + 1
            request = {'id': request_id, 'argv': arguments, 'cwd': str(cwd or Path.cwd()), 'env': env, 'log': log}
            self.process.stdin.write(json.dumps(request).encode() + b'\n')
            self.process.stdin.flush()
        with self.arrived:
            self.arrived.wait_for(lambda: request_id in self.replies or -1 in self.replies)
            return self.replies.pop(request_id, -1)

    def close(self) -> None:
        self.process.stdin.close()      # the helper finishes its builds and exits
        self.process.wait()


_helpers: dict[frozenset, Helper] = {}         # one per environment the builds run in
_helpers_lock = threading.Lock()


def start(env: dict[str, str] | None = None) -> None:
    """Start the helper for builds in ``env`` (it loads Sphinx while the caller goes on).

    Worth it for two builds or more: for a single one, its start-up is the build's.
    """
    env = dict(os.environ if env is None else env)
    key = frozenset(env.items())
    with _helpers_lock:
        helper = _helpers.get(key)
        if helper is None or helper.process.poll() is not None:
            helper = _helpers[key] = Helper(env)
            atexit.register(helper.close)


def helper_for(command: list[str], env: dict | None) -> Helper | None:
    """The running helper that can run ``command`` in ``env``, if one was started."""
    if not is_sphinx_build(command):
        return None
    with _helpers_lock:
        helper = _helpers.get(frozenset(dict(os.environ if env is None else env).items()))
    return helper if helper is not None and helper.process.poll() is None else None


def run_sphinx(helper: Helper, command: list[str], cwd: Path | None = None, env: dict | None = None) -> tuple[int, str]:
    """Run a `python -m sphinx …` command as a fork of ``helper``: (exit status, output)."""
    env = dict(os.environ if env is None else env)
    with tempfile.NamedTemporaryFile(prefix='taiyaku-sphinx-', suffix='.log') as log:
        status = helper.build(command[3:], cwd, env, log.name)
        output = Path(log.name).read_text(encoding='utf-8', errors='replace')
    if status == -1 and not output:
        output = 'taiyaku: the build helper process ended unexpectedly'
    return status, output


# -- in the command's own process -------------------------------------------------------------

def can_run_here(command: list[str]) -> bool:
    """Whether ``command`` may run inside this process instead of a new one: a Sphinx build,
    asked for from the main thread (the command's only build: no other thread runs Sphinx),
    before this process has imported Sphinx's gettext builder (it reads SOURCE_DATE_EPOCH
    when imported, so it must be imported in the build's environment)."""
    return (is_sphinx_build(command) and threading.current_thread() is threading.main_thread()
            and 'sphinx.builders.gettext' not in sys.modules)


def run_here(command: list[str], cwd: Path | None = None, env: dict | None = None) -> tuple[int, str]:
    """Run a `python -m sphinx …` command in this process: (exit status, output).

    The same code and exit status as the process it replaces — ``build_main`` with its
    arguments, in its folder and environment, its output collected from file descriptors 1
    and 2 — without a second interpreter starting and importing Sphinx and the extensions
    (most of a one-page rebuild). Folder, environment and descriptors are given back after.
    """
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    sys.stdout.flush()
    sys.stderr.flush()
    saved_fds = os.dup(1), os.dup(2)
    status: object = 1
    with tempfile.TemporaryFile(prefix='taiyaku-sphinx-') as log:
        try:
            os.dup2(log.fileno(), 1)
            os.dup2(log.fileno(), 2)
            if env is not None:
                os.environ.clear()
                os.environ.update(env)
                time.tzset()
            if cwd is not None:
                os.chdir(cwd)
            from sphinx.cmd.build import build_main

            status = build_main(command[3:])
        except SystemExit as exc:
            status = exc.code
        except Exception:                         # said in the output, as a python -m sphinx would
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved_fds[0], 1)
            os.dup2(saved_fds[1], 2)
            for fd in saved_fds:
                os.close(fd)
            os.chdir(saved_cwd)
            if env is not None:
                os.environ.clear()
                os.environ.update(saved_env)
                time.tzset()
        log.seek(0)
        output = log.read().decode('utf-8', errors='replace')
    return (status if isinstance(status, int) else 1), output


# -- the helper's side ---------------------------------------------------------------------------

def build_in_child(request: dict) -> None:
    """In the fork: become the `python -m sphinx` process the request describes, then exit."""
    status = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.set_wakeup_fd(-1)
        os.chdir(request['cwd'])
        os.environ.clear()
        os.environ.update(request['env'])
        time.tzset()                              # TZ from the build's environment
        log = os.open(request['log'], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        from sphinx.cmd.build import build_main

        status = build_main(request['argv'])
    except BaseException:                         # said in the log, as a python -m sphinx would
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status if isinstance(status, int) else 1)


def preload() -> None:
    from sphinx.application import builtin_extensions

    from taiyaku.ext import MODULES as OUR_EXTENSIONS

    for name in (*builtin_extensions, *OUR_EXTENSIONS, *PRELOAD):
        try:
            importlib.import_module(name)
        except Exception:                          # an extension the project does not have
            pass


def serve() -> None:
    preload()
    gc.collect()
    gc.freeze()                                    # keep the loaded modules' pages shared with the forks
    wakeup_read, wakeup_write = os.pipe()
    os.set_blocking(wakeup_write, False)
    signal.set_wakeup_fd(wakeup_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    children: dict[int, int] = {}
    pending = b''
    requests_open = True
    while requests_open or children:
        ready, _, _ = select.select([0, wakeup_read] if requests_open else [wakeup_read], [], [])
        if wakeup_read in ready:
            os.read(wakeup_read, 4096)
        if 0 in ready:
            data = os.read(0, 65536)
            requests_open = bool(data)
            pending += data
            while b'\n' in pending:
                line, pending = pending.split(b'\n', 1)
                request = json.loads(line)
                pid = os.fork()
                if pid == 0:
                    build_in_child(request)
                children[pid] = request['id']
        while children:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                break
            reply = {'id': children.pop(pid), 'status': os.waitstatus_to_exitcode(status)}
            os.write(1, json.dumps(reply).encode() + b'\n')


if __name__ == '__main__':
    serve()
