"""The editions and where each one's catalogs are: the one place the exporters ask.

``editions.toml`` lists the editions. The current (last) edition's catalogs are the
working tree's. A past edition's are in git, at the commit that issued it: the edition's
``commit`` in ``editions.toml`` where it records one, else the tag ``edition/<id>``
(tags do not travel with a clone, a tracked commit does). A past edition whose commit
this repository cannot reach is listed without catalogs, so an export can say so.
"""

from __future__ import annotations

import subprocess
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog

from taiyaku import editions as editions_module
from taiyaku import memory
from taiyaku.project import Project


@dataclass(frozen=True)
class EditionCatalogs:
    edition: editions_module.Edition
    ref: str | None                     # the git commit or tag; None: the working tree
    catalogs: list[tuple[str, Catalog]] = field(default_factory=list)   # (path in the repository, catalog)
    reachable: bool = True


def recorded_commits(path: Path) -> dict[str, str]:
    """Each edition's ``commit`` where editions.toml records one."""
    data = tomllib.loads(path.read_text(encoding='utf-8'))
    return {str(entry['id']): str(entry['commit']) for entry in data.get('edition', []) if entry.get('commit')}


def resolves(root: Path, ref: str) -> bool:
    result = subprocess.run(['git', 'rev-parse', '--verify', '--quiet', f'{ref}^{{commit}}'],
                            cwd=root, capture_output=True, text=True)
    return result.returncode == 0


def edition_catalogs(project: Project, language: str) -> list[EditionCatalogs]:
    """Every edition, oldest first, with its catalogs of ``language``."""
    path = project.root / 'editions.toml'
    editions = editions_module.load(path)
    commits = recorded_commits(path)
    found = []
    for number, edition in enumerate(editions):
        if number == len(editions) - 1:
            found.append(EditionCatalogs(edition, None, memory.working_catalogs(project.locale, language)))
            continue
        ref = commits.get(edition.id) or f'{memory.EDITION_TAG_PREFIX}{edition.id}'
        if not resolves(project.root, ref):
            found.append(EditionCatalogs(edition, ref, [], reachable=False))
            continue
        found.append(EditionCatalogs(edition, ref, memory.catalogs_at(project.root, ref, language)))
    return found
