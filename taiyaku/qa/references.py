"""``references``: what the source points at, its translation points at too.

Footnote references (``[#]_``, ``[#label]_``, ``[1]_``, ``[*]_``), citations (``[CIT]_``),
hyperlink references (``name_``, ```text <url>`_``, anonymous ``__``, standalone URIs),
cross-reference roles (``:ref:``, ``:doc:``, ``:term:``, domain roles), substitutions
(``|name|``) and the original's page markers (``:original-page:`98```) are read from the msgid and the msgstr by docutils' own parser, and must
be the same multiset: a reference dropped is a footnote or a link lost; one added points
nowhere. Role targets must stay, their titles may be translated.

Sphinx itself compares footnote and citation references and named hyperlinks *literally
and in order* and warns ("inconsistent footnote references in translated message"),
which fails this project's builds; so a reordering or a rewritten named reference is
reported too. A translation ending in Sphinx's ``#noqa`` is exempt, as in Sphinx.
"""

from __future__ import annotations

from collections import Counter

from taiyaku.qa import markup
from taiyaku.qa.core import ERROR, Context, Entry, register

KIND = {'footnote': 'footnote reference', 'citation': 'citation', 'reference': 'hyperlink reference',
        'link': 'link', 'role': 'cross-reference', 'substitution': 'substitution', 'target': 'inline target',
        'page': 'original page marker'}
SPHINX_LITERAL = {'footnote': 'footnote', 'citation': 'citation', 'reference': ''}


@register('references', ERROR)
def references(entry: Entry, context: Context):
    """Footnote references, citations, links, cross-references and substitutions carry over."""
    if entry.noqa:
        return
    source = markup.references(markup.parse(entry.msgid, context.character_level))
    target = markup.references(markup.parse(entry.translation, context.character_level))
    wanted = Counter((r.kind, r.key) for r in source)
    given = Counter((r.kind, r.key) for r in target)
    shown = {(r.kind, r.key): r.text for r in [*target, *source]}
    for kind, key in sorted((wanted - given).elements()):
        yield f'{KIND[kind]} {shown[kind, key]} is missing from the translation'
    for kind, key in sorted((given - wanted).elements()):
        yield f'{KIND[kind]} {shown[kind, key]} is not in the source'
    if wanted != given:
        return
    for kind, word in SPHINX_LITERAL.items():
        before = [r.text for r in source if r.kind == kind]
        after = [r.text for r in target if r.kind == kind]
        if before != after:
            yield (f'{KIND[kind]}s written or ordered otherwise than in the source ({" ".join(before)} → '
                   f'{" ".join(after)}): Sphinx compares them literally and warns "inconsistent {word}'
                   f'{" " if word else ""}references"; keep them as in the source, or end the translation with #noqa')
