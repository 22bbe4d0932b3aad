"""Footnotes: bodies dumped between the columns, numbers loose in the text.

A body starts with its number and a tab (``5<TAB> 1995 年 3 月…``) and runs, across its own
wraps, to the line that ends its last sentence short. A reference is a number after a
word, set off by a space (`` 5、``) or straight after a closing bracket (``」8の``); it is
a reference only when a body with that number exists, and after a bracket only when it
is the next number in sequence. Each body goes right after the paragraph citing it.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque

from taiyaku.importer.ledger import Ledger
from taiyaku.importer.model import Footnote, FootnoteRef, Inline, Paragraph, Row
from taiyaku.importer.paragraphs import join, spaced_numbers
from taiyaku.importer.width import ends_sentence, width

START = re.compile(r'^(\d{1,3})(\t[\t ]*|[ \u3000]+)(?=\S)')
SPACED_MARKER = re.compile(r'(?<=[^\s0-9A-Za-z.,])( )([0-9]{1,3})(?![0-9.,\s])')
# (a number alone on its line, joined with a space before a particle: 」8 の)
BRACKET_MARKER = re.compile(r'(?<=[」』）)])()([0-9]{1,3})(?:(?![0-9.,\s])|(?= [\u3041-\u309f]))')
# 評議会1の / 協定2 の / コード3（at a line end): a number glued to a word, then a particle, punctuation or a break
GLUED_MARKER = re.compile(r'(?<=[\u3041-\u309f\u4e00-\u9fff\u30a0-\u30ff々])(?<!分の)()([0-9]{1,3})(?=[\u3041-\u309f、。，．）」』 ]|$)')
FOOTNOTE_MEASURE = 1.5      # a footnote line without a tab is at least this much wider than the column


def footnote_start(row: Row, column: float, expected: int, cited: bool = False) -> re.Match | None:
    """``cited``: a reference to the next number stands in the text before this row."""
    match = START.match(row.chars) if row.kind == 'text' else None
    if not match:
        return None
    if '\t' in match[2] or (int(match[1]) == expected and width(row.chars) > FOOTNOTE_MEASURE * column):
        return match
    if cited and int(match[1]) == expected and (width(row.chars) > column + 1 or ends_sentence(row.chars)):
        return match                # 1 北極圏に…: set after a space, and no heading (it reads on, as a note does)
    return None


def cited_before(rows: list[Row]) -> dict[int, int]:
    """For each footnote number, the first row where a reference to it may stand."""
    first: dict[int, int] = {}
    for index, row in enumerate(rows):
        if row.kind != 'text':
            continue
        if re.fullmatch(r'[0-9]{1,3}', row.chars) and index and rows[index - 1].kind == 'text':
            first.setdefault(int(row.chars), index)       # a number alone on its line, after a word
        for pattern in (SPACED_MARKER, BRACKET_MARKER, GLUED_MARKER):
            for match in pattern.finditer(row.chars):
                first.setdefault(int(match[2]), index)
    return first


def mark_footnotes(rows: list[Row], ledger: Ledger, column: float) -> None:
    last = 0
    i = 0
    cited = cited_before(rows)
    blocks: dict[int, list[Row]] = {}
    while i < len(rows):
        row = rows[i]
        match = footnote_start(row, column, last + 1, cited.get(last + 1, len(rows)) < i)
        if not match:
            i += 1
            continue
        cut = match.end()
        ledger.claim_text(row.text.slice(match.end(1), cut), 'whitespace', 'after a footnote number')
        label = row.text.slice(0, match.end(1))
        ledger.claim_text(label, 'footnote-label')
        block = [Row(row.text.slice(cut), row.lines, [a.moved(a.offset - cut) for a in row.anchors])]
        measure = width(row.chars)
        previous = row
        j = i + 1
        while j < len(rows) and rows[j].kind == 'text':
            at_page_end = j + 1 >= len(rows) or rows[j + 1].kind == 'furniture'
            if ends_sentence(previous.chars) and (footnote_start(rows[j], column, int(match[1]) + 1,
                                                                 cited.get(int(match[1]) + 1, len(rows)) < j)
                                                  or width(previous.chars) < 0.8 * measure
                                                  or (width(rows[j].chars) <= column + 1.5
                                                      and not (at_page_end and ends_sentence(rows[j].chars)))):
                break
            if START.match(rows[j].chars) and '\t' in START.match(rows[j].chars)[2]:
                break
            block.append(rows[j])
            rows[j].kind = 'consumed'
            previous = rows[j]
            j += 1
        last = int(match[1])
        row.kind = 'footnote'
        row.payload = Footnote(last, label, join(block), (row.line, block[-1].lines[-1]))
        blocks[id(row)] = block
        i = j
    carried_over(rows, blocks, column)


def carried_over(rows: list[Row], blocks: dict[int, list[Row]], column: float) -> None:
    """A note that breaks off at a page's foot goes on at the head of the next page's notes:
    lines as wide as the notes, with no number, after it — they are its own."""
    note = None
    for k, row in enumerate(rows):
        if row.kind == 'footnote':
            note = row
            continue
        if row.kind != 'text' or note is None or ends_sentence(note.payload.body.text.chars) \
                or width(row.chars) <= FOOTNOTE_MEASURE * column or START.match(row.chars):
            continue
        block = blocks[id(note)]
        j = k
        while j < len(rows) and rows[j].kind == 'text' and (j == k or not ends_sentence(rows[j - 1].chars)):
            block.append(rows[j])
            rows[j].kind = 'consumed'
            j += 1
        note.payload.body = join(block)
        note.payload.lines = (note.payload.lines[0], block[-1].lines[-1])


def link(paragraphs: list[Paragraph], footnotes: list[Footnote], ledger: Ledger) -> tuple[list[dict], list[dict]]:
    """Turn loose numbers into references to the footnote bodies, in reading order.

    Returns the report's footnote links, and its uncertainties (numbers that look like
    references but have no body, bodies nobody cites)."""
    available: dict[int, deque[Footnote]] = defaultdict(deque)
    for footnote in footnotes:
        available[footnote.number].append(footnote)
    links, doubts = [], []
    last = 0
    for paragraph in paragraphs:
        inline = paragraph.body
        text = inline.text.chars
        accepted = []
        if any(row.facts is not None for row in paragraph.rows):
            for row in paragraph.rows:                # raised digits, where the PDF set them
                for line, col, length in row.markers:
                    start = offset_in(inline.text, line, col)
                    if start is None:
                        continue
                    number = int(text[start:start + length].lstrip('*†‡') or 0)
                    if available[number]:
                        accepted.append(((start, start, start + length), available[number].popleft()))
                    else:
                        doubts.append({'line': line, 'text': text[max(0, start - 10):start + length + 5],
                                       'unsure': f'a raised "{text[start:start + length]}" looks like a footnote '
                                                 f'reference, but no footnote {number} is left'})
            candidates = []
        else:
            candidates = sorted([(m, 'spaced') for m in SPACED_MARKER.finditer(text)]
                                + [(m, 'bracket') for m in BRACKET_MARKER.finditer(text)]
                                + [(m, 'glued') for m in GLUED_MARKER.finditer(text)], key=lambda c: c[0].start(2))
        for match, form in candidates:
            number = int(match[2])
            if available[number] and (form == 'spaced' or number == last + 1):
                accepted.append(((match.start(), match.start(2), match.end()), available[number].popleft()))
                last = number
            elif form == 'spaced' and not spaced_numbers(text):
                line, _ = inline.text.where(match.start(2))
                doubts.append({'line': line, 'text': text[max(0, match.start() - 10):match.end() + 5],
                               'unsure': f'"{match[0]}" looks like a footnote reference, but no footnote {number} is left'})
        for where, footnote in sorted(accepted, key=lambda a: -a[0][0]):     # from the end: offsets before stay valid
            remove_marker(inline, where, footnote, ledger)
            paragraph.footnotes.insert(0, footnote)
            footnote.cited = True
        for ref in inline.refs:
            footnote = ref.footnote
            line, _ = ref.marker.where()
            links.append({'number': footnote.number, 'reference_line': line,
                          'after': inline.text.chars[max(0, ref.offset - 12):ref.offset],
                          'body_lines': list(footnote.lines), 'body_starts': footnote.body.text.chars[:20]})
    return links, doubts


def offset_in(text, line: int, col: int) -> int | None:
    for span in text.spans:
        if not span.added and span.line == line and span.col <= col < span.col + span.length:
            return span.offset + col - span.col
    return None


def remove_marker(inline: Inline, where: tuple[int, int, int], footnote: Footnote, ledger: Ledger) -> None:
    start, digits_start, end = where
    ledger.claim_text(inline.text.slice(start, digits_start), 'whitespace', 'before a footnote reference')
    marker = inline.text.slice(digits_start, end)
    ledger.claim_text(marker, 'footnote-ref')
    removed = end - start
    inline.text = inline.text.slice(0, start) + inline.text.slice(end)
    inline.anchors = [a.moved(a.offset - removed if a.offset >= end else min(a.offset, start))
                      for a in inline.anchors]
    for ref in inline.refs:
        if ref.offset >= end:
            ref.offset -= removed
    inline.refs.insert(0, FootnoteRef(start, footnote, marker))
