"""The edition history in editions.toml: which edition is current, its date, and the commit
each published edition was built from (``commit = "<sha>"``, written by ``make release``)."""

from __future__ import annotations

import datetime
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path


COMMIT = re.compile(r'^(?:[0-9a-f]{40}|[0-9a-f]{64})$')      # a full SHA-1 or SHA-256 object name


class EditionsError(ValueError):
    pass


@dataclass(frozen=True)
class Erratum:
    """One correction an edition makes to the text of the edition before it: to the
    Japanese master (``[[edition.errata]]``) or, with its ``language``, to a translation
    (``[[edition.translation-errata]]``, quoting the translation)."""
    document: str        # docname in source/, e.g. 'central-asia'
    original: str        # the text as previously published
    corrected: str       # the text as corrected
    note: dict[str, str] = field(default_factory=dict)
    language: str = ''   # '' for the master; a translation's language code otherwise


@dataclass(frozen=True)
class Edition:
    id: str
    date: datetime.date
    label: dict[str, str]
    notes: dict[str, str]
    errata: tuple[Erratum, ...] = ()
    translation_errata: tuple[Erratum, ...] = ()     # corrections to the translations' text
    commit: str | None = None          # the commit it was published from; None: not yet released

    def translation_errata_of(self, language: str) -> tuple[Erratum, ...]:
        return tuple(erratum for erratum in self.translation_errata if erratum.language == language)

    @property
    def source_date_epoch(self) -> int:
        """Midnight UTC of the edition date: the timestamp every build of it carries."""
        return int(datetime.datetime.combine(self.date, datetime.time(), datetime.UTC).timestamp())


def load(path: Path) -> list[Edition]:
    try:
        data = tomllib.loads(path.read_text(encoding='utf-8'))
    except FileNotFoundError:
        raise EditionsError(f'{path}: no editions file') from None
    except tomllib.TOMLDecodeError as exc:
        raise EditionsError(f'{path}: {exc}') from None
    editions = []
    for number, entry in enumerate(data.get('edition', []), start=1):
        commit = entry.get('commit')
        if commit is not None and not (isinstance(commit, str) and COMMIT.match(commit)):
            raise EditionsError(f'{path}: edition #{number} ({entry.get("id")}): commit {commit!r} is not a full '
                                'git commit name (40 hexadecimal digits, as `git rev-parse HEAD` prints)')
        try:
            editions.append(Edition(
                id=str(entry['id']),
                date=entry['date'] if isinstance(entry['date'], datetime.date) else datetime.date.fromisoformat(entry['date']),
                label=dict(entry.get('label', {})),
                notes=dict(entry.get('notes', {})),
                errata=tuple(
                    Erratum(document=str(item['document']), original=str(item['original']),
                            corrected=str(item['corrected']), note=dict(item.get('note', {})))
                    for item in entry.get('errata', [])),
                translation_errata=tuple(
                    Erratum(document=str(item['document']), original=str(item['original']),
                            corrected=str(item['corrected']), note=dict(item.get('note', {})),
                            language=str(item['language']))
                    for item in entry.get('translation-errata', [])),
                commit=commit,
            ))
        except (KeyError, ValueError, TypeError) as exc:
            raise EditionsError(f'{path}: edition #{number}: {exc!r} (each edition needs an id and an ISO date)') from None
    if not editions:
        raise EditionsError(f'{path}: no [[edition]] entries')
    ids = [edition.id for edition in editions]
    repeated = sorted({edition_id for edition_id in ids if ids.count(edition_id) > 1})
    if repeated:
        raise EditionsError(f'{path}: edition {", ".join(repeated)} is listed more than once')
    return editions


def record_commit(path: Path, edition_id: str, commit: str) -> None:
    """Write ``commit = "<sha>"`` into the edition's table in editions.toml, after its id line,
    keeping every other byte (comments, order, layout) as it is."""
    lines = path.read_text(encoding='utf-8').split('\n')
    starts = [number for number, line in enumerate(lines) if line.strip() == '[[edition]]']
    for index, start in enumerate(starts):
        end = next((n for n in range(start + 1, len(lines)) if lines[n].lstrip().startswith('[')), len(lines))
        block = range(start + 1, end)
        if not any(re.match(rf'\s*id\s*=\s*"{re.escape(edition_id)}"\s*(#.*)?$', lines[n]) for n in block):
            continue
        existing = [n for n in block if re.match(r'\s*commit\s*=', lines[n])]
        line = f'commit = "{commit}"'
        if existing:
            lines[existing[0]] = line
        else:
            at = next(n for n in block if re.match(r'\s*id\s*=', lines[n]))
            lines.insert(at + 1, line)
        text = '\n'.join(lines)
        previous = path.read_text(encoding='utf-8')
        path.write_text(text, encoding='utf-8')
        try:
            if next(e for e in load(path) if e.id == edition_id).commit != commit:
                raise EditionsError(f'{path}: could not record the commit of {edition_id}')
        except EditionsError:
            path.write_text(previous, encoding='utf-8')
            raise
        return
    raise EditionsError(f'{path}: no edition {edition_id} to record a commit for')


@dataclass(frozen=True)
class Source:
    """The provenance of the text: a raw file of the project and its description."""
    file: str
    description: dict[str, str]


def source(path: Path) -> Source | None:
    data = tomllib.loads(path.read_text(encoding='utf-8')).get('source')
    if not data:
        return None
    try:
        return Source(file=str(data['file']), description=dict(data.get('description', {})))
    except (KeyError, TypeError) as exc:
        raise EditionsError(f'{path}: [source] needs a file: {exc!r}') from None


def current(path: Path) -> Edition:
    return load(path)[-1]


def errata_since(editions: list[Edition], edition_id: str) -> list[Erratum]:
    """Every correction made by the editions after ``edition_id``, oldest first."""
    ids = [edition.id for edition in editions]
    if edition_id not in ids:
        raise EditionsError(f'no edition {edition_id!r} (known: {", ".join(ids)})')
    return [erratum for edition in editions[ids.index(edition_id) + 1:] for erratum in edition.errata]
