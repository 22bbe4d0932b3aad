"""One build of an output at a time, across processes: ``make html`` twice in one checkout.

A lock is a file under ``build/.work/locks/`` held with ``flock``: the kernel lets it go
when the process ends, however it ends, so a killed build never leaves a stale lock. A
second build of the same output says that another one is running (and which process),
waits for it, then goes on — from the first one's work, so it is quick.
"""

from __future__ import annotations

import fcntl
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path


def lock_path(folder: Path, name: str) -> Path:
    return folder / f'{name.replace("/", "-")}.lock'


@contextmanager
def held(folder: Path, name: str, say=None) -> Iterator[None]:
    """Hold the lock ``name`` (``html/ja``, ``gettext``…) in ``folder``, waiting for it if taken."""
    folder.mkdir(parents=True, exist_ok=True)
    path = lock_path(folder, name)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode('ascii', 'replace').strip()
            (say or default_say)(f'taiyaku: another build of {name} is running'
                                 + (f' (process {holder})' if holder else '') + '; waiting for it to finish…')
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f'{os.getpid()}\n'.encode('ascii'), 0)
        yield
    finally:
        os.close(fd)              # closing releases the lock


@contextmanager
def all_held(folder: Path, names: Iterable[str], say=None) -> Iterator[None]:
    """Several locks, always taken in the same (sorted) order, so two builds cannot deadlock."""
    with ExitStack() as stack:
        for name in sorted(set(names)):
            stack.enter_context(held(folder, name, say))
        yield


def default_say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
