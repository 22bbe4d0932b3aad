"""The editions and where each one's catalogs are: the one place the exporters ask.

``editions.toml`` lists the editions. The current (last) edition's catalogs are the
working tree's. A past edition's are in git, at the commit that issued it: the edition's
``commit`` in ``editions.toml`` where it records one, else the tag ``edition/<id>``
(tags do not travel with a clone, a tracked commit does: :mod:`taiyaku.repository`). A
past edition whose commit this repository cannot reach is listed without catalogs, so an
export can say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from babel.messages.catalog import Catalog

from taiyaku import editions as editions_module
from taiyaku import memory, repository
from taiyaku.project import Project


@dataclass(frozen=True)
class EditionCatalogs:
    edition: editions_module.Edition
    ref: str | None                     # the git commit or tag; None: the working tree
    catalogs: list[tuple[str, Catalog]] = field(default_factory=list)   # (path in the repository, catalog)
    reachable: bool = True


def edition_catalogs(project: Project, language: str) -> list[EditionCatalogs]:
    """Every edition, oldest first, with its catalogs of ``language``."""
    editions = editions_module.load(project.root / 'editions.toml')
    found = []
    for number, edition in enumerate(editions):
        if number == len(editions) - 1:
            found.append(EditionCatalogs(edition, None, memory.working_catalogs(project.locale, language)))
            continue
        published = repository.published(project.root, edition.id)       # recorded, else tagged
        ref = published.commit if published else f'{repository.TAG_PREFIX}{edition.id}'
        if published is None or not repository.has_commit(project.root, published.commit):
            found.append(EditionCatalogs(edition, ref, [], reachable=False))
            continue
        found.append(EditionCatalogs(edition, ref, memory.catalogs_at(project.root, ref, language)))
    return found
