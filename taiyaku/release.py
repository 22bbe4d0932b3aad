"""Release builds: every output of every language for one edition, checked, summed, reproducible.

``make release`` builds the current edition from scratch in a clean folder of its own
(never reusing an incremental tree), from the commit checked out, and publishes
``build/release/<edition>/`` with a ``SHA256SUMS`` file only if every gate passes:

- the project is committed: no uncommitted change (the release records its commit);
- the edition is not already published from another commit (``FORCE=1`` replaces it);
- every catalog is in step with the master and 100% translated (no fuzzy message);
- catalog QA (``taiyaku.qa``) has no open error, and the master lint (``taiyaku.lint``)
  finds nothing;
- every change to the master since the previous edition is one of this edition's errata;
- the build has no warning (every Sphinx warning is an error);
- epubcheck reports nothing on any EPUB.

The folder appears in one rename when everything is done, so a failed or interrupted
release never leaves a folder that looks complete; a published folder is replaced only by
the same files, or with ``FORCE=1``. Builds are dated by the edition (SOURCE_DATE_EPOCH),
so two releases of the same commit are byte-identical. The commit is written into
``SHA256SUMS`` and the colophon, and recorded in editions.toml (``commit = "<sha>"``).

``make release EDITION=<id>`` rebuilds a past edition from its recorded commit in a
temporary clone, with that edition's own toolchain, leaving the working tree alone.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from taiyaku import builds, catalogs, lint, repository
from taiyaku.changes import unlisted_changes
from taiyaku.editions import Edition, EditionsError, current, record_commit
from taiyaku.po import CatalogError, read_catalog
from taiyaku.project import Project

EPUBCHECK_JAR = Path('/usr/share/java/epubcheck.jar')
SUMS = 'SHA256SUMS'
COMMIT_SETTING = 'taiyaku_commit'      # the colophon prints it (taiyaku.ext.colophon)


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

def sha256sums(folder: Path, edition_id: str, commit: str) -> str:
    """``sha256sum`` format, every file below ``folder`` in a stable order, after a comment line
    naming the edition and its commit (``sha256sum -c`` skips lines that start with #)."""
    lines = [f'# {edition_id}, built from commit {commit}']
    for path in sorted(p for p in folder.rglob('*') if p.is_file() and p.name != SUMS):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines.append(f'{digest}  {path.relative_to(folder).as_posix()}')
    return '\n'.join(lines) + '\n'


def summed_files(sums: str) -> list[str]:
    return [line.split('  ', 1)[1] for line in sums.splitlines() if line and not line.startswith('#')]


def assemble(clean: Project, outputs: list[Path], staging: Path, edition_id: str, commit: str) -> None:
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
    (staging / SUMS).write_text(sha256sums(staging, edition_id, commit), encoding='utf-8')


def publish_release(staging: Path, destination: Path, force: bool = False, log=print) -> None:
    """Put ``staging`` in place of ``destination`` in one rename. A published folder is replaced
    only by the same files (then left as it is) or with ``force``."""
    old = None
    if destination.exists():
        before, after = destination / SUMS, staging / SUMS
        if before.is_file() and before.read_bytes() == after.read_bytes():
            log(f'taiyaku: {destination.name} was already published with exactly these files: left as it is')
            shutil.rmtree(staging)
            return
        if not force:
            raise ReleaseError(f'{destination} is already published and this build differs from it '
                               f'({difference(destination, staging)}): a published edition is not replaced '
                               '(issue a new edition, or make release FORCE=1 to replace it)')
        old = destination.with_name(f'.{destination.name}.old')
        shutil.rmtree(old, ignore_errors=True)
        destination.rename(old)
    staging.rename(destination)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def difference(published: Path, built: Path) -> str:
    def sums(folder: Path) -> dict[str, str]:
        try:
            text = (folder / SUMS).read_text(encoding='utf-8')
        except OSError:
            return {}
        return {line.split('  ', 1)[1]: line.split('  ', 1)[0] for line in text.splitlines()
                if line and not line.startswith('#')}
    old, new = sums(published), sums(built)
    changed = sorted(name for name in old.keys() | new.keys() if old.get(name) != new.get(name))
    if not changed:
        return 'another commit'
    return f'{len(changed)} file(s) differ: {", ".join(changed[:3])}{"…" if len(changed) > 3 else ""}'


def stale_scratch(folder: Path) -> None:
    """Folders a killed release left in build/release/ (``.<id>.building-…``, ``.<id>.old``…)."""
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        if entry.name.startswith('.') and entry.is_dir() and \
                any(mark in entry.name for mark in ('.building-', '.copying-', '.old')):
            shutil.rmtree(entry, ignore_errors=True)


def repository_problems(project: Project, edition: Edition, force: bool) -> tuple[str | None, list[str]]:
    """The commit the release is built from, and why it may not be: not in git, uncommitted
    changes, or an edition already published from another commit (``force`` allows that)."""
    root = project.root
    if not repository.is_repository(root):
        return None, [f'{root} is not the top folder of a git repository: a release records the commit it is '
                      'built from (git init, and commit the project)']
    commit = repository.head(root)
    if commit is None:
        return None, ['the repository has no commit yet: commit the project first']
    problems = []
    changed = repository.uncommitted(root)
    if changed:
        shown = ', '.join(changed[:8]) + (f' and {len(changed) - 8} more' if len(changed) > 8 else '')
        problems.append(f'uncommitted changes ({shown}): a release is built from a commit; commit them first '
                        '(or stash them)')
    published = repository.published(root, edition.id)
    if published is not None and published.commit != commit and not force:
        how = 'recorded in editions.toml' if published.recorded else f'tag {repository.TAG_PREFIX}{edition.id}'
        problems.append(f'edition {edition.id} was published from commit {published.commit[:12]} ({how}); this is '
                        f'commit {commit[:12]}: to publish these changes add a new edition to editions.toml; '
                        f'to rebuild {edition.id}, make release EDITION={edition.id}; '
                        'FORCE=1 replaces it with this commit')
    return commit, problems


def release(project: Project, log=print, force: bool = False) -> Path:
    """Build, check and publish the current edition from the commit checked out; raise
    ReleaseError saying why not. The commit is written into SHA256SUMS and the colophon, and
    recorded in editions.toml."""
    try:
        edition = current(project.root / 'editions.toml')
    except EditionsError as exc:
        raise ReleaseError(str(exc)) from None
    languages = project.languages()
    destination = release_dir(project, edition.id)
    destination.parent.mkdir(parents=True, exist_ok=True)
    stale_scratch(destination.parent)
    try:
        commit, problems = repository_problems(project, edition, force)
    except repository.RepositoryError as exc:
        raise ReleaseError(str(exc)) from None
    with tempfile.TemporaryDirectory(prefix=f'.{edition.id}.building-', dir=destination.parent) as scratch:
        clean = Project(project.root, build_dir=Path(scratch) / 'build')
        log(f'taiyaku: release {edition.id}: checking the catalogs')
        try:
            templates = builds.extract_messages(clean)
            problems += untranslated(clean, project.translations())
        except CatalogError as exc:
            raise ReleaseError(str(exc)) from None
        problems += qa_errors(project, project.translations(), templates)
        problems += unlisted_changes(project)
        problems += [finding.format(project.root) for finding in lint.check_project(project)]
        if problems:
            raise ReleaseError('the edition is not ready:\n  ' + '\n  '.join(problems))

        log(f'taiyaku: release {edition.id}: building {", ".join(builds.RELEASE_FORMATS)} '
            f'for {", ".join(languages)} from scratch (commit {commit[:12]})')
        try:
            outputs = builds.build(clean, builds.RELEASE_FORMATS, languages, settings={COMMIT_SETTING: commit})
        except (builds.BuildError, CatalogError) as exc:
            raise ReleaseError(f'the build failed:\n{exc}') from None

        log(f'taiyaku: release {edition.id}: epubcheck')
        reports = [f'{epub.name}: {message}' for epub in outputs if epub.suffix == '.epub'
                   for message in epubcheck(epub)]
        if reports:
            raise ReleaseError('epubcheck reported:\n  ' + '\n  '.join(reports))

        staging = Path(scratch) / edition.id
        assemble(clean, outputs, staging, edition.id, commit)
        publish_release(staging, destination, force, log)
    if edition.commit != commit:
        record_commit(project.root / 'editions.toml', edition.id, commit)
        log(f'taiyaku: recorded commit {commit[:12]} as edition {edition.id} in editions.toml: commit that file, '
            'so every clone knows the edition (make tag-editions makes its git tag)')
    return destination


# -- past editions ------------------------------------------------------------------------------

def toolchain_python(checkout: Path, project: Project) -> str:
    """This venv's Python when the edition pinned the same packages; else a venv of its own pins."""
    ours, theirs = project.root / 'requirements.txt', checkout / 'requirements.txt'
    if theirs.exists() and ours.exists() and theirs.read_bytes() == ours.read_bytes():
        return sys.executable
    venv = checkout / '.venv'
    subprocess.run([sys.executable, '-m', 'venv', str(venv)], check=True)
    python = str(venv / 'bin' / 'python')
    result = subprocess.run([python, '-m', 'pip', 'install', '--quiet', '--disable-pip-version-check',
                             '-r', str(theirs)], capture_output=True, text=True)
    if result.returncode != 0:
        raise ReleaseError(f'installing the pinned packages of the edition failed:\n{result.stderr[-2000:]}')
    return python


def checkout_edition(project: Project, published: repository.Published, folder: Path) -> Path:
    """A clone of the project at the edition's commit, with every published edition tagged in
    it (a toolchain from before editions.toml recorded commits reads tags), the project's
    own repository untouched."""
    root = project.root
    cloned = repository.git(folder, 'clone', '--quiet', '--shared', '--no-checkout', str(root), 'checkout')
    if cloned.returncode != 0:
        raise ReleaseError(f'git clone failed: {cloned.stderr.strip()}')
    checkout = folder / 'checkout'
    switched = repository.git(checkout, 'checkout', '--quiet', '--detach', published.commit)
    if switched.returncode != 0:
        raise ReleaseError(f'git checkout {published.commit[:12]} failed: {switched.stderr.strip()}')
    for entry in repository.published_editions(root):
        repository.git(checkout, 'tag', '--force', f'{repository.TAG_PREFIX}{entry.edition.id}', entry.commit)
    return checkout


def release_past(project: Project, edition_id: str, log=print, force: bool = False) -> Path:
    """Rebuild ``edition_id`` from the commit it was published from, in a temporary clone,
    with its own toolchain; the working tree is left alone."""
    try:
        published = repository.require(project.root, edition_id)
    except (EditionsError, repository.RepositoryError) as exc:
        raise ReleaseError(str(exc)) from None
    destination = release_dir(project, edition_id)
    destination.parent.mkdir(parents=True, exist_ok=True)
    stale_scratch(destination.parent)
    with tempfile.TemporaryDirectory(prefix=f'taiyaku-{edition_id}-') as scratch:
        checkout = checkout_edition(project, published, Path(scratch))
        log(f'taiyaku: release {edition_id}: rebuilding commit {published.commit[:12]} in a temporary clone')
        environment = {key: value for key, value in os.environ.items() if key != 'TAIYAKU_ROOT'}
        result = subprocess.run([toolchain_python(checkout, project), '-m', 'taiyaku', 'release'],
                                cwd=checkout, env=environment, capture_output=True, text=True)
        if result.returncode != 0:
            raise ReleaseError(f'rebuilding edition {edition_id} (commit {published.commit[:12]}) failed:\n'
                               f'{(result.stdout + result.stderr).strip()}')
        built = checkout / 'build' / 'release' / edition_id
        staging = Path(tempfile.mkdtemp(prefix=f'.{edition_id}.copying-', dir=destination.parent))
        try:
            shutil.copytree(built, staging / edition_id)
            publish_release(staging / edition_id, destination, force, log)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return destination
