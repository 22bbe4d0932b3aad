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

import datetime
import difflib
import functools
import hashlib
import json
import os
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from taiyaku import repository
from taiyaku.editions import EditionsError
from taiyaku.po import CatalogError, parse_catalog, read_catalog
from taiyaku.stamps import code_digest

COMMIT = re.compile(r'[0-9a-f]{7,64}')     # a commit as git names it (a file name of the cache)
SIMILARITY = 0.6        # difflib's own default cutoff, the one Babel's update uses


@dataclass(frozen=True)
class Memory:
    """msgid → (translation, where it came from)."""
    entries: dict[str, tuple[str, str]]

    @classmethod
    def from_translations(cls, sources: Iterable[tuple[str, Iterable[Sequence[str]]]]) -> Memory:
        """From each catalog's ``translations``: (where it is, its (msgid, msgstr) pairs). Later
        catalogs win: pass the oldest (past editions) first, the working tree last."""
        entries: dict[str, tuple[str, str]] = {}
        for origin, pairs in sources:
            for msgid, string in pairs:
                entries[msgid] = (string, origin)
        return cls(entries)

    def fingerprint(self) -> str:
        """What the memory holds, in the order it is searched: equal fingerprints, equal answers
        (``exact``, ``closest``) and an equal compendium."""
        digest = hashlib.sha256()
        for msgid, (string, origin) in self.entries.items():
            digest.update(f'{msgid}\0{string}\0{origin}\0'.encode('utf-8', 'surrogatepass'))
        return digest.hexdigest()

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


def translations(catalog: Catalog) -> list[tuple[str, str]]:
    """What a catalog gives the memory: its usable (msgid, msgstr) pairs, live then obsolete."""
    return [(message.id, message.string) for message in [*catalog, *catalog.obsolete.values()] if usable(message)]


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


def past_edition_translations(root: Path, language: str, kept: Path | None = None) -> list[tuple[str, list]]:
    """What every catalog of ``language`` gave the memory in each published edition:
    (origin, ``translations``), oldest edition first (none outside git, or without editions.toml).

    A commit never changes, so what its catalogs give the memory is read from git once and
    kept in ``kept`` (a folder of the build's cache), one file per commit and language,
    marked with the reading code's fingerprint (``reader``); a file that is not such a list
    is read from git again.
    """
    try:
        editions = repository.published_editions(root)
    except (EditionsError, repository.RepositoryError):
        return []
    found = []
    for entry in editions:
        where = kept / f'{entry.commit}-{language}.json' if kept is not None and COMMIT.fullmatch(entry.commit) else None
        remembered = remembered_translations(where) if where is not None else None
        if remembered is None:
            remembered = [(name, translations(catalog)) for name, catalog in catalogs_at(root, entry.commit, language)]
            if where is not None:
                keep_translations(where, remembered)
        found.extend((f'{repository.TAG_PREFIX}{entry.edition.id}:{name}', pairs) for name, pairs in remembered)
    return found


@functools.cache
def reader() -> str:
    """A fingerprint of what turns catalog bytes into translations (this module, the PO reader,
    Babel): a cache made by other code is not used."""
    import babel

    from taiyaku import msgfmt, po

    return code_digest((sys.modules[__name__], po, msgfmt), babel.__version__)


def pairs_from_json(value: object) -> list[tuple[str, str]]:
    """``translations`` as JSON kept them; ValueError if ``value`` is anything else."""
    if not isinstance(value, list):
        raise ValueError('not a list of translations')
    pairs = []
    for pair in value:
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(text, str) and text for text in pair)):
            raise ValueError('not a translation')
        pairs.append((pair[0], pair[1]))
    return pairs


def remembered_translations(path: Path) -> list[tuple[str, list]] | None:
    try:
        kept = json.loads(path.read_text(encoding='utf-8'))
        if not (isinstance(kept, dict) and kept.get('reader') == reader() and isinstance(kept.get('catalogs'), list)):
            return None
        remembered = []
        for item in kept['catalogs']:
            if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)):
                return None
            remembered.append((item[0], pairs_from_json(item[1])))
        return remembered
    except (OSError, ValueError):
        return None


def keep_translations(path: Path, remembered: list[tuple[str, list]]) -> None:
    data = json.dumps({'reader': reader(), 'catalogs': [[name, [list(pair) for pair in pairs]]
                                                         for name, pairs in remembered]}, ensure_ascii=False)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f'.{path.name}.{os.getpid()}')
        temporary.write_text(data, encoding='utf-8')
        os.replace(temporary, path)
    except OSError:                   # only a cache: read from git next time
        pass


def compendium(memory: Memory, language: str, created: datetime.datetime | None = None) -> Catalog:
    """The memory as one catalog (a gettext compendium), for Poedit, Weblate or msgmerge -C.
    ``created``: the date it carries (the edition's, as the templates do; default: now)."""
    catalog = Catalog(locale=language, project='taiyaku translation memory', fuzzy=False, creation_date=created)
    for msgid, (translation, origin) in sorted(memory.entries.items()):
        catalog.add(msgid, translation, auto_comments=[f'from {origin}'])
    return catalog
