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
from collections import Counter, defaultdict

from taiyaku.importer.furniture import APPARATUS, LEADERS, drop
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
LISTED_PAGE = re.compile(r'^(\S{1,4}?)\s*([0-9]{1,4})\s*\S{0,4}\s*[.…‥・]')    # 原本 96 ページ . . . 1
BARE_FOLIO = re.compile(r'^(?:[0-9０-９]{1,4}|[ivxlc]{1,7})$')


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


def whole_pages(pages: list[list[Row]], ledger: Ledger, dropped: list[dict]) -> list[list[Row]]:
    """Pages that hold no text of the section: the title page (the first, a few lines and no
    sentence), a table of contents (lines ending in leaders and a page number), the
    publication's own apparatus (a page opening with 目次, 奥付, この版での変更…). The pages
    left are returned."""
    kept = []
    for number, page in enumerate(pages):
        text = [row for row in page if row.kind == 'text']
        reason = ''
        if number == 0 and len(pages) > 2 and len(text) <= 8 and not any('。' in row.chars for row in text) \
                and all(len(row.chars) <= 40 for row in text):
            reason = 'title page'
        elif sum(1 for row in text if LEADERS.search(row.chars)) >= 3:
            reason = 'table of contents'
        elif text and (opening := re.sub(r'\s+', '', text[0].chars)) in APPARATUS:
            reason = f"the publication's apparatus ({opening})"
        if not reason:
            kept.append(page)
            continue
        for row in text:
            drop(row, ledger, reason, dropped)
    return kept


def bare_folios(pages: list[list[Row]], ledger: Ledger, dropped: list[dict]) -> None:
    """A number alone (arabic or roman) as the last line of most pages, or the first: folios."""
    for end in (-1, 0):
        ends = [text[end] for page in pages if (text := [row for row in page if row.kind == 'text'])]
        folios = [row for row in ends if BARE_FOLIO.match(row.chars.strip())]
        if len(folios) >= 2 and len(folios) >= 0.5 * len(pages):
            for row in folios:
                drop(row, ledger, f'folio (page number), on {len(folios)} pages', dropped)


def original_page_marks(pages: list[list[Row]], ledger: Ledger, dropped: list[dict]) -> None:
    """The original's pages a re-edition shows in its margin (``原本 96``), when its contents
    list them (``原本 96 ページ ……… 1``): each mark is dropped, and the page said to begin
    at the line the mark stands beside — the line before it, or the line it is glued to."""
    listed: dict[str, set[int]] = defaultdict(set)
    for page in pages:
        for row in page:
            entry = LISTED_PAGE.match(row.chars.strip())
            if row.kind == 'text' and entry and LEADERS.search(row.chars):
                listed[entry[1]].add(int(entry[2]))
    listed = {label: numbers for label, numbers in listed.items() if len(numbers) >= 2}
    if not listed:
        return
    labels = '|'.join(map(re.escape, listed))
    alone, glued = re.compile(rf'^({labels})\s*([0-9]{{1,4}})$'), re.compile(rf'\s+({labels})\s*([0-9]{{1,4}})$')
    for page in pages:
        text = [row for row in page if row.kind == 'text']
        for k, row in enumerate(text):
            mark = alone.match(row.chars.strip()) or glued.search(row.chars)
            if not mark or int(mark[2]) not in listed[mark[1]]:
                continue
            reason = "the original's page (its number in the margin)"
            if mark.re is alone:
                if k == 0:
                    continue
                beside = text[k - 1]
                drop(row, ledger, reason, dropped)
            else:
                beside = row
                ledger.claim_text(row.text.slice(mark.start()), 'furniture', reason)
                dropped.append({'line': row.line, 'text': row.chars[mark.start():].strip(), 'reason': reason})
                row.text = row.text.slice(0, mark.start())
            dropped[-1].update(original_page=int(mark[2]), beside=beside.line)


def furniture(pages: list[list[Row]], ledger: Ledger, dropped: list[dict]) -> None:
    original_page_marks(pages, ledger, dropped)
    pages = whole_pages(pages, ledger, dropped)
    bare_folios(pages, ledger, dropped)
    seen: dict[str, set[int]] = defaultdict(set)
    exact: dict[str, set[int]] = defaultdict(set)
    for number, page in enumerate(pages):
        for row in edges(page):
            seen[shape(row.chars)].add(number)
            exact[re.sub(r'\s+', '', row.chars)].add(number)
    column = Measure.of([row for page in pages for row in page]).column
    for number, page in enumerate(pages):
        for row in edges(page):
            key = shape(row.chars)
            if row.kind != 'text' or len(key) < 2:
                continue
            same = exact[re.sub(r'\s+', '', row.chars)]
            if len(same) >= 3 and len(same) >= 0.5 * len(pages):
                # the same line, word for word, at the edge of most pages: a running head even if
                # it holds a comma or spans both columns (外交青書 2011 第５節 ロシア、中央アジア…)
                drop(row, ledger, f'running head, on {len(same)} pages', dropped)
                continue
            if SENTENCE_MARKS.search(row.chars) or width(row.chars) > column + 2:
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
    """Short rows that fill a line together, each but the last ending on a comma or a
    closing bracket: one printed line the extractor broke at wide gaps (justification
    around 」、「). A line is the text column, or the measure of the notes set across the
    page (the most common width of lines much wider than the column)."""
    measure = Measure.of(rows)
    wide = Counter(round(measure.width(row)) for row in rows
                   if row.kind == 'text' and measure.width(row) > 1.5 * measure.column)
    targets = [measure.column] + [float(w) for w, n in wide.most_common(1) if n >= 5]
    repeated = Counter(row.chars.strip() for row in rows if row.kind == 'text')

    def piece(row: Row) -> bool:
        return row.kind == 'text' and not row.anchors and repeated[row.chars.strip()] < 2

    def opens(row: Row) -> bool:       # the line goes on after it
        return not ends_sentence(row.chars) and row.chars[-1:] in '、，,）」'

    out: list[Row] = []
    i = 0
    while i < len(rows):
        row = rows[i]
        end = 0
        if piece(row) and opens(row) and measure.width(row) < max(targets) - 2:
            total = measure.width(row)
            for j in range(i + 1, min(i + 9, len(rows))):
                if not piece(rows[j]):
                    break
                total += measure.width(rows[j])
                if any(abs(total - t) <= 0.75 and measure.width(row) < t - 2 for t in targets):
                    end = j
                    break
                if total > max(targets) + 0.75 or not opens(rows[j]):
                    break
        if end:
            for j in range(i + 1, end + 1):
                join_rows(row, rows[j])
            out.append(row)
            i = end + 1
            continue
        out.append(row)
        i += 1
    return out
