"""The edition history in editions.toml: which edition is current, and its date."""

from __future__ import annotations

import datetime
import tomllib
from dataclasses import dataclass
from pathlib import Path


class EditionsError(ValueError):
    pass


@dataclass(frozen=True)
class Edition:
    id: str
    date: datetime.date
    label: dict[str, str]
    notes: dict[str, str]

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
        try:
            editions.append(Edition(
                id=str(entry['id']),
                date=entry['date'] if isinstance(entry['date'], datetime.date) else datetime.date.fromisoformat(entry['date']),
                label=dict(entry.get('label', {})),
                notes=dict(entry.get('notes', {})),
            ))
        except (KeyError, ValueError, TypeError) as exc:
            raise EditionsError(f'{path}: edition #{number}: {exc!r} (each edition needs an id and an ISO date)') from None
    if not editions:
        raise EditionsError(f'{path}: no [[edition]] entries')
    return editions


def current(path: Path) -> Edition:
    return load(path)[-1]
