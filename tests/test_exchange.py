"""Exchange with vendors and CAT tools: XLIFF 2.1 out and back, TMX 1.4b, TBX-Basic.

Every file is validated against the official schema committed in taiyaku/exchange/schemas/
(the OASIS XLIFF 2.1 core XSD, the LISA TMX 1.4b DTD, the ISO 30042 TBX core RELAX NG and
the TBX-Basic Schematron run in Saxon), and read back by translate-toolkit, a third party.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from taiyaku.exchange import schemas
from taiyaku.po import read_catalog

XLF = '{urn:oasis:names:tc:xliff:document:2.0}'
RELATIONS = Path('locale/en/LC_MESSAGES/russia/relations.po')


def taiyaku(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, 'PYTHONPATH': str(project)}
    return subprocess.run([sys.executable, '-m', 'taiyaku', *args], cwd=project, capture_output=True, text=True,
                          env=env)


def catalogs(project: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted((project / 'locale').rglob('*.po'))}


@pytest.fixture
def exported(project_copy):
    result = taiyaku(project_copy, 'export-xliff')
    assert result.returncode == 0, result.stderr
    return project_copy


def xlf(project: Path, name: str = 'russia/relations') -> Path:
    return project / 'build' / 'exchange' / 'xliff' / 'en' / f'{name}.xlf'


def unit_of(document: etree._ElementTree, start: str) -> etree._Element:
    """The unit whose source text starts with ``start``."""
    units = [unit for unit in document.iter(f'{XLF}unit')
             if ''.join(unit.find(f'{XLF}segment/{XLF}source').itertext()).startswith(start)]
    assert len(units) == 1, start
    return units[0]


def edit(path: Path, change) -> None:
    document = etree.parse(str(path))
    change(document)
    path.write_bytes(etree.tostring(document, xml_declaration=True, encoding='UTF-8'))


def set_target(unit: etree._Element, old: str, new: str) -> None:
    target = unit.find(f'{XLF}segment/{XLF}target')
    if target.text and old in target.text:
        target.text = target.text.replace(old, new)
        return
    for child in target:
        if child.tail and old in child.tail:
            child.tail = child.tail.replace(old, new)
            return
    raise AssertionError(f'{old!r} not in the target')


# -- export ------------------------------------------------------------------------------

def test_one_valid_xliff_21_file_per_catalog(exported):
    folder, xliff_folder = exported / 'locale/en/LC_MESSAGES', exported / 'build/exchange/xliff/en'
    pos = sorted(path.relative_to(folder).with_suffix('') for path in folder.rglob('*.po'))
    files = sorted(xliff_folder.rglob('*.xlf'))
    assert [path.relative_to(xliff_folder).with_suffix('') for path in files] == pos
    units = 0
    for path in files:
        document = etree.parse(str(path))
        assert schemas.validate_xliff(document) == [], path
        root = document.getroot()
        assert (root.get('version'), root.get('srcLang'), root.get('trgLang')) == ('2.1', 'ja', 'en')
        units += len(list(root.iter(f'{XLF}unit')))
    assert units == 67


def test_the_validator_refuses_what_the_schema_refuses(exported):
    document = etree.parse(str(xlf(exported)))
    document.find(f'.//{XLF}segment').set('state', 'approved')            # not an XLIFF 2.1 state
    assert schemas.validate_xliff(document)


def test_footnotes_roles_and_the_page_are_protected_codes_and_ruby_a_paired_code(exported):
    document = etree.parse(str(xlf(exported)))
    unit = unit_of(document, '日本政府は、日本固有の領土')
    source, target = unit.find(f'{XLF}segment/{XLF}source'), unit.find(f'{XLF}segment/{XLF}target')
    data = {item.get('id'): item.text for item in unit.iter(f'{XLF}data')}
    placeholders = source.findall(f'{XLF}ph')
    assert [data[ph.get('dataRef')] for ph in placeholders] == [
        '[#fn-japan-soviet-joint-declaration]_', '[#fn-tokyo-declaration]_', '[#fn-irkutsk-statement]_']
    assert {ph.get('canDelete') for ph in placeholders} == {'no'}
    assert [ph.get('id') for ph in target.findall(f'{XLF}ph')] == [ph.get('id') for ph in placeholders]
    assert '[#fn' not in ''.join(source.itertext()) + ''.join(target.itertext())
    page = unit_of(document, '近年、ロシアが極東').find(f'{XLF}segment/{XLF}target/{XLF}ph[@disp="p. 98"]')
    assert page is not None and page.get('canDelete') == 'no' and 'energy conservation' in page.tail
    ruby = unit_of(etree.parse(str(xlf(exported, 'section'))), 'ロシアは、極東').find(f'.//{XLF}source/{XLF}pc')
    assert (ruby.text, ruby.get('canCopy'), ruby.get('dispEnd')) == ('国後', 'no', '<くなしり>`')


def test_states_and_notes(project_copy):
    path = project_copy / RELATIONS
    text = path.read_text(encoding='utf-8')
    text = text.replace('#: ../../source/russia/relations.rst:5\n', '#: ../../source/russia/relations.rst:5\n#, reviewed\n')
    text = text.replace('#: ../../source/russia/relations.rst:10\n', '#: ../../source/russia/relations.rst:10\n#, fuzzy\n')
    text = text.replace('msgstr "C. Japan-Russia economic relations"', 'msgstr ""')
    path.write_text(text, encoding='utf-8')
    assert taiyaku(project_copy, 'export-xliff').returncode == 0
    document = etree.parse(str(xlf(project_copy)))
    states = {unit.get('name'): (unit.find(f'{XLF}segment').get('state'),
                                 unit.find(f'{XLF}segment/{XLF}target') is not None)
              for unit in document.iter(f'{XLF}unit')}
    assert states['source/russia/relations.rst:5'] == ('reviewed', True)
    assert states['source/russia/relations.rst:10'] == ('initial', True)      # fuzzy: the old text offered
    assert states['source/russia/relations.rst:54'] == ('initial', False)     # untranslated
    assert states['source/russia/relations.rst:12'] == ('translated', True)
    notes = [(note.get('category'), note.text) for note in unit_of(document, 'また、日本は、北方領土').iter(f'{XLF}note')]
    assert ('location', 'source/russia/relations.rst:47') in notes
    assert any(category == 'glossary' and text.startswith('北方四島 → four Northern Islands; never:')
               and 'Kuril Islands' in text for category, text in notes)


def test_translate_toolkit_reads_the_export(exported):
    from translate.storage.xliff2 import Xliff2File

    store = Xliff2File.parsefile(str(xlf(exported, 'caucasus')))
    units = [unit for unit in store.units if unit.source]
    catalog = read_catalog(exported / 'locale/en/LC_MESSAGES/caucasus.po', 'en')
    assert len(units) == len([m for m in catalog if m.id])
    assert units[1].target == [m for m in catalog if m.id][1].string


# -- import: the round trip and real changes ------------------------------------------------

def test_round_trip_changes_no_byte(exported):
    before = catalogs(exported)
    files = sorted(str(path) for path in (exported / 'build/exchange/xliff').rglob('*.xlf'))
    result = taiyaku(exported, 'import-xliff', *files)
    assert result.returncode == 0, result.stderr
    assert '0 message(s) changed' in result.stderr and catalogs(exported) == before


def test_a_returned_translation_and_state_are_merged(exported):
    path = xlf(exported)

    def change(document):
        unit = unit_of(document, '日露間では、国際場裏において')
        set_target(unit, 'are advancing cooperation', 'are promoting cooperation')
        unit.find(f'{XLF}segment').set('state', 'reviewed')
    edit(path, change)
    result = taiyaku(exported, 'import-xliff', str(path))
    assert result.returncode == 0, result.stderr
    catalog = read_catalog(exported / RELATIONS, 'en')
    message = next(m for m in catalog if m.id.startswith('日露間では、国際場裏において'))
    assert message.string.startswith('Japan and Russia are promoting cooperation') and message.flags == {'reviewed'}
    assert taiyaku(exported, 'check-po').returncode == 0
    again = taiyaku(exported, 'export-xliff')               # and it goes out as reviewed next time
    assert again.returncode == 0
    state = unit_of(etree.parse(str(path)), '日露間では、国際場裏において').find(f'{XLF}segment').get('state')
    assert state == 'reviewed'


def test_a_conflict_becomes_fuzzy_and_keeps_the_old_text(exported):
    po = exported / RELATIONS
    po.write_text(po.read_text(encoding='utf-8').replace(
        '"Japan and Russia are advancing cooperation', '"Japan and Russia are pursuing cooperation'), encoding='utf-8')
    path = xlf(exported)
    edit(path, lambda d: set_target(unit_of(d, '日露間では、国際場裏において'), 'are advancing', 'are promoting'))
    result = taiyaku(exported, 'import-xliff', str(path))
    assert result.returncode == 0, result.stderr
    assert re.search(r'relations\.xlf:\d+: conflict: ', result.stderr) and '1 conflict(s)' in result.stderr
    message = next(m for m in read_catalog(po, 'en') if m.id.startswith('日露間では、国際場裏において'))
    assert message.fuzzy and message.string.startswith('Japan and Russia are promoting cooperation')
    kept = ' '.join(message.user_comments)          # Babel wraps a long comment over several lines
    assert 'before import: Japan and Russia are pursuing cooperation in the international arena' in kept
    assert taiyaku(exported, 'check-po').returncode == 0          # a fuzzy message is a warning, not an error


def test_a_unit_without_a_target_loses_nothing(exported):
    path = xlf(exported)

    def drop(document):
        segment = unit_of(document, '日露間では、国際場裏において').find(f'{XLF}segment')
        segment.remove(segment.find(f'{XLF}target'))
        segment.set('state', 'initial')
    edit(path, drop)
    before = catalogs(exported)
    assert taiyaku(exported, 'import-xliff', str(path)).returncode == 0
    assert catalogs(exported) == before


# -- import: bad input, each a clear error with file and line, nothing written ---------------

def broken_source(document):
    source = unit_of(document, '日露間では、国際場裏において').find(f'{XLF}segment/{XLF}source')
    source.text = source.text.replace('北朝鮮', '韓国')


def dropped_footnote(document):
    unit = unit_of(document, '日本政府は、日本固有の領土')
    target = unit.find(f'{XLF}segment/{XLF}target')
    ph = target.findall(f'{XLF}ph')[1]
    previous = ph.getprevious()
    previous.tail = (previous.tail or '') + (ph.tail or '')
    target.remove(ph)


def invented_code(document):
    target = unit_of(document, '日露間では、国際場裏において').find(f'{XLF}segment/{XLF}target')
    etree.SubElement(target, f'{XLF}ph', id='9', dataRef='d9')


def wrong_source_language(document):
    document.getroot().set('srcLang', 'zh')


def changed_number(document):
    set_target(unit_of(document, '日露経済関係は近年着実に拡大している。'), 'about 24 billion', 'about 25 billion')


BAD = {
    'malformed XML': (None, 'malformed XML'),
    'not XLIFF 2.1': (lambda d: d.find(f'.//{XLF}segment').set('state', 'approved'), 'not valid XLIFF 2.1'),
    'wrong source language': (wrong_source_language, 'wrong source language srcLang="zh"'),
    'changed source text': (broken_source, 'the source text was changed'),
    'dropped inline code': (dropped_footnote, "broken inline code: the target dropped '[#fn-tokyo-declaration]'"),
    'invented inline code': (invented_code, 'broken inline code: <ph id="9"> refers to dataRef="d9"'),
    'a check-po error': (changed_number, '[numbers] 240億 (24,000,000,000) is not in the translation'),
}


@pytest.mark.parametrize('name', BAD)
def test_bad_input_is_a_clear_error_and_changes_no_catalog(exported, name):
    change, expected = BAD[name]
    path = xlf(exported)
    if change is None:
        path.write_text(path.read_text(encoding='utf-8').replace('</unit>', '</unti>', 3), encoding='utf-8')
    else:
        edit(path, change)
    before = catalogs(exported)
    result = taiyaku(exported, 'import-xliff', str(path))
    assert result.returncode == 1
    assert re.search(rf'^build/exchange/xliff/en/russia/relations\.xlf:[1-9]\d*: .*{re.escape(expected)}',
                     result.stderr, re.MULTILINE), result.stderr
    assert 'nothing imported, every catalog unchanged' in result.stderr and 'Traceback' not in result.stderr
    assert catalogs(exported) == before


def test_a_unit_for_a_message_that_no_longer_exists(exported):
    """The master changed after the export: update-po gave the message a new msgid."""
    po = exported / RELATIONS
    po.write_text(po.read_text(encoding='utf-8').replace('アフガニスタンといった主要な', 'アフガニスタン等の主要な'),
                  encoding='utf-8')
    before = catalogs(exported)
    result = taiyaku(exported, 'import-xliff', str(xlf(exported)))
    assert result.returncode == 1
    assert re.search(r'relations\.xlf:\d+: unit m[0-9a-f]{12} is for a message relations\.po no longer has',
                     result.stderr), result.stderr
    assert catalogs(exported) == before


def test_one_bad_file_stops_the_whole_import(exported):
    edit(xlf(exported, 'caucasus'), lambda d: set_target(
        unit_of(d, 'アルメニアとトルコとの'), 'at odds with', 'in dispute with'))
    edit(xlf(exported), wrong_source_language)
    before = catalogs(exported)
    result = taiyaku(exported, 'import-xliff', str(xlf(exported, 'caucasus')), str(xlf(exported)))
    assert result.returncode == 1 and catalogs(exported) == before


def test_make_import_xliff_needs_files():
    result = subprocess.run(['make', '-s', 'import-xliff'], cwd=Path(__file__).parent.parent, capture_output=True,
                            text=True)
    assert result.returncode == 2 and 'usage: make import-xliff FILES=' in result.stderr


# -- TMX -------------------------------------------------------------------------------------

def git(project: Path, *args: str) -> str:
    return subprocess.run(['git', *args], cwd=project, capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture
def with_history(project_copy):
    """The copy as a repository whose first edition had another translation of one message."""
    git(project_copy, 'init', '-q')
    git(project_copy, '-c', 'user.name=t', '-c', 'user.email=t@example.org', 'add', '-A')
    po = project_copy / 'locale/en/LC_MESSAGES/caucasus.po'
    current = po.read_text(encoding='utf-8')
    po.write_text(current.replace('which is at odds with Armenia', 'which is in confrontation with Armenia'),
                  encoding='utf-8')
    git(project_copy, '-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '-qam', 'first edition')
    first = git(project_copy, 'rev-parse', 'HEAD')
    po.write_text(current, encoding='utf-8')
    return project_copy, first


def first_two_editions(toml: str) -> str:
    """editions.toml with its first two editions only (and what follows the editions): the history
    this test makes has two."""
    head, *editions = toml.split('\n[[edition]]\n')
    rest = editions[-1][editions[-1].index('\n[source]'):]
    kept = [edition.split('\n[source]')[0] for edition in editions[:2]]
    return head + ''.join(f'\n[[edition]]\n{edition}' for edition in kept) + rest


def tmx_units(path: Path) -> list[dict]:
    document = etree.parse(str(path))
    assert schemas.validate_tmx(document) == []
    units = []
    for tu in document.iter('tu'):
        segs = [''.join(tuv.find('seg').itertext()) for tuv in tu.iter('tuv')]
        units.append({'editions': [p.text for p in tu.iter('prop') if p.get('type') == 'x-edition'],
                      'ja': segs[0], 'en': segs[1], 'created': tu.get('creationdate')})
    return units


@pytest.mark.parametrize('recorded', ['tag', 'commit'])
def test_tmx_holds_every_editions_translations(with_history, recorded):
    project, first = with_history
    # the copy has a history of its own: the project's recorded commits are not in it
    toml = project / 'editions.toml'
    toml.write_text(re.sub(r'\ncommit = "[0-9a-f]+"', '', first_two_editions(toml.read_text(encoding='utf-8'))),
                    encoding='utf-8')
    if recorded == 'tag':
        git(project, 'tag', 'edition/2011.1', first)
    else:                       # the commit editions.toml records (tags do not travel with a clone)
        toml.write_text(toml.read_text(encoding='utf-8').replace(
            'id = "2011.1"\n', f'id = "2011.1"\ncommit = "{first}"\n'), encoding='utf-8')
    result = taiyaku(project, 'export-tmx')
    assert result.returncode == 0, result.stderr
    assert '2011.1: 7 catalog(s); 2011.2: 7 catalog(s)' in result.stderr
    units = tmx_units(project / 'build/exchange/translation-memory-ja-en.tmx')
    assert len(units) == 68                                  # 67 messages, one translated two ways
    armenia = [u for u in units if u['ja'].startswith('アルメニアとトルコとの')]
    assert [(u['editions'], 'confrontation' in u['en']) for u in armenia] == [(['2011.1'], True), (['2011.2'], False)]
    assert all(u['editions'] == ['2011.1', '2011.2'] for u in units if u not in armenia and
               not u['ja'].startswith('カリモフ') and '2011.1' in u['editions'])
    assert armenia[0]['created'] == '20110401T000000Z'


def test_tmx_without_history_says_so_and_is_read_by_translate_toolkit(project_copy):
    from translate.storage.tmx import tmxfile

    result = taiyaku(project_copy, 'export-tmx')
    assert result.returncode == 0 and '2011.1: not in this repository' in result.stderr
    path = project_copy / 'build/exchange/translation-memory-ja-en.tmx'
    units = tmx_units(path)
    assert len(units) == 67
    footnoted = next(u for u in units if u['ja'].startswith('日本政府は、日本固有の領土'))
    assert '[#fn-tokyo-declaration]_' in footnoted['ja'] and '[#fn-tokyo-declaration]_' in footnoted['en']
    store = tmxfile.parsefile(str(path))
    assert len(store.units) == 67 and store.units[0].source == '3　コーカサス諸国'


# -- TBX -------------------------------------------------------------------------------------

TBX = '{urn:iso:std:iso:30042:ed-2}'


def test_glossary_as_valid_tbx_basic_with_forbidden_renderings(project_copy):
    result = taiyaku(project_copy, 'export-glossary')
    assert result.returncode == 0, result.stderr
    document = etree.parse(str(project_copy / 'build/exchange/glossary-ja-en.tbx'))
    assert schemas.validate_tbx(document) == []
    entries = {}
    for entry in document.iter(f'{TBX}conceptEntry'):
        japanese, english = entry.findall(f'{TBX}langSec')
        entries[japanese.find(f'.//{TBX}term').text] = [
            (sec.find(f'{TBX}term').text, sec.find(f'{TBX}termNote').text) for sec in english.findall(f'{TBX}termSec')]
    assert entries['北方領土'][0] == ('Northern Territories', 'preferredTerm-admn-sts')
    assert ('Southern Kuril', 'deprecatedTerm-admn-sts') in entries['北方領土']
    assert ('Iturup', 'deprecatedTerm-admn-sts') in entries['択捉島']
    assert ('East Sea', 'deprecatedTerm-admn-sts') in entries['日本海']
    assert entries['菅総理大臣'] == [('Prime Minister Naoto Kan', 'preferredTerm-admn-sts'),
                                    ('Prime Minister Kan', 'admittedTerm-admn-sts')]


def test_the_tbx_basic_rules_can_fail(project_copy):
    assert taiyaku(project_copy, 'export-glossary').returncode == 0
    document = etree.parse(str(project_copy / 'build/exchange/glossary-ja-en.tbx'))
    document.find(f'.//{TBX}termNote').text = 'forbidden'
    problems = schemas.validate_tbx(document)
    assert any('administrativeStatus' in message for _, message in problems), problems
    document.getroot().remove(document.getroot().find(f'{TBX}text'))
    assert schemas.validate_tbx(document)                    # the core structure too


def test_a_malformed_glossary_is_named_with_its_line(project_copy):
    (project_copy / 'locale/glossary.csv').write_text('source,target\n日本,Japan\nロシア,\n', encoding='utf-8')
    result = taiyaku(project_copy, 'export-glossary')
    assert result.returncode == 1 and 'locale/glossary.csv:3: a glossary row needs a source and a target' in result.stderr
