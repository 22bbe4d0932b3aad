"""What every catalog check shares: findings, the registry, the messages and catalogs they read.

A check is a small function registered under an id (``numbers``, ``glossary``…) with a
fixed severity and a scope:

``file``
    looks at the catalog file as msgfmt reads it (``syntax``, ``header``, ``orphans``):
    ``fn(po, context)`` yields ``(line, message)``; a file with a ``syntax`` error is not
    read any further.
``message``
    looks at one message (most checks): ``fn(entry, context)`` yields messages; the
    finding carries the line of the entry's ``msgid``. Unless registered with
    ``translated_only=False`` a message check sees only messages with a translation in
    use (not empty, not fuzzy): a fuzzy translation is stale by definition.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from taiyaku import findings

if TYPE_CHECKING:
    from taiyaku.project import Project
    from taiyaku.glossary import Glossary


class Severity(str, Enum):
    ERROR = 'error'         # the published text would be wrong, broken or unsafe
    WARNING = 'warning'     # work still to do, or housekeeping; the edition is not wrong

    def __str__(self) -> str:
        return self.value


ERROR, WARNING = Severity.ERROR, Severity.WARNING
FILE, MESSAGE = 'file', 'message'
IGNORE = 'qa-ignore'          # the check of the qa-ignore comments themselves
MASTER = 'master'             # the check of a catalog against the master's messages


@dataclass(frozen=True, order=True)
class Finding(findings.Finding):
    """A catalog finding: ``path:line: [check-id] message``, and how much it matters."""
    severity: Severity = field(default=ERROR, compare=False)


@dataclass(frozen=True)
class Check:
    id: str
    severity: Severity
    scope: str
    run: Callable
    translated_only: bool = True

    @property
    def summary(self) -> str:
        return (self.run.__doc__ or '').strip().splitlines()[0]


CHECKS: dict[str, Check] = {}


def register(check_id: str, severity: Severity, scope: str = MESSAGE, *, translated_only: bool = True):
    """Class-free registration, in the manner of docutils' role registry."""
    def decorate(function: Callable) -> Callable:
        if check_id in CHECKS:
            raise ValueError(f'two catalog checks are called {check_id!r}')
        CHECKS[check_id] = Check(check_id, severity, scope, function, translated_only)
        return function
    return decorate


# -- what the checks look at --------------------------------------------------------------

# Sphinx's own acknowledgement of inconsistent references, at the end of a msgstr
NOQA = re.compile(r'(?<!\\)#\s*noqa\s*$')


@dataclass(frozen=True)
class Entry:
    """One message of a catalog, as the build reads it."""

    msgid: str
    msgstr: str
    line: int                                   # the line of its msgid in the .po file
    fuzzy: bool = False
    comments: tuple[str, ...] = ()              # translator comments (``# …``)
    locations: tuple[tuple[str, int], ...] = ()
    plural_forms: tuple[str, ...] = ()          # every msgstr[n] of a plural message
    context: str | None = None                  # its msgctxt (the master's messages have none)

    @property
    def translation(self) -> str:
        """The msgstr as Sphinx uses it: without a trailing ``#noqa``."""
        return NOQA.sub('', self.msgstr).rstrip() if self.noqa else self.msgstr

    @property
    def noqa(self) -> bool:
        return bool(NOQA.search(self.msgstr))

    @property
    def untranslated(self) -> bool:
        forms = self.plural_forms or (self.msgstr,)
        return not all(form.strip() for form in forms)

    @property
    def in_use(self) -> bool:
        """Whether the build uses this translation (Sphinx skips empty and fuzzy ones)."""
        return not self.untranslated and not self.fuzzy


@dataclass(frozen=True)
class MasterMessage:
    """A message of the master, as its template (.pot) has it."""
    msgid: str
    context: str | None
    locations: tuple[tuple[str, int], ...]

    @property
    def key(self) -> tuple[str | None, str]:
        return self.context, self.msgid

    @property
    def where(self) -> str:
        """``source/caucasus.rst:5``: where the master has it."""
        if not self.locations:
            return 'the master'
        path, line = self.locations[0]
        shown = '/'.join(part for part in Path(path).parts if part not in ('..', '.'))
        return f'{shown}:{line}' if line else shown


@dataclass
class Catalog:
    path: Path
    language: str
    entries: list[Entry]


# ``# qa-ignore: numbers, glossary — why`` (the dash may be an em or en dash, ``--`` or ``-``)
IGNORE_COMMENT = re.compile(r'^\s*qa-ignore\s*:\s*(?P<checks>[\w-]+(?:\s*,\s*[\w-]+)*)\s*'
                    r'(?:(?:—|–|--|-)\s*(?P<reason>.*?))?\s*$')


@dataclass(frozen=True)
class Ignore:
    checks: tuple[str, ...]
    reason: str
    comment: str


def ignores(entry: Entry) -> list[Ignore]:
    found = []
    for comment in entry.comments:
        match = IGNORE_COMMENT.match(comment)
        if match:
            checks = tuple(name.strip() for name in match['checks'].split(','))
            found.append(Ignore(checks, (match['reason'] or '').strip(), comment))
    return found


@dataclass
class Context:
    """What a check may need beyond the message: the language, the project, its glossary, and
    the master's messages (``templates``: the .pot files of ``taiyaku gettext``)."""

    language: str
    project: Project | None = None
    glossary_path: Path | None = None
    templates: Path | None = None
    _sources: dict[Path, list[str] | None] = field(default_factory=dict, repr=False)
    _masters: dict[Path, list[MasterMessage] | None] = field(default_factory=dict, repr=False)

    def template_for(self, catalog: Path) -> Path | None:
        """The template of ``catalog`` (locale/<lang>/LC_MESSAGES/<doc>.po → <templates>/<doc>.pot)."""
        if self.templates is None or self.project is None:
            return None
        folder = self.project.locale / self.language / 'LC_MESSAGES'
        try:
            relative = catalog.resolve().relative_to(folder.resolve())
        except ValueError:
            return None
        return self.templates / relative.with_suffix('.pot')

    def master_messages(self, catalog: Path) -> list[MasterMessage] | None:
        """The messages the master has for ``catalog``, in the document's order; None when
        there is nothing to compare with (no templates given, or no template: see orphans)."""
        template = self.template_for(catalog)
        if template is None or not template.is_file():
            return None
        if template not in self._masters:
            from taiyaku.po import read_catalog

            self._masters[template] = [MasterMessage(message.id, message.context, tuple(message.locations))
                                       for message in read_catalog(template) if message.id]
        return self._masters[template]

    @cached_property
    def character_level(self) -> bool:
        from taiyaku.qa.markup import character_level

        return character_level(self.project.root if self.project else None)

    @cached_property
    def glossary(self) -> Glossary | None:
        from taiyaku.glossary import Glossary, GlossaryError

        if self.glossary_path is None or not self.glossary_path.is_file():
            return None
        try:
            return Glossary.load(self.glossary_path)
        except GlossaryError:
            return None         # reported once by the runner, not once per message

    def source_line(self, location: tuple[str, int]) -> tuple[str | None, str | None]:
        """The line a ``#:`` location points at in the master, and the line after it."""
        if self.project is None:
            return None, None
        relative = Path(*[part for part in Path(location[0]).parts if part not in ('..', '.')])
        path = self.project.root / relative
        if path not in self._sources:
            try:
                self._sources[path] = path.read_text(encoding='utf-8').splitlines()
            except (OSError, UnicodeDecodeError):
                self._sources[path] = None
        lines, number = self._sources[path], location[1]
        if not lines or not 1 <= number <= len(lines):
            return None, None
        return lines[number - 1], (lines[number] if number < len(lines) else '')


def excerpt(text: str, length: int = 24) -> str:
    text = ' '.join(text.split())
    return text if len(text) <= length else text[:length - 1] + '…'


def findings_for(check: Check, path: Path, problems: Iterable[tuple[int, str]]) -> list[Finding]:
    return [Finding(path, line, check.id, message, check.severity) for line, message in problems]
