"""The project's git history: the commit each edition was published from, and what it held.

Each edition's commit is recorded in ``editions.toml`` (``commit = "<sha>"``), a tracked
file: tags do not always travel with a clone or a mirror, the branch does. Everything
that reads a past edition (``make release EDITION=``, ``make changes``, the translation
memory) asks here, so it works in a fresh clone with no tags. ``make tag-editions`` makes
the ``edition/<id>`` tags from the record for those who like them; an edition tagged but
not recorded (a history from before the record) is still found by its tag.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from taiyaku.editions import Edition, EditionsError, load

TAG_PREFIX = 'edition/'


class RepositoryError(RuntimeError):
    pass


def git(root: Path, *args: str, text: bool = True) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(['git', *args], cwd=root, capture_output=True, text=text)
    except FileNotFoundError:
        raise RepositoryError('git is not installed: a release and past editions need it '
                              '(run `make setup`)') from None


def is_repository(root: Path) -> bool:
    result = git(root, 'rev-parse', '--show-toplevel')
    return result.returncode == 0 and Path(result.stdout.strip()).resolve() == root.resolve()


def head(root: Path) -> str | None:
    """The commit checked out, or None outside git (or before the first commit)."""
    result = git(root, 'rev-parse', '--verify', '--quiet', 'HEAD^{commit}')
    return result.stdout.strip() if result.returncode == 0 else None


def uncommitted(root: Path) -> list[str]:
    """Every path with a change not committed: modified, staged, deleted or new (not ignored)."""
    result = git(root, 'status', '--porcelain=v1', '--untracked-files=all')
    if result.returncode != 0:
        raise RepositoryError(f'git status failed: {result.stderr.strip()}')
    return [line[3:] for line in result.stdout.splitlines() if line.strip()]


def has_commit(root: Path, commit: str) -> bool:
    return git(root, 'cat-file', '-e', f'{commit}^{{commit}}').returncode == 0


def tagged(root: Path, edition_id: str) -> str | None:
    """The commit of the tag ``edition/<id>``, if there is one."""
    result = git(root, 'rev-parse', '--verify', '--quiet', f'refs/tags/{TAG_PREFIX}{edition_id}^{{commit}}')
    return result.stdout.strip() if result.returncode == 0 else None


@dataclass(frozen=True)
class Published:
    """An edition and the commit it was published from."""
    edition: Edition
    commit: str
    recorded: bool          # in editions.toml (else found by its tag only)


def editions(root: Path) -> list[Edition]:
    return load(root / 'editions.toml')


def published(root: Path, edition_id: str) -> Published | None:
    """The commit ``edition_id`` was published from (recorded, else tagged), or None: not yet
    published. An id that editions.toml does not list is an EditionsError naming the known ones."""
    history = editions(root)
    edition = next((edition for edition in history if edition.id == edition_id), None)
    if edition is None:
        raise EditionsError(f'no edition {edition_id} (editions in editions.toml: '
                            f'{", ".join(edition.id for edition in history)})')
    if edition.commit:
        return Published(edition, edition.commit, True)
    commit = tagged(root, edition_id)
    return Published(edition, commit, False) if commit else None


def require(root: Path, edition_id: str) -> Published:
    """``published``, or a RepositoryError saying why the edition cannot be read."""
    found = published(root, edition_id)
    if not is_repository(root):
        raise RepositoryError(f'{root} is not the top folder of a git repository: past editions are read '
                              'from its history')
    if found is None:
        raise RepositoryError(f'edition {edition_id} has no recorded commit: editions.toml records one '
                              f'(commit = "<sha>") when the edition is released')
    if not has_commit(root, found.commit):
        raise RepositoryError(f'edition {edition_id} was published from commit {found.commit[:12]}, which this '
                              'repository does not have (a shallow clone? `git fetch --unshallow`)')
    return found


def published_editions(root: Path) -> list[Published]:
    """Every edition with a known commit present in the repository, oldest first (none when
    the project is not the top folder of a git repository)."""
    if not is_repository(root):
        return []
    found = []
    for edition in editions(root):
        try:
            entry = published(root, edition.id)
        except EditionsError:
            continue
        if entry is not None and has_commit(root, entry.commit):
            found.append(entry)
    return found


def files_at(root: Path, commit: str, folder: str) -> list[str]:
    listing = git(root, 'ls-tree', '-r', '--name-only', commit, folder)
    return listing.stdout.split() if listing.returncode == 0 else []


def read_at(root: Path, commit: str, name: str) -> bytes | None:
    blob = git(root, 'show', f'{commit}:{name}', text=False)
    return blob.stdout if blob.returncode == 0 else None


def tag_editions(root: Path) -> list[str]:
    """Make the tag ``edition/<id>`` of every recorded edition; one line per edition saying
    what was done. A tag that names another commit than the record is a RepositoryError."""
    lines, conflicts = [], []
    for edition in editions(root):
        name = f'{TAG_PREFIX}{edition.id}'
        existing = tagged(root, edition.id)
        if not edition.commit:
            lines.append(f'{name}: no commit recorded in editions.toml'
                         + (f' (tagged {existing[:12]}: record it as commit = "{existing}")' if existing else
                            ' (not yet released)'))
            continue
        if existing == edition.commit:
            lines.append(f'{name} → {edition.commit[:12]} (already there)')
            continue
        if existing is not None:
            conflicts.append(f'{name} names {existing[:12]}, but editions.toml records {edition.commit[:12]}')
            continue
        if not has_commit(root, edition.commit):
            conflicts.append(f'{name}: commit {edition.commit[:12]} is not in this repository')
            continue
        made = git(root, 'tag', name, edition.commit)
        if made.returncode != 0:
            conflicts.append(f'{name}: git tag failed: {made.stderr.strip()}')
            continue
        lines.append(f'{name} → {edition.commit[:12]} (created)')
    if conflicts:
        raise RepositoryError('\n'.join([*lines, *conflicts]))
    return lines
