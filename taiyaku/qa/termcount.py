"""``term-count``: a term the source repeats is not renamed in the translation.

The ``glossary`` check asks for a term's approved form once. A source that names a term
several times may be translated with the approved form each time, a listed later-mention
form (``Prime Minister Kan`` after ``Prime Minister Naoto Kan``), or a plain pronoun or
common noun (``he``, ``the islands``, ``the Declaration``) — English avoids repetition
where Japanese does not, and a pronoun cannot be counted. What can be checked is a
different proper name in its place: when the translation holds fewer approved forms of
a term than the source has occurrences, and holds more of another term's capitalized
approved form than the source has of that term (``Etorofu Island`` where the source
named 国後島 twice and 択捉島 not at all), the missing occurrence was given another name.
The other name must be of the same kind — share a word with the term's forms (``Island``,
``Prime Minister``, ``Declaration``): English names Japan and Russia far more often than
the Japanese spells out 日本 and ロシア (日露, 訪日), and that is no renaming. (So a bare
surname put for another, ``Putin`` for ``Medvedev``, is beyond this check.)

English forms are found leftmost-longest, as the source terms are: ``Japan Centers``
counts for 日本センター, not for 日本; a form two terms share counts for both.
"""

from __future__ import annotations

import re
from collections import Counter

from taiyaku.qa.core import ERROR, Context, Entry, register
from taiyaku.qa.glossary import Glossary, source_text, translation_text


def english_occurrences(glossary: Glossary, translation: str) -> list[tuple[str, frozenset[str]]]:
    """Each approved form in the translation, leftmost-longest: (the text, the terms it renders)."""
    spans: dict[tuple[int, int], set[str]] = {}
    for source, terms in glossary.terms.items():
        for term in terms:
            for found in term.pattern.finditer(translation):
                spans.setdefault(found.span(), set()).add(source)
    chosen, end = [], -1
    for (start, stop), sources in sorted(spans.items(), key=lambda item: (item[0][0], -item[0][1])):
        if start >= end:
            chosen.append((translation[start:stop], frozenset(sources)))
            end = stop
    return chosen


MINOR_WORDS = frozenset({'a', 'an', 'and', 'by', 'for', 'in', 'of', 'on', 'the', 'to', 'with'})


def words(text: str) -> set[str]:
    """The content words of an English form, singular (``Islands`` → ``island``)."""
    found = {word.lower() for word in re.findall(r'[A-Za-z]+', text)} - MINOR_WORDS
    return {word[:-1] if word.endswith('s') and len(word) > 3 else word for word in found}


def times(count: int) -> str:
    return {1: 'once', 2: 'twice'}.get(count, f'{count} times')


@register('term-count', ERROR)
def term_count(entry: Entry, context: Context):
    """A term the source repeats is not given another proper name in the translation."""
    glossary = context.glossary
    if glossary is None:
        return
    in_source = Counter(match.terms[0].source for match in glossary.find(source_text(entry, context)))
    repeated = {source: count for source, count in in_source.items() if count > 1}
    if not repeated:
        return
    occurrences = english_occurrences(glossary, translation_text(entry, context))
    rendered = Counter()
    by_group: Counter[frozenset[str]] = Counter()
    names: dict[frozenset[str], str] = {}
    for text, sources in occurrences:
        by_group[sources] += 1
        names.setdefault(sources, text)
        for source in sources:
            rendered[source] += 1
    for source, expected in sorted(repeated.items()):
        found = rendered[source]
        if found == 0 or found >= expected:      # none at all is the glossary check's finding
            continue
        kind = set().union(*(words(term.target) for term in glossary.terms[source]))
        for group, count in sorted(by_group.items(), key=lambda item: sorted(item[0])):
            if source in group or not names[group][:1].isupper() or not words(names[group]) & kind:
                continue
            excess = count - sum(in_source[other] for other in group)
            if excess <= 0:
                continue
            rival = ' / '.join(sorted(group))
            forms = ' or '.join(f'“{term.target}”' for term in glossary.terms[source])
            yield (f'{source} occurs {times(expected)} in the source but its approved form ({forms}) '
                   f'{times(found)} in the translation, while “{names[group]}” occurs {times(excess)} more than '
                   f'{rival} in the source: a later mention may repeat the term or be a plain pronoun, '
                   f'not another name')
            break
