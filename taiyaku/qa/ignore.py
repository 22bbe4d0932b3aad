"""``qa-ignore``: the translator comments that acknowledge a deliberate exception.

A translator comment on a message switches one or more message checks off for that
message, and says why::

    # qa-ignore: numbers — "the year" renders 1年 here
    # qa-ignore: numbers, glossary -- quoted as published

The comment names checks by id (``taiyaku check-po --list-checks``) and gives a reason
after a dash (—, –, -- or -). It is itself checked: a name that is not a message check,
a missing reason, or an ignore that no longer suppresses anything (the translation was
fixed) is a warning, so exceptions do not outlive their reason.
"""

from __future__ import annotations

from taiyaku.qa.core import CHECKS, IGNORE, MESSAGE, WARNING, Entry, ignores, register


@register(IGNORE, WARNING, 'ignore')
def ignore_comments(entry: Entry, used: set[str]):
    """A qa-ignore comment names message checks, gives its reason, and still ignores something."""
    for ignore in ignores(entry):
        for name in ignore.checks:
            if name not in CHECKS or CHECKS[name].scope != MESSAGE:
                known = ', '.join(sorted(n for n, c in CHECKS.items() if c.scope == MESSAGE))
                yield f'qa-ignore names {name!r}, which is not a message check ({known})'
            elif name not in used:
                yield f'qa-ignore: {name} finds nothing on this message any more: remove the comment'
        if not ignore.reason:
            yield 'qa-ignore needs a reason after a dash: # qa-ignore: numbers — why'
