"""Bytes to text: UTF-8 (with or without a byte order mark), UTF-16 with a byte order
mark, or Shift_JIS/CP932 — the encoding of many Japanese government files — decoded
with a note in the report. Binary data and undecodable bytes are refused, naming the
line of the first bad byte."""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass, field

from taiyaku.importer.errors import ImportFailure
from taiyaku.importer.width import is_kana

CONTROL_OK = '\t\n\r\f\v'


@dataclass
class Decoded:
    text: str
    encoding: str
    notes: list[str] = field(default_factory=list)


def decode(data: bytes, path: str) -> Decoded:
    if not data:
        raise ImportFailure(path, 'the file is empty: nothing to import')
    for bom, encoding in ((codecs.BOM_UTF8, 'utf-8'), (codecs.BOM_UTF16_LE, 'utf-16-le'), (codecs.BOM_UTF16_BE, 'utf-16-be')):
        if data.startswith(bom):
            text = _strict(data[len(bom):], encoding, path)
            _refuse_binary(text, path)
            return Decoded(text, encoding, [f'{encoding.upper()} with a byte order mark; the mark is not part of the text'])
    nul = data.find(b'\x00')
    if nul >= 0:
        raise ImportFailure(path, f'binary file (a NUL byte at byte {nul}; UTF-16 needs a byte order mark): expected a PDF text extraction',
                            line=data.count(b'\n', 0, nul) + 1)
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode('cp932')
        except UnicodeDecodeError:
            line = data.count(b'\n', 0, utf8_error.start) + 1
            raise ImportFailure(path, f'byte 0x{data[utf8_error.start]:02x} is neither UTF-8 nor Shift_JIS/CP932: '
                                      'convert the file to UTF-8', line=line) from None
        if not any(is_kana(char) for char in text):
            line = data.count(b'\n', 0, utf8_error.start) + 1
            raise ImportFailure(path, f'not UTF-8 (byte 0x{data[utf8_error.start]:02x}), and read as Shift_JIS/CP932 '
                                      'it holds no Japanese kana: convert the file to UTF-8', line=line)
        _refuse_binary(text, path)
        return Decoded(text, 'cp932', ['decoded as Shift_JIS/CP932 (not UTF-8); the draft is written in UTF-8'])
    _refuse_binary(text, path)
    return Decoded(text, 'utf-8')


def _strict(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportFailure(path, f'invalid {encoding.upper()} at byte {exc.start}', line=data.count(b'\n', 0, exc.start) + 1) from None


def _refuse_binary(text: str, path: str) -> None:
    sample = text[:65536]
    controls = [i for i, char in enumerate(sample) if unicodedata.category(char) == 'Cc' and char not in CONTROL_OK]
    if len(controls) > max(8, len(sample) // 100):
        first = controls[0]
        raise ImportFailure(path, f'binary file ({len(controls)} control characters in the first {len(sample)} '
                                  'characters): expected the text extraction of a PDF', line=sample.count('\n', 0, first) + 1)
