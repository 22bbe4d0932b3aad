"""``syntax`` and ``header``: a catalog msgfmt would refuse, or whose header is incomplete.

The catalog is read token by token with ``msgfmt -c``'s rules (:mod:`taiyaku.msgfmt`),
and only a clean file goes on to Babel (``load``) and to the other checks:

- the bytes are UTF-8 (no byte-order mark), and the header says ``charset=UTF-8``;
- every line is a comment, a keyword (``msgctxt``, ``msgid``, ``msgid_plural``,
  ``msgstr``, ``msgstr[n]``) or a string; strings are closed on their line and use only
  C escapes;
- every message has its ``msgstr`` (``msgstr[n]`` for a plural one, as many as the
  header's ``nplurals``); no message is defined twice (obsolete ones included, as msgfmt
  counts them); ``msgid`` and ``msgstr`` agree on a leading and a trailing newline;
- there is a header, and its ``Plural-Forms`` expression is valid.

These are ``syntax`` errors. What msgfmt only warns about — a header field missing or
still holding the template's default value — is a ``header`` warning, as is a
``Language`` that is not the catalog folder's language.
"""

from __future__ import annotations

from taiyaku.msgfmt import PoFile, RawEntry, read
from taiyaku.po import read_catalog
from taiyaku.qa.core import ERROR, FILE, WARNING, Catalog, Context, Entry, register

__all__ = ['PoFile', 'RawEntry', 'header', 'load', 'read', 'syntax']


# -- the checks, and the catalog for the other checks ----------------------------------------

@register('syntax', ERROR, FILE)
def syntax(po: PoFile, context: Context):
    """The catalog is well-formed: msgfmt -c would compile it, and it is UTF-8."""
    yield from po.errors


@register('header', WARNING, FILE)
def header(po: PoFile, context: Context):
    """The header has every field msgfmt -c expects, filled in, and names the catalog's language."""
    yield from po.warnings
    language = po.header.get('Language')
    if language and context.language and language[0].replace('-', '_') != context.language.replace('-', '_'):
        yield language[1], f'Language is {language[0]!r}, but the catalog is in the folder of {context.language!r}'


def load(po: PoFile, language: str) -> Catalog:
    """The messages of a well-formed catalog, read as the rest of taiyaku reads them (Babel)."""
    catalog = read_catalog(po.path)
    entries = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
        forms = tuple(message.string) if isinstance(message.string, (tuple, list)) else ()
        entries.append(Entry(
            msgid=msgid,
            msgstr=forms[0] if forms else (message.string or ''),
            line=message.lineno or 1,
            fuzzy=message.fuzzy,
            comments=tuple(message.user_comments),
            locations=tuple((str(path), int(line or 0)) for path, line in message.locations),
            plural_forms=forms,
            context=message.context,
        ))
    return Catalog(po.path, language, entries)
