"""Every output checked with the tools its readers' software relies on."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from tools import chromium_page, epubcheck, pdffonts, pdfinfo, pdftotext

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ['ja', 'en']


def only(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    assert len(found) == 1, f'{folder}: expected one {pattern}, found {found}'
    return found[0]


# -- EPUB ---------------------------------------------------------------------------------

@pytest.mark.parametrize('language', LANGUAGES)
def test_epub_passes_epubcheck(built, language):
    counts, output = epubcheck(only(built / 'epub' / language, '*.epub'))
    assert counts == {'fatals': 0, 'errors': 0, 'warnings': 0, 'infos': 0}, output


@pytest.mark.parametrize('language', LANGUAGES)
def test_epub_metadata(built, language):
    with zipfile.ZipFile(only(built / 'epub' / language, '*.epub')) as epub:
        opf = epub.read('content.opf').decode('utf-8')
    assert f'<dc:language>{language}</dc:language>' in opf
    for element in ('title', 'rights', 'identifier', 'date', 'creator', 'publisher'):
        value = re.search(rf'<dc:{element}[^>]*>([^<]*)</dc:{element}>', opf)
        assert value and value[1].strip(), f'dc:{element} is empty'
    assert re.search(r'<dc:identifier id="BookId">urn:uuid:[0-9a-f-]{36}</dc:identifier>', opf)


# -- PDF ----------------------------------------------------------------------------------

@pytest.mark.parametrize('language', LANGUAGES)
def test_pdf_embeds_every_font(built, language):
    fonts = pdffonts(only(built / 'pdf' / language, '*.pdf'))
    assert fonts
    assert [f['name'] for f in fonts if f['emb'] != 'yes'] == []


@pytest.mark.parametrize('language', LANGUAGES)
def test_pdf_is_a4_with_bookmarks(built, language):
    pdf = only(built / 'pdf' / language, '*.pdf')
    assert '595.28 x 841.89 pts (A4)' in pdfinfo(pdf)['Page size']
    outline = PdfReader(pdf).outline

    def titles(items):
        for item in items:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title
    assert len(list(titles(outline))) >= 14   # every heading of the section


def test_ja_pdf_is_japanese_typeset(built):
    pdf = only(built / 'pdf' / 'ja', '*.pdf')
    names = ' '.join(f['name'] for f in pdffonts(pdf))
    assert 'HaranoAjiMincho' in names and 'HaranoAjiGothic' in names
    outline = [item.title for item in PdfReader(pdf).outline if not isinstance(item, list)]
    assert '第５節　ロシア、中央アジアとコーカサス' in outline


def test_ja_pdf_text_has_ruby_and_footnotes(built):
    text = re.sub(r'\s+', '', pdftotext(only(built / 'pdf' / 'ja', '*.pdf')))
    for reading in ('くなしり', 'えとろふ', 'しこたん', 'はぼ', 'まい', 'もり', 'ひろ'):
        assert reading in text, reading
    for footnote in ('中央アジア諸国は、ウズベキスタン', 'ソ連によるサンフランシスコ平和条約の署名拒否を受け',
                     '両国関係を完全に正常化するとの手順を明確化する', '外交関係回復後の平和条約締結に関する交渉プロセス',
                     'ロシアの軍事的栄光の日及び記念日に関する', '四島交流、自由訪問及び墓参は、日露両国いずれか',
                     '極東・ザバイカル経済社会発展連邦目的プログラム', 'サスコベッツ第一副首相と河野洋平外務大臣',
                     '日露貿易投資促進機構は、①情報提供'):
        assert footnote in text, footnote
    assert 'Release' not in text and 'リリース' not in text   # no Sphinx running head


def test_ja_pdf_has_no_empty_pages(built):
    pdf = only(built / 'pdf' / 'ja', '*.pdf')
    reader = PdfReader(pdf)
    for number, page in enumerate(reader.pages, start=1):
        assert page.extract_text().strip(), f'page {number} is empty'


# -- HTML in a real browser -----------------------------------------------------------------

def test_ruby_reading_is_laid_out_above_its_base(built):
    with chromium_page() as page:
        page.goto((built / 'html' / 'ja' / 'section.html').as_uri())
        boxes = page.evaluate('''() => {
            const ruby = document.querySelector('ruby');
            const rt = ruby.querySelector('rt');
            const range = document.createRange();
            range.selectNodeContents(ruby.firstChild);      // the base text
            const base = range.getBoundingClientRect();
            const reading = rt.getBoundingClientRect();
            const rp = ruby.querySelector('rp').getBoundingClientRect();
            return {base: [base.left, base.top, base.right, base.bottom],
                    reading: [reading.left, reading.top, reading.right, reading.bottom],
                    rp: [rp.width, rp.height], text: rt.textContent};
        }''')
    (bl, bt, br, bb), (rl, rt, rr, rb) = boxes['base'], boxes['reading']
    assert boxes['text'] == 'くなしり'
    assert rt < bt and rb <= (bt + bb) / 2, f'reading {boxes["reading"]} is not above base {boxes["base"]}'
    assert rl < br and bl < rr, 'reading is not over its base'
    assert boxes['rp'] == [0, 0], 'the (fallback) parentheses are visible'


def test_japanese_search_finds_a_word(built):
    with chromium_page() as page:
        page.goto((built / 'html' / 'ja' / 'search.html').as_uri() + '?q=北方領土')
        page.wait_for_selector('ul.search li', timeout=15000)
        results = page.eval_on_selector_all('ul.search li a', 'links => links.map(a => a.getAttribute("href"))')
    assert any('relations' in href for href in results), results


def test_footnote_backlinks_work_in_browser(built):
    with chromium_page() as page:
        page.goto((built / 'html' / 'ja' / 'russia' / 'relations.html').as_uri())
        page.click('a.footnote-reference >> nth=0')
        assert page.evaluate('location.hash') == '#fn-japan-soviet-joint-declaration'
        page.click('#fn-japan-soviet-joint-declaration a[role="doc-backlink"]')
        assert page.evaluate('location.hash').startswith('#id')
