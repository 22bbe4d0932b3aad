"""Headings, their level, and their labels.

The Bluebook numbers its own headings, and the master keeps that numbering in the text:
第５節 (section: the document title), 1　ロシア, （1）日露関係, ア　対露外交の位置付け
(kana-enumerated subheads, whose letters the extraction often strands on lines of their
own), and unnumbered division heads such as 各　論 that stand between a section's lead
and its numbered parts. Each heading gets an explicit ASCII label built from that
numbering (section-5-1-1-a), or from the romanized reading of an unnumbered heading.
"""

from __future__ import annotations

import re
import unicodedata

from taiyaku.importer.furniture import ENUMERATORS, blank_or_dropped
from taiyaku.importer.ledger import Ledger
from taiyaku.importer.lines import is_blank, isolated, next_filled
from taiyaku.importer.model import Heading, Inline, Row, Section
from taiyaku.importer.paragraphs import concat, join, row_inline
from taiyaku.importer.romaji import romanize
from taiyaku.importer.text import Text
from taiyaku.importer.width import NO_LINE_START, ends_sentence, width

CHAPTER, SECTION, DIVISION, NUMBERED, PAREN, KANA = range(6)
RANK_NAMES = {CHAPTER: 'chapter', SECTION: 'section', DIVISION: 'division', NUMBERED: 'numbered',
              PAREN: 'parenthesised number', KANA: 'kana-enumerated subhead'}
DOCUMENT_RANKS = {CHAPTER, SECTION, NUMBERED, PAREN}     # each starts a document of its own
KANJI_NUMERALS = '〇一二三四五六七八九十'

TITLED = re.compile(r'^第\s*([0-9０-９〇一二三四五六七八九十]+)\s*([章節])[\s\u3000]*(.*)$')
NUMBERED_HEAD = re.compile(r'^([0-9０-９]{1,2})[ \u3000]+(\S.*)$')
PAREN_HEAD = re.compile(r'^[（(]([0-9０-９]{1,2})[）)][ \u3000]*(\S.*)$')
KANA_HEAD = re.compile(rf'^([{ENUMERATORS}])[ \u3000]+(\S.*)$')
COUNTER_START = re.compile(r'^[年月時分回号条項か箇％%歳番目度期]')
IDEOGRAPHIC_SPACE = '\u3000'


def number_value(digits: str) -> int:
    digits = unicodedata.normalize('NFKC', digits)
    if digits.isdigit():
        return int(digits)
    value = 0
    for char in digits:       # 十二 → 12, 二十 → 20
        if char == '十':
            value = (value or 1) * 10
        else:
            value += KANJI_NUMERALS.index(char)
    return value


def headlike(row: Row, column: float) -> bool:
    chars = row.chars
    return (row.kind == 'text' and width(chars) <= column and '。' not in chars
            and chars[-1] not in '、，,' and chars[0] not in NO_LINE_START)


def mark_titled(rows: list[Row], ledger: Ledger, column: float, dropped: list[dict] | None = None) -> set[str]:
    """第N章/第N節 with its title (on the same line, or the lines after it). Returns the
    headings' texts without spaces, which running heads repeat."""
    titles = set()
    set_apart = set()                # 第３節 / 北極をめぐる国際協力: the heading, number and title on lines of their own
    for i, row in enumerate(rows):
        match = TITLED.match(row.chars) if row.kind == 'text' else None
        if match and not match[3]:
            j = next_filled(rows, i)
            if 0 <= j and rows[j].kind == 'text' and headlike(rows[j], column):
                set_apart.add(re.sub(r'\s+', '', match[0] + rows[j].chars))
    for i, row in enumerate(rows):
        match = TITLED.match(row.chars) if row.kind == 'text' else None
        if match and match[3] and re.sub(r'\s+', '', row.chars) in set_apart:
            from taiyaku.importer.furniture import drop
            drop(row, ledger, 'running head (the section\'s title, set apart where the section begins)',
                 dropped if dropped is not None else [])
            continue
        if not match or not (blank_or_dropped(rows, i - 1) or rows[i - 1].chars.endswith(('。', '」', '）'))):
            continue
        if (match[3] and match.end(2) == match.start(3) and isolated(rows, i)) or re.sub(r'\s+', '', row.chars) in titles:
            continue        # 第５節ロシア… alone between blank lines, or again: a running head
        rank = SECTION if match[2] == '節' else CHAPTER
        number_end = match.end(2)
        parts = [Inline(row.text.slice(0, number_end))]
        ledger.claim_text(row.text.slice(number_end, match.start(3)), 'whitespace', 'in a heading')
        title_rows = []
        if match[3]:
            title_rows = [row]
        else:
            j = next_filled(rows, i)
            while (0 <= j < len(rows) and len(title_rows) < 3 and rows[j].kind == 'text' and headlike(rows[j], column)
                   and not pattern_heading(rows[j]) and (j == next_filled(rows, i) or not is_blank(rows, j - 1))
                   and not (title_rows and width(rows[j].chars) >= column - 2)):     # the text after a title
                title_rows.append(rows[j])
                j += 1
        if title_rows:
            space = Text.added(IDEOGRAPHIC_SPACE, 'space between heading number and title', row.line)
            title = join(title_rows) if title_rows[0] is not row else row_inline(row, match.start(3))
            parts += [Inline(space), title]
        body = concat(parts)
        last = title_rows[-1].line if title_rows else row.line
        row.kind, row.payload = 'heading', Heading(rank, number_value(match[1]), body, (row.line, last))
        for title_row in title_rows:
            if title_row is not row:
                title_row.kind = 'consumed'
        text = body.text
        titles.add(re.sub(r'\s+', '', text.chars))
    return titles


def pattern_heading(row: Row) -> tuple[int, re.Match] | None:
    for rank, pattern in ((NUMBERED, NUMBERED_HEAD), (PAREN, PAREN_HEAD), (KANA, KANA_HEAD)):
        match = pattern.match(row.chars)
        # 1 か国 is a number in the text; a heading sets its number off with a full-width space
        if match and not (COUNTER_START.match(match[2]) and IDEOGRAPHIC_SPACE not in row.chars[:match.start(2)]):
            return rank, match
    return None


def mark_numbered(rows: list[Row], column: float) -> None:
    """1　ロシア, （1）日露関係, ア　…: short lines that stand apart from the text."""
    for i, row in enumerate(rows):
        found = pattern_heading(row) if row.kind == 'text' and headlike(row, column) else None
        if not found:
            continue
        rank, match = found
        before = rows[i - 1] if i > 0 else None
        apart = (is_blank(rows, i + 1) or blank_or_dropped(rows, i - 1) or before.kind != 'text'
                 or before.chars.endswith(('。', '」', '）'))
                 or (headlike(before, column) and width(before.chars) <= column - 2 and not re.search(r'[、，,]', before.chars)
                     and (blank_or_dropped(rows, i - 2) or rows[i - 2].kind != 'text' or ends_sentence(rows[i - 2].chars))))
        if apart:
            number = number_value(match[1]) if rank != KANA else ENUMERATORS.index(match[1]) + 1
            row.kind, row.payload = 'heading', Heading(rank, number, row_inline(row), (row.line, row.line))


def mark_unnumbered(rows: list[Row], column: float) -> None:
    """Short lines without sentence punctuation standing after a break: a subhead when
    its text follows at once (its enumerator stranded elsewhere), a division head when
    another heading follows."""
    candidates, after_sentences = [], []
    for i, row in enumerate(rows):
        if (headlike(row, column) and width(row.chars) <= column - 2 and 0 < i + 1 < len(rows)
                and not re.search(r'[、，,]', row.chars)):
            if i == 0 or rows[i - 1].kind != 'text':
                candidates.append(i)
            elif ends_sentence(rows[i - 1].chars) and rows[i + 1].kind == 'heading':
                after_sentences.append(i)       # 各 論 between a paragraph and a heading, no blank line
    for i in candidates:
        if rows[i + 1].kind == 'text':
            rows[i].kind = 'heading'
            rows[i].payload = Heading(KANA, None, row_inline(rows[i]), (rows[i].line, rows[i].line), needs_enumerator=True)
    for i in after_sentences:
        rows[i].kind = 'heading'
        rows[i].payload = Heading(DIVISION, None, row_inline(rows[i]), (rows[i].line, rows[i].line))
    for i in candidates:
        following = next_filled(rows, i)
        if rows[i].kind == 'text' and following > i + 1 and rows[following].kind == 'heading':
            rows[i].kind = 'heading'
            rows[i].payload = Heading(DIVISION, None, row_inline(rows[i]), (rows[i].line, rows[i].line))


# -- labels --------------------------------------------------------------------------------

def assign_labels(root: Section) -> None:
    """ASCII labels from the Bluebook's numbering: section-5, section-5-1, section-5-1-1-a;
    an unnumbered heading takes its romanized reading (各　論 → section-5-kakuron)."""
    from taiyaku.importer.ruby import reading_of
    used: set[str] = set()
    for section in root.walk():
        heading = section.heading
        if heading is None:
            continue
        ancestor = section.parent
        while heading.rank != DIVISION and ancestor and ancestor.heading and ancestor.heading.rank == DIVISION:
            ancestor = ancestor.parent      # 1　ロシア under 各　論 is section-5-1, not section-5-kakuron-1
        parent = ancestor.label if ancestor else ''
        if heading.rank in (CHAPTER, SECTION):
            stem = f'{"chapter" if heading.rank == CHAPTER else "section"}-{heading.number}'
        elif heading.rank == DIVISION:
            bare = re.sub(r'[\s\u3000]+', '', heading.text.chars)
            stem = romanize(reading_of(bare) or bare) or 'part'
            stem = f'{parent}-{stem}' if parent else stem
        elif heading.rank == KANA:
            letter = heading.enumerator.chars if heading.enumerator is not None else heading.text.chars[0]
            stem = f'{parent}-{romanize(letter) or "sub"}' if parent else romanize(letter) or 'sub'
        else:
            stem = f'{parent}-{heading.number}' if parent else f'part-{heading.number}'
        section.label = unique(stem, used)


def unique(stem: str, used: set[str]) -> str:
    """``stem``, or ``stem-repeat-2``… if taken (a plain -2 would read as a number of the
    Bluebook's); recorded as taken."""
    name, n = stem, 2
    while name in used:
        name, n = f'{stem}-repeat-{n}', n + 1
    used.add(name)
    return name


def assign_enumerators(root: Section, rows: list[Row]) -> list[dict]:
    """Give each subhead whose letter the extraction stranded the letter its position
    calls for (ア, イ, … under each parent), taken from the stranded letters where one
    matches; report the subheads whose letter had to be supplied."""
    from taiyaku.importer.furniture import enumerator_letters
    stranded = enumerator_letters(rows)
    doubts = []
    for section in root.walk():
        heading = section.heading
        if heading is None or heading.rank != KANA or not heading.needs_enumerator:
            continue
        siblings = [c for c in section.parent.children if c.heading.rank == KANA]
        position = siblings.index(section)
        expected = ENUMERATORS[position] if position < len(ENUMERATORS) else None
        found = next(((row, k, letter) for row, k, letter in stranded
                      if row.payload[k] is not None and letter.chars == expected), None)
        if found:
            row, k, letter = found
            row.payload[k] = None
            heading.enumerator = letter
        else:
            supplied = expected or '・'
            heading.enumerator = Text.added(supplied, 'subhead enumerator supplied by position', heading.lines[0])
            doubts.append({'line': heading.lines[0], 'text': heading.text.chars,
                           'unsure': f'no stranded enumerator {supplied} for this subhead: supplied by its position'})
    return doubts
