"""The original's page markers: the ``original-page`` role and directive."""

from __future__ import annotations

import re

from taiyaku.qa import markup

DOCS = {
    'index': '''
        Book
        ====

        .. original-page:: 96

        前の頁の文。次の頁は語の途中で始まる：省エネル:original-page:`97`ギー分野。

        .. toctree::

           second
        ''',
    'second': '''
        Second
        ======

        .. original-page:: 98

        第二章の文。
        ''',
}


def test_markers_are_targets_with_their_number_and_no_text(mini):
    out = mini(DOCS).build('html')
    html = (out / 'index.html').read_text(encoding='utf-8')
    spans = re.findall(r'<span class="original-page (?:inline|block)"[^>]*></span>', html)
    # named by its number (a title: ARIA lets no span carry aria-label), shown by the style sheet
    assert [re.search(r' title="(\d+)"', span)[1] for span in spans] == ['96', '97']
    assert [re.search(r'data-label="([^"]+)"', span)[1] for span in spans] == ['96頁', '97頁']
    assert 'class="original-page block"' in spans[0] and 'class="original-page inline"' in spans[1]
    assert 'id="original-page-97"' in html and 'role="doc-pagebreak"' in html
    assert not any('aria-label' in span for span in spans)
    assert '省エネル<span' in html and '</span>ギー分野' in html      # the word stays whole around it
    assert 'epub:type' not in html


def test_epub_marks_page_breaks(mini):
    out = mini(DOCS).build('epub')
    xhtml = (out / 'second.xhtml').read_text(encoding='utf-8')
    assert 'epub:type="pagebreak"' in xhtml and 'id="original-page-98"' in xhtml
    assert 'role="doc-pagebreak" aria-label="98"' in xhtml           # as DAISY's reading systems and Ace expect


def test_the_book_knows_its_pages_in_reading_order(mini):
    from taiyaku.ext.pages import in_reading_order

    project = mini(DOCS)
    project.build('html')
    assert in_reading_order(project.app.env) == [
        ('index', '96', 'original-page-96'), ('index', '97', 'original-page-97'),
        ('second', '98', 'original-page-98')]


def test_latex_gets_the_macro(mini):
    out = mini(DOCS).build('latex', latex_engine='uplatex')
    tex = next(out.glob('*.tex')).read_text(encoding='utf-8')
    assert re.findall(r'\\taiyakuoriginalpage\{(\d+)\}', tex) == ['96', '97', '98']


def test_text_and_search_see_the_words_as_printed(mini):
    out = mini(DOCS).build('text')
    assert '省エネルギー分野' in (out / 'index.txt').read_text(encoding='utf-8')


def test_a_page_marked_twice_is_an_error_naming_both_places(mini):
    docs = dict(DOCS, second=DOCS['second'].replace('98', '97'))
    project = mini(docs)
    project.build('html')
    assert re.search(r'second\.rst:\d+: ERROR: original page 97 is marked twice: here and at .*index\.rst:\d+',
                     project.warnings), project.warnings


def test_a_bad_page_number_is_an_error_with_its_line(mini):
    docs = dict(DOCS, second=DOCS['second'].replace('.. original-page:: 98', '.. original-page:: 九八'))
    project = mini(docs)
    project.build('html')
    assert re.search(r'second\.rst:4: ERROR: original-page needs a page number', project.warnings), project.warnings


def test_catalog_qa_counts_the_marker_as_a_reference_and_not_as_text():
    parsed = markup.parse('the field of :original-page:`98`energy conservation')
    assert [(ref.kind, ref.key) for ref in markup.references(parsed)] == [('page', '98')]
    assert markup.plain_text(parsed) == 'the field of energy conservation'
