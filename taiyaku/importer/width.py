"""What a character is, and how wide it is on the printed page.

Widths are East Asian widths as the issue defines them: a full-width character (kanji,
kana, full-width punctuation, East Asian Ambiguous such as ①) is 1, a half-width one
(ASCII digits and Latin, half-width kana) is ½. Line-breaking rules (kinsoku) say which
characters may not start or end a line; they explain why a full line can look short.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

SENTENCE_END = '。．！？!?'
CLOSING = '」』）)】〕］]｝}〉》'
OPENING = '「『（(【〔［[｛{〈《'
# JIS X 4051 line-start prohibitions: these stay on the line before.
NO_LINE_START = ('、。，．,.・：；:;？！?!ー－‐…‥々ゝゞヽヾ'
                 'ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ' + CLOSING)


@lru_cache(maxsize=4096)
def char_width(char: str) -> float:
    if unicodedata.combining(char) or unicodedata.category(char) in ('Cc', 'Cf'):
        return 0.0
    return 1.0 if unicodedata.east_asian_width(char) in 'FWA' else 0.5


def width(text: str) -> float:
    return sum(char_width(char) for char in text)


def narrow_count(text: str) -> int:
    """Half-width characters: proportional in print, often wider than ½."""
    return sum(1 for char in text if char_width(char) == 0.5)


def is_kanji(char: str) -> bool:
    return ('\u4e00' <= char <= '\u9fff' or '\u3400' <= char <= '\u4dbf' or '\uf900' <= char <= '\ufaff'
            or '\U00020000' <= char <= '\U0002fa1f' or char in '々〆〇ヶ')


def is_hiragana(char: str) -> bool:
    return '\u3041' <= char <= '\u309f' or char == 'ー'


def is_katakana(char: str) -> bool:
    return '\u30a1' <= char <= '\u30fa' or char in 'ーヽヾ' or '\uff66' <= char <= '\uff9f'


def is_kana(char: str) -> bool:
    return is_hiragana(char) or is_katakana(char)


def is_japanese_letter(char: str) -> bool:
    return is_kanji(char) or is_kana(char)


def is_latin(char: str) -> bool:
    """ASCII letters and digits: the characters of 'Latin words'."""
    return char.isascii() and char.isalnum()


def hiragana(text: str) -> str:
    """Katakana folded to hiragana, so readings compare whatever script they are in."""
    return ''.join(chr(ord(char) - 0x60) if '\u30a1' <= char <= '\u30f6' else char for char in text)


def ends_sentence(text: str) -> bool:
    text = text.rstrip()
    if not text:
        return False
    if text[-1] in SENTENCE_END:
        return True
    return len(text) > 1 and text[-1] in CLOSING and text[-2] in SENTENCE_END


def first_unit_width(text: str) -> float:
    """Width of the unbreakable unit a line starts with.

    Opening brackets hold on to what follows, a run of Latin letters or digits never
    breaks, and characters that may not start a line cling to the one before. A line
    whose slack is narrower than the next line's first unit was full.
    """
    i = 0
    while i < len(text) and text[i] in OPENING:
        i += 1
    if i < len(text) and is_latin(text[i]):
        while i < len(text) and (is_latin(text[i]) or text[i] in '.,-'):
            i += 1
    elif i < len(text):
        i += 1
    while i < len(text) and text[i] in NO_LINE_START:
        i += 1
    return width(text[:i])
