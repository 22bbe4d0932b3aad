"""Import speed (issue 14): pages a second, from the PDF itself and from its text.

The books are the importer's corpus (tests/corpus/) set as a Bluebook is — A4, two
columns, footnotes at the column foot — its three sections repeated until the book has
about 10, 100 and 300 pages, typeset once with upLaTeX and kept under
``build/bench-import/`` (rebuilt when the corpus changes). For each book, in one run:

- **ours, PDF**: ``taiyaku import book.pdf --out …`` (the whole command: start-up, PDFium,
  the layout, the shared stages, the draft written and read back, the report);
- **ours, text**: ``taiyaku import book.raw.txt --out …``, its ``pdftotext -raw`` text;
- **reference**: ``pdftotext -raw book.pdf`` alone — what a user runs before a text import.

Time per page at each size against the smallest shows whether it grows linearly.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.measure import Series, run

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / 'tests' / 'corpus'
SECTIONS = ('arctic', 'disaster', 'fisheries')
BOOKS = (10, 100, 300)        # sections, a page each: books of about 10, 100 and 300 pages
OPTIONS = 'columns=2,footnotes=column,ruby=jukugo,head=right,paper=a4'
DRIVER = r"""\documentclass[uplatex,10pt]{jsarticle}
\usepackage[%s]{taiyaku-corpus}
\publication{外交青書 2031}
\chaptertab{第２章}
\begin{document}
%s
\end{document}
"""


@dataclass
class Measured:
    pages: int
    characters: int
    pdf: Series
    text: Series
    extract: Series


def book(sections: int, folder: Path) -> Path:
    """The book of ``sections`` sections, typeset (or as it was, if the corpus has not changed)."""
    digest = hashlib.sha256(OPTIONS.encode() + str(sections).encode())
    for path in sorted(CORPUS.rglob('*.tex')) + [CORPUS / 'taiyaku-corpus.sty']:
        digest.update(path.read_bytes())
    pdf = folder / f'book-{sections}.pdf'
    stamp = pdf.with_suffix('.sha256')
    if pdf.exists() and stamp.exists() and stamp.read_text() == digest.hexdigest():
        return pdf
    folder.mkdir(parents=True, exist_ok=True)
    body = '\n'.join(f'\\input{{{SECTIONS[k % len(SECTIONS)]}}}\\clearpage' for k in range(sections))
    with tempfile.TemporaryDirectory(prefix='taiyaku-book-') as work:
        work = Path(work)
        (work / 'book.tex').write_text(DRIVER % (OPTIONS, body), encoding='utf-8')
        env = dict(os.environ, TEXINPUTS=f'{CORPUS}:{CORPUS / "sections"}:')
        for command in (['uplatex', '-interaction=batchmode', '-halt-on-error', 'book.tex'], ['dvipdfmx', '-q', 'book.dvi']):
            subprocess.run(command, cwd=work, env=env, check=True, capture_output=True)
        shutil.move(work / 'book.pdf', pdf)
    subprocess.run(['pdftotext', '-raw', '-enc', 'UTF-8', str(pdf), str(pdf.with_suffix('.raw.txt'))], check=True)
    stamp.write_text(digest.hexdigest())
    return pdf


def pages_of(pdf: Path) -> int:
    info = subprocess.run(['pdfinfo', str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith('Pages:')))


def measure(repeat: int, books: tuple[int, ...] = BOOKS, folder: Path = ROOT / 'build' / 'bench-import') -> list[Measured]:
    results = []
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for sections in books:
        pdf = book(sections, folder)
        text = pdf.with_suffix('.raw.txt')
        measured = Measured(pages_of(pdf), len(text.read_text(encoding='utf-8')), Series(), Series(), Series())
        with tempfile.TemporaryDirectory(prefix='taiyaku-import-') as work:
            work = Path(work)
            for k in range(repeat):
                for series, source in ((measured.pdf, pdf), (measured.text, text)):
                    out = work / f'draft-{k}-{source.suffixes[0].strip(".")}'
                    done = run([sys.executable, '-m', 'taiyaku', 'import', str(source), '--out', str(out)], work,
                               env=env, check=False)
                    series.add(done)
                    if k == 0:
                        status = re.search(r'^status: (\w+)', done.output, re.MULTILINE)
                        series.notes.append(status[1] if status else 'failed')
                    shutil.rmtree(out, ignore_errors=True)
                measured.extract.add(run(['pdftotext', '-raw', '-enc', 'UTF-8', str(pdf), str(work / 'x.txt')], work))
        results.append(measured)
    return results


def table(results: list[Measured]) -> list[str]:
    if not results:
        return []
    base_pdf = results[0].pdf.wall / results[0].pages
    base_text = results[0].text.wall / results[0].pages
    lines = ['| book | pages | characters (text) | PDF import | pages/s | text import | pages/s | pdftotext -raw | '
             's/page vs smallest (PDF / text) | peak memory (PDF / text) |',
             '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |']
    for m in results:
        lines.append(
            f'| {m.pages} pages | {m.pages} | {m.characters:,} | {m.pdf.wall:.2f} s ({m.pdf.spread[0]:.2f}–{m.pdf.spread[1]:.2f}) '
            f'| {m.pages / m.pdf.wall:.1f} | {m.text.wall:.2f} s ({m.text.spread[0]:.2f}–{m.text.spread[1]:.2f}) '
            f'| {m.pages / m.text.wall:.1f} | {m.extract.wall:.2f} s | '
            f'{m.pdf.wall / m.pages / base_pdf:.2f} / {m.text.wall / m.pages / base_text:.2f} | '
            f'{m.pdf.peak_kb / 1024:.0f} / {m.text.peak_kb / 1024:.0f} MB |')
    return lines


def targets(results: list[Measured], target, seconds) -> list:
    """A whole Bluebook (about 300 pages) from its PDF in under two minutes, time growing linearly."""
    big = max(results, key=lambda m: m.pages)
    found = [target(f'a {big.pages}-page PDF imported', seconds(big.pdf.wall), '≤ 120 s (about 300 pages)',
                    big.pdf.wall <= 120 if big.pages >= 250 else None)]
    small = min(results, key=lambda m: m.pages)
    if big is not small:
        growth = (big.pdf.wall / big.pages) / (small.pdf.wall / small.pages)
        found.append(target(f'growth: time per page, {big.pages} pages / {small.pages} pages (PDF)', f'{growth:.2f}',
                            '≤ 1.3 (linear)', growth <= 1.3))
    return found


def section(results: list[Measured], target, seconds) -> list[str]:
    """The import-speed section of bench/RESULTS.md (report.render's Target and seconds)."""
    lines = ['', '## Import speed (issue 14)', '', __doc__.split('\n\n', 1)[1].strip(), '']
    lines += table(results)
    lines += ['', '| target | measured | limit | verdict |', '| --- | --- | --- | --- |']
    lines += [f'| {t.name} | {t.measured} | {t.limit} | {t.verdict} |' for t in targets(results, target, seconds)]
    return lines


def main() -> int:
    import argparse
    parser = argparse.ArgumentParser(description='import speed, pages a second (PDF and text)')
    parser.add_argument('--repeat', type=int, default=1)
    parser.add_argument('--books', default=','.join(map(str, BOOKS)), help='sections per book (default %(default)s)')
    args = parser.parse_args()
    print('\n'.join(table(measure(args.repeat, tuple(int(b) for b in args.books.split(','))))))
    return 0


if __name__ == '__main__':
    sys.exit(main())
