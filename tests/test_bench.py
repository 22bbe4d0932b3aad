"""The benchmark harness: its corpora build, it measures both sides, and it judges the targets right.

No timing is asserted here: the harness runs at the smallest size to show it works.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from bench import report
from bench.corpus import make_corpus
from bench.measure import Run, Series, process_tree_kb, run
from bench.scenarios import Row

ROOT = Path(__file__).resolve().parent.parent


def test_corpus_holds_renamed_copies_of_every_document_with_their_catalogs(tmp_path):
    corpus = make_corpus(ROOT, tmp_path / 'corpus', 3)
    originals = sorted(p.relative_to(ROOT / 'source') for p in (ROOT / 'source').rglob('*.rst'))
    copies = sorted(p.relative_to(corpus / 'source' / 'part-003') for p in (corpus / 'source' / 'part-003').rglob('*.rst'))
    assert copies and set(copies) < set(originals)             # the text, not the cover and apparatus
    for copy in copies:
        assert (corpus / 'locale' / 'en' / 'LC_MESSAGES' / 'part-003' / copy.with_suffix('.po')).is_file()
    labels = re.findall(r'^\.\. _([\w-]+):$', '\n'.join(p.read_text(encoding='utf-8')
                                                         for p in (corpus / 'source').rglob('*.rst')), re.MULTILINE)
    assert len(labels) == len(set(labels))                    # no duplicate label: the copies build with -W
    cover = (corpus / 'source' / 'index.rst').read_text(encoding='utf-8')
    assert cover.index('section') < cover.index('part-002/section') < cover.index('part-003/section')
    assert not (ROOT / 'source' / 'part-002').exists()         # nothing generated inside the project


def test_measuring_a_command_counts_its_children(tmp_path):
    script = 'import subprocess, sys; subprocess.run([sys.executable, "-c", "x = bytearray(80_000_000); import time; time.sleep(0.5)"])'
    measured = run([sys.executable, '-c', script], tmp_path)
    assert measured.peak_kb > 80_000                            # the child's memory is the tree's
    assert measured.cpu > 0 and measured.wall > 0.5
    assert process_tree_kb(1) > 0


def series(*walls: float, peak: int = 100_000) -> Series:
    return Series([Run(wall=wall, cpu=wall, peak_kb=peak) for wall in walls])


def test_targets_are_judged_from_the_medians():
    rows = [
        Row('cold', 10, series(4, 5, 40), series(10, 10, 10), key='cold-html-epub'),
        Row('cold', 100, series(45), series(100), key='cold-html-epub'),
        Row('all', 1, series(6), series(10), key='cold-html-epub-pdf'),
        Row('incremental', 1, series(1.1), series(1.0), key='incremental-html',
            reread={'ours': [2, 2], 'stock': [2, 2], 'languages': 2}),
        Row('preview', 1, series(0.2, 0.25, 2.0), key='preview-rst'),
    ]
    found = {target.name: target for target in report.targets(rows)}
    assert found['cold `make all` equivalent (HTML+EPUB+PDF, ja+en), 1×'].met is False     # 0.6 > 0.55
    assert found['incremental HTML (ja+en) after a one-paragraph edit, 1×'].met is False   # 1.1 > 1.0
    assert found['documents re-read after a one-paragraph edit, 1×'].met is True
    assert found['preview: .rst save (ja) → page written, 1×'].met is True                # the median, 0.25 s
    assert found['100×: cold HTML+EPUB (ja+en), time'].met is True                         # 0.45
    assert found['growth: cold HTML+EPUB time at 100× / at 10×'].measured.startswith('9.0')


def test_the_harness_runs_end_to_end_at_the_smallest_size(tmp_path):
    output = tmp_path / 'RESULTS.md'
    result = subprocess.run([sys.executable, '-m', 'bench', '--sizes', '1', '--repeat', '1', '--pdf-sizes', '',
                             '--only', 'cold,incremental,preview,pandoc', '--output', str(output)],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    text = output.read_text(encoding='utf-8')
    assert text in result.stdout                                   # printed as well as written
    for heading in ('## Machine', '## What is compared', '## Results', '## Targets (issue 8)'):
        assert heading in text
    assert 'AMD' in text or 'Intel' in text or 'CPU:' in text
    for scenario in ('cold build, HTML + EPUB, both languages', 'incremental HTML (ja+en) after a one-paragraph edit',
                     'preview: .rst save → page written (ja)', 'preview: .po save → page written (en)',
                     'pandoc rst → HTML', 'pandoc rst → EPUB'):
        row = next(line for line in text.splitlines() if line.startswith(f'| {scenario}'))
        assert re.search(r'\d+\.\d+ s', row), row                  # a measured time, not a placeholder
    assert 'ours [2], stock [2]' in text                           # one document per language re-read
    assert 'plain `sphinx-build -b <builder> -D language=<lang>' in text


def test_the_import_speed_harness_runs_on_a_one_page_book(tmp_path):
    """bench/importer.py at its smallest: a one-page book typeset, imported from the PDF and
    from its text, the table and the targets rendered. No timing is asserted."""
    from bench import importer
    measured = importer.measure(1, books=(1,), folder=tmp_path)
    assert [m.pages for m in measured] == [1]
    assert measured[0].pdf.notes == ['ok'] and measured[0].text.notes == ['ok']
    table = '\n'.join(importer.table(measured))
    assert '| 1 pages | 1 |' in table and 'pages/s' in table
    text = report.render([], {}, {}, {}, [], measured)
    assert '## Import speed (issue 14)' in text and 'a 1-page PDF imported' in text
