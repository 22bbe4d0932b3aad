"""Live preview: one language's HTML edition on localhost, rebuilt and reloaded on every save.

    taiyaku preview --lang en [--port 8000] [--host 127.0.0.1]

serves build/preview/<lang>/ at http://127.0.0.1:8000/<lang>/ and watches the sources
(source/**, conf.py, docutils.conf, every file Sphinx recorded as a dependency) and the
language's catalogs (locale/<lang>/LC_MESSAGES/*.po). One Sphinx application stays warm
in the process: a save (noticed through inotify) recompiles the changed catalogs, lets
Sphinx's own outdated-file detection re-read just the documents whose source or catalog
changed, and writes them — no interpreter start-up, no extension loading, no re-reading
of the environment; the search index stays in memory and is written after. Pages
carry a small script that listens for the end of each build (Server-Sent Events) and
reloads itself. A save that breaks something prints the problem (file:line) in the
terminal and shows it over the page; the preview keeps serving the last good pages and
tries again on the next save. Only conf.py and docutils.conf start a new application.
"""

from __future__ import annotations

import gettext
import html
import json
import os
import re
import select
import signal
import sys
import threading
import time
import traceback
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from taiyaku.builds import edition_env
from taiyaku.catalogs import compile_catalogs
from taiyaku.po import CatalogError
from taiyaku.project import Project

POLL_SECONDS = 0.05           # how often saved files are looked for, without inotify
IDLE_SECONDS = 1.0            # with inotify: how often files are looked at anyway (dependencies elsewhere)
RESCAN_SECONDS = 1.0          # how often folders are walked for new files
# inotify events: a file written and closed, renamed into place, created or removed
IN_CLOSE_WRITE, IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE = 0x8, 0x40, 0x80, 0x100, 0x200
SPECIAL = '/__taiyaku__/'
RESTART_FILES = ('conf.py', 'docutils.conf')
IGNORED = re.compile(r'(^\.|~$|\.sw.$|^#.*#$|\.(mo|pyc)$)')     # hidden files, editor backups, compiled files
WARNING_LINE = re.compile(r'^(?P<location>.+?):(?:(?P<line>\d+):)? (?:WARNING|ERROR|CRITICAL|SEVERE)')
COLOUR = re.compile(r'\x1b\[[0-9;]*m')
TRACEBACK_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+)')
SYNTAX_PLACE = re.compile(r'\((?P<file>[^,()]+), line (?P<line>\d+)\)')


# -- what to watch ---------------------------------------------------------------------------

def scan_folder(folder: Path, suffixes: tuple[str, ...] | None = None) -> list[Path]:
    found = []
    if not folder.is_dir():
        return found
    for entry in os.scandir(folder):
        if IGNORED.search(entry.name):
            continue
        if entry.is_dir(follow_symlinks=False):
            found.extend(scan_folder(Path(entry.path), suffixes))
        elif suffixes is None or entry.name.endswith(suffixes):
            found.append(Path(entry.path))
    return found


def signature(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


class Inotify:
    """Linux's inotify through ctypes: a wake-up as soon as a file in a watched folder is saved.

    What changed is still worked out by comparing the files' times and sizes; this only
    saves waiting for the next look (and looking every few milliseconds while idle).
    """

    def __init__(self):
        import ctypes

        self.libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self.libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), 'inotify_init1')
        self.folders: set[Path] = set()

    def watch(self, folders: set[Path]) -> None:
        mask = IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
        for folder in folders - self.folders:
            if self.libc.inotify_add_watch(self.fd, os.fsencode(folder), mask) >= 0:
                self.folders.add(folder)

    def wait(self, timeout: float) -> None:
        if select.select([self.fd], [], [], timeout)[0]:
            while True:
                try:
                    if not os.read(self.fd, 65536):
                        break
                except BlockingIOError:
                    break


class Watcher:
    """Which watched files were saved, created or removed since the last look."""

    def __init__(self, project: Project, language: str):
        self.project, self.language = project, language
        self.extra: set[Path] = set()
        self.known: dict[Path, tuple[int, int] | None] = {}
        self.walked = 0.0
        try:
            self.inotify: Inotify | None = Inotify()
        except (OSError, AttributeError):           # not Linux: look every POLL_SECONDS
            self.inotify = None
        self.changes()

    def wait(self, stop: threading.Event) -> bool:
        """Until something may have changed; False once ``stop`` is set."""
        if self.inotify is None:
            return not stop.wait(POLL_SECONDS)
        self.inotify.wait(IDLE_SECONDS)
        return not stop.is_set()

    def files(self) -> set[Path]:
        root = self.project.root
        found = set(scan_folder(self.project.source))
        found.update(scan_folder(self.project.locale / self.language / 'LC_MESSAGES', ('.po',)))
        found.update(root / name for name in RESTART_FILES if (root / name).exists())
        return found | self.extra

    def changes(self) -> set[Path]:
        now = time.monotonic()
        paths = set(self.known)
        if now - self.walked >= RESCAN_SECONDS:
            paths |= self.files()
            self.walked = now
        changed = set()
        for path in paths:
            current = signature(path)
            if self.known.get(path, ()) != current:
                changed.add(path)
            if current is None:
                self.known.pop(path, None)
            else:
                self.known[path] = current
        if self.inotify is not None:
            self.inotify.watch({path.parent for path in self.known})
        return changed

    def follow(self, dependencies: set[Path]) -> None:
        """Also watch what Sphinx recorded the documents depend on (editions.toml, raw text…)."""
        for path in dependencies - set(self.known):
            self.known[path] = signature(path)
        self.extra = dependencies


# -- the warm Sphinx application ---------------------------------------------------------------

class Collector:
    """Sphinx's warning stream: echoed to the terminal, kept for the page."""

    def __init__(self, preview: Preview):
        self.preview = preview

    def write(self, text: str) -> int:
        for line in COLOUR.sub('', text).splitlines():
            if line.strip():
                self.preview.echo(line)
                self.preview.note_warning(line)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


class Discard:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


@dataclass
class State:
    generation: int = 0             # builds finished so far
    written: int = 0                # the generation whose pages were last written
    problems: dict[str, list[str]] = field(default_factory=dict)     # by document (or '' and 'catalogs')

    def as_json(self) -> dict:
        problems = dict(self.problems)         # a copy: the build thread changes it meanwhile
        listed = [problem for key in sorted(problems) for problem in list(problems[key])]
        return {'generation': self.generation, 'written': self.written, 'problems': listed}


class Preview:
    def __init__(self, project: Project, language: str, err=sys.stderr):
        self.project, self.language = project, language
        self.err = err
        self.outdir = project.build / 'preview' / language
        self.doctreedir = project.work / 'doctrees' / language / 'preview'
        self.state = State()
        self.changed = threading.Condition()       # notified after every build
        self.building = threading.RLock()          # held while Sphinx writes pages
        self.app = None
        self.stack: ExitStack | None = None
        self.reading: list[str] = []
        self.index_pending = None               # the search index, written after each build

    # -- messages
    def echo(self, text: str) -> None:
        print(text, file=self.err, flush=True)

    def note_warning(self, line: str) -> None:
        match = WARNING_LINE.match(line)
        key = ''
        if match and self.app is not None:
            docname = self.app.env.path2doc(match['location'])
            key = docname if docname in self.app.env.found_docs else ''
        problems = self.state.problems.setdefault(key, [])
        if line not in problems:
            problems.append(line)

    # -- the application
    def start_app(self) -> None:
        """A new application: at start, and when the configuration changed."""
        from sphinx.application import Sphinx
        from sphinx.util.docutils import docutils_namespace, patch_docutils

        self.stop_app()
        stack = ExitStack()
        stack.enter_context(patch_docutils(self.project.root))
        stack.enter_context(docutils_namespace())     # roles and directives are process-global
        try:
            app = Sphinx(
                srcdir=self.project.source, confdir=self.project.root, outdir=self.outdir,
                doctreedir=self.doctreedir, buildername='html', confoverrides={'language': self.language},
                status=Discard(), warning=Collector(self), freshenv=False, keep_going=True,
            )
        except BaseException:
            stack.close()
            raise
        app.connect('env-before-read-docs', self.before_reading)
        app.builder.compile_update_catalogs = lambda: None    # done before each build (compile_catalogs)
        self.keep_search_index(app.builder)
        self.app, self.stack = app, stack

    def keep_search_index(self, builder) -> None:
        """Keep the search index in memory between builds, and write it after the pages.

        Sphinx reloads searchindex.js before every build and rewrites it whole after: at a
        hundred times this section that is most of a rebuild. Here the index of the last
        build is reused (pruned of the documents about to be written, as Sphinx does after
        loading), and written once the page is out and the browser told to reload.
        """
        load, dump = builder.load_indexer, builder.dump_search_index
        kept = []

        def load_indexer(docnames) -> None:
            if kept:
                builder.indexer = kept[0]
                builder.indexer.prune(set(builder.env.all_docs).difference(docnames))
            else:
                load(docnames)
                kept.append(builder.indexer)

        builder.load_indexer = load_indexer
        builder.dump_search_index = lambda: setattr(self, 'index_pending', dump)

    def stop_app(self) -> None:
        if self.stack is not None:
            self.stack.close()
        self.app, self.stack = None, None

    def before_reading(self, app, env, docnames: list[str]) -> None:
        """Documents about to be re-read lose their old problems, and their stale translations."""
        from sphinx.locale import translators
        from sphinx.util.i18n import docname_to_domain

        self.reading = list(docnames)
        for docname in docnames:
            self.state.problems.pop(docname, None)
            # Sphinx caches each domain's catalog per process and chains a copy onto it at
            # every reading: drop it so the document is translated from the current .mo.
            translators.pop(('general', docname_to_domain(docname, app.config.gettext_compact)), None)

    # -- one build
    def compile_catalogs(self, changed: set[Path]) -> None:
        if self.language not in self.project.translations():
            return
        self.state.problems.pop('catalogs', None)
        try:
            compile_catalogs(self.project, self.language)
        except CatalogError as exc:
            self.state.problems['catalogs'] = [str(exc)]
            self.echo(f'taiyaku: {exc}')
        for po in changed:
            if po.suffix == '.po':
                forget_compiled(po.with_suffix('.mo'))

    def build(self, changed: set[Path] = frozenset()) -> bool:
        """Rebuild what ``changed`` made outdated; False if the build failed (the problem is kept)."""
        started = time.monotonic()
        self.reading = []
        with self.building:
            self.compile_catalogs(changed)
            self.state.problems.pop('', None)
            try:
                if self.app is None or any(path.name in RESTART_FILES and path.parent == self.project.root
                                           for path in changed):
                    self.start_app()
                self.app.build()
                self.state.written = self.state.generation + 1
                failure = None
            except Exception as exc:      # a broken save: say where, keep serving the last good pages
                failure = describe(exc, self.project.root)
                self.state.problems.setdefault('', []).append(failure)
        with self.changed:
            self.state.generation += 1
            self.changed.notify_all()
        self.write_search_index()
        if failure:
            self.echo(f'taiyaku: build failed: {failure}')
            return False
        problems = sum(len(p) for p in self.state.problems.values())
        read = ', '.join(self.reading[:5]) + ('…' if len(self.reading) > 5 else '') if self.reading else 'nothing'
        self.echo(f'taiyaku: rebuilt in {time.monotonic() - started:.2f} s (re-read: {read})'
                  + (f'; {problems} problem(s) shown on the page' if problems else ''))
        return True

    def write_search_index(self) -> None:
        """After the reload was sent: searchindex.js is replaced in one rename, pages keep being served."""
        dump, self.index_pending = self.index_pending, None
        if dump is None:
            return
        try:
            dump()
        except Exception as exc:
            problem = describe(exc, self.project.root)
            self.state.problems.setdefault('', []).append(problem)
            self.echo(f'taiyaku: the search index was not written: {problem}')

    def dependencies(self) -> set[Path]:
        """What Sphinx recorded the documents depend on, less the compiled catalogs (built here)."""
        if self.app is None:
            return set()
        return {Path(dep) for deps in self.app.env.dependencies.values() for dep in deps if Path(dep).suffix != '.mo'}

    # -- the loop
    def watch(self, watcher: Watcher, stop: threading.Event) -> None:
        """Rebuild whenever ``watcher`` (made before the first build, so no save is missed) sees one."""
        watcher.follow(self.dependencies())
        while watcher.wait(stop):
            changed = watcher.changes()
            if changed:
                time.sleep(0.01)           # let an editor finish writing several files
                changed |= watcher.changes()
                self.build(changed)
                watcher.follow(self.dependencies())


def forget_compiled(mo: Path) -> None:
    """Python's gettext caches a catalog by file name for the life of the process."""
    for key in [key for key in gettext._translations if key[1] == os.path.abspath(mo)]:
        del gettext._translations[key]


def describe(exc: BaseException, root: Path) -> str:
    """An exception as a message and the project file and line it comes from — no traceback.

    Sphinx reports an error in conf.py as a ConfigError whose text holds the traceback:
    the last project frame and the last line of that text are what the user needs.
    """
    text = COLOUR.sub('', str(exc)).strip() or type(exc).__name__
    frames = [(frame.filename, frame.lineno) for frame in traceback.extract_tb(exc.__traceback__)]
    if isinstance(exc, SyntaxError) and exc.filename:
        frames.append((exc.filename, exc.lineno))
    if place := SYNTAX_PLACE.search(text):          # Sphinx's "(conf.py, line 2)"
        frames.append((str(root / place['file']), int(place['line'])))
    if TRACEBACK_FRAME.search(text):
        frames += [(found['file'], int(found['line'])) for found in TRACEBACK_FRAME.finditer(text)]
        text = text.splitlines()[-1].strip()
    else:
        text = f'{type(exc).__name__}: {" ".join(text.split())}'
    ours = [(file, line) for file, line in frames if Path(file).resolve().is_relative_to(root.resolve())
            and Path(file).resolve() != Path(__file__).resolve()]
    return f'{ours[-1][0]}:{ours[-1][1]}: {text}' if ours else text


# -- the web server ----------------------------------------------------------------------------

RELOAD_SCRIPT = r'''
(() => {
  const loaded = Number(document.currentScript.dataset.generation);
  let box = null;
  function show(problems) {
    if (!problems.length) { if (box) { box.remove(); box = null; } return; }
    if (!box) {
      box = document.createElement('div');
      box.id = 'taiyaku-preview-problems';
      box.setAttribute('role', 'alert');
      box.style.cssText = 'position:fixed;left:0;right:0;bottom:0;max-height:40%;overflow:auto;z-index:2147483647;' +
        'margin:0;padding:.8em 1.2em;background:#fff3f3;color:#8b0000;border-top:3px solid #c00;' +
        'font:13px/1.5 ui-monospace,monospace;white-space:pre-wrap;box-shadow:0 -2px 8px rgba(0,0,0,.2)';
      document.body.appendChild(box);
    }
    box.textContent = 'taiyaku preview — the last save has problems:\n' + problems.join('\n');
  }
  const events = new EventSource('/__taiyaku__/events');
  events.addEventListener('build', (event) => {
    const state = JSON.parse(event.data);
    if (state.written > loaded) { location.reload(); return; }
    show(state.problems);
  });
})();
'''


def make_handler(preview: Preview):
    from http import HTTPStatus                               # here, so that `taiyaku build` need not load it
    from http.server import SimpleHTTPRequestHandler

    prefix = f'/{preview.language}/'

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(preview.outdir), **kwargs)

        def log_message(self, format: str, *args) -> None:      # keep the terminal for build messages
            pass

        def end_headers(self) -> None:
            self.send_header('Cache-Control', 'no-store')
            super().end_headers()

        def do_GET(self) -> None:
            path = unquote(urlsplit(self.path).path)
            if path in ('/', prefix.rstrip('/')):
                self.send_response(HTTPStatus.FOUND)
                self.send_header('Location', f'{prefix}index.html')
                self.end_headers()
            elif path == f'{SPECIAL}reload.js':
                self.send_bytes(RELOAD_SCRIPT.encode(), 'text/javascript; charset=utf-8')
            elif path == f'{SPECIAL}state':
                self.send_bytes(json.dumps(preview.state.as_json()).encode(), 'application/json')
            elif path == f'{SPECIAL}events':
                self.send_events()
            elif not path.startswith(prefix):
                self.send_page(HTTPStatus.NOT_FOUND, f'This preview serves the {preview.language!r} edition '
                               f'under {prefix}; run `make preview-…` for another language.')
            elif path.endswith('/') or path.endswith('.html'):
                self.send_html(path[len(prefix):] + ('index.html' if path.endswith('/') else ''))
            else:
                with preview.building:
                    super().do_GET()

        def translate_path(self, path: str) -> str:
            path = urlsplit(path).path
            return super().translate_path('/' + path[len(prefix):] if path.startswith(prefix) else path)

        def send_bytes(self, data: bytes, content_type: str, status: HTTPStatus = HTTPStatus.OK) -> None:
            self.send_response(status)
            self.send_header('Content-Type', content_type)
            self.send_header('Content-Length', str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def send_page(self, status: HTTPStatus, message: str) -> None:
            problems = ''.join(f'<li>{html.escape(p)}</li>' for p in preview.state.as_json()['problems'])
            page = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>taiyaku preview</title></head>'
                    f'<body><p>{html.escape(message)}</p><ul>{problems}</ul>{self.script_tag()}</body></html>')
            self.send_bytes(page.encode(), 'text/html; charset=utf-8', status)

        def script_tag(self) -> str:
            return f'<script src="{SPECIAL}reload.js" data-generation="{preview.state.written}"></script>'

        def send_html(self, relative: str) -> None:
            file = (preview.outdir / relative).resolve()
            with preview.building:
                if preview.outdir.resolve() not in file.parents or not file.is_file():
                    self.send_page(HTTPStatus.NOT_FOUND, f'{relative}: no such page (yet).')
                    return
                text = file.read_text(encoding='utf-8')
                tag = self.script_tag()
            at = text.rfind('</body>')
            text = text[:at] + tag + text[at:] if at >= 0 else text + tag
            self.send_bytes(text.encode('utf-8'), 'text/html; charset=utf-8')

        def send_events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header('Content-Type', 'text/event-stream')
            self.end_headers()
            seen = -1
            try:
                while True:
                    with preview.changed:
                        preview.changed.wait_for(lambda: preview.state.generation != seen, timeout=15)
                        state = preview.state.as_json()
                    if state['generation'] == seen:
                        self.wfile.write(b': still here\n\n')          # keeps proxies and the socket honest
                    else:
                        seen = state['generation']
                        self.wfile.write(f'event: build\ndata: {json.dumps(state)}\n\n'.encode())
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


def serve(project: Project, language: str, host: str = '127.0.0.1', port: int = 8000,
          out=sys.stdout, err=sys.stderr) -> int:
    """Build, serve and rebuild until interrupted."""
    from http.server import ThreadingHTTPServer

    os.environ.update(edition_env(project))
    preview = Preview(project, language, err=err)
    try:
        server = ThreadingHTTPServer((host, port), make_handler(preview))
        server.daemon_threads = True          # event streams end with the process
    except OSError as exc:
        print(f'taiyaku: cannot serve on {host}:{port}: {exc.strerror}', file=err)
        return 2
    print(f'taiyaku: building the {language!r} edition for the preview…', file=out, flush=True)
    watcher = Watcher(project, language)
    preview.build()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f'http://{host}:{server.server_address[1]}/{language}/'
    print(f'taiyaku: previewing the {language!r} edition at {url} (rebuilt on every save; Ctrl-C stops)',
          file=out, flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())     # `kill` stops it as Ctrl-C does
    try:
        preview.watch(watcher, stop)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        preview.stop_app()
    return 0


# -- the command ---------------------------------------------------------------------------------

def add_parser(sub) -> None:
    p = sub.add_parser('preview', help="serve one language's HTML on localhost, rebuilt and reloaded on every save")
    p.add_argument('--lang', default=None, help="the language to preview (default: the master's)")
    p.add_argument('--port', type=int, default=8000, help='the port to serve on (default: 8000; 0: any free one)')
    p.add_argument('--host', default='127.0.0.1', help='the address to serve on (default: 127.0.0.1)')
    p.set_defaults(func=command)


def command(args, project: Project) -> int:
    language = args.lang or project.languages()[0]
    if language not in project.languages():
        print(f'taiyaku: no catalogs for {language} under {project.locale} '
              f'(languages: {", ".join(project.languages())})', file=sys.stderr)
        return 2
    return serve(project, language, host=args.host, port=args.port)
