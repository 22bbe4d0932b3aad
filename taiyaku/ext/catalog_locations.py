"""A warning about a translation names the catalog line it comes from.

Sphinx reports a translation whose footnote, citation, term or named references do not
match the master's ("inconsistent footnote references in translated message") at the
master's paragraph — ``source/russia/relations.rst:56`` — where the translator has
nothing to fix. This rewrites the location to the message in its catalog,
``locale/en/LC_MESSAGES/russia/relations.po:242`` (the line of its msgid, as check-po
gives it), and keeps the master's place in the message.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.i18n import docname_to_domain

from taiyaku.po import CatalogError, read_catalog

if TYPE_CHECKING:
    from sphinx.application import Sphinx

I18N_LOGGER = 'sphinx.sphinx.transforms.i18n'      # Sphinx's logging namespace for sphinx.transforms.i18n


def project_path(app: Sphinx, source: str) -> str:
    """``source/russia/relations.rst``: a source as the project (the folder above source/) names it."""
    root, path = Path(app.srcdir).resolve().parent, Path(source).resolve()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def catalog_line(app: Sphinx, node: nodes.Node) -> tuple[Path, int] | None:
    """The catalog and the line of the msgid that translated ``node``'s paragraph."""
    source, line = getattr(node, 'source', None), getattr(node, 'line', None)
    if not source or not line:
        return None
    docname = app.env.path2doc(source)
    if docname is None:
        return None
    domain = docname_to_domain(docname, app.config.gettext_compact)
    relative = project_path(app, source)
    for folder in app.config.locale_dirs:
        catalog = Path(app.srcdir, folder, app.config.language, 'LC_MESSAGES', f'{domain}.po').resolve()
        if not catalog.is_file():
            continue
        try:
            messages = read_catalog(catalog)
        except CatalogError:
            return None
        for message in messages:
            for path, number in message.locations:
                if number == line and Path(path).as_posix().endswith(relative):
                    return catalog, message.lineno
    return None


class CatalogLocation(logging.Filter):
    """On Sphinx's i18n logger: an inconsistent-references warning, located at its catalog line."""

    def __init__(self, app: Sphinx):
        super().__init__()
        self.app = app

    def filter(self, record: logging.LogRecord) -> bool:
        node = getattr(record, 'location', None)
        if getattr(record, 'subtype', None) == 'inconsistent_references' and isinstance(node, nodes.Node):
            found = catalog_line(self.app, node)
            if found is not None:
                catalog, line = found
                record.location = f'{catalog}:{line}'
                record.msg = f'{record.msg} (the master has it at {project_path(self.app, node.source)}:{node.line})'
        return True


def setup(app: Sphinx) -> dict:
    logger = logging.getLogger(I18N_LOGGER)
    for existing in [f for f in logger.filters if isinstance(f, CatalogLocation)]:
        logger.removeFilter(existing)             # one application after another in one process
    logger.addFilter(CatalogLocation(app))
    return {'version': '1', 'parallel_read_safe': True, 'parallel_write_safe': True}
