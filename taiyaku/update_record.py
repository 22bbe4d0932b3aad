"""What the last ``update-po`` of a language found, so that the next reads and merges only what changed.

Kept in ``build/.work/update-po/<lang>.json`` (a cache: losing it costs only time):

- for every catalog of ``locale/<lang>/LC_MESSAGES`` (by its path there): the file's signature
  when it was read (``stamps.signature``: inode, size, modification and status-change
  times), the translations it gives the memory (``memory.translations``) and — when its
  merge gave exactly its bytes and counted nothing, the catalog *verified* — what that merge
  depended on (``Merged``);
- for every template of ``build/gettext``: its signature, SHA-256 and whether it holds no
  message (None: not known), so an unchanged template is not read;
- the compendium's signature and the fingerprint of the memory it was written from.

The record names the code it was made by (``code``: the merge, the readers, Babel) and its
language. A record made by other code or for another language, unreadable, or not of this
shape in every detail is no record at all: everything is read and merged, as without one.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from taiyaku.memory import pairs_from_json

FORMAT = 1
HEX = frozenset('0123456789abcdef')


@dataclass
class Merged:
    """What a verified catalog's merge depended on, besides the catalog's own bytes."""
    template: str            # the SHA-256 of its template
    memory: str | None       # the memory's fingerprint, if the merge asked the memory (None: nothing was untranslated)
    obsolete: int            # obsolete entries in it: a purge must merge it

    def holds(self, template: str, memory: str, purge: bool) -> bool:
        """Whether a merge with this template and memory (and purge or not) would give the
        catalog's bytes again."""
        return self.template == template and self.memory in (None, memory) and not (purge and self.obsolete)


@dataclass
class Template:
    signature: list[int]
    sha256: str
    empty: bool | None = None        # holds no message (None: not known)


@dataclass
class Remembered:
    """A catalog as the last update found it."""
    signature: list[int]
    translations: list[tuple[str, str]]
    merged: Merged | None = None


@dataclass
class UpdateRecord:
    language: str
    catalogs: dict[str, Remembered] = field(default_factory=dict)
    templates: dict[str, Template] = field(default_factory=dict)
    compendium: tuple[list[int], str] | None = None

    @classmethod
    def load(cls, path: Path, language: str, code: str) -> UpdateRecord:
        try:
            data = json.loads(path.read_text(encoding='utf-8'))
            return cls.parse(data, language, code)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return cls(language)

    @classmethod
    def parse(cls, data: dict, language: str, code: str) -> UpdateRecord:
        """The record ``data`` holds; ValueError (or TypeError…) unless it is one, made by ``code``."""
        if not (isinstance(data, dict) and data.get('format') == FORMAT and data.get('code') == code
                and data.get('language') == language):
            raise ValueError('not a record of this code and language')
        record = cls(language)
        for name, value in checked_dict(data['catalogs']).items():
            merged = value['merged']
            if merged is not None:
                merged = Merged(digest(merged['template']), optional_text(merged['memory']),
                                count(merged['obsolete']))
            record.catalogs[name] = Remembered(stamp(value['signature']), pairs_from_json(value['translations']),
                                               merged)
        for name, value in checked_dict(data['templates']).items():
            if not (isinstance(value, list) and len(value) == 3 and value[2] in (None, True, False)):
                raise ValueError('template')
            record.templates[name] = Template(stamp(value[0]), digest(value[1]), value[2])
        compendium = data['compendium']
        if compendium is not None:
            if not (isinstance(compendium, list) and len(compendium) == 2):
                raise ValueError('compendium')
            record.compendium = (stamp(compendium[0]), digest(compendium[1]))
        return record

    def save(self, path: Path, code: str) -> None:
        """Write the record (no fsync: only a cache); an unwritable build folder only costs time."""
        data = {
            'format': FORMAT, 'code': code, 'language': self.language,
            'catalogs': {name: {'signature': remembered.signature,
                                'translations': [list(pair) for pair in remembered.translations],
                                'merged': None if remembered.merged is None else {
                                    'template': remembered.merged.template, 'memory': remembered.merged.memory,
                                    'obsolete': remembered.merged.obsolete}}
                         for name, remembered in sorted(self.catalogs.items())},
            'templates': {name: [template.signature, template.sha256, template.empty]
                          for name, template in sorted(self.templates.items())},
            'compendium': None if self.compendium is None else [list(self.compendium[0]), self.compendium[1]],
        }
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f'.{path.name}.{os.getpid()}')
            temporary.write_text(json.dumps(data, ensure_ascii=False), encoding='utf-8')
            os.replace(temporary, path)
        except OSError:
            pass


def checked_dict(value: object) -> dict:
    if not isinstance(value, dict) or not all(isinstance(key, str) for key in value):
        raise ValueError('not a mapping')
    return value


def stamp(value: object) -> list[int]:
    if not (isinstance(value, list) and len(value) == 4
            and all(isinstance(number, int) and not isinstance(number, bool) for number in value)):
        raise ValueError('signature')
    return value


def digest(value: object) -> str:
    if not (isinstance(value, str) and len(value) == 64 and set(value) <= HEX):
        raise ValueError('digest')
    return value


def optional_text(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValueError('text')
    return value


def count(value: object) -> int:
    if not (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
        raise ValueError('count')
    return value

