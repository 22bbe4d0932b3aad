"""The parallel-text (対訳) edition: every Japanese block beside its own translation, in every format.

The expected pairs come from the catalogs themselves (Babel's reading of locale/en), so
these tests check the edition against the translators' files, not against itself.
"""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from pypdf import PdfReader

from test_extensions import TWO_DOCS
from tools import CHROMIUM, CHROMIUM_ARGS, chromium_page, epubcheck, pdffonts, pdfinfo

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / 'build' / 'test-artifacts'
CATALOGS = ROOT / 'locale' / 'en' / 'LC_MESSAGES'
PAGES = ['index', 'section', 'russia/index', 'russia/relations', 'russia/situation', 'central-asia', 'caucasus']
MARK = 'not yet translated'

# What a reader sees of a pair, in a browser: the text without footnote numbers, ruby
# readings, permalinks or the untranslated mark, white space removed; and its kind.
PAIRS_JS = '''() => {
  const text = (element) => {
    const copy = element.cloneNode(true);
    copy.querySelectorAll('.footnote-reference, span.label, rt, rp, a.headerlink, .untranslated-mark')
        .forEach((node) => node.remove());
    return copy.textContent.replace(/\\s+/g, '');
  };
  const pairs = [];
  for (const element of document.querySelectorAll('div.body .pair, div.body .pair-master')) {
    if (element.closest('.figure-placeholder, .toctree-wrapper')) continue;
    const block = element.classList.contains('pair');
    const master = block ? element.querySelector(':scope > .side-master') : element;
    const translation = block ? element.querySelector(':scope > .side-translation')
                              : element.parentElement.querySelector(':scope > .pair-translation');
    pairs.push({
      kind: !block ? 'inline' : master.querySelector('aside.footnote') ? 'footnote' : 'block',
      master: text(master), translation: text(translation),
      masterLang: master.lang, translationLang: translation.lang,
      marked: translation.querySelector('.untranslated-mark') !== null,
    });
  }
  return pairs;
}'''


def read(path: Path):
    with path.open('rb') as handle:
        return read_po(handle, locale='en')


def reader_text(rst: str) -> str:
    """A msgid or msgstr as the reader sees it: ruby as its base, no footnote references, no page markers."""
    text = re.sub(r':ruby:`([^`<]*)<[^`]*>`', r'\1', rst)
    text = re.sub(r'\[#[^\]]*\]_', '', text)
    text = re.sub(r':original-page:`[^`]*`', '', text)
    return re.sub(r'\s+', '', text)


def plain_quotes(text: str) -> str:
    return text.translate(str.maketrans({'‘': "'", '’': "'", '“': '"', '”': '"'}))


def expected_pairs(catalog_dir: Path, page: str) -> list[tuple[str, str]]:
    return [(reader_text(m.id), reader_text(m.string)) for m in read(catalog_dir / f'{page}.po') if m.id]


def pairs_in(page, url: str) -> list[dict]:
    page.goto(url)
    return page.evaluate(PAIRS_JS)


@pytest.fixture(scope='module')
def html_pairs(parallel_built) -> dict[str, list[dict]]:
    with chromium_page() as page:
        return {name: pairs_in(page, (parallel_built / 'html' / f'{name}.html').as_uri()) for name in PAGES}


# -- pairing, checked against the catalogs ---------------------------------------------------

@pytest.mark.parametrize('name', PAGES)
def test_every_block_is_paired_with_its_own_translation(html_pairs, name):
    found = [(pair['master'], plain_quotes(pair['translation'])) for pair in html_pairs[name]]
    assert found == expected_pairs(CATALOGS, name)
    assert all(not pair['marked'] for pair in html_pairs[name])


def test_pairs_carry_their_languages_and_kinds(html_pairs):
    pairs = [pair for name in PAGES for pair in html_pairs[name]]
    assert {(pair['masterLang'], pair['translationLang']) for pair in pairs} == {('ja', 'en')}
    kinds = [pair['kind'] for pair in pairs]
    # every paragraph and all nine footnotes side by side; headings, captions, legends inline
    assert kinds.count('footnote') == 9
    assert kinds.count('block') >= 30 and kinds.count('inline') >= 20


def test_footnotes_numbered_alike_in_both_languages(parallel_built):
    html = ''.join((parallel_built / 'html' / f'{name}.html').read_text(encoding='utf-8') for name in PAGES)
    refs = re.findall(r'class="footnote-reference brackets" href="#([^"]+)"[^>]*>'
                      r'<span class="fn-bracket">\[</span>(\d+)<', html)
    japanese = [(target, number) for target, number in refs if not target.endswith('-en')]
    english = [(target, number) for target, number in refs if target.endswith('-en')]
    assert [int(number) for _, number in japanese] == list(range(1, 10))
    assert english == [(f'{target}-en', number) for target, number in japanese]
    for target, number in english:       # each English reference leads to the English note, same number
        assert re.search(rf'<aside class="footnote brackets" id="{target}" role="doc-footnote">\s*'
                         rf'<span class="label"><span class="fn-bracket">\[</span><a [^>]*>{number}</a>', html)


def test_typographic_quotes_in_the_translation(html_pairs):
    english = ''.join(pair['translation'] for name in PAGES for pair in html_pairs[name])
    assert '“modernization”' in english and 'ministers’' in english
    assert '"' not in english


# -- a message not yet translated -------------------------------------------------------------

def test_untranslated_and_fuzzy_messages_are_marked(project_copy):
    from taiyaku.builds import Target, build_html, sphinx_command
    from taiyaku.po import read_catalog, render
    from taiyaku.project import Project

    catalog_path = project_copy / 'locale' / 'en' / 'LC_MESSAGES' / 'caucasus.po'
    catalog = read_catalog(catalog_path, 'en')
    messages = [m for m in catalog if m.id]
    emptied, fuzzy = messages[1], messages[2]
    emptied.string = ''                 # a new message, not translated yet
    fuzzy.flags.add('fuzzy')            # a changed message, its translation to be reviewed
    catalog_path.write_bytes(render(catalog))

    project = Project(project_copy)
    html = build_html(project, Target('ja', 'html', parallel='en')).parent / 'caucasus.html'
    with chromium_page() as page:
        pairs = pairs_in(page, html.as_uri())
        marks = page.eval_on_selector_all('.untranslated-mark', 'marks => marks.map(m => [m.textContent, m.lang])')
    marked = [(pair['master'], pair['translation']) for pair in pairs if pair['marked']]
    # the English slot shows the Japanese, behind the mark
    assert marked == [(reader_text(emptied.id), reader_text(emptied.id)), (reader_text(fuzzy.id), reader_text(fuzzy.id))]
    assert marks == [[MARK, 'en'], [MARK, 'en']]
    assert len([pair for pair in pairs if not pair['marked']]) == len(messages) - 2

    target = Target('ja', 'pdf', parallel='en')
    outdir = project_copy / 'latex'
    command = [arg for arg in sphinx_command(project, target, outdir) if arg != '-q']
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "2 message(s) not yet translated into 'en', marked in the parallel edition (caucasus: 2)" in result.stdout
    tex = next(outdir.glob('*.tex')).read_text(encoding='utf-8')
    assert tex.count(r'\taiyakuuntranslated{not yet translated}') == 2


def write_catalog(project, name: str, messages: dict[str, str]) -> Path:
    catalog = project.path / 'locale' / 'en' / 'LC_MESSAGES' / f'{name}.po'
    catalog.parent.mkdir(parents=True, exist_ok=True)
    entries = ''.join(f'msgid "{msgid}"\nmsgstr "{msgstr}"\n\n' for msgid, msgstr in messages.items())
    catalog.write_text(f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n{entries}', encoding='utf-8')
    return catalog


def test_malformed_catalog_and_mismatched_footnote_reference_are_errors(mini):
    project = mini({'index': '''
        Title
        =====

        本文[#a]_。

        .. [#a] 注
        '''}, conf="locale_dirs = ['locale']\ntaiyaku_parallel = 'en'")
    catalog = write_catalog(project, 'index', {'Title': 'Title', '本文[#a]_。': 'Text.', '注': 'Note'})
    catalog.write_text(catalog.read_text(encoding='utf-8').replace('"Note"\n', '"Note\n'), encoding='utf-8')
    project.build('html')
    assert 'index.po:12: malformed catalog' in project.warnings      # the file and line of the error
    write_catalog(project, 'index', {'Title': 'Title', '本文[#a]_。': 'Text.', '注': 'Note'})
    project.build('html')
    assert "index.rst:4: WARNING: inconsistent footnote references in translated message. original: ['[#a]_'], " \
           'translated: []' in project.warnings


# -- footnotes across documents, on a small project -------------------------------------------

TWO_CATALOGS = {     # for test_extensions.TWO_DOCS: labelled and anonymous auto-numbered footnotes
    'index': {'Book': 'Book', '前の文[#a]_と次の文[#b]_。': 'The one before[#a]_ and the next[#b]_.',
              '注A': 'Note A', '注B': 'Note B'},
    'second': {'Second': 'Second', '第二章の文[#c]_と[#]_。': 'A sentence of chapter two[#c]_ and[#]_.',
               '注C': 'Note C', '注D': 'Note D'},
}


def two_docs(mini):
    project = mini(TWO_DOCS, conf="locale_dirs = ['locale']\ntaiyaku_parallel = 'en'")
    for name, messages in TWO_CATALOGS.items():
        write_catalog(project, name, messages)
    return project


def test_twin_footnotes_continue_across_documents(mini):
    project = two_docs(mini)
    out = project.build('html')
    second = (out / 'second.html').read_text(encoding='utf-8')
    (c, c_number), (d, d_number), (c_en, c_en_number), (d_en, d_en_number) = re.findall(
        r'href="#([^"]+)" id="[^"]+" role="doc-noteref"><span class="fn-bracket">\[</span>(\d)', second)
    assert (c, c_number, d_number) == ('c', '3', '4')
    assert (c_en, c_en_number, d_en, d_en_number) == ('c-en', '3', f'{d}-en', '4')
    for target, note in (('c-en', 'Note C'), (f'{d}-en', 'Note D')):
        assert re.search(rf'id="{target}" role="doc-footnote">\s*<span class="label">.*?</span>\s*<p>{note}</p>', second)
    assert project.warnings == ''
    assert "parallel edition: every message translated into 'en'" in project.status


def test_twin_footnotes_in_their_column_in_latex(mini):
    out = two_docs(mini).build('latex')
    tex = next(out.glob('*.tex')).read_text(encoding='utf-8')
    notes = re.findall(r'\\begin\{footnote\}\[(\d)\]\\sphinxAtStartFootnote\n(\S+)', tex)
    assert notes == [('1', '注A'), ('2', '注B'), ('1', 'Note'), ('2', 'Note'),
                     ('3', '注C'), ('4', '注D'), ('3', 'Note'), ('4', 'Note')]
    # each English note sits in the English column: after \switchcolumn, inside the translation
    english = tex.split(r'\begin{taiyakutranslation}')[1].split(r'\end{taiyakutranslation}')[0]
    assert 'Note A' in english and 'Note B' in english and r'\switchcolumn' in tex.split(r'\begin{taiyakutranslation}')[0]


# -- HTML in a real browser ---------------------------------------------------------------------

PAIR_BOXES_JS = '''() => Array.from(document.querySelectorAll('div.body .pair')).map((pair) => {
    const [m, t] = [pair.querySelector(':scope > .side-master'), pair.querySelector(':scope > .side-translation')]
        .map((side) => side.getBoundingClientRect());
    return {m: [m.left, m.top, m.right, m.bottom, m.width], t: [t.left, t.top, t.right, t.bottom, t.width]};
})'''


def laid_out(url: str, width: int, height: int, artifact: str) -> dict:
    """The pairs' boxes, the first subsection heading's two texts and any sideways overflow, screenshot saved."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with chromium_page(width, height) as page:
        page.goto(url)
        page.screenshot(path=str(ARTIFACTS / artifact), full_page=True)
        return {
            'pairs': page.evaluate(PAIR_BOXES_JS),
            'heading': page.evaluate('''() => ['.pair-master', '.pair-translation'].map((s) => {
                const r = document.querySelector('div.body h2 ' + s).getBoundingClientRect(); return [r.left, r.top]; })'''),
            'overflow': page.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
        }


def test_pairs_side_by_side_on_a_desktop(parallel_built):
    found = laid_out((parallel_built / 'html' / 'russia' / 'relations.html').as_uri(), 1280, 900, 'parallel-desktop.png')
    assert len(found['pairs']) >= 15
    for pair in found['pairs']:
        (ml, mt, mr, _, mw), (tl, tt, _, _, tw) = pair['m'], pair['t']
        assert tl >= mr, f'English {pair["t"]} not to the right of Japanese {pair["m"]}'
        assert abs(tt - mt) < 1, f'the pair does not start on one line: {pair}'
        assert mw > 300 and tw > 300
    (jl, jt), (el, et) = found['heading']
    assert el == jl and et > jt, 'a heading shows the English under the Japanese'


def test_pairs_stack_on_a_phone(parallel_built):
    found = laid_out((parallel_built / 'html' / 'russia' / 'relations.html').as_uri(), 390, 844, 'parallel-phone.png')
    for pair in found['pairs']:
        (ml, mt, _, mb, _), (tl, tt, _, _, _) = pair['m'], pair['t']
        assert tt >= mb - 1, f'English does not follow the Japanese: {pair}'
        assert abs(tl - ml) < 1
    assert found['overflow'] <= 0, 'the page scrolls sideways on a phone'


VISIBLE_JS = '''() => ({
    master: Array.from(document.querySelectorAll('.side-master, div.body .pair-master')).some((e) => e.offsetParent !== null),
    translation: Array.from(document.querySelectorAll('.side-translation, div.body .pair-translation')).some((e) => e.offsetParent !== null),
    allTranslation: Array.from(document.querySelectorAll('.side-translation')).every((e) => e.offsetParent !== null),
    view: document.documentElement.dataset.view || null,
    toggle: document.querySelectorAll('.view-toggle button').length,
    pressed: Array.from(document.querySelectorAll('.view-toggle button[aria-pressed="true"]')).map((b) => b.textContent),
})'''


def test_view_toggle_shows_one_language_or_both_and_remembers(parallel_built):
    html = parallel_built / 'html'
    with chromium_page(1280, 900) as page:
        page.goto((html / 'russia' / 'relations.html').as_uri())
        assert page.evaluate(VISIBLE_JS) | {'pressed': None} == {
            'master': True, 'translation': True, 'allTranslation': True, 'view': 'both', 'toggle': 3, 'pressed': None}
        page.click('.view-toggle button:has-text("English only")')
        shown = page.evaluate(VISIBLE_JS)
        assert (shown['master'], shown['translation'], shown['pressed']) == (False, True, ['English only'])
        width = page.evaluate("document.querySelector('.side-translation').getBoundingClientRect().width")
        assert width > 700, 'English alone takes the whole measure'
        page.goto((html / 'caucasus.html').as_uri())            # another page: the choice holds
        shown = page.evaluate(VISIBLE_JS)
        assert (shown['master'], shown['translation'], shown['view']) == (False, True, 'translation')
        page.click('.view-toggle button:has-text("日本語のみ")')
        shown = page.evaluate(VISIBLE_JS)
        assert (shown['master'], shown['translation'], shown['pressed']) == (True, False, ['日本語のみ'])
        page.click('.view-toggle button:has-text("Both")')
        shown = page.evaluate(VISIBLE_JS)
        assert (shown['master'], shown['allTranslation'], shown['view']) == (True, True, 'both')


def test_without_script_both_languages_show(parallel_built):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(java_script_enabled=False, viewport={'width': 1280, 'height': 900}).new_page()
            page.goto((parallel_built / 'html' / 'russia' / 'relations.html').as_uri())
            assert page.locator('.view-toggle').count() == 0
            assert page.locator('.side-master').first.is_visible() and page.locator('.side-translation').first.is_visible()
        finally:
            browser.close()


def test_masthead_names_the_edition_and_links_the_single_language_editions(parallel_built):
    html = (parallel_built / 'html' / 'russia' / 'relations.html').read_text(encoding='utf-8')
    assert '<title>（1）日露関係 / (1) Japan-Russia Relations' in html
    assert '対訳版 / Parallel-text edition' in html
    for language in ('ja', 'en'):
        assert f'href="../../../html/{language}/russia/relations.html" hreflang="{language}"' in html


# -- EPUB -----------------------------------------------------------------------------------------

def only(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    assert len(found) == 1, found
    return found[0]


def test_epub_passes_epubcheck(parallel_built):
    counts, output = epubcheck(only(parallel_built / 'epub', '*.epub'))
    assert counts == {'fatals': 0, 'errors': 0, 'warnings': 0, 'infos': 0}, output


def test_epub_follows_each_block_with_its_translation(parallel_built, tmp_path, html_pairs):
    epub = only(parallel_built / 'epub', '*.epub')
    with zipfile.ZipFile(epub) as archive:
        archive.extractall(tmp_path)
        opf = archive.read('content.opf').decode('utf-8')
    assert '<dc:language>ja</dc:language>' in opf
    assert re.search(r'<dc:title>[^<]*対訳版</dc:title>', opf)
    assert not list(tmp_path.rglob('*.js'))
    with chromium_page(600, 900) as page:
        for name in PAGES:
            assert pairs_in(page, (tmp_path / f'{name}.xhtml').as_uri()) == html_pairs[name]
        page.goto((tmp_path / 'russia' / 'relations.xhtml').as_uri())
        page.screenshot(path=str(ARTIFACTS / 'parallel-epub.png'))
        found = page.evaluate(PAIR_BOXES_JS)
        border = page.evaluate("getComputedStyle(document.querySelector('.side-translation')).borderLeftStyle")
    for pair in found:      # one column: the translation under its Japanese block, set off by a rule
        assert pair['t'][1] >= pair['m'][3] - 1
    assert border == 'solid'


# -- PDF ------------------------------------------------------------------------------------------

@pytest.fixture(scope='module')
def pdf(parallel_built) -> Path:
    return only(parallel_built / 'pdf', '*.pdf')


def page_texts(pdf: Path) -> list[str]:
    """Each page's text in reading order (one column after the other): no white space, no note marks (∗1)."""
    text = subprocess.run(['pdftotext', str(pdf), '-'], capture_output=True, text=True, check=True).stdout
    return [re.sub(r'\s+|[∗*]\d+', '', page) for page in text.split('\f')]


def comparable(text: str) -> str:
    """Line-end hyphens, ligatures (ﬁ) and typographic quotes differ between the page and the catalog."""
    return re.sub(r'[-‐\'"‘’“”]', '', unicodedata.normalize('NFKC', text))


def test_pdf_embeds_every_font_and_is_a4(pdf):
    fonts = pdffonts(pdf)
    assert [f['name'] for f in fonts if f['emb'] != 'yes'] == []
    names = ' '.join(f['name'] for f in fonts)
    assert 'HaranoAjiMincho' in names and 'TeXGyreTermes' in names   # Japanese as in its PDF, English in Termes
    info = pdfinfo(pdf)
    assert '595.28 x 841.89 pts (A4)' in info['Page size']
    assert '対訳版' in info['Title']


def test_pdf_sets_each_pair_on_one_page(pdf, html_pairs):
    pages = [comparable(page) for page in page_texts(pdf)]
    checked = 0
    for name in PAGES:
        for pair in html_pairs[name]:
            if pair['kind'] != 'block':
                continue        # footnotes go to the foot of their own column, headings are checked below
            # the first line of each: a ruby reading may stand between a paragraph's lines in the text
            japanese, english = comparable(pair['master'])[:12], comparable(pair['translation'])[:30]
            assert any(japanese in text for text in pages), f'{japanese} is not in the PDF'
            assert any(japanese in text and english in text for text in pages), \
                f'{english} is not on the page of {japanese}'
            checked += 1
    assert checked >= 30


def test_pdf_has_ruby_both_footnotes_and_the_title_page(pdf, html_pairs):
    pages = page_texts(pdf)
    text = ''.join(pages)
    for reading in ('くなしり', 'えとろふ', 'しこたん', 'はぼ', 'まい', 'もり', 'ひろ'):
        assert reading in text, reading
    notes = [pair for name in PAGES for pair in html_pairs[name] if pair['kind'] == 'footnote']
    for note in notes:
        assert comparable(note['master'])[:15] in comparable(text)
        assert comparable(note['translation'])[:30] in comparable(text)
    assert '対訳版' in pages[0] and 'Parallel-textedition' in pages[0] and 'DiplomaticBluebook2011' in pages[0]


def test_pdf_bookmarks_carry_both_languages(pdf):
    def titles(items):
        for item in items:
            yield from titles(item) if isinstance(item, list) else [item.title]
    outline = list(titles(PdfReader(pdf).outline))
    assert '1　ロシア / 1. Russia' in outline
    assert len([title for title in outline if ' / ' in title]) >= 14


# -- the command ------------------------------------------------------------------------------------

def test_parallel_edition_needs_one_translation():
    result = subprocess.run([sys.executable, '-m', 'taiyaku', 'build', 'parallel', '--lang', 'ja'],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert 'the parallel edition sets one translation beside the master' in result.stderr
    assert 'Traceback' not in result.stderr
