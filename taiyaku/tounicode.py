"""ToUnicode maps for the Japanese fonts of a dvipdfmx PDF.

dvipdfmx writes no ToUnicode CMap for a CID font of one of Adobe's registered character
collections (Adobe-Japan1, -GB1, -CNS1, -Korea1): its ``Type0Font_attach_ToUnicode_stream``
returns early for them (``CIDFont_is_ACCFont``), on the ground that a reader knows those
collections. HaranoAji, the font of the Japanese PDFs, is an Adobe-Japan1 font, so copying,
searching and reading aloud depend on the viewer; PDF/UA and many checkers ask for the map.
No dvipdfmx option or font-map setting changes that (a map line's ``-u`` is ignored for
Type0 fonts), and an Adobe-Identity font (Noto CJK, for which dvipdfmx derives the map from
the font's cmap) loses text: ① and ➀ share a glyph there, and the reverse map picks ➀.

So the map is attached afterwards, from the resource dvipdfmx itself expects readers to
use: Adobe's ``Adobe-Japan1-UCS2`` ToUnicode CMap (TeX Live's adobemapping, found by
kpsewhich), restricted to the CIDs each embedded subset holds (its ``/CIDSet``), in the
incremental update :mod:`taiyaku.pdffinish` makes.
"""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

COLLECTIONS = ('Japan1',)          # the Adobe collections whose fonts get a map (the others: none used)
CMAP_FILE = 'Adobe-{ordering}-UCS2'
BFCHAR = re.compile(rb'<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>')
BFRANGE = re.compile(rb'<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])')
# Adobe's map gives some glyphs as an ideographic variation sequence (捗 + U+E0100): the
# text set is the plain character (the font map reached that glyph from it), so copying
# and searching should give the plain character back.
VARIATION_SELECTORS = re.compile('[\ufe00-\ufe0f\U000e0100-\U000e01ef]')


class ToUnicodeError(RuntimeError):
    pass


def cmap_path(ordering: str) -> Path:
    name = CMAP_FILE.format(ordering=ordering)
    found = subprocess.run(['kpsewhich', '-format=cmap', name], capture_output=True, text=True).stdout.strip()
    if not found:
        raise ToUnicodeError(f'the {name} ToUnicode CMap is not installed (Debian package texlive-lang-cjk; '
                             f'run make setup)')
    return Path(found)


@cache
def adobe_map(ordering: str) -> dict[int, str]:
    """CID → text, from Adobe's ToUnicode CMap of the collection."""
    data = cmap_path(ordering).read_bytes()
    mapping: dict[int, str] = {}
    for block in re.findall(rb'beginbfchar(.*?)endbfchar', data, re.DOTALL):
        for cid, text in BFCHAR.findall(block):
            mapping[int(cid, 16)] = bytes.fromhex(text.decode()).decode('utf-16-be')
    for block in re.findall(rb'beginbfrange(.*?)endbfrange', data, re.DOTALL):
        for first, last, target in BFRANGE.findall(block):
            first, last = int(first, 16), int(last, 16)
            if target.startswith(b'['):
                for cid, text in zip(range(first, last + 1), re.findall(rb'<([0-9A-Fa-f]+)>', target)):
                    mapping[cid] = bytes.fromhex(text.decode()).decode('utf-16-be')
            else:
                start = bytes.fromhex(target[1:-1].decode()).decode('utf-16-be')
                for offset, cid in enumerate(range(first, last + 1)):
                    mapping[cid] = start[:-1] + chr(ord(start[-1]) + offset)
    return {cid: VARIATION_SELECTORS.sub('', text) or text for cid, text in mapping.items()}


def cids_in(cidset: bytes) -> list[int]:
    """The CIDs a subset holds: /CIDSet is a bitmap, CID 0 the high bit of the first byte."""
    return [index * 8 + bit for index, byte in enumerate(cidset) for bit in range(8) if byte & (0x80 >> bit)]


def cmap_stream(ordering: str, cids: list[int]) -> bytes:
    """A ToUnicode CMap (PDF 32000 9.10.3) for these CIDs of an Identity-H font."""
    mapping = adobe_map(ordering)
    entries = [(cid, mapping[cid]) for cid in cids if cid in mapping]
    lines = ['/CIDInit /ProcSet findresource begin', '12 dict begin', 'begincmap',
             '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
             f'/CMapName /Adobe-{ordering}-UCS2-taiyaku def', '/CMapType 2 def',
             '1 begincodespacerange', '<0000> <FFFF>', 'endcodespacerange']
    for start in range(0, len(entries), 100):
        chunk = entries[start:start + 100]
        lines.append(f'{len(chunk)} beginbfchar')
        lines.extend(f'<{cid:04X}> <{text.encode("utf-16-be").hex().upper()}>' for cid, text in chunk)
        lines.append('endbfchar')
    lines += ['endcmap', 'CMapName currentdict /CMap defineresource pop', 'end', 'end', '']
    return '\n'.join(lines).encode('ascii')


def font_candidates(reader: PdfReader, data: bytes) -> list[int]:
    """The numbers of the objects whose text names /Type0: the composite fonts, found without
    reading every page (a book's pages and their links are most of its objects)."""
    found = set()
    in_streams: dict[int, list[int]] = {}
    for number, (stream_number, _) in reader.xref_objStm.items():
        in_streams.setdefault(stream_number, []).append(number)
    for stream_number in sorted(in_streams):
        stream = reader.get_object(stream_number)
        body, first = stream.get_data(), int(stream['/First'])
        header = [int(value) for value in body[:first].split()]
        pairs = list(zip(header[0::2], header[1::2]))
        for index, (number, offset) in enumerate(pairs):
            end = pairs[index + 1][1] if index + 1 < len(pairs) else len(body) - first
            if b'/Type0' in body[first + offset:first + end]:
                found.add(number)
    for numbers in reader.xref.values():               # objects outside object streams
        for number, offset in numbers.items():
            end = min(position for position in (data.find(b'stream', offset), data.find(b'endobj', offset), len(data))
                      if position >= 0)
            if b'/Type0' in data[offset:end]:
                found.add(number)
    return sorted(found)


def fonts_lacking_maps(reader: PdfReader, data: bytes):
    """(font reference, ordering, CIDs) of every Identity-H Adobe-collection Type0 font without a map."""
    for number in font_candidates(reader, data):
        font = reader.get_object(number)
        if not isinstance(font, DictionaryObject) or font.get('/Type') != '/Font':
            continue
        if font.get('/Subtype') != '/Type0' or '/ToUnicode' in font or font.get('/Encoding') != '/Identity-H':
            continue
        descendant = font['/DescendantFonts'][0].get_object()
        info = descendant.get('/CIDSystemInfo', {})
        ordering = str(info.get('/Ordering', ''))
        if str(info.get('/Registry', '')) != 'Adobe' or ordering not in COLLECTIONS:
            continue
        cidset = descendant['/FontDescriptor'].get_object().get('/CIDSet')
        if cidset is None:
            raise ToUnicodeError(f'{font["/BaseFont"]}: no /CIDSet to tell which glyphs the subset holds')
        yield number, ordering, cids_in(cidset.get_object().get_data())


def add_maps(reader: PdfReader, data: bytes, update) -> int:
    """Give every Adobe-Japan1 font its ToUnicode map, in the incremental ``update``
    (:class:`taiyaku.pdffinish.IncrementalUpdate`); how many."""
    todo = list(fonts_lacking_maps(reader, data))
    for number, ordering, cids in todo:
        stream = DecodedStreamObject()
        stream.set_data(cmap_stream(ordering, cids))
        stream = stream.flate_encode()
        font = update.get_object(number)
        assert isinstance(font, DictionaryObject)
        font[NameObject('/ToUnicode')] = update.add_object(stream)
    return len(todo)
