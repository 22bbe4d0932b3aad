"""The messages a build showed in the master's language because they have no translation.

:mod:`taiyaku.ext.fallback` counts them per document while Sphinx builds a translation
and leaves the counts in the build's doctree folder (``REPORT``: ``{document: count}``),
since Sphinx runs quiet under taiyaku (``-q``); ``taiyaku build`` reads them back and says
them, in the words the extension logs.
"""

from __future__ import annotations

import json
from pathlib import Path

REPORT = 'taiyaku-untranslated.json'        # in the doctree folder: part of no output


def describe(missing: dict[str, int], language: str) -> str:
    """``2 message(s) not translated into 'en', shown in Japanese (caucasus: 2)``."""
    where = ', '.join(f'{doc}: {count}' for doc, count in sorted(missing.items()))
    return f'{sum(missing.values())} message(s) not translated into {language!r}, shown in Japanese ({where})'


def write(doctreedir: Path, missing: dict[str, int]) -> None:
    (doctreedir / REPORT).write_text(json.dumps(missing, ensure_ascii=False, sort_keys=True) + '\n',
                                     encoding='utf-8')


def read(doctreedir: Path) -> dict[str, int] | None:
    """The counts the last build in ``doctreedir`` left, or None (no build of a translation there)."""
    try:
        return json.loads((doctreedir / REPORT).read_text(encoding='utf-8'))
    except (OSError, ValueError):
        return None
