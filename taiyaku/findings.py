"""A finding at a place in a file, as every checker of taiyaku prints it: ``path:line: [check] message``
(the master lint, ``taiyaku.lint``; catalog QA, ``taiyaku.qa``, adds a severity)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Finding:
    path: Path
    line: int
    check: str
    message: str

    def format(self, base: Path | None = None) -> str:
        """``path:line: [check-id] message``, the path relative to ``base`` where it lies below it."""
        path = self.path
        if base is not None:
            try:
                path = path.resolve().relative_to(base.resolve())
            except ValueError:
                pass
        return f'{path}:{self.line}: [{self.check}] {self.message}'

    def __str__(self) -> str:
        return self.format()
