"""``injection``: raw markup in a translation.

A translation is text. HTML tags (``<script>``, any tag or comment), reStructuredText
explicit markup and directives (``.. raw:: html``, ``.. include::``, a target or comment),
raw roles (``:raw-html:``) and LaTeX control words (``\\input``, ``\\write18``,
``\\include``, ``\\def``…) could reach the HTML, the EPUB or the LaTeX run as markup,
or read files at build time: each is an error unless the source message has the same.
Angle brackets that are reStructuredText syntax (```text <target>`_``, a role's
``title <target>``) are not tags.
"""

from __future__ import annotations

import re
from collections import Counter

from taiyaku.qa.core import ERROR, Context, Entry, register

# angle brackets closing an embedded target: `text <https://…>`_ , :ref:`title <label>`
EMBEDDED_TARGET = re.compile(r'<[^<>`]*>(?=`)')
HTML = re.compile(r'<!--|<!\[CDATA\[|<![A-Za-z]|<\?|</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>')
EXPLICIT_MARKUP = re.compile(r'(?m)^[ \t]*\.\.(?:[ \t]|$)')
DIRECTIVE = re.compile(r'\.\.[ \t]+(?:\|[^|]+\|[ \t]+)?[A-Za-z][\w:+.-]*[ \t]*::')
RAW_ROLE = re.compile(r':raw[\w.-]*:`')
LATEX = re.compile(r'\\[A-Za-z@]+')


def markup_in(text: str) -> Counter:
    found: Counter = Counter()
    for match in HTML.finditer(EMBEDDED_TARGET.sub('', text)):
        found['HTML', match.group()] += 1
    for match in DIRECTIVE.finditer(text):
        found['directive', ' '.join(match.group().split())] += 1
    if EXPLICIT_MARKUP.search(text) and not DIRECTIVE.search(text):
        found['explicit markup', '.. '] += 1
    for match in RAW_ROLE.finditer(text):
        found['raw role', match.group()[:-1]] += 1
    for match in LATEX.finditer(text):
        found['LaTeX', match.group()] += 1
    return found


@register('injection', ERROR)
def injection(entry: Entry, context: Context):
    """No HTML, directive, raw role or LaTeX in a translation that its source does not have."""
    added = markup_in(entry.translation) - markup_in(entry.msgid)
    if added:
        found = ', '.join(f'{kind} {text}' + (f' ({count} times)' if count > 1 else '')
                          for (kind, text), count in added.items())
        yield f'{found} in the translation: translations are text, not markup'
