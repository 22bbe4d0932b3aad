"""Whether a file may have changed since it was last looked at, without reading it; and
which code made a record kept between runs."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType


def signature(path: Path) -> list[int]:
    """What changes whenever a file's content may have: its inode, size, modification and
    status-change times. The last cannot be set back (``touch -d``, ``cp -p`` and ``tar x``
    set only the first two times), so a file put back with an old time still differs."""
    stat = path.stat()
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]


def code_digest(modules: Iterable[ModuleType], salt: str = '') -> str:
    """The SHA-256 of ``salt`` and the source files of ``modules``: what a record kept between
    runs was made by (a record made by other code is not trusted)."""
    digest = hashlib.sha256(salt.encode())
    for module in modules:
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()
