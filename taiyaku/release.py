"""Release builds: every output of every language for one edition, checked, summed, reproducible.

``make release`` builds the current edition from scratch in a clean folder of its own
(never reusing an incremental tree), and publishes ``build/release/<edition>/`` with a
``SHA256SUMS`` file only if every gate passes:

- every catalog is in step with the master and 100% translated (no fuzzy message);
- catalog QA (``taiyaku.qa``) has no open error;
- every change to the master since the previous edition is one of this edition's errata;
- the build has no warning (every Sphinx warning is an error);
- epubcheck reports nothing on any EPUB.

The folder appears in one rename when everything is done, so a failed or interrupted
release never leaves a folder that looks complete. Builds are dated by the edition
(SOURCE_DATE_EPOCH), so two releases of the same commit are byte-identical.

``make release EDITION=<id>`` rebuilds a past edition from its git tag ``edition/<id>``
in a temporary worktree, with that edition's own toolchain, leaving the working tree alone.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from taiyaku import builds, catalogs
from taiyaku.changes import unlisted_changes
from taiyaku.editions import EditionsError, current, load
from taiyaku.memory import EDITION_TAG_PREFIX
from taiyaku.po import CatalogError, read_catalog
from taiyaku.project import Project

EPUBCHECK_JAR = Path('/usr/share/java/epubcheck.jar')
SUMS = 'SHA256SUMS'


class ReleaseError(RuntimeError):
    pass


def release_dir(project: Project, edition_id: str) -> Path:
    return project.root / 'build' / 'release' / edition_id


# -- gates --------------------------------------------------------------------------------------

def untranslated(project: Project, languages: list[str]) -> list[str]:
    """Every message of the master that a catalog leaves empty or marks fuzzy (a message or a
    catalog missing altogether is catalog QA's ``master`` check)."""
    templates = catalogs.pot_dir(project)
    problems = []
    for pot in sorted(templates.rglob('*.pot')):
        template = read_catalog(pot)
        for language in languages:
            path = project.locale / language / 'LC_MESSAGES' / pot.relative_to(templates).with_suffix('.po')
            shown = path.relative_to(project.root)
            if not len(template) or not path.exists():
                continue
            catalog = read_catalog(path, language)
            for message in template:
                found = catalog.get(message.id) if message.id else None
                if found is None:
                    continue
                line = found.lineno or 1
                if not found.string:
                    problems.append(f'{shown}:{line}: untranslated: {message.id[:30]}…')
                elif found.fuzzy:
                    problems.append(f'{shown}:{line}: fuzzy (review it and remove the flag): {message.id[:30]}…')
    return problems


def qa_errors(project: Project, languages: list[str], templates: Path) -> list[str]:
    """Catalog QA's errors, the catalogs compared with the master's messages (``templates``)."""
    from taiyaku import qa

    return [finding.format(project.root) for finding in qa.check_project(project, languages, templates=templates)
            if finding.severity is qa.ERROR]


def epubcheck(path: Path) -> list[str]:
    """epubcheck's messages about one EPUB (empty when it is clean)."""
    java = shutil.which('java')
    if java is None or not EPUBCHECK_JAR.exists():
        raise ReleaseError('epubcheck is not installed (java and /usr/share/java/epubcheck.jar): '
                           'run `make setup`, which installs the Debian package epubcheck')
    result = subprocess.run([java, '-jar', str(EPUBCHECK_JAR), '--quiet', str(path)],
                            capture_output=True, text=True)
    messages = [line for line in (result.stdout + result.stderr).splitlines()
                if line.startswith(('ERROR', 'WARNING', 'FATAL', 'USAGE'))]
    if result.returncode != 0 and not messages:
        messages = [f'epubcheck failed (exit {result.returncode}): {(result.stdout + result.stderr).strip()[:300]}']
    return messages


# -- assembling ---------------------------------------------------------------------------------

def sha256sums(folder: Path) -> str:
    """``sha256sum`` format, every file below ``folder`` in a stable order."""
    lines = []
    for path in sorted(p for p in folder.rglob('*') if p.is_file() and p.name != SUMS):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines.append(f'{digest}  {path.relative_to(folder).as_posix()}')
    return '\n'.join(lines) + '\n'


def assemble(clean: Project, outputs: list[Path], staging: Path) -> None:
    """Copy the outputs into the release layout: html/<lang>/…, epub/…, pdf/…, parallel/<format>/…."""
    for output in outputs:
        relative = output.relative_to(clean.build)
        # the folder that holds one output: build/<format>/<lang>/ or build/parallel/<format>/
        parallel, folder = relative.parts[0] == builds.PARALLEL, relative.parts[:2]
        if output.suffix == '.html':             # an HTML tree: take the whole folder
            shutil.copytree(clean.build.joinpath(*folder), staging.joinpath(*folder),
                            ignore=shutil.ignore_patterns('.buildinfo', '.buildinfo.bak', '.doctrees'),
                            dirs_exist_ok=True)
        else:                                    # one file: epub/<name>.epub, parallel/pdf/<name>.pdf …
            target = staging.joinpath(*(folder if parallel else folder[:1]), output.name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(output, target)
    (staging / SUMS).write_text(sha256sums(staging), encoding='utf-8')


def publish_release(staging: Path, destination: Path) -> None:
    old = None
    if destination.exists():
        old = destination.with_name(f'.{destination.name}.old')
        shutil.rmtree(old, ignore_errors=True)
        destination.rename(old)
    staging.rename(destination)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def release(project: Project, log=print) -> Path:
    """Build, check and publish the current edition; raise ReleaseError saying why not."""
    try:
        edition = current(project.root / 'editions.toml')
    except EditionsError as exc:
        raise ReleaseError(str(exc)) from None
    languages = project.languages()
    destination = release_dir(project, edition.id)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f'.{edition.id}.building-', dir=destination.parent) as scratch:
        clean = Project(project.root, build_dir=Path(scratch) / 'build')
        log(f'taiyaku: release {edition.id}: checking the catalogs')
        try:
            templates = builds.extract_messages(clean)
            problems = untranslated(clean, project.translations())
        except CatalogError as exc:
            raise ReleaseError(str(exc)) from None
        problems += qa_errors(project, project.translations(), templates)
        problems += unlisted_changes(project)
        if problems:
            raise ReleaseError('the edition is not ready:\n  ' + '\n  '.join(problems))

        log(f'taiyaku: release {edition.id}: building {", ".join(builds.RELEASE_FORMATS)} '
            f'for {", ".join(languages)} from scratch')
        try:
            outputs = builds.build(clean, builds.RELEASE_FORMATS, languages)
        except (builds.BuildError, CatalogError) as exc:
            raise ReleaseError(f'the build failed:\n{exc}') from None

        log(f'taiyaku: release {edition.id}: epubcheck')
        reports = [f'{epub.name}: {message}' for epub in outputs if epub.suffix == '.epub'
                   for message in epubcheck(epub)]
        if reports:
            raise ReleaseError('epubcheck reported:\n  ' + '\n  '.join(reports))

        staging = Path(scratch) / edition.id
        assemble(clean, outputs, staging)
        publish_release(staging, destination)
    return destination


# -- past editions ------------------------------------------------------------------------------

def git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(['git', *args], cwd=root, capture_output=True, text=True)


def toolchain_python(worktree: Path, project: Project) -> str:
    """This venv's Python when the edition pinned the same packages; else a venv of its own pins."""
    ours, theirs = project.root / 'requirements.txt', worktree / 'requirements.txt'
    if theirs.exists() and ours.exists() and theirs.read_bytes() == ours.read_bytes():
        return sys.executable
    venv = worktree / '.venv'
    subprocess.run([sys.executable, '-m', 'venv', str(venv)], check=True)
    python = str(venv / 'bin' / 'python')
    result = subprocess.run([python, '-m', 'pip', 'install', '--quiet', '--disable-pip-version-check',
                             '-r', str(theirs)], capture_output=True, text=True)
    if result.returncode != 0:
        raise ReleaseError(f'installing the pinned packages of the tagged edition failed:\n{result.stderr[-2000:]}')
    return python


def release_past(project: Project, edition_id: str, log=print) -> Path:
    """Rebuild ``edition_id`` from its tag in a temporary worktree, with its own toolchain."""
    tag = f'{EDITION_TAG_PREFIX}{edition_id}'
    if git(project.root, 'rev-parse', '--verify', '--quiet', f'refs/tags/{tag}').returncode != 0:
        known = [edition.id for edition in load(project.root / 'editions.toml')]
        raise ReleaseError(f'no git tag {tag} (editions in editions.toml: {", ".join(known)}; '
                           f'tags are made when an edition is issued)')
    destination = release_dir(project, edition_id)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f'taiyaku-{edition_id}-') as scratch:
        worktree = Path(scratch) / 'worktree'
        added = git(project.root, 'worktree', 'add', '--detach', str(worktree), tag)
        if added.returncode != 0:
            raise ReleaseError(f'git worktree add {tag} failed: {added.stderr.strip()}')
        try:
            log(f'taiyaku: release {edition_id}: rebuilding from {tag} in a temporary worktree')
            environment = {key: value for key, value in os.environ.items() if key != 'TAIYAKU_ROOT'}
            result = subprocess.run([toolchain_python(worktree, project), '-m', 'taiyaku', 'release'],
                                    cwd=worktree, env=environment, capture_output=True, text=True)
            if result.returncode != 0:
                raise ReleaseError(f'rebuilding {tag} failed:\n{(result.stdout + result.stderr).strip()}')
            built = worktree / 'build' / 'release' / edition_id
            staging = Path(tempfile.mkdtemp(prefix=f'.{edition_id}.copying-', dir=destination.parent))
            shutil.copytree(built, staging / edition_id)
            publish_release(staging / edition_id, destination)
            shutil.rmtree(staging, ignore_errors=True)
        finally:
            git(project.root, 'worktree', 'remove', '--force', str(worktree))
            git(project.root, 'worktree', 'prune')
    return destination
