"""The importer on the 2011 raw extraction: the draft against the curated master, the
report's accounting, the command line, bad input, and an output folder that is replaced
only by a complete import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from importer_layout import curated
from taiyaku.importer import ImportFailure, compare, convert, readback, run
from test_master import JOINS

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / 'raw' / '2011' / 'bluebook-2011-ch2-sec5.txt'


def taiyaku(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, '-m', 'taiyaku', *args], cwd=cwd, capture_output=True, text=True, env=env)


@pytest.fixture(scope='module')
def seed(tmp_path_factory):
    out = tmp_path_factory.mktemp('seed') / 'draft'
    result = run(RAW, out)
    return result, readback.read(out)


@pytest.fixture(scope='module')
def agreement(seed):
    result, draft = seed
    return compare.agreement(curated(ROOT, draft), draft, JOINS)


# -- the draft against the curated master ---------------------------------------------------

@pytest.mark.parametrize('category', ['paragraphs', 'headings', 'footnotes', 'ruby', 'figures', 'rejoins',
                                      'everything in order'])
def test_draft_agrees_with_the_curated_master(agreement, category):
    """Paragraph by paragraph, markup normalised: 34 paragraphs, 15 headings (cover
    included), 9 footnotes at their anchors, 5 ruby, 5 figures after their paragraphs,
    the 15 passages the extraction broke apart whole, and all of it in order."""
    score = agreement[category]
    assert (score['matched'], score['found']) == (score['total'], score['total']), (score['missing'], score['unexpected'])


def test_agreement_numbers(agreement):
    totals = {name: score['total'] for name, score in agreement.items()}
    assert totals == {'paragraphs': 34, 'headings': 15, 'footnotes': 9, 'ruby': 5, 'figures': 5, 'rejoins': 15,
                      "the original's pages": 3, 'everything in order': 63}


def test_the_original_page_its_folio_shows_is_marked_where_the_master_has_it(agreement):
    """The raw text holds one folio (97外交青書 2011): page 98 begins after it, inside a
    paragraph, where the master marks it. Pages 96 and 97 begin where no folio says so."""
    pages = agreement["the original's pages"]
    assert (pages['matched'], pages['found']) == (1, 1)
    assert [item[:6] for item in pages['missing']] == ["('96',", "('97',"]


def test_draft_keeps_the_published_typo(seed):
    """Faithful to the raw text: the importer does not correct what was printed."""
    result, draft = seed
    assert sum(block.text.count('ウスベキスタン') for block in draft.blocks) == 1


# -- the report: every character accounted for ------------------------------------------------

def test_every_input_character_is_accounted_for(seed):
    result, _ = seed
    books = result.report['accounting']
    assert result.report['status'] == 'ok'
    assert books['unaccounted'] == 0 and books['doubly_accounted'] == []
    assert books['total_characters'] == len(RAW.read_text(encoding='utf-8')) == result.report['input']['characters']
    assert (sum(books['in_draft'].values()) + sum(books['as_markup'].values()) + sum(books['dropped'].values())
            == books['total_characters'])
    assert books['draft_check']['matches'], 'the draft read back holds other characters than the accounting says'
    assert books['as_markup'] == {'footnote-ref': 9, 'footnote-label': 9}
    assert books['in_draft']['enumerator'] == 7             # ア イ ウ エ ア イ ウ, moved into their subheads


def test_dropped_lines_have_their_reasons(seed):
    result, _ = seed
    dropped = {(item['line'], item['text']): item['reason'] for item in result.report['dropped_lines']}
    assert dropped == {
        (215, '97外交青書 2011'): 'folio (page number)',
        (217, '第５節ロシア、中央アジアと コーカサス'): 'running head',
        (219, '第'): 'vertical text (chapter tab «第２章»)',
        (220, '２'): 'vertical text (chapter tab «第２章»)',
        (221, '章'): 'vertical text (chapter tab «第２章»)',
    }


def test_additions_by_the_importer_are_listed(seed):
    result, _ = seed
    added = result.report['accounting']['added_by_importer']
    assert {item['reason'] for item in added} == {
        'space between heading number and title', 'space after a subhead enumerator',
        'cover title, from the folio on line 215', 'space where Latin words or spaced numbers meet across a line break'}
    spaces = [item['line'] for item in added if item['reason'].startswith('space where')]
    assert spaces == [133, 152, 270]        # 10 月|19 日, 調印した|9 月, 2004 年 6|月: footnotes set numbers apart


def test_every_rejoin_is_listed_with_its_lines(seed):
    result, _ = seed
    joins = {(r['before']['line'], r['after']['line']): r for r in result.report['rejoins']}
    assert set(joins) == {(28, 30), (38, 40), (117, 153), (177, 179), (194, 225), (242, 244), (301, 303),
                          (261, 334), (343, 345), (380, 382), (326, 396), (405, 407), (394, 448), (461, 463)}
    across = {pair for pair, r in joins.items() if r['kind'] == 'reading order'}
    assert across == {(117, 153), (194, 225), (261, 334), (326, 396), (394, 448)}
    assert all(joins[pair].get('confirm') for pair in across)
    assert '(北朝鮮、イラン)' in joins[(261, 334)]['why'] and 'occur elsewhere' in joins[(326, 396)]['why']
    assert 'most like' in joins[(301, 303)]['why']
    moves = result.report['moves']
    assert moves[0]['lines'] == [57, 61, 63, 65, 67]     # 第５節, 1, （1）, 各　論, 対露外交の位置付け: put in rank order
    assert moves[1]['lines'] == [2, 52] and moves[1]['heading'] == '第５節\u3000ロシア、中央アジアとコーカサス'


def test_every_ruby_attachment_is_listed(seed):
    result, _ = seed
    entries = [(r['base'], r['readings'], r['reading_lines'], r['confirmed_by']) for r in result.report['ruby']]
    assert entries == [
        ('国後', ['くなしり'], [20], 'dictionary'),
        ('色丹', ['しこたん'], [124], 'dictionary'),
        ('歯舞', ['はぼ', 'まい'], [127, 130], 'dictionary'),
        ('護熙', ['もり', 'ひろ'], [137, 140], 'layout'),
        ('択捉', ['えとろふ'], [113], 'dictionary'),
    ]
    unsure = [doubt for doubt in result.report['uncertainties'] if doubt.get('text') == '護熙']
    assert unsure and 'does not read' in unsure[0]['unsure']


def test_every_footnote_link_is_listed(seed):
    result, _ = seed
    links = [(link['number'], link['reference_line'], link['body_lines'][0]) for link in result.report['footnotes']]
    assert links == [(1, 38, 54), (2, 94, 121), (3, 95, 136), (4, 95, 147), (5, 117, 151), (6, 177, 198),
                     (7, 191, 203), (8, 229, 265), (9, 253, 268)]


def test_summary_is_written_beside_the_draft(seed):
    result, _ = seed
    text = (result.out / 'report.txt').read_text(encoding='utf-8')
    assert text == result.summary
    assert '0 unaccounted' in text and 'status: ok' in text
    assert json.loads((result.out / 'report.json').read_text(encoding='utf-8')) == result.report


def test_accounting_notices_a_lost_paragraph(tmp_path, monkeypatch):
    """The check can fail: a writer that drops a paragraph leaves characters unaccounted."""
    from taiyaku.importer import writer
    original = writer.Writer.paragraph
    dropped = []

    def lossy(self, paragraph):
        if not dropped:
            dropped.append(paragraph)
            return []
        return original(self, paragraph)

    monkeypatch.setattr(writer.Writer, 'paragraph', lossy)
    result = convert(RAW.read_bytes(), str(RAW), tmp_path / 'out')
    books = result.report['accounting']
    assert result.report['status'] == 'unbalanced'
    assert books['unaccounted'] == sum(span.length for span in dropped[0].body.text.source_spans()) > 100
    assert books['unaccounted_stretches'][0]['line'] == 2


# -- the draft is a master the project can build ------------------------------------------------

def test_draft_builds_with_the_project_extensions(seed, mini):
    result, _ = seed
    sources = {path.stem: path.read_text(encoding='utf-8') for path in result.out.glob('*.rst')}
    project = mini(sources)
    out = project.build('html')
    assert project.warnings == ''
    page = (out / 'section-5-1-1.html').read_text(encoding='utf-8')
    assert '<ruby' in page and 'えとろふ' in page
    assert page.count('class="footnote-reference') == 8
    assert 'figure-placeholder photo' in page


# -- the command line ----------------------------------------------------------------------------

def test_command_line_import(tmp_path):
    out = tmp_path / 'draft'
    done = taiyaku('import', str(RAW), '--out', str(out), '--compare', 'source')
    assert done.returncode == 0, done.stderr
    assert '0 unaccounted' in done.stdout and f'draft and report in {out}/' in done.stdout
    assert 'agreement with source/' in done.stdout and 'headings             15/15' in done.stdout
    assert sorted(p.name for p in out.iterdir()) == [
        'index.rst', 'report.json', 'report.txt', 'section-5-1-1.rst', 'section-5-1-2.rst', 'section-5-1.rst',
        'section-5-2.rst', 'section-5-3.rst', 'section-5.rst']


def test_make_import_calls_the_command():
    done = subprocess.run(['make', '-n', 'import', 'RAW=raw/x.txt', 'OUT=build/x'], cwd=ROOT, capture_output=True, text=True)
    assert '-m taiyaku import raw/x.txt --out build/x' in done.stdout
    usage = subprocess.run(['make', '-s', 'import'], cwd=ROOT, capture_output=True, text=True)
    assert usage.returncode != 0 and 'usage: make import RAW=' in usage.stderr


# -- bad input -------------------------------------------------------------------------------------

BAD = {
    'empty': (b'', 'the file is empty'),
    'blank': (b'\n \n\t\n', 'only blank lines'),
    'binary': (b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR' + bytes(range(256)) * 4, 'binary file'),
    'latin': ('Lorem ipsum dolor sit amet.\nConsectetur adipiscing elit.\n'.encode() * 40, 'no recognisable structure'),
    'bad bytes': ('日本とロシアは、\n'.encode() * 3 + b'\xff\xfe\xfd\x80\x80 broken\n', ':4: byte 0xff is neither UTF-8 nor Shift_JIS'),
    'no paragraph': ('第５節\n\nロシア\n'.encode(), 'no paragraph of running text'),
}


@pytest.mark.parametrize('name', BAD)
def test_bad_input_is_refused_clearly(tmp_path, name):
    data, message = BAD[name]
    raw = tmp_path / f'{name}.txt'
    raw.write_bytes(data)
    out = tmp_path / 'out'
    done = taiyaku('import', str(raw), '--out', str(out))
    assert done.returncode == 1
    assert f'taiyaku: import failed: {raw}' in done.stderr and message in done.stderr
    assert 'Traceback' not in done.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == [raw]      # nothing written, no half-written folder


def test_missing_file(tmp_path):
    done = taiyaku('import', str(tmp_path / 'nope.txt'), '--out', str(tmp_path / 'out'))
    assert done.returncode == 1 and 'nope.txt: cannot read: No such file or directory' in done.stderr


def test_shift_jis_is_decoded_and_said_so(tmp_path, seed):
    raw = tmp_path / 'sjis.txt'
    raw.write_bytes(RAW.read_text(encoding='utf-8').encode('cp932'))
    done = taiyaku('import', str(raw), '--out', str(tmp_path / 'out'))
    assert done.returncode == 0, done.stderr
    assert 'note: decoded as Shift_JIS/CP932' in done.stdout
    report = json.loads((tmp_path / 'out' / 'report.json').read_text(encoding='utf-8'))
    assert report['input']['encoding'] == 'cp932' and report['accounting']['unaccounted'] == 0
    assert readback.read(tmp_path / 'out').blocks == seed[1].blocks


def test_byte_order_mark_and_crlf(tmp_path, seed):
    raw = tmp_path / 'bom.txt'
    raw.write_bytes(b'\xef\xbb\xbf' + RAW.read_text(encoding='utf-8').replace('\n', '\r\n').encode())
    result = run(raw, tmp_path / 'out')
    assert result.ok and 'byte order mark' in result.report['input']['notes'][0]
    assert result.report['accounting']['dropped']['line-break'] == 2 * 477
    assert readback.read(tmp_path / 'out').blocks == seed[1].blocks


def test_import_failure_names_file_and_line():
    with pytest.raises(ImportFailure) as caught:
        convert('日本\n'.encode() + b'\x81\x00', 'x.txt', Path('/nonexistent/out'))
    assert str(caught.value).startswith('x.txt:2: binary file')


# -- the output folder -------------------------------------------------------------------------------

def test_a_failed_import_leaves_the_last_draft(tmp_path):
    out = tmp_path / 'draft'
    assert taiyaku('import', str(RAW), '--out', str(out)).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    empty = tmp_path / 'empty.txt'
    empty.write_bytes(b'')
    assert taiyaku('import', str(empty), '--out', str(out)).returncode == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ['draft', 'empty.txt']


def test_a_crash_while_writing_leaves_nothing(tmp_path, monkeypatch):
    from taiyaku.importer import pipeline

    def broken(folder):
        raise OSError(28, 'No space left on device')

    monkeypatch.setattr(pipeline.readback, 'read', broken)
    with pytest.raises(OSError):
        run(RAW, tmp_path / 'draft')
    assert list(tmp_path.iterdir()) == []


def test_an_earlier_import_is_replaced_other_folders_are_not(tmp_path):
    """An earlier import is replaced; a file the import did not write stays; a folder
    that is not an import is refused (tests/test_importer_inputs.py: edited drafts)."""
    out = tmp_path / 'draft'
    assert taiyaku('import', str(RAW), '--out', str(out)).returncode == 0
    (out / 'notes.txt').write_text('the editor\'s notes', encoding='utf-8')
    assert taiyaku('import', str(RAW), '--out', str(out)).returncode == 0
    assert (out / 'notes.txt').read_text(encoding='utf-8') == 'the editor\'s notes'
    mine = tmp_path / 'mine'
    mine.mkdir()
    (mine / 'notes.txt').write_text('keep me', encoding='utf-8')
    done = taiyaku('import', str(RAW), '--out', str(mine))
    assert done.returncode == 1 and 'is not an earlier import' in done.stderr
    assert [p.name for p in mine.iterdir()] == ['notes.txt']


def test_a_longer_input_with_repeated_numbers(tmp_path):
    """Three sections' worth (the 2011 text three times): numbers repeat, labels stay unique,
    and nothing is lost. (Speed at 1×, 10×, 100×: tests/importer_benchmark.py.)"""
    seed = RAW.read_text(encoding='utf-8')
    result = convert('\n'.join([seed] * 3).encode('utf-8'), 'three.txt', tmp_path / 'out')
    assert result.ok and result.report['accounting']['unaccounted'] == 0
    assert result.report['draft']['paragraphs'] == 3 * 34 and len(result.report['footnotes']) == 27
    labels = [heading['label'] for heading in result.report['headings']]
    assert len(labels) == len(set(labels)) == 3 * 14
    assert {'section-5', 'section-5-repeat-2', 'section-5-repeat-3', 'section-5-repeat-2-1-1-a'} <= set(labels)
    assert len(result.report['draft']['documents']) == 1 + 3 * 6


def test_a_50_megabyte_file_is_refused_before_it_is_read(tmp_path):
    huge = tmp_path / 'huge.txt'
    with huge.open('wb') as handle:
        handle.truncate(50_000_000)                      # sparse: 50 MB without writing them
    out = tmp_path / 'out'
    toolchain = str(Path(__file__).resolve().parent.parent)
    # run outside any project: an import may start a new one
    result = subprocess.run([sys.executable, '-m', 'taiyaku', 'import', str(huge), '--out', str(out)],
                            cwd=tmp_path, capture_output=True, text=True, env={**os.environ, 'PYTHONPATH': toolchain})
    assert result.returncode == 1
    assert 'huge.txt: 50 MB is more than one extraction' in result.stderr and 'refused before reading it' in result.stderr
    assert 'Traceback' not in result.stderr
    assert not out.exists()
