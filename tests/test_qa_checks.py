"""Each catalog check on small catalogs: what it must find, and what it must let pass."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from taiyaku import qa
from taiyaku.po import render
from taiyaku.project import Project

GLOSSARY = '''source,target,explanation
北方領土,Northern Territories,fixed term
国後,Kunashiri,place
国後島,Kunashiri Island,ruby reading くなしり
日本センター,Japan Center,plural Japan Centers
ロシア,Russia,also in Russian
日本,Japan,also in Japanese
第二次世界大戦,World War II,recurring term
外相会談,foreign ministers' meeting,lower case
'''


@dataclass
class Msg:
    msgid: str
    msgstr: str
    fuzzy: bool = False
    comments: tuple[str, ...] = ()
    title: bool = False


def make_project(root: Path, messages: list[Msg], document: str = 'doc') -> Path:
    """A project with one document, its catalog (one message per paragraph or title) and a glossary."""
    (root / 'conf.py').write_text("language = 'ja'\n", encoding='utf-8')
    (root / 'docutils.conf').write_text('[restructuredtext parser]\ncharacter_level_inline_markup: yes\n',
                                        encoding='utf-8')
    lines, catalog = [], Catalog(locale='en', project='fixture', version='1', charset='utf-8', fuzzy=False,
                                 revision_date=datetime(2011, 4, 1, tzinfo=timezone.utc))
    catalog.last_translator, catalog.language_team = 'tester', 'English'
    for message in messages:
        if lines:
            lines.append('')
        if message.title:
            lines += [message.msgid, '=' * 2 * len(message.msgid)]
            line = len(lines)               # docutils places a title at its underline
        else:
            lines.append(message.msgid)
            line = len(lines)
        catalog.add(message.msgid, message.msgstr, locations=[(f'../../source/{document}.rst', line)],
                    flags=['fuzzy'] if message.fuzzy else [], user_comments=list(message.comments))
    source = root / 'source' / f'{document}.rst'
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text('\n'.join(lines) + '\n', encoding='utf-8')
    po = root / 'locale' / 'en' / 'LC_MESSAGES' / f'{document}.po'
    po.parent.mkdir(parents=True, exist_ok=True)
    po.write_bytes(render(catalog))
    (root / 'locale' / 'glossary.csv').write_text(GLOSSARY, encoding='utf-8')
    return po


def msgid_lines(po: Path) -> list[int]:
    """The line of each message's msgid, the header's left out."""
    lines = po.read_text(encoding='utf-8').splitlines()
    return [n for n, line in enumerate(lines, start=1) if line.startswith('msgid ')][1:]


@pytest.fixture
def check(tmp_path):
    """check(msgid, msgstr, …) → the findings of one check (or every check) on that one message."""
    def run(msgid: str, msgstr: str, only: str | None = None, **options) -> list[qa.Finding]:
        po = make_project(tmp_path, [Msg(msgid, msgstr, **options)])
        findings = qa.check_project(Project(tmp_path), ['en'])
        line = msgid_lines(po)[0]
        assert all(f.line == line for f in findings if f.check not in ('syntax', 'header', 'orphans')), findings
        return [f for f in findings if only is None or f.check == only]
    return run


def messages(findings: list[qa.Finding]) -> list[str]:
    return [f.message for f in findings]


# -- completeness ---------------------------------------------------------------------------

def test_completeness(check):
    assert messages(check('日本', '', 'completeness')) == ['untranslated: “日本”']
    fuzzy = check('日本', 'Japan', 'completeness', fuzzy=True)
    assert len(fuzzy) == 1 and fuzzy[0].message.startswith('fuzzy') and fuzzy[0].severity is qa.WARNING
    assert check('日本', 'Japan', 'completeness') == []


def test_untranslated_and_fuzzy_messages_are_not_checked_for_content(check):
    """A fuzzy translation is stale by definition: only completeness speaks of it."""
    assert {f.check for f in check('2010年の日本', '<b>in 2011', fuzzy=True)} == {'completeness'}


# -- references, rst, numbers, glossary, injection: what each lets pass, what each finds -------

def case(check_id: str, msgid: str, msgstr: str, expected: str | None = None, **options):
    return pytest.param(check_id, msgid, msgstr, expected, options, id=f'{check_id}: {msgstr[:40]}')


PASSES = [
    case('references', '日本[#]_とロシア', 'Japan[#]_ and Russia'),
    case('references', '日本[#fn-a]_とロシア[#fn-b]_', 'Japan[#fn-a]_ and Russia[#fn-b]_'),
    case('references', '日本[1]_と[*]_と[CIT]_', 'Japan[1]_ and [*]_ and [CIT]_'),
    case('references', '日本は:ref:`ロシア <russia>`と:doc:`/section`', 'Japan and :ref:`Russia <russia>` and :doc:`/section`'),
    case('references', '日本は:ref:`russia`と', 'Japan and :ref:`Russia <russia>`'),
    case('references', '`外務省 <https://www.mofa.go.jp/>`_', '`Ministry of Foreign Affairs <https://www.mofa.go.jp/>`_ of Japan'),
    case('references', '日本 |today| ロシア', 'Japan |today| Russia'),
    case('references', '日本[#fn-a]_とロシア[#fn-b]_', 'Russia[#fn-b]_ and Japan[#fn-a]_ #noqa'),
    case('rst', '日本とロシア', 'Japan and *Russia* with ``code`` and :ref:`a link <russia>`'),
    case('rst', '1　ロシア', '1. Russia', title=True),                  # a heading's number is no list
    case('rst', '（2）ロシア情勢', '(2) Situation in Russia', title=True),
    case('rst', 'ア　ロシア内政', 'A. Russian domestic politics', title=True),
    case('rst', '日本は1つ', 'Japan is number 1. Russia is not a list'),
    case('numbers', '2010年は約240億米ドルとなった。', 'In 2010 it reached about 24 billion US dollars.'),
    case('numbers', '約4万9,000人が受講し、約3,900人が参加した。', 'About 49,000 people took part and about 3,900 joined.'),
    case('numbers', '2010年11月に訪問した。', 'He visited in November 2010.'),
    case('numbers', '2011年2月11日に発効した。', 'It entered into force on 11 February 2011.'),
    case('numbers', '2011年2月11日に発効した。', 'It entered into force on February 11, 2011.'),
    case('numbers', '３度の首脳会談及び２度の外相会談', "three summit meetings and two foreign ministers' meetings"),
    case('numbers', '日米、日中の8分の1、13分の1程度', 'about one-eighth and one-thirteenth'),
    case('numbers', '成長率は4％、物価上昇率は8.8％となった。', 'Growth was 4 percent and inflation 8.8%.'),
    case('numbers', '第3回外相会合と第4回東京対話', "the 3rd Foreign Ministers' Meeting and the fourth Tokyo Dialogue"),
    case('numbers', '第3四半期以降', 'since the third quarter'),
    case('numbers', '1年を通じ活動した。', 'It was active throughout the year.'),
    case('numbers', '3か国首脳会談', 'trilateral summit meetings'),
    case('numbers', '①歴史、②文書及び③原則', '(1) history, (2) documents and (3) principles'),
    case('numbers', '平成22年度', 'fiscal 2010'),
    case('numbers', '3～5月に', 'from March to May'),
    case('numbers', '第二次世界大戦の終了', 'the end of World War II'),          # a glossary term's number
    case('numbers', '第５節　ロシア', 'Section 5 Russia'),
    case('numbers', '宣言[#fn-ww2-day-1945]_', 'Declaration[#fn-ww2-day-1945]_'),  # a footnote label is no number
    case('numbers', '主要国の一つ', 'one of the major countries'),
    case('numbers', '六十五年', 'sixty-five years'),
    case('numbers', 'G8外相会合', "the G8 Foreign Ministers' Meeting"),
    case('glossary', '北方領土の問題', 'the issue of the Northern Territories'),
    case('glossary', '北方領土の問題', 'the issue of the northern territories'),   # case-insensitive
    case('glossary', '日本センターを設置', 'established Japan Centers'),             # plural
    case('glossary', 'ロシアの立場', "Russia's position"),                          # possessive
    case('glossary', 'ロシア側', 'the Russian side'),                              # demonym
    case('glossary', '北方領土の:ruby:`国後<くなしり>`島', 'Kunashiri Island of the Northern Territories'),
    case('glossary', '外相会談', 'the foreign ministers’ meeting'),                # typographic apostrophe
    case('injection', '日本', '`Japan <https://www.mofa.go.jp/>`_ and :ref:`Russia <russia>`'),
    case('injection', '日本', 'Japan, where 1 < 2 and 3 > 2'),
    case('injection', '``<b>``タグ', 'the ``<b>`` tag'),                          # the source has it too
]

FINDS = [
    case('references', '日本[#]_とロシア', 'Japan and Russia', 'footnote reference [#]_ is missing from the translation'),
    case('references', '日本[#fn-a]_と', 'Japan', 'footnote reference [#fn-a]_ is missing from the translation'),
    case('references', '日本[1]_と', 'Japan', 'footnote reference [1]_ is missing'),
    case('references', '日本[*]_と', 'Japan', 'footnote reference [*]_ is missing'),
    case('references', '日本[CIT2011]_と', 'Japan', 'citation [CIT2011]_ is missing'),
    case('references', '日本と', 'Japan[#fn-x]_', 'footnote reference [#fn-x]_ is not in the source'),
    case('references', '日本は:ref:`ロシア <russia>`と', 'Japan and :ref:`Russia <rossiya>`',
         'cross-reference :ref:`ロシア <russia>` is missing'),
    case('references', '日本は:doc:`/section`と', 'Japan', 'cross-reference :doc:`/section` is missing'),
    case('references', '`外務省 <https://www.mofa.go.jp/>`_', '`MOFA <https://www.mofa.go.jp/en/>`_',
         'link `外務省 <https://www.mofa.go.jp/>`_ is missing'),
    case('references', '日本 mofa_ と', 'Japan', 'hyperlink reference mofa_ is missing'),
    case('references', '日本 |today| ロシア', 'Japan Russia', 'substitution |today| is missing'),
    case('references', '日本[#fn-a]_とロシア[#fn-b]_', 'Russia[#fn-b]_ and Japan[#fn-a]_', 'Sphinx compares them literally'),
    case('rst', '日本とロシア', 'Japan and :ref:`Russia',
         'Inline interpreted text or phrase reference start-string without end-string'),
    case('rst', '日本とロシア', 'Japan and ``Russia', 'Inline literal start-string without end-string'),
    case('rst', '日本とロシア', 'Japan and *Russia', 'Inline emphasis start-string without end-string'),
    case('rst', '日本とロシア', 'Japan and **Russia', 'Inline strong start-string without end-string'),
    case('rst', '日本とロシア', 'Japan and :fantasy:`Russia`', 'Unknown interpreted text role "fantasy"'),
    case('rst', '日本とロシア', 'Japan and :ruby:`Russia`', 'ruby needs a reading'),
    case('rst', '日本とロシア', '1. Japan and Russia', 'reads as an enumerated list, not a paragraph'),
    case('rst', '日本とロシア', '- Japan and Russia', 'reads as a bullet list, not a paragraph'),
    case('rst', '日本とロシア', 'Japan.\n\nRussia.', 'more than one paragraph'),
    case('numbers', '約240億米ドル', 'about 25 billion US dollars',
         '240億 (24,000,000,000) is not in the translation; the translation has 25 billion'),
    case('numbers', '約4万9,000人', 'about 4,900 people', '4万9,000 (49,000) is not in the translation'),
    case('numbers', '2010年11月に', 'in October 2010', '11月 (November) is not in the translation'),
    case('numbers', '2011年2月11日に', 'on February 12, 2011', '11 is not in the translation'),
    case('numbers', '2009年に', 'in 2010', '2009 is not in the translation'),
    case('numbers', '３度の会談', 'two meetings', '3 is not in the translation'),
    case('numbers', '8分の1程度', 'about one-ninth', '8分の1 (0.125) is not in the translation'),
    case('numbers', '8.8％となった', 'reached 8.9%', '8.8 is not in the translation'),
    case('numbers', '第3回外相会合', "the second Foreign Ministers' Meeting", '第3 (3) is not in the translation'),
    case('numbers', '2010年と2010年', 'in 2010', '2010 is not in the translation'),   # each occurrence counts
    case('numbers', '１年を通じ', 'throughout the decade', '1 is not in the translation'),
    case('glossary', '北方領土の問題', 'the issue of the Northern Islands', 'glossary term 北方領土 is “Northern Territories”'),
    case('glossary', '北方領土の:ruby:`国後<くなしり>`島', 'Kunashiri of the Northern Territories',
         'glossary term 国後島 is “Kunashiri Island”'),
    case('glossary', '第二次世界大戦後', 'after World War III', 'glossary term 第二次世界大戦 is “World War II”'),
    case('glossary', 'ロシアの立場', 'the position of Prussia', 'glossary term ロシア is “Russia” (glossary.csv:6)'),
    case('injection', '日本', 'Japan<script>alert(1)</script>', 'HTML <script>, HTML </script> in the translation'),
    case('injection', '日本', 'Japan <b>and</b> Russia', 'HTML <b>'),
    case('injection', '日本', 'Japan <!-- hidden --> Russia', 'HTML <!--'),
    case('injection', '日本', 'Japan <img src=x onerror=alert(1)> Russia', 'HTML <img src=x onerror=alert(1)>'),
    case('injection', '日本', '.. raw:: html\n\n   <script>alert(1)</script>', 'directive .. raw::'),
    case('injection', '日本', 'Japan\n\n.. include:: /etc/passwd', 'directive .. include::'),
    case('injection', '日本', 'Japan .. raw:: latex', 'directive .. raw::'),
    case('injection', '日本', 'Japan \\input{/etc/passwd} Russia', 'LaTeX \\input'),
    case('injection', '日本', 'Japan :math:`\\immediate\\write18{rm -rf /}`', 'LaTeX \\write'),
    case('injection', '日本', 'Japan \\def\\x{y}', 'LaTeX \\def'),
    case('injection', '日本', 'Japan :raw-html:`<b>x</b>`', 'raw role :raw-html:'),
]


@pytest.mark.parametrize('check_id, msgid, msgstr, expected, options', PASSES)
def test_passes(check, check_id, msgid, msgstr, expected, options):
    assert check(msgid, msgstr, check_id, **options) == []


@pytest.mark.parametrize('check_id, msgid, msgstr, expected, options', FINDS)
def test_finds(check, check_id, msgid, msgstr, expected, options):
    found = check(msgid, msgstr, check_id, **options)
    assert any(expected in f.message for f in found), found
    assert {f.severity for f in found} == {qa.ERROR}


def test_every_check_has_cases_both_ways():
    for cases in (PASSES, FINDS):
        assert {c.values[0] for c in cases} == {'references', 'rst', 'numbers', 'glossary', 'injection'}


def test_rst_reads_nothing_and_prints_nothing(check, capfd):
    assert check('日本', '.. include:: /etc/passwd', 'rst') == []       # explicit markup: injection's
    assert capfd.readouterr() == ('', '')


def test_a_malformed_glossary_is_one_finding_naming_its_line(tmp_path):
    make_project(tmp_path, [Msg('日本', 'Japan')])
    (tmp_path / 'locale' / 'glossary.csv').write_text('source,target\n日本,Japan\nロシア,\n', encoding='utf-8')
    found = [f for f in qa.check_project(Project(tmp_path), ['en']) if f.check == 'glossary']
    assert [(f.path.name, f.line) for f in found] == [('glossary.csv', 3)]


# -- leftover --------------------------------------------------------------------------------

def test_japanese_left_in_an_english_translation(check):
    assert 'Japanese text left in the translation: 北方領土' in check('北方領土', 'the 北方領土', 'leftover')[0].message
    ruby = check('国後島', ':ruby:`国後<くなしり>` Island', 'leftover')
    assert any('ruby markup' in f.message for f in ruby)
    assert check('北方領土', 'the Northern Territories', 'leftover') == []


# -- orphans ---------------------------------------------------------------------------------

def test_a_catalog_without_its_document(tmp_path):
    make_project(tmp_path, [Msg('日本', 'Japan')])
    make_project(tmp_path, [Msg('日本', 'Japan')], document='gone/old')
    (tmp_path / 'source' / 'gone' / 'old.rst').unlink()
    found = [(f.path.relative_to(tmp_path).as_posix(), f.line, f.severity) for f in
             qa.check_project(Project(tmp_path), ['en']) if f.check == 'orphans']
    assert found == [('locale/en/LC_MESSAGES/gone/old.po', 1, qa.WARNING)]


# -- qa-ignore -------------------------------------------------------------------------------

def test_qa_ignore_acknowledges_one_exception(check):
    wrong = ('約240億米ドル', 'about 25 billion US dollars')
    assert check(*wrong, comments=('qa-ignore: numbers — the 2011 edition printed 25',)) == []
    assert check(*wrong, comments=('qa-ignore: numbers -- the 2011 edition printed 25',)) == []
    assert [f.check for f in check(*wrong)] == ['numbers']


@pytest.mark.parametrize('comment, expected', [
    ('qa-ignore: numbers', 'needs a reason'),
    ('qa-ignore: numbrs — typo', "names 'numbrs', which is not a message check"),
    ('qa-ignore: syntax — not a message check', "names 'syntax'"),
])
def test_qa_ignore_comments_are_checked(check, comment, expected):
    found = check('約240億米ドル', 'about 25 billion US dollars', comments=(comment,))
    assert any(f.check == 'qa-ignore' and expected in f.message for f in found), found


def test_a_stale_qa_ignore_is_reported(check):
    found = check('約240億米ドル', 'about 24 billion US dollars', comments=('qa-ignore: numbers — was 25',))
    assert [(f.check, f.severity) for f in found] == [('qa-ignore', qa.WARNING)]
    assert 'remove the comment' in found[0].message


def test_checks_are_registered_with_fixed_severities():
    checks = qa.load_checks()
    assert {name: c.severity.value for name, c in checks.items()} == {
        'syntax': 'error', 'header': 'warning', 'completeness': 'warning', 'references': 'error',
        'rst': 'error', 'numbers': 'error', 'glossary': 'error', 'forbidden': 'error', 'term-count': 'error',
        'injection': 'error', 'leftover': 'error', 'orphans': 'warning', 'qa-ignore': 'warning', 'master': 'error'}
    assert all(c.summary for c in checks.values())


def test_the_example_catalog_renders_as_written(tmp_path):
    """The helper writes what msgfmt -c accepts, so the checks above see real catalogs."""
    import subprocess
    po = make_project(tmp_path, [Msg('日本[#]_', 'Japan[#]_'), Msg('1　ロシア', '1. Russia', title=True)])
    result = subprocess.run(['msgfmt', '-c', '-o', '/dev/null', str(po)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert textwrap.dedent('''\
        1　ロシア
        ==========''') in (tmp_path / 'source' / 'doc.rst').read_text(encoding='utf-8')
