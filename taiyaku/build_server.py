"""The translator's rebuild without starting Sphinx: a warm build server, between commands.

A translator saves a catalog and runs ``make html LANGUAGES=en``: one Sphinx build that
re-reads one document. Most of that command is not the build but getting to it — a new
interpreter importing Sphinx, docutils, Babel and the extensions and setting them up
(about two thirds of it at ten times this section). The per-command helper
(:mod:`taiyaku.warm`) saves that only between the builds *of one command*.

So the command's only build asks a server that has all that loaded already: ``python -m
taiyaku.build_server``, started in the background by the first such build (which runs in
its own process, as before), listening on a Unix socket in ``build/.work/server/``
(mode 0700). Each request is forked, exactly as the per-command helper forks
(``warm.build_in_child``: `sphinx-build`'s own ``build_main`` with the command's arguments,
folder, environment and output file), and answered with its exit status. The command keeps
its locks, lint, catalogs and publication; only the Sphinx run moves.

The server is never stale: its socket's name is a fingerprint of the toolchain (every
``taiyaku/*.py``: path, size, time), the interpreter and the environment a module reads
when imported (``SOURCE_DATE_EPOCH``…); change any and the next build starts a new one.
It exits after ``IDLE_SECONDS`` without a request, or when its socket is removed (``make
clean``) or taken over. ``TAIYAKU_BUILD_SERVER=0`` never starts or uses one (the test
suite sets it, so that its hundreds of throw-away projects leave no server behind).
Builds of several outputs keep the per-command helper, which ends with the command.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from taiyaku import warm

SETTING = 'TAIYAKU_BUILD_SERVER'
IDLE_SECONDS = 600
CHECK_SECONDS = 5
# what a module may read from the environment when imported (the server imports once)
IMPORT_TIME_ENV = ('SOURCE_DATE_EPOCH', 'PYTHONPATH', 'PYTHONHASHSEED', 'TZ', 'LANG', 'LC_ALL', 'LC_CTYPE')


def enabled(env: dict[str, str]) -> bool:
    return env.get(SETTING, os.environ.get(SETTING, '1')) != '0'


def fingerprint(env: dict[str, str]) -> str:
    digest = hashlib.sha256(sys.executable.encode())
    for path in sorted((warm.PACKAGE_ROOT / 'taiyaku').rglob('*.py')):
        stat = path.stat()
        digest.update(f'{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n'.encode())
    digest.update(json.dumps({name: env.get(name) for name in IMPORT_TIME_ENV}, sort_keys=True).encode())
    return digest.hexdigest()[:20]


def socket_path(folder: Path, env: dict[str, str]) -> Path:
    return folder / f'{fingerprint(env)}.sock'


@contextmanager
def addressed(path: Path) -> Iterator[str]:
    """An address for the socket ``path`` that fits a socket's 108 bytes however deep the
    project lies: the path through an open descriptor of its folder (/proc/self/fd/N/name)."""
    folder = os.open(path.parent, os.O_PATH | os.O_DIRECTORY)
    try:
        yield f'/proc/self/fd/{folder}/{path.name}'
    finally:
        os.close(folder)


# -- the command's side ------------------------------------------------------------------------

def run(folder: Path, command: list[str], cwd: Path | None, env: dict[str, str]) -> tuple[int, str] | None:
    """Run a `python -m sphinx …` command on the warm server for ``env``: (exit status, output);
    None when there is none yet (``start`` one after the build, for the next) or it failed to answer."""
    if not enabled(env) or not warm.is_sphinx_build(command):
        return None
    path = socket_path(folder, env)
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        with addressed(path) as address:
            client.connect(address)
    except OSError:
        client.close()
        return None
    import tempfile

    with client, tempfile.NamedTemporaryFile(prefix='taiyaku-sphinx-', suffix='.log') as log:
        request = {'id': 0, 'argv': command[3:], 'cwd': str(cwd or Path.cwd()), 'env': env, 'log': log.name}
        try:
            client.sendall(json.dumps(request).encode() + b'\n')
            reply = b''
            while not reply.endswith(b'\n'):
                data = client.recv(4096)
                if not data:
                    return None               # the server went away: the build runs here instead
                reply += data
        except OSError:
            return None
        status = json.loads(reply)['status']
        return status, Path(log.name).read_text(encoding='utf-8', errors='replace')


def start(folder: Path, env: dict[str, str]) -> None:
    """Start the server for ``env`` in the background, for the next build: it outlives the command."""
    path = socket_path(folder, env)
    if not enabled(env):
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
    except OSError:
        return
    server_env = dict(env, PYTHONPATH=os.pathsep.join(filter(None, [str(warm.PACKAGE_ROOT), env.get('PYTHONPATH')])))
    subprocess.Popen([sys.executable, '-m', 'taiyaku.build_server', str(path)], env=server_env, cwd=folder,
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True, close_fds=True)


# -- the server's side -------------------------------------------------------------------------

def still_ours(path: Path, inode: int) -> bool:
    try:
        return path.stat().st_ino == inode
    except OSError:
        return False


def serve(path: Path) -> None:
    warm.preload()
    gc.collect()
    gc.freeze()                                    # keep the loaded modules' pages shared with the forks
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    staging = path.with_name(f'.{path.name}.{os.getpid()}')
    staging.unlink(missing_ok=True)
    with addressed(staging) as address:
        listener.bind(address)
    listener.listen(16)
    os.replace(staging, path)                      # the newest server for this fingerprint answers
    inode = path.stat().st_ino
    wakeup_read, wakeup_write = os.pipe()
    os.set_blocking(wakeup_write, False)
    signal.set_wakeup_fd(wakeup_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    children: dict[int, socket.socket] = {}
    last = time.monotonic()
    while True:
        ready, _, _ = select.select([listener, wakeup_read], [], [], CHECK_SECONDS)
        if wakeup_read in ready:
            os.read(wakeup_read, 4096)
        if listener in ready:
            connection, _ = listener.accept()
            connection.settimeout(30)
            try:
                line = b''
                while not line.endswith(b'\n'):
                    data = connection.recv(65536)
                    if not data:
                        raise OSError('closed')
                    line += data
                request = json.loads(line)
            except (OSError, ValueError):
                connection.close()
                continue
            pid = os.fork()
            if pid == 0:
                listener.close()
                connection.close()
                for other in children.values():
                    other.close()
                warm.build_in_child(request)
            children[pid] = connection
            last = time.monotonic()
        while children:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                break
            connection = children.pop(pid)
            try:
                connection.sendall(json.dumps({'id': 0, 'status': os.waitstatus_to_exitcode(status)}).encode() + b'\n')
            except OSError:
                pass
            connection.close()
            last = time.monotonic()
        if children:
            continue
        if not still_ours(path, inode) or time.monotonic() - last > IDLE_SECONDS:
            break
    if still_ours(path, inode):
        path.unlink(missing_ok=True)


if __name__ == '__main__':
    serve(Path(sys.argv[1]))
