"""`make update-po`: never loses a translation, shows what changed, remembers across catalogs and editions.

Catalogs are read back with polib, a second implementation of the PO format, so what is
checked is what Poedit or Weblate would see.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from conftest import commit_all
from taiyaku.editions import record_commit

EN = Path('locale/en/LC_MESSAGES')


def update_po(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, '-m', 'taiyaku', 'update-po', *args], cwd=project,
                          capture_output=True, text=True)


def translations(project: Path) -> dict[tuple[str, str], str]:
    """(catalog, msgid) → msgstr of every live message of every English catalog."""
    found = {}
    for path in sorted((project / EN).rglob('*.po')):
        for entry in polib.pofile(str(path)):
            found[(str(path.relative_to(project / EN)), entry.msgid)] = entry.msgstr
    return found


def paragraph_of(project: Path, document: str, starting: str) -> str:
    text = (project / 'source' / f'{document}.rst').read_text(encoding='utf-8')
    return next(line for line in text.splitlines() if line.startswith(starting))


def edit_source(project: Path, document: str, old: str, new: str) -> None:
    path = project / 'source' / f'{document}.rst'
    text = path.read_text(encoding='utf-8')
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding='utf-8')


def append_paragraph(project: Path, document: str, paragraph: str) -> None:
    path = project / 'source' / f'{document}.rst'
    path.write_text(path.read_text(encoding='utf-8') + '\n' + paragraph + '\n', encoding='utf-8')


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob('*')) if p.is_file()}


def entry(project: Path, catalog: str, msgid: str) -> polib.POEntry:
    found = polib.pofile(str(project / EN / catalog)).find(msgid)
    assert found is not None, msgid
    return found


def test_shipped_catalogs_are_in_step(project_copy):
    before = digest(project_copy / 'locale')
    result = update_po(project_copy)
    assert result.returncode == 0, result.stderr
    assert '0 catalog(s) updated' in result.stdout
    assert digest(project_copy / 'locale') == before


def test_edited_paragraph_is_fuzzy_with_its_previous_text_and_nothing_else_moves(project_copy):
    before = translations(project_copy)
    old = paragraph_of(project_copy, 'caucasus', '2008年8月の南オセチア紛争以来')
    new = old.replace('現在も続けられている。', '現在も続けられている（改訂）。')
    edit_source(project_copy, 'caucasus', old, new)

    result = update_po(project_copy)
    assert result.returncode == 0, result.stderr
    assert '1 changed (fuzzy, previous text kept)' in result.stdout

    after = translations(project_copy)
    changed = entry(project_copy, 'caucasus.po', new)
    assert changed.fuzzy
    assert changed.previous_msgid == old                      # the translator sees what changed
    assert changed.msgstr == before[('caucasus.po', old)]     # and keeps the old translation to edit
    del before[('caucasus.po', old)], after[('caucasus.po', new)]
    assert after == before                                    # every other translation intact
    subprocess.run(['msgfmt', '-c', '-o', '/dev/null', str(project_copy / EN / 'caucasus.po')], check=True)

    # idempotent: the previous msgid survives a second run, and no byte changes
    catalogs = digest(project_copy / 'locale')
    assert update_po(project_copy).returncode == 0
    assert digest(project_copy / 'locale') == catalogs
    assert entry(project_copy, 'caucasus.po', new).previous_msgid == old

    # the translator confirms (Poedit removes the flag): the next update drops the #| lines
    po = polib.pofile(str(project_copy / EN / 'caucasus.po'))
    po.find(new).flags.remove('fuzzy')
    po.save()
    assert update_po(project_copy).returncode == 0
    confirmed = entry(project_copy, 'caucasus.po', new)
    assert not confirmed.fuzzy and confirmed.previous_msgid is None


def test_removed_message_stays_obsolete_until_purged(project_copy):
    old = paragraph_of(project_copy, 'caucasus', '2008年8月の南オセチア紛争以来')
    translation = entry(project_copy, 'caucasus.po', old).msgstr
    edit_source(project_copy, 'caucasus', old + '\n', '')

    result = update_po(project_copy)
    assert result.returncode == 0, result.stderr
    assert '1 now obsolete' in result.stdout
    po = polib.pofile(str(project_copy / EN / 'caucasus.po'))
    obsolete = [e for e in po if e.obsolete]
    assert [(e.msgid, e.msgstr) for e in obsolete] == [(old, translation)]

    result = update_po(project_copy, '--purge-obsolete')
    assert result.returncode == 0, result.stderr
    assert '1 obsolete purged' in result.stdout
    assert not [e for e in polib.pofile(str(project_copy / EN / 'caucasus.po')) if e.obsolete]


def test_a_purge_keeps_what_this_very_run_makes_obsolete(project_copy):
    """Found by the cycle state machine: a paragraph removed, then update-po PURGE=1 at once — the
    translation must not vanish before anyone saw it as obsolete; the next purge drops it."""
    old = paragraph_of(project_copy, 'caucasus', '2008年8月の南オセチア紛争以来')
    translation = entry(project_copy, 'caucasus.po', old).msgstr
    edit_source(project_copy, 'caucasus', old + '\n', '')
    result = update_po(project_copy, '--purge-obsolete')
    assert result.returncode == 0, result.stderr
    assert '1 now obsolete' in result.stdout and '0 obsolete purged' in result.stdout
    assert '1 made obsolete by this run kept' in result.stdout
    obsolete = [(e.msgid, e.msgstr) for e in polib.pofile(str(project_copy / EN / 'caucasus.po')) if e.obsolete]
    assert obsolete == [(old, translation)]
    again = update_po(project_copy, '--purge-obsolete')
    assert '1 obsolete purged' in again.stdout
    assert not [e for e in polib.pofile(str(project_copy / EN / 'caucasus.po')) if e.obsolete]


def msgfmt_check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(['msgfmt', '-c', '-o', '/dev/null', str(path)], capture_output=True, text=True)


def test_a_restored_paragraph_revives_its_obsolete_entry(project_copy):
    """Deleted, updated, restored, updated: the obsolete entry comes back to life, not a twin."""
    catalog = project_copy / EN / 'caucasus.po'
    old = paragraph_of(project_copy, 'caucasus', '2008年8月の南オセチア紛争以来')
    original = entry(project_copy, 'caucasus.po', old)
    source = project_copy / 'source' / 'caucasus.rst'
    before, shipped = source.read_text(encoding='utf-8'), catalog.read_bytes()
    edit_source(project_copy, 'caucasus', old + '\n', '')
    assert update_po(project_copy).returncode == 0
    assert [e.msgid for e in polib.pofile(str(catalog)) if e.obsolete] == [old]

    source.write_text(before, encoding='utf-8')
    result = update_po(project_copy)
    assert result.returncode == 0, result.stderr
    assert '1 revived' in result.stdout
    assert msgfmt_check(catalog).returncode == 0, msgfmt_check(catalog).stderr
    po = polib.pofile(str(catalog))
    assert [e for e in po if e.obsolete] == []
    revived = po.find(old)
    assert (revived.msgstr, revived.fuzzy, revived.occurrences) == (original.msgstr, False, original.occurrences)
    assert revived.tcomment == original.tcomment
    assert catalog.read_bytes() == shipped          # exactly as it was before the paragraph went


def test_a_catalog_holding_a_live_message_and_its_obsolete_twin_is_repaired(project_copy):
    """The state the old update-po left behind: the next update-po mends it (PURGE or not)."""
    catalog = project_copy / EN / 'caucasus.po'
    text = catalog.read_text(encoding='utf-8')
    old = paragraph_of(project_copy, 'caucasus', '2008年8月の南オセチア紛争以来')
    twin = ''.join(f'#~ {line}\n' for line in str(entry(project_copy, 'caucasus.po', old)).splitlines()
                   if line.startswith(('msgid', 'msgstr', '"')))
    catalog.write_text(text + '\n' + twin, encoding='utf-8')
    assert 'duplicate message definition' in msgfmt_check(catalog).stderr

    result = update_po(project_copy)
    assert result.returncode == 0, result.stderr
    assert msgfmt_check(catalog).returncode == 0
    assert catalog.read_text(encoding='utf-8') == text


def test_message_moved_to_another_document_keeps_its_translation(project_copy):
    moved = paragraph_of(project_copy, 'caucasus', '2008年8月の南オセチア紛争以来')
    translation = entry(project_copy, 'caucasus.po', moved).msgstr
    edit_source(project_copy, 'caucasus', moved + '\n', '')
    append_paragraph(project_copy, 'central-asia', moved)

    result = update_po(project_copy)
    assert result.returncode == 0, result.stderr
    assert '1 filled' in result.stdout
    arrived = entry(project_copy, 'central-asia.po', moved)
    assert arrived.msgstr == translation and not arrived.fuzzy
    assert (project_copy / 'build' / 'memory' / 'en.po').is_file()   # the compendium, for Poedit/msgmerge


def test_similar_new_message_gets_a_fuzzy_suggestion_from_memory(project_copy):
    model = paragraph_of(project_copy, 'caucasus', '2008年8月の南オセチア紛争以来')
    similar = model.replace('10月には、', '11月には、')
    append_paragraph(project_copy, 'central-asia', similar)

    result = update_po(project_copy)
    assert result.returncode == 0, result.stderr
    assert '1 suggested' in result.stdout
    suggestion = entry(project_copy, 'central-asia.po', similar)
    assert suggestion.fuzzy
    assert suggestion.previous_msgid == model
    assert suggestion.msgstr == entry(project_copy, 'caucasus.po', model).msgstr


def test_memory_reaches_back_to_past_editions(project_copy):
    """A paragraph dropped in one edition and restored in a later one gets its old translation back."""
    commit = commit_all(project_copy, 'first edition')          # recorded, not tagged: tags may not travel
    record_commit(project_copy / 'editions.toml', '2011.1', commit)
    old = paragraph_of(project_copy, 'caucasus', '2008年8月の南オセチア紛争以来')
    translation = entry(project_copy, 'caucasus.po', old).msgstr
    edit_source(project_copy, 'caucasus', old + '\n', '')
    assert update_po(project_copy).returncode == 0                       # obsolete,
    assert update_po(project_copy, '--purge-obsolete').returncode == 0   # then gone from every working catalog
    assert old not in {msgid for _, msgid in translations(project_copy)}

    append_paragraph(project_copy, 'caucasus', old)
    result = update_po(project_copy)
    assert result.returncode == 0, result.stderr
    assert entry(project_copy, 'caucasus.po', old).msgstr == translation


@pytest.mark.parametrize('damage, where', [
    (lambda text: text.replace('msgstr "', 'msgstr "\\q', 1).replace('msgid "', 'msgid ', 1), 'malformed'),
    (lambda text: text.replace('charset=utf-8', 'charset=NO-SUCH-CHARSET'), 'charset'),
])
def test_malformed_catalog_stops_the_update_with_file_and_line_and_changes_nothing(project_copy, damage, where):
    broken = project_copy / EN / 'section.po'
    damaged = damage(broken.read_text(encoding='utf-8'))
    assert damaged != broken.read_text(encoding='utf-8')
    broken.write_text(damaged, encoding='utf-8')
    edit_source(project_copy, 'caucasus', '現在も続けられている。', '現在も続けられている（改訂）。')
    before = digest(project_copy / 'locale')

    result = update_po(project_copy)
    assert result.returncode == 1
    assert 'Traceback' not in result.stderr
    assert 'locale/en/LC_MESSAGES/section.po' in result.stderr
    assert digest(project_copy / 'locale') == before      # not even the healthy catalogs were touched


# -- the incremental update-po: only what changed is read and written, the bytes of the full path --

RECORD = Path('build/.work/update-po/en.json')
EDITIONS_KEPT = Path('build/.work/update-po/editions')
TEMPLATES_RECORD = Path('build/.work/doctrees/ja/gettext/taiyaku-message-templates.json')
COMPENDIUM = Path('build/memory/en.po')
NEW = '本節の末尾に追加された短い段落である。'
ANOTHER = '本節の末尾に追加されたもう一つの段落である。'


def revise_translation(project: Path, catalog: str, msgid: str, prefix: str) -> None:
    """A translator's edit: ``prefix`` put before the translation of ``msgid`` (an empty one is filled)."""
    path = project / EN / catalog
    text = path.read_text(encoding='utf-8')
    start = text.index('msgstr "', text.index(f'msgid "{msgid}"\n')) + len('msgstr "')
    if text.startswith('"\n"', start):
        start += len('"\n"')
    path.write_text(text[:start] + prefix + text[start:], encoding='utf-8')


def relations_paragraph(project: Path) -> str:
    return paragraph_of(project, 'russia/relations', 'このような中、日露経済関係は')


def caucasus_paragraph(project: Path) -> str:
    return paragraph_of(project, 'caucasus', '2008年8月の南オセチア紛争以来')


def add_edition(project: Path) -> None:
    with (project / 'editions.toml').open('a', encoding='utf-8') as editions:
        editions.write('\n[[edition]]\nid = "2011.4"\ndate = "2026-12-24"\n'
                       'label = { ja = "第1版第4刷", en = "First edition, fourth printing" }\n'
                       'notes = { ja = "試験の版。", en = "A test edition." }\n')


def corrupt_record(project: Path) -> None:
    record = project / RECORD
    record.write_bytes(record.read_bytes()[:len(record.read_bytes()) // 2])


def foreign_record(project: Path) -> None:
    """A record of other code (another toolchain's, say): well formed, not to be trusted."""
    record = project / RECORD
    data = json.loads(record.read_text(encoding='utf-8'))
    data['code'] = '0' * 64
    record.write_text(json.dumps(data, ensure_ascii=False), encoding='utf-8')


def placeholder_header(project: Path) -> None:
    catalog = project / EN / 'section.po'
    catalog.write_text(catalog.read_text(encoding='utf-8').replace(
        'Last-Translator: taiyaku English translation team', 'Last-Translator: FULL NAME <EMAIL@ADDRESS>'),
        encoding='utf-8')


def remove_document(project: Path) -> None:
    (project / 'source' / 'central-asia.rst').unlink()
    edit_source(project, 'section', '   central-asia\n', '')


# (what happens, to the copy being updated (incremental or not), what only the incremental copy suffers, options)
STEPS = [
    ('the shipped catalogs, in step', lambda p: None, None, ()),
    ('one paragraph edited', lambda p: edit_source(p, 'caucasus', '現在も続けられている。', '現在も続けられている（改訂）。'),
     None, ()),
    ('a message added to two documents, untranslated',
     lambda p: (append_paragraph(p, 'caucasus', NEW), append_paragraph(p, 'central-asia', NEW)), None, ()),
    ('a translator translates it in one catalog: the memory fills the other, whose file and template did not change',
     lambda p: revise_translation(p, 'caucasus.po', NEW, 'A short paragraph added at the end of the section.'),
     None, ()),
    ('a translation revised, and its message added to another document in the same step',
     lambda p: (revise_translation(p, 'russia/relations.po', relations_paragraph(p), '(Revised) '),
                append_paragraph(p, 'central-asia', relations_paragraph(p))), None, ()),
    ('a similar message added: a fuzzy suggestion from the memory',
     lambda p: append_paragraph(p, 'russia/situation', caucasus_paragraph(p).replace('10月には、', '11月には、')),
     None, ()),
    ('a message removed: obsolete', lambda p: edit_source(p, 'caucasus', caucasus_paragraph(p) + '\n', ''), None, ()),
    ('a purge', lambda p: None, None, ('--purge-obsolete',)),
    ('a purge with nothing obsolete', lambda p: None, None, ('--purge-obsolete',)),
    ("a header's placeholder put back", placeholder_header, None, ()),
    ('a new edition: every template has a new version', add_edition, None, ()),
    ('the record deleted', lambda p: append_paragraph(p, 'caucasus', ANOTHER),
     lambda p: shutil.rmtree(p / RECORD.parent), ()),
    ('the record corrupted', lambda p: edit_source(p, 'caucasus', ANOTHER, ANOTHER.replace('もう一つの', '別の')),
     corrupt_record, ()),
    ('a record of other code', lambda p: revise_translation(p, 'section.po', paragraph_of(p, 'section', '日本とロシアは、'),
                                                            '(Note) '), foreign_record, ()),
    ('a document removed', remove_document, None, ()),
    ('without the memory', lambda p: append_paragraph(p, 'caucasus', NEW.replace('短い', '長い')), None, ('--no-memory',)),
    ('the memory again', lambda p: None, None, ()),
]


def full_path(project: Path) -> None:
    """Forget what the last runs found: the next update-po extracts, reads and merges everything."""
    for path in (project / RECORD, project / TEMPLATES_RECORD):
        path.unlink(missing_ok=True)
    shutil.rmtree(project / EDITIONS_KEPT, ignore_errors=True)


def test_the_incremental_update_leaves_the_bytes_of_the_full_path(tmp_path):
    """Each step to two copies of the project: one updated as a translator's checkout is
    (the records of the last runs kept), one with every record removed before each run. The
    catalogs, the compendium and the report are the same; the compendium is rewritten only
    when its bytes change."""
    from conftest import copy_project

    (tmp_path / 'incremental').mkdir()
    (tmp_path / 'full').mkdir()
    incremental, full = copy_project(tmp_path / 'incremental'), copy_project(tmp_path / 'full')
    for project in (incremental, full):      # past editions in the memory: the first edition is this commit
        record_commit(project / 'editions.toml', '2011.1', commit_all(project, 'first edition'))
    compendium = None
    for name, change, to_incremental, options in STEPS:
        change(incremental)
        change(full)
        if to_incremental is not None:
            to_incremental(incremental)
        full_path(full)
        ours, theirs = update_po(incremental, *options), update_po(full, *options)
        assert (ours.returncode, ours.stdout, ours.stderr) == (theirs.returncode, theirs.stdout, theirs.stderr), name
        assert ours.returncode == 0, ours.stderr
        assert digest(incremental / 'locale') == digest(full / 'locale'), name
        assert digest(incremental / 'build' / 'memory') == digest(full / 'build' / 'memory'), name
        stat = (incremental / COMPENDIUM).stat()
        if compendium is not None and compendium[1] == (incremental / COMPENDIUM).read_bytes():
            assert stat.st_ino == compendium[0], f'{name}: the compendium was rewritten with the same bytes'
        compendium = stat.st_ino, (incremental / COMPENDIUM).read_bytes()
        assert (incremental / RECORD).is_file(), name
    # what the steps were meant to show did happen
    assert entry(incremental, 'central-asia.po', NEW).msgstr == 'A short paragraph added at the end of the section.'
    assert entry(incremental, 'central-asia.po', relations_paragraph(incremental)).msgstr.startswith('(Revised) ')
    assert 'Project-Id-Version: 外交青書 2011 2011.4' in (incremental / EN / 'section.po').read_text(encoding='utf-8')
    assert 'FULL NAME' not in (incremental / EN / 'section.po').read_text(encoding='utf-8')
    # the compendium carries the edition's date, as the templates do, not the time of the run
    assert '"POT-Creation-Date: 2026-12-24 00:00+0000\\n"' in (incremental / COMPENDIUM).read_text(encoding='utf-8')
