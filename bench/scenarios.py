"""What is measured, ours beside the stock baseline, on two identical copies of one corpus.

"Ours" is the taiyaku command as `make` runs it. "Stock" is what a user without this
toolchain would run: plain ``sphinx-build -b <builder> -D language=<lang>`` invocations
one after another, each into its own output folder, with the project's own conf.py
(its extensions are needed for the sources to build at all: the ruby role, the figure
placeholders, …), and the PDF made by the Makefile Sphinx writes next to the LaTeX
(``make all-pdf``, i.e. latexmk). The two sides work on separate copies so that neither
sees the other's compiled catalogs or doctrees.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench.corpus import make_corpus
from bench.measure import Run, Series, process_tree_kb, processes, run, run_all

LANGUAGES = ('ja', 'en')
TRANSLATION = 'en'
EDITED = Path('source/russia/situation.rst')                   # where the one-paragraph edits go
EDITED_CATALOG = Path(f'locale/{TRANSLATION}/LC_MESSAGES/russia/situation.po')
SPHINX_CHANGED = re.compile(r'(\d+) added, (\d+) changed, (\d+) removed')
PREVIEW_TIMEOUT = 600


@dataclass
class Row:
    scenario: str
    size: int
    ours: Series
    stock: Series | None = None
    notes: list[str] = field(default_factory=list)
    key: str = ''                 # what the targets refer to
    reread: dict = field(default_factory=dict)      # documents re-read per rebuild, ours and stock


@dataclass
class Corpus:
    size: int
    ours: Path
    stock: Path

    @property
    def documents(self) -> int:
        return sum(1 for _ in (self.ours / 'source').rglob('*.rst'))

    @property
    def characters(self) -> int:
        return sum(len(p.read_text(encoding='utf-8')) for p in (self.ours / 'source').rglob('*.rst'))


def build_servers(project: Path) -> list[int]:
    """taiyaku's warm build servers working for ``project`` (taiyaku.build_server): a single
    build is forked from one, outside the command's process tree, so the measurement adds
    their CPU time and memory to the command's (``measure.run``'s ``also``)."""
    marker = str(project / 'build').encode()
    return [pid for pid, command in processes('cmdline') if b'taiyaku.build_server' in command and marker in command]


def python_env(project: Path) -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(project), PYTHONDONTWRITEBYTECODE='1')


def ours(*args: str) -> list[str]:
    return [sys.executable, '-m', 'taiyaku', *args]


def stock_build(builder: str, language: str) -> list[str]:
    return [sys.executable, '-m', 'sphinx', '-b', builder, '-D', f'language={language}', '-c', '.',
            'source', f'out/{builder}-{language}']


def stock_commands(formats: tuple[str, ...], languages: tuple[str, ...] = LANGUAGES) -> list[list[str]]:
    commands = []
    for language in languages:
        for fmt in formats:
            builder = {'pdf': 'latex'}.get(fmt, fmt)
            commands.append(stock_build(builder, language))
            if fmt == 'pdf':
                commands.append(['make', '-C', f'out/latex-{language}', 'all-pdf'])
    return commands


def make_corpora(root: Path, work: Path, size: int) -> Corpus:
    return Corpus(size, make_corpus(root, work / f'ours-{size}', size), make_corpus(root, work / f'stock-{size}', size))


def clean(project: Path) -> None:
    """Back to a cold state: no outputs, no compiled catalogs."""
    for folder in ('build', 'out'):
        shutil.rmtree(project / folder, ignore_errors=True)
    for mo in (project / 'locale').rglob('*.mo'):
        mo.unlink()


def alternate(repeat: int) -> Iterator[tuple[int, bool]]:
    """Repetitions, ours first on even ones and stock first on odd ones (drift hits both)."""
    for number in range(repeat):
        yield number, number % 2 == 0


def side_by_side(repeat: int, measure_ours: Callable[[], Run], measure_stock: Callable[[], Run],
                 prepare: Callable[[], None] = lambda: None) -> tuple[Series, Series]:
    mine, theirs = Series(), Series()
    for _, ours_first in alternate(repeat):
        prepare()
        order = [(mine, measure_ours), (theirs, measure_stock)]
        for series, measure in (order if ours_first else order[::-1]):
            series.add(measure())
    return mine, theirs


# -- cold builds ---------------------------------------------------------------------------

def cold(corpus: Corpus, formats: tuple[str, ...], repeat: int, jobs: int | None = None) -> Row:
    """Everything from nothing: ours (`taiyaku build`, -j ``jobs``) beside stock's sequence."""
    jobs_option = ['-j', str(jobs)] if jobs else []

    def measure_ours() -> Run:
        clean(corpus.ours)
        return run(ours('build', *formats, *jobs_option), corpus.ours, python_env(corpus.ours))

    def measure_stock() -> Run:
        clean(corpus.stock)
        return run_all(stock_commands(formats), corpus.stock, python_env(corpus.stock))

    mine, theirs = side_by_side(repeat, measure_ours, measure_stock)
    name = ' + '.join(f.upper() for f in formats)
    one_at_a_time = f', ours one build at a time (-j {jobs})' if jobs else ''
    return Row(f'cold build, {name}, both languages{one_at_a_time}', corpus.size, mine, theirs,
               key=f'cold-{"-".join(formats)}' + (f'-j{jobs}' if jobs else ''))


# The toolchain before the print layout of issue 16 (two columns, footnotes across the page,
# movable figures, ToUnicode maps): main's last commit before it, the one-column layout.
PRINT_BASELINE = '7ba548ccd03c8e1fe7123578ace0d812e636d073'


def with_toolchain_of(project: Path, revision: str) -> None:
    """Give a copy of the project the toolchain (taiyaku/) of an earlier commit of main."""
    archive = subprocess.run(['git', 'archive', revision, 'taiyaku'], cwd=Path(__file__).resolve().parent.parent,
                             capture_output=True, check=True).stdout
    shutil.rmtree(project / 'taiyaku')
    subprocess.run(['tar', '-x', '-C', str(project)], input=archive, check=True)


def print_layout(corpus: Corpus, repeat: int) -> Row:
    """The PDFs (ja, en, parallel) from nothing: the print layout beside the one-column layout
    it replaced (PRINT_BASELINE's toolchain on the other copy of the corpus)."""
    with_toolchain_of(corpus.stock, PRINT_BASELINE)

    def measure(project: Path) -> Callable[[], Run]:
        def once() -> Run:
            clean(project)
            return run(ours('build', 'pdf', 'parallel'), project, python_env(project))
        return once

    try:
        mine, theirs = side_by_side(repeat, measure(corpus.ours), measure(corpus.stock))
    finally:
        shutil.rmtree(corpus.stock / 'taiyaku')
        shutil.copytree(corpus.ours / 'taiyaku', corpus.stock / 'taiyaku')
    return Row('cold PDF build, ja + en + parallel (HTML, EPUB of the parallel edition too)', corpus.size,
               mine, theirs, key='print-layout')


def sphinx_sidebar(corpus: Corpus) -> Row:
    """Before and after the shared sidebar tree (taiyaku.ext.navigation): stock HTML, once each."""
    commands = stock_commands(('html',))
    sphinx_own = [[*command[:-2], '-D', 'taiyaku_globaltoc_once=0', *command[-2:]] for command in commands]

    def measure(commands: list[list[str]]) -> Run:
        clean(corpus.stock)
        return run_all(commands, corpus.stock, python_env(corpus.stock))

    after, before = side_by_side(1, lambda: measure(commands), lambda: measure(sphinx_own))
    return Row("stock HTML (ja+en), cold: with the shared sidebar tree (after) vs Sphinx's own rendering (before)",
               corpus.size, after, before, key='before-after')


# -- incremental rebuilds -------------------------------------------------------------------

def edit_paragraph(project: Path, marker: str) -> None:
    """Add a sentence to the last paragraph of the edited document: a real change of one message."""
    path = project / EDITED
    lines = path.read_text(encoding='utf-8').split('\n')
    last = max(number for number, line in enumerate(lines) if len(line) > 40 and not line.startswith(('.', ' ')))
    lines[last] += marker
    path.write_text('\n'.join(lines), encoding='utf-8')


def edit_translation(project: Path, marker: str) -> None:
    """Change the translation of the edited document's first paragraph (the last one is being edited)."""
    path = project / EDITED_CATALOG
    text = path.read_text(encoding='utf-8')
    at = text.index('msgstr ""\n"', text.index('\n\n')) + len('msgstr ""\n"')     # past the header entry
    path.write_text(text[:at] + f'{marker} ' + text[at:], encoding='utf-8')


def doctree_times(folder: Path) -> dict[Path, int]:
    return {path: path.stat().st_mtime_ns for path in folder.rglob('*.doctree')}


def reread(before: dict[Path, int], folder: Path) -> int:
    """How many documents Sphinx read again: doctrees written since ``before``."""
    return sum(1 for path, mtime in doctree_times(folder).items() if before.get(path) != mtime)


def our_doctrees(project: Path, language: str, builder: str = 'html') -> Path:
    return project / 'build' / '.work' / 'doctrees' / language / builder


def stock_doctrees(project: Path, language: str, builder: str = 'html') -> Path:
    return project / 'out' / f'{builder}-{language}' / '.doctrees'


def incremental(corpus: Corpus, repeat: int, languages: tuple[str, ...], edit: Callable[[Path, str], None],
                label: str, key: str) -> Row:
    """Edit, then rebuild HTML: ours (`taiyaku build html`) beside stock (sphinx-build per language)."""
    lang_args = ['--lang', *languages]
    run(ours('build', 'html', *lang_args), corpus.ours, python_env(corpus.ours))          # up to date
    run_all(stock_commands(('html',), languages), corpus.stock, python_env(corpus.stock))
    counts: dict[str, list[int]] = {'ours': [], 'stock': [], 'stock says': []}
    mine, theirs = Series(), Series()
    for number, ours_first in alternate(repeat):
        marker = f'（測定{time.time_ns()}）' if edit is edit_paragraph else f'[bench {time.time_ns()}]'
        edit(corpus.ours, marker)
        edit(corpus.stock, marker)

        def measure_ours() -> Run:
            before = {lang: doctree_times(our_doctrees(corpus.ours, lang)) for lang in languages}
            result = run(ours('build', 'html', *lang_args), corpus.ours, python_env(corpus.ours),
                         also=build_servers(corpus.ours))
            counts['ours'].append(sum(reread(before[lang], our_doctrees(corpus.ours, lang)) for lang in languages))
            return result

        def measure_stock() -> Run:
            before = {lang: doctree_times(stock_doctrees(corpus.stock, lang)) for lang in languages}
            result = run_all(stock_commands(('html',), languages), corpus.stock, python_env(corpus.stock))
            counts['stock'].append(sum(reread(before[lang], stock_doctrees(corpus.stock, lang)) for lang in languages))
            counts['stock says'].append(sum(int(m[2]) + int(m[1]) for m in SPHINX_CHANGED.finditer(result.output)))
            return result

        for series, measure in ([(mine, measure_ours), (theirs, measure_stock)] if ours_first
                                else [(theirs, measure_stock), (mine, measure_ours)]):
            series.add(measure())
    row = Row(label, corpus.size, mine, theirs, key=key,
              reread={'ours': counts['ours'], 'stock': counts['stock'], 'languages': len(languages)})
    row.notes.append(f'documents re-read per rebuild ({len(languages)} language(s) together): ours '
                     f'{sorted(set(counts["ours"]))}, stock {sorted(set(counts["stock"]))} '
                     f'(stock sphinx-build says "{sorted(set(counts["stock says"]))} added+changed")')
    return row


def incremental_pdf(corpus: Corpus, repeat: int, language: str = 'ja') -> Row:
    """Edit one paragraph, then the PDF again: ours (`taiyaku build pdf --lang ja`) beside stock's
    rebuild in the same LaTeX folder (`sphinx-build -b latex` incremental, then `make all-pdf`:
    latexmk runs LaTeX as often as the aux files ask)."""
    stock = stock_commands(('pdf',), (language,))
    run(ours('build', 'pdf', '--lang', language), corpus.ours, python_env(corpus.ours))       # up to date
    run_all(stock, corpus.stock, python_env(corpus.stock))
    mine, theirs = Series(), Series()
    for number, ours_first in alternate(repeat):
        marker = f'（印刷{time.time_ns()}）'
        edit_paragraph(corpus.ours, marker)
        edit_paragraph(corpus.stock, marker)
        order = [(mine, lambda: run(ours('build', 'pdf', '--lang', language), corpus.ours, python_env(corpus.ours),
                                    also=build_servers(corpus.ours))),
                 (theirs, lambda: run_all(stock, corpus.stock, python_env(corpus.stock)))]
        for series, measure in (order if ours_first else order[::-1]):
            series.add(measure())
    row = Row(f'incremental PDF ({language}) after a one-paragraph edit', corpus.size, mine, theirs, key='incremental-pdf')
    row.notes.append('stock: `sphinx-build -b latex` into the LaTeX folder of its last build, then `make all-pdf` '
                     '(latexmk) there')
    return row


# -- the preview loop -----------------------------------------------------------------------

class PreviewProcess:
    def __init__(self, project: Path, language: str):
        self.process = subprocess.Popen(
            [sys.executable, '-m', 'taiyaku', 'preview', '--lang', language, '--port', '0'],
            cwd=project, env=python_env(project), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        deadline = time.monotonic() + PREVIEW_TIMEOUT
        for line in self.process.stdout:
            if 'previewing' in line:
                break
            if time.monotonic() > deadline:
                break
        else:
            raise RuntimeError(f'the preview of {language} in {project} did not start')
        self.outdir = project / 'build' / 'preview' / language

    def peak_kb(self) -> int:
        return process_tree_kb(self.process.pid)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()


def wait_for_text(path: Path, text: str, started: float) -> float:
    """Seconds from ``started`` until ``path`` holds ``text``."""
    while time.perf_counter() - started < PREVIEW_TIMEOUT:
        try:
            if text in path.read_text(encoding='utf-8'):
                return time.perf_counter() - started
        except (FileNotFoundError, UnicodeDecodeError):      # being written
            pass
        time.sleep(0.002)
    raise RuntimeError(f'{path} never showed {text!r}')


def preview_loop(corpus: Corpus, repeat: int, language: str, edit: Callable[[Path, str], None], label: str,
                 key: str) -> Row:
    """Save a file, time until the page is written; beside it, stock's one-language incremental build."""
    page = EDITED.relative_to('source').with_suffix('.html')
    preview = PreviewProcess(corpus.ours, language)
    mine, theirs = Series(), Series()
    peak = preview.peak_kb()
    run_all(stock_commands(('html',), (language,)), corpus.stock, python_env(corpus.stock))
    try:
        for number in range(repeat):
            marker = f'（保存{time.time_ns()}）' if edit is edit_paragraph else f'[saved {time.time_ns()}]'
            time.sleep(0.3)                       # the preview is idle, as when a translator saves
            edit(corpus.ours, marker)
            started = time.perf_counter()
            seconds = wait_for_text(preview.outdir / page, marker, started)
            mine.add(Run(wall=seconds, cpu=float('nan'), peak_kb=0))
            peak = max(peak, preview.peak_kb())
            edit(corpus.stock, marker)
            theirs.add(run_all(stock_commands(('html',), (language,)), corpus.stock, python_env(corpus.stock)))
    finally:
        preview.stop()
    for measured in mine.runs:
        measured.peak_kb = peak
    row = Row(label, corpus.size, mine, theirs, key=key)
    row.notes.append('stock: a new sphinx-build for the save, as sphinx-autobuild runs one; ours: the warm '
                     'preview process, from the save to the page written (the browser reload follows)')
    return row


# -- catalogs and the outside reference -------------------------------------------------------

def stock_update_po() -> list[list[str]]:
    return [[sys.executable, '-m', 'sphinx', '-b', 'gettext', '-c', '.', 'source', 'out/gettext'],
            [str(Path(sys.executable).parent / 'sphinx-intl'), 'update', '-p', 'out/gettext', '-l', TRANSLATION,
             '-d', 'locale']]


def update_po(corpus: Corpus, repeat: int) -> Row:
    run(ours('update-po'), corpus.ours, python_env(corpus.ours))        # the catalogs in step, as a translator's
    run_all(stock_update_po(), corpus.stock, python_env(corpus.stock))

    def measure_ours() -> Run:
        return run(ours('update-po'), corpus.ours, python_env(corpus.ours), also=build_servers(corpus.ours))

    def measure_stock() -> Run:
        return run_all(stock_update_po(), corpus.stock, python_env(corpus.stock))

    def prepare() -> None:
        marker = f'（更新{time.time_ns()}）'
        edit_paragraph(corpus.ours, marker)
        edit_paragraph(corpus.stock, marker)

    mine, theirs = side_by_side(repeat, measure_ours, measure_stock, prepare)
    row = Row('update-po after a one-paragraph edit', corpus.size, mine, theirs, key='update-po')
    row.notes.append('stock: `sphinx-build -b gettext` + `sphinx-intl update`, the recipe of the Sphinx docs')
    return row


def pandoc(corpus: Corpus, repeat: int) -> list[Row]:
    """Debian's pandoc on the same rst, all documents in reading order: an outside reference."""
    sources = [str(p.relative_to(corpus.ours)) for p in sorted((corpus.ours / 'source').rglob('*.rst'))]
    rows = []
    for target, output in (('html5', 'pandoc.html'), ('epub3', 'pandoc.epub')):
        command = ['pandoc', '-f', 'rst', '-t', target, '-s', '--metadata', 'title=bench', '-o',
                   f'build/{output}', *sources]
        (corpus.ours / 'build').mkdir(exist_ok=True)
        series = Series()
        for _ in range(repeat):
            series.add(run(command, corpus.ours))
        rows.append(Row(f'pandoc rst → {"HTML" if target == "html5" else "EPUB"} (outside reference)',
                        corpus.size, series, key=f'pandoc-{target}'))
    return rows
