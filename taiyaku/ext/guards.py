"""What the master may do, and a broken source named in one line.

Translations have an injection check (``check-po``); the master has these guards, in every
build:

- **File insertion stays inside** ``source/``: ``include``, ``literalinclude`` (and its
  ``:diff:``), ``csv-table :file:``, ``raw :file:``, an image or figure and ``:download:``
  must name a file under the source folder — after following symlinks — so
  ``.. include:: ../../../../etc/passwd`` is an error naming the file and line, not a
  published page. A ``:url:`` (fetched at build time) is refused alike. docutils' own
  standard files (``.. include:: <isonum.txt>``) are allowed.
- **raw is refused**, the directive and roles based on it (``.. role:: html(raw)``): HTML
  or LaTeX passed through untouched is how a ``<script>`` gets into an edition. A project
  that truly needs it says so in conf.py: ``taiyaku_allow_raw = True``. (A msgstr is
  parsed as before: catalog QA's injection check guards the translations, and Sphinx sets
  no raw node of a translation.)
- **A source that is not UTF-8** is one error naming the file and line, where Sphinx
  would print its crash report without either; the document is not read.
- **A circular toctree** (a document that lists, directly or not, a document above it)
  is one error naming the file and line of the toctree that closes the circle, where
  Sphinx would recurse until "Recursion error!"; the circle is cut so the rest builds.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.parsers.rst.directives.images import Image
from docutils.parsers.rst.directives.misc import Raw, Role
from sphinx import addnodes
from sphinx.directives.code import LiteralInclude
from sphinx.directives.other import Include
from sphinx.directives.patches import CSVTable, Figure
from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


def inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


class Confined:
    """A directive that reads a file: only from inside the source folder."""

    file_options: tuple[str, ...] = ()      # options naming a file
    sphinx_paths = True                      # paths as Sphinx resolves them (relative to the document)

    @property
    def build_env(self) -> BuildEnvironment:
        """Sphinx's environment, for docutils' own directives too (SphinxDirective.env)."""
        return self.state.document.settings.env

    def confine(self, name: str, what: str) -> None:
        env = self.build_env
        srcdir = Path(env.srcdir)
        if name.startswith('/') or self.sphinx_paths:
            _, resolved = env.relfn2path(name)
            path = Path(resolved)
        else:           # docutils' own: relative to the file being read (an included one, perhaps)
            path = Path(self.state.document.current_source or env.doc2path(env.docname)).parent / name
        if not inside(path, srcdir):
            raise self.error(f'{self.name}: {what} {name} is outside source/ (or a link out of it): the master '
                             'may insert only files of its own source folder')

    def check_files(self) -> None:
        for option in self.file_options:
            if option in self.options:
                self.confine(self.options[option], f':{option}:')
        if 'url' in self.options:
            raise self.error(f'{self.name}: :url: {self.options["url"]} is refused: the master may insert only files '
                             'of its own source folder, never fetch one when it is built')


class ConfinedInclude(Confined, Include):
    def run(self):
        argument = self.arguments[0]
        if not (argument.startswith('<') and argument.endswith('>')):      # docutils' standard files
            self.confine(argument, 'the file')
        return super().run()


class ConfinedLiteralInclude(Confined, LiteralInclude):
    file_options = ('diff',)

    def run(self):
        self.confine(self.arguments[0], 'the file')
        self.check_files()
        return super().run()


class ConfinedCSVTable(Confined, CSVTable):
    file_options = ('file',)
    sphinx_paths = False

    def run(self):
        self.check_files()
        return super().run()


def in_translation(document: nodes.document) -> bool:
    """A msgstr being parsed (Sphinx names its document ``<source>:<line>:<translated>``): catalog
    QA's injection check is the translations' guard, and Sphinx sets no raw node of a msgstr."""
    return str(document.get('source', '')).endswith('<translated>')


class GuardedRaw(Confined, Raw):
    file_options = ('file',)
    sphinx_paths = False

    def run(self):
        if not self.build_env.config.taiyaku_allow_raw and not in_translation(self.state.document):
            raise self.error('raw: the master may not pass HTML or LaTeX through untouched (it is published '
                             'verbatim, scripts and all); if this project truly needs it, set '
                             'taiyaku_allow_raw = True in conf.py')
        self.check_files()
        return super().run()


def confined_image(base: type) -> type:
    class ConfinedImage(Confined, base):
        def run(self):
            uri = directives.uri(self.arguments[0])
            if '://' not in uri and not uri.startswith('data:'):       # a link to elsewhere inserts no file
                self.confine(uri.replace('*', 'x'), 'the image')
            return super().run()
    ConfinedImage.__name__ = f'Confined{base.__name__}'
    return ConfinedImage


def confine_downloads(app: Sphinx, doctree: nodes.document) -> None:
    """``:download:`` copies its file into the output: only from inside the source folder."""
    srcdir = Path(app.srcdir)
    for node in list(doctree.findall(addnodes.download_reference)):
        target = node.get('reftarget', '')
        if '://' in target:
            continue
        _, resolved = app.env.relfn2path(target, app.env.docname)
        if not inside(Path(resolved), srcdir):
            logger.error('download: the file %s is outside source/ (or a link out of it): the master may publish '
                         'only files of its own source folder', target, location=node)
            node.replace_self(nodes.Text(node.astext()))


# -- a broken source: one line naming it ---------------------------------------------------------

def refuse_undecodable(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """A document that is not UTF-8 is reported with its file and line, and not read."""
    for docname in list(docnames):
        path = Path(env.doc2path(docname))
        try:
            data = path.read_bytes()
            data.decode(app.config.source_encoding)
        except OSError:
            continue                         # Sphinx says so itself
        except (UnicodeDecodeError, LookupError) as exc:
            start = getattr(exc, 'start', 0)
            line = data[:start].count(b'\n') + 1
            byte = f'byte 0x{data[start]:02x}' if isinstance(exc, UnicodeDecodeError) else 'the file'
            logger.error('not %s (%s at line %d): save the file as %s', app.config.source_encoding, byte, line,
                         app.config.source_encoding, location=(docname, line))
            docnames.remove(docname)
            env.found_docs.discard(docname)


def toctree_location(env: BuildEnvironment, docname: str, child: str) -> tuple[str, int | None]:
    """The document and line of the toctree in ``docname`` that lists ``child``."""
    try:
        doctree = env.get_doctree(docname)
    except Exception:           # noqa: BLE001 (no pickled doctree: say the document)
        return docname, None
    for node in doctree.findall(addnodes.toctree):
        if child in node.get('includefiles', ()):
            return docname, node.line
    return docname, None


def cut_circular_toctrees(app: Sphinx, env: BuildEnvironment) -> None:
    """Find every toctree that lists a document above it, report it and cut it out: Sphinx
    walks the toctrees by recursion and would not come back."""
    includes = env.toctree_includes
    path: list[str] = []
    done: set[str] = set()

    def visit(docname: str) -> None:
        path.append(docname)
        for child in list(includes.get(docname, ())):
            if child in path:
                circle = ' → '.join([*path[path.index(child):], child])
                location = toctree_location(env, docname, child)
                logger.error('circular toctree: %s (the toctree of %s lists %s, which is above it); '
                             'remove that entry', circle, docname, child, location=location)
                includes[docname] = [entry for entry in includes[docname] if entry != child]
                env.all_docs[docname] = 0         # read again next time: the error stays until it is fixed
            elif child not in done:
                visit(child)
        path.pop()
        done.add(docname)

    if app.config.root_doc in includes:
        visit(app.config.root_doc)
    for docname in sorted(includes):          # documents outside the root's tree can make circles too
        if docname not in done:
            visit(docname)


class GuardedRole(Role):
    """``.. role:: html(raw)`` makes a raw role: refused with the raw directive."""

    def run(self):
        spec = self.content[0] if self.content else ''          # docutils reads `name(base)` as content
        base = spec.partition('(')[2].partition(')')[0].strip()
        if base == 'raw' and not self.state.document.settings.env.config.taiyaku_allow_raw \
                and not in_translation(self.state.document):
            raise self.error('role: a role based on raw passes HTML or LaTeX through untouched, and the master may '
                             'not (set taiyaku_allow_raw = True in conf.py if this project truly needs it)')
        return super().run()


def setup(app: Sphinx) -> dict:
    app.add_config_value('taiyaku_allow_raw', False, 'env', types=frozenset({bool}))
    app.add_directive('include', ConfinedInclude, override=True)
    app.add_directive('literalinclude', ConfinedLiteralInclude, override=True)
    app.add_directive('csv-table', ConfinedCSVTable, override=True)
    app.add_directive('raw', GuardedRaw, override=True)
    app.add_directive('image', confined_image(Image), override=True)
    app.add_directive('figure', confined_image(Figure), override=True)
    app.add_directive('role', GuardedRole, override=True)
    app.connect('env-before-read-docs', refuse_undecodable)
    app.connect('doctree-read', confine_downloads)
    app.connect('env-updated', cut_circular_toctrees, priority=100)     # before anything walks the toctrees
    return {'version': '1', 'env_version': 1, 'parallel_read_safe': True, 'parallel_write_safe': True}
