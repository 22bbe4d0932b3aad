"""Figures: photo captions and chart legends, and where each belongs in the text.

A photo caption is set wider than the text column, apart from the text; a chart is a
short title followed by a legend of space-separated items (``日本の輸出額 （億円）``).
The extraction drops them wherever the page put them, so each is placed after the
paragraph it is most about — character-bigram TF-IDF similarity between caption and
paragraph, discounted with the distance in the raw file (a figure stands within a page
or so of its text) — and every placement is listed in the report for confirmation.
"""

from __future__ import annotations

import bisect
import math
import re

from taiyaku.importer.furniture import blank_or_dropped, drop
from taiyaku.importer.ledger import Ledger
from taiyaku.importer.lines import next_filled
from taiyaku.importer.model import Figure, Inline, Paragraph, Row
from taiyaku.importer.paragraphs import join
from taiyaku.importer.similarity import Similarity
from taiyaku.importer.text import Text
from taiyaku.importer.width import OPENING, width

CAPTION_WIDTH = 1.25        # a caption line is this much wider than the text column
CAPTION_CONTINUES = 0.8     # a caption's next line follows a line at least this full
DECAY = 150                 # lines: about a page and a half of the two-column layout…
WINDOW = 3 * DECAY
DECAY_COLUMN = 20           # …of lines this wide (full-width characters): longer lines, fewer of them
UNSURE_MARGIN = 1.25        # the best placement must beat the next by this factor


def legend_items(row: Row) -> list[list[tuple[int, int]]] | None:
    """Items of a legend line, each a list of (start, end) tokens; None if not a legend."""
    if row.kind != 'text' or re.search(r'[、。]', row.chars):
        return None
    items: list[list[tuple[int, int]]] = []
    for match in re.finditer(r'\S+', row.chars):
        if row.chars[match.start()] in OPENING and items:
            items[-1].append(match.span())           # 日本の輸出額 （億円）: the unit stays with its item
        else:
            items.append([match.span()])
    return items if len(items) >= 2 else None


def legend_texts(row: Row, items: list[list[tuple[int, int]]], ledger: Ledger) -> list[Inline]:
    result = []
    previous_end = None
    for tokens in items:
        for start, end in tokens:
            if previous_end is not None:
                ledger.claim_text(row.text.slice(previous_end, start), 'whitespace', 'between chart legend items')
            previous_end = end
        result.append(Inline(Text.join(row.text.slice(start, end) for start, end in tokens)))
    if items:                       # the spaces a legend line starts or ends with are no item's
        ledger.claim_text(row.text.slice(0, items[0][0][0]), 'whitespace', 'around a chart legend line')
        ledger.claim_text(row.text.slice(items[-1][-1][1]), 'whitespace', 'around a chart legend line')
    return result


UNIT_ITEM = re.compile(r'^[^\s、。]{1,20}[（(][^（）()\s]{1,10}[）)]$')      # 日本の輸出額（億円）


def legend_above(rows: list[Row], ledger: Ledger, dropped: list[dict], column: float) -> None:
    """A chart whose legend stands inside its frame, above the caption (the project's own
    print layout): two or more lines of one item each, with its unit, then the title. The
    line just before them, after a sentence's end, is the picture's own text."""
    i = 0
    while i < len(rows):
        j = i
        while j < len(rows) and rows[j].kind == 'text' and UNIT_ITEM.match(rows[j].chars.strip()):
            j += 1
        title = rows[j] if j < len(rows) else None
        if j - i < 2 or title is None or title.kind != 'text' or re.search(r'[、。]', title.chars) \
                or width(title.chars) > column:
            i = max(j, i + 1)
            continue
        legend = [Inline(rows[k].text.slice(len(rows[k].chars) - len(rows[k].chars.lstrip()),
                                            len(rows[k].chars.rstrip()))) for k in range(i, j)]
        for k in range(i, j):
            rows[k].kind = 'consumed'
        title.kind = 'figure'
        title.payload = Figure('chart', join([title]), legend, (rows[i].line, title.line))
        before = i - 1
        if before > 0 and rows[before].kind == 'text' and not re.search(r'[、。]', rows[before].chars) \
                and width(rows[before].chars) <= column and rows[before - 1].kind == 'text' \
                and rows[before - 1].chars.rstrip().endswith('。'):
            drop(rows[before], ledger, "inside a figure (the picture's own text)", dropped)
        i = j + 1


def picture_texts(rows: list[Row], ledger: Ledger, dropped: list[dict]) -> None:
    """A line that comes back, word for word, right before two or more dated captions (a
    placeholder where a photo stands: 写真は本版には収録していません) is the picture's, not the text's."""
    before: dict[str, list[Row]] = {}
    for i, row in enumerate(rows):
        if row.kind == 'text' and not re.search(r'[、。]', row.chars) and dated_caption(rows, i + 1, alone=True):
            before.setdefault(re.sub(r'\s+', '', row.chars), []).append(row)
    for text, found in before.items():
        if len(found) >= 2:
            for row in found:
                drop(row, ledger, f"inside a figure (the picture's own text, before {len(found)} captions)", dropped)


def mark_charts(rows: list[Row], ledger: Ledger, column: float) -> None:
    for i, row in enumerate(rows):
        if row.kind != 'text' or width(row.chars) > column or re.search(r'[。、]$', row.chars):
            continue
        j = next_filled(rows, i)
        if not (blank_or_dropped(rows, i - 1) and j > i + 1 and legend_items(rows[j])):
            continue
        legend: list[Inline] = []
        last = i
        while j < len(rows) and (items := legend_items(rows[j])):
            legend += legend_texts(rows[j], items, ledger)
            rows[j].kind = 'consumed'
            last = j
            j += 1
        row.kind = 'figure'
        row.payload = Figure('chart', join([row]), legend, (row.line, rows[last].line))


DATED = re.compile(r'[（(][^（）()]*[0-9０-９]+\s*月\s*[0-9０-９]+\s*日[^（）()]*[）)]$')


def dated_caption(rows: list[Row], i: int, alone: bool = False) -> int:
    """A caption set in the column, the Bluebook's way: after a sentence's end, up to four
    lines without one, the last closing with its date and place in brackets
    (…（2031年5月12日、ノルウェー・トロムソ）). Returns the index after it, or 0.
    ``alone``: whatever stands before it."""
    from taiyaku.importer.width import ends_sentence
    if not alone and i > 0 and rows[i - 1].kind == 'text' and not ends_sentence(rows[i - 1].chars):
        return 0
    text = ''
    for j in range(i, min(i + 4, len(rows))):
        if rows[j].kind != 'text' or ends_sentence(rows[j].chars):
            return 0
        text += rows[j].chars.replace(' ', '')
        if DATED.search(text):
            return j + 1
    return 0


def mark_photos(rows: list[Row], column: float) -> None:
    for i, row in enumerate(rows):
        if row.kind != 'text':
            continue
        end = dated_caption(rows, i)
        if end:
            for consumed in rows[i + 1:end]:
                consumed.kind = 'consumed'
            row.kind = 'figure'
            row.payload = Figure('photo', join(rows[i:end]), [], (row.line, rows[end - 1].lines[-1]))
            continue
        if width(row.chars) <= CAPTION_WIDTH * column:
            continue
        if i > 0 and rows[i - 1].kind == 'text' and not blank_or_dropped(rows, i - 1):
            continue
        block = [row]
        j = i + 1
        while (j < len(rows) and rows[j].kind == 'text'
               and width(block[-1].chars) >= CAPTION_CONTINUES * width(row.chars)):
            block.append(rows[j])
            j += 1
        for consumed in block[1:]:
            consumed.kind = 'consumed'
        row.kind = 'figure'
        row.payload = Figure('photo', join(block), [], (row.line, block[-1].lines[-1]))


# -- placement ----------------------------------------------------------------------------

def figure_text(figure: Figure) -> str:
    return figure.caption.text.chars + ''.join(item.text.chars for item in figure.legend)


def place(figures: list[tuple[Figure, Paragraph | None]], paragraphs: list[Paragraph],
          column: float = DECAY_COLUMN) -> tuple[list[dict], list[Figure]]:
    """Put each figure after the paragraph it is most about; report each placement.

    ``figures`` pairs each figure with the paragraph it followed in the raw reading
    order, the fallback when no paragraph near it shares its words."""
    similarity = Similarity(p.body.text.chars for p in paragraphs)
    vectors = [similarity.vector(p.body.text.chars) for p in paragraphs]
    order = sorted(range(len(paragraphs)), key=lambda k: paragraphs[k].lines[0])
    starts = [paragraphs[k].lines[0] for k in order]
    rows = [sorted(line for row in p.rows for line in row.lines) for p in paragraphs]
    report, unplaced = [], []
    for figure, fallback in figures:
        line = figure.lines[0]
        mine = similarity.vector(figure_text(figure))
        scored = []
        scale = DECAY_COLUMN / max(column, DECAY_COLUMN)
        window, decay = WINDOW * scale, DECAY * scale
        for k in order[bisect.bisect_left(starts, line - 2 * window):bisect.bisect_right(starts, line + window)]:
            at = bisect.bisect_left(rows[k], line)       # distance to the paragraph's nearest line
            distance = min(abs(rows[k][i] - line) for i in (at - 1, at) if 0 <= i < len(rows[k]))
            if distance <= window:
                scored.append((Similarity.cosine(mine, vectors[k]) * math.exp(-distance / decay), k))
        scored.sort(key=lambda s: (-s[0], s[1]))
        entry = {'kind': figure.kind, 'caption': figure.caption.text.chars, 'lines': list(figure.lines)}
        if scored and scored[0][0] > 0:
            best, k = scored[0]
            target = paragraphs[k]
            entry.update(after_paragraph=paragraph_ref(target), score=round(best, 4))
            if len(scored) > 1:
                entry['runner_up'] = {**paragraph_ref(paragraphs[scored[1][1]]), 'score': round(scored[1][0], 4)}
                if best < UNSURE_MARGIN * scored[1][0]:
                    entry['unsure'] = 'another paragraph is almost as close a match: confirm the placement'
        else:
            target = fallback
            entry['unsure'] = 'no paragraph near it shares its words: left where the raw text has it'
            if target is not None:
                entry['after_paragraph'] = paragraph_ref(target)
        if target is not None:
            target.figures.append(figure)
        else:
            entry['unsure'] = 'no paragraph to place it after: it ends its section'
            unplaced.append(figure)
        report.append(entry)
    return report, unplaced


def paragraph_ref(paragraph: Paragraph) -> dict:
    return {'lines': list(paragraph.lines), 'starts': paragraph.body.text.chars[:20]}
