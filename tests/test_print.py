"""The print editions, measured as a reader meets them (issue 16, and issue 15's PDF list).

Every page is rendered with pdftoppm and read back with poppler (``pdftotext -bbox-layout``)
and pdf.js (``pdfjs-dist``): two text columns on every body page, footnotes across the
page foot, figures beside their text, one folio style and page labels that match it, the
parallel edition's contents and footnote pairs, kinsoku, widows, headings kept with their
text, ruby clear of the line above, black print, metadata, ToUnicode maps, the Japanese
text given back exactly, and the printer's variant with bleed and crop marks.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import LATEX_OUTPUTS
from htmltext import body_text
from pdflayout import (MM, TEXT_BOTTOM, TEXT_TOP, body_pages, layout, normalised, outline_pages, page_labels,
                       pdfjs, render)
from taiyaku import editions
from tools import pdffonts, pdfinfo, pdftotext

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ('section', 'russia/index', 'russia/relations', 'russia/situation', 'central-asia', 'caucasus')
CHANGES = {'ja': 'この版での変更', 'en': 'Changes in this edition'}
PLACEHOLDERS = {'ja': ('写真は本版には収録していません', '図表は本版には収録していません'),
                'en': ('Photograph not reproduced in this edition', 'Chart not reproduced in this edition')}
FOOTNOTES = range(1, 10)
# JLReq 3.1.7, 3.1.8: characters that may not begin a line, or end one
NO_LINE_START = set('、。，．）〕］｝〉》」』】・：；？！ヽヾゝゞ々ー‐゠–〜ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ')
NO_LINE_END = set('（〔［｛〈《「『【')


def pdf_of(built: Path, language: str) -> Path:
    return next((built / 'pdf' / language).glob('*.pdf'))


@pytest.fixture(scope='module')
def pdfs(built, parallel_built) -> dict[str, Path]:
    return {'ja': pdf_of(built, 'ja'), 'en': pdf_of(built, 'en'),
            'parallel': next((parallel_built / 'pdf').glob('*.pdf'))}


def body_lines(page) -> list:
    """The page's lines as a reader sees them, in the text block (no running head, no folio)."""
    return [line for line in page.visual_lines() if line.y0 >= TEXT_TOP - 2 and line.y1 <= TEXT_BOTTOM + 2]


def columns(page) -> tuple[float, float, float]:
    """The text block's left edge, centre and right edge on a page of this edition."""
    lines = body_lines(page)
    left, right = min(line.x0 for line in lines), max(line.x1 for line in lines)
    return left, page.width / 2, right


def column_lines(page) -> tuple[list, list]:
    """The lines of the left column and of the right one, top to bottom (a line across the
    gutter — the section title, a footnote — belongs to neither)."""
    _, centre, _ = columns(page)
    lines = body_lines(page)
    return ([line for line in lines if line.x1 < centre - 2], [line for line in lines if line.x0 > centre + 2])


def body_of(pdfs, edition: str) -> range:
    titles = (CHANGES['ja'],) if edition == 'parallel' else (CHANGES[edition],)
    return body_pages(pdfs[edition], titles)


def master_paragraphs(built: Path, language: str, notes: bool = False) -> list[str]:
    """Every paragraph of the text as the HTML edition reads it (white space removed): the
    body's, or (``notes``) the footnotes'."""
    paragraphs = []
    for document in DOCUMENTS:
        html = (built / 'html' / language / f'{document}.html').read_text(encoding='utf-8')
        html = html[html.index('<div class="body"'):]
        html = html[:html.find('<footer') if '<footer' in html else len(html)]
        html = html[:html.find('class="footer"') if 'class="footer"' in html else len(html)]
        asides = ''.join(re.findall(r'<aside class="footnote.*?</aside>', html, re.DOTALL))
        figures = ''.join(re.findall(r'<figure.*?</figure>', html, re.DOTALL))
        source = asides if notes else re.sub(r'<aside class="footnote.*?</aside>|<figure.*?</figure>', '', html,
                                             flags=re.DOTALL)
        del figures
        for block in re.findall(r'<p>(.*?)</p>', source, re.DOTALL):
            text = body_text(block, fragment=True)
            if text:
                paragraphs.append(text)
    return paragraphs


def headings(built: Path, language: str) -> list[str]:
    found = []
    for document in DOCUMENTS:
        html = (built / 'html' / language / f'{document}.html').read_text(encoding='utf-8')
        found += [body_text(h, fragment=True) for h in re.findall(r'<h[1-6][^>]*>(.*?)</h[1-6]>', html, re.DOTALL)]
    return [heading for heading in found if heading]


# -- pages: every one rendered, none empty -----------------------------------------------------

@pytest.mark.parametrize('edition', ['ja', 'en', 'parallel'])
def test_every_page_renders_and_holds_something(pdfs, edition):
    pdf = pdfs[edition]
    for number in range(1, len(PdfReader(pdf).pages) + 1):
        width, height, _, pixels = render(pdf, number)
        assert width * 1.3 < height < width * 1.5, f'page {number} is not an A4 page'
        inked = sum(1 for value in pixels if value < 200)
        assert inked > 20, f'{edition} page {number} is empty'


@pytest.mark.parametrize('edition', ['ja', 'en', 'parallel'])
def test_print_is_black(pdfs, edition):
    """Text, headings and links print black (grey at most: the placeholders, the margin
    marks): no pixel has a colour."""
    pdf = pdfs[edition]
    for number in range(1, len(PdfReader(pdf).pages) + 1):
        _, _, _, pixels = render(pdf, number, dpi=40, colour=True)
        coloured = sum(1 for i in range(0, len(pixels) - 2, 3)
                       if max(pixels[i:i + 3]) - min(pixels[i:i + 3]) > 40)
        assert coloured == 0, f'{edition} page {number} has {coloured} coloured pixels'


@pytest.mark.parametrize('edition', ['ja', 'en', 'parallel'])
def test_links_stay_clickable(pdfs, edition):
    reader = PdfReader(pdfs[edition])
    links = [annotation for page in reader.pages for annotation in page.get('/Annots') or []
             if annotation.get_object().get('/Subtype') == '/Link']
    assert len(links) > 20      # the contents, the footnote references, the cross-references


# -- two columns, as printed ----------------------------------------------------------------------

@pytest.mark.parametrize('edition', ['ja', 'en'])
def test_two_text_columns_on_every_body_page(pdfs, edition):
    pages = layout(pdfs[edition])
    for number in body_of(pdfs, edition):
        left, right = column_lines(pages[number - 1])
        least = 1 if number == body_of(pdfs, edition).stop - 1 else 3      # the last page: balanced
        assert len(left) >= least and len(right) >= least, (
            f'{edition} page {number}: {len(left)} lines in the left column, {len(right)} in the right')


def test_japanese_measure_is_about_22_characters(pdfs):
    """Two columns of 22 full-width characters, as the printed Bluebook's 20–22."""
    pages = layout(pdfs['ja'])
    counts = Counter()
    for number in body_of(pdfs, 'ja'):
        for line in column_lines(pages[number - 1])[0]:
            text = line.text
            if len(text) >= 18 and re.fullmatch(r'[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]+', text):
                counts[len(text)] += 1
    assert counts and counts.most_common(1)[0][0] == 22, counts


def test_english_measure_is_comfortable(pdfs):
    pages = layout(pdfs['en'])
    lengths = [len(line.text) for number in body_of(pdfs, 'en')
               for line in column_lines(pages[number - 1])[0]]
    median = sorted(lengths)[len(lengths) // 2]
    assert 38 <= median <= 60, median        # was 115 characters a line in one column


def test_the_apparatus_spans_the_page(pdfs):
    """The changes page and the colophon are not set in columns."""
    pdf = pdfs['en']
    pages = layout(pdf)
    start = body_of(pdfs, 'en').stop
    for page in pages[start - 1:]:
        assert any(line.x0 < page.width / 2 - 10 < page.width / 2 + 10 < line.x1 for line in body_lines(page))


# -- JLReq: kinsoku, widows, headings with their text, ruby --------------------------------------------

@pytest.mark.parametrize('edition', ['ja', 'parallel'])
def test_kinsoku(pdfs, edition):
    pages = layout(pdfs[edition])
    for number in body_of(pdfs, edition):
        for line in body_lines(pages[number - 1]):
            text = line.text.strip()
            if not text:
                continue
            assert text[0] not in NO_LINE_START, f'page {number}: a line begins with {text[0]}: {text}'
            assert text[-1] not in NO_LINE_END, f'page {number}: a line ends with {text[-1]}: {text}'


@pytest.mark.parametrize('edition', ['ja', 'en'])
def test_no_widow_at_the_top_of_a_column(built, pdfs, edition):
    """A column never begins with the last line of a paragraph begun in the column before."""
    paragraphs = [normalised(p, edition == 'en') for p in master_paragraphs(built, edition)]
    pages = layout(pdfs[edition])
    for number in body_of(pdfs, edition):
        for column in column_lines(pages[number - 1]):
            if not column:
                continue
            top = normalised(column[0].text, edition == 'en')
            widowed = [p for p in paragraphs if p.endswith(top) and len(p) > len(top)]
            assert not widowed, f'{edition} page {number}: a column begins with a widow line: {column[0].text}'


@pytest.mark.parametrize('edition', ['ja', 'en'])
def test_headings_are_kept_with_their_text(built, pdfs, edition):
    """No heading is the last line of a column."""
    titles = {normalised(title, edition == 'en') for title in headings(built, edition)}
    pages = layout(pdfs[edition])
    for number in body_of(pdfs, edition):
        for column in column_lines(pages[number - 1]):
            if column:
                last = normalised(column[-1].text, edition == 'en')
                assert last not in titles, f'{edition} page {number}: the heading {column[-1].text} ends a column'


@pytest.mark.parametrize('edition', ['ja', 'parallel'])
def test_ruby_never_touches_the_line_above(pdfs, edition):
    pages = layout(pdfs[edition])
    readings = {'くなしり', 'しこたん', 'はぼまい', 'えとろふ', 'もりひろ'}
    seen = 0
    for page in pages:
        normal = [word for word in page.words if word.height > 6]
        for word in page.words:
            if word.text not in readings and not any(word.text == r[:len(word.text)] and len(word.text) > 1
                                                     for r in readings):
                continue
            if word.height > 6:
                continue
            seen += 1
            above = [w for w in normal if w.y1 <= word.y1 and w.x0 < word.x1 and w.x1 > word.x0]
            if above:
                nearest = max(above, key=lambda w: w.y1)
                assert nearest.y1 <= word.y0 + 0.5, (
                    f'page {page.number}: the reading {word.text} ({word.y0:.1f}) runs into {nearest.text} '
                    f'above it (down to {nearest.y1:.1f})')
    assert seen >= 5


# -- indents --------------------------------------------------------------------------------------------

def test_japanese_paragraphs_are_indented_one_character_without_space_between(built, pdfs):
    """As printed and as in the HTML and EPUB: the first line of a paragraph one full-width
    character in, and no more space before it than between any two lines."""
    pages = layout(pdfs['ja'])
    paragraphs = [p for p in master_paragraphs(built, 'ja') if len(p) > 30]
    starts = {p[:8] for p in paragraphs}
    indents, gaps = [], []
    for number in body_of(pdfs, 'ja'):
        for column in column_lines(pages[number - 1]):
            if len(column) < 3:
                continue
            edges = sorted(line.x0 for line in column)
            edge = edges[len(edges) // 2]                       # where a line of text begins
            for before, line in zip(column, column[1:]):
                if normalised(line.text)[:8] in starts and line.height > 9:     # the text's size, not a caption's
                    indents.append(round(line.x0 - edge, 1))
                    if any(p.endswith(normalised(before.text)) for p in paragraphs):   # after a paragraph
                        gaps.append(round(line.y1 - before.y1, 1))
    assert len(indents) > 20 and len(gaps) > 10
    zw = Counter(indents).most_common(1)[0][0]
    assert 9 < zw < 10.5 and all(abs(indent - zw) < 0.6 for indent in indents), indents
    pitch = Counter(gaps).most_common(1)[0][0]
    assert all(abs(gap - pitch) < 1.5 for gap in gaps), f'space between paragraphs: {sorted(set(gaps))}'


# -- footnotes -----------------------------------------------------------------------------------------

def note_lines(page):
    """The lines below the footnote rule: from the first line that starts with a note number."""
    lines = sorted(body_lines(page), key=lambda line: line.y0)
    for index, line in enumerate(lines):
        if re.match(r'[1-9](?!\d)', line.text) and index > 0 and line.y0 > lines[0].y0 + 100:
            if all(re.match(r'[1-9]', later.text) or later.x0 > line.x0 + 5 for later in lines[index:index + 1]):
                return lines[index:]
    return []


@pytest.mark.parametrize('edition', ['ja', 'en'])
def test_footnotes_run_across_the_foot_of_the_page_numbered_continuously(pdfs, edition):
    pages = layout(pdfs[edition])
    numbers = []
    for number in body_of(pdfs, edition):
        page = pages[number - 1]
        _, centre, _ = columns(page)
        starts = sorted(line.x0 for line in column_lines(page)[0])
        left = starts[len(starts) // 2]
        labels = [w for w in page.words if re.fullmatch(r'[1-9]', w.text) and abs(w.x0 - left) < 1
                  and 6.5 < w.height < 8]            # a note's number: the notes' size, at the left edge
        numbers += [int(w.text) for w in sorted(labels, key=lambda w: w.y0)]
        if labels:
            top = min(w.y0 for w in labels)
            notes = [line for line in body_lines(page) if line.y0 >= top - 3]
            assert any(line.x0 < centre - 30 and line.x1 > centre + 30 for line in notes), (
                f'{edition} page {number}: its footnotes do not run across the page')
            assert not [line for line in body_lines(page) if line.y0 > max(l.y1 for l in notes)], (
                f'{edition} page {number}: text below its footnotes')
    assert numbers == list(FOOTNOTES), numbers


@pytest.mark.parametrize('edition', ['ja', 'en'])
def test_footnote_references_are_plain_raised_numbers(pdfs, edition):
    """「日ソ共同宣言2、」, not jsbook's *2."""
    text = ''.join(page.text() for page in layout(pdfs[edition]))
    assert '*' not in text and '∗' not in text
    runs = [item for page in pdfjs(pdfs[edition]) for item in page['items'] if re.fullmatch(r'[1-9]', item['str'])]
    raised = [item for item in runs if item['size'] < 7.5]
    assert len(raised) >= len(FOOTNOTES)


def test_parallel_footnotes_stand_side_by_side_at_the_foot(pdfs):
    pdf = pdfs['parallel']
    pages = layout(pdf)
    found = set()
    for number in body_of(pdfs, 'parallel'):
        page = pages[number - 1]
        words = [w for w in page.words if re.fullmatch(r'[1-9]', w.text) and w.y0 > TEXT_TOP + 20]
        body = [line for line in body_lines(page) if line.height > 9.5]
        for label in words:
            if not [line for line in body if line.y1 < label.y0]:
                continue
            twins = [w for w in words if w.text == label.text and abs(w.y0 - label.y0) < 1.5 and w.x0 > label.x0 + 100]
            if label.x0 < page.width / 2 and twins:
                found.add(int(label.text))
                # at the foot: below the text of the page
                assert label.y0 > max(line.y1 for line in body if line.y1 < label.y0) - 1
    assert found == set(FOOTNOTES), found


# -- figures -------------------------------------------------------------------------------------------

@pytest.mark.parametrize('edition', ['ja', 'en', 'parallel'])
def test_no_page_is_left_to_a_figure(pdfs, edition):
    """A page with a placeholder still holds at least a third of a page of text."""
    language = 'ja' if edition == 'parallel' else edition
    pages = layout(pdfs[edition])
    for number in body_of(pdfs, edition):
        page = pages[number - 1]
        text = page.text()
        if not any(normalised(p) in normalised(text) for p in PLACEHOLDERS[language]):
            continue
        lines = [line for line in body_lines(page) if not any(normalised(line.text) in normalised(p)
                                                               for p in PLACEHOLDERS[language])]
        filled = sum(line.height for line in lines) * 1.6       # a line and its leading
        area = (TEXT_BOTTOM - TEXT_TOP) * 2                     # two columns (or two sides of pairs)
        assert filled > area / 3, f'{edition} page {number}: text fills {filled / area:.0%} of the page'


@pytest.mark.parametrize('edition', ['ja', 'en'])
def test_a_placeholder_stays_within_a_page_of_its_paragraph_with_its_caption(built, pdfs, edition):
    pages = layout(pdfs[edition])
    html = (built / 'html' / edition / 'russia/relations.html').read_text(encoding='utf-8')
    captions = [body_text(c, fragment=True) for c in re.findall(r'<figcaption>(.*?)</figcaption>', html, re.DOTALL)]
    assert captions
    for caption in captions:
        start = normalised(caption, edition == 'en')[:8]
        where = [page.number for page in pages if page.number in body_of(pdfs, edition)
                 and start in normalised(page.text(), edition == 'en')]
        assert where, caption
        page = pages[where[0] - 1]
        box = [line for line in body_lines(page) if normalised(line.text) in map(normalised, PLACEHOLDERS[edition])]
        cap = [line for line in body_lines(page) if normalised(line.text, edition == 'en').startswith(start[:6])]
        assert box and cap, f'page {page.number}: the caption {caption[:20]} without its box'
        # the caption right under its box, in the same column
        assert any(0 < c.y0 - b.y1 < 90 and c.x0 < b.x1 and c.x1 > b.x0 for b in box for c in cap)


def test_the_charts_legend_is_inside_its_figure(built, pdfs):
    page = next(p for p in layout(pdfs['ja']) if '日ソ・日露貿易高の推移' in p.text())
    lines = body_lines(page)
    box = next(line for line in lines if line.text == PLACEHOLDERS['ja'][1])
    caption = next(line for line in lines if line.text == '日ソ・日露貿易高の推移')
    for item in ('日本の輸出額（億円）', '日本の輸入額（億円）', '貿易総額（百万米ドル）', '貿易総額（億円）'):
        line = next(line for line in lines if item in line.text)
        assert box.y1 < line.y0 < caption.y0, f'{item} is not between the box label and the caption'


# -- folios and page labels ----------------------------------------------------------------------------

@pytest.mark.parametrize('edition', ['ja', 'en', 'parallel'])
def test_one_folio_style_and_page_labels_that_match_it(pdfs, edition):
    pdf = pdfs[edition]
    labels = page_labels(pdf)
    assert labels[0] == 'i' and labels[1] == 'ii' and len(set(labels)) == len(labels), labels
    assert labels[labels.index('1'):] == [str(n) for n in range(1, len(labels) - labels.index('1') + 1)]
    positions = set()
    for page, label in zip(layout(pdf), labels):
        foot = page.foot_words()
        if page.number == 1:
            assert not foot, 'the title page prints no folio'
            continue
        assert len(foot) == 1 and foot[0].text == label, f'{edition} page {page.number}: folio {foot} for {label}'
        positions.add((round((foot[0].x0 + foot[0].x1) / 2), round(foot[0].y1)))
    assert len({y for _, y in positions}) == 1, positions                   # one height on every page
    assert all(abs(x - round(layout(pdf)[0].width / 2)) <= 1 for x, _ in positions), positions     # centred


@pytest.mark.parametrize('edition', ['ja', 'en', 'parallel'])
def test_the_original_pages_are_listed_with_where_they_begin_here(pdfs, edition):
    pdf = pdfs[edition]
    labels = page_labels(pdf)
    pages = layout(pdf)
    listing = ''.join(line.text for page in pages[1:labels.index('1')] for line in page.visual_lines())
    mark = '原本' if edition != 'en' else 'orig.'
    for original in ('96', '97', '98'):
        entry = re.search(rf'(?:原本{original}ページ|Page{original}oftheoriginal)[.\s]*?(\d+)(?!\d)',
                          normalised(listing))
        assert entry, f'{edition}: page {original} of the original is not listed'
        here = entry.group(1)
        marked = [page for page in pages if any(w.text == original for w in page.words if w.height < 6)
                  and any(w.text == mark for w in page.words if w.height < 6)]
        assert marked and labels[marked[0].number - 1] == here, (original, here)


def test_original_page_98_is_marked_in_the_margin_where_it_begins(pdfs):
    pages = layout(pdfs['ja'])
    page = next(p for p in pages if any(w.text == '98' and w.height < 6 for w in p.words))
    label = next(w for w in page.words if w.text == '98' and w.height < 6)
    edges = sorted(line.x0 for line in column_lines(page)[0])
    left, right = edges[len(edges) // 2], max(line.x1 for line in column_lines(page)[1])
    assert label.x1 < left or label.x0 > right             # in the margin, outside the text
    line = min(body_lines(page), key=lambda l: abs(l.y0 - label.y0))
    assert 'ギー分野' in line.text or 'エネル' in line.text


# -- the parallel edition's contents -------------------------------------------------------------------

def test_parallel_contents_give_both_languages_and_their_page_numbers(pdfs):
    pdf = pdfs['parallel']
    labels = page_labels(pdf)
    pages = layout(pdf)
    toc = [line for page in pages[1:labels.index('1')] for line in body_lines(page)]
    bookmarks = [(title, page) for title, page in outline_pages(pdf) if ' / ' in title]
    assert len(bookmarks) > 15
    right_edges = set()
    for title, page in bookmarks:
        japanese, english = title.split(' / ', 1)
        number = labels[page - 1]
        for text in (japanese, english):
            line = next((line for line in toc if normalised(line.text, True).startswith(normalised(text, True)[:10])),
                        None)
            assert line, f'{text} is not in the contents'
            assert re.search(rf'\.\s*{number}$', line.text) or line.text.endswith(number), (line.text, number)
            right_edges.add(round(line.x1))
            leaders = re.findall(r'\.{3,}|(?:\. ){3,}', line.text)
            assert leaders or line.text.count('.') >= 3, f'no leaders: {line.text}'
    assert max(right_edges) - min(right_edges) <= 6, right_edges      # the numbers aligned at the right


# -- what the PDF says it holds ------------------------------------------------------------------------

@pytest.mark.parametrize('edition, language', [('ja', 'ja'), ('en', 'en'), ('parallel', 'ja')])
def test_lang_and_xmp_metadata(pdfs, edition, language):
    reader = PdfReader(pdfs[edition])
    assert reader.trailer['/Root']['/Lang'] == language
    info = pdfinfo(pdfs[edition])             # poppler finds the document information (after the ToUnicode update)
    assert '2011' in info['Title'] and info['Author'].strip() in ('外務省', 'Ministry of Foreign Affairs of Japan')
    xmp = reader.xmp_metadata
    assert xmp is not None
    assert xmp.dc_title and any('2011' in title for title in xmp.dc_title.values())
    assert xmp.dc_creator and xmp.dc_creator[0] in ('外務省', 'Ministry of Foreign Affairs of Japan')
    assert xmp.dc_language == [language]
    packet = reader.trailer['/Root']['/Metadata'].get_object().get_data().decode('utf-8')
    current = editions.current(ROOT / 'editions.toml')
    assert f'<xmpMM:VersionID>{current.id}</xmpMM:VersionID>' in packet          # the edition's id
    assert current.label['ja' if language == 'ja' else 'en'] in packet


@pytest.mark.parametrize('edition', ['ja', 'en', 'parallel'])
def test_every_font_is_embedded_with_a_tounicode_map(pdfs, edition):
    fonts = pdffonts(pdfs[edition])
    # the Japanese fonts wherever there is Japanese: always in ja and parallel; in the English
    # edition only where its changes page quotes a correction of the Japanese master
    japanese = re.search(r'[\u3040-\u30ff\u4e00-\u9fff]', pdftotext(pdfs[edition]))
    assert japanese or edition == 'en'
    if japanese:
        assert any('HaranoAji' in f['name'] or 'Noto' in f['name'] for f in fonts)
    for font in fonts:
        assert font['emb'] == 'yes' and font['uni'] == 'yes', font


def test_the_english_pages_are_the_same_without_xecjk(built, tmp_path):
    """taiyaku.ext.latin_text leaves xeCJK out of an English text without Japanese: every page
    of the English PDF is the same, pixel for pixel, as with xeCJK loaded."""
    from taiyaku.ext.latin_text import LATIN_OPTION

    latex = ROOT / 'build' / '.work' / 'latex' / 'en'
    tex = next(latex.glob('*.tex'))
    assert LATIN_OPTION in tex.read_text(encoding='utf-8')      # this edition's English quotes no Japanese
    pages = {}
    for variant in ('latin', 'xecjk'):
        folder = tmp_path / variant
        shutil.copytree(latex, folder, ignore=shutil.ignore_patterns(*LATEX_OUTPUTS))
        copy = folder / tex.name
        if variant == 'xecjk':
            copy.write_text(copy.read_text(encoding='utf-8').replace(LATIN_OPTION + '\n', ''), encoding='utf-8')
        subprocess.run(['latexmk', '-xelatex', '-interaction=nonstopmode', '-halt-on-error', '-silent', copy.name],
                       cwd=folder, check=True, capture_output=True)
        log = copy.with_suffix('.log').read_text(encoding='utf-8', errors='replace')
        assert ('xeCJK' in log) is (variant == 'xecjk')
        assert 'Missing character' not in log
        subprocess.run(['pdftoppm', '-r', '40', '-png', copy.with_suffix('.pdf').name, 'page'], cwd=folder, check=True)
        pages[variant] = {png.name: png.read_bytes() for png in sorted(folder.glob('page-*.png'))}
    assert len(pages['latin']) > 4
    assert pages['latin'] == pages['xecjk']


def pdfjs_body_text(pdf: Path, pages: range) -> str:
    """pdf.js's text of these pages: the text block only (not the running heads and folios),
    without the ruby readings, the margin marks and the raised footnote references."""
    runs = []
    for number, page in enumerate(pdfjs(pdf), start=1):
        if number not in pages:
            continue
        for item in page['items']:
            text = item['str']
            if not text.strip() or not (TEXT_TOP - 2 <= item['y'] <= TEXT_BOTTOM + 2) or item['size'] < 6.5:
                continue
            if re.fullmatch(r'\s*\d+\s*', text) and item['size'] < 7.5:
                continue
            runs.append(text)
    return ''.join(runs)


def raised(word, words) -> bool:
    """A footnote reference: a number set higher than the words it touches."""
    touching = [other for other in words if other is not word and other.height > 8 and abs(other.y1 - word.y1) < 6
                and (abs(other.x0 - word.x1) < 3 or abs(word.x0 - other.x1) < 3)]
    return bool(touching) and word.y1 < min(other.y1 for other in touching) - 1.2


def poppler_body_text(pdf: Path, pages: range) -> str:
    words = []
    for page in layout(pdf):
        if page.number in pages:
            inside = [w for w in page.words if TEXT_TOP - 2 <= w.y0 and w.y1 <= TEXT_BOTTOM + 2 and w.height > 6]
            words += [w.text for w in inside if not (re.fullmatch(r'\d+', w.text) and raised(w, inside))]
    return ''.join(words)


@pytest.mark.parametrize('tool', ['pdftotext', 'pdf.js'])
@pytest.mark.parametrize('edition', ['ja', 'en'])
def test_the_text_comes_back_exactly(built, pdfs, edition, tool):
    """Every character of the text, as the master (or the translation) has it, comes back
    from the PDF — no more, no fewer: the furniture aside (running heads, folios, the
    placeholders' wording, the footnotes' numbers), the body pages hold exactly the text."""
    latin = edition == 'en'
    master = Counter(normalised(''.join(body_text((built / 'html' / edition / f'{d}.html').read_text(encoding='utf-8'))
                                        for d in DOCUMENTS), latin))
    pages = body_of(pdfs, edition)
    text = (poppler_body_text if tool == 'pdftotext' else pdfjs_body_text)(pdfs[edition], pages)
    found = Counter(normalised(text, latin))
    furniture = Counter(normalised(''.join(str(n) for n in FOOTNOTES), latin))
    for placeholder in PLACEHOLDERS[edition]:
        count = normalised(text, latin).count(normalised(placeholder, latin))
        furniture += Counter({char: n * count for char, n in Counter(normalised(placeholder, latin)).items()})
    assert master - found == Counter(), f'{tool}: characters of the text missing from the PDF'
    assert found - master == furniture, f'{tool}: characters in the PDF that the text does not have'


def test_japanese_text_comes_back_in_reading_order(built, pdfs):
    """Read column by column, page by page (the footnotes, captions, ruby readings and
    raised numbers aside), pdftotext gives back every paragraph of the master unbroken."""
    pages = layout(pdfs['ja'])
    stream = []
    for number in body_of(pdfs, 'ja'):
        page = pages[number - 1]
        # body text is set at 9.2 pt (Japanese) and 10 pt (Latin); notes, captions, ruby are smaller
        lines = [line for line in page.visual_lines(small=8.5) if TEXT_TOP - 2 <= line.y0 and line.y1 <= TEXT_BOTTOM + 2]
        centre = page.width / 2
        for side in (lambda line: line.x1 < centre, lambda line: line.x0 > centre):
            stream += [line.text for line in lines if side(line)]
    text = normalised(''.join(stream))
    paragraphs = master_paragraphs(built, 'ja')
    assert len(paragraphs) > 30
    for paragraph in paragraphs:
        assert paragraph in text, f'not read back in order: {paragraph[:40]}…'


# -- the printer's PDF ---------------------------------------------------------------------------------

@pytest.fixture(scope='module')
def printed(built, pdfs):
    before = {edition: pdf.read_bytes() for edition, pdf in pdfs.items()}
    result = subprocess.run([sys.executable, '-m', 'taiyaku', 'build', 'pdf', 'parallel', '--print'],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return before


def test_print_pdf_has_bleed_and_crop_marks_and_leaves_the_reading_pdf_alone(printed, pdfs):
    for edition, pdf in pdfs.items():
        assert pdf.read_bytes() == printed[edition], f'the reading PDF of {edition} changed'
        folder = ROOT / 'build' / ('parallel/print' if edition == 'parallel' else f'print/{edition}')
        press = next(folder.glob('*.pdf'))
        page = PdfReader(press).pages[2]
        trim = [float(v) for v in page.trimbox]
        bleed = [float(v) for v in page.bleedbox]
        media = [float(v) for v in page.mediabox]
        assert abs((trim[2] - trim[0]) - 595.28) < 0.5 and abs((trim[3] - trim[1]) - 841.89) < 0.5   # A4 trim
        assert all(abs(abs(b - t) - 3 * MM) < 0.3 for b, t in zip(bleed, trim))                       # 3 mm bleed
        assert media[2] > bleed[2] + 20 and media[3] > bleed[3] + 20                               # room for marks
        assert len(PdfReader(press).pages) == len(PdfReader(pdf).pages)
        # crop marks: ink in the corners of the sheet, outside the trim
        width, height, _, pixels = render(press, 3, dpi=30)
        scale = width / (media[2] - media[0])
        corner = [pixels[y * width + x] for y in range(0, int(trim[1] * scale) - 2)
                  for x in range(0, int(trim[0] * scale) - 2)]
        assert min(corner) < 128, f'{edition}: no crop marks in the corner of the sheet'
        assert all(f['uni'] == 'yes' for f in pdffonts(press))
