"""What a build needs from the machine, checked before it starts.

A PDF build that reaches LaTeX without upLaTeX, or without the fonts it embeds, fails
deep inside a log; checked first, the user reads which program or font is missing and
which Debian package (installed by ``make setup``) provides it.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass


@dataclass(frozen=True)
class Requirement:
    what: str            # shown to the user
    package: str         # the Debian package that provides it
    kind: str            # 'program', 'tex-file' (found by kpsewhich) or 'font' (found by fc-list)
    name: str

    def present(self) -> bool:
        if self.kind == 'program':
            return shutil.which(self.name) is not None
        if self.kind == 'tex-file':
            return run(['kpsewhich', self.name]) != ''
        return self.name in run(['fc-list', f':family={self.name}', 'family'])


def run(command: list[str]) -> str:
    if shutil.which(command[0]) is None:
        return ''
    return subprocess.run(command, capture_output=True, text=True).stdout.strip()


LATEX = [
    Requirement('make', 'make', 'program', 'make'),
    Requirement('latexmk', 'latexmk', 'program', 'latexmk'),
    Requirement('kpsewhich (TeX Live)', 'texlive-base', 'program', 'kpsewhich'),
]
NEEDS = {
    ('pdf', 'ja'): [
        *LATEX,
        Requirement('upLaTeX', 'texlive-lang-japanese', 'program', 'uplatex'),
        Requirement('dvipdfmx', 'texlive-base', 'program', 'dvipdfmx'),
        Requirement('the pxrubrica package (ruby)', 'texlive-lang-japanese', 'tex-file', 'pxrubrica.sty'),
        Requirement('the HaranoAji Mincho font', 'texlive-lang-japanese', 'tex-file', 'HaranoAjiMincho-Regular.otf'),
        Requirement('the HaranoAji Gothic font', 'texlive-lang-japanese', 'tex-file', 'HaranoAjiGothic-Medium.otf'),
    ],
    ('pdf', 'en'): [
        *LATEX,
        Requirement('XeLaTeX', 'texlive-xetex', 'program', 'xelatex'),
        Requirement('the TeX Gyre Termes font', 'fonts-texgyre', 'font', 'TeX Gyre Termes'),
        Requirement('the Noto Serif CJK JP font', 'fonts-noto-cjk', 'font', 'Noto Serif CJK JP'),
    ],
}


def missing(format: str, language: str) -> list[Requirement]:
    """What the (format, language) build needs and the machine lacks."""
    needs = NEEDS.get((format, language)) or NEEDS.get((format, 'en'), [])
    return [requirement for requirement in needs if not requirement.present()]


def explain(requirements: list[Requirement]) -> str:
    packages = ' '.join(sorted({requirement.package for requirement in requirements}))
    lines = [f'  missing: {requirement.what}' for requirement in requirements]
    return '\n'.join([*lines, f'  run `make setup` (it installs the Debian packages: {packages})'])
