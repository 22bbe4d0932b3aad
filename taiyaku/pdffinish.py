"""What a PDF needs after LaTeX and dvipdfmx: ToUnicode maps for its Japanese fonts
(:mod:`taiyaku.tounicode`) and its XMP metadata (:mod:`taiyaku.xmp`), added as one
incremental update — the bytes dvipdfmx wrote stay as they were, the new objects follow,
and the same input always gives the same output."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

from taiyaku import tounicode, xmp


def finish(pdf: Path) -> None:
    reader = PdfReader(pdf)
    writer = PdfWriter(pdf, incremental=True)
    changed = tounicode.add_maps(reader, writer)
    changed += xmp.add_metadata(reader, writer)
    if not changed:
        return
    # The update's trailer must name /Info again (PDF 32000 7.5.6); pypdf writes it only for a
    # changed dictionary (poppler would see no document information at all): record the step in it
    info = writer._info
    if info is not None:
        producer = str(info.get('/Producer', '')).strip()
        info[NameObject('/Producer')] = TextStringObject(f'{producer}; taiyaku'.lstrip('; '))
    staged = pdf.with_name(f'.{pdf.name}.finish')
    with staged.open('wb') as out:
        writer.write(out)
    staged.replace(pdf)
