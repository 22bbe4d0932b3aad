"""The Japanese master against the raw text it was restored from (raw/2011/).

Every character of the raw extraction is accounted for in the built HTML, except the page
furniture; the paragraphs that the extraction split are whole again; footnotes, ruby and
figures are real markup at the places the raw text marks.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from htmltext import body_text

from taiyaku.editions import errata_since, load

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / 'raw' / '2011' / 'bluebook-2011-ch2-sec5.txt'
HTML = ROOT / 'build' / 'html' / 'ja'
FIRST_EDITION = '2011.1'      # the faithful reproduction of the raw text
# Body pages in reading order (index.html is the cover and contents: apparatus).
PAGES = ['section', 'russia/index', 'russia/relations', 'russia/situation', 'central-asia', 'caucasus']

# Page furniture of the printed page, by raw line number (1-based).
FOLIO, RUNNING_HEAD, CHAPTER_TAB = [215], [217], [219, 220, 221]
FURNITURE = FOLIO + RUNNING_HEAD + CHAPTER_TAB
# Kana lines that are ruby readings, and the footnote numbers loose in the text.
READING_LINES = [20, 113, 124, 127, 130, 137, 140]
NOTE_MARKERS = {38: ' 1', 94: ' 2', 95: (' 3', ' 4'), 117: ' 5', 177: ' 6', 191: ' 7', 229: '8', 253: ' 9'}
NOTE_BODY = re.compile(r'^(\d)\t')


def raw_lines() -> list[str]:
    return RAW.read_text(encoding='utf-8').split('\n')


def content_lines(with_readings: bool) -> dict[int, str]:
    """Raw lines of publication text, furniture and footnote numbers removed."""
    result = {}
    for number, line in enumerate(raw_lines(), start=1):
        if number in FURNITURE or (number in READING_LINES and not with_readings):
            continue
        markers = NOTE_MARKERS.get(number, ())
        for marker in (markers,) if isinstance(markers, str) else markers:
            assert marker in line, (number, marker)
            line = line.replace(marker, '', 1)
        line = NOTE_BODY.sub('', line)
        line = re.sub(r'\s+', '', line)
        if line:
            result[number] = line
    return result


@pytest.fixture(scope='module')
def pages(built) -> dict[str, str]:
    """The built pages as first published: later editions' errata are undone, so the
    comparison with the raw text of the first edition still holds, typos included."""
    found = {page: (HTML / f'{page}.html').read_text(encoding='utf-8') for page in PAGES}
    for erratum in errata_since(load(ROOT / 'editions.toml'), FIRST_EDITION):
        html = found[erratum.document]
        assert erratum.corrected in html and erratum.original not in body_text(html), erratum
        found[erratum.document] = html.replace(erratum.corrected, erratum.original)
    return found


@pytest.fixture(scope='module')
def text(pages) -> str:
    """The whole master as a reader sees it, readings dropped."""
    return ''.join(body_text(html) for html in pages.values())


def test_every_character_accounted_for(pages):
    """Same characters, same counts: nothing dropped, nothing invented, nothing doubled."""
    raw = Counter(''.join(content_lines(with_readings=True).values()))
    built = Counter(''.join(body_text(html, keep_readings=True) for html in pages.values()))
    assert raw - built == Counter(), 'characters of the raw text missing from the master'
    assert built - raw == Counter(), 'characters in the master that the raw text does not have'


def test_every_raw_line_present(text):
    missing = {n: line for n, line in content_lines(with_readings=False).items()
               if line not in text and not re.fullmatch(r'[アイウエ]+', line)}
    assert missing == {}


def test_no_page_furniture(text):
    lines = raw_lines()
    folio, running_head = (re.sub(r'\s+', '', lines[n - 1]) for n in FOLIO + RUNNING_HEAD)
    assert folio not in text
    assert text.count(running_head) == 1, 'the running head repeats the section title: only the title stays'
    assert text.startswith(running_head)
    assert '第２章' not in text   # the vertical chapter tab


# Where the extraction broke a paragraph (column and page breaks, footnote blocks,
# captions and headings in between): the two sides must be contiguous in the master.
JOINS = [
    ('平和条約を締結す', 'るとの日本政府の方針'),
    ('中央アジア・コーカサス諸国', 'については、アジアと欧州'),
    ('7月初めの択', '捉島における軍事'),
    ('11月1日のメドヴェージェフ', '大統領による国後島訪問と'),
    ('自由訪問及び墓参', 'を実施すると同時に'),
    ('省エネル', 'ギー分野を始めとする'),
    ('その他、シベリア', '鉄道を利用した輸送'),
    ('国際場裏において、北朝鮮、', 'イラン、アフガニスタンといった'),
    ('横浜APECの際', 'の外相会談において'),
    ('国内総生産（GDP）', '成長率は、夏の干ばつ'),
    ('近代化協力を進めていくことで一致した', '他、2011年2月に、第一次戦略兵器削減条約'),
    ('多国間の枠組みでも提携していく', '立場を示している'),
    ('ガス・パイプラインが開通す', 'るなど天然ガス資源'),
    ('サウダバエフ・カザフスタン国務', '長官兼外相の訪日に続き'),
    ('菅副総理大臣兼財務大', '臣がアジア開発銀行'),
]


@pytest.mark.parametrize('before, after', JOINS)
def test_reading_order_restored(text, before, after):
    assert before + after in text


def paragraphs(html: str) -> list[str]:
    return [body_text(p, fragment=True) for p in re.findall(r'<p>(.*?)</p>', html, re.DOTALL)]


def test_paragraph_count(pages):
    body = [p for page in pages.values()
            for p in paragraphs(page.split('<div class="body"', 1)[1].split('<footer', 1)[0])]
    # 34 paragraphs of text + 9 footnote bodies + 5 captions + 4 legend items
    assert len(body) == 52


FOOTNOTES = [  # number, the text its reference follows, the start of its body
    (1, '中央アジア・コーカサス諸国', '中央アジア諸国は、ウズベキスタン'),
    (2, '日ソ共同宣言', 'ソ連によるサンフランシスコ平和条約'),
    (3, '東京宣言', '1993年10月のエリツィン大統領訪日'),
    (4, 'イルクーツク声明', '1956年の日ソ共同宣言が'),
    (5, '「第二次世界大戦終了の日」の制定', '1995年3月13日No.32-FZ'),
    (6, '四島交流、自由訪問及び墓参', '四島交流、自由訪問及び墓参は、'),
    (7, '統合を目指していることを受け', '2007年には、「2013年までの'),
    (8, '「貿易経済に関する日露政府間委員会」', '1994年11月、サスコベッツ'),
    (9, '同センターは、日露貿易投資促進機構', '日露貿易投資促進機構は、①情報提供'),
]


def test_nine_footnotes_numbered_through_the_section(pages):
    html = ''.join(pages.values())
    refs = re.findall(r'class="footnote-reference brackets"[^>]*><span class="fn-bracket">\[</span>(\d+)<', html)
    notes = re.findall(r'<aside class="footnote brackets" id="([^"]+)"', html)
    assert [int(n) for n in refs] == list(range(1, 10))
    assert len(notes) == 9


@pytest.mark.parametrize('number, anchor, body_start', FOOTNOTES)
def test_footnote_at_its_anchor(pages, number, anchor, body_start):
    html = ''.join(pages.values())
    ref = re.search(r'<a class="footnote-reference brackets" href="#([^"]+)"[^>]*>'
                    r'<span class="fn-bracket">\[</span>' + str(number) + '<', html)
    assert ref, f'no reference numbered {number}'
    assert body_text(html[:ref.start()]).endswith(anchor)
    note = re.search(r'<aside class="footnote brackets" id="' + re.escape(ref[1]) + r'".*?</aside>', html, re.DOTALL)
    assert note, f'footnote {number} has no body'
    assert body_text(note[0], fragment=True).startswith(body_start)
    assert re.search(r'role="doc-backlink"', note[0]), 'footnote without a back-link'


# In document order: footnote bodies follow the paragraph that cites them.
RUBY = [('国後', ['くなしり']), ('色丹', ['しこたん']), ('歯舞', ['はぼ', 'まい']), ('護熙', ['もり', 'ひろ']), ('択捉', ['えとろふ'])]


def test_ruby(pages):
    html = ''.join(pages.values())
    found = []
    for element in re.findall(r'<ruby[^>]*>(.*?)</ruby>', html):
        bases = re.findall(r'([^<>]+)<rp>', element)
        readings = re.findall(r'<rt>(.*?)</rt>', element)
        found.append((''.join(bases), readings))
    assert found == RUBY


CAPTIONS = [
    ('photo', '外相会談後、共同記者会見に臨む前原外務大臣（左）とラヴロフ・ロシア外相（2011年2月11日、ロシア・モスクワ）'),
    ('photo', 'アジア太平洋経済協力（APEC）首脳会議に出席し、メドヴェージェフ・ロシア大統領と会談する菅総理大臣（右）（11月13日、横浜写真提供：内閣広報室）'),
    ('chart', '日ソ・日露貿易高の推移'),
    ('photo', '「中央アジア・日本」対話第3回外相会合における岡田外務大臣（左から3番目）（8月7日、ウズベキスタン・タシケント）'),
    ('photo', '日・グルジア外相会談に臨む岡田外務大臣（左）とヴァシャッゼ・グルジア外相（3月11日、東京）'),
]


def test_figures_with_captions_and_placeholders(pages):
    html = ''.join(pages.values())
    figures = re.findall(r'<figure class="placeholder (\w+)[^"]*"[^>]*>(.*?)</figure>', html, re.DOTALL)
    assert [(kind, body_text(re.search(r'<span class="caption-text">(.*?)</span>', fig)[1], fragment=True))
            for kind, fig in figures] == CAPTIONS
    for kind, fig in figures:
        assert '本版には収録していません' in fig
    legend = body_text(figures[2][1].split('<div class="legend">')[1], fragment=True)
    assert legend == '日本の輸出額（億円）日本の輸入額（億円）貿易総額（百万米ドル）貿易総額（億円）'


HEADINGS = [  # page, element id, heading level, text
    ('section', 'section-5', 1, '第５節　ロシア、中央アジアとコーカサス'),
    ('section', 'kakuron', 2, '各　論'),
    ('russia/index', 'russia', 1, '1　ロシア'),
    ('russia/relations', 'russia-relations', 1, '（1）日露関係'),
    ('russia/relations', 'russia-relations-policy', 2, 'ア　対露外交の位置付け'),
    ('russia/relations', 'russia-relations-territory', 2, 'イ　北方領土問題と平和条約交渉'),
    ('russia/relations', 'russia-relations-economy', 2, 'ウ　日露経済関係'),
    ('russia/relations', 'russia-relations-cooperation', 2, 'エ　様々な分野における日露間の協力'),
    ('russia/situation', 'russia-situation', 1, '（2）ロシア情勢'),
    ('russia/situation', 'russia-situation-domestic', 2, 'ア　ロシア内政'),
    ('russia/situation', 'russia-situation-economy', 2, 'イ　ロシア経済'),
    ('russia/situation', 'russia-situation-diplomacy', 2, 'ウ　ロシア外交'),
    ('central-asia', 'central-asia', 1, '2　中央アジア諸国'),
    ('caucasus', 'caucasus', 1, '3　コーカサス諸国'),
]


def test_heading_structure_and_stable_labels(pages):
    found = []
    for page, html in pages.items():
        for section_id, level, title in re.findall(
                r'<section id="([^"]+)">\s*(?:<span id="[^"]*"></span>)?<h(\d)>(.*?)<a class="headerlink"', html, re.DOTALL):
            found.append((page, section_id, int(level), re.sub(r'<[^>]+>', '', title)))
    assert found == HEADINGS


def test_source_has_no_escaped_spaces():
    for rst in (ROOT / 'source').rglob('*.rst'):
        assert '\\ ' not in rst.read_text(encoding='utf-8'), rst
