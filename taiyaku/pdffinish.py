"""What a PDF needs after LaTeX and dvipdfmx: ToUnicode maps for its Japanese fonts
(:mod:`taiyaku.tounicode`) and its XMP metadata (:mod:`taiyaku.xmp`), added as one
incremental update — the bytes dvipdfmx wrote stay as they were, the new objects follow,
and the same input always gives the same output.

pypdf reads the file (lazily: the fonts and the catalog, not every object); the update holds
only the objects that change (the fonts given a map, the catalog, the document information)
and the new ones, with a cross-reference stream like the one it follows (PDF 32000 7.5.6,
7.5.8). pypdf's own incremental writer copies the whole document first, which took most of
the step's time at ten times this section.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject, NameObject, PdfObject, TextStringObject

from taiyaku import tounicode, xmp


class IncrementalUpdate:
    """The objects an update to ``reader``'s file changes or adds, by object number."""

    def __init__(self, reader: PdfReader):
        self.reader = reader
        self.objects: dict[int, PdfObject] = {}
        self.size = int(reader.trailer['/Size'])
        root = reader.trailer.raw_get('/Root')
        self.root_number = root.idnum
        info = reader.trailer.raw_get('/Info') if '/Info' in reader.trailer else None
        self.info_number = info.idnum if isinstance(info, IndirectObject) else None

    def get_object(self, number: int) -> PdfObject:
        """The object to change: the update's copy once taken."""
        if number not in self.objects:
            self.objects[number] = self.reader.get_object(number)
        return self.objects[number]

    def add_object(self, value: PdfObject) -> IndirectObject:
        number, self.size = self.size, self.size + 1
        self.objects[number] = value
        return IndirectObject(number, 0, self.reader)

    @property
    def root_object(self) -> DictionaryObject:
        return self.get_object(self.root_number)

    @property
    def info(self) -> DictionaryObject | None:
        return None if self.info_number is None else self.get_object(self.info_number)

    def write(self, original: bytes) -> bytes:
        """The file with the update appended."""
        out = io.BytesIO()
        out.write(original)
        if not original.endswith(b'\n'):
            out.write(b'\n')
        offsets = {}
        for number in sorted(self.objects):
            offsets[number] = out.tell()
            out.write(f'{number} 0 obj\n'.encode('ascii'))
            self.objects[number].write_to_stream(out)
            out.write(b'\nendobj\n')
        xref_number = self.size
        offsets[xref_number] = out.tell()
        numbers = sorted(offsets)
        index, run_start, previous = [], None, None
        for number in numbers:                       # subsections of consecutive numbers
            if previous is None or number != previous + 1:
                if run_start is not None:
                    index += [run_start, previous - run_start + 1]
                run_start = number
            previous = number
        index += [run_start, previous - run_start + 1]
        rows = b''.join(struct.pack('>BIB', 1, offsets[number], 0) for number in numbers)
        trailer = self.reader.trailer
        fields = [f'/Type /XRef /Size {xref_number + 1}', f'/Root {self.root_number} 0 R']
        if self.info_number is not None:
            fields.append(f'/Info {self.info_number} 0 R')
        fields.append(f'/Prev {previous_xref(original)}')
        if '/ID' in trailer:
            ids = io.BytesIO()
            trailer['/ID'].write_to_stream(ids)
            fields.append(f'/ID {ids.getvalue().decode("ascii")}')
        data = zlib.compress(rows, 9)
        fields += ['/Filter /FlateDecode', f'/Index [ {" ".join(map(str, index))} ]', '/W [ 1 4 1 ]',
                   f'/Length {len(data)}']
        out.write(f'{xref_number} 0 obj\n<< {" ".join(fields)} >>\nstream\n'.encode('ascii'))
        out.write(data)
        out.write(f'\nendstream\nendobj\nstartxref\n{offsets[xref_number]}\n%%EOF\n'.encode('ascii'))
        return out.getvalue()


def warm_up() -> None:
    """What the step loads before its first PDF (pypdf by importing this module, Adobe's map)."""
    for ordering in tounicode.COLLECTIONS:
        tounicode.adobe_map(ordering)


def previous_xref(original: bytes) -> int:
    """Where the file's last cross-reference section begins (its ``startxref``)."""
    return int(original[original.rindex(b'startxref') + len(b'startxref'):].split()[0])


def finish(pdf: Path) -> None:
    original = pdf.read_bytes()
    reader = PdfReader(io.BytesIO(original))
    update = IncrementalUpdate(reader)
    changed = tounicode.add_maps(reader, original, update)
    changed += xmp.add_metadata(reader, update)
    if not changed:
        return
    # The update's trailer names /Info again (PDF 32000 7.5.6); the dictionary records the step
    info = update.info
    if info is not None:
        producer = str(info.get('/Producer', '')).strip()
        info[NameObject('/Producer')] = TextStringObject(f'{producer}; taiyaku'.lstrip('; '))
    staged = pdf.with_name(f'.{pdf.name}.finish')
    staged.write_bytes(update.write(original))
    staged.replace(pdf)
