"""The output folder, written atomically: everything goes into a staging folder beside
it, and only a complete, checked import replaces the folder in one rename. A failed
import leaves the previous draft (or nothing) in place, never half a draft."""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from taiyaku.importer.errors import ImportFailure

MARKER = 'report.json'    # what makes a folder an earlier import that may be replaced


@contextmanager
def staging(out: Path) -> Iterator[Path]:
    out = Path(os.path.abspath(out))
    if out.exists() and not (out.is_dir() and (not any(out.iterdir()) or (out / MARKER).is_file())):
        raise ImportFailure(str(out), f'exists and is not an earlier import (no {MARKER}): choose another output folder')
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=f'.{out.name}.', suffix='.partial', dir=out.parent))
    except OSError as exc:
        raise ImportFailure(str(out), f'cannot write here: {exc.strerror}') from None
    try:
        yield folder
        publish(folder, out)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def publish(folder: Path, out: Path) -> None:
    old = None
    if out.exists():
        old = out.with_name(f'.{out.name}.{os.getpid()}.old')
        out.rename(old)
    try:
        folder.rename(out)
    except OSError:
        if old is not None:
            old.rename(out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
