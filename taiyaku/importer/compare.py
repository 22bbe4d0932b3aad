"""How far a draft agrees with a master, paragraph by paragraph, with markup normalised:
the same paragraphs (ruby and footnote references in the same places), headings at the
same depth, footnote bodies, ruby, figures with their captions, legends and places, and
the passages the extraction broke apart joined again."""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher

from taiyaku.importer.readback import RUBY_MARKUP as RUBY
from taiyaku.importer.readback import Block, Master


def plain(text: str) -> str:
    """What a reader reads: ruby bases without their readings, no reference marks."""
    return RUBY.sub(r'\1', text).replace('[*]', '')


def rubies(master: Master) -> list[str]:
    found = []
    for block in master.blocks:
        for match in RUBY.finditer(block.text):
            found.append(f'{plain(block.text[:match.start()])[-6:]}{match[0]}')
    return found


def references(master: Master) -> list[tuple[str, str]]:
    """(the words a footnote reference follows, the start of its body), in order."""
    anchors = [plain(block.text[:m.start()])[-8:] for block in master.blocks if block.kind != 'footnote'
               for m in re.finditer(r'\[\*\]', block.text)]
    bodies = [plain(block.text)[:16] for block in master.blocks if block.kind == 'footnote']
    return list(zip(anchors, bodies)) + [('', body) for body in bodies[len(anchors):]]


def figures(master: Master) -> list[tuple]:
    result, previous = [], ''
    for block in master.blocks:
        if block.kind == 'paragraph':
            previous = plain(block.text)[:16]
        elif block.kind == 'figure':
            result.append((block.extra[0], block.text, block.extra[1], previous))
    return result


def revert(expected: Master, found: Master, errata: list[tuple[str, str, str]]) -> Master:
    """``expected`` as it read before the errata (document, original, corrected).

    An erratum replaced its original wherever it stood; its corrected text may also
    stand where nothing was corrected. A block is reverted to the text the other master
    has if applying the erratum to that text gives the block; otherwise it is left."""
    texts = {block.text for block in found.blocks}
    blocks = []
    for block in expected.blocks:
        for document, original, corrected in errata:
            if block.document != document or corrected not in block.text or block.text in texts:
                continue
            for candidate in unapplied(block.text, original, corrected):
                if candidate in texts:
                    block = Block(block.kind, candidate, block.depth, block.extra, block.document)
                    break
        blocks.append(block)
    return Master(blocks, expected.characters, expected.problems, list(expected.pages))


def unapplied(text: str, original: str, corrected: str, limit: int = 10):
    """Every text that ``text.replace(original, corrected)`` would turn into ``text``."""
    pieces = text.split(corrected)
    if len(pieces) - 1 > limit:
        return
    for mask in range(1, 2 ** (len(pieces) - 1)):
        candidate = pieces[0] + ''.join((original if mask >> k & 1 else corrected) + piece
                                        for k, piece in enumerate(pieces[1:]))
        if candidate.replace(original, corrected) == text:
            yield candidate


def score(expected: list, found: list) -> dict:
    """Matched in the same order, out of the expected; and the differences."""
    matcher = SequenceMatcher(None, expected, found, autojunk=False)
    matched = sum(size for _, _, size in matcher.get_matching_blocks())
    missing = Counter(map(str, expected)) - Counter(map(str, found))
    extra = Counter(map(str, found)) - Counter(map(str, expected))
    in_order = {i for a, _, size in matcher.get_matching_blocks() for i in range(a, a + size)}
    absent = Counter(missing)
    moved = []
    for i, item in enumerate(map(str, expected)):      # present in the draft, but not where the master has it
        if i in in_order:
            continue
        if absent[item]:
            absent[item] -= 1
        else:
            moved.append(item)
    return {'matched': matched, 'total': len(expected), 'found': len(found),
            'missing': list(missing.elements()), 'unexpected': list(extra.elements()), 'out_of_order': moved}


def agreement(expected: Master, found: Master, joins: list[tuple[str, str]] = ()) -> dict[str, dict]:
    def kind(master: Master, name: str) -> list[Block]:
        return [block for block in master.blocks if block.kind == name]

    text = ''.join(plain(block.text) for block in found.blocks)
    return {
        'paragraphs': score([b.text for b in kind(expected, 'paragraph')], [b.text for b in kind(found, 'paragraph')]),
        'headings': score([(b.depth, b.text) for b in kind(expected, 'heading')],
                          [(b.depth, b.text) for b in kind(found, 'heading')]),
        'footnotes': score(references(expected), references(found)),
        'ruby': score(rubies(expected), rubies(found)),
        'figures': score(figures(expected), figures(found)),
        'rejoins': score(list(joins), [join for join in joins if ''.join(join) in text]),
        "the original's pages": score(expected.pages, found.pages),
        'everything in order': score([(b.kind, b.text, b.depth, b.extra) for b in expected.blocks],
                                     [(b.kind, b.text, b.depth, b.extra) for b in found.blocks]),
    }


def summary(result: dict[str, dict]) -> str:
    lines = []
    for name, item in result.items():
        if not item['total'] and not item['found']:
            continue
        lines.append(f'  {name:<20} {item["matched"]}/{item["total"]}'
                     + (f' (the draft has {item["found"]})' if item['found'] != item['total'] else ''))
        unexpected = list(item['unexpected'])
        for text in item['missing']:
            closest = max(unexpected, key=lambda other: SequenceMatcher(None, text, other).ratio(), default=None)
            if closest is not None and SequenceMatcher(None, text, closest).ratio() > 0.8:
                unexpected.remove(closest)
                lines.append(f'    differs: {difference(text, closest)}')
            else:
                lines.append(f'    only in the master: {text[:60]}…')
        for text in unexpected:
            lines.append(f'    only in the draft:  {text[:60]}…')
        for text in item.get('out_of_order', ()):
            lines.append(f'    out of order:       {text[:60]}…')
    return '\n'.join(lines)


def difference(master: str, draft: str, context: int = 12) -> str:
    """Where two nearly equal texts differ: …context[master → draft]context…"""
    parts = []
    for op, a1, a2, b1, b2 in SequenceMatcher(None, master, draft, autojunk=False).get_opcodes():
        if op != 'equal':
            parts.append(f'…{master[max(0, a1 - context):a1]}[{master[a1:a2]} → {draft[b1:b2]}]{master[a2:a2 + context]}…')
    return ' '.join(parts)
