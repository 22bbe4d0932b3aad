"""Ruby: the furigana the extraction set on lines of their own.

A line of hiragana alone, next to text split in the middle of a kanji word, is a reading.
:func:`merge_readings` glues the split text back into one row and leaves an
:class:`~taiyaku.importer.model.Anchor` where the reading stood. :func:`attach` then
finds the base: the run of kanji at the anchor whose dictionary reading is the reading
(くなしり belongs to 国後, not to 国後島). Readings found one per character (歯/はぼ/舞/まい)
become per-character ruby. The dictionary is Janome's (IPADIC, shipped inside the
package); what it cannot confirm is attached by the layout and reported as unsure.
"""

from __future__ import annotations

import re
from functools import lru_cache

from taiyaku.importer.lines import next_filled
from taiyaku.importer.model import Anchor, Inline, Row, Ruby
from taiyaku.importer.paragraphs import Measure
from taiyaku.importer.text import Text
from taiyaku.importer.width import ends_sentence, hiragana, is_hiragana, is_kanji

MAX_READING = 12      # kana over one base word
MAX_BASE = 8          # kanji under one reading
MAX_BLANKS = 2        # blank lines the extraction puts around a reading
NOT_TEXT = re.compile(r'^\d{1,3}\t|^第\s*[0-9０-９一二三四五六七八九十]+\s*[章節]')


SPREAD = re.compile(r'^[\u3041-\u309fー](?: [\u3041-\u309fー])+$')


def tighten_readings(rows: list[Row], ledger) -> None:
    """A reading the extractor spread out, one kana at a time (へ ぐ ら じ ま): the spaces
    are the extractor's, not the reading's."""
    for row in rows:
        if row.kind == 'text' and SPREAD.match(row.chars):
            for k in range(1, len(row.chars), 2):
                ledger.claim_text(row.text.slice(k, k + 1), 'whitespace', 'between the kana of a spread reading')
            row.text = Text.join(row.text.slice(k, k + 1) for k in range(0, len(row.chars), 2))


def is_reading(rows: list[Row], index: int) -> bool:
    row = rows[index]
    if row.kind != 'text' or not 0 < len(row.chars) <= MAX_READING or not all(map(is_hiragana, row.chars)):
        return False
    before, after = next_filled(rows, index, -1), next_filled(rows, index)
    if before < 0 or index - before - 1 > MAX_BLANKS or rows[before].kind != 'text':
        return reads_ahead(rows, index, after)
    if is_reading(rows, before):
        return False          # kana after a reading continue the text (域/いき/の): one reading per base
    previous = rows[before].chars
    if is_kanji(previous[-1]):
        return True
    if ends_sentence(previous):
        return reads_ahead(rows, index, after)
    return (0 <= after and after - index - 1 <= MAX_BLANKS
            and rows[after].kind == 'text' and is_kanji(rows[after].chars[0]))


def reads_ahead(rows: list[Row], index: int, after: int) -> bool:
    """A reading set before the line its base starts (a paragraph's first word, or after a
    heading): the dictionary reads the kanji the next row opens with so, or their first."""
    if after < 0 or after - index - 1 > MAX_BLANKS or rows[after].kind != 'text' or not is_kanji(rows[after].chars[0]):
        return False
    reading, text = rows[index].chars, rows[after].chars
    run = 0
    while run < len(text) and is_kanji(text[run]) and run < MAX_BASE:
        run += 1
    return any(reading_of(text[:k]) == reading for k in range(1, run + 1)) or \
        (run == len(text) == 1 and reading_of(text) is not None and reading_of(text)[:1] == reading[:1])


def before_its_base(rows: list[Row], index: int, measure: Measure) -> bool:
    """The reading opens the row its base starts, rather than splitting a printed line: it
    comes first, after a heading or a break, or after a sentence's end — unless the row
    before, short, and the pieces after the reading fill one printed line together."""
    before = next_filled(rows, index, -1)
    if before < 0 or rows[before].kind != 'text' or index - before - 1 > MAX_BLANKS:
        return True
    if not ends_sentence(rows[before].chars):
        return False
    filled = measure.width(rows[before])
    if filled >= measure.column - 1:
        return True
    for k in range(index + 1, min(index + 12, len(rows))):
        row = rows[k]
        if row.kind != 'text' or is_reading(rows, k):
            continue
        filled += measure.width(row)
        if filled >= measure.column - 1:
            return filled > measure.column + 1.5     # too long for one line: the reading opened a new one
    return True


def merge_readings(rows: list[Row], measure: Measure) -> list[Row]:
    """Rows with every reading line turned into an anchor of the row it splits.

    The text after a reading is glued back unless it is the next printed line (a reading
    at a line end): that one the paragraph joiner handles like any other."""
    out: list[Row] = []
    i = 0
    while i < len(rows):
        if not is_reading(rows, i):
            out.append(rows[i])
            i += 1
            continue
        if before_its_base(rows, i, measure):   # the reading stands before the row its base opens
            following = next_filled(rows, i)
            rows[following].anchors.insert(0, Anchor(0, rows[i].text, attached=True))
            rows[following].lines = rows[i].lines + rows[following].lines
            i += 1
            continue
        while out[-1].kind == 'blank':          # blanks between the text and its reading
            out.pop()
        host = out[-1]
        host.anchors.append(Anchor(len(host.text), rows[i].text, attached=rows[i - 1].kind != 'blank'))
        host.lines += rows[i].lines
        following = next_filled(rows, i)
        i += 1
        if (following >= 0 and following - i <= MAX_BLANKS and rows[following].kind == 'text'
                and not is_reading(rows, following) and not NOT_TEXT.match(rows[following].chars)
                and not starts_next_line(host, rows[following], measure)):
            join_rows(host, rows[following])
            i = following + 1
    return out


def starts_next_line(host: Row, following: Row, measure: Measure) -> bool:
    """After a reading at a line end, the next row is a whole body line of its own (it
    fills the column), not the rest of the line the reading split."""
    rest = measure.width(following)
    return abs(rest - measure.column) <= 1 and measure.width(host) + rest > measure.column + 1


def join_rows(host: Row, tail: Row) -> None:
    shift = len(host.text)
    host.anchors.extend(a.moved(a.offset + shift) for a in tail.anchors)
    host.text = host.text + tail.text
    host.lines += tail.lines


# -- attaching readings to their bases ---------------------------------------------------

@lru_cache(maxsize=1)
def tokenizer():
    from janome.tokenizer import Tokenizer
    return Tokenizer()


@lru_cache(maxsize=65536)
def reading_of(word: str) -> str | None:
    """The dictionary reading of ``word`` in hiragana; None where a part has no reading."""
    readings = []
    for token in tokenizer().tokenize(word):
        if not token.reading or token.reading == '*':
            return None
        readings.append(token.reading)
    return hiragana(''.join(readings))


def attach(inline: Inline) -> list[dict]:
    """Turn the anchors of ``inline`` into rubies; return report entries for each."""
    text = inline.text.chars
    anchors = sorted(inline.anchors, key=lambda a: a.offset)
    entries = []
    i = 0
    while i < len(anchors):
        if anchors[i].base:                  # a PDF says where the base is
            ruby = laid_out(text, anchors[i])
            inline.rubies.append(ruby)
            entries.append(ruby_entry(inline, ruby))
            i += 1
            continue
        j = i + 1       # a chain: readings one character apart, each after its own kanji
        while (j < len(anchors) and anchors[j].offset - anchors[j - 1].offset == 1
               and is_kanji(text[anchors[j - 1].offset])):
            j += 1
        ruby = per_character(text, anchors[i:j]) if j - i > 1 else group(text, anchors[i])
        inline.rubies.append(ruby)
        entries.append(ruby_entry(inline, ruby))
        i = j
    inline.anchors = []
    return entries


def laid_out(text: str, anchor: Anchor) -> Ruby:
    """A reading over a base the PDF shows: split per character where its kana stand
    apart over each base character, one group reading otherwise. Two kana over each of
    two kanji look the same either way: where the dictionary reads each character as
    its share, the split is offered for confirmation."""
    start, end = anchor.offset, anchor.offset + anchor.base
    reading = anchor.reading
    if anchor.parts:
        readings, position = [], 0
        for part in anchor.parts:
            readings.append(reading.slice(position, position + part))
            position += part
        return Ruby(start, end, readings, confirmed=True, by='the PDF (one reading over each base character)')
    base = text[start:end]
    note = ''
    if len(base) > 1:
        shares = [reading_of(char) for char in base]
        if all(shares) and ''.join(shares) == reading.chars:
            note = (f'set as one reading over {base!r}; per character it would read '
                    f'{"|".join(shares)}: the layout cannot tell these apart')
    return Ruby(start, end, [reading], confirmed=True, by='the PDF (one reading over the base)', note=note)


def per_character(text: str, chain: list[Anchor]) -> Ruby:
    readings = [anchor.reading for anchor in chain]
    joined = ''.join(reading.chars for reading in readings)
    for start in (chain[0].offset - 1, chain[0].offset):      # each reading after its kanji, or before it
        end = start + len(chain)
        base = text[max(start, 0):end]
        if start < 0 or len(base) != len(chain) or not all(map(is_kanji, base)):
            continue
        if reading_of(base) == joined or all(reading_of(c) == r.chars for c, r in zip(base, readings)):
            return Ruby(start, end, readings, confirmed=True)
    start = chain[0].offset - 1 if chain[0].offset > 0 else chain[0].offset
    return Ruby(start, start + len(chain), readings, confirmed=False,
                note=f'the dictionary does not read {text[start:start + len(chain)]!r} as {joined!r}: '
                     'one reading per character, as the layout gives them')


def group(text: str, anchor: Anchor) -> Ruby:
    at, reading = anchor.offset, anchor.reading.chars
    start = at
    while start > 0 and is_kanji(text[start - 1]) and at - start < MAX_BASE:
        start -= 1
    end = at
    while end < len(text) and is_kanji(text[end]) and end - at < MAX_BASE:
        end += 1
    matches = [(i, j) for i in range(start, at + 1) for j in range(max(at, i + 1), end + 1)
               if i < j and (i < at or j > at) and (i <= at - 1 < j or i <= at < j)
               and reading_of(text[i:j]) == reading]
    if matches:
        # prefer the base the reading sat in the middle of, then the shortest
        i, j = min(matches, key=lambda m: (not (m[0] < at < m[1]), m[1] - m[0]))
        return Ruby(i, j, [anchor.reading], confirmed=True)
    if anchor.attached and start < at:
        i, j = at - 1, at
    elif start < at and at < end:
        i, j = at - 1, at + 1
    elif start < at:
        i, j = at - 1, at
    elif at < end:                           # the reading stood before its base: two kana a kanji or so
        i, j = at, at + max(1, min(end - at, round(len(reading) / 2)))
    else:                                    # no kanji at all: the nearest character
        i, j = (at - 1, at) if at > 0 else (at, min(at + 1, len(text)))
    return Ruby(i, j, [anchor.reading], confirmed=False,
                note=f'no run of kanji here has the dictionary reading {reading!r}: attached to '
                     f'{text[i:j]!r} by the layout')


def ruby_entry(inline: Inline, ruby: Ruby) -> dict:
    base = inline.text.slice(ruby.start, ruby.end)
    return {
        'base': base.chars,
        'readings': [reading.chars for reading in ruby.readings],
        'per_character': len(ruby.readings) > 1,
        'base_lines': base.lines(),
        'reading_lines': sorted({line for reading in ruby.readings for line in reading.lines()}),
        'confirmed_by': ruby.by or ('dictionary' if ruby.confirmed else 'layout'),
        **({'unsure': ruby.note} if ruby.note else {}),
    }
