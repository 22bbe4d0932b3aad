"""Sphinx extensions of the taiyaku toolchain, one concern per module.

Load them all with ``extensions = ['taiyaku.ext']`` or pick single modules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

MODULES = (
    'taiyaku.ext.guards',
    'taiyaku.ext.state_machines',
    'taiyaku.ext.ruby',
    'taiyaku.ext.figures',
    'taiyaku.ext.pages',
    'taiyaku.ext.footnotes',
    'taiyaku.ext.languages',
    'taiyaku.ext.latin_text',
    'taiyaku.ext.theme',
    'taiyaku.ext.navigation',
    'taiyaku.ext.reading',
    'taiyaku.ext.source_signatures',
    'taiyaku.ext.doctree_cache',
    'taiyaku.ext.build_cache',
    'taiyaku.ext.message_templates',
    'taiyaku.ext.epub',
    'taiyaku.ext.search',
    'taiyaku.ext.fallback',
    'taiyaku.ext.catalog_locations',
    'taiyaku.ext.parallel',
    'taiyaku.ext.colophon',
)


def setup(app: Sphinx) -> dict:
    for module in MODULES:
        app.setup_extension(module)
    return {'version': '1', 'parallel_read_safe': True, 'parallel_write_safe': True}
