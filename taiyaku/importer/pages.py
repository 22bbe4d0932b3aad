"""The original's pages in the draft: where each printed page begins, from its folio, as
the master marks them (``.. original-page:: 97`` between blocks, ``:original-page:`98```
inside a paragraph; see taiyaku/ext/pages.py).

- From a text extraction: a folio (``97外交青書 2011``) closes its page; the next page,
  98, begins with the first line of text after the folio and the furniture around it —
  often mid-sentence, once the paragraph that page continues is rejoined. The page a
  folio closes begins after the folio before it, when there is one.
- From a PDF: every page whose folio gives its number begins with its first line of text
  in reading order — unless the PDF shows the original's pages itself, a number in the
  margin beside a hairline in the line (a re-edition, such as the project's own PDF):
  then each begins at its hairline, and the folios are that book's own pages.

A page number that comes back (two sections of one book) is marked once, at its first
place; the others are listed in the report. Nothing is added to the text: the marker
holds no character.
"""

from __future__ import annotations

import re

from taiyaku.importer.model import Inline, Row, Section

CONTENT = ('text', 'heading', 'footnote', 'figure', 'consumed')


def folio_number(text: str) -> int | None:
    """The page number a folio shows: the number it starts with (97外交青書 2011), else a
    short one it ends with (外交青書 2011 98) — never the publication's year."""
    import unicodedata
    text = unicodedata.normalize('NFKC', text).strip()
    leading = re.match(r'(\d{1,4})(?!\d)', text)
    if leading:
        return int(leading[1])
    trailing = re.search(r'(?<!\d)(\d{1,3})$', text)
    return int(trailing[1]) if trailing else None


def starts(rows: list[Row], dropped: list[dict]) -> list[tuple[list[int], int, int | None]]:
    """Where a page of the original begins: (its lines in reading order, the page number,
    the column in the first line, or None; -1: on the first line, where in it unknown). Without a column, the page begins at the first
    of the lines a paragraph or a heading holds (a note or a caption carried over from the
    page before is not where the page's text begins)."""
    marked = {}
    for row in rows:
        for column, number in (row.facts.pages if row.facts is not None else ()):
            marked.setdefault((row.line, column), number)
    if marked:                                                  # the original's pages in the margin
        return [([line], number, column) for (line, column), number in sorted(marked.items())]
    beside = [([item['beside']], item['original_page'], -1) for item in dropped if 'original_page' in item]
    if beside:                                                  # …as a text extraction shows them
        return beside
    folios = [(item['line'], folio_number(item['text']), item.get('page')) for item in dropped
              if item['reason'].startswith('folio') and folio_number(item['text']) is not None]
    found: list[tuple[list[int], int]] = []
    if any(page is not None for _, _, page in folios):          # a PDF: each page's lines
        lines: dict[int, list[int]] = {}
        for row in rows:
            if row.kind in CONTENT and row.facts is not None:
                lines.setdefault(row.facts.page, []).append(row.line)
        for _, number, page in sorted(folios, key=lambda f: f[2]):
            if page in lines:
                found.append((lines[page], number, None))
        return found
    order = {row.line: k for k, row in enumerate(rows)}
    for line, number, _ in folios:
        k = order.get(line)
        if k is None:
            continue
        after = [row.line for row in rows[k + 1:k + 200] if row.kind in CONTENT]
        if after:
            found.append((after, number + 1, None))
    return found


def blocks(root: Section):
    """Every paragraph and heading, with the Inline that holds its text, in reading order."""
    for section in root.walk():
        if section.heading:
            yield section, section.heading.body
        for paragraph in section.content:
            yield paragraph, paragraph.body


def place(root: Section, found: list[tuple[list[int], int, int | None]]) -> list[dict]:
    """Mark each page start in the block whose text holds its first character; report them."""
    entries, marked = [], set()
    index: dict[int, tuple[object, Inline, int]] = {}
    spans: dict[int, list[tuple[object, Inline, object]]] = {}
    for block, inline in blocks(root):
        for span in inline.text.source_spans():
            index.setdefault(span.line, (block, inline, span.offset))
            spans.setdefault(span.line, []).append((block, inline, span))
    for lines, number, column in found:
        line = next((line for line in lines if line in index), lines[0])
        where = index.get(line)
        if column and column > 0:      # the first character at or after that column of the line
            later = [(block, inline, span.offset + max(0, column - span.col)) for block, inline, span
                     in spans.get(line, ()) if span.col + span.length > column]
            where = min(later, key=lambda w: w[2]) if later else where
        if where is None:
            entries.append({'original_page': number, 'line': line, 'unsure': 'no paragraph or heading begins on it: not marked'})
            continue
        block, inline, offset = where
        if number in marked:
            entries.append({'original_page': number, 'line': line, 'unsure': f'page {number} begins here too (a number that '
                                                                    'comes back): marked only at its first place'})
            continue
        marked.add(number)
        for ruby in inline.rubies:              # never inside a ruby base
            if ruby.start < offset < ruby.end:
                offset = ruby.start
        if offset == 0:
            block.page_before = number
            at = 'before the block'
        else:
            inline.pages.append((offset, number))
            at = 'inside the block'
        entries.append({'original_page': number, 'line': line, 'at': at,
                        'starts': inline.text.chars[offset:offset + 16]})
        if column == -1 and at == 'inside the block':      # a text shows the line, not the place in it
            entries[-1]['confirm'] = ('the page begins on this line, beside its mark in the margin; the text does '
                                      'not show where in the line: marked at its start')
    return entries
