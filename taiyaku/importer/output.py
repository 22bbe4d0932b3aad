"""The output folder. Everything is written into a staging folder beside it first; only a
complete, checked import is published, file by file, its report last. A failed import
leaves the previous draft (or nothing) in place, never half a draft.

An import never deletes a file it did not write. ``report.json`` keeps a manifest of
what the import wrote, with each file's SHA-256: that is what makes a folder an earlier
import (a stray ``report.json`` without a manifest that matches is not one), what a new
import may replace, and how an edited draft is noticed. Over a draft the user edited,
an import refuses unless forced; forced, it first moves the edited draft aside
(``OUT.previous``, ``OUT.previous-2``…). Files of the user's own in the folder stay.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from taiyaku.importer.errors import ImportFailure

MARKER = 'report.json'    # the report, with the manifest of what the import wrote
SUMMARY = 'report.txt'


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def earlier_manifest(out: Path) -> dict[str, str] | None:
    """The files an earlier import wrote here, with their SHA-256 (None: not an import)."""
    try:
        report = json.loads((out / MARKER).read_text(encoding='utf-8'))
    except (OSError, ValueError):
        return None
    manifest = report.get('manifest') if isinstance(report, dict) else None
    if not isinstance(manifest, dict) or not manifest or not all(
            isinstance(k, str) and isinstance(v, str) and '/' not in k for k, v in manifest.items()):
        return None
    if report.get('tool') != 'taiyaku import':
        return None
    return manifest


def check(out: Path, force: bool) -> dict[str, str]:
    """What may be replaced in ``out`` (the earlier import's manifest; {} for a new or empty
    folder). Refuses a folder that is not an earlier import, and an edited draft unless forced."""
    if not out.exists():
        return {}
    if not out.is_dir():
        raise ImportFailure(str(out), 'exists and is not a folder: choose another output folder')
    if not any(out.iterdir()):
        return {}
    manifest = earlier_manifest(out)
    if manifest is None:
        why = f'{MARKER} is not the report of an import' if (out / MARKER).exists() else f'no {MARKER}'
        raise ImportFailure(str(out), f'exists and is not an earlier import ({why}): choose another output folder')
    edited = [name for name, sha in sorted(manifest.items())
              if name not in (MARKER, SUMMARY) and (not (out / name).is_file() or digest(out / name) != sha)]
    if edited and not force:
        raise ImportFailure(str(out), f'the draft was edited since it was imported ({", ".join(edited[:5])}'
                                      f'{"…" if len(edited) > 5 else ""} changed): import into another folder, or '
                                      f'give --force to replace it (the edited draft is then kept aside in '
                                      f'{aside_name(out).name}/)')
    return manifest


def aside_name(out: Path) -> Path:
    candidate, n = out.with_name(f'{out.name}.previous'), 2
    while candidate.exists():
        candidate, n = out.with_name(f'{out.name}.previous-{n}'), n + 1
    return candidate


@contextmanager
def staging(out: Path, force: bool = False) -> Iterator[Path]:
    out = Path(os.path.abspath(out))
    manifest = check(out, force)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=f'.{out.name}.', suffix='.partial', dir=out.parent))
    except OSError as exc:
        raise ImportFailure(str(out), f'cannot write here: {exc.strerror}') from None
    try:
        yield folder
        publish(folder, out, manifest)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def write_manifest(folder: Path) -> dict[str, str]:
    """Every file of the staged draft but the report itself, with its SHA-256."""
    return {path.name: digest(path) for path in sorted(folder.iterdir()) if path.name != MARKER}


def publish(folder: Path, out: Path, manifest: dict[str, str]) -> None:
    if manifest and any(name not in (MARKER, SUMMARY) and ((out / name).is_file() and digest(out / name) != sha)
                        for name, sha in manifest.items()):
        aside = aside_name(out)              # forced over an edited draft: keep it, as it was
        aside.mkdir()
        for name in manifest:
            if (out / name).is_file():
                shutil.copy2(out / name, aside / name)
    out.mkdir(parents=True, exist_ok=True)
    new = [path.name for path in sorted(folder.iterdir())]
    for name in new:                          # the report last: the draft is complete when it is there
        if name != MARKER:
            os.replace(folder / name, out / name)
    for name in manifest:                     # what the earlier import wrote and this one does not
        if name not in new and name != MARKER and (out / name).is_file():
            (out / name).unlink()
    os.replace(folder / MARKER, out / MARKER)
