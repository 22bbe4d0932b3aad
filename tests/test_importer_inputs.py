"""The importer honest about what it cannot do (issue 14, section 4), and careful with
the output folder: doubled lines, a file cut short, half-width katakana, interleaved
columns, devices and pipes read only up to the limit, PDFs it cannot read, edited
drafts, files it did not write, and a comparison that lists every difference."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from taiyaku.importer import ImportFailure, convert, readback, run

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / 'raw' / '2011' / 'bluebook-2011-ch2-sec5.txt'
sys.path.insert(0, str(ROOT / 'tests' / 'corpus'))
import build as corpus_build  # noqa: E402


def taiyaku(*args: str, stdin: bytes | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, '-m', 'taiyaku', *args], cwd=cwd, capture_output=True, env=env,
                          input=stdin)


def text_of(done: subprocess.CompletedProcess) -> str:
    return done.stderr.decode('utf-8', 'replace')


@pytest.fixture(scope='module')
def seed(tmp_path_factory):
    out = tmp_path_factory.mktemp('seed') / 'draft'
    run(RAW, out)
    return readback.read(out)


# -- what an extraction can be wrong about ------------------------------------------------------------

def test_a_file_whose_lines_are_all_doubled_is_refused(tmp_path):
    lines = RAW.read_text(encoding='utf-8').split('\n')
    raw = tmp_path / 'doubled.txt'
    raw.write_text('\n'.join(line for line in lines for _ in (0, 1)), encoding='utf-8')
    done = taiyaku('import', str(raw), '--out', str(tmp_path / 'out'))
    assert done.returncode == 1 and 'every line is there twice' in text_of(done)
    assert re.search(rf'{re.escape(str(raw))}:\d+: every line', text_of(done)) and not (tmp_path / 'out').exists()


def test_a_file_cut_short_is_not_ok(tmp_path):
    """Cut in the middle of the last footnote's word: the draft is written but flagged."""
    text = RAW.read_text(encoding='utf-8')
    cut = text.index('\n9\t') + 25
    assert '\u4e00' <= text[cut - 1] <= '\u9fff' or '\u3040' <= text[cut - 1] <= '\u30ff'   # mid-word
    raw = tmp_path / 'cut.txt'
    raw.write_text(text[:cut], encoding='utf-8')
    done = taiyaku('import', str(raw), '--out', str(tmp_path / 'out'))
    report = json.loads((tmp_path / 'out' / 'report.json').read_text(encoding='utf-8'))
    assert done.returncode == 1 and report['status'] == 'incomplete'
    assert any('cut short' in warning for warning in report['warnings'])
    assert 'WARNING: ' in done.stdout.decode()


def test_half_width_katakana_is_set_in_full_width_and_listed(tmp_path, seed):
    text = RAW.read_text(encoding='utf-8')
    half = text.replace('ロシア', 'ﾛｼｱ').replace('ガス', 'ｶﾞｽ')
    result = convert(half.encode('utf-8'), 'half.txt', tmp_path / 'out')
    assert result.ok
    assert readback.read(tmp_path / 'out').blocks == seed.blocks
    changes = result.report['normalised']
    assert len(changes) == text.count('ロシア') + text.count('ガス')
    assert {(c['from'], c['to']) for c in changes} == {('ﾛｼｱ', 'ロシア'), ('ｶﾞｽ', 'ガス')}
    first = changes[0]
    assert half.split('\n')[first['line'] - 1][first['col']:].startswith(first['from'])


def test_interleaved_columns_are_refused_and_the_way_out_named(tmp_path):
    out = corpus_build.build()
    done = taiyaku('import', str(out / 'two-column-page-notes' / 'arctic.pdftotext.txt'), '--out', str(tmp_path / 'x'))
    assert done.returncode == 1
    assert 'interleaved' in text_of(done) and 'pdftotext -raw' in text_of(done) and 'the PDF itself' in text_of(done)


# -- reading is bounded -----------------------------------------------------------------------------

def test_dev_zero_is_refused_at_once():
    started = time.monotonic()
    done = taiyaku('import', '/dev/zero', '--out', '/nonexistent/out')
    assert done.returncode == 1 and 'binary data' in text_of(done) and 'Traceback' not in text_of(done)
    assert time.monotonic() - started < 60          # not a timing test: /dev/zero would never end


def test_a_stream_larger_than_the_limit_is_refused_after_the_limit(tmp_path):
    big = ('日本とロシアは、アジア太平洋地域における重要な隣国である。\n' * 40000).encode('utf-8')   # 3.6 MB
    done = taiyaku('import', '/dev/stdin', '--out', str(tmp_path / 'out'), '--max-size', '1', stdin=big)
    assert done.returncode == 1 and 'more than 1 MB' in text_of(done) and 'read no further' in text_of(done)
    assert not (tmp_path / 'out').exists()


def test_a_stream_within_the_limit_is_imported(tmp_path, seed):
    done = taiyaku('import', '/dev/stdin', '--out', str(tmp_path / 'out'), stdin=RAW.read_bytes())
    assert done.returncode == 0, text_of(done)
    assert readback.read(tmp_path / 'out').blocks == seed.blocks


# -- PDFs it cannot read ------------------------------------------------------------------------------

def pdf_without_text(path: Path) -> None:
    from pypdf import PdfWriter
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    with path.open('wb') as handle:
        writer.write(handle)


def test_a_pdf_without_a_text_layer_is_refused(tmp_path):
    scan = tmp_path / 'scan.pdf'
    pdf_without_text(scan)
    done = taiyaku('import', str(scan), '--out', str(tmp_path / 'out'))
    assert done.returncode == 1
    message = text_of(done).strip()
    assert message.count('\n') == 0 and 'no text layer' in message and 'OCR' in message


def test_an_encrypted_pdf_is_refused(tmp_path):
    pdf = corpus_build.build() / 'one-column' / 'arctic.pdf'
    locked = tmp_path / 'locked.pdf'
    from pypdf import PdfReader, PdfWriter
    writer = PdfWriter(clone_from=PdfReader(pdf))
    writer.encrypt('secret', algorithm='RC4-128')
    with locked.open('wb') as handle:
        writer.write(handle)
    done = taiyaku('import', str(locked), '--out', str(tmp_path / 'out'))
    assert done.returncode == 1 and text_of(done).strip().count('\n') == 0 and 'encrypted' in text_of(done)


def test_a_damaged_pdf_is_refused(tmp_path):
    pdf = corpus_build.build() / 'one-column' / 'arctic.pdf'
    damaged = tmp_path / 'damaged.pdf'
    data = pdf.read_bytes()
    damaged.write_bytes(data[:200] + bytes(len(data) - 200))
    done = taiyaku('import', str(damaged), '--out', str(tmp_path / 'out'))
    assert done.returncode == 1 and text_of(done).strip().count('\n') == 0
    assert 'damaged' in text_of(done) or 'no text layer' in text_of(done)
    assert 'Traceback' not in text_of(done)


# -- the output folder -------------------------------------------------------------------------------

def test_an_edited_draft_is_not_overwritten_unless_forced(tmp_path):
    out = tmp_path / 'draft'
    assert taiyaku('import', str(RAW), '--out', str(out)).returncode == 0
    edited = out / 'section-5.rst'
    edited.write_text(edited.read_text(encoding='utf-8') + '\n編集者の加筆。\n', encoding='utf-8')
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    done = taiyaku('import', str(RAW), '--out', str(out))
    assert done.returncode == 1 and 'edited since it was imported (section-5.rst' in text_of(done)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    done = taiyaku('import', str(RAW), '--out', str(out), '--force')
    assert done.returncode == 0, text_of(done)
    aside = tmp_path / 'draft.previous'
    assert (aside / 'section-5.rst').read_bytes() == before['section-5.rst']
    assert '編集者の加筆' not in edited.read_text(encoding='utf-8')


def test_a_stray_report_json_is_not_an_earlier_import(tmp_path):
    out = tmp_path / 'mine'
    out.mkdir()
    (out / 'report.json').write_text('{"status": "ok"}', encoding='utf-8')
    (out / 'chapter.rst').write_text('my own text', encoding='utf-8')
    done = taiyaku('import', str(RAW), '--out', str(out))
    assert done.returncode == 1 and 'is not an earlier import' in text_of(done)
    assert (out / 'chapter.rst').read_text(encoding='utf-8') == 'my own text'


def test_an_import_never_deletes_a_file_it_did_not_write(tmp_path):
    out = tmp_path / 'draft'
    assert taiyaku('import', str(RAW), '--out', str(out)).returncode == 0
    (out / 'glossary-notes.txt').write_text('mine', encoding='utf-8')
    three = tmp_path / 'three.txt'
    three.write_text('\n'.join([RAW.read_text(encoding='utf-8')] * 2), encoding='utf-8')
    assert taiyaku('import', str(three), '--out', str(out)).returncode == 0
    assert (out / 'glossary-notes.txt').read_text(encoding='utf-8') == 'mine'
    first = json.loads((out / 'report.json').read_text(encoding='utf-8'))
    assert taiyaku('import', str(RAW), '--out', str(out)).returncode == 0
    second = json.loads((out / 'report.json').read_text(encoding='utf-8'))
    gone = set(first['manifest']) - set(second['manifest'])
    assert gone and not any((out / name).exists() for name in gone)        # its own files, replaced
    assert sorted(p.name for p in out.iterdir()) == sorted(set(second['manifest']) | {'report.json', 'glossary-notes.txt'})


# -- --compare is complete ----------------------------------------------------------------------------

def test_compare_lists_every_difference_and_writes_it_into_the_report(tmp_path):
    master = tmp_path / 'master'
    shutil.copytree(ROOT / 'source', master)
    path = master / 'russia' / 'relations.rst'
    text = path.read_text(encoding='utf-8')
    edits = ['日露経済関係は近年着実に拡大している。', 'エネルギー分野では、', '日本は、1994年以降、', 'また、日本は、北方領土問題',
             'このような状況の中、']
    for k, start in enumerate(edits):
        assert start in text
        text = text.replace(start, start + f'（加筆{k}）', 1)
    path.write_text(text, encoding='utf-8')
    out = tmp_path / 'draft'
    done = taiyaku('import', str(RAW), '--out', str(out), '--compare', str(master))
    printed = done.stdout.decode()
    assert done.returncode == 0, text_of(done)
    assert all(f'（加筆{k}）' in printed for k in range(5))       # all five, not the first three
    report = json.loads((out / 'report.json').read_text(encoding='utf-8'))
    missing = report['comparison']['paragraphs']['missing']
    assert sum('加筆' in text for text in missing) == 5          # (and the 2011.2 erratum, ウスベキスタン)
    assert report['comparison']['paragraphs']['matched'] == 34 - len(missing)
    assert report['comparison_with'] == str(master)


# -- joining lines ------------------------------------------------------------------------------------

def test_a_number_broken_across_lines_gets_no_space(tmp_path):
    """（20|09年5月23日…）: the join puts no space inside a number, nor between Japanese
    characters; Latin words still get theirs."""
    from taiyaku.importer.model import Row
    from taiyaku.importer.paragraphs import join
    from taiyaku.importer.text import Text
    rows = [Row(Text.source(n, 0, chars), (n,)) for n, chars in
            enumerate(['会談は（20', '09年5月23日、Pacific', 'Islands Forumの場で', '行われた。'], start=1)]
    assert join(rows).text.chars == '会談は（2009年5月23日、Pacific Islands Forumの場で行われた。'
    spaced = [Row(Text.source(n, 0, chars), (n,)) for n, chars in enumerate(['1956 年 10', '月 19 日、1,2', '00 人'], start=1)]
    assert join(spaced, spaced=True).text.chars == '1956 年 10 月 19 日、1,200 人'


def test_a_footnote_number_on_a_line_of_its_own_is_a_reference(tmp_path):
    """北極評議会 / 1 / の作業部会: the number alone on its line still refers to its note."""
    sys.path.insert(0, str(ROOT / 'tests' / 'corpus'))
    import corpus
    text = (corpus_build.build() / 'one-column' / 'arctic.raw.txt').read_text(encoding='utf-8')
    assert '北極評議会1\n' in text
    lone = text.replace('北極評議会1\n', '北極評議会\n1\n')
    result = convert(lone.encode('utf-8'), 'lone.txt', tmp_path / 'out')
    assert result.ok
    assert corpus.misses(corpus.expected('arctic'), readback.read(tmp_path / 'out')) == {}


def test_a_cover_title_with_markup_characters_reads_back(tmp_path):
    """Found by hypothesis: a folio '*97外交青書 2011' gave the cover title '\\\\*97…' (escaped
    twice), which docutils read as emphasis and the accounting caught."""
    result = convert('*97外交青書 2011\n\f日本とロシアは、アジア太平洋地域における重要な隣国である。\n'.encode('utf-8'),
                     'cover.txt', tmp_path / 'out')
    assert result.report['status'] == 'ok' and result.report['accounting']['draft_check']['matches']
    assert readback.read(tmp_path / 'out').blocks[0].text == '*97外交青書 2011'
