"""EPUB fixes: epubcheck-clean, and byte-for-byte reproducible.

Sphinx writes ``epub_uid`` (the *name* of the identifier element, e.g. ``BookId``) into
toc.ncx's ``dtb:uid``, where the NCX specification wants the identifier's *value*;
epubcheck reports NCX-001. This rewrites that one field with ``epub_identifier``.

Sphinx zips the book with each file's modification time, so two builds of the same
sources differ. When SOURCE_DATE_EPOCH is set (taiyaku's builds always set it to the
edition date) the archive is rewritten with that time and fixed permissions on every
entry, in Sphinx's own order (``mimetype`` first and stored, as the OCF spec requires).
"""

from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path
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


def normalize_archive(path: Path, epoch: int) -> None:
    """Rewrite a zip with every entry dated ``epoch`` and mode 0644, order and compression kept."""
    date_time = time.gmtime(max(epoch, 315532800))[:6]      # zip dates start in 1980
    temporary = path.with_name(f'.{path.name}.tmp')
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(temporary, 'w') as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=date_time)
            info.compress_type = entry.compress_type
            info.external_attr = 0o100644 << 16
            info.create_system = 3
            target.writestr(info, source.read(entry.filename))
    os.replace(temporary, path)


def reproducible_archive(app: Sphinx) -> None:
    builder = app.builder
    epoch = os.environ.get('SOURCE_DATE_EPOCH')
    if not builder.name.startswith('epub') or not epoch:
        return
    sphinx_build_epub = builder.build_epub

    def build_epub() -> None:
        sphinx_build_epub()
        normalize_archive(Path(builder.outdir, builder.config.epub_basename + '.epub'), int(epoch))

    builder.build_epub = build_epub


def setup(app: Sphinx) -> dict:
    app.connect('builder-inited', fix_ncx_uid)
    app.connect('builder-inited', reproducible_archive)
    return {'version': '1', 'parallel_read_safe': True, 'parallel_write_safe': True}
