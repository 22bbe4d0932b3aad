"""The one error the importer raises: it names the file, and the line when there is one."""

from __future__ import annotations


class ImportFailure(Exception):
    def __init__(self, path: str, message: str, line: int | None = None):
        self.path, self.message, self.line = str(path), message, line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f'{self.path}:{self.line}' if self.line else self.path
        return f'{where}: {self.message}'
