"""What a build needs from the machine, checked before it starts.

A PDF build that reaches LaTeX without upLaTeX, or without the fonts it embeds, fails
deep inside a log; checked first, the user reads which program or font is missing and
which Debian package (installed by ``make setup``) provides it.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Requirement:
    what: str            # shown to the user
    package: str         # the Debian package that provides it
    kind: str            # 'program', 'tex-file' (found by kpsewhich) or 'font' (found by fc-list)
    name: str

    def present(self, tex_files: set[str] = frozenset(), font_families: set[str] = frozenset()) -> bool:
        """Whether the machine has it; ``tex_files`` and ``font_families``: what one kpsewhich
        and one fc-list call found for all the requirements checked together."""
        if self.kind == 'program':
            return shutil.which(self.name) is not None
        if self.kind == 'tex-file':
            return self.name in tex_files
        return self.name in font_families


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
    """What the (format, language) build needs and the machine lacks: one kpsewhich and one
    fc-list for all of it (a PDF rebuild starts with this check)."""
    needs = NEEDS.get((format, language)) or NEEDS.get((format, 'en'), [])
    tex_names = [requirement.name for requirement in needs if requirement.kind == 'tex-file']
    fonts = [requirement.name for requirement in needs if requirement.kind == 'font']
    tex_files = {Path(line).name for line in run(['kpsewhich', *tex_names]).splitlines()} if tex_names else set()
    # fc-list prints a font's families on one line: "Noto Serif CJK JP,Noto Serif CJK JP Black"
    families = {name.strip() for line in run(['fc-list', ':', 'family']).splitlines()
                for name in line.split(',')} if fonts else set()
    return [requirement for requirement in needs if not requirement.present(tex_files, families)]


def explain(requirements: list[Requirement]) -> str:
    packages = ' '.join(sorted({requirement.package for requirement in requirements}))
    lines = [f'  missing: {requirement.what}' for requirement in requirements]
    return '\n'.join([*lines, f'  run `make setup` (it installs the Debian packages: {packages})'])
