"""Lay a structured text out as a raw PDF text extraction, the way the 2011 one was made.

The structured text is a sequence of blocks as :mod:`taiyaku.importer.readback` reads a
master (headings with their depth, paragraphs with ``{base<reading>}`` ruby and ``[*]``
footnote references, footnote bodies, figures with caption and legend). :func:`layout`
sets it in two-column pages of a given column width and height — lines broken with
kinsoku, paragraph indents dropped, ruby readings on lines of their own inside the word
they read, footnote numbers loose after their word, footnote bodies dumped at the end of
the page or column, captions where the page puts them, running heads, folios, a vertical
chapter tab, subhead letters stranded — and, optionally, with the reading order broken
the way the two-column layout breaks it. Importing the result must give the structure
back: tests/test_importer_layouts.py checks it.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace

from taiyaku.importer.readback import Block
from taiyaku.importer.ruby import reading_of
from taiyaku.importer.width import NO_LINE_START, OPENING, char_width

RUBY = re.compile(r'\{([^<{}]*)<([^>]*)>\}')
HANGING = '、。，．'
ENUMERATORS = 'アイウエオカキクケコ'


@dataclass(frozen=True)
class Options:
    width: int = 20                  # text column, in full-width characters
    column_lines: int = 40           # lines a column holds
    footnote_width: int = 66
    caption_width: int = 32
    lead_first: bool = True          # the section's lead comes before its heading block, as in 2011
    stranded: bool = True            # subhead letters at the page's end, not in the heading
    kept_indent: bool = False        # paragraph first lines keep their full-width space
    footnotes_after: str = 'page'    # 'page' or 'column': where footnote bodies land
    captions_after: str = 'page'     # 'page' or 'column'
    defer: bool = False              # a column that continues a paragraph is output from its heading on first
    ruby_split: int = 1              # characters of a group ruby's base before the reading line
    seed: int = 0


@dataclass
class Unit:
    text: str                        # as it stands in the raw line
    width: float
    kind: str = 'char'               # char, latin, space, ruby, marker
    readings: tuple[str, ...] = ()


@dataclass
class Line:
    raw: list[str]                   # the raw lines this visual line becomes
    kind: str = 'text'               # text, heading, blank
    notes: tuple[int, ...] = ()
    figures: tuple[Block, ...] = ()
    letters: tuple[str, ...] = ()
    ends_sentence: bool = False


# -- text into units and lines -------------------------------------------------------------

def units(text: str, notes: list[int]) -> list[Unit]:
    """``[*]`` takes the next number from ``notes``."""
    out: list[Unit] = []
    pos = 0
    for match in re.finditer(r'\{([^<{}]*)<([^>]*)>\}|\[\*\]', text):
        out += plain_units(text[pos:match.start()])
        if match[0] == '[*]':
            number = notes.pop(0)
            glued = out and out[-1].text[-1:] in '」』）'
            marker = str(number) if glued else f' {number}'
            out.append(Unit(marker, 0.5 * len(marker), 'marker'))
        else:
            base, readings = match[1], tuple(match[2].split('|'))
            out.append(Unit(base, float(len(base)), 'ruby', readings))
        pos = match.end()
    return out + plain_units(text[pos:])


def plain_units(text: str) -> list[Unit]:
    out = []
    for match in re.finditer(r'[A-Za-z0-9][A-Za-z0-9.,\-]*[A-Za-z0-9]|[A-Za-z0-9]| |.', text):
        token = match[0]
        kind = 'space' if token == ' ' else 'latin' if token[0].isascii() and token[0].isalnum() else 'char'
        out.append(Unit(token, sum(char_width(c) for c in token), kind))
    return out


def break_lines(items: list[Unit], width: float, first: float) -> list[list[Unit]]:
    """Greedy line breaking with kinsoku: 、。 hang, a character that may not start a line
    brings the one before it along, an opening bracket never ends a line."""
    lines: list[list[Unit]] = [[]]
    room = first
    for unit in items:
        current = lines[-1]
        used = sum(u.width for u in current)
        if used + unit.width <= room or not current:
            current.append(unit)
            continue
        if unit.text in HANGING:
            current.append(unit)
            continue
        if unit.kind == 'space':
            lines.append([])             # the space is lost at the break, as in print
            room = width
            continue
        carry = []
        if unit.kind == 'marker' or unit.text[0] in NO_LINE_START + '\u3000':
            carry.append(current.pop())
        while current and current[-1].text[-1:] in OPENING:
            carry.insert(0, current.pop())
        while current and current[-1].kind == 'space':
            current.pop()
        lines.append(carry + [unit])
        room = width
    return [line for line in lines if line]


def render(line: list[Unit], options: Options) -> list[str]:
    """One visual line as raw lines: a ruby reading splits the line inside its base."""
    out: list[str] = []
    current = ''
    for unit in line:
        if unit.kind != 'ruby':
            current += unit.text
        elif len(unit.readings) == 1:
            split = min(max(options.ruby_split, 1), max(len(unit.text) - 1, 1))
            out += [current + unit.text[:split], '', unit.readings[0], '']
            current = unit.text[split:]
        else:
            for char, reading in zip(unit.text, unit.readings):
                out += [current + char, reading, '']
                current = ''
    if current or not out:
        out.append(current)
    return out


# -- the structured text in reading order --------------------------------------------------

def heading_kind(text: str) -> str:
    if re.match(r'^第[0-9０-９]+節', text):
        return 'section'
    if re.match(r'^[0-9０-９]+\u3000', text):
        return 'numbered'
    if re.match(r'^（[0-9０-９]+）', text):
        return 'paren'
    if re.match(rf'^[{ENUMERATORS}]\u3000', text):
        return 'kana'
    return 'division'


def lines_of(blocks: list[Block], options: Options) -> tuple[list[Line], dict[int, str], str, str]:
    """Visual lines in reading order; footnote bodies by number; cover title; running head."""
    note_numbers = list(range(1, 1 + sum(b.text.count('[*]') for b in blocks if b.kind != 'footnote')))
    bodies: dict[int, str] = {}
    pending_notes: list[int] = []
    out: list[Line] = []
    cover = running = ''
    next_body = 1
    for block in blocks:
        if block.kind == 'heading':
            kind = 'cover' if block.document == 'index' else heading_kind(block.text)
            if kind == 'cover':
                cover = block.text
                continue
            if kind == 'section':
                number, title = block.text.split('\u3000', 1)
                running = number + title
                half = max(1, len(title) // 2)
                out += [Line([''], 'blank'), Line([number], 'heading'), Line([''], 'blank'), Line([title[:half] + ' '], 'heading'),
                        Line([title[half:]], 'heading'), Line([''], 'blank')]
            elif kind == 'kana':
                letter, title = block.text.split('\u3000', 1)
                out.append(Line([''], 'blank'))
                out.append(Line([title] if options.stranded else [block.text], 'heading',
                                letters=(letter,) if options.stranded else ()))
            else:
                out += [Line([''], 'blank'), Line([' ' + block.text if kind == 'numbered' else block.text], 'heading'),
                        Line([''], 'blank')]
        elif block.kind == 'paragraph':
            count = block.text.count('[*]')
            mine, note_numbers = note_numbers[:count], note_numbers[count:]
            pending_notes = list(mine)
            indent = '\u3000' if options.kept_indent else ''
            broken = break_lines(units(block.text, list(mine)), options.width, options.width - 1)
            for k, visual in enumerate(broken):
                notes = tuple(int(u.text) for u in visual if u.kind == 'marker')
                raw = render(visual, options)
                if k == 0 and indent:
                    raw[0] = indent + raw[0]
                out.append(Line(raw, notes=notes, ends_sentence=k == len(broken) - 1))
        elif block.kind == 'footnote':
            bodies[next_body] = block.text
            next_body += 1
        elif block.kind == 'figure':
            for line in reversed(out):
                if line.kind == 'text':
                    line.figures += (block,)
                    break
    return out, bodies, cover, running


def lead_first(blocks: list[Block]) -> list[Block]:
    """As in 2011: the section's lead before its heading block, and that block out of
    rank order (第５節, 1　…, （1）…, 各　論, then the first subhead)."""
    kinds = [heading_kind(b.text) if b.kind == 'heading' and b.document != 'index' else '' for b in blocks]
    if 'section' not in kinds or 'division' not in kinds:
        return blocks
    section = kinds.index('section')
    division = kinds.index('division', section)
    end = division
    while end < len(blocks) and blocks[end].kind == 'heading':
        end += 1
    run = blocks[division:end]
    lead = blocks[section + 1:division]
    subheads = [b for b in run if heading_kind(b.text) == 'kana']
    others = [b for b in run[1:] if b not in subheads]
    return blocks[:section] + lead + [blocks[section]] + others + [run[0]] + subheads + blocks[end:]


# -- pages ----------------------------------------------------------------------------------

def layout(blocks: list[Block], options: Options = Options()) -> str:
    flow, bodies, cover, running = lines_of(lead_first(blocks) if options.lead_first else blocks, options)
    columns = paginate(flow, options.column_lines)
    if options.defer:
        columns = deferred(columns)
    raw: list[str] = []
    for page, start in enumerate(range(0, len(columns), 2), start=96):
        pair = columns[start:start + 2]
        page_notes, page_figures, page_letters = [], [], []
        for number, column in enumerate(pair):
            raw += [r for line in column for r in line.raw]
            notes = [n for line in column for n in line.notes]
            figures = [f for line in column for f in line.figures]
            page_letters += [letter for line in column for letter in line.letters]
            raw.append('')
            if options.footnotes_after == 'column':
                raw += footnote_lines(notes, bodies, options)
            else:
                page_notes += notes
            if options.captions_after == 'column':
                raw += caption_lines(figures, options)
            else:
                page_figures += figures
        if page_letters:
            raw += [' '.join(page_letters), '']
        raw += footnote_lines(page_notes, bodies, options) + caption_lines(page_figures, options)
        if page % 2:
            raw += [f'{page}{cover}', '', running, '', '第', '２', '章', '', '']
    return '\n'.join(raw) + '\n'


def paginate(flow: list[Line], height: int) -> list[list[Line]]:
    """Columns of ``height`` lines; a heading is kept with the text after it, as a
    typesetter does (never the last thing in a column)."""
    columns: list[list[Line]] = []
    current: list[Line] = []
    for line in flow:
        if len(current) >= height:
            keep = []
            while current and current[-1].kind != 'text':
                keep.insert(0, current.pop())
            columns.append(current)
            current = keep
        current.append(line)
    if current:
        columns.append(current)
    return [column for column in columns if column]


def deferred(columns: list[list[Line]]) -> list[list[Line]]:
    """The first column that continues a paragraph left mid-sentence and has a heading
    further down is output from its heading on, then its beginning: the dangling
    paragraph meets its continuation only after a whole section, as in 2011."""
    for k in range(1, len(columns)):
        previous, column = columns[k - 1], columns[k]
        last_text = next((line for line in reversed(previous) if line.kind == 'text'), None)
        heading = next((i for i, line in enumerate(column) if line.kind == 'heading'), None)
        if (last_text and not re.search(r'[。」）]$', last_text.raw[-1]) and heading and heading > 2
                and column[0].kind == 'text' and heading < len(column) - 3):
            columns[k] = column[heading:] + [Line([''], 'blank')] + column[:heading]
            break
    return columns


def footnote_lines(numbers: list[int], bodies: dict[int, str], options: Options) -> list[str]:
    out = []
    for number in numbers:
        broken = break_lines(units(bodies[number], []), options.footnote_width, options.footnote_width - 2)
        raw = [r for line in broken for r in render(line, options)]
        raw[0] = f'{number}\t {raw[0]}'
        out += raw + ['']
    return out


def caption_lines(figures: list[Block], options: Options) -> list[str]:
    out = []
    for figure in figures:
        broken = break_lines(plain_units(figure.text), options.caption_width, options.caption_width)
        out += [''.join(u.text for u in line) for line in broken] + ['']
        if figure.extra[1]:
            out += [' '.join(re.sub(r'（', ' （', item, count=1) for item in figure.extra[1][i:i + 2])
                    for i in range(0, len(figure.extra[1]), 2)]
            out.append('')
    return out


# -- other structured texts ----------------------------------------------------------------

def with_more_ruby(blocks: list[Block], count: int, seed: int) -> list[Block]:
    """Readings added over other words: kanji compounds of the text whose dictionary
    reading is known; some per character, where each character's own reading adds up."""
    rng = random.Random(seed)
    candidates = []
    for index, block in enumerate(blocks):
        if block.kind != 'paragraph':
            continue
        for match in re.finditer(r'(?<![\u4e00-\u9fff{<|])[\u4e00-\u9fff]{2,4}(?![\u4e00-\u9fff>|}])', block.text):
            candidates.append((index, match.start(), match[0]))
    rng.shuffle(candidates)
    chosen: dict[int, list[tuple[int, str, str]]] = {}
    for index, start, word in candidates:
        reading = reading_of(word)
        if not reading or len(chosen.get(index, ())) >= 1 or sum(map(len, chosen.values())) >= count:
            continue
        per_char = [reading_of(char) for char in word]
        if len(word) == 2 and all(per_char) and ''.join(per_char) == reading and rng.random() < 0.5:
            markup = '{' + word + '<' + '|'.join(per_char) + '>}'
        else:
            markup = '{' + word + '<' + reading + '>}'
        chosen.setdefault(index, []).append((start, word, markup))
    result = list(blocks)
    for index, edits in chosen.items():
        text = blocks[index].text
        for start, word, markup in sorted(edits, reverse=True):
            text = text[:start] + markup + text[start + len(word):]
        result[index] = replace(blocks[index], text=text)
    return result


def reshuffled(blocks: list[Block], seed: int) -> list[Block]:
    """The same sections with their paragraphs in another order (each keeping its
    footnotes and figures): a structured text the 2011 layout never saw."""
    rng = random.Random(seed)
    out: list[Block] = []
    group: list[list[Block]] = []

    def flush():
        rng.shuffle(group)
        for unit in group:
            out.extend(unit)
        group.clear()

    for block in blocks:
        if block.kind == 'heading':
            flush()
            out.append(block)
        elif block.kind == 'paragraph':
            group.append([block])
        elif group:
            group[-1].append(block)
        else:
            out.append(block)
    flush()
    return out      # footnote bodies travel with their paragraphs: numbering follows the new order


# -- what the importer must give back ---------------------------------------------------------

def recovered(blocks: list[Block], draft: 'Master', report: dict) -> dict[str, list]:
    """What the draft got wrong of the structured text, by kind; empty lists when all is
    recovered. Paragraphs the importer got wrong count only where it did not say so: a
    wrong paragraph must contain a line the report flags (a rejoin to confirm, a doubt)."""
    from collections import Counter
    from taiyaku.importer.compare import plain

    def of(source, kind):
        return [b for b in source if b.kind == kind]

    problems: dict[str, list] = {}
    problems['headings'] = [] if [(b.depth, b.text) for b in of(blocks, 'heading')] == \
        [(b.depth, b.text) for b in of(draft.blocks, 'heading')] else [[b.text for b in of(draft.blocks, 'heading')]]
    problems['footnote bodies'] = [b.text for b in of(blocks, 'footnote')] if \
        [b.text for b in of(blocks, 'footnote')] != [b.text for b in of(draft.blocks, 'footnote')] else []
    references = sum(b.text.count('[*]') for b in draft.blocks)
    problems['footnote references'] = [] if references == len(of(blocks, 'footnote')) else [references]
    rubies = lambda source: Counter(m for b in source for m in RUBY.findall(b.text))
    problems['ruby'] = list((rubies(blocks) - rubies(draft.blocks)).elements())
    figures = lambda source: Counter((b.extra[0], b.text, b.extra[1]) for b in of(source, 'figure'))
    problems['figures'] = list((figures(blocks) - figures(draft.blocks)).elements())
    expected = {plain(b.text) for b in of(blocks, 'paragraph')}
    flagged = ([r[side]['line'] for r in report['rejoins'] if r.get('confirm') for side in ('before', 'after')]
               + [line for r in report['rejoins'] for line in r.get('other_candidates', ())]
               + [doubt.get('line', 0) for doubt in report['uncertainties']])
    unflagged = []
    for block in of(draft.blocks, 'paragraph'):
        text = plain(block.text)
        if text in expected:
            continue
        entry = next(p for p in report['paragraphs'] if text.startswith(p['starts']) and text.endswith(p['ends']))
        if not any(min(entry['lines']) <= line <= max(entry['lines']) for line in flagged):
            unflagged.append(text[:40])
    problems['paragraphs wrong and not flagged'] = unflagged
    return {kind: found for kind, found in problems.items() if found}


def paragraph_agreement(blocks: list[Block], draft: 'Master') -> tuple[int, int]:
    from taiyaku.importer.compare import plain
    expected = [plain(b.text) for b in blocks if b.kind == 'paragraph']
    found = {plain(b.text) for b in draft.blocks if b.kind == 'paragraph'}
    return sum(1 for text in expected if text in found), len(expected)


def curated(root, draft: 'Master') -> 'Master':
    """The curated master (source/) as the first edition printed it: the errata of later
    editions undone, so it can be compared with an import of the 2011 raw text."""
    from taiyaku import editions
    from taiyaku.importer import compare, readback
    history = editions.load(root / 'editions.toml')
    errata = [(e.document, e.original, e.corrected) for e in editions.errata_since(history, '2011.1')]
    return compare.revert(readback.read(root / 'source'), draft, errata)


def curated_text(folder) -> list[Block]:
    """The structured text of the variant tests: the 2011 raw text imported into
    ``folder``, and the curated master as first printed, compared against it."""
    from pathlib import Path
    from taiyaku.importer import readback, run
    root = Path(__file__).resolve().parent.parent
    run(root / 'raw' / '2011' / 'bluebook-2011-ch2-sec5.txt', folder)
    return curated(root, readback.read(folder)).blocks
