"""``glossary``: a glossary term in the source has its approved form in the translation.

The glossary itself (``locale/glossary.csv``, how terms are found, how a translation may
render them, forbidden renderings) is :mod:`taiyaku.glossary`. Terms are found in the
msgid as a reader sees it (ruby reduced to its base: ``:ruby:`国後<くなしり>`島`` reads
国後島); the approved form must be in the msgstr once at least.

The ``numbers`` check leaves numbers inside a glossary term to this check: the term's
approved form carries them (第二次世界大戦 → World War II).
"""

from __future__ import annotations

from taiyaku.glossary import Glossary, GlossaryError, Match, Term, glossary_path
from taiyaku.qa import markup
from taiyaku.qa.core import ERROR, Context, Entry, register

__all__ = ['Glossary', 'GlossaryError', 'Match', 'Term', 'glossary', 'glossary_path', 'source_text',
           'translation_text']


def source_text(entry: Entry, context: Context) -> str:
    return markup.plain_text(markup.parse(entry.msgid, context.character_level))


def translation_text(entry: Entry, context: Context) -> str:
    return markup.plain_text(markup.parse(entry.translation, context.character_level))


@register('glossary', ERROR)
def glossary(entry: Entry, context: Context):
    """A glossary term in the source has its approved form in the translation."""
    terms = context.glossary
    if terms is None:
        return
    translation = translation_text(entry, context)
    reported = set()
    for match in terms.find(source_text(entry, context)):
        if match.terms in reported or any(term.rendered_in(translation) for term in match.terms):
            continue
        reported.add(match.terms)
        forms = ' or '.join(f'“{term.target}”' for term in match.terms)
        where = f'{terms.path.name}:{match.terms[0].line}'
        yield f'glossary term {match.terms[0].source} is {forms} ({where}), not found in the translation'
