"""``leftover``: Japanese text or ruby markup left in a translation into another script.

A translation into English that still holds kana, kanji or full-width punctuation, or a
``:ruby:`` role (the house rule is to romanize the reading: 国後島 → Kunashiri Island),
prints Japanese in the English edition. Catalogs of Japanese are not checked; Chinese
ones only for kana.
"""

from __future__ import annotations

import re

from taiyaku.qa import markup
from taiyaku.qa.core import ERROR, Context, Entry, register
from taiyaku.ext.ruby import ruby

KANA = '\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f'
HAN_AND_FULLWIDTH = '\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60'


def script(language: str) -> re.Pattern | None:
    if language.startswith('ja'):
        return None
    if language.startswith('zh'):
        return re.compile(f'[{KANA}]+')
    return re.compile(f'[{KANA}{HAN_AND_FULLWIDTH}]+')


@register('leftover', ERROR)
def leftover(entry: Entry, context: Context):
    """No Japanese text and no ruby markup is left in a translation into another script."""
    pattern = script(context.language)
    if pattern is None:
        return
    parsed = markup.parse(entry.translation, context.character_level)
    for node in parsed.document.findall(ruby):
        yield f'ruby markup {node.rawsource} in a translation into {context.language!r}: romanize the reading'
    left = pattern.findall(markup.plain_text(parsed))
    if left:
        yield f'Japanese text left in the translation: {"、".join(dict.fromkeys(left))}'
