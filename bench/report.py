"""bench/RESULTS.md: the machine, the measurements side by side, and the targets of issue 8."""

from __future__ import annotations

import math
import os
import platform
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.measure import Series
from bench.scenarios import PRINT_BASELINE, Row


@dataclass
class Target:
    name: str
    measured: str
    limit: str
    met: bool | None          # None: not measured in this run

    @property
    def verdict(self) -> str:
        return {True: 'met', False: '**not met**', None: 'not measured'}[self.met]


def first_line(command: list[str]) -> str:
    try:
        output = subprocess.run(command, capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return 'not installed'
    return output.strip().splitlines()[0] if output.strip() else 'unknown'


def machine() -> dict[str, str]:
    cpuinfo = Path('/proc/cpuinfo').read_text(encoding='utf-8', errors='replace')
    model = re.search(r'^model name\s*:\s*(.+)$', cpuinfo, re.MULTILINE)
    memory = re.search(r'^MemTotal:\s*(\d+)', Path('/proc/meminfo').read_text(), re.MULTILINE)
    release = re.search(r'^PRETTY_NAME="?([^"\n]+)', Path('/etc/os-release').read_text(), re.MULTILINE)
    import docutils
    import sphinx
    return {
        'CPU': f'{model[1] if model else platform.processor()}, {os.cpu_count()} cores',
        'memory': f'{int(memory[1]) / 1024 / 1024:.1f} GiB' if memory else 'unknown',
        'system': f'{release[1] if release else platform.system()}, Linux {platform.release()}',
        'Python': platform.python_version(),
        'Sphinx / docutils': f'{sphinx.__version__} / {docutils.__version__}',
        'pandoc': first_line(['pandoc', '--version']),
        'TeX': first_line(['uplatex', '--version']),
    }


def load() -> float:
    return float(Path('/proc/loadavg').read_text().split()[0])


def cpu_ticks() -> tuple[int, int]:
    """(all, stolen): the machine's CPU time so far, and the part the hypervisor gave to other
    guests (/proc/stat's steal column), in clock ticks."""
    fields = [int(value) for value in Path('/proc/stat').read_text().split('\n', 1)[0].split()[1:]]
    return sum(fields[:8]), fields[7] if len(fields) > 7 else 0


def steal_share(before: tuple[int, int], after: tuple[int, int]) -> float | None:
    elapsed = after[0] - before[0]
    return (after[1] - before[1]) / elapsed if elapsed > 0 else None


def seconds(value: float) -> str:
    if math.isnan(value):
        return '–'
    return f'{value:.2f} s' if value < 10 else f'{value:.1f} s'


def timing(series: Series | None) -> str:
    if series is None or not series.runs:
        return '–'
    low, high = series.spread
    return f'{seconds(series.wall)} ({seconds(low)}–{seconds(high)})'


def megabytes(kb: int) -> str:
    return f'{kb / 1024:.0f} MB' if kb else '–'


def ratio(row: Row) -> float | None:
    if row.stock is None or not row.stock.runs or not row.ours.runs:
        return None
    return row.ours.wall / row.stock.wall


def memory_ratio(row: Row) -> float | None:
    if row.stock is None or not row.stock.peak_kb or not row.ours.peak_kb:
        return None
    return row.ours.peak_kb / row.stock.peak_kb


def rows_for(rows: list[Row], key: str) -> dict[int, Row]:
    return {row.size: row for row in rows if row.key == key}


def targets(rows: list[Row]) -> list[Target]:
    found: list[Target] = []
    for size, row in sorted(rows_for(rows, 'cold-html-epub-pdf').items()):
        r = ratio(row)
        found.append(Target(f'cold `make all` equivalent (HTML+EPUB+PDF, ja+en), {size}×', f'{r:.2f}× stock',
                            '≤ 0.55× stock', r <= 0.55))
    for size, row in sorted(rows_for(rows, 'incremental-html').items()):
        r = ratio(row)
        found.append(Target(f'incremental HTML (ja+en) after a one-paragraph edit, {size}×', f'{r:.2f}× stock',
                            '≤ 1.0× stock', r <= 1.0))
    for key, what in (('incremental-html', 'a one-paragraph edit'), ('incremental-catalog', 'a catalog edit')):
        for size, row in sorted(rows_for(rows, key).items()):
            reread = row.reread
            ok = set(reread['ours']) == {reread['languages']}
            found.append(Target(f'documents re-read after {what}, {size}×',
                                f'{sorted(set(reread["ours"]))} for {reread["languages"]} language(s)',
                                '1 per language', ok))
    for key, what in (('preview-rst', '.rst save (ja)'), ('preview-po', '.po save (en)')):
        for size, row in sorted(rows_for(rows, key).items()):
            found.append(Target(f'preview: {what} → page written, {size}×', seconds(row.ours.wall),
                                '≤ 0.3 s', row.ours.wall <= 0.3))
    big = rows_for(rows, 'cold-html-epub').get(100)
    r, m = (ratio(big), memory_ratio(big)) if big else (None, None)
    found.append(Target('100×: cold HTML+EPUB (ja+en), time', f'{r:.2f}× stock' if r else '–', '≤ 0.5× stock',
                        None if r is None else r <= 0.5))
    found.append(Target('100×: cold HTML+EPUB (ja+en), peak memory', f'{m:.2f}× stock' if m else '–',
                        '≤ 1.5× stock', None if m is None else m <= 1.5))
    cold = rows_for(rows, 'cold-html-epub')
    if 10 in cold and 100 in cold:
        growth = cold[100].ours.wall / cold[10].ours.wall
        stock_growth = cold[100].stock.wall / cold[10].stock.wall
        found.append(Target('growth: cold HTML+EPUB time at 100× / at 10×',
                            f'{growth:.1f} (stock: {stock_growth:.1f})', '≤ 10.5', growth <= 10.5))
    else:
        found.append(Target('growth: cold HTML+EPUB time at 100× / at 10×', '–', '≤ 10.5', None))
    return found


def ratio_targets(rows: list[Row], key: str, name: str, limit: float, sizes=None, measure=None) -> list[Target]:
    measure = measure or ratio
    found = []
    measured = rows_for(rows, key)
    for size in sorted(set(sizes or ()) | set(measured)):
        row = measured.get(size)
        r = measure(row) if row is not None else None
        found.append(Target(f'{name}, {size}×', f'{r:.2f}× stock' if r is not None else '–', f'≤ {limit}× stock',
                            None if r is None else r <= limit))
    return found


def issue19_targets(rows: list[Row]) -> list[Target]:
    """The targets of issue 19: the translator's loop, update-po, the PDF, memory."""
    return [
        *ratio_targets(rows, 'incremental-catalog', 'incremental HTML (en) after a catalog edit', 0.8, (1, 10, 100)),
        *ratio_targets(rows, 'update-po', 'update-po after a one-paragraph edit', 0.7, (10, 100)),
        *ratio_targets(rows, 'cold-html-epub', 'peak memory, cold HTML+EPUB (ja+en)', 1.4, (1, 10, 100),
                       measure=memory_ratio),
        *ratio_targets(rows, 'cold-html-epub-pdf', 'cold HTML+EPUB+PDF (ja+en)', 0.5, (100,)),
        *ratio_targets(rows, 'incremental-pdf', 'incremental PDF (ja) after a one-paragraph edit', 0.6, (10,)),
    ]


def print_targets(rows: list[Row]) -> list[Target]:
    found = []
    for size, row in sorted(rows_for(rows, 'print-layout').items()):
        r = ratio(row)
        found.append(Target(f'cold PDF build (ja, en, parallel), {size}×', f'{r:.2f}× the one-column layout',
                            '≤ 1.10×', r <= 1.10))
    return found


def render(rows: list[Row], facts: dict[str, str], settings: dict[str, str], corpora: dict[int, tuple[int, int]],
           loads: list[float], imports: list | None = None) -> str:
    lines = ['# Benchmark results', '',
             'Written by `make bench` (bench/, see bench/README.md for what the harness does and '
             'bench/PROFILE.md for what the profile showed and what was changed). Regenerate with '
             '`make bench`; a quick run: `make bench BENCH_SIZES=1,10 BENCH_REPEAT=3`.', '']
    lines += ['## This run', '']
    lines += [f'- {name}: {value}' for name, value in settings.items() if name != 'steal']
    busy = max(loads) if loads else 0.0
    lines.append(f'- load average (1 min) seen at the start of the measurements: {min(loads):.2f}–{busy:.2f}'
                 if loads else '- load average: not sampled')
    if settings.get('steal'):
        lines.append(f'- CPU time the hypervisor gave to other machines (steal) during the run: {settings["steal"]}; '
                     'it slows both sides, concurrent work (ours) the more')
    if busy > 0.5:
        lines.append(f'- **other work was running on the machine during this run** (load up to {busy:.1f} on '
                     f'{os.cpu_count()} cores): times are noisy, and work run concurrently (ours) suffers more '
                     'from it than work run one after another (stock). The CPU columns are less affected.')
    lines += ['', '## Machine', '']
    lines += [f'- {name}: {value}' for name, value in facts.items()]
    lines += ['', '## What is compared', '',
              '- **Corpora**: the master and its catalogs, N times over (renamed copies of every document '
              'of the text with their catalogs, generated in a temporary folder): '
              + ', '.join(f'{size}× = {docs} documents, {chars:,} characters of rst'
                          for size, (docs, chars) in sorted(corpora.items())) + '.',
              '- **Ours**: the taiyaku commands `make` runs (`taiyaku build …`, `taiyaku update-po`, '
              '`taiyaku preview`).',
              '- **Stock**: plain `sphinx-build -b <builder> -D language=<lang> -c . source out/<builder>-<lang>`, '
              'one invocation after another for each builder and language, each with its own output and '
              'doctree folder, with **the project\'s own conf.py and extensions** (the sources do not build '
              'without their roles and directives; so the extensions\' own speed-ups, e.g. the shared sidebar '
              'table of contents, count for stock too). PDF: the Makefile Sphinx writes beside the LaTeX '
              '(`make all-pdf`, latexmk). update-po: `sphinx-build -b gettext` + `sphinx-intl update`.',
              '- The row "before: Sphinx\'s own sidebar rendering" is stock with `-D taiyaku_globaltoc_once=0`: '
              'how the HTML build performed before this work.',
              '- Times are wall-clock medians of the repetitions with (min–max); CPU is user+system time of '
              'the whole process tree (median); peak memory is the most the process tree held at any moment: '
              'the sum of its processes\' proportional set sizes (PSS), sampled from /proc every 20 ms. Ours and '
              'stock alternate which runs first.', '']
    lines += ['## Results', '',
              '| scenario | size | ours | ours CPU | stock | stock CPU | ratio | peak memory ours / stock |',
              '| --- | --- | --- | --- | --- | --- | --- | --- |']
    lines += table_rows(row for row in rows if row.key not in ('before-after', 'print-layout'))
    notes = [f'- {row.scenario}, {row.size}×: {note}' for row in rows for note in row.notes]
    if notes:
        lines += ['', 'Notes:', '', *notes]
    lines += ['', '## Before and after: the sidebar table of contents', '',
              'Sphinx resolves and renders the whole-publication table of contents in the sidebar anew for '
              'every page; taiyaku.ext.navigation renders it once per build (the same bytes). One run each, '
              'stock commands:', '',
              '| build | size | after | after CPU | before | before CPU | after / before | peak memory after / before |',
              '| --- | --- | --- | --- | --- | --- | --- | --- |']
    lines += table_rows(row for row in rows if row.key == 'before-after')
    lines += ['', '## Before and after: the print layout (issue 16)', '',
              'The PDFs in two columns with the footnotes across the page, figures that may move, the '
              'ToUnicode maps (after) beside the one-column layout they replaced (before: the toolchain '
              'of main at `' + PRINT_BASELINE[:7] + '`), the same corpus, `taiyaku build pdf parallel` from nothing:', '',
              '| build | size | after | after CPU | before | before CPU | after / before | peak memory after / before |',
              '| --- | --- | --- | --- | --- | --- | --- | --- |']
    lines += table_rows(row for row in rows if row.key == 'print-layout')
    lines += ['', 'Issue 16 allows the print layout 10% more time than the one-column layout:', '']
    lines += [f'- {t.name}: {t.measured} (limit {t.limit}): {t.verdict}' for t in print_targets(rows)]
    lines += ['', '## Targets (issue 19)', '', '| target | measured | limit | verdict |', '| --- | --- | --- | --- |']
    lines += [f'| {t.name} | {t.measured} | {t.limit} | {t.verdict} |' for t in issue19_targets(rows)]
    lines += ['', '## Targets (issue 8)', '', '| target | measured | limit | verdict |', '| --- | --- | --- | --- |']
    lines += [f'| {t.name} | {t.measured} | {t.limit} | {t.verdict} |' for t in targets(rows)]
    if imports:
        from bench import importer
        lines += importer.section(imports, Target, seconds)
    return '\n'.join(lines) + '\n'


def table_rows(rows) -> list[str]:
    lines = []
    for row in rows:
        r, m = ratio(row), memory_ratio(row)
        lines.append(f'| {row.scenario} | {row.size}× | {timing(row.ours)} | {seconds(row.ours.cpu)} | '
                     f'{timing(row.stock)} | {seconds(row.stock.cpu) if row.stock else "–"} | '
                     f'{f"{r:.2f}×" if r is not None else "–"} | {megabytes(row.ours.peak_kb)} / '
                     f'{megabytes(row.stock.peak_kb) if row.stock else "–"}'
                     f'{f" ({m:.2f}×)" if m is not None else ""} |')
    return lines
