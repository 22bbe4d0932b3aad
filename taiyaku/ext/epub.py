"""EPUB fixes that make Sphinx's EPUB 3 pass epubcheck with no errors.

Sphinx writes ``epub_uid`` (the *name* of the identifier element, e.g. ``BookId``) into
toc.ncx's ``dtb:uid``, where the NCX specification wants the identifier's *value*;
epubcheck reports NCX-001. This rewrites that one field with ``epub_identifier``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def fix_ncx_uid(app: Sphinx) -> None:
    builder = app.builder
    if not builder.name.startswith('epub'):
        return
    sphinx_toc_metadata = builder.toc_metadata

    def toc_metadata(level, navpoints):
        metadata = sphinx_toc_metadata(level, navpoints)
        metadata['uid'] = app.config.epub_identifier
        return metadata

    builder.toc_metadata = toc_metadata


def setup(app: Sphinx) -> dict:
    app.connect('builder-inited', fix_ncx_uid)
    return {'version': '1', 'parallel_read_safe': True, 'parallel_write_safe': True}
