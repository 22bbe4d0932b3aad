"""``rst``: the translation is reStructuredText that Sphinx can put in the source's place.

The msgstr is parsed by docutils with the project's settings (``character_level_inline_markup``
from docutils.conf), as Sphinx parses a translation: every warning or error docutils
reports is a finding (an unterminated role, literal, emphasis or interpreted text, an
unknown role, a broken ``:ruby:``…). Nothing is printed, nothing is included or output
raw.

Sphinx puts a translation in place only when it reads as the same kind of block as the
source: the first paragraph for a paragraph, a title for a section title (known from the
``#:`` location in the master). A translation that starts like a list (``1. The …``,
``- …``) or holds a blank line is otherwise dropped without a word, the English page
showing the Japanese; that is a finding too. Explicit markup (``.. …``) is left to the
``injection`` check.
"""

from __future__ import annotations

import re

from docutils import nodes

from taiyaku.qa import markup
from taiyaku.qa.core import ERROR, Context, Entry, register
from taiyaku.qa.injection import EXPLICIT_MARKUP

UNDERLINE = re.compile(r'([!-/:-@\[-`{-~])\1+\s*')


def block_kind(entry: Entry, context: Context) -> str | None:
    """'title' or 'paragraph' as the master has it, None when the master is not at hand."""
    if not entry.locations:
        return None
    line, after = context.source_line(entry.locations[0])
    if line is None:
        return None
    # docutils places a section title at its underline; a paragraph at its first line
    underlined = UNDERLINE.fullmatch(line) or UNDERLINE.fullmatch(after or '')
    return markup.TITLE if underlined else markup.PARAGRAPH


def article(word: str) -> str:
    return 'an' if word[:1] in 'aeiou' else 'a'


@register('rst', ERROR)
def rst(entry: Entry, context: Context):
    """The translation parses as reStructuredText without warnings, as the same kind of block."""
    text = entry.translation
    if EXPLICIT_MARKUP.search(text):
        return
    kind = block_kind(entry, context)
    parsed = markup.parse(text, context.character_level, kind or markup.PARAGRAPH)
    for problem in dict.fromkeys(parsed.problems):
        yield problem.message
    if kind is None or parsed.problems:
        return
    blocks = parsed.blocks
    expected = nodes.section if kind == markup.TITLE else nodes.paragraph
    if not blocks or not isinstance(blocks[0], expected):
        found = type(blocks[0]).__name__.replace('_', ' ') if blocks else 'nothing'
        yield (f'the translation reads as {article(found)} {found}, not a {kind}, so Sphinx would not use it '
               '(escape a leading list marker with a backslash: 1\\. or \\-)')
    elif len(blocks) > 1 or (kind == markup.TITLE and len(blocks[0].children) > 1):
        yield f'the translation holds more than one {kind} (a blank line?): Sphinx would keep only the first'
