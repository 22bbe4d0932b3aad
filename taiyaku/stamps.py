"""Whether a file may have changed since it was last looked at, without reading it."""

from __future__ import annotations

from pathlib import Path


def signature(path: Path) -> list[int]:
    """What changes whenever a file's content may have: its inode, size, modification and
    status-change times. The last cannot be set back (``touch -d``, ``cp -p`` and ``tar x``
    set only the first two times), so a file put back with an old time still differs."""
    stat = path.stat()
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]
