"""Spaces as the master sets them, whatever the extractor put.

Extractors turn the gaps of a justified Japanese line into spaces: between a number and
the word after it (``約 700 万``), between the characters of a base spread under its
ruby (``砕 氷 船``), after a heading's number (``1 北極…``). The master's conventions:

- running text: no space between Japanese characters, nor between a Japanese character
  and a number or a Latin word (``約700万``, ``G8外相会合``); spaces between Latin words stay;
- footnotes: numbers and Latin words set off from Japanese words by a space, as the
  Bluebook's footnotes print them (``1956 年 10 月``), none next to punctuation;
- headings: the number set off by an ideographic space (``1　ロシア``, ``各　論``).

Each space taken out is claimed as whitespace, each one put in is listed as added.
"""

from __future__ import annotations

import re

from taiyaku.importer.ledger import Ledger
from taiyaku.importer.model import Inline
from taiyaku.importer.text import Text
from taiyaku.importer.width import is_japanese_letter, is_latin

SPACES = re.compile(r' +')
IDEOGRAPHIC = '\u3000'
TAKEN = 'a space the extractor put in Japanese text (the master sets none there)'
HEADING = "a heading's words set off by an ideographic space, as the master sets them"
HOUSE = 'space where a number or Latin word meets a Japanese word in a footnote (the house style)'


def japanese(char: str) -> bool:
    """Set full width in Japanese text: CJK and kana, and the roman numerals and circled
    numbers that stand among them (STARTⅠ, ①)."""
    code = ord(char)
    return (code >= 0x2e80 or 0x2160 <= code <= 0x2188 or 0x2460 <= code <= 0x24ff) and char != IDEOGRAPHIC


def tidy(inline: Inline, ledger: Ledger, style: str) -> None:
    """``style``: 'text', 'note' or 'heading'."""
    text = inline.text.chars
    edits: list[tuple[int, int, str, str]] = []          # (start, end, replacement, reason)
    for match in SPACES.finditer(text):
        start, end = match.span()
        if start == 0 or end == len(text):
            continue
        a, b = text[start - 1], text[end]
        if a == IDEOGRAPHIC or b == IDEOGRAPHIC:          # beside the master's own space: not another
            edits.append((start, end, '', TAKEN))
            continue
        if not (japanese(a) or japanese(b)):
            continue                                     # between Latin words or numbers: kept
        if style == 'heading':
            edits.append((start, end, IDEOGRAPHIC, HEADING))
        elif style == 'note' and ((is_latin(a) and is_japanese_letter(b)) or (is_japanese_letter(a) and is_latin(b))):
            if end - start > 1:
                edits.append((start + 1, end, '', TAKEN))
        else:
            edits.append((start, end, '', TAKEN))
    if style == 'note':
        for k in range(1, len(text)):
            a, b = text[k - 1], text[k]
            if (is_latin(a) and is_japanese_letter(b)) or (is_japanese_letter(a) and is_latin(b)):
                edits.append((k, k, ' ', HOUSE))
    if edits:
        apply(inline, sorted(edits), ledger)


def apply(inline: Inline, edits: list[tuple[int, int, str, str]], ledger: Ledger) -> None:
    parts: list[Text] = []
    position = 0
    applied: list[tuple[int, int, int]] = []
    for start, end, replacement, reason in edits:
        if start < position:
            continue
        parts.append(inline.text.slice(position, start))
        ledger.claim_text(inline.text.slice(start, end), 'whitespace', reason)
        if replacement:
            parts.append(Text.added(replacement, reason, inline.text.where(max(start - 1, 0))[0]))
        applied.append((start, end, len(replacement)))
        position = end
    parts.append(inline.text.slice(position))

    def moved(offset: int) -> int:
        shift = 0
        for start, end, added in applied:
            if offset >= end and (end > start or offset > start):
                shift += added - (end - start)
            elif start < offset < end:
                shift += start + added - offset
        return offset + shift

    inline.text = Text.join(parts)
    inline.anchors = [a.moved(moved(a.offset)) for a in inline.anchors]
    for ref in inline.refs:
        ref.offset = moved(ref.offset)
