"""The project's glossary: approved English (or other) forms of names and terms.

The glossary is ``locale/<lang>/glossary.csv`` or, for English, ``locale/glossary.csv``
(Weblate's CSV glossary: ``source,target,explanation``). ``Glossary.find`` finds its terms
in a text leftmost-longest, so 国後島 is found rather than 国後 and 北方領土問題 rather
than 北方領土; ``Term.rendered_in`` says whether a translation carries a term's approved
form: case-insensitive, whole words, whitespace and straight/typographic quotes and
apostrophes alike, and tolerant of an English ending on its last word — a plural or a
possessive (``Japan Centers``, ``Japan's``) and the demonyms the glossary notes
(``Russian``, ``Central Asian``, ``Japanese``).

A row whose ``flags`` column holds ``forbidden`` (Weblate's flag for a forbidden
translation) is a rendering a translation must not use (``taiyaku.qa.forbidden``); it is
never an approved form.

Catalog QA (``taiyaku.qa.glossary`` and its neighbours) checks translations against it,
the vendor exchange (``taiyaku.exchange``) writes it as TBX; nothing here depends on either.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

ENDINGS = r"(?:s|es|'s|s'|n|ese)?"
QUOTES = {"'": "['’‘]", '"': '["“”]'}


class GlossaryError(ValueError):
    def __init__(self, path: Path, line: int, message: str):
        super().__init__(message)
        self.path, self.line = path, line


@dataclass(frozen=True)
class Term:
    source: str
    target: str
    line: int
    explanation: str = ''
    forbidden: bool = False

    @cached_property
    def pattern(self) -> re.Pattern:
        words = []
        for word in self.target.split():
            words.append(''.join(QUOTES.get(char, re.escape(char)) for char in word))
        start = r'(?<!\w)' if self.target[:1].isalnum() else ''
        return re.compile(start + r'\s+'.join(words) + ENDINGS + r'(?!\w)', re.IGNORECASE)

    def rendered_in(self, text: str) -> bool:
        return bool(self.pattern.search(text))


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    terms: tuple[Term, ...]       # one source may have several approved forms


class Glossary:
    def __init__(self, path: Path, terms: list[Term]):
        self.path = path
        self.terms: dict[str, tuple[Term, ...]] = {}          # approved forms
        self.forbidden: dict[str, tuple[Term, ...]] = {}      # forbidden renderings
        for term in terms:
            group = self.forbidden if term.forbidden else self.terms
            group[term.source] = (*group.get(term.source, ()), term)
        longest_first = sorted(self.terms, key=len, reverse=True)
        self.finder = re.compile('|'.join(map(re.escape, longest_first))) if longest_first else None

    @classmethod
    def load(cls, path: Path) -> Glossary:
        try:
            text = path.read_text(encoding='utf-8-sig')
        except UnicodeDecodeError as exc:
            raise GlossaryError(path, 1, f'the glossary is not UTF-8: {exc.reason}') from None
        reader = csv.reader(io.StringIO(text, newline=''))
        try:
            header = [name.strip().lower() for name in next(reader, [])]
            if 'source' not in header or 'target' not in header:
                raise GlossaryError(path, 1, 'the glossary needs a header row with "source" and "target" columns')
            source, target = header.index('source'), header.index('target')
            optional = {name: header.index(name) for name in ('explanation', 'flags') if name in header}
            terms = []
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) <= max(source, target) or not row[source].strip() or not row[target].strip():
                    raise GlossaryError(path, reader.line_num, f'a glossary row needs a source and a target: {row}')
                cell = {name: row[index].strip() if index < len(row) else '' for name, index in optional.items()}
                flags = {flag.strip() for flag in cell.get('flags', '').split(',')}
                terms.append(Term(row[source].strip(), row[target].strip(), reader.line_num,
                                  cell.get('explanation', ''), 'forbidden' in flags))
        except csv.Error as exc:
            raise GlossaryError(path, reader.line_num, f'malformed CSV: {exc}') from None
        return cls(path, terms)

    def find(self, text: str) -> list[Match]:
        """The terms in ``text``, leftmost-longest, not overlapping."""
        if self.finder is None:
            return []
        return [Match(m.start(), m.end(), self.terms[m.group()]) for m in self.finder.finditer(text)]


def glossary_path(project_locale: Path, language: str) -> Path | None:
    own = project_locale / language / 'glossary.csv'
    if own.is_file():
        return own
    shared = project_locale / 'glossary.csv'
    return shared if language.startswith('en') and shared.is_file() else None
