"""The text front end: what a tool's text extraction shows of the page, read before the
classifiers see the rows.

Extractors differ (pdftotext with and without ``-raw``, pdfminer.six's pdf2txt.py, PDFium,
the 2011 file's own tool), but they leave the same traces:

- **pages**: a form feed where a page begins (poppler, pdfminer), or a marker line of
  the tool's own (``# Page 2``, pypdfium2); the markers are the tool's, not the text's;
- **furniture** at the edges of each page: the lines that come back on page after page
  (running heads, folios, with their numbers changing) and the chapter tab, one
  character a line; on a single page, a folio is a short line of a number and a title;
- **line pieces**: a tool that breaks a printed line where justification opened a wide
  gap (``128 メートル、`` / ``総トン数約…``) leaves two short rows that fill the column
  together: they are one line again.

Nothing changes for an extraction that shows none of these (the 2011 seed).
"""

from __future__ import annotations

import re
from collections import defaultdict

from taiyaku.importer.furniture import drop
from taiyaku.importer.headings import pattern_heading
from taiyaku.importer.ledger import Ledger
from taiyaku.importer.model import Row
from taiyaku.importer.paragraphs import Measure
from taiyaku.importer.ruby import join_rows
from taiyaku.importer.width import ends_sentence, is_hiragana, is_japanese_letter, is_kana, width

TOOL_PAGE = re.compile(r'^#\s*Page\s+\d+$')
EDGE = 5                   # lines at the head and at the foot of a page where furniture stands
FOLIO_LINE = re.compile(r'^[0-9０-９]{1,4}\s*[^\s0-9０-９、。].{0,24}$|^.{1,24}[^\s0-9０-９、。]\s*[0-9０-９]{1,4}$')
SENTENCE_MARKS = re.compile(r'[、。，．]')


def pages_of(lines: list[str], rows: list[Row], ledger: Ledger, dropped: list[dict]) -> list[list[Row]]:
    """The rows page by page, from form feeds or the tool's page markers (one page if none)."""
    pages: list[list[Row]] = [[]]
    for row in rows:
        line = lines[row.line - 1]
        if row.kind == 'text' and TOOL_PAGE.match(row.chars):
            drop(row, ledger, 'page marker of the extracting tool', dropped)
            if pages[-1]:
                pages.append([])
            continue
        if line.startswith('\f') and pages[-1]:
            pages.append([])
        pages[-1].append(row)
    return [page for page in pages if any(row.kind == 'text' for row in page)]


def shape(text: str) -> str:
    """A line as it repeats from page to page: numbers and spaces aside."""
    return re.sub(r'[0-9０-９]+', '#', re.sub(r'\s+', '', text))


def edges(page: list[Row]) -> list[Row]:
    text = [row for row in page if row.kind == 'text']
    return text[:EDGE] + [row for row in text[-EDGE:] if row not in text[:EDGE]]


def prepare(lines: list[str], rows: list[Row], ledger: Ledger, dropped: list[dict]) -> list[Row]:
    before = len(dropped)
    pages = pages_of(lines, rows, ledger, dropped)
    if len(pages) == 1 and len(dropped) == before and not any(line.startswith('\f') for line in lines):
        return rows                      # no page shows: the text as it is (the 2011 seed)
    furniture(pages, ledger, dropped)
    return merge_pieces(rows)


def furniture(pages: list[list[Row]], ledger: Ledger, dropped: list[dict]) -> None:
    seen: dict[str, set[int]] = defaultdict(set)
    for number, page in enumerate(pages):
        for row in edges(page):
            seen[shape(row.chars)].add(number)
    column = Measure.of([row for page in pages for row in page]).column
    for number, page in enumerate(pages):
        for row in edges(page):
            key = shape(row.chars)
            if row.kind != 'text' or len(key) < 2 or SENTENCE_MARKS.search(row.chars) or width(row.chars) > column + 2:
                continue
            repeated = len(seen[key]) >= 2 and (len(seen[key]) >= 0.5 * len(pages) or not pattern_heading(row))
            if repeated:
                numbered = re.search(r'[0-9０-９]', re.sub(r'第\s*[0-9０-９一二三四五六七八九十]+\s*[章節部]', '', row.chars))
                reason = 'folio (page number)' if numbered else 'running head'
                drop(row, ledger, f'{reason}, on {len(seen[key])} pages', dropped)
            elif len(pages) == 1 or len(seen[key]) == 1:
                if FOLIO_LINE.match(row.chars.strip()) and row in [r for r in page if r.kind == 'text'][-3:] \
                        and any(is_japanese_letter(c) for c in row.chars):
                    drop(row, ledger, 'folio (page number)', dropped)
        chapter_tab(page, ledger, dropped)


def chapter_tab(page: list[Row], ledger: Ledger, dropped: list[dict]) -> None:
    """One character a line, two or more in a row (blank lines between allowed): the tab.
    Its characters standing alone elsewhere on the page are the tab cut apart."""
    text = [row for row in page if row.kind == 'text']
    runs, current = [], []
    for row in text:
        if len(row.chars) == 1 and not is_kana(row.chars) and row.chars not in '。、':
            current.append(row)
        else:
            if len(current) >= 2:
                runs.append(current)
            current = []
    if len(current) >= 2:
        runs.append(current)
    tab_chars = set()
    for run in runs:
        word = ''.join(row.chars for row in run)
        tab_chars |= set(word)
        for row in run:
            drop(row, ledger, f'chapter tab «{word}» (vertical text)', dropped)
    for k, row in enumerate(text):
        if row.kind == 'text' and len(row.chars) == 1 and row.chars in tab_chars:
            neighbours = [text[j].chars for j in (k - 1, k + 1) if 0 <= j < len(text)]
            if not any(all(map(is_hiragana, n)) for n in neighbours if n):     # not a base between its readings
                drop(row, ledger, 'chapter tab (a character of it, cut apart)', dropped)


def merge_pieces(rows: list[Row]) -> list[Row]:
    """Two short rows that fill the column together, the first not ending a sentence:
    one printed line the extractor broke at a wide gap."""
    measure = Measure.of(rows)
    out: list[Row] = []
    for row in rows:
        previous = out[-1] if out else None
        if (previous is not None and previous.kind == row.kind == 'text' and not previous.anchors and not row.anchors
                and not ends_sentence(previous.chars) and previous.chars[-1:] in '、，,）」'
                and measure.width(previous) < measure.column - 2
                and abs(measure.width(previous) + measure.width(row) - measure.column) <= 0.75):
            join_rows(previous, row)
            continue
        out.append(row)
    return out
