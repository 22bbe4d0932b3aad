"""Reading and writing PO files, the way every part of taiyaku does it.

Strict reading turns every kind of malformed catalog into a ``CatalogError`` that names the
file and line; writing uses sphinx-intl's line width so editors and updates agree, and
keeps previous msgids (``#|``), which Babel can write but reads back as plain comments.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, denormalize, normalize, read_po, write_po

from taiyaku import msgfmt
from taiyaku.errors import CatalogError  # noqa: F401  (raised here, caught as po.CatalogError)

LINE_WIDTH = 76          # sphinx-intl's default, kept so editors and updates agree


def read_catalog(path: Path, language: str | None = None, *, mending: bool = False) -> Catalog:
    """Read a catalog strictly: a malformed one is a CatalogError naming the file and line.

    ``mending``: an obsolete entry that defines a live message again is let through, for
    ``update-po`` to revive (``taiyaku.catalogs.merge``); every other error still stops.
    """
    data = path.read_bytes()
    return parse_catalog(data, str(path), language, mending=mending)


def parse_catalog(data: bytes, name: str, language: str | None = None, *, mending: bool = False) -> Catalog:
    """Parse catalog bytes strictly; ``name`` is what errors call the file."""
    try:
        check_syntax(data, name, mending)
        catalog = read_po(io.BytesIO(data), locale=language, abort_invalid=True)
        return restore_previous_ids(catalog)
    except PoFileError as exc:
        raise CatalogError(f'{name}:{exc.lineno + 1}: malformed catalog: {exc}') from None   # Babel counts from 0
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b'\n') + 1
        raise CatalogError(f'{name}:{line}: not valid in the catalog\'s charset ({exc.reason})') from None
    except (ValueError, LookupError) as exc:     # unknown charset, bad plural forms, bad locale
        raise CatalogError(f'{name}: malformed catalog header: {exc}') from None


def check_syntax(data: bytes, name: str, mending: bool = False) -> None:
    """What Babel forgives and msgfmt does not (an unclosed string, a bad escape, a message
    defined twice…), read by the msgfmt-compatible reader catalog QA uses too: one strict reader."""
    po = msgfmt.read(Path(name), data)
    errors = [error for error in po.errors if not (mending and error in po.obsolete_twins)]
    if errors:
        line, message = min(errors)
        raise CatalogError(f'{name}:{line}: malformed catalog: {message}')


def restore_previous_ids(catalog: Catalog) -> Catalog:
    """Babel writes previous msgids (``#| msgid``) but reads them back as user comments;
    turn those comments into ``previous_id`` again, so they survive the next update."""
    for message in catalog:
        comments = [comment for comment in message.user_comments if comment.startswith('|')]
        if not comments:
            continue
        message.user_comments = [comment for comment in message.user_comments if not comment.startswith('|')]
        fields: dict[str, list[str]] = {}
        keyword = None
        for comment in comments:
            text = comment[1:].strip()
            if text.startswith('"') and keyword:
                fields[keyword].append(text)
            else:
                keyword, _, rest = text.partition(' ')
                fields[keyword] = [rest.strip()] if rest.strip() else []
        if 'msgid' in fields:
            message.previous_id = [denormalize('\n'.join(fields['msgid']))]
            if 'msgid_plural' in fields:
                message.previous_id.append(denormalize('\n'.join(fields['msgid_plural'])))
    return catalog


def render(catalog: Catalog) -> bytes:
    """The catalog as PO bytes, previous msgids included.

    Babel's own ``include_previous`` re-wraps ``#| msgid`` as if it were prose, which
    breaks a long quoted string; so each previous msgid is written by a stand-in token
    that the real, properly quoted lines then replace.
    """
    stand_ins: dict[str, list[str]] = {}
    originals = []
    for number, message in enumerate(catalog):
        if message.id and message.previous_id:
            token = f'taiyaku-previous-{number}'
            stand_ins[token] = list(message.previous_id)
            originals.append((message, message.previous_id))
            message.previous_id = [token]
    buffer = io.BytesIO()
    try:
        write_po(buffer, catalog, width=LINE_WIDTH, include_previous=True)
    finally:
        for message, previous_id in originals:
            message.previous_id = previous_id
    text = buffer.getvalue().decode(catalog.charset)
    for token, previous_id in stand_ins.items():
        lines = [f'#| msgid {normalize(previous_id[0], prefix="#| ", width=LINE_WIDTH)}']
        if len(previous_id) > 1:
            lines.append(f'#| msgid_plural {normalize(previous_id[1], prefix="#| ", width=LINE_WIDTH)}')
        text = text.replace(f'#| msgid "{token}"', '\n'.join(lines), 1)
    return text.encode(catalog.charset)
