"""`make update-po`: never loses a translation, shows what changed, remembers across catalogs and editions.

Catalogs are read back with polib, a second implementation of the PO format, so what is
checked is what Poedit or Weblate would see.
"""

from __future__ import annotations

import hashlib
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
