"""``numbers``: every number of the source is in the translation, with the same value.

The source's numbers are read as values, whatever their form:

- digits, full-width digits (２０１０), digit grouping (4万9,000 → 49,000, 3,900) and
  decimals (8.8％);
- the Japanese units 万, 億 and 兆 (240億 → 24,000,000,000), kanji numerals where they
  count or rank (第一条, 一つ, 四島, 三分の一), circled and parenthesized numbers
  (①, ⑴), Roman numeral characters (Ⅱ), era years (平成22年 → 2010);
- fractions (8分の1 → one-eighth), ordinals (第3回 → 3rd/third), ranges (3～5月);
- months: N月 is a month and wants its English name (2010年11月 → November 2010; the
  year and the day are numbers: 2011年2月11日 → February 11, 2011 or 11 February 2011).

In the translation a value may be written in digits, with grouping, with a scale word
(24 billion, 100 million), in words (three, twenty-four, first, third, once, twice),
as a fraction (one-eighth, 1/8), a Roman numeral (World War II), or a word that says it
(bilateral, trilateral); months by name. A count of one may be an article: 1年を通じ →
"throughout the year". Each occurrence in the source needs its own in the translation.

Numbers inside footnote labels and other references are not text and are not read; a
number inside a glossary term is the ``glossary`` check's (the approved form carries it).
The check is one way: a translation may add a number (億円 → 100 million yen).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from taiyaku.qa import markup
from taiyaku.qa.core import ERROR, Context, Entry, register

NUMBER, MONTH = 'number', 'month'

# -- the source (Japanese) ------------------------------------------------------------------

FULL_WIDTH = str.maketrans('０１２３４５６７８９，．％', '0123456789,.%')
KANJI_DIGITS = {'〇': 0, '零': 0, '一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
KANJI_UNITS = {'十': 10, '百': 100, '千': 1000}
BIG_UNITS = {'万': 10 ** 4, '億': 10 ** 8, '兆': 10 ** 12}
ERAS = {'明治': 1867, '大正': 1911, '昭和': 1925, '平成': 1988, '令和': 2018}
CIRCLED = {chr(base + i): i + 1 for base in (0x2460, 0x2474, 0x2488) for i in range(20)}
ROMAN_CHARACTERS = {chr(base + i): i + 1 for base in (0x2160, 0x2170) for i in range(12)}
# what a count of one may be in English, by its Japanese counter
COUNTERS = {'年': 'year', 'か月': 'month', 'ヶ月': 'month', 'カ月': 'month', 'ケ月': 'month', '日': 'day',
            '週': 'week', '回': 'time', '度': 'time', '人': 'person|people', 'か国': 'country|nation',
            'カ国': 'country|nation', 'ヶ国': 'country|nation'}

ARABIC = r'\d+(?:,\d{3})*(?:\.\d+)?'
KANJI = '[〇零一二三四五六七八九十百千]+'
BIG = '[万億兆]'
ARABIC_AMOUNT = rf'(?:{ARABIC}\s*{BIG}\s*)+(?:{ARABIC})?|{ARABIC}'
ANY_AMOUNT = rf'(?:(?:{ARABIC}|{KANJI})\s*{BIG}\s*)+(?:{ARABIC}|{KANJI})?|{ARABIC}|{KANJI}'
# kanji numerals count or rank only before a counter (or after 第): 一方, 統一 are words
KANJI_COUNTERS = 'つ|か国|カ国|ヶ国|人|名|回|度|倍|島|項|条|者|都市|分野|か月|ヶ月|カ月|年|世紀'
SOURCE = re.compile('|'.join([
    rf'(?P<era>{"|".join(ERAS)})\s*(?P<era_year>元|{ARABIC}|{KANJI})\s*年',
    rf'(?P<denominator>{ANY_AMOUNT})\s*分\s*の\s*(?P<numerator>{ANY_AMOUNT})',
    rf'第\s*(?P<ordinal>{ANY_AMOUNT})',
    rf'(?P<month_from>{ARABIC})\s*[～〜~\-－–]\s*(?P<month_to>{ARABIC})\s*月',
    rf'(?P<month>{ARABIC})\s*月',
    rf'(?P<counted>{KANJI}(?:\s*{BIG}\s*{KANJI}?)*)(?=\s*(?:{KANJI_COUNTERS}))',
    rf'(?P<circled>[{"".join(CIRCLED)}])',
    rf'(?P<roman>[{"".join(ROMAN_CHARACTERS)}])',
    rf'(?P<amount>{ARABIC_AMOUNT})',
]))
COUNTER_AFTER = re.compile(r'\s*(' + '|'.join(sorted(COUNTERS, key=len, reverse=True)) + ')')


def small_value(text: str) -> Fraction:
    """1,234.5 or a kanji numeral below 万 (二十三, 三千五百, or digit by digit: 二〇一〇)."""
    text = text.replace(',', '').strip()
    if not text:
        return Fraction(1)
    if text[0].isdigit():
        return Fraction(text)
    if not any(char in KANJI_UNITS for char in text):
        return Fraction(int(''.join(str(KANJI_DIGITS[char]) for char in text)))
    total = current = 0
    for char in text:
        if char in KANJI_DIGITS:
            current = KANJI_DIGITS[char]
        else:
            total += (current or 1) * KANJI_UNITS[char]
            current = 0
    return Fraction(total + current)


def japanese_value(text: str) -> Fraction:
    """A Japanese amount: 240億, 4万9,000, 1兆2,000億, 三千万."""
    total, rest = Fraction(0), ''
    for char in re.sub(r'\s+', '', text):
        if char in BIG_UNITS:
            total += small_value(rest) * BIG_UNITS[char]
            rest = ''
        else:
            rest += char
    return total + (small_value(rest) if rest else 0)


@dataclass(frozen=True)
class Quantity:
    kind: str                   # number or month
    value: Fraction
    text: str                   # as written
    start: int = 0
    end: int = 0
    counter: str | None = None  # the English noun(s) a count of one may be written with

    def describe(self) -> str:
        if self.kind == MONTH:
            return f'{self.text} ({MONTH_NAMES[int(self.value) - 1]})'
        shown = show(self.value)
        return self.text if shown.replace(',', '') == re.sub(r'[\s,]', '', self.text) else f'{self.text} ({shown})'


def show(value: Fraction) -> str:
    if value.denominator == 1:
        return f'{value.numerator:,}'
    as_decimal = f'{float(value):,.6f}'.rstrip('0').rstrip('.')
    return as_decimal if Fraction(as_decimal.replace(',', '')) == value else f'{value.numerator}/{value.denominator}'


def source_quantities(text: str) -> list[Quantity]:
    """Every number of a Japanese text, with where it stands."""
    text = text.translate(FULL_WIDTH)
    found = []
    for match in SOURCE.finditer(text):
        group = match.lastgroup if match.lastgroup != 'era_year' else 'era'
        span = dict(start=match.start(), end=match.end())
        if group == 'era':
            year = match['era_year']
            value = ERAS[match['era']] + (1 if year == '元' else int(small_value(year)))
            found.append(Quantity(NUMBER, Fraction(value), match.group(), **span))
        elif match['numerator'] is not None:
            value = japanese_value(match['numerator']) / (japanese_value(match['denominator']) or 1)
            found.append(Quantity(NUMBER, value, match.group(), **span))
        elif match['month_to'] is not None:
            for part in ('month_from', 'month_to'):
                found.append(month_or_number(match[part], match[part] + '月', span))
        elif match['month'] is not None:
            found.append(month_or_number(match['month'], match.group(), span))
        elif match['circled'] is not None:
            found.append(Quantity(NUMBER, Fraction(CIRCLED[match['circled']]), match.group(), **span))
        elif match['roman'] is not None:
            found.append(Quantity(NUMBER, Fraction(ROMAN_CHARACTERS[match['roman']]), match.group(), **span))
        else:
            amount = match['ordinal'] or match['counted'] or match['amount']
            counter = COUNTER_AFTER.match(text, match.end())
            noun = COUNTERS[counter[1]] if counter and match['ordinal'] is None else None
            found.append(Quantity(NUMBER, japanese_value(amount), match.group(), counter=noun, **span))
    return found


def month_or_number(digits: str, written: str, span: dict) -> Quantity:
    value = Fraction(digits.replace(',', ''))
    kind = MONTH if value.denominator == 1 and 1 <= value <= 12 else NUMBER
    return Quantity(kind, value, written, **span)


# -- the translation (English) -------------------------------------------------------------

ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven',
        'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen']
TENS = ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety']
CARDINALS = {word: i for i, word in enumerate(ONES)} | {word: 20 + 10 * i for i, word in enumerate(TENS)}
ORDINALS = {'first': 1, 'second': 2, 'third': 3, 'fourth': 4, 'fifth': 5, 'sixth': 6, 'seventh': 7,
            'eighth': 8, 'ninth': 9, 'tenth': 10, 'eleventh': 11, 'twelfth': 12}
ORDINALS |= {ONES[i] + 'th': i for i in range(13, 20)}
ORDINALS |= {word[:-1] + 'ieth': 20 + 10 * i for i, word in enumerate(TENS)}
SCALES = {'hundred': 100, 'thousand': 10 ** 3, 'million': 10 ** 6, 'billion': 10 ** 9, 'trillion': 10 ** 12}
SCALE_ORDINALS = {word + 'th': value for word, value in SCALES.items()}
WORDS_SAYING = {'once': 1, 'twice': 2, 'thrice': 3, 'double': 2, 'twofold': 2, 'triple': 3, 'threefold': 3,
                'bilateral': 2, 'trilateral': 3, 'quadrilateral': 4, 'bipartite': 2, 'tripartite': 3,
                'quadripartite': 4, 'dozen': 12}
DENOMINATORS = {'half': 2, 'halves': 2, 'quarter': 4, 'quarters': 4} | {
    word + suffix: value for word, value in ORDINALS.items() if value > 2 for suffix in ('', 's')}
MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
               'October', 'November', 'December']
MONTH_WORDS = {name: i + 1 for i, name in enumerate(MONTH_NAMES)} | {
    name[:3] + '.': i + 1 for i, name in enumerate(MONTH_NAMES) if len(name) > 4} | {'Sept.': 9}



def word_run(words) -> str:
    """Number words joined by spaces or hyphens; 'and' only after a scale (two hundred and fifty)."""
    word = '|'.join(sorted(words, key=len, reverse=True))
    after_scale = '|'.join(rf'(?<={scale})\s+and\s+' for scale in SCALES)
    return rf'(?:{word})(?:(?:[\s-]+|{after_scale})(?:{word}))*'


WORD_RUN = word_run([*CARDINALS, *ORDINALS, *SCALES, *SCALE_ORDINALS])
CARDINAL_RUN = word_run([*CARDINALS, *SCALES])
DIGITS = r'\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?'
TRANSLATION = re.compile('|'.join([
    rf'(?<![\w/])(?P<fraction_a>\d+)/(?P<fraction_b>\d+)(?![\w/])',
    rf'(?i:\b(?P<fraction_n>{CARDINAL_RUN}|an?|\d+)[\s-]+(?P<fraction_d>{"|".join(DENOMINATORS)})\b)',
    rf'(?<!\d)(?<!\d[.,])(?P<digits>{DIGITS})(?:\s*(?:st|nd|rd|th)\b)?'
    rf'(?:[\s-]+(?i:(?P<scale>{"|".join(SCALES)}))\b)?',
    rf'(?i:\b(?P<words>{WORD_RUN})\b)',
    rf'(?i:\b(?P<saying>{"|".join(WORDS_SAYING)})\b)',
    rf'\b(?P<month>{"|".join(re.escape(word) for word in MONTH_WORDS)})(?!\w)',
    r'\b(?P<roman>[IVX]+)\b',
]))
ROMAN = re.compile(r'X{0,3}(?:IX|IV|V?I{0,3})')


def word_value(text: str) -> Fraction:
    """twenty-four, two hundred and fifty, three million, twenty-first."""
    total = current = 0
    for word in re.split(r'[\s-]+', text.lower()):
        if word == 'and':
            continue
        if word in CARDINALS or word in ORDINALS:
            current += CARDINALS.get(word, ORDINALS.get(word))
        elif word in ('hundred', 'hundredth'):
            current = (current or 1) * 100
        else:
            scale = SCALES.get(word) or SCALE_ORDINALS[word]
            total += (current or 1) * scale
            current = 0
    return Fraction(total + current)


def roman_value(text: str) -> int:
    values = {'I': 1, 'V': 5, 'X': 10}
    total = 0
    for i, char in enumerate(text):
        value = values[char]
        total += -value if i + 1 < len(text) and values[text[i + 1]] > value else value
    return total


def translation_quantities(text: str) -> list[Quantity]:
    text = text.translate(FULL_WIDTH)
    found = []
    for match in TRANSLATION.finditer(text):
        written = match.group()
        if match['fraction_a'] is not None:
            value = Fraction(int(match['fraction_a']), int(match['fraction_b']) or 1)
        elif match['fraction_d'] is not None:
            count = match['fraction_n'].lower()
            numerator = Fraction(1) if count in ('a', 'an') else (
                Fraction(count) if count[0].isdigit() else word_value(count))
            value = numerator / DENOMINATORS[match['fraction_d'].lower()]
        elif match['digits'] is not None:
            value = Fraction(match['digits'].replace(',', ''))
            if match['scale']:
                value *= SCALES[match['scale'].lower()]
        elif match['words'] is not None:
            value = word_value(match['words'])
        elif match['saying'] is not None:
            value = Fraction(WORDS_SAYING[match['saying'].lower()])
        elif match['month'] is not None:
            found.append(Quantity(MONTH, Fraction(MONTH_WORDS[match['month']]), written))
            continue
        else:
            roman = match['roman']
            if not ROMAN.fullmatch(roman) or (len(roman) == 1 and not after_a_name(text, match.start())):
                continue
            value = Fraction(roman_value(roman))
        found.append(Quantity(NUMBER, value, written, match.start(), match.end()))
    return found


def after_a_name(text: str, position: int) -> bool:
    """A lone I, V or X is a numeral after a name (START I, World War I), not a pronoun."""
    before = re.search(r'([A-Za-z]+)\s+$', text[:position])
    return bool(before) and before[1][0].isupper() and not re.search(r'[.!?]\s*\S*\s+$', text[:position])


def written_as_one(quantity: Quantity, translation: str) -> bool:
    """A count of one written with an article: 1年を通じ → throughout the year."""
    if quantity.value != 1 or not quantity.counter:
        return False
    return bool(re.search(rf'\b(?:a|an|the|one|single|that)\s+(?:\w+\s+)?(?:{quantity.counter})s?\b',
                          translation, re.IGNORECASE))


def missing_numbers(source: list[Quantity], translation: list[Quantity], translation_text: str) -> list[Quantity]:
    available = Counter((q.kind, q.value) for q in translation)
    missing = []
    for quantity in source:
        if available[quantity.kind, quantity.value] > 0:
            available[quantity.kind, quantity.value] -= 1
        elif not written_as_one(quantity, translation_text):
            missing.append(quantity)
    return missing


@register('numbers', ERROR)
def numbers(entry: Entry, context: Context):
    """Every number, amount, date and count of the source has the same value in the translation."""
    source_text = markup.plain_text(markup.parse(entry.msgid, context.character_level))
    terms = context.glossary.find(source_text) if context.glossary else []
    source = [q for q in source_quantities(source_text)
              if not any(q.start < term.end and term.start < q.end for term in terms)]
    if not source:
        return
    text = markup.plain_text(markup.parse(entry.translation, context.character_level))
    translation = translation_quantities(text)
    missing = missing_numbers(source, translation, text)
    if not missing:
        return
    wanted, unmatched = Counter((q.kind, q.value) for q in source), []
    for quantity in translation:
        if wanted[quantity.kind, quantity.value] > 0:
            wanted[quantity.kind, quantity.value] -= 1
        else:
            unmatched.append(quantity.text)
    for quantity in missing:
        hint = f'; the translation has {", ".join(dict.fromkeys(unmatched))}' if unmatched else ''
        yield f'{quantity.describe()} is not in the translation{hint}'
