"""Page furniture: what the printed page carries besides the text.

Running heads and folios, the vertical chapter tab (one character a line), and the
enumerator letters of subheads that the extraction stranded on lines of their own.
Furniture is dropped, each line listed in the report with its reason; stranded
enumerators are kept aside for the headings they belong to.
"""

from __future__ import annotations

import re

from taiyaku.importer.ledger import Ledger
from taiyaku.importer.lines import is_blank, isolated
from taiyaku.importer.model import Row
from taiyaku.importer.text import Text
from taiyaku.importer.width import is_hiragana, width

# Subhead enumerators, in order (ア, イ, ウ, エ, …): the gojūon of the Bluebook's lists.
ENUMERATORS = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ'
DIGITS = '0-9０-９'
COUNTERS = '年月日時分回号条項か箇人億万千百十％%歳番目度期次位部章節'
FOLIO = re.compile(rf'^[{DIGITS}]{{1,4}}$|^[{DIGITS}]{{1,4}}(?=[^{DIGITS}{COUNTERS}\s])|(?<=[^{DIGITS}\s])[{DIGITS}]{{1,4}}$')
GLUED_RUNNING_HEAD = re.compile(rf'^第[{DIGITS}一二三四五六七八九十]+[章節](?=\S)')
SENTENCE_MARKS = re.compile(r'[、。，．]')
APPARATUS = ('目次', '奥付', 'この版での変更', '索引')      # the publication's own pages, not its text
LEADERS = re.compile(r'(?:\.\s*){4,}\s*[0-9０-９ivx]+$|(?:…|‥|・){3,}\s*[0-9０-９]+$')   # a contents line


def drop(row: Row, ledger: Ledger, reason: str, dropped: list[dict]) -> None:
    row.kind = 'furniture'
    ledger.claim_text(row.text, 'furniture', reason)
    dropped.append({'line': row.line, 'text': row.chars, 'reason': reason})


def mark_vertical_text(rows: list[Row], ledger: Ledger, dropped: list[dict]) -> None:
    """A run of one-character lines between blank lines is text set vertically: the chapter tab."""
    i = 0
    while i < len(rows):
        j = i
        while j < len(rows) and rows[j].kind == 'text' and len(rows[j].chars) == 1 and not is_hiragana(rows[j].chars):
            j += 1
        if j - i >= 2 and isolated(rows, i, j - 1):
            word = ''.join(row.chars for row in rows[i:j])
            for row in rows[i:j]:
                drop(row, ledger, f'vertical text (chapter tab «{word}»)', dropped)
        i = max(j, i + 1)


def mark_enumerators(rows: list[Row], ledger: Ledger) -> None:
    """Lines of lone subhead letters (ア イ): kept aside, as Texts, for the subheads."""
    for i, row in enumerate(rows):
        if row.kind != 'text' or not isolated(rows, i):
            continue
        tokens = [(match.start(), match.group()) for match in re.finditer(r'\S+', row.chars)]
        if tokens and all(len(token) == 1 and token in ENUMERATORS for _, token in tokens):
            row.kind = 'enumerators'
            row.payload = [row.text.slice(start, start + 1) for start, _ in tokens]
            for (start, _), (following, _) in zip(tokens, tokens[1:]):
                ledger.claim_text(row.text.slice(start + 1, following), 'whitespace', 'between stranded enumerators')


def mark_running_heads_and_folios(rows: list[Row], ledger: Ledger, column: float, titles: set[str],
                                  dropped: list[dict]) -> None:
    """Isolated lines that repeat a heading (running heads) or carry a page number (folios)."""
    for i, row in enumerate(rows):
        if row.kind != 'text' or not isolated(rows, i):
            continue
        bare = re.sub(r'\s+', '', row.chars)
        if bare in titles or GLUED_RUNNING_HEAD.match(row.chars):
            drop(row, ledger, 'running head', dropped)
        elif FOLIO.search(row.chars) and width(row.chars) <= column and not SENTENCE_MARKS.search(row.chars):
            drop(row, ledger, 'folio (page number)', dropped)


def leftover_enumerators(rows: list[Row], ledger: Ledger, dropped: list[dict]) -> None:
    """Stranded letters no subhead took: dropped, and said so."""
    for row in rows:
        if row.kind == 'enumerators':
            for letter in row.payload:
                if letter is not None:
                    ledger.claim_text(letter, 'furniture', 'stranded enumerator')
                    dropped.append({'line': row.line, 'text': letter.chars, 'reason': 'stranded enumerator no subhead took'})


def blank_or_dropped(rows: list[Row], index: int) -> bool:
    return is_blank(rows, index) or rows[index].kind in ('furniture', 'enumerators')


def enumerator_letters(rows: list[Row]) -> list[tuple[Row, int, Text]]:
    return [(row, k, letter) for row in rows if row.kind == 'enumerators' for k, letter in enumerate(row.payload)]
