"""The rst a translator must not break, as inline codes of XLIFF and TMX.

A message is text with reStructuredText constructs in it. In an exchange file those
constructs become *inline codes*: a CAT tool shows them as tags the translator can move
but not edit, and the original characters travel in the file's ``originalData``:

- a footnote or citation reference (``[#fn-tokyo-declaration]_``), a substitution
  (``|name|``), a hyperlink reference (`` `text <url>`_ ``), any role (``:ref:`…```) and
  the original's page (``:original-page:`98```) are *placeholders* (``<ph/>``) the
  translation must keep (``canDelete="no"``);
- ruby (``:ruby:`国後<くなしり>```) is a *paired code* around its base (``<pc>国後</pc>``):
  the translator reads the base, and the English carries neither it nor the reading
  (``canCopy="no"``).

``split`` cuts a text into runs of text and codes; ``join`` is its inverse, so
``join(split(text)) == text`` for every text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CODE = re.compile(r'''
    (?P<ruby>:ruby:`(?P<base>(?:[^`<\\]|\\.)*)(?P<reading><(?:[^`\\]|\\.)*>)`)
  | (?P<role>(?::[A-Za-z][\w.+-]*)+:`(?:[^`\\]|\\.)*`)
  | (?P<reference>\[(?:\#[\w.:+-]*|\*|\d+|[A-Za-z][\w.:+-]*)\]_)
  | (?P<substitution>\|(?!\s)(?:[^|\\]|\\.)*(?<!\s)\|(?:__?)?)
  | (?P<link>`(?:[^`\\]|\\.)+`__?)
''', re.VERBOSE)


@dataclass(frozen=True)
class Code:
    """One construct: ``raw`` is its whole text; a paired code has a ``base`` between ``start`` and ``end``."""
    kind: str               # ruby, role, page, reference, substitution, link
    raw: str
    base: str | None = None

    @property
    def paired(self) -> bool:
        return self.base is not None

    @property
    def start(self) -> str:
        return ':ruby:`' if self.paired else self.raw

    @property
    def end(self) -> str:
        return self.raw[len(self.start) + len(self.base):] if self.paired else ''

    @property
    def required(self) -> bool:
        """Whether the translation must keep it (all but ruby)."""
        return not self.paired

    @property
    def display(self) -> str:
        """What a CAT tool shows on the tag."""
        if self.kind == 'page':
            return f'p. {self.raw.split("`")[1]}'
        if self.kind == 'reference':
            return self.raw[:-1]
        return self.raw


def split(text: str) -> list[str | Code]:
    """``text`` as runs of text and codes, in order."""
    parts: list[str | Code] = []
    position = 0
    for match in CODE.finditer(text):
        if match.start() > position:
            parts.append(text[position:match.start()])
        if match['ruby']:
            parts.append(Code('ruby', match.group(), match['base']))
        else:
            kind = next(name for name in ('role', 'reference', 'substitution', 'link') if match[name])
            if kind == 'role' and match.group().startswith(':original-page:`'):
                kind = 'page'
            parts.append(Code(kind, match.group()))
        position = match.end()
    if position < len(text):
        parts.append(text[position:])
    return parts


def join(parts: list[str | Code]) -> str:
    return ''.join(part if isinstance(part, str) else part.raw for part in parts)


def codes(text: str) -> list[Code]:
    return [part for part in split(text) if isinstance(part, Code)]
