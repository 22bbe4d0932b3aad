"""``master``: the catalog holds the master's messages — none missing, none it does not have.

Sphinx looks each paragraph, heading and caption of a document up in the document's
catalog by its exact text, with no context and never as a plural. So a translation is
used only if the catalog has an entry for exactly that text; anything else is lost
without a word (the page shows the Japanese). Compared with the master's messages as
``taiyaku gettext`` extracts them (``Context.templates``), a catalog must not

- lack one of them (a deleted entry; the catalog not yet updated): the finding is at the
  entry it should come before, and names the master's line;
- hold an entry the master does not have: a msgid whose text differs from the master's
  (one character is enough: the finding shows the difference), or a message the master
  no longer has but which is not marked obsolete;
- give a message a ``msgctxt``, or make it a plural (``msgid_plural``).

``make update-po`` brings a catalog in step (an edited msgid becomes a fuzzy suggestion,
a removed one obsolete). A catalog missing altogether is reported by ``check_project``.
"""

from __future__ import annotations

import difflib

from taiyaku.msgfmt import PoFile, RawEntry
from taiyaku.qa.core import ERROR, FILE, MASTER, Context, MasterMessage, excerpt, register
from taiyaku.textdiff import excerpt_around_change, inline_diff

SIMILAR = 0.6        # the translation memory's cutoff: a msgid this close is taken for an edit of the other


def closest(entry: RawEntry, missing: list[MasterMessage]) -> MasterMessage | None:
    text = entry.key[1]
    best, best_ratio = None, SIMILAR
    for message in missing:
        ratio = difflib.SequenceMatcher(a=text, b=message.msgid, autojunk=False).ratio()
        if ratio >= best_ratio and (best is None or ratio > best_ratio):
            best, best_ratio = message, ratio
    return best


@register(MASTER, ERROR, FILE)
def master(po: PoFile, context: Context):
    """The catalog holds exactly the master's messages, with no context or plural Sphinx cannot use."""
    messages = context.master_messages(po.path)
    if messages is None or po.errors:
        return
    live = [entry for entry in po.entries if not entry.obsolete and entry.key != (None, '')]
    obsolete = {entry.key for entry in po.entries if entry.obsolete}
    wanted = {message.key: message for message in messages}
    present = {entry.key: entry for entry in live}
    missing = [message for message in messages if message.key not in present]
    by_text = {message.msgid: message for message in missing}

    for entry in live:
        msgctxt, msgid = entry.key
        plural = entry.part('msgid_plural') is not None
        if entry.key in wanted and not plural:
            continue
        if plural:
            match = wanted.get(entry.key) or by_text.get(msgid)
            if match is not None:
                yield entry.line, (f'a plural message (msgid_plural): the master\u2019s message at {match.where} is '
                                   'not plural, so Sphinx never uses this translation')
                if match in missing:
                    missing.remove(match)
            else:
                yield entry.line, ('a plural message (msgid_plural) the master does not have: Sphinx translates '
                                   f'each paragraph as one msgid, never a plural: \u201c{excerpt(msgid)}\u201d')
            continue
        if msgctxt is not None and msgid in by_text and by_text[msgid] in missing:
            match = by_text[msgid]
            missing.remove(match)
            yield entry.line, (f'msgctxt \u201c{msgctxt}\u201d: the master\u2019s message at {match.where} has no '
                               'context, so Sphinx never uses this translation (remove the msgctxt line)')
            continue
        match = closest(entry, missing)
        if match is not None:
            missing.remove(match)
            change = excerpt_around_change(inline_diff(msgid, match.msgid))
            yield entry.line, (f'not the master\u2019s text: the master has {change} at {match.where}, so Sphinx '
                               'never uses this translation (`make update-po` keeps it as a fuzzy suggestion)')
            continue
        yield entry.line, ('not a message of the master, so no build uses it (`make update-po` keeps it as '
                           f'an obsolete entry): \u201c{excerpt(msgid)}\u201d')

    order = {message.key: number for number, message in enumerate(messages)}
    end = max((line for entry in po.entries for part in entry.parts for line, _ in part.strings), default=1)
    for message in missing:
        later = [entry for entry in live if order.get(entry.key, -1) > order[message.key]]
        line = min((entry.line for entry in later), default=end)
        how = ('is here only as an obsolete #~ entry (`make update-po` revives it)' if message.key in obsolete
               else 'is not in this catalog (run `make update-po`)')
        yield line, f'missing: the master\u2019s message at {message.where} {how}: \u201c{excerpt(message.msgid)}\u201d'
