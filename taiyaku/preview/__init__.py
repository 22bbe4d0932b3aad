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

The preview is three parts: what to watch (:mod:`taiyaku.preview.watch`), the warm
application that rebuilds (:mod:`taiyaku.preview.app`) and the web server
(:mod:`taiyaku.preview.server`); this module puts them together.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

from taiyaku.builds import edition_env
from taiyaku.preview.app import Preview
from taiyaku.preview.server import make_handler
from taiyaku.preview.watch import Watcher
from taiyaku.project import Project


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

    def stop_after_this_build(signum, frame) -> None:
        # Ctrl-C and `kill` end the preview once the build under way (if any) is done, rather than
        # raising KeyboardInterrupt in the middle of Sphinx and docutils; a second Ctrl-C interrupts
        stop.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)

    signal.signal(signal.SIGTERM, stop_after_this_build)
    signal.signal(signal.SIGINT, stop_after_this_build)
    try:
        preview.watch(watcher, stop)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        preview.stop_app()
    return 0


# -- the command ---------------------------------------------------------------------------------

def port_number(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f'{value!r} is not a port (0 to 65535; 0: any free one)')
    return number


def add_parser(sub) -> None:
    p = sub.add_parser('preview', help="serve one language's HTML on localhost, rebuilt and reloaded on every save")
    p.add_argument('--lang', default=None, help="the language to preview (default: the master's)")
    p.add_argument('--port', type=port_number, default=8000,
                   help='the port to serve on (default: 8000; 0: any free one)')
    p.add_argument('--host', default='127.0.0.1', help='the address to serve on (default: 127.0.0.1)')
    p.set_defaults(func=command)


def command(args, project: Project) -> int:
    language = args.lang or project.languages()[0]
    if language not in project.languages():
        print(f'taiyaku: no catalogs for {language} under {project.locale} '
              f'(languages: {", ".join(project.languages())})', file=sys.stderr)
        return 2
    return serve(project, language, host=args.host, port=args.port)
