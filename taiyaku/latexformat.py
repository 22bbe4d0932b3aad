"""The LaTeX preamble dumped once into a format, so each upLaTeX pass starts typesetting at once.

Loading jsbook, hyperref, pxrubrica, multicol, the fonts and the project's styles is most of
a small book's LaTeX pass (1.2 s of 1.9 s at ten times this section). mylatexformat (TeX
Live's ``mylatexformat.ltx``) dumps everything up to ``\\begin{document}`` into
``preamble/preamble.fmt``; a run given ``-fmt=preamble/preamble`` skips the preamble of the .tex
and goes on from ``\\begin{document}``. The PDF is the same, byte for byte
(``tests/test_performance.py``).

One thing a format does not hold by itself: what the preamble put on the main vertical list —
the ``\\special`` lines of hyperref's driver (``dvipdfmx:config C 0x0010``), bxpdfver's PDF
version, a top-level ``\\color``, an empty ``\\write`` — which a normal run ships out on the
first page (and which move the title page if left out). The format run takes them into a box
register, which the format keeps, and every job puts them back where they were.

The format is made by the first rebuild of an edited .tex (a first build runs its passes
without it: making it costs about what it would save them) and made again when the
preamble, the edition's date settings or any file the format run read (the styles Sphinx
copied, the TeX installation's packages and its own ``uplatex.fmt``, listed by
``-recorder``) changed. XeLaTeX cannot dump the fonts fontspec
loads, so only upLaTeX builds (the Japanese and the parallel editions) use one. A format
that cannot be made is simply not used: the build runs as without it.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

from taiyaku.stamps import signature

ENGINES = ('uplatex',)                 # the engines whose formats can hold the whole preamble
FOLDER = 'preamble'                    # beside the .tex: preamble.ltx, preamble.fmt, its log and record
BEGIN_DOCUMENT = re.compile(r'^\\begin\{document\}', re.MULTILINE)
ENGINE_LINE = re.compile(r"^\$latex\s*=\s*'(\w+)\s", re.MULTILINE)
DATE_SETTINGS = ('SOURCE_DATE_EPOCH', 'FORCE_SOURCE_DATE', 'TZ')

# Before the preamble in the format run: no extra fonts loaded into the format (mylatexformat
# preloads a dozen sizes), so the runs load the fonts they use, in the same order as without it.
CAPTURE = r"""\catcode`\@=11
\let\MYLATEX@fontpreloading\relax
\catcode`\@=12
"""
# After the preamble, before \begin{document} (where mylatexformat dumps): what the preamble
# left on the main vertical list (\special and \write nodes) is taken into a box by an output
# routine of its own, fired by an empty box and a forced break; the box is dumped with the
# format, and every job puts its contents back on the main vertical list first thing, with the
# depth the list had (\vspace* at the head of the title page keeps it: the title's place).
RELEASE = r"""\catcode`\@=11
\xdef\taiyaku@prevdepth{\the\prevdepth}
\newbox\taiyaku@mainlist
\begingroup
  \output{\global\setbox\taiyaku@mainlist\vbox{\unvbox255 \setbox0\lastbox \unskip}}%
  \hbox{}\penalty-10000
\endgroup
\deadcycles\z@
\everyjob\expandafter{\the\everyjob\unvbox\taiyaku@mainlist \prevdepth\taiyaku@prevdepth\relax}
\catcode`\@=12
"""


def engine_of(outdir: Path) -> str | None:
    """The LaTeX engine Sphinx's latexmk configuration runs (latexmkjarc overrides latexmkrc)."""
    for name in ('latexmkjarc', 'latexmkrc'):
        rc = outdir / name
        if rc.exists():
            found = ENGINE_LINE.search(rc.read_text(encoding='utf-8', errors='replace'))
            if found:
                return found.group(1)
    return None


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def recorder_list(fls: Path, outdir: Path) -> tuple[list[str], list[str]]:
    """The files a run read and those it wrote, from its -recorder list (names relative to the
    LaTeX folder), as sorted absolute paths."""
    found: dict[str, set[str]] = {'INPUT': set(), 'OUTPUT': set()}
    for line in fls.read_text(encoding='utf-8', errors='replace').splitlines():
        kind, _, name = line.partition(' ')
        if kind in found:
            found[kind].add(name)
    folder = outdir.resolve()
    return tuple(sorted({str((folder / name).resolve()) for name in found[kind]}) for kind in ('INPUT', 'OUTPUT'))


def fingerprint(files: list[str], outdir: Path) -> dict[str, list]:
    """For each file: files of the LaTeX folder by content (Sphinx copies them anew each build),
    the installation's by signature."""
    result = {}
    folder = outdir.resolve()
    for name in files:
        path = Path(name)
        try:
            if folder in path.parents:
                result[name] = [digest(path.read_bytes())]
            else:
                result[name] = signature(path)
        except OSError:
            result[name] = []
    return result


def worth_making(outdir: Path, tex: Path, text: str) -> bool:
    """Whether a format not made yet would pay in this run: not in a first build (its passes
    run from nothing; making the format costs about what it saves them), nor in a rebuild of
    an unchanged .tex (there may be no pass to run; a new -fmt would make one run).
    A stale format is always made again: a file of the preamble changed, so must the PDF."""
    last = outdir / f'.{tex.stem}.tex.sha256'
    now = digest(text.encode('utf-8'))
    try:
        before = last.read_text(encoding='ascii').strip()
    except OSError:
        before = None
    try:
        last.write_text(now + '\n', encoding='ascii')
    except OSError:
        pass
    return (outdir / f'{tex.stem}.aux').exists() and before is not None and before != now


def prepare(outdir: Path, env: dict[str, str]) -> str:
    """Make or reuse the preamble format of the .tex in ``outdir``; the LATEXOPTS that use it
    ('' when there is none to use)."""
    texs = sorted(outdir.glob('*.tex'))
    engine = engine_of(outdir)
    if len(texs) != 1 or engine not in ENGINES:
        return ''
    tex = texs[0]
    text = tex.read_text(encoding='utf-8')
    begin = BEGIN_DOCUMENT.search(text)
    if begin is None:
        return ''
    preamble = text[:begin.start()]
    key = digest('\0'.join([engine, preamble, *(f'{k}={env.get(k, "")}' for k in DATE_SETTINGS)]).encode())
    folder = outdir / FOLDER
    record, fmt = folder / f'{FOLDER}.json', folder / f'{FOLDER}.fmt'
    try:
        known = json.loads(record.read_text(encoding='utf-8'))
    except (OSError, ValueError):
        known = {}
    if not isinstance(known, dict):          # a record not of our making: made again
        known = {}
    inputs = known.get('inputs')
    if fmt.exists() and known.get('key') == key and isinstance(inputs, dict) \
            and inputs == fingerprint(sorted(inputs), outdir):
        return f'-fmt={FOLDER}/{FOLDER}'
    if not fmt.exists() and not worth_making(outdir, tex, text):
        return ''
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    source = folder / f'{FOLDER}.ltx'      # not .tex: Sphinx's Makefile makes a PDF of every .tex
    source.write_text(CAPTURE + preamble + RELEASE + '\\begin{document}\n\\end{document}\n', encoding='utf-8')
    made = subprocess.run([engine, '-ini', '-recorder', '-interaction=batchmode', '-halt-on-error', '-kanji=utf8',
                           f'-output-directory={FOLDER}', f'-jobname={FOLDER}', f'&{engine}', 'mylatexformat.ltx',
                           f'{FOLDER}/{source.name}'],
                          cwd=outdir, env=env, capture_output=True)
    if made.returncode != 0 or not fmt.exists():
        fmt.unlink(missing_ok=True)        # the build goes on without one
        return ''
    found, _ = recorder_list(folder / f'{FOLDER}.fls', outdir)
    record.write_text(json.dumps({'key': key, 'inputs': fingerprint(found, outdir)}, sort_keys=True),
                      encoding='utf-8')
    return f'-fmt={FOLDER}/{FOLDER}'
