"""Where things are in a taiyaku project, and which languages it has."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

MASTER_LANGUAGE = 'ja'


@dataclass(frozen=True)
class Project:
    root: Path
    build_dir: Path | None = None      # default root/build; a release builds in a clean folder of its own

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        """The project whose conf.py is at or above ``start`` (default: TAIYAKU_ROOT or cwd)."""
        here = Path(start or os.environ.get('TAIYAKU_ROOT') or Path.cwd()).resolve()
        for candidate in (here, *here.parents):
            if (candidate / 'conf.py').is_file() and (candidate / 'source').is_dir():
                return cls(candidate)
        raise FileNotFoundError(f'{here}: not inside a taiyaku project (no conf.py beside a source/ folder)')

    @property
    def source(self) -> Path:
        return self.root / 'source'

    @property
    def locale(self) -> Path:
        return self.root / 'locale'

    @property
    def build(self) -> Path:
        return self.build_dir or self.root / 'build'

    @property
    def work(self) -> Path:
        """Intermediate trees (doctrees, LaTeX, unpacked EPUB), one per language and builder."""
        return self.build / '.work'

    def translations(self) -> list[str]:
        """Target languages: every locale/<lang>/LC_MESSAGES folder holding a catalog."""
        if not self.locale.is_dir():
            return []
        return sorted(
            folder.name for folder in self.locale.iterdir()
            if folder.name != MASTER_LANGUAGE and any((folder / 'LC_MESSAGES').rglob('*.po'))
        )

    def languages(self) -> list[str]:
        return [MASTER_LANGUAGE, *self.translations()]
