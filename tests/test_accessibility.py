"""Accessible, standards-clean HTML and EPUB, checked by the verifiers libraries and retailers use.

EPUB (ja, en, parallel): Ace by DAISY, epubcheck (also its usage report), and the package
and navigation documents read against the book itself. HTML (every page of ja, en and
parallel): the Nu Html Checker, axe-core's WCAG 2.1 A/AA rules in Chromium at 1280 and 390
px (and with the phone's contents menu open), and in Chromium what a reader meets: the
previous/next links, the links between the editions, the contents behind a menu on a
phone (with and without JavaScript), labels that do not break, the original's page
markers seen and announced. Screenshots go to build/test-artifacts/accessibility/.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import pytest

from tools import CHROMIUM, CHROMIUM_ARGS, epubcheck
from taiyaku import editions
from verifiers import ace, ace_violations, axe, axe_violations, vnu

ROOT = Path(__file__).resolve().parent.parent
CURRENT = editions.current(ROOT / 'editions.toml')
ARTIFACTS = ROOT / 'build' / 'test-artifacts' / 'accessibility'
EDITIONS = ['ja', 'en', 'parallel']
LANGUAGES = {'ja': ['ja'], 'en': ['en'], 'parallel': ['ja', 'en']}
CONTENTS_HEADING = {'ja': '目次', 'en': 'Contents', 'parallel': '目次 / Contents'}
XHTML, EPUB_NS, OPF, DC = ('http://www.w3.org/1999/xhtml', 'http://www.idpf.org/2007/ops',
                           'http://www.idpf.org/2007/opf', 'http://purl.org/dc/elements/1.1/')
XML_LANG = '{http://www.w3.org/XML/1998/namespace}lang'
EPUB_TYPE = f'{{{EPUB_NS}}}type'
JAPANESE = re.compile(r'[\u3040-\u30ff\u3400-\u9fff]')


def only(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    assert len(found) == 1, f'{folder}: expected one {pattern}, found {found}'
    return found[0]


@pytest.fixture(scope='module')
def trees(built, parallel_built) -> dict[str, Path]:
    """Each edition's HTML tree."""
    return {'ja': built / 'html' / 'ja', 'en': built / 'html' / 'en', 'parallel': parallel_built / 'html'}


@pytest.fixture(scope='module')
def epubs(built, parallel_built) -> dict[str, Path]:
    return {'ja': only(built / 'epub' / 'ja', '*.epub'), 'en': only(built / 'epub' / 'en', '*.epub'),
            'parallel': only(parallel_built / 'epub', '*.epub')}


def html_pages(tree: Path) -> list[Path]:
    return sorted(tree.rglob('*.html'))


# -- reading an EPUB ----------------------------------------------------------------------------

class Book:
    """An EPUB's package document, navigation document and content documents, parsed."""

    def __init__(self, path: Path):
        self.archive = zipfile.ZipFile(path)
        self.names = set(self.archive.namelist())
        self.opf = ElementTree.fromstring(self.archive.read('content.opf'))
        self.manifest = {item.get('id'): item for item in self.opf.iter(f'{{{OPF}}}item')}
        self.spine = [self.manifest[ref.get('idref')].get('href') for ref in self.opf.iter(f'{{{OPF}}}itemref')]
        self.nav = self.document('nav.xhtml')

    def document(self, name: str) -> ElementTree.Element:
        return ElementTree.fromstring(self.archive.read(name))

    def metadata(self, prop: str) -> list[ElementTree.Element]:
        return [meta for meta in self.opf.iter(f'{{{OPF}}}meta') if meta.get('property') == prop]

    def values(self, prop: str) -> list[str]:
        return [meta.text.strip() for meta in self.metadata(prop)]

    def dc(self, name: str) -> list[ElementTree.Element]:
        return list(self.opf.iter(f'{{{DC}}}{name}'))

    def content(self) -> dict[str, ElementTree.Element]:
        """The spine's content documents, in reading order."""
        return {name: self.document(name) for name in self.spine}

    def resolves(self, base: str, href: str) -> bool:
        """Whether a link from ``base`` reaches a file of the book and, with a fragment, an id in it."""
        target, _, fragment = href.partition('#')
        name = str(PurePosixPath(base).parent / target) if target else base
        name = name.removeprefix('./')
        if name not in self.names:
            return False
        return not fragment or any(element.get('id') == fragment for element in self.document(name).iter())


def text(element: ElementTree.Element) -> str:
    return ''.join(element.itertext()).strip()


def text_in(element: ElementTree.Element, language: str) -> str:
    """The element's text less what its descendants mark as another language."""
    parts = [element.text or '']
    for child in element:
        if child.get('lang', language) == language:
            parts.append(text_in(child, language))
        parts.append(child.tail or '')
    return ''.join(parts)


def nav(book: Book, kind: str) -> ElementTree.Element:
    found = [element for element in book.nav.iter(f'{{{XHTML}}}nav') if element.get(EPUB_TYPE) == kind]
    assert len(found) == 1, f'{len(found)} <nav epub:type="{kind}">'
    return found[0]


def pagebreaks(book: Book) -> list[tuple[str, ElementTree.Element]]:
    return [(name, element) for name, document in book.content().items() for element in document.iter()
            if element.get(EPUB_TYPE) == 'pagebreak']


# -- EPUB: the verifiers ---------------------------------------------------------------------------

@pytest.fixture(scope='module')
def ace_reports(epubs, tmp_path_factory) -> dict[str, dict]:
    folder = tmp_path_factory.mktemp('ace')
    return {edition: ace(epub, folder / edition) for edition, epub in epubs.items()}


@pytest.mark.parametrize('edition', EDITIONS)
def test_ace_by_daisy_reports_no_violation(ace_reports, edition):
    report = ace_reports[edition]
    assert ace_violations(report) == []
    assert report['earl:result']['earl:outcome'] == 'pass'
    metadata = report['a11y-metadata']
    assert metadata['empty'] == []
    assert {'schema:accessMode', 'schema:accessModeSufficient', 'schema:accessibilityFeature',
            'schema:accessibilityHazard', 'schema:accessibilitySummary', 'dcterms:conformsTo',
            'a11y:certifiedBy'} <= set(metadata['present'])
    assert report['properties']['hasPageBreaks'] is True


# What epubcheck's usage report (-u) may still say, and why it is no fault of the book:
# hints about style sheets (Sphinx's epub.css styles classes this book has no use for, and
# the book uses classes only as hooks), the NCX kept for EPUB 2 reading systems, the page
# breaks and page list being there (they are meant to be), the epub namespace declared on
# every page, &quot; in the text, the cover page not being in the table of contents, the
# colophon's table column widths (Sphinx writes them as style attributes), deep nesting.
USAGE_ACCEPTED = {'CSS-012', 'CSS-013', 'CSS-024', 'CSS-025', 'CSS-023', 'CSS-017', 'HTM-010', 'HTM-044', 'HTM-050',
                  'NAV-002', 'HTM-006', 'OPF-058', 'OPF-059', 'ACC-013', 'HTM-022'}


@pytest.mark.parametrize('edition', EDITIONS)
def test_epubcheck_is_clean_and_its_usage_report_has_no_accessibility_finding(epubs, edition):
    counts, output = epubcheck(epubs[edition])
    assert counts == {'fatals': 0, 'errors': 0, 'warnings': 0, 'infos': 0}, output
    result = subprocess.run(['java', '-jar', '/usr/share/java/epubcheck.jar', '-u', str(epubs[edition])],
                            capture_output=True, text=True)
    usage = result.stdout + result.stderr
    assert 'Messages: 0 fatals / 0 errors / 0 warnings / 0 infos' in usage, usage[-2000:]
    codes = set(re.findall(r'^USAGE\(([A-Z]+-\d+)\)', usage, re.MULTILINE))
    assert not {code for code in codes if code.startswith('ACC-') and code != 'ACC-013'}, usage
    assert codes - USAGE_ACCEPTED == set(), '\n'.join(line for line in usage.splitlines()
                                                       if any(code in line for code in codes - USAGE_ACCEPTED))


# -- EPUB: languages -----------------------------------------------------------------------------

@pytest.mark.parametrize('edition', EDITIONS)
def test_every_content_document_declares_its_language(epubs, edition):
    book = Book(epubs[edition])
    main = LANGUAGES[edition][0]
    assert [element.text for element in book.dc('language')] == LANGUAGES[edition]
    for name, document in {**book.content(), 'nav.xhtml': book.nav}.items():
        assert (document.get('lang'), document.get(XML_LANG)) == (main, main), name
        for element in document.iter():
            if element.get('lang') or element.get(XML_LANG):
                assert element.get('lang') == element.get(XML_LANG), (name, element.tag, element.attrib)
    if edition == 'parallel':
        english = [element for document in book.content().values() for element in document.iter()
                   if element.get('lang') == 'en']
        assert len(english) > 50
        # the English sides hold English, but for what they quote in Japanese, marked so
        assert all(not JAPANESE.search(text_in(element, 'en')) for element in english
                   if 'side-translation' in element.get('class', ''))
        entries = list(nav(book, 'toc').iter(f'{{{XHTML}}}a'))
        assert all(any(element.get('lang') == 'en' for element in entry.iter()) for entry in entries)
        assert {title.get(XML_LANG) for title in book.dc('title')} == {None, 'en'}


# -- EPUB: the discovery metadata, true to the book -----------------------------------------------

@pytest.mark.parametrize('edition', EDITIONS)
def test_discovery_metadata_is_true_to_the_book(epubs, edition):
    book = Book(epubs[edition])
    content = book.content()
    elements = [element for document in content.values() for element in document.iter()]
    has_ruby = any(element.tag == f'{{{XHTML}}}ruby' for element in elements)
    has_pages = any(element.get(EPUB_TYPE) == 'pagebreak' for element in elements)
    figures = {kind: sum(1 for element in elements if element.tag == f'{{{XHTML}}}div'
                         and element.get('class', '').split() == ['figure-placeholder', kind])
               for kind in ('photo', 'chart')}
    assert has_ruby == (edition != 'en')     # the English romanizes readings
    assert has_pages and figures == {'photo': 4, 'chart': 1}

    assert book.values('schema:accessMode') == ['textual']           # the cover is not needed to read the book
    assert book.values('schema:accessModeSufficient') == ['textual']
    expected = {'structuralNavigation', 'tableOfContents', 'readingOrder', 'displayTransformability',
                *(['pageBreakMarkers', 'pageNavigation'] if has_pages else []), *(['rubyAnnotations'] if has_ruby else [])}
    assert set(book.values('schema:accessibilityFeature')) == expected
    assert book.values('schema:accessibilityHazard') == ['none']
    conformance = book.metadata('dcterms:conformsTo')
    assert [meta.text for meta in conformance] == ['EPUB Accessibility 1.1 - WCAG 2.1 Level AA']
    certifier = book.metadata('a11y:certifiedBy')
    assert [meta.get('refines') for meta in certifier] == [f'#{conformance[0].get("id")}']
    assert certifier[0].text == book.dc('publisher')[0].text       # the publisher evaluates its own book

    summaries = {meta.get(XML_LANG): meta.text for meta in book.metadata('schema:accessibilitySummary')}
    assert list(summaries) == LANGUAGES[edition]
    for language, summary in summaries.items():
        assert '96–98' in summary
        assert ('写真4点と図表1点' if language == 'ja' else '4 photographs and 1 chart') in summary
        assert (('ルビ' if language == 'ja' else 'ruby') in summary) == has_ruby
        assert (('英訳' if language == 'ja' else 'English translation') in summary) == (edition == 'parallel')
        assert ('外交青書 2011' if language == 'ja' else 'Diplomatic Bluebook 2011') in summary

    [source] = book.dc('source')
    assert source.text == ('外務省『外交青書 2011』' if edition != 'en' else
                           'Ministry of Foreign Affairs of Japan, Diplomatic Bluebook 2011')
    refinement = [meta for meta in book.opf.iter(f'{{{OPF}}}meta') if meta.get('refines') == f'#{source.get("id")}']
    assert [(meta.get('property'), meta.text) for meta in refinement] == [('source-of', 'pagination')]


# -- EPUB: navigation --------------------------------------------------------------------------------

@pytest.mark.parametrize('edition', EDITIONS)
def test_navigation_in_the_books_language_with_landmarks_and_the_originals_pages(epubs, edition):
    book = Book(epubs[edition])
    toc = nav(book, 'toc')
    assert toc.get('role') == 'doc-toc'
    assert text(toc.find(f'{{{XHTML}}}h1')) == CONTENTS_HEADING[edition]
    links = [(a.get('href'), text(a)) for a in toc.iter(f'{{{XHTML}}}a')]
    assert len(links) == 10 and all(book.resolves('nav.xhtml', href) for href, _ in links)
    if edition == 'en':
        assert not any(JAPANESE.search(title) for _, title in links)

    landmarks = nav(book, 'landmarks')
    assert landmarks.get('hidden') is not None
    found = {a.get(EPUB_TYPE): a.get('href') for a in landmarks.iter(f'{{{XHTML}}}a')}
    assert list(found) == ['cover', 'titlepage', 'toc', 'bodymatter', 'errata', 'colophon']
    assert found['cover'] == book.spine[0] and found['bodymatter'] == 'section.xhtml'
    assert found['colophon'] == 'colophon.xhtml' and found['errata'] == 'changes.xhtml'
    assert all(href in book.spine for href in found.values())

    pages = nav(book, 'page-list')
    assert pages.get('role') == 'doc-pagelist'
    listed = [(text(a), a.get('href')) for a in pages.iter(f'{{{XHTML}}}a')]
    marked = [(element.get('aria-label'), f'{name}#{element.get("id")}')
              for name, element in pagebreaks(book) if element.get('id')]
    assert listed == marked
    assert [number for number, _ in listed] == ['96', '97', '98']
    assert listed[2][1] == 'russia/relations.xhtml#original-page-98'
    assert all(element.get('role') == 'doc-pagebreak' for _, element in pagebreaks(book))


# -- EPUB: the cover ---------------------------------------------------------------------------------

COVER_ALT = {'ja': '表紙：外交青書 2011　第２章　第５節　ロシア、中央アジアとコーカサス',
             'en': 'Cover: Diplomatic Bluebook 2011. Chapter 2, Section 5: Russia, Central Asia and the Caucasus',
             'parallel': '表紙：外交青書 2011　第２章　第５節　ロシア、中央アジアとコーカサス　Diplomatic Bluebook 2011'}


@pytest.mark.parametrize('edition', EDITIONS)
def test_a_generated_cover_with_its_text(epubs, edition):
    from PIL import Image

    book = Book(epubs[edition])
    [image] = [item for item in book.manifest.values() if item.get('properties') == 'cover-image']
    assert image.get('media-type') == 'image/png'
    picture = Image.open(book.archive.open(image.get('href')))
    assert picture.size == (1600, 2400)
    assert len(picture.getcolors(1 << 16) or []) > 16        # drawn text, not a blank page
    cover_page = book.document(book.spine[0])
    [img] = cover_page.iter(f'{{{XHTML}}}img')
    assert img.get('src') == image.get('href') and img.get('role') == 'doc-cover'
    assert img.get('alt').startswith(COVER_ALT[edition])
    assert CURRENT.id in img.get('alt')


def test_the_cover_is_the_same_bytes_in_another_process():
    program = ('import sys; from taiyaku.ext.cover import CoverText, render; sys.stdout.buffer.write('
               'render(CoverText("外交青書 2011", "第２章　第５節　ロシア、中央アジアとコーカサス", '
               '"第1版第2刷（訂正版）　2011.2\\nCorrected reprint (2011.2)", "外務省", '
               'translation=["Diplomatic Bluebook 2011"], badge="対訳版 / Parallel-text edition")))')
    first, second = (subprocess.run([sys.executable, '-c', program], cwd=ROOT, capture_output=True, check=True).stdout
                     for _ in range(2))
    assert first == second and first.startswith(b'\x89PNG')


def test_cover_lines_break_where_the_languages_allow():
    from taiyaku.ext.cover import font, wrap

    face = font('regular', 84)
    assert wrap('第２章　第５節　ロシア、中央アジアとコーカサス', face, 1320) == ['第２章　第５節', 'ロシア、中央アジアとコーカサス']
    lines = wrap('Chapter 2, Section 5: Russia, Central Asia and the Caucasus', font('regular', 84), 1320)
    assert ' '.join(lines) == 'Chapter 2, Section 5: Russia, Central Asia and the Caucasus'
    assert all(face.getlength(line) <= 1320 for line in lines)
    assert not any(line.startswith(('、', '）')) for line in wrap('あいうえお、かきくけこ（さしすせそ）たちつてと' * 3, face, 700))


def test_a_missing_cover_font_is_a_clear_error(mini, monkeypatch):
    from sphinx.errors import SphinxError

    from taiyaku.ext import cover

    monkeypatch.setitem(cover.FONT_FILES, 'bold', Path('/nonexistent/NotoSansCJK-Bold.ttc'))
    project = mini({'index': '''
        Book
        ====

        Text.
        '''})
    with pytest.raises(SphinxError, match=r'the EPUB cover needs the font Noto Sans CJK JP .*fonts-noto-cjk'):
        project.build('epub')


# -- HTML: the verifiers --------------------------------------------------------------------------

def test_nu_html_checker_finds_no_error_on_any_page(trees):
    pages = [page for tree in trees.values() for page in html_pages(tree)]
    assert len(pages) == 33
    assert vnu(pages) == []


def test_axe_finds_no_wcag21_aa_violation_at_desktop_and_phone_width(trees):
    pages = [page for tree in trees.values() for page in html_pages(tree)]
    results = axe(pages, widths=[1280, 390], open_selector='.menu-button')
    runs = {(result['width'], result['state']) for result in results}
    assert runs == {(1280, 'loaded'), (390, 'loaded'), (390, 'open')}    # the menu exists only on the phone
    assert len([result for result in results if result['state'] == 'open']) == len(pages)
    assert axe_violations(results) == []


# -- HTML in Chromium: what a reader meets ------------------------------------------------------------

@contextlib.contextmanager
def browser_page(width: int, javascript: bool = True):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={'width': width, 'height': 900}, java_script_enabled=javascript)
            yield context.new_page()
        finally:
            browser.close()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f'{name}.png'))


def relation(html: str, rel: str) -> str | None:
    found = re.search(rf'<link rel="{rel}" title="[^"]*" href="([^"]+)"', html)
    return found[1] if found else None


@pytest.mark.parametrize('edition', EDITIONS)
def test_previous_and_next_links_follow_the_reading_order(trees, epubs, edition):
    tree = trees[edition]
    spine = [name.removesuffix('.xhtml') for name in Book(epubs[edition]).spine[1:]]     # after the cover
    order, page = [], tree / 'index.html'
    while page is not None:
        order.append(str(page.relative_to(tree).with_suffix('')))
        html = page.read_text(encoding='utf-8')
        following = relation(html, 'next')
        pager = re.search(r'<nav class="pager".*?</nav>', html, re.DOTALL)
        if following:
            assert pager and f'href="{following}" rel="next"' in pager[0]
        page = (page.parent / following).resolve() if following else None
    assert order == spine
    for previous, current in zip(order, order[1:]):
        html = (tree / f'{current}.html').read_text(encoding='utf-8')
        assert (tree / current).parent.joinpath(relation(html, 'prev')).resolve() == (tree / f'{previous}.html').resolve()


@pytest.mark.parametrize('edition', EDITIONS)
def test_every_page_links_to_the_same_page_in_the_other_editions(trees, edition):
    tree = trees[edition]
    for page in html_pages(tree):
        html = page.read_text(encoding='utf-8')
        switcher = html.split('<nav class="language-switcher"', 1)[1].split('</nav>', 1)[0]
        links = dict((name, href) for href, name in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', switcher))
        assert len(links) == 2, (page, links)
        targets = {(page.parent / href).resolve() for href in links.values()}
        expected = {(other / page.relative_to(tree)).resolve() for name, other in trees.items() if name != edition}
        assert targets == expected, page
        assert all(target.is_file() for target in targets)
        assert re.search(r'<span class="current" lang="\w+" aria-current="page">', switcher)


MENU_PAGES = {'ja': 'russia/relations.html', 'en': 'index.html', 'parallel': 'russia/relations.html'}


@pytest.mark.parametrize('javascript', [True, False], ids=['script', 'no-script'])
@pytest.mark.parametrize('edition', EDITIONS)
def test_on_a_phone_the_contents_wait_behind_a_menu(trees, edition, javascript):
    url = (trees[edition] / MENU_PAGES[edition]).as_uri()
    with browser_page(390, javascript) as page:
        page.goto(url)
        menu, button = page.locator('#site-menu'), page.locator('.menu-button')
        assert not menu.is_visible()
        box = button.bounding_box()
        assert box and box['y'] + box['height'] < page.locator('div.body h1').bounding_box()['y']
        assert page.evaluate('getComputedStyle(document.getElementById("site-menu")).display') == 'none'
        button.click()
        assert menu.is_visible()
        panel = menu.bounding_box()
        assert panel['x'] == 0 and panel['y'] == 0 and panel['width'] <= 390
        assert page.locator('#site-menu .sidebar-toc li a').first.is_visible()
        if javascript:
            screenshot(page, f'{edition}-390-menu')
        page.keyboard.press('Escape')
        assert not menu.is_visible()
        button.click()
        page.locator('#site-menu .menu-close').click()
        assert not menu.is_visible()
    with browser_page(1280, javascript) as page:
        page.goto(url)
        assert page.locator('#site-menu').is_visible() and not page.locator('.menu-button').is_visible()
        assert not page.locator('#site-menu .menu-close').is_visible()


LABELS = '.language-switcher li > *, .menu-button, .menu-close, .view-toggle button, nav.pager .pager-label, .masthead-edition'
LINES = '''(selector) => [...document.querySelectorAll(selector)].filter(e => e.offsetParent !== null).map(element => {
    const size = parseFloat(getComputedStyle(element).fontSize);
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    const tops = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(node);
        tops.push(...[...range.getClientRects()].filter(r => r.width > 0).map(r => r.top));
    }
    const lines = tops.filter((top, i) => tops.findIndex(t => Math.abs(t - top) < size / 2) === i).length;
    return [element.textContent.trim(), lines];
})'''


@pytest.mark.parametrize('width', [1280, 390])
@pytest.mark.parametrize('edition', EDITIONS)
def test_labels_do_not_break(trees, edition, width):
    with browser_page(width) as page:
        page.goto((trees[edition] / 'russia' / 'relations.html').as_uri())
        page.wait_for_load_state('load')
        labels = page.evaluate(LINES, LABELS)
        if width == 390:
            page.locator('.menu-button').click()
            labels += page.evaluate(LINES, '.menu-close')
        screenshot(page, f'{edition}-{width}')
    names = [name for name, _ in labels]
    assert {'日本語', 'English'} <= set(names)
    if edition == 'parallel':
        assert {'日本語のみ', 'English only'} <= set(names)
    broken = [(name, lines) for name, lines in labels if lines != 1]
    assert broken == []


MARKERS = {'ja': {'96': '96頁', '98': '98頁'}, 'en': {'96': 'p. 96', '98': 'p. 98'}}


@pytest.mark.parametrize('width', [1280, 390])
@pytest.mark.parametrize('edition', EDITIONS)
def test_the_originals_pages_are_shown_discreetly_and_announced(trees, edition, width):
    with browser_page(width) as page:
        for name, number, language in (('section', '96', 'ja'), ('russia/relations', '98', 'ja'),
                                       ('russia/relations', '98', 'en')):
            if edition != 'parallel' and language != edition:
                continue
            page.goto((trees[edition] / f'{name}.html').as_uri())
            scope = {'ja': '.side-master ', 'en': '.side-translation '}[language] if edition == 'parallel' else ''
            if number == '96':
                scope = ''                      # between blocks, in the master's flow
            marker = page.locator(f'{scope}.original-page[data-page="{number}"]').first
            marker.scroll_into_view_if_needed()
            shown = marker.evaluate('m => [getComputedStyle(m, "::after").content, getComputedStyle(m, "::after").position,'
                                    ' m.getBoundingClientRect().width, m.textContent]')
            assert shown == [f'"{MARKERS[language][number]}" / ""', 'absolute', 0, ''], (name, language)
            # beside the text, never off the page
            assert page.evaluate('document.documentElement.scrollWidth') <= width
            if number == '98':
                paragraph = marker.evaluate('m => m.parentElement.textContent')
                assert ('省エネルギー分野' if language == 'ja' else 'field of energy conservation') in paragraph
                screenshot(page, f'{edition}-{width}-page-98-{language}')
            tree = page.context.new_cdp_session(page).send('Accessibility.getFullAXTree')['nodes']
            breaks = [node['name']['value'] for node in tree if node.get('role', {}).get('value') == 'doc-pagebreak'
                      and not node.get('ignored')]
            assert number in breaks
            spoken = ' '.join(node.get('name', {}).get('value', '') for node in tree
                              if node.get('role', {}).get('value') in ('StaticText', 'InlineTextBox'))
            assert MARKERS[language][number] not in spoken          # announced once, as the page break
