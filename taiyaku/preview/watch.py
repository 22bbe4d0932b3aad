"""What the preview watches: the sources, the configuration, the language's catalogs and
every file Sphinx recorded as a dependency — noticed through inotify where there is one."""

from __future__ import annotations

import os
import re
import select
import threading
import time
from pathlib import Path

from taiyaku.project import Project

POLL_SECONDS = 0.05           # how often saved files are looked for, without inotify
IDLE_SECONDS = 1.0            # with inotify: how often files are looked at anyway (dependencies elsewhere)
RESCAN_SECONDS = 1.0          # how often folders are walked for new files
# inotify events: a file written and closed, renamed into place, created or removed
IN_CLOSE_WRITE, IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE = 0x8, 0x40, 0x80, 0x100, 0x200
RESTART_FILES = ('conf.py', 'docutils.conf')     # a change to these starts a new Sphinx application
IGNORED = re.compile(r'(^\.|~$|\.sw.$|^#.*#$|\.(mo|pyc)$)')     # hidden files, editor backups, compiled files


def scan_folder(folder: Path, suffixes: tuple[str, ...] | None = None) -> list[Path]:
    found = []
    if not folder.is_dir():
        return found
    for entry in os.scandir(folder):
        if IGNORED.search(entry.name):
            continue
        if entry.is_dir(follow_symlinks=False):
            found.extend(scan_folder(Path(entry.path), suffixes))
        elif suffixes is None or entry.name.endswith(suffixes):
            found.append(Path(entry.path))
    return found


def signature(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


class Inotify:
    """Linux's inotify through ctypes: a wake-up as soon as a file in a watched folder is saved.

    What changed is still worked out by comparing the files' times and sizes; this only
    saves waiting for the next look (and looking every few milliseconds while idle).
    """

    def __init__(self):
        import ctypes

        self.libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self.libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), 'inotify_init1')
        self.folders: set[Path] = set()

    def watch(self, folders: set[Path]) -> None:
        mask = IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
        for folder in folders - self.folders:
            if self.libc.inotify_add_watch(self.fd, os.fsencode(folder), mask) >= 0:
                self.folders.add(folder)

    def wait(self, timeout: float) -> None:
        if select.select([self.fd], [], [], timeout)[0]:
            while True:
                try:
                    if not os.read(self.fd, 65536):
                        break
                except BlockingIOError:
                    break


class Watcher:
    """Which watched files were saved, created or removed since the last look."""

    def __init__(self, project: Project, language: str):
        self.project, self.language = project, language
        self.extra: set[Path] = set()
        self.known: dict[Path, tuple[int, int] | None] = {}
        self.walked = 0.0
        try:
            self.inotify: Inotify | None = Inotify()
        except (OSError, AttributeError):           # not Linux: look every POLL_SECONDS
            self.inotify = None
        self.changes()

    def wait(self, stop: threading.Event) -> bool:
        """Until something may have changed; False once ``stop`` is set."""
        if self.inotify is None:
            return not stop.wait(POLL_SECONDS)
        self.inotify.wait(IDLE_SECONDS)
        return not stop.is_set()

    def files(self) -> set[Path]:
        root = self.project.root
        found = set(scan_folder(self.project.source))
        found.update(scan_folder(self.project.locale / self.language / 'LC_MESSAGES', ('.po',)))
        found.update(root / name for name in RESTART_FILES if (root / name).exists())
        return found | self.extra

    def changes(self) -> set[Path]:
        now = time.monotonic()
        paths = set(self.known)
        if now - self.walked >= RESCAN_SECONDS:
            paths |= self.files()
            self.walked = now
        changed = set()
        for path in paths:
            current = signature(path)
            if self.known.get(path, ()) != current:
                changed.add(path)
            if current is None:
                self.known.pop(path, None)
            else:
                self.known[path] = current
        if self.inotify is not None:
            self.inotify.watch({path.parent for path in self.known})
        return changed

    def follow(self, dependencies: set[Path]) -> None:
        """Also watch what Sphinx recorded the documents depend on (editions.toml, raw text…)."""
        for path in dependencies - set(self.known):
            self.known[path] = signature(path)
        self.extra = dependencies
