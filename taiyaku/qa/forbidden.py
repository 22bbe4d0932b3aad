"""``forbidden``: a rendering the glossary forbids for a term of the source.

Some renderings are not style but a stated position: for Japan's Ministry of Foreign
Affairs the Northern Territories are never the "Southern Kurils", Etorofu never "Iturup",
the Sea of Japan never the "East Sea". The glossary marks them as Weblate does, a row
with the ``forbidden`` flag. Wherever the source holds the term (also inside a longer
term: 北方領土 in 北方領土問題), each forbidden rendering found in the translation is an
error — even when the approved form is there too: a reader of the published English sees
both.
"""

from __future__ import annotations

from taiyaku.qa.core import ERROR, Context, Entry, register
from taiyaku.qa.glossary import source_text, translation_text


@register('forbidden', ERROR)
def forbidden(entry: Entry, context: Context):
    """No rendering the glossary forbids for a term of the source."""
    glossary = context.glossary
    if glossary is None or not glossary.forbidden:
        return
    source = source_text(entry, context)
    translation = translation_text(entry, context)
    reported = set()
    for term_source, renderings in glossary.forbidden.items():
        if term_source not in source:
            continue
        approved = ' or '.join(f'“{term.target}”' for term in glossary.terms.get(term_source, ()))
        for term in renderings:
            found = term.pattern.search(translation)
            if found is None or (found.group(), term_source) in reported:
                continue
            reported.add((found.group(), term_source))
            why = f': {term.explanation}' if term.explanation else ''
            use = f'; write {approved}' if approved else ''
            yield (f'“{found.group()}” is a forbidden rendering of {term_source} '
                   f'({glossary.path.name}:{term.line}{why}){use}')
