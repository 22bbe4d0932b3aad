"""What each corpus PDF was made from, and how far an import gives it back.

:func:`expected` reads a section's .tex (the macros of taiyaku-corpus.sty) into the blocks
a master of it holds, as :mod:`taiyaku.importer.readback` reads one: the cover (the
publication, which the folios print), headings, paragraphs with ``{base<reading>}`` ruby
and ``[*]`` references, each footnote after its paragraph, photos with their captions.
:func:`misses` scores a draft against them, check by check, as issue 14 asks: paragraphs
exact and in order, heading levels, every ruby pair, footnotes intact and anchored after
the right word, no furniture, captions as figures. An empty result is a perfect import.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from taiyaku.importer.compare import RUBY, plain
from taiyaku.importer.readback import Block, Master

HERE = Path(__file__).resolve().parent
MACRO = re.compile(r'\\(grp|per|note)\{([^{}]*)\}(?:\{([^{}]*)\})?')
FURNITURE = ('外交青書', '第２章')


def expected(section: str, publication: str = '外交青書 2031') -> list[Block]:
    source = (HERE / 'sections' / f'{section}.tex').read_text(encoding='utf-8')
    blocks = [Block('heading', publication, 0)]
    levels = {'sectiontitle': 1, 'division': 2, 'numbered': 3, 'paren': 4, 'kana': 5}
    for chunk in re.split(r'\n\s*\n', source):
        chunk = '\n'.join(line for line in chunk.splitlines() if not line.startswith('%')).strip()
        if not chunk:
            continue
        head = re.fullmatch(r'\\(sectiontitle|division|numbered|paren|kana)\{([^{}]*)\}(?:\{([^{}]*)\})?', chunk)
        if head:
            kind, first, second = head.groups()
            text = {'sectiontitle': f'{first}\u3000{second}', 'division': first, 'numbered': f'{first}\u3000{second}',
                    'paren': f'（{first}）{second}', 'kana': f'{first}\u3000{second}'}[kind]
            blocks.append(Block('heading', text, levels[kind]))
            continue
        photo = re.fullmatch(r'\\photo\{(.*)\}', chunk)
        if photo:
            blocks.append(Block('figure', photo[1], extra=('photo', ())))
            continue
        notes = []

        def markup(match: re.Match) -> str:
            kind, first, second = match.groups()
            if kind == 'note':
                notes.append(first)
                return '[*]'
            return '{' + first + '<' + second + '>}'

        blocks.append(Block('paragraph', MACRO.sub(markup, chunk.replace('\n', ''))))
        blocks += [Block('footnote', note) for note in notes]
    return blocks


def levels(blocks: list[Block]) -> list[tuple[int, str]]:
    """Headings with their level in the hierarchy (the depths, ranked)."""
    depths = sorted({b.depth for b in blocks if b.kind == 'heading'})
    return [(depths.index(b.depth), b.text) for b in blocks if b.kind == 'heading']


def anchored(blocks: list[Block]) -> list[tuple[str, str]]:
    """Each footnote reference: the eight characters it follows, and its note's text."""
    refs = [plain(b.text[:m.start()])[-8:] for b in blocks if b.kind == 'paragraph' for m in re.finditer(r'\[\*\]', b.text)]
    bodies = [b.text for b in blocks if b.kind == 'footnote']
    return list(zip(refs, bodies)) + [('(no reference)', body) for body in bodies[len(refs):]] \
        + [(ref, '(no body)') for ref in refs[len(bodies):]]


def misses(want: list[Block], draft: Master) -> dict[str, list]:
    got = draft.blocks
    found: dict[str, list] = {}

    def compare(name: str, a: list, b: list) -> None:
        if a != b:
            missing = list((Counter(map(str, a)) - Counter(map(str, b))).elements())
            extra = list((Counter(map(str, b)) - Counter(map(str, a))).elements())
            found[name] = [f'expected: {m[:80]}' for m in missing] + [f'got: {e[:80]}' for e in extra] \
                or ['the same items in another order']

    compare('paragraphs', [b.text for b in want if b.kind == 'paragraph'], [b.text for b in got if b.kind == 'paragraph'])
    compare('heading levels', levels(want), levels(got))
    rubies = lambda blocks: [m[0] for b in blocks for m in RUBY.finditer(b.text)]
    compare('ruby', rubies(want), rubies(got))
    compare('footnotes', anchored(want), anchored(got))
    compare('figures', [(b.extra[0], b.text) for b in want if b.kind == 'figure'],
            [(b.extra[0], b.text) for b in got if b.kind == 'figure'])
    furniture = [b.text[:40] for b in got[1:] if any(word in b.text for word in FURNITURE)]
    if furniture:
        found['furniture'] = furniture
    return found
