"""Typeset the LaTeX folder Sphinx wrote: LaTeX as often as the cross-references need, then the PDF.

Sphinx's Makefile hands each .tex to latexmk, which runs the engine until the files a pass
reads back (the .aux, .toc, .out, the index) stop changing, makes the index when the .idx
changed, and converts the DVI. This module runs the same commands, with the same options
(those of Sphinx's ``latexmkjarc`` and ``latexmkrc``, and latexmk's own for the DVI
converters), in the same order, so the DVI and the PDF are the same byte for byte
(``tests/test_performance.py``). What it leaves out is latexmk's start — Perl compiling
latexmk, then checking every file it recorded — which was 0.3 s of a 2.7 s PDF rebuild at ten
times this section (bench/PROFILE.md §20).

Like latexmk it runs no pass when nothing the last passes read has changed: the record beside
the .tex (``.<name>.passes.json``) keeps the pass's command and a fingerprint of every file
it read (``latexformat.fingerprint``: the folder's files by content, the installation's by
signature). A document that needs what only latexmk does here (a bibliography, a glossary)
is handed to latexmk as before, as is every document of an engine not listed in ``ENGINES``.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from taiyaku import latexformat

MAX_PASSES = 5          # latexmk's $max_repeat
LATEX_OPTIONS = ['-interaction=batchmode', '-halt-on-error', '-file-line-error', '-recorder']
# per engine: the pass, LATEXOPTS (the format) after its first words (Sphinx's latexmk
# configuration); the file it writes; the converter (latexmkjarc's $dvipdf, latexmk's own
# $xdvipdfmx, both silenced as latexmk -silent does) and the index (latexmkjarc, latexmkrc)
ENGINES = {
    'uplatex': (['uplatex'], ['-kanji=utf8'], '.dvi', ['dvipdfmx', '-q', '-o', '{pdf}', '{dvi}'],
                ['mendex', '-U', '-f', '-d', '{stem}.dic', '-s', 'python.ist', '{stem}.idx']),
    'xelatex': (['xelatex', '--no-pdf'], [], '.xdv', ['xdvipdfmx', '-E', '-o', '{pdf}', '-q', '{dvi}'],
                ['makeindex', '-q', '-s', 'python.ist', '-o', '{stem}.ind', '{stem}.idx']),
}
# the lines of Sphinx's latexmk configuration the commands above reproduce
SPHINX_RC = {
    'uplatex': ('latexmkjarc', ("$latex = 'uplatex ' . $ENV{'LATEXOPTS'} . ' -kanji=utf8 %O %S';",
                                "$dvipdf = 'dvipdfmx %O -o %D %S';", "$makeindex = 'internal mendex %S %B %D';")),
    'xelatex': ('latexmkrc', ("$xelatex = 'xelatex --no-pdf ' . $ENV{'LATEXOPTS'} . ' %O %S';",
                              "$makeindex = 'makeindex -s python.ist %O -o %D %S';")),
}
# written by a pass and never read back by one: not compared between passes
NOT_READ_BACK = {'.tex', '.dvi', '.xdv', '.pdf', '.log', '.fls', '.fdb_latexmk', '.ilg', '.synctex', '.gz'}
NO_FILE = re.compile(r'^No file (\S+)\.$', re.MULTILINE)
LATEXMK_ONLY = ('\\bibdata', '\\abx@aux')       # in the .aux: a bibliography (BibTeX, biber)


class TypesetError(RuntimeError):
    """A pass, the index or the converter failed: ``output`` is what it printed."""

    def __init__(self, message: str, output: str = ''):
        super().__init__(message)
        self.output = output


class NeedsLatexmk(Exception):
    """The document needs a step this module does not run."""


@dataclass
class Typeset:
    passes: int                 # LaTeX passes run (0: nothing had changed)
    output: str                 # what the commands printed


def handled(outdir: Path) -> bool:
    """Whether the documents of ``outdir`` are typeset here: Sphinx's own latexmk configuration
    for an engine of ``ENGINES`` (a project that changed it is typeset by latexmk)."""
    engine = latexformat.engine_of(outdir)
    if engine not in ENGINES:
        return False
    rc, lines = SPHINX_RC[engine]
    try:
        text = (outdir / rc).read_text(encoding='utf-8')
    except OSError:
        return False
    return all(line in text.splitlines() for line in lines)


def digest(path: Path) -> str | None:
    try:
        return latexformat.digest(path.read_bytes())
    except OSError:
        return None


def read_back(outdir: Path, stem: str) -> dict[str, str | None]:
    """The files of the document a pass may read back (.aux, .toc, .out, .ind…), by content."""
    return {path.name: digest(path) for path in sorted(outdir.glob(f'{stem}.*'))
            if path.suffix not in NOT_READ_BACK and path.is_file()}


def recorded(outdir: Path, stem: str) -> tuple[list[str], set[str], set[str]]:
    """The files the last pass read (absolute, sorted), and the names of those of the folder it
    read and wrote."""
    inputs, outputs = latexformat.recorder_list(outdir / f'{stem}.fls', outdir)
    folder = outdir.resolve()

    def here(paths: list[str]) -> set[str]:
        return {Path(path).name for path in paths if Path(path).parent == folder}

    return inputs, here(inputs), here(outputs)


def missing(outdir: Path, stem: str) -> set[str]:
    """The files of the folder the last pass looked for and did not find (\\printindex's .ind in
    a first pass): its log's "No file …" lines. Made meanwhile, they are read by the next pass."""
    try:
        log = (outdir / f'{stem}.log').read_text(encoding='utf-8', errors='replace')
    except OSError:
        return set()
    return {Path(name).name for name in NO_FILE.findall(log) if not name.startswith('/')}


def typeset(outdir: Path, tex: Path, env: dict[str, str]) -> Typeset:
    """Typeset ``tex`` (in ``outdir``) into its PDF; NeedsLatexmk if it needs latexmk."""
    engine, options, suffix, converter, index = ENGINES[latexformat.engine_of(outdir)]
    values = {'stem': tex.stem, 'pdf': f'{tex.stem}.pdf', 'dvi': f'{tex.stem}{suffix}'}
    command = engine + env.get('LATEXOPTS', '').split() + options + LATEX_OPTIONS + [tex.name]
    record_path = outdir / f'.{tex.stem}.passes.json'
    record = load_record(record_path)
    if record.get('latexmk'):
        raise NeedsLatexmk(tex.name)
    inputs = record.get('inputs')
    outputs: list[str] = []
    passes = 0
    if not (record.get('command') == command and isinstance(inputs, dict) and (outdir / values['dvi']).is_file()
            and inputs == latexformat.fingerprint(sorted(inputs), outdir)):
        record_path.unlink(missing_ok=True)          # a failed run leaves no record: the next one runs again
        try:
            passes, last_index, read = run_passes(command, index, values, outdir, tex, env, record.get('index'),
                                                  outputs)
        except NeedsLatexmk:
            record_path.write_text(json.dumps({'latexmk': True}), encoding='utf-8')     # from now on
            raise
        record = {'command': command, 'index': last_index, 'inputs': latexformat.fingerprint(read, outdir)}
    (outdir / values['pdf']).unlink(missing_ok=True)
    outputs.append(step([part.format(**values) for part in converter], outdir, env, f'{values["dvi"]}: the PDF'))
    record_path.write_text(json.dumps(record, sort_keys=True), encoding='utf-8')
    return Typeset(passes, '\n'.join(output for output in outputs if output))


def load_record(path: Path) -> dict:
    try:
        record = json.loads(path.read_text(encoding='utf-8'))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}          # not of our making: not trusted


def run_passes(command: list[str], index: list[str], values: dict, outdir: Path, tex: Path, env: dict[str, str],
               last_index: str | None, outputs: list[str]) -> tuple[int, str | None, list[str]]:
    """LaTeX until no file a pass read back has changed (latexmk's rule), the index made whenever
    the .idx changed; the passes run, the digest of the .idx last indexed and the files the last
    pass read."""
    stem = tex.stem
    idx, aux = outdir / f'{stem}.idx', outdir / f'{stem}.aux'
    after = read_back(outdir, stem)
    for passes in range(1, MAX_PASSES + 1):
        before = after                  # nothing runs between one pass's end and the next's start
        step(command, outdir, env, f'{tex.name}: LaTeX pass {passes}')      # its output is in the .log
        inputs, read, written = recorded(outdir, stem)
        aux_text = aux.read_text(encoding='utf-8', errors='replace') if aux.is_file() else ''
        if any(mark in aux_text for mark in LATEXMK_ONLY) or any(name.endswith(('.glo', '.bcf')) for name in written):
            raise NeedsLatexmk(tex.name)
        if idx.name in written:
            entries = digest(idx)
            if entries != last_index or not (outdir / f'{stem}.ind').exists():
                outputs.append(make_index(index, values, outdir, env, stem))
                last_index = entries
        after = read_back(outdir, stem)
        looked_for = read | missing(outdir, stem)
        changed = [name for name in after if name in looked_for and after[name] != before.get(name)]
        if not changed:
            return passes, last_index, inputs
    outputs.append(f'{tex.name}: {", ".join(changed)} still changing after {MAX_PASSES} LaTeX passes')
    return MAX_PASSES, last_index, inputs


def make_index(index: list[str], values: dict, outdir: Path, env: dict[str, str], stem: str) -> str:
    """The index, as Sphinx's latexmk configuration makes it (mendex's errors are ignored there,
    and an empty .ind stands in for one it did not write)."""
    ind = outdir / f'{stem}.ind'
    if index[0] == 'mendex':
        ind.unlink(missing_ok=True)
        result = subprocess.run([part.format(**values) for part in index], cwd=outdir, env=env,
                                capture_output=True, text=True)
        if not ind.exists():
            ind.write_text('', encoding='utf-8')
        return (result.stdout + result.stderr).strip()
    return step([part.format(**values) for part in index], outdir, env, f'{stem}.idx: the index')


def step(command: list[str], outdir: Path, env: dict[str, str], what: str) -> str:
    result = subprocess.run(command, cwd=outdir, env=env, capture_output=True, text=True, errors='replace')
    output = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        raise TypesetError(f'{what}: `{" ".join(command[:3])} …` failed (exit {result.returncode})', output)
    return output
