"""Build the outputs: every format for every language, concurrently where they are independent.

Each (language, builder) pair gets its own doctree and work folder, so two builds never
share a pickle or a temporary file and can run at the same time. Finished artefacts are
moved into the public tree (build/html/<lang>, build/epub/<lang>, build/pdf/<lang>) only
when the build has succeeded, so a failed run never leaves a half-written output
looking like a good one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from taiyaku import environment
from taiyaku.editions import current
from taiyaku.project import Project

FORMATS = ('html', 'epub', 'pdf')
RELEASE_FORMATS = FORMATS          # what `make release` builds for every language
SPHINX_BUILDER = {'html': 'html', 'epub': 'epub', 'pdf': 'latex', 'text': 'text', 'gettext': 'gettext'}


class BuildError(RuntimeError):
    pass


@dataclass
class Target:
    language: str
    format: str
    log: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f'{self.format}/{self.language}'


def sphinx_command(project: Project, target: Target, outdir: Path, extra: Iterable[str] = ()) -> list[str]:
    builder = SPHINX_BUILDER[target.format]
    return [
        sys.executable, '-m', 'sphinx',
        '-b', builder,
        '-c', str(project.root),
        '-d', str(project.work / 'doctrees' / target.language / builder),
        '-D', f'language={target.language}',
        '-W', '--keep-going',   # every warning is an error, all of them reported at once
        '-q',
        *extra,
        str(project.source), str(outdir),
    ]


def edition_env(project: Project) -> dict[str, str]:
    """The environment of every build: the clock stopped at the current edition's date.

    SOURCE_DATE_EPOCH is honoured by Sphinx (copyright year, |today|, EPUB dates, .pot
    headers) and, with FORCE_SOURCE_DATE=1, by upLaTeX/XeLaTeX and dvipdfmx (\\today, PDF
    /CreationDate, /ModDate and /ID), so a rebuild of an edition reproduces its files.
    """
    env = dict(os.environ)
    env['SOURCE_DATE_EPOCH'] = str(current(project.root / 'editions.toml').source_date_epoch)
    env['FORCE_SOURCE_DATE'] = '1'
    env['TZ'] = 'UTC'
    return env


def run(command: list[str], target: Target, cwd: Path | None = None, env: dict | None = None) -> None:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    output = (result.stdout + result.stderr).strip()
    if output:
        target.log.append(output)
    if result.returncode != 0:
        raise BuildError(f'{target.name}: `{" ".join(command[:4])} …` failed (exit {result.returncode})\n{output}')


def publish(produced: Path, destination: Path) -> None:
    """Replace ``destination`` by ``produced`` in one rename, never leaving it half-written."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f'.{destination.name}.', dir=destination.parent))
    staged = staging / destination.name
    if produced.is_dir():
        shutil.copytree(produced, staged)
    else:
        shutil.copy2(produced, staged)
    old = None
    if destination.exists():
        old = destination.parent / f'.{destination.name}.old'
        shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)
        destination.rename(old)
    staged.rename(destination)
    shutil.rmtree(staging)
    if old is not None:
        shutil.rmtree(old) if old.is_dir() else old.unlink()


def only_file(outdir: Path, pattern: str, target: Target) -> Path:
    found = sorted(outdir.glob(pattern))
    if len(found) != 1:
        raise BuildError(f'{target.name}: expected one {pattern} in {outdir}, found {len(found)}')
    return found[0]


def publish_file(project: Project, produced: Path, target: Target) -> Path:
    """Publish one finished file as the only content of build/<format>/<lang>/."""
    staging = project.work / f'publish-{target.format}' / target.language
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    shutil.copy2(produced, staging / produced.name)
    destination = project.build / target.format / target.language
    publish(staging, destination)
    return destination / produced.name


def build_html(project: Project, target: Target) -> Path:
    outdir = project.work / 'html' / target.language
    run(sphinx_command(project, target, outdir), target, env=edition_env(project))
    publish(outdir, project.build / 'html' / target.language)
    return project.build / 'html' / target.language / 'index.html'


def build_epub(project: Project, target: Target) -> Path:
    outdir = project.work / 'epub' / target.language
    for stale in outdir.glob('*.epub'):
        stale.unlink()
    run(sphinx_command(project, target, outdir), target, env=edition_env(project))
    return publish_file(project, only_file(outdir, '*.epub', target), target)


def build_pdf(project: Project, target: Target) -> Path:
    outdir = project.work / 'latex' / target.language
    lacking = environment.missing('pdf', target.language)
    if lacking:
        raise BuildError(f'{target.name}: this machine cannot typeset the PDF:\n{environment.explain(lacking)}')
    for stale in outdir.glob('*.pdf'):
        stale.unlink()
    run(sphinx_command(project, target, outdir), target, env=edition_env(project))
    latexmk_options = '-interaction=nonstopmode -halt-on-error -file-line-error -silent'
    try:
        run(['make', '-C', str(outdir), 'all-pdf', f'LATEXMKOPTS={latexmk_options}'], target,
            env=edition_env(project))
    except BuildError as exc:
        raise BuildError(f'{exc}\n{latex_errors(outdir)}') from None
    return publish_file(project, only_file(outdir, '*.pdf', target), target)


def latex_errors(outdir: Path) -> str:
    """The error lines of the LaTeX logs, with file and line (-file-line-error)."""
    found = []
    for log in outdir.glob('*.log'):
        lines = log.read_text(encoding='utf-8', errors='replace').splitlines()
        for number, line in enumerate(lines):
            if line.startswith('!') or ': Error' in line or (line.startswith('./') and ':' in line[2:]):
                found.append('\n'.join(lines[number:number + 3]))
    return 'LaTeX reported:\n' + '\n'.join(found[:10]) if found else ''


BUILDERS = {'html': build_html, 'epub': build_epub, 'pdf': build_pdf}


def build(project: Project, formats: Iterable[str], languages: Iterable[str], jobs: int | None = None) -> list[Path]:
    """Build every (format, language) pair; raise BuildError naming each one that failed."""
    from taiyaku.catalogs import compile_catalogs

    project.work.mkdir(parents=True, exist_ok=True)   # an unwritable build folder fails here, plainly
    for language in languages:
        if language in project.translations():
            compile_catalogs(project, language)
    targets = [Target(language, fmt) for fmt in formats for language in languages]
    jobs = jobs or min(len(targets), os.cpu_count() or 1)
    # PDFs are the slowest: start them first so the pool stays busy to the end.
    targets.sort(key=lambda t: FORMATS.index(t.format) if t.format in FORMATS else 0, reverse=True)

    def one(target: Target) -> Path | BuildError:
        try:
            return BUILDERS[target.format](project, target)
        except BuildError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = list(pool.map(one, targets))
    failures = [r for r in results if isinstance(r, BuildError)]
    if failures:
        raise BuildError('\n\n'.join(str(f) for f in failures))
    return [r for r in results if isinstance(r, Path)]
