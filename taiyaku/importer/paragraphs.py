"""Hard-wrapped lines joined into paragraphs.

Japanese text joins with nothing between lines; a space is kept where Latin words meet,
and, in text that sets numbers off with spaces (the footnotes: ``1956 年 10 月``), where
a number meets a Japanese word. Whether a line is full, or one full-width shorter (a
paragraph's indented first line), is measured against the column width inferred from
the text, allowing for proportional digits and for kinsoku: a line is full when its
slack is narrower than the unbreakable unit the next line starts with.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from taiyaku.importer.model import Anchor, Inline, Row
from taiyaku.importer.text import Text
from taiyaku.importer.width import ends_sentence, first_unit_width, is_japanese_letter, is_kanji, is_latin, narrow_count, width

FULL_SLACK = 0.9        # less slack than this and the line is full whatever follows
HANGING = '、。，．'    # punctuation that may hang past the end of a full line
KINSOKU_SLACK = 1.5     # more slack than this is not explained by a unit that would not fit

SPACED = re.compile(r'[\u3040-\u30ff\u4e00-\u9fff] [0-9A-Za-z]|[0-9A-Za-z] [\u3040-\u30ff\u4e00-\u9fff]')
TIGHT = re.compile(r'[\u3040-\u30ff\u4e00-\u9fff][0-9A-Za-z]|[0-9A-Za-z][\u3040-\u30ff\u4e00-\u9fff]')


@dataclass(frozen=True)
class Measure:
    """The text column's width, and how wide half-width characters really print.

    The column is the most common line width. Digits and Latin letters count ½, but
    proportional fonts set them wider: a full line with six digits can measure 19 of 20.
    How much wider is read off the text: each mid-paragraph line with half-width
    characters implies the width they would need to fill the column; the median of that
    (between ½ and 1) is taken as their printed width."""
    column: float
    narrow: float = 0.5

    @classmethod
    def of(cls, rows: list[Row]) -> Measure:
        # the column from lines of full-width characters only (digits and Latin print
        # proportionally) that do not end with punctuation hanging past the column
        plain = Counter(int(width(row.chars)) for row in rows if row.kind == 'text' and width(row.chars) >= 4
                        and not narrow_count(row.chars) and row.chars[-1] not in HANGING)
        counts = plain if sum(plain.values()) >= 8 else \
            Counter(round(width(row.chars)) for row in rows if row.kind == 'text' and width(row.chars) >= 4)
        column = float(counts.most_common(1)[0][0]) if counts else 20.0
        implied = []
        for row, following in zip(rows, rows[1:]):
            n = narrow_count(row.chars)
            if (n >= 2 and row.kind == following.kind == 'text' and not ends_sentence(row.chars)
                    and abs(width(row.chars) - column) < 3):
                implied.append((column - (width(row.chars) - 0.5 * n)) / n)
        narrow = sorted(implied)[len(implied) // 2] if implied else 0.5
        return cls(column, min(max(narrow, 0.5), 1.0))

    def width(self, row: Row) -> float:
        return width(row.chars) + (self.narrow - 0.5) * narrow_count(row.chars)


def slack(row: Row, measure: Measure, first: bool = False) -> float:
    expected = measure.column - (1 if first or row.indented else 0)      # a first line is indented, kept or not
    return expected - measure.width(row)


def is_full(row: Row, following: Row | None, measure: Measure, first: bool = False) -> bool:
    """Full, or short only because the next line's first unit would not fit (kinsoku) —
    which explains a short line, but not one as short as an indent and more."""
    room = slack(row, measure, first)
    if room < FULL_SLACK:
        return True
    return following is not None and room < leading_unit(following) and room <= KINSOKU_SLACK


def leading_unit(row: Row) -> float:
    """Width of what the row starts with that could not be broken: its first unit, or
    the whole kanji word when ruby stands over it (a ruby base is never broken)."""
    unit = first_unit_width(row.chars)
    run = 0
    while run < len(row.chars) and is_kanji(row.chars[run]):
        run += 1
    if any(0 < anchor.offset <= run for anchor in row.anchors):
        unit = max(unit, width(row.chars[:run]))
    return unit


SQUEEZABLE = '、。，．・「」『』（）'


def could_be_first(row: Row, measure: Measure) -> bool:
    """Would the row fit as an indented first line (a final 、 or 。 may hang outside; the
    space after punctuation inside the line may be squeezed to fit one character more)?"""
    room = slack(row, measure, first=True) + (1 if row.chars[-1:] in HANGING else 0)
    squeeze = 0.5 * min(2, sum(1 for char in row.chars[:-1] if char in SQUEEZABLE))
    return room + squeeze >= -0.01


def is_indented(row: Row, following: Row | None, measure: Measure) -> bool:
    """A paragraph's first line: an indent kept, or a line one full-width short of full."""
    return row.indented or not is_full(row, following, measure)


def spaced_numbers(text: str) -> bool:
    return len(SPACED.findall(text)) > len(TIGHT.findall(text))


def separator(left: str, right: str, spaced: bool) -> str:
    if not left or not right:
        return ''
    a, b = left[-1], right[0]
    if a.isdigit() and b.isdigit():
        return ''                    # a number broken across the line (20|09年) is one number
    if is_latin(a) and is_latin(b):
        return ' '
    if spaced and ((is_latin(a) and is_japanese_letter(b)) or (is_japanese_letter(a) and is_latin(b))):
        return ' '
    return ''


def join(rows: list[Row], spaced: bool | None = None) -> Inline:
    """One Inline from rows: their text joined, their ruby anchors carried along.
    ``spaced``: numbers are set apart from Japanese words (None: as the text does most)."""
    if spaced is None:
        spaced = spaced_numbers(''.join(row.chars for row in rows))
    parts: list[Text] = []
    anchors: list[Anchor] = []
    length = 0
    previous = ''
    for row in rows:
        gap = separator(previous, row.chars, spaced)
        if gap:
            parts.append(Text.added(gap, 'space where Latin words or spaced numbers meet across a line break', row.line))
            length += len(gap)
        anchors.extend(a.moved(a.offset + length) for a in row.anchors)
        parts.append(row.text)
        length += len(row.text)
        previous = row.chars
    return Inline(Text.join(parts), anchors)


def concat(inlines: list[Inline]) -> Inline:
    """Inlines one after the other, their anchors shifted along."""
    anchors, length = [], 0
    for inline in inlines:
        anchors.extend(a.moved(a.offset + length) for a in inline.anchors)
        length += len(inline.text)
    return Inline(Text.join(inline.text for inline in inlines), anchors)


def row_inline(row: Row, start: int = 0) -> Inline:
    """A row (from ``start``) as an Inline."""
    return Inline(row.text.slice(start), [a.moved(a.offset - start)
                                          for a in row.anchors if a.offset >= start])
