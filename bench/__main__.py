"""`make bench`: python -m bench [--sizes 1,10,100] [--repeat 3] [--pdf-sizes 1,10] [--only STEPS] [--output FILE]"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bench import report, scenarios

ROOT = Path(__file__).resolve().parent.parent


def sizes(text: str) -> list[int]:
    try:
        values = sorted({int(part) for part in text.split(',') if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f'sizes are whole numbers separated by commas, not {text!r}') from None
    if values and values[0] < 1:
        raise argparse.ArgumentTypeError(f'sizes must be 1 or more, not {text!r}')
    return values


def steps(text: str) -> list[str]:
    chosen = [part.strip() for part in text.split(',') if part.strip()]
    unknown = sorted(set(chosen) - set(STEPS))
    if unknown:
        raise argparse.ArgumentTypeError(f'unknown step(s) {", ".join(unknown)}; the steps: {", ".join(STEPS)}')
    return chosen


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog='python -m bench', description=__doc__)
    p.add_argument('--sizes', type=sizes, default=[1, 10, 100], help='corpus sizes, times the master (default 1,10,100)')
    p.add_argument('--repeat', type=int, default=3, help='repetitions of every measurement (default 3)')
    p.add_argument('--pdf-sizes', type=sizes, default=[1, 10, 100],
                   help="sizes at which the PDFs are measured too (default 1,10,100; '' for none)")
    p.add_argument('--only', type=steps, default=list(STEPS), help=f'some steps only: {", ".join(STEPS)}')
    p.add_argument('--output', type=Path, default=ROOT / 'bench' / 'RESULTS.md', help='where to write the results')
    p.add_argument('--work', type=Path, help='folder for the corpora (default: a temporary one, removed after)')
    return p


# At 100× (a whole Bluebook) a cold PDF build of both languages takes minutes on each side:
# it is measured BIG_PDF_REPEAT times; the print-layout comparison and the incremental PDF
# stop at 10×.
BIG = 100
BIG_PDF_REPEAT = 1


def progress(text: str) -> None:
    print(f'bench: {text}', file=sys.stderr, flush=True)


STEPS = {
    'cold': lambda corpus, repeat, with_pdf: [scenarios.cold(corpus, ('html', 'epub'), repeat)],
    'cold-j1': lambda corpus, repeat, with_pdf: [scenarios.cold(corpus, ('html', 'epub'), repeat, jobs=1)],
    'pdf': lambda corpus, repeat, with_pdf: [scenarios.cold(corpus, ('html', 'epub', 'pdf'),
                                                            repeat if corpus.size < BIG else min(repeat, BIG_PDF_REPEAT))]
    if with_pdf else [],
    'incremental-pdf': lambda corpus, repeat, with_pdf: [scenarios.incremental_pdf(corpus, repeat)]
    if with_pdf and corpus.size < BIG else [],
    'before-after': lambda corpus, repeat, with_pdf: [scenarios.sphinx_sidebar(corpus)],
    'print': lambda corpus, repeat, with_pdf: [scenarios.print_layout(corpus, repeat)]
    if with_pdf and corpus.size < BIG else [],
    'incremental': lambda corpus, repeat, with_pdf: [scenarios.incremental(
        corpus, repeat, scenarios.LANGUAGES, scenarios.edit_paragraph,
        'incremental HTML (ja+en) after a one-paragraph edit', 'incremental-html')],
    'catalog': lambda corpus, repeat, with_pdf: [scenarios.incremental(
        corpus, repeat, (scenarios.TRANSLATION,), scenarios.edit_translation,
        'incremental HTML (en) after a catalog edit', 'incremental-catalog')],
    'preview': lambda corpus, repeat, with_pdf: [
        scenarios.preview_loop(corpus, repeat, 'ja', scenarios.edit_paragraph,
                               'preview: .rst save → page written (ja)', 'preview-rst'),
        scenarios.preview_loop(corpus, repeat, scenarios.TRANSLATION, scenarios.edit_translation,
                               'preview: .po save → page written (en)', 'preview-po')],
    'update-po': lambda corpus, repeat, with_pdf: [scenarios.update_po(corpus, repeat)],
    'pandoc': lambda corpus, repeat, with_pdf: scenarios.pandoc(corpus, repeat),
    'import': None,       # the importer's speed (bench/importer.py): once per run, on books of its own
}


def measure(size: int, work: Path, repeat: int, with_pdf: bool, only: list[str],
            loads: list[float]) -> tuple[list, tuple[int, int]]:
    corpus = scenarios.make_corpora(ROOT, work, size)
    facts = (corpus.documents, corpus.characters)
    progress(f'{size}× corpus: {facts[0]} documents, {facts[1]:,} characters')
    rows = []
    for name, step in STEPS.items():
        if name not in only or step is None:
            continue
        loads.append(report.load())
        started = time.monotonic()
        measured = step(corpus, repeat, with_pdf)
        if measured:
            progress(f'{size}×: {name}: {time.monotonic() - started:.0f} s')
        rows += measured
    shutil.rmtree(corpus.ours)
    shutil.rmtree(corpus.stock)
    return rows, facts


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if shutil.which('pandoc') is None:
        print('bench: pandoc is not installed (run `make setup`)', file=sys.stderr)
        return 2
    started = time.monotonic()
    ticks = report.cpu_ticks()
    begun = datetime.now(timezone.utc)
    rows, corpora, loads = [], {}, []
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix='taiyaku-bench-', dir=args.work) as work:
        for size in args.sizes:
            measured, corpora[size] = measure(size, Path(work), args.repeat, size in args.pdf_sizes, args.only,
                                              loads)
            rows += measured
    imports = []
    if 'import' in args.only:
        from bench import importer
        loads.append(report.load())
        begun_import = time.monotonic()
        imports = importer.measure(args.repeat)
        progress(f'import: {time.monotonic() - begun_import:.0f} s')
    minutes = (time.monotonic() - started) / 60
    steal = report.steal_share(ticks, report.cpu_ticks())
    settings = {
        'date': begun.strftime('%Y-%m-%d %H:%M UTC'),
        'command': f'python -m bench --sizes {",".join(map(str, args.sizes))} --repeat {args.repeat} '
                   f'--pdf-sizes "{",".join(map(str, args.pdf_sizes))}"'
                   + (f' --only {",".join(args.only)}' if args.only != list(STEPS) else ''),
        'duration': f'{minutes:.0f} min',
        'steal': f'{steal:.0%}' if steal is not None else '',
    }
    text = report.render(rows, report.machine(), settings, corpora, loads, imports)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding='utf-8')
    print(text)
    return 0


if __name__ == '__main__':
    sys.exit(main())
