"""The raw text as lines, and the lines as rows: whitespace at either end claimed and set
aside, blank lines marked."""

from __future__ import annotations

from taiyaku.importer.ledger import Ledger
from taiyaku.importer.model import Row
from taiyaku.importer.text import Text

IDEOGRAPHIC_SPACE = '\u3000'
TRAILING = ''.join(chr(c) for c in range(0x3000) if chr(c).isspace())    # every space but the ideographic


def split_lines(text: str) -> tuple[list[str], list[str]]:
    """Lines without their terminators, and the terminators (\\n, \\r\\n, \\r or none)."""
    lines, terminators = [], []
    start = 0
    length = len(text)
    while start < length:
        end = text.find('\n', start)
        if end < 0:
            end = length
        stop = end
        if stop > start and text[stop - 1] == '\r':
            stop -= 1
        lines.append(text[start:stop])
        terminators.append(text[stop:end + 1] if end < length else text[stop:end])
        start = end + 1
    return lines, terminators


def rows(lines: list[str], ledger: Ledger) -> list[Row]:
    result = []
    for number, line in enumerate(lines, start=1):
        core = line.strip()
        if not core:
            ledger.claim(number, 0, len(line), 'whitespace', 'blank line')
            result.append(Row(Text(), (number,), kind='blank'))
            continue
        lead = len(line) - len(line.lstrip())
        end = len(line.rstrip(TRAILING))      # a full-width space at the end is text (横浜　|写真提供)
        leading = line[:lead]
        ledger.claim(number, 0, lead, 'whitespace', 'indent' if IDEOGRAPHIC_SPACE in leading else 'space at line start')
        ledger.claim(number, end, len(line) - end, 'whitespace', 'space at line end')
        result.append(Row(Text.source(number, lead, line[lead:end]), (number,), indented=IDEOGRAPHIC_SPACE in leading))
    return result


def is_blank(rows: list[Row], index: int) -> bool:
    """Outside the file counts as blank: the first and last rows are isolated from nothing."""
    return not 0 <= index < len(rows) or rows[index].kind == 'blank'


def isolated(rows: list[Row], first: int, last: int | None = None) -> bool:
    return is_blank(rows, first - 1) and is_blank(rows, (first if last is None else last) + 1)


def next_filled(rows: list[Row], index: int, step: int = 1) -> int:
    """Index of the nearest non-blank row after (or before, step=-1) ``index``; -1 if none."""
    index += step
    while 0 <= index < len(rows):
        if rows[index].kind != 'blank':
            return index
        index += step
    return -1
