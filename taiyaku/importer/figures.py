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

from taiyaku.importer.furniture import blank_or_dropped
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
    return result


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


def dated_caption(rows: list[Row], i: int) -> int:
    """A caption set in the column, the Bluebook's way: after a sentence's end, up to three
    lines without one, the last closing with its date and place in brackets
    (…（2031年5月12日、ノルウェー・トロムソ）). Returns the index after it, or 0."""
    from taiyaku.importer.width import ends_sentence
    if i > 0 and rows[i - 1].kind == 'text' and not ends_sentence(rows[i - 1].chars):
        return 0
    text = ''
    for j in range(i, min(i + 3, len(rows))):
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
