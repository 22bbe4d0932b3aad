"""The preview's warm Sphinx application: one per language, rebuilding what a save made outdated.

A save recompiles the changed catalogs, lets Sphinx's own outdated-file detection re-read
just the documents whose source or catalog changed (``taiyaku.ext.source_signatures``:
whatever their times say), and writes them; the search index stays
in memory and is written after the page. A broken save is described with its file and
line (``describe``) and kept as a problem of its document until it is re-read.
"""

from __future__ import annotations

import gettext
import os
import re
import sys
import threading
import time
import traceback
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from taiyaku import lint
from taiyaku.catalogs import compile_catalogs
from taiyaku.po import CatalogError
from taiyaku.preview.watch import RESTART_FILES, Watcher
from taiyaku.project import Project

WARNING_LINE = re.compile(r'^(?P<location>.+?):(?:(?P<line>\d+):)? (?:WARNING|ERROR|CRITICAL|SEVERE)')
COLOUR = re.compile(r'\x1b\[[0-9;]*m')
TRACEBACK_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+)')
SYNTAX_PLACE = re.compile(r'\((?P<file>[^,()]+), line (?P<line>\d+)\)')
PACKAGE = Path(__file__).resolve().parent


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
    building: bool = False          # a build is under way (its problems may show before its pages)
    problems: dict[str, list[str]] = field(default_factory=dict)     # by document (or '' and 'catalogs')

    def as_json(self) -> dict:
        problems = dict(self.problems)         # a copy: the build thread changes it meanwhile
        listed = [problem for key in sorted(problems) for problem in list(problems[key])]
        return {'generation': self.generation, 'written': self.written, 'building': self.building,
                'problems': listed}


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
        self.linted: dict[Path, list] | None = None     # the master lint's findings, per source

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
                doctreedir=self.doctreedir, buildername='html',
                # one application after another in this process (a conf.py change makes a new one):
                # docutils' state machines are not carried from one to the next
                confoverrides={'language': self.language, 'taiyaku_reuse_state_machines': False},
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

    def lint_sources(self, changed: set[Path]) -> None:
        """The master lint's findings (``taiyaku.lint``), as every build says them: the saved
        sources again, every source at the first build."""
        paths = ([path for path in changed if path.suffix == '.rst'] if self.linted is not None
                 else lint.master_files(self.project))
        self.linted = dict(self.linted or {})
        for path in paths:
            before = self.linted.get(path, [])
            self.linted[path] = lint.check_file(path) if path.is_file() else []
            for finding in self.linted[path]:
                if finding not in before:
                    self.echo(f'taiyaku: lint: {finding.format(self.project.root)}')
        found = [finding.format(self.project.root) for path in sorted(self.linted) for finding in self.linted[path]]
        if found:
            self.state.problems['lint'] = found
        else:
            self.state.problems.pop('lint', None)

    def build(self, changed: set[Path] = frozenset()) -> bool:
        """Rebuild what ``changed`` made outdated; False if the build failed (the problem is kept)."""
        started = time.monotonic()
        self.reading = []
        with self.building:
            self.state.building = True
            self.compile_catalogs(changed)
            self.lint_sources(changed)
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
            self.state.building = False
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
            and not Path(file).resolve().is_relative_to(PACKAGE)]
    return f'{ours[-1][0]}:{ours[-1][1]}: {text}' if ours else text
