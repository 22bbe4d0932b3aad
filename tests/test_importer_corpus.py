"""The importer on documents it was not written for: the corpus (tests/corpus/: three
sections of our own, typeset by upLaTeX in four layouts), imported from the PDF itself
and from the text each extractor makes of it, and scored against the source it was
typeset from; and the project's own PDF imported back into its master.

- **PDF**: every check exact — paragraphs in order, heading levels, every ruby pair,
  footnotes anchored after the right word, no furniture, captions as figures.
- **pdftotext -raw, PDFium**: the same, except where the text cannot tell: a sentence
  that ends at the end of a full line, with the paragraph indent gone from the text
  and the punctuation inside the line squeezed, may or may not end its paragraph. There a
  paragraph may come out joined or split — and the report must flag a line of it.
- **pdftotext (default), pdf2txt.py**: on two columns they interleave the columns: refused,
  naming -raw and the PDF itself; on one column they scatter notes, readings and line
  pieces: the draft is never marked ok unless it is right.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from taiyaku import lint
from taiyaku.importer import ImportFailure, compare, convert, readback

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'tests' / 'corpus'))
import build as corpus_build  # noqa: E402
import corpus  # noqa: E402

CASES = [(layout, section) for layout in corpus_build.LAYOUTS for section in corpus_build.SECTIONS]
SEQUENTIAL = ('raw', 'pdfium')          # extractors that keep the reading order
ACROSS = ('pdftotext', 'pdfminer')      # extractors that read across the page


@pytest.fixture(scope='module')
def built_corpus() -> Path:
    return corpus_build.build()


def imported(source: Path, out: Path):
    result = convert(source.read_bytes(), str(source), out)
    return result, readback.read(out)


def flagged_lines(report: dict) -> set[int]:
    lines = {doubt.get('line', 0) for doubt in report['uncertainties']}
    lines |= {r[side]['line'] for r in report['rejoins'] if r.get('confirm') for side in ('before', 'after')}
    return lines


def unflagged_paragraphs(want, draft, report) -> list[str]:
    """Paragraphs of the draft that are not in the source, and that the report does not flag."""
    expected = {b.text for b in want if b.kind == 'paragraph'}
    flagged = flagged_lines(report)
    wrong = []
    for block in draft.blocks:
        if block.kind != 'paragraph' or block.text in expected:
            continue
        text = compare.plain(block.text)
        entry = next((p for p in report['paragraphs'] if text.startswith(p['starts']) and text.endswith(p['ends'])), None)
        if entry is None or not any(line in flagged for line in entry['lines']):
            wrong.append(text[:40])
    return wrong


@pytest.mark.parametrize('layout,section', CASES)
def test_the_pdf_itself_scores_every_check(built_corpus, tmp_path, layout, section):
    result, draft = imported(built_corpus / layout / f'{section}.pdf', tmp_path / 'draft')
    assert result.report['status'] == 'ok' and result.report['accounting']['unaccounted'] == 0
    assert corpus.misses(corpus.expected(section), draft) == {}
    assert result.report['input']['encoding'] == 'pdf'


@pytest.mark.parametrize('extractor', SEQUENTIAL)
@pytest.mark.parametrize('layout,section', CASES)
def test_a_sequential_extraction_scores_every_check(built_corpus, tmp_path, layout, section, extractor):
    result, draft = imported(built_corpus / layout / f'{section}.{extractor}.txt', tmp_path / 'draft')
    assert result.report['status'] == 'ok' and result.report['accounting']['unaccounted'] == 0
    want = corpus.expected(section)
    misses = corpus.misses(want, draft)
    paragraphs = misses.pop('paragraphs', None)
    assert misses == {}
    if paragraphs:
        assert unflagged_paragraphs(want, draft, result.report) == [], paragraphs


@pytest.mark.parametrize('extractor', ACROSS)
@pytest.mark.parametrize('layout,section', CASES)
def test_an_extraction_that_reads_across_is_refused_or_never_ok_when_wrong(built_corpus, tmp_path, layout, section,
                                                                          extractor):
    source = built_corpus / layout / f'{section}.{extractor}.txt'
    columns = corpus_build.LAYOUTS[layout].columns
    try:
        result, draft = imported(source, tmp_path / 'draft')
    except ImportFailure as failure:
        assert 'interleaved' in str(failure) and 'pdftotext -raw' in str(failure) and 'the PDF itself' in str(failure)
        return
    assert columns == 1, 'two interleaved columns must be refused'
    if result.report['status'] == 'ok':
        assert corpus.misses(corpus.expected(section), draft) == {}
    else:
        assert result.report['warnings'] and any('PDF itself' in warning or 'cut short' in warning
                                                 for warning in result.report['warnings'])


def test_the_corpus_is_what_the_issue_asks_for():
    """Headings at three levels and more, group and per-character ruby, footnotes, a
    photo caption, figures with decimals and 万/億; one and two columns, footnotes at the
    column and the page foot, mono and jukugo ruby, running heads left and right."""
    blocks = [b for section in corpus_build.SECTIONS for b in corpus.expected(section)]
    assert {depth for b in blocks if b.kind == 'heading' for depth in [b.depth]} >= {1, 2, 3, 4, 5}
    ruby = [m for b in blocks for m in compare.RUBY.finditer(b.text)]
    assert any('|' in m[2] for m in ruby) and any('|' not in m[2] for m in ruby)
    assert sum(b.kind == "footnote" for b in blocks) == 7 and sum(b.kind == 'figure' for b in blocks) == 3
    text = ''.join(b.text for b in blocks)
    assert '1.2' in text and '8.5' in text and '万' in text and '億' in text
    layouts = corpus_build.LAYOUTS.values()
    assert {l.columns for l in layouts} == {1, 2} and {l.footnotes for l in layouts} == {'column', 'page'}
    assert {l.ruby for l in layouts} == {'mono', 'jukugo'} and {l.head for l in layouts} == {'left', 'right'}


def test_paragraphs_continued_across_columns_and_pages_are_rejoined_and_listed(built_corpus, tmp_path):
    result, draft = imported(built_corpus / 'two-column-page-notes' / 'arctic.pdf', tmp_path / 'draft')
    kinds = {r['kind']: r for r in result.report['rejoins']}
    assert kinds['page break']['before']['page'] == 1 and kinds['page break']['after']['page'] == 2
    assert kinds['column break']['before']['position'][0] < kinds['column break']['after']['position'][0]
    assert all(len(r['before']['position']) == 4 for r in result.report['rejoins'])
    # and every other finding has its page
    assert all('pages' in h for h in result.report['headings'])
    assert all('reference_page' in f and 'body_pages' in f for f in result.report['footnotes'])
    assert all('base_pages' in r for r in result.report['ruby'])
    assert all('page' in d for d in result.report['dropped_lines'])


# -- the project's own PDF ---------------------------------------------------------------------------

def test_the_projects_own_pdf_gives_back_the_master(built, tmp_path):
    pdf = built / 'pdf' / 'ja' / 'bluebook-2011-ch2-sec5-ja.pdf'
    result, draft = imported(pdf, tmp_path / 'draft')
    assert result.report['status'] == 'ok'
    agreement = compare.agreement(readback.read(ROOT / 'source'), draft)
    for name, score in agreement.items():
        assert (score['matched'], score['found']) == (score['total'], score['total']), (name, compare.summary(agreement))
    assert {name: score['total'] for name, score in agreement.items() if score['total']} == {
        'paragraphs': 34, 'headings': 15, 'footnotes': 9, 'ruby': 5, 'figures': 5, "the original's pages": 3,
        'everything in order': 63}
    # the original's pages from the margin (原本 96, 97, 98 beside a hairline), not the book's own folios
    assert [(entry['original_page'], entry['page'], entry['at']) for entry in result.report['original_pages']] == [
        (96, 3, 'before the block'), (97, 3, 'before the block'), (98, 5, 'inside the block')]
    # the draft is as clean as the master for the master lint
    assert [str(f) for path in sorted((tmp_path / 'draft').glob('*.rst')) for f in lint.check_file(path)] == \
        [str(f) for path in sorted((ROOT / 'source').rglob('*.rst')) for f in lint.check_file(path)] == []
    reasons = {item['reason'] for item in result.report['dropped_lines']}
    assert {'title page', 'table of contents', 'running head', 'folio (page number)'} <= reasons
    assert any(reason.startswith("the publication's apparatus") for reason in reasons)


def test_the_projects_own_pdf_as_raw_text_is_never_ok_when_wrong(built, tmp_path):
    """Its `pdftotext -raw` text: the book's pages (title, contents, apparatus) and furniture
    dropped, the original's pages found from the marks its contents list — and where the draft
    is not the master, the status says so."""
    text = tmp_path / 'own.raw.txt'
    subprocess.run(['pdftotext', '-raw', '-enc', 'UTF-8', str(built / 'pdf' / 'ja' / 'bluebook-2011-ch2-sec5-ja.pdf'),
                    str(text)], check=True)
    result, draft = imported(text, tmp_path / 'draft')
    assert result.report['accounting']['unaccounted'] == 0
    agreement = compare.agreement(readback.read(ROOT / 'source'), draft)
    exact = all((score['matched'], score['found']) == (score['total'], score['total']) for score in agreement.values())
    assert result.report['status'] == 'ok' or not exact
    assert exact or result.report['status'] != 'ok', compare.summary(agreement)
    reasons = {item['reason'].split(',')[0] for item in result.report['dropped_lines']}
    assert {'title page', 'table of contents', 'running head', 'folio (page number)',
            "the publication's apparatus (奥付)", "the original's page (its number in the margin)"} <= reasons
    pages = [(entry['original_page'], entry['at'], 'confirm' in entry) for entry in result.report['original_pages']]
    assert pages == [(96, 'before the block', False), (97, 'before the block', False), (98, 'inside the block', True)]
    assert draft.pages[:2] == readback.read(ROOT / 'source').pages[:2]


def test_a_pdf_import_builds_with_the_project_extensions(built_corpus, tmp_path_factory, mini):
    """The draft of a two-column PDF is a master the project builds without a warning:
    ruby, footnotes, the photo placeholder, and the original's pages where its folios say."""
    draft = tmp_path_factory.mktemp('pdf-import') / 'draft'      # not inside the project mini builds
    result, _ = imported(built_corpus / 'two-column-column-notes' / 'arctic.pdf', draft)
    assert [(entry['original_page'], entry['page']) for entry in result.report['original_pages']] == [(1, 1), (2, 2)]
    sources = {path.stem: path.read_text(encoding='utf-8') for path in draft.glob('*.rst')}
    project = mini(sources)
    out = project.build('html')
    assert project.warnings == ''
    pages = ''.join(path.read_text(encoding='utf-8') for path in out.glob('*.html'))
    assert '<ruby' in pages and 'さいひょうせん' in pages and 'figure-placeholder photo' in pages
    assert pages.count('class="footnote-reference') == 3
    assert 'id="original-page-1"' in pages and 'id="original-page-2"' in pages
