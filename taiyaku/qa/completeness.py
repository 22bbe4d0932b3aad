"""``completeness``: messages without a translation the build can use.

An untranslated message shows the Japanese in the English edition (marked, and counted
by the build); a fuzzy one keeps a translation of an older source text, which the build
does not use until a translator has reviewed it and removed the flag. Both are work
still to do, not a wrong edition: warnings. ``taiyaku stats`` counts them.
"""

from __future__ import annotations

from taiyaku.qa.core import WARNING, Context, Entry, excerpt, register


@register('completeness', WARNING, translated_only=False)
def completeness(entry: Entry, context: Context):
    """Every message is translated, and no translation is left fuzzy."""
    if entry.untranslated:
        yield f'untranslated: “{excerpt(entry.msgid)}”'
    elif entry.fuzzy:
        yield (f'fuzzy: the translation of “{excerpt(entry.msgid)}” needs review '
               '(the build ignores it until the fuzzy flag is removed)')
