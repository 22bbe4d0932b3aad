"""Build the outputs: every format for every language, concurrently where they are independent.

Each (language, builder) pair gets its own doctree and work folder, so two builds never
share a pickle or a temporary file and can run at the same time. No work is done twice: a
language built from nothing is read once (the ``read`` builder) and its builders start from
copies of that reading; the Sphinx runs are forks of one process that has Sphinx loaded
(:mod:`taiyaku.warm`); publishing links the files that did not change. Finished artefacts are
moved into the public tree (build/html/<lang>, build/epub/<lang>, build/pdf/<lang>) only
when the build has succeeded, so a failed run never leaves a half-written output
looking like a good one. The parallel-text edition (``parallel``: the master beside one
translation) is built the same way, in build/.work/parallel/, into build/parallel/<format>/.
"""

from __future__ import annotations

import heapq
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from taiyaku import build_server, environment, fallbacks, latexformat, latexpasses, lint, locks, warm
from taiyaku.editions import current
from taiyaku.errors import CatalogError
from taiyaku.project import MASTER_LANGUAGE, Project

FORMATS = ('html', 'epub', 'pdf')
READ = 'read'                      # reading the sources once for several builders (seed_doctrees)
START_ORDER = (READ, 'pdf', 'epub', 'html')    # what a free build worker takes first (build_targets)
SPHINX_BUILDER = {'html': 'html', 'epub': 'epub', 'pdf': 'latex', 'text': 'text', 'gettext': 'gettext', READ: 'read'}
PARALLEL = 'parallel'              # the parallel-text (対訳) edition, in every format
PRINT = 'print'                    # the PDFs for the printer, beside the reading PDFs (build --print)
RELEASE_FORMATS = (*FORMATS, PARALLEL)   # what `make release` builds


class BuildError(RuntimeError):
    pass


@dataclass
class Target:
    language: str
    format: str
    log: list[str] = field(default_factory=list)
    parallel: str = ''        # the translation set beside the master: the parallel (対訳) edition
    print: bool = False       # a PDF for the printer: bleed and crop marks (taiyaku-print.sty)
    settings: dict[str, str] = field(default_factory=dict)   # configuration overrides (-D name=value)
    catalogs_compiled: bool = False   # by build_targets, just before: Sphinx need not look at them again

    @property
    def shelf(self) -> str:
        """The output's kind as its folder names it: pdf, or print for the printer's PDF."""
        return PRINT if self.print else self.format

    @property
    def name(self) -> str:
        return f'{PARALLEL}/{self.shelf}' if self.parallel else f'{self.shelf}/{self.language}'

    def work(self, project: Project) -> Path:
        """Intermediate folders; the parallel edition keeps its own, build/.work/parallel/, and
        the printer's PDFs theirs, build/.work[/parallel]/print/."""
        work = project.work / PARALLEL if self.parallel else project.work
        return work / PRINT if self.print else work

    def destination(self, project: Project) -> Path:
        """Where the output is published: build/<format>/<lang>/, or build/parallel/<format>/
        (the printer's PDF: build/print/<lang>/, build/parallel/print/)."""
        return project.build / PARALLEL / self.shelf if self.parallel else project.build / self.shelf / self.language


def sphinx_command(project: Project, target: Target, outdir: Path, extra: Iterable[str] = ()) -> list[str]:
    builder = SPHINX_BUILDER[target.format]
    return [
        sys.executable, '-m', 'sphinx',
        '-b', builder,
        '-c', str(project.root),
        '-d', str(doctree_dir(project, target)),
        '-D', f'language={target.language}',
        *(('-D', f'taiyaku_parallel={target.parallel}') if target.parallel else ()),
        *(('-D', 'taiyaku_print=1') if target.print else ()),
        *(argument for name, value in sorted(target.settings.items()) for argument in ('-D', f'{name}={value}')),
        *cache_settings(project, target),
        '-W', '--keep-going',   # every warning is an error, all of them reported at once
        '-q',
        *extra,
        str(project.source), str(outdir),
    ]


def cache_settings(project: Project, target: Target) -> list[str]:
    """What this toolchain's builds keep between runs (taiyaku.ext.build_cache): the compiled
    templates, and that the catalogs were compiled before the build (``build_targets``). Only
    for the project's own toolchain: a past edition's extensions do not know the settings.
    The gettext build writes the templates of the changed documents only
    (taiyaku.ext.message_templates)."""
    if not warm.serves(project.root):
        return []
    if target.format == 'gettext':
        return ['-D', 'taiyaku_gettext_changed_only=1']
    return ['-D', f'taiyaku_template_cache={project.work / "templates"}',
            *(('-D', 'taiyaku_catalogs_compiled=1') if target.catalogs_compiled else ())]


def doctree_dir(project: Project, target: Target) -> Path:
    return target.work(project) / 'doctrees' / target.language / SPHINX_BUILDER[target.format]


def seed_doctrees(project: Project, read: Target, target: Target) -> None:
    """Start a cold ``target`` from the doctrees ``read`` (same language, just read) holds.

    The doctrees do not depend on the builder (Sphinx's own Makefile shares one folder
    between all builders), so a language's builders need not each read the sources. Only
    a target without doctrees of its own is seeded, and its output folder is emptied, so
    it writes every page from the seeded environment; an incremental target keeps its own
    doctrees and re-reads what changed itself.
    """
    source, destination = doctree_dir(project, read), doctree_dir(project, target)
    if destination.exists() or not (source / 'environment.pickle').is_file():
        return
    shutil.rmtree(target.work(project) / SPHINX_BUILDER[target.format] / target.language, ignore_errors=True)
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f'.{destination.name}.', dir=destination.parent))
    shutil.copytree(source, staging / 'doctrees')
    (staging / 'doctrees').rename(destination)        # whole or not at all
    staging.rmdir()


def read_then_submit(reader: Target, project: Project, members: list[Target], submit: Callable[..., None],
                     one: Callable[..., None]) -> None:
    """Read a language's sources once (taiyaku.ext.reading writes nothing), then submit its builders."""
    outdir = reader.work(project) / SPHINX_BUILDER[READ] / reader.language
    try:
        with locks.held(lock_folder(project), reader.name):     # another command may read this language too
            run(sphinx_command(project, reader, outdir), reader, env=edition_env(project))
        read = reader
    except BuildError:
        read = None
    for target in members:
        submit(one, target, read)


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


# Set by build_alone for a command with one build (the build server's folder): its Sphinx run
# needs no process of its own.
_run_here: Path | None = None
SERVED: list[str] = []          # the outputs the warm build server built (the command says so)


def run(command: list[str], target: Target, cwd: Path | None = None, env: dict | None = None) -> None:
    helper = warm.helper_for(command, env)
    if helper is not None:                 # forked from a process with Sphinx loaded: no start-up
        returncode, output = warm.run_sphinx(helper, command, cwd, env)
    elif _run_here and (served := build_server.run(_run_here, command, cwd, env or dict(os.environ))) is not None:
        returncode, output = served                  # the command's only build, forked from the warm server
        SERVED.append(target.name)
    elif _run_here and warm.can_run_here(command):     # ... or, when none runs yet, in the command's own process
        returncode, output = warm.run_here(command, cwd, env)
        build_server.start(_run_here, env or dict(os.environ))       # for the next one
    else:
        result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
        returncode, output = result.returncode, result.stdout + result.stderr
    output = output.strip()
    if output:
        target.log.append(output)
    if returncode != 0:
        raise BuildError(f'{target.name}: `{" ".join(command[:4])} …` failed (exit {returncode})\n{output}')


def publish(produced: Path, destination: Path) -> None:
    """Replace ``destination`` by ``produced`` in one rename, never leaving it half-written."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f'.{destination.name}.', dir=destination.parent))
    staged = staging / destination.name
    if produced.is_dir():
        shutil.copytree(produced, staged, copy_function=reuse_published(produced, destination))
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


def reuse_published(produced: Path, published: Path):
    """copytree's copy function: a file already published unchanged (same size and time:
    copy2 keeps the time) is hard-linked from the published tree, the rest is copied.

    Published files are only ever created here, never written in place, so sharing their
    inodes is safe; an incremental build of a large edition then publishes in milliseconds.
    """
    def copy(source: str, target: str) -> str:
        old = published / Path(source).relative_to(produced)
        try:
            new_stat, old_stat = os.stat(source), os.stat(old)
            if (new_stat.st_size, new_stat.st_mtime_ns) == (old_stat.st_size, old_stat.st_mtime_ns):
                os.link(old, target)
                return target
        except OSError:
            pass
        return shutil.copy2(source, target)
    return copy


UPDATING = '.taiyaku-new'        # a changed file on its way into a published tree (publish_changes)


def files_under(folder: Path) -> dict[str, os.stat_result]:
    found = {}
    for directory, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(directory, name)
            found[os.path.relpath(path, folder)] = os.stat(path)
    return found


def publish_changes(produced: Path, destination: Path) -> None:
    """Bring the published tree ``destination`` level with ``produced``, touching only what changed.

    An incremental build rewrites a page or two of hundreds: copying (or linking) the whole
    tree again and removing the old one costs more than the build's own writing at a hundred
    times this section. Here a file of ``produced`` unlike the published one (size and time:
    copy2 keeps the time) is first copied beside it under a temporary name, then all of them
    are renamed into place in one quick pass, and files the build no longer makes are removed.
    Each file is replaced whole (a reader never sees half a page); the build has already
    succeeded when this runs. A first publication, or a tree whose shape changed (a file
    where a folder was), is published whole (``publish``).
    """
    if not destination.is_dir():
        publish(produced, destination)
        return
    new, old = files_under(produced), files_under(destination)
    staged = []
    try:
        for relative, stat in new.items():
            known = old.get(relative)
            if known is not None and (known.st_size, known.st_mtime_ns) == (stat.st_size, stat.st_mtime_ns):
                continue
            target = destination / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            staging = target.with_name(f'.{target.name}{UPDATING}')
            shutil.copy2(produced / relative, staging)
            staged.append((staging, target))
    except (NotADirectoryError, IsADirectoryError, FileExistsError):
        for staging, _ in staged:
            staging.unlink(missing_ok=True)
        publish(produced, destination)
        return
    for staging, target in staged:
        os.replace(staging, target)
    for relative in old.keys() - new.keys():
        (destination / relative).unlink(missing_ok=True)
    for directory, _, _ in os.walk(destination, topdown=False):     # folders left empty
        if directory != str(destination) and not os.listdir(directory):
            os.rmdir(directory)


def only_file(outdir: Path, pattern: str, target: Target) -> Path:
    found = sorted(outdir.glob(pattern))
    if len(found) != 1:
        raise BuildError(f'{target.name}: expected one {pattern} in {outdir}, found {len(found)}')
    return found[0]


def publish_file(project: Project, produced: Path, target: Target) -> Path:
    """Publish one finished file as the only content of build/<format>/<lang>/."""
    staging = target.work(project) / f'publish-{target.format}' / target.language
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    shutil.copy2(produced, staging / produced.name)
    destination = target.destination(project)
    publish(staging, destination)
    return destination / produced.name


def build_html(project: Project, target: Target) -> Path:
    outdir = target.work(project) / 'html' / target.language
    run(sphinx_command(project, target, outdir), target, env=edition_env(project))
    publish_changes(outdir, target.destination(project))
    return target.destination(project) / 'index.html'


def build_epub(project: Project, target: Target) -> Path:
    outdir = target.work(project) / 'epub' / target.language
    for stale in outdir.glob('*.epub'):
        stale.unlink()
    run(sphinx_command(project, target, outdir), target, env=edition_env(project))
    return publish_file(project, only_file(outdir, '*.epub', target), target)


def build_pdf(project: Project, target: Target) -> Path:
    outdir = target.work(project) / 'latex' / target.language
    lacking = environment.missing('pdf', target.language)
    if lacking:
        raise BuildError(f'{target.name}: this machine cannot typeset the PDF:\n{environment.explain(lacking)}')
    for stale in outdir.glob('*.pdf'):
        stale.unlink()
    # pypdf and Adobe's CID map loaded while Sphinx and LaTeX work, not after them
    threading.Thread(target=warm_up_finishing, daemon=True).start()
    env = edition_env(project)
    run(sphinx_command(project, target, outdir), target, env=dict(env))
    latexmk_options = '-interaction=nonstopmode -halt-on-error -file-line-error -silent'
    if latexformat.engine_of(outdir) == 'xelatex':
        # XeLaTeX's passes write .xdv and xdvipdfmx runs once at the end, as Sphinx's Makefile
        # advises for latexmk ≥ 4.52b: its default makes a PDF in every pass, through a pipe
        latexmk_options += ' -xelatex'
    if env.get('TAIYAKU_LATEX_FORMAT', '1') != '0':
        env['LATEXOPTS'] = latexformat.prepare(outdir, env)    # the preamble loaded once, not every pass
    try:
        if latexpasses.handled(outdir):
            for tex in sorted(outdir.glob('*.tex')):        # as Sphinx's Makefile: a PDF of every .tex
                try:
                    done = latexpasses.typeset(outdir, tex, env)
                except latexpasses.NeedsLatexmk:
                    run(['make', '-C', str(outdir), f'{tex.stem}.pdf', f'LATEXMKOPTS={latexmk_options}'], target,
                        env=env)
                else:
                    if done.output:
                        target.log.append(done.output)
        else:
            run(['make', '-C', str(outdir), 'all-pdf', f'LATEXMKOPTS={latexmk_options}'], target, env=env)
    except latexpasses.TypesetError as exc:
        raise BuildError(f'{target.name}: {exc}\n{exc.output[-2000:]}\n{latex_errors(outdir)}') from None
    except BuildError as exc:
        raise BuildError(f'{exc}\n{latex_errors(outdir)}') from None
    pdf = only_file(outdir, '*.pdf', target)
    from taiyaku import pdffinish, tounicode      # pypdf: only the PDF builds need it
    try:
        pdffinish.finish(pdf)          # ToUnicode maps for the Japanese fonts, XMP metadata
    except (tounicode.ToUnicodeError, OSError, ValueError) as exc:
        raise BuildError(f'{target.name}: {pdf.name}: cannot finish the PDF (ToUnicode maps, XMP): {exc}') from None
    return publish_file(project, pdf, target)


def warm_up_finishing() -> None:
    try:
        from taiyaku import pdffinish
        pdffinish.warm_up()
    except Exception:          # the finishing step itself reports what is wrong
        pass


def latex_errors(outdir: Path) -> str:
    """The error lines of the LaTeX logs, with file and line (-file-line-error)."""
    found = []
    for log in outdir.glob('*.log'):
        lines = log.read_text(encoding='utf-8', errors='replace').splitlines()
        for number, line in enumerate(lines):
            if line.startswith('!') or ': Error' in line or (line.startswith('./') and ':' in line[2:]):
                found.append('\n'.join(lines[number:number + 3]))
    return 'LaTeX reported:\n' + '\n'.join(found[:10]) if found else ''


def untranslated(project: Project, formats: Iterable[str], languages: Iterable[str]) -> dict[str, dict[str, int]]:
    """language → {document: messages shown in Japanese}, as the last build of each of these
    outputs of a translation found them (the parallel edition marks its own)."""
    found: dict[str, dict[str, int]] = {}
    for language in languages:
        for fmt in formats:
            if language == MASTER_LANGUAGE or fmt not in FORMATS:
                continue
            counts = fallbacks.read(doctree_dir(project, Target(language, fmt)))
            if counts is not None:
                found.setdefault(language, {}).update(counts)
    return found


def refuse_undecodable(project: Project) -> None:
    """A source that is not UTF-8: one line naming it, before Sphinx crashes on it."""
    problems = lint.undecodable(project)
    if problems:
        raise BuildError('\n'.join(problems))


def extract_messages(project: Project) -> Path:
    """Run Sphinx's gettext builder: one .pot per document of the master under build/gettext/."""
    try:
        refuse_undecodable(project)
    except BuildError as exc:
        raise CatalogError(f'extracting messages failed:\n{exc}') from None
    from taiyaku.catalogs import pot_dir
    outdir = pot_dir(project)
    target = Target(MASTER_LANGUAGE, 'gettext')
    try:
        with locks.held(lock_folder(project), 'gettext'):
            if warm.serves(project.root):
                build_alone(project, target)
            else:
                run(sphinx_command(project, target, outdir), target, env=edition_env(project))
    except BuildError as exc:
        raise CatalogError(f'extracting messages failed:\n{exc}') from None
    return outdir


BUILDERS = {'html': build_html, 'epub': build_epub, 'pdf': build_pdf}


def parallel_targets(languages: Iterable[str]) -> list[Target]:
    """The parallel edition in every format: the master beside the one translation asked for."""
    translations = [language for language in languages if language != MASTER_LANGUAGE]
    if len(translations) != 1:
        raise BuildError(f'{PARALLEL}: the parallel edition sets one translation beside the master; choose it with '
                         f'--lang {MASTER_LANGUAGE} <translation> (given: {", ".join(translations) or "none"})')
    return [Target(MASTER_LANGUAGE, fmt, parallel=translations[0]) for fmt in FORMATS]


def lock_folder(project: Project) -> Path:
    return project.work / 'locks'


def clean_leftovers(project: Project, target: Target) -> None:
    """What a killed build of ``target`` left: publishing's staging folders (``build/html/.ja.*``)
    and a half-copied doctree seed. Only ever called holding the target's lock."""
    for folder in (target.destination(project), doctree_dir(project, target)):
        for leftover in folder.parent.glob(f'.{folder.name}.*'):
            shutil.rmtree(leftover, ignore_errors=True) if leftover.is_dir() else leftover.unlink(missing_ok=True)


def build(project: Project, formats: Iterable[str], languages: Iterable[str], jobs: int | None = None,
          printer: bool = False, settings: dict[str, str] | None = None) -> list[Path]:
    """Build every (format, language) pair; raise BuildError naming each one that failed.

    ``printer``: each PDF also for the printer (bleed and crop marks), beside the reading PDF.
    ``settings`` override configuration values in every build (a release's commit). Each
    output is built by one process at a time (:mod:`taiyaku.locks`): a second command
    building it waits, saying so.
    """
    project.work.mkdir(parents=True, exist_ok=True)   # an unwritable build folder fails here, plainly
    refuse_undecodable(project)
    targets = [Target(language, fmt) for fmt in formats if fmt != PARALLEL for language in languages]
    if PARALLEL in formats:
        targets += parallel_targets(languages)
    if printer:
        targets += [Target(t.language, t.format, parallel=t.parallel, print=True) for t in targets if t.format == 'pdf']
    for target in targets:
        target.settings = dict(settings or {})
    with locks.all_held(lock_folder(project), [target.name for target in targets]):
        for target in targets:
            clean_leftovers(project, target)
        return build_targets(project, targets, languages, jobs)


def build_alone(project: Project, target: Target) -> Path:
    """A command's only build (a translator's `make html LANGUAGES=en`): in the command's own
    process, where Sphinx is imported once instead of in a second interpreter."""
    global _run_here
    _run_here = project.work / 'server'
    try:
        if target.format == 'gettext':
            from taiyaku.catalogs import pot_dir
            run(sphinx_command(project, target, pot_dir(project)), target, env=edition_env(project))
            return pot_dir(project)
        return BUILDERS[target.format](project, target)
    finally:
        _run_here = None


def build_targets(project: Project, targets: list[Target], languages: Iterable[str], jobs: int | None) -> list[Path]:
    """The builds of ``build``, their locks held."""
    if len(targets) > 1 and warm.serves(project.root):
        warm.start(edition_env(project))              # loads Sphinx while the catalogs compile
    for language in languages:
        if language in project.translations():
            from taiyaku.catalogs import compile_catalogs      # Babel: only a translation's build needs it
            compile_catalogs(project, language)
    for target in targets:
        target.catalogs_compiled = True
    if len(targets) == 1 and warm.serves(project.root):
        return [build_alone(project, targets[0])]
    # PDFs are the slowest: start them first so the pool stays busy to the end.
    targets.sort(key=lambda t: FORMATS.index(t.format) if t.format in FORMATS else 0, reverse=True)
    jobs = max(1, jobs or min(len(targets), os.cpu_count() or 1))
    groups: dict[tuple[str, str], list[Target]] = {}        # the builders of one language (and edition)
    for target in targets:
        groups.setdefault((target.parallel, target.language), []).append(target)
    outcome: dict[int, Path | BuildError] = {}

    def one(target: Target, reader: Target | None = None) -> None:
        if reader is not None:
            seed_doctrees(project, reader, target)
        try:
            outcome[id(target)] = BUILDERS[target.format](project, target)
        except BuildError as exc:
            outcome[id(target)] = exc

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        tasks = []
        # The pool runs what is submitted first first; a free worker takes instead the queued
        # task that unblocks the most: a reading, then a PDF, the longest chain. In a cold
        # build the English PDF would otherwise wait behind the Japanese HTML and EPUB.
        queued: list[tuple[int, int, Callable[..., None], tuple]] = []
        queue_lock = threading.RLock()      # held while the first tasks are queued: none starts before all are
        order = itertools.count()

        def run_next() -> None:
            with queue_lock:
                _, _, function, arguments = heapq.heappop(queued)
            function(*arguments)

        def submit(function: Callable[..., None], target: Target, *arguments) -> None:
            rank = START_ORDER.index(target.format) if target.format in START_ORDER else len(START_ORDER)
            with queue_lock:
                heapq.heappush(queued, (rank, next(order), function, (target, *arguments)))
            tasks.append(pool.submit(run_next))

        with queue_lock:
            for members in groups.values():
                cold = [target for target in members if not doctree_dir(project, target).exists()]
                if len(cold) < 2:                 # nothing read twice: each builder reads (or updates) its own
                    for target in members:
                        submit(one, target)
                    continue
                # A cold language: read the sources once, then its builders write concurrently from
                # copies of that reading (a failed reading seeds nothing: each builder reports for itself).
                submit(read_then_submit, Target(members[0].language, READ, parallel=members[0].parallel,
                                                settings=members[0].settings, catalogs_compiled=True),
                       project, members, submit, one)
        while not all(task.done() for task in list(tasks)):    # readings submit their builders as they end
            wait(list(tasks))
    for task in tasks:
        task.result()                         # an unexpected error (a full disk…) is raised here
    results = [outcome[id(target)] for target in targets]
    failures = [r for r in results if isinstance(r, BuildError)]
    if failures:
        raise BuildError('\n\n'.join(str(f) for f in failures))
    return [r for r in results if isinstance(r, Path)]
