"""Translation memory: every translation the project has made, to pre-fill new messages.

The memory (a *compendium*, in gettext's word) is built from every catalog of a language
in ``locale/`` — their obsolete entries included, since a message removed from one document
is often added to another — and from the catalogs of every past edition (at the commit
editions.toml records for it: :mod:`taiyaku.repository`). ``make update-po`` consults it for each message that its own catalog
cannot supply:

- the same Japanese text translated elsewhere: the translation is taken as it is, as
  ``msgmerge --compendium`` does (the source is identical, so is the translation's basis);
- a similar text (difflib ratio ≥ ``SIMILARITY``): the translation is offered as a fuzzy
  suggestion with the remembered msgid as its previous msgid (``#|``), so the translator
  sees exactly what differs.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from taiyaku import repository
from taiyaku.editions import EditionsError
from taiyaku.po import CatalogError, parse_catalog, read_catalog

SIMILARITY = 0.6        # difflib's own default cutoff, the one Babel's update uses


@dataclass(frozen=True)
class Memory:
    """msgid → (translation, where it came from)."""
    entries: dict[str, tuple[str, str]]

    @classmethod
    def from_catalogs(cls, catalogs: Iterable[tuple[str, Catalog]]) -> Memory:
        """Later catalogs win: pass the oldest (past editions) first, the working tree last."""
        entries: dict[str, tuple[str, str]] = {}
        for origin, catalog in catalogs:
            for message in [*catalog, *catalog.obsolete.values()]:
                if usable(message):
                    entries[message.id] = (message.string, origin)
        return cls(entries)

    def exact(self, msgid: str) -> tuple[str, str] | None:
        return self.entries.get(msgid)

    def closest(self, msgid: str) -> tuple[str, str, str] | None:
        """The most similar remembered message: (its msgid, its translation, its origin)."""
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(msgid)
        best, best_ratio = None, SIMILARITY
        for candidate in self.entries:
            matcher.set_seq1(candidate)
            # the cheap upper bounds first: most candidates are rejected without the full ratio
            if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
                continue
            ratio = matcher.ratio()
            if ratio >= best_ratio and (best is None or ratio > best_ratio):
                best, best_ratio = candidate, ratio
        if best is None:
            return None
        translation, origin = self.entries[best]
        return best, translation, origin

    def __len__(self) -> int:
        return len(self.entries)


def usable(message: Message) -> bool:
    """A real, confirmed translation: not the header, not fuzzy, not empty, not a plural."""
    return bool(message.id) and isinstance(message.id, str) and isinstance(message.string, str) \
        and bool(message.string) and not message.fuzzy


def working_catalogs(locale: Path, language: str, mending: bool = False) -> list[tuple[str, Catalog]]:
    """Every catalog of ``language`` in the working tree: (path in the project, catalog).
    ``mending``: obsolete twins of live messages are let through (``po.read_catalog``)."""
    found = []
    for path in sorted((locale / language / 'LC_MESSAGES').rglob('*.po')):
        origin = str(path.relative_to(locale.parent))
        found.append((origin, read_catalog(path, language, mending=mending)))
    return found


def catalogs_at(root: Path, revision: str, language: str) -> list[tuple[str, Catalog]]:
    """Every catalog of ``language`` as it was at ``revision`` (a commit): (path in the
    repository, catalog). A catalog that cannot be read there is left out: history cannot
    be corrected now."""
    found = []
    for name in repository.files_at(root, revision, f'locale/{language}/LC_MESSAGES/'):
        if not name.endswith('.po'):
            continue
        data = repository.read_at(root, revision, name)
        if data is None:
            continue
        try:
            found.append((name, parse_catalog(data, f'{revision[:12]}:{name}', language)))
        except CatalogError:
            continue
    return found


def past_edition_catalogs(root: Path, language: str) -> list[tuple[str, Catalog]]:
    """Every catalog of ``language`` as each published edition had it, oldest edition first
    (none outside git, or without editions.toml)."""
    try:
        editions = repository.published_editions(root)
    except (EditionsError, repository.RepositoryError):
        return []
    return [(f'{repository.TAG_PREFIX}{entry.edition.id}:{name}', catalog) for entry in editions
            for name, catalog in catalogs_at(root, entry.commit, language)]


def build(root: Path, language: str, working: list[tuple[str, Catalog]] | None = None) -> Memory:
    """The memory of one language: past editions first, then the working catalogs
    (``working``, when the caller has read them already)."""
    if working is None:
        working = working_catalogs(root / 'locale', language)
    return Memory.from_catalogs([*past_edition_catalogs(root, language), *working])


def compendium(memory: Memory, language: str) -> Catalog:
    """The memory as one catalog (a gettext compendium), for Poedit, Weblate or msgmerge -C."""
    catalog = Catalog(locale=language, project='taiyaku translation memory', fuzzy=False)
    for msgid, (translation, origin) in sorted(memory.entries.items()):
        catalog.add(msgid, translation, auto_comments=[f'from {origin}'])
    return catalog
