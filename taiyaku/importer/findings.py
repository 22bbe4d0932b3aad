"""The PDF front end's findings (LineFacts) turned into what the shared stages expect:
the same row kinds and payloads the text classifiers make — furniture dropped with its
reason, readings anchored over their bases, footnote bodies, headings, figures — and
raised footnote numbers noted where they stand. What the text front end has to guess
from the text, a PDF's layout says; the stages after this one are the same for both.
"""

from __future__ import annotations


from taiyaku.importer import headings
from taiyaku.importer.furniture import drop
from taiyaku.importer.ledger import Ledger
from taiyaku.importer.model import Anchor, Figure, Footnote, Heading, Inline, Row
from taiyaku.importer.paragraphs import concat, join, row_inline
from taiyaku.importer.text import Text

GAP = 'space for a gap between words in the PDF'
HOUSE = 'space where a number or Latin word meets a Japanese word in a note or heading (the house style)'


def apply(rows: list[Row], ledger: Ledger, dropped: list[dict]) -> Text | None:
    """Classify the rows by their facts; returns the cover title the title page shows, if any."""
    by_line = {row.line: row for row in rows if row.kind != 'blank'}
    for row in rows:
        if row.facts is not None and row.facts.spaces:
            insert_spaces(row)
    cover = None
    for row in rows:
        facts = row.facts
        if facts is None:
            continue
        if facts.role == 'furniture':
            drop(row, ledger, facts.reason, dropped)
            dropped[-1]['page'] = facts.page
        elif facts.role == 'cover':
            row.kind = 'cover'
            cover = row.text
        elif facts.role == 'reading':
            host = by_line[facts.host]
            start = offset_of(host, facts.base[0])
            end = offset_of(host, facts.base[1])
            host.anchors.append(Anchor(start, row.text, True, end - start, tuple(facts.parts)))
            host.lines += row.lines
            row.kind = 'reading'
        elif facts.raised:
            row.markers = [(row.line, col, length) for col, length in runs(facts.raised)]
    notes(rows, ledger)
    heads(rows, ledger)
    figures(rows, ledger)
    return cover


def insert_spaces(row: Row) -> None:
    facts = row.facts
    parts, position = [], 0
    for col in facts.spaces:
        at = offset_of(row, col)
        if not 0 < at < len(row.text):
            continue
        latin = row.chars[at - 1].isascii() and row.chars[at].isascii()
        parts.append(row.text.slice(position, at))
        parts.append(Text.added(' ', GAP if latin else HOUSE, row.line))
        position = at
    parts.append(row.text.slice(position))
    row.text = Text.join(parts)


def offset_of(row: Row, col: int) -> int:
    """Where the row's column ``col`` (in the input line) now stands in its text."""
    for span in row.text.spans:
        if not span.added and span.col <= col < span.col + span.length:
            return span.offset + col - span.col
    return len(row.text)


def runs(columns: list[int]) -> list[tuple[int, int]]:
    result: list[list[int]] = []
    for col in columns:
        if result and result[-1][0] + result[-1][1] == col:
            result[-1][1] += 1
        else:
            result.append([col, 1])
    return [(col, length) for col, length in result]


def notes(rows: list[Row], ledger: Ledger) -> None:
    """A note starts with its number; the small lines after it, to the next number, go on
    with it (across a column or a page, when the note was continued there)."""
    current: tuple[Row, list[Row], int, Text] | None = None

    def close():
        if current is not None:
            first, block, number, label = current
            first.kind = 'footnote'
            first.payload = Footnote(number, label, join(block, spaced=True), (first.line, block[-1].lines[-1]))

    for row in rows:
        role = row.facts.role if row.facts else ''
        if role == 'note-start':
            close()
            end = offset_of(row, row.text.spans[0].col + row.facts.label) if row.text.spans else 0
            cut = end
            while cut < len(row.chars) and row.chars[cut] in ' \u3000':
                cut += 1
            label = row.text.slice(0, end)
            ledger.claim_text(label, 'footnote-label')
            ledger.claim_text(row.text.slice(end, cut), 'whitespace', 'after a footnote number')
            body = Row(row.text.slice(cut), row.lines, [a.moved(a.offset - cut) for a in row.anchors if a.offset >= cut])
            digits = ''.join(c for c in label.chars if c.isdigit())
            current = (row, [body], int(digits or 0), label)
        elif role == 'note':
            if current is None:
                row.facts.role = 'small'          # a small line before any note: text after all
                continue
            current[1].append(row)
            row.kind = 'consumed'
    close()


def heads(rows: list[Row], ledger: Ledger) -> None:
    """Heading lines: one heading from a line that opens with a heading's number and the
    lines of the same size that go on with it (第３節 / 北極をめぐる国際協力)."""
    i = 0
    while i < len(rows):
        row = rows[i]
        if not row.facts or row.facts.role != 'heading' or row.kind != 'text':
            i += 1
            continue
        group = [row]
        j = i + 1
        while j < len(rows) and rows[j].facts and rows[j].facts.role == 'heading' \
                and rows[j].facts.size == row.facts.size and rows[j].facts.page == row.facts.page \
                and not headings.pattern_heading(rows[j]) and not headings.TITLED.match(rows[j].chars) \
                and row.facts.box[1] - rows[j].facts.box[3] < 2.5 * (row.facts.box[3] - row.facts.box[1]):
            group.append(rows[j])
            j += 1
        titled = headings.TITLED.match(row.chars)
        if titled:
            rank = headings.SECTION if titled[2] == '節' else headings.CHAPTER
            number_end = titled.end(2)
            parts = [Inline(row.text.slice(0, number_end))]
            ledger.claim_text(row.text.slice(number_end, titled.start(3)), 'whitespace', 'in a heading')
            rest = [row_inline(row, titled.start(3))] if titled[3] else []
            if len(group) > 1:
                rest.append(join(group[1:]))
            if rest:
                parts += [Inline(Text.added('\u3000', 'space between heading number and title', row.line))]
                parts += rest
            heading = Heading(rank, headings.number_value(titled[1]), concat(parts), (row.line, group[-1].line))
        else:
            found = headings.pattern_heading(row)
            body = join(group)
            if found:
                rank, match = found
                number = (headings.number_value(match[1]) if rank != headings.KANA
                          else headings.ENUMERATORS.index(match[1]) + 1)
            else:
                rank, number = headings.DIVISION, None
            heading = Heading(rank, number, body, (row.line, group[-1].line))
        row.kind, row.payload = 'heading', heading
        for other in group[1:]:
            other.kind = 'consumed'
        i = j


def figures(rows: list[Row], ledger: Ledger) -> None:
    """A caption, and its legend items, after it or inside its frame (a bullet each, dropped)."""
    i = 0
    while i < len(rows):
        row = rows[i]
        if not row.facts or row.facts.role not in ('caption', 'legend') or row.kind != 'text':
            i += 1
            continue
        caption, legend = [], []
        j = i
        while j < len(rows) and rows[j].facts and rows[j].facts.role in ('caption', 'legend') and rows[j].kind == 'text' \
                and rows[j].facts.figure == row.facts.figure:
            if rows[j].facts.role == 'caption' and not (caption and legend):
                caption.append(rows[j])         # before its legend, or after the legend inside its frame
            elif rows[j].facts.role == 'legend':
                legend.append(rows[j])
            else:
                break
            j += 1
        items = []
        for item in legend:
            cut = 1 if item.chars.startswith('•') else 0     # a key drawn as a box is no character
            while cut < len(item.chars) and item.chars[cut] in ' \u3000':
                cut += 1
            ledger.claim_text(item.text.slice(0, cut), 'furniture', 'a legend item\'s bullet')
            items.append(row_inline(item, cut))
            item.kind = 'consumed'
        first = caption[0] if caption else legend[0]
        body = join(caption) if caption else Inline(Text())
        for other in caption[1:]:
            other.kind = 'consumed'
        first.kind = 'figure'
        first.payload = Figure('chart' if items else 'photo', body, items, (first.line, rows[j - 1].lines[-1]))
        i = j
