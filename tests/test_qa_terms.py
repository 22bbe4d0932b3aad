"""The glossary's forbidden renderings and repeated terms (``forbidden``, ``term-count``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from taiyaku import qa
from taiyaku.project import Project
from tests.test_qa_checks import Msg, make_project, msgid_lines

GLOSSARY = '''source,target,explanation,flags
北方領土,Northern Territories,fixed term,
北方領土,Southern Kuril,Russian name (Japan's position),forbidden
北方領土,Kuril Islands,not part of the Kuril Islands,forbidden
国後島,Kunashiri Island,ruby reading くなしり,
国後島,Kunashir,Russian name,forbidden
択捉島,Etorofu Island,ruby reading えとろふ,
日本海,Sea of Japan,,
日本海,East Sea,not a name of the Sea of Japan,forbidden
菅総理大臣,Prime Minister Naoto Kan,first mention,
菅総理大臣,Prime Minister Kan,later mentions,
細川護熙総理大臣,Prime Minister Morihiro Hosokawa,,
総理大臣,Prime Minister,,
日本,Japan,,
ロシア,Russia,,
'''


@pytest.fixture
def check(tmp_path):
    def run(msgid: str, msgstr: str, only: str) -> list[qa.Finding]:
        po = make_project(tmp_path, [Msg(msgid, msgstr)])
        (tmp_path / 'locale' / 'glossary.csv').write_text(GLOSSARY, encoding='utf-8')
        findings = qa.check_project(Project(tmp_path), ['en'])
        assert all(f.line == msgid_lines(po)[0] for f in findings), findings
        return [f for f in findings if f.check == only]
    return run


KUNASHIRI = '北方領土の:ruby:`国後<くなしり>`島'


@pytest.mark.parametrize('msgid, msgstr', [
    (KUNASHIRI, 'Kunashiri Island of the Northern Territories'),
    ('日本は', 'Japan, which never says Kuril Islands here'),        # the term is not in the source
    ('日本海', 'the Sea of Japan'),
])
def test_forbidden_passes(check, msgid, msgstr):
    assert check(msgid, msgstr, 'forbidden') == []


@pytest.mark.parametrize('msgid, msgstr, expected', [
    # the approved form beside it does not excuse it
    (KUNASHIRI, 'Kunashiri Island (Kunashir) of the Northern Territories',
     '“Kunashir” is a forbidden rendering of 国後島 (glossary.csv:6: Russian name); write “Kunashiri Island”'),
    (KUNASHIRI, 'Kunashiri Island of the Northern Territories (the southern Kurils)',
     '“southern Kurils” is a forbidden rendering of 北方領土 (glossary.csv:3'),
    (KUNASHIRI, 'Kunashiri Island of the Northern Territories, not the Kuril Islands',
     '“Kuril Islands” is a forbidden rendering of 北方領土'),
    ('日本海', 'the Sea of Japan (East Sea)', '“East Sea” is a forbidden rendering of 日本海'),
])
def test_forbidden_finds(check, msgid, msgstr, expected):
    found = check(msgid, msgstr, 'forbidden')
    assert [f.message for f in found if expected in f.message], found
    assert {f.severity for f in found} == {qa.ERROR}


def test_a_forbidden_rendering_is_never_an_approved_form(check):
    assert check(KUNASHIRI, 'Kunashir of the Northern Territories', 'glossary')
    assert check(KUNASHIRI, 'Kunashir of the Northern Territories', 'forbidden')


TWICE = '菅総理大臣は訪問し、菅総理大臣が会談した。'


@pytest.mark.parametrize('msgid, msgstr', [
    (TWICE, 'Prime Minister Naoto Kan visited, and Prime Minister Naoto Kan held talks.'),   # repeated
    (TWICE, 'Prime Minister Naoto Kan visited, and Prime Minister Kan held talks.'),         # later-mention form
    (TWICE, 'Prime Minister Naoto Kan visited and held talks.'),                              # left implicit
    (TWICE, 'Prime Minister Naoto Kan visited, and he held talks with Japan and Russia.'),   # a pronoun; other names
    ('国後島を訪れ、国後島で日露', 'visited Kunashiri Island and, on the island, Japan and Russia'),
])
def test_term_count_passes(check, msgid, msgstr):
    assert check(msgid, msgstr, 'term-count') == []


@pytest.mark.parametrize('msgid, msgstr, expected', [
    (TWICE, 'Prime Minister Naoto Kan visited, and Prime Minister Hosokawa held talks.',
     '菅総理大臣 occurs twice in the source but its approved form (“Prime Minister Naoto Kan” or “Prime Minister Kan”) '
     'once in the translation, while “Prime Minister” occurs once more than 総理大臣 in the source'),
    ('国後島を訪れ、国後島で', 'visited Kunashiri Island and, on Etorofu Island,',
     '国後島 occurs twice in the source but its approved form (“Kunashiri Island”) once in the translation, '
     'while “Etorofu Island” occurs once more than 択捉島'),
])
def test_term_count_finds(check, msgid, msgstr, expected):
    found = check(msgid, msgstr, 'term-count')
    assert [f.message for f in found if expected in f.message], found
    assert {f.severity for f in found} == {qa.ERROR}


def test_the_shipped_glossary_forbids_the_renderings_of_a_stated_position():
    from taiyaku.qa.glossary import Glossary

    glossary = Glossary.load(Path(__file__).parent.parent / 'locale' / 'glossary.csv')
    forbidden = {source: {term.target for term in terms} for source, terms in glossary.forbidden.items()}
    assert {'Southern Kuril', 'Kuril Islands'} <= forbidden['北方領土'] and 'Kunashir' in forbidden['国後島']
    assert 'Iturup' in forbidden['択捉島'] and 'East Sea' in forbidden['日本海']
    assert '色丹島' not in forbidden or 'Shikotan' not in forbidden['色丹島']      # MOFA's own form too
    approved = {term.target for terms in glossary.terms.values() for term in terms}
    assert not approved & {term for terms in forbidden.values() for term in terms}
