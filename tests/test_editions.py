"""Editions: the colophon and changes pages, errata, and the whole cycle of a corrected reprint."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import polib
import pytest

from conftest import commit_all, git
from htmltext import body_text
from taiyaku import changes
from taiyaku.editions import load, record_commit
from taiyaku.project import Project

ROOT = Path(__file__).resolve().parent.parent
HISTORY = load(ROOT / 'editions.toml')


def page(built: Path, language: str, name: str) -> str:
    """The page's text with whitespace dropped (as body_text gives it): compare with squeeze()."""
    return body_text((built / 'html' / language / f'{name}.html').read_text(encoding='utf-8'))


def squeeze(text: str) -> str:
    return re.sub(r'\s', '', text)


@pytest.mark.parametrize('language, title, publisher', [('ja', '奥付', '外務省'),
                                                       ('en', 'Colophon', 'Ministry of Foreign Affairs of Japan')])
def test_colophon_has_title_publisher_history_and_provenance(built, language, title, publisher):
    text = page(built, language, 'colophon')
    assert text.startswith(title)
    assert squeeze(publisher) in text
    for edition in HISTORY:                   # the whole edition history, in the reader's language
        assert squeeze(edition.label[language]) in text
    assert HISTORY[-1].id in text             # this edition's identifier, on a row of its own
    assert not any(f'{edition.label[language]} ({edition.id})' in text for edition in HISTORY)
    assert 'raw/' not in text and '.txt' not in text     # no path inside the project
    assert '7d7e17038b2ef7e3' in text         # the raw file's SHA-256 (raw/README.md; body_text drops spaces)


def test_colophon_in_every_pdf_and_epub(built):
    for language, title in (('ja', '奥付'), ('en', 'Colophon')):
        pdf = next((built / 'pdf' / language).glob('*.pdf'))
        text = subprocess.run(['pdftotext', '-layout', str(pdf), '-'], capture_output=True, text=True).stdout
        assert title in text and HISTORY[-1].id in text
        epub = next((built / 'epub' / language).glob('*.epub'))
        listing = subprocess.run(['unzip', '-p', str(epub), 'colophon.xhtml'], capture_output=True, text=True).stdout
        assert title in listing and HISTORY[-1].id in listing and HISTORY[0].label[language] in listing


@pytest.mark.parametrize('language', ['ja', 'en'])
def test_changes_page_lists_the_errata_of_this_edition(built, language):
    text = page(built, language, 'changes')
    this = HISTORY[-1]
    if len(HISTORY) == 1:
        assert ('初版' if language == 'ja' else 'firstedition') in text
        return
    for erratum in this.errata:
        assert squeeze(erratum.original) in text and squeeze(erratum.corrected) in text
        assert squeeze(erratum.note[language]) in text
    assert squeeze(HISTORY[-2].label[language]) in text
    if language == 'ja':
        assert not any(squeeze(erratum.original) in text for erratum in this.translation_errata)
        return
    # the English page: first what changed in the English text (its translation errata, or that nothing
    # did), then, in English, what the Japanese master corrected, the Japanese quoted as Japanese
    html = (built / 'html' / 'en' / 'changes.html').read_text(encoding='utf-8')
    own = this.translation_errata_of('en')
    if own:
        assert 'NochangetotheEnglishtext' not in text
        for erratum in own:                   # as the reader sees them (Sphinx sets typographic quotes)
            for quoted in (erratum.original, erratum.corrected, erratum.note['en']):
                assert plain(quoted) in plain(text), quoted
            if '"' in erratum.corrected and "'" not in erratum.corrected:     # a quotation inside the quotation
                assert squeeze(re.sub(r'"([^"]*)"', '‘\\1’', erratum.corrected)) in text
    else:
        assert 'NochangetotheEnglishtext' in text
    assert 'TheJapanesetext' in text
    if this.errata:
        assert f'lang="ja">「{this.errata[0].original}」</span>' in html
    else:
        assert squeeze('The Japanese text, from which this translation is made, is unchanged.') in text


def plain(text: str) -> str:
    """Squeezed, without quotation marks: the page quotes each erratum, a quotation inside it in
    single marks, and Sphinx sets the typographic ones."""
    return squeeze(text).translate(str.maketrans('', '', '‘’“”"\''))


def test_a_corrected_reprint_lists_the_japanese_correction():
    """2011.2, the reprint that corrected the master's typo: its erratum, as editions.toml keeps it."""
    [reprint] = [edition for edition in HISTORY if edition.id == '2011.2']
    assert 'ウスベキスタン' in reprint.errata[0].original and 'ウズベキスタン' in reprint.errata[0].corrected


def test_current_master_carries_the_corrections():
    for edition in HISTORY[1:]:
        for erratum in edition.errata:
            text = (ROOT / 'source' / f'{erratum.document}.rst').read_text(encoding='utf-8')
            assert erratum.corrected in text and erratum.original not in text


def test_each_recorded_commit_is_its_edition():
    """The commits editions.toml records, read in this repository's history: at each, that edition is
    the current one, and the first still has the typo the second corrects."""
    recorded = [edition for edition in HISTORY if edition.commit]
    assert [edition.id for edition in recorded][:2] == ['2011.1', '2011.2']
    assert [edition.id for edition in recorded] == [edition.id for edition in HISTORY][:len(recorded)]
    for edition in recorded:
        shown = subprocess.run(['git', 'show', f'{edition.commit}:editions.toml'], cwd=ROOT, capture_output=True,
                               text=True)
        assert shown.returncode == 0, (f'commit {edition.commit} of edition {edition.id} is not in this clone '
                                       f'(a shallow clone? git fetch --unshallow): {shown.stderr}')
        assert tomllib.loads(shown.stdout)['edition'][-1]['id'] == edition.id
    master = {edition.id: subprocess.run(['git', 'show', f'{edition.commit}:source/{DOCUMENT}.rst'], cwd=ROOT,
                                         capture_output=True, text=True, check=True).stdout for edition in recorded}
    assert ORIGINAL in master['2011.1'] and CORRECTED not in master['2011.1']
    assert CORRECTED in master['2011.2'] and ORIGINAL not in master['2011.2']


def test_changes_since_the_first_edition_in_this_repository():
    """From the recorded commit, in this clone (no tags needed): the correction, and the page markers."""
    listed = taiyaku(ROOT, 'changes', '--from', '2011.1', '--to', '2011.2')
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith('Changes from 2011.1 to 2011.2: 1\n')
    assert 'ウ[-ス-]{+ズ+}ベキスタン' in listed.stdout


# -- the whole cycle, in a copy with its own git history ---------------------------------------

def taiyaku(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, '-m', 'taiyaku', *args], cwd=project, capture_output=True, text=True)


def toml_edition(entry: dict) -> str:
    def table(values: dict) -> str:
        return '{ ' + ', '.join(f'{key} = "{value}"' for key, value in values.items()) + ' }'
    return (f'[[edition]]\nid = "{entry["id"]}"\ndate = "{entry["date"]}"\n'
            f'label = {table(entry["label"])}\nnotes = {table(entry.get("notes", {}))}\n')


SOURCE = '[source]\nfile = "raw/2011/bluebook-2011-ch2-sec5.txt"\n\n'


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding='utf-8')
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding='utf-8')


@pytest.fixture
def first_edition(project_copy) -> Path:
    """A copy whose history is the first edition, as issued: typo and all, its commit recorded
    in editions.toml (as `make release` records it) and no tag."""
    data = tomllib.loads((ROOT / 'editions.toml').read_text(encoding='utf-8'))
    first = data['edition'][0]
    (project_copy / 'editions.toml').write_text(SOURCE + toml_edition(first), encoding='utf-8')
    for erratum in (e for edition in HISTORY[1:] for e in edition.errata):    # undo later corrections
        replace_in(project_copy / 'source' / f'{erratum.document}.rst', erratum.corrected, erratum.original)
        replace_in(project_copy / 'locale' / 'en' / 'LC_MESSAGES' / f'{erratum.document}.po',
                   erratum.corrected, erratum.original)
    commit = commit_all(project_copy, 'first edition')
    record_commit(project_copy / 'editions.toml', first['id'], commit)
    commit_all(project_copy, f'record edition {first["id"]}')
    return project_copy


ORIGINAL, CORRECTED, DOCUMENT = 'カリモフ・ウスベキスタン大統領', 'カリモフ・ウズベキスタン大統領', 'central-asia'
REPRINT = {'id': 'T.2', 'date': '2026-11-26', 'label': {'ja': '第1版第2刷', 'en': 'Corrected reprint'}}
ERRATUM = (f'\n[[edition.errata]]\ndocument = "{DOCUMENT}"\noriginal = "{ORIGINAL}"\ncorrected = "{CORRECTED}"\n'
           f'note = {{ ja = "誤記の訂正", en = "typographical error corrected" }}\n')


def issue_reprint(project: Path, with_erratum: bool = True) -> None:
    replace_in(project / 'source' / f'{DOCUMENT}.rst', ORIGINAL, CORRECTED)
    with (project / 'editions.toml').open('a', encoding='utf-8') as handle:
        handle.write('\n' + toml_edition(REPRINT) + (ERRATUM if with_erratum else ''))


def test_corrected_reprint_cycle(first_edition):
    project = first_edition
    before = {(e.msgid): e.msgstr for e in polib.pofile(str(project / 'locale/en/LC_MESSAGES/central-asia.po'))}
    issue_reprint(project)

    # the English catalog comes through with no translation lost, the changed message flagged
    assert taiyaku(project, 'update-po').returncode == 0
    catalog = polib.pofile(str(project / 'locale/en/LC_MESSAGES/central-asia.po'))
    fuzzy = catalog.fuzzy_entries()
    assert len(fuzzy) == 1
    assert ORIGINAL in fuzzy[0].previous_msgid and CORRECTED in fuzzy[0].msgid
    assert fuzzy[0].msgstr == before[fuzzy[0].previous_msgid]
    assert all(before[e.msgid] == e.msgstr for e in catalog if e is not fuzzy[0] and not e.obsolete)

    # flagged for review: the release is refused until a translator confirms it
    commit_all(project, 'the corrected reprint, its message to review')
    refused = taiyaku(project, 'release')
    assert refused.returncode == 1 and 'fuzzy' in refused.stderr
    fuzzy[0].flags.remove('fuzzy')
    catalog.save()

    listed = taiyaku(project, 'changes', '--from', '2011.1')
    assert listed.returncode == 0, listed.stderr
    assert 'Changes from 2011.1 to working tree: 1' in listed.stdout
    assert 'ウ[-ス-]{+ズ+}ベキスタン' in listed.stdout
    assert 'en: (unchanged)' in listed.stdout
    assert changes.unlisted_changes(Project(project)) == []

    reprint = commit_all(project, 'the corrected reprint, reviewed')
    done = taiyaku(project, 'release')
    assert done.returncode == 0, done.stderr
    changes_page = (project / 'build/release/T.2/html/en/changes.html').read_text(encoding='utf-8')
    assert ORIGINAL in changes_page and CORRECTED in changes_page and 'typographical error corrected' in changes_page
    assert f'commit = "{reprint}"' in (project / 'editions.toml').read_text(encoding='utf-8')   # recorded


def test_a_change_to_the_master_that_is_not_an_erratum_is_refused(first_edition):
    project = first_edition
    issue_reprint(project, with_erratum=False)
    problems = changes.unlisted_changes(Project(project))
    assert len(problems) == 1
    assert 'central-asia: changed since 2011.1 but not in the errata of T.2' in problems[0]
    assert 'ウ[-ス-]{+ズ+}ベキスタン' in problems[0]


def test_an_erratum_that_changes_nothing_is_refused(first_edition):
    project = first_edition
    with (project / 'editions.toml').open('a', encoding='utf-8') as handle:
        handle.write('\n' + toml_edition(REPRINT) + ERRATUM)     # listed, but the master was not corrected
    problems = changes.unlisted_changes(Project(project))
    assert problems and 'is not a change since 2011.1' in problems[-1]


def test_release_gate_names_the_previous_edition_when_its_commit_is_unknown(first_edition):
    project = first_edition
    issue_reprint(project)
    path = project / 'editions.toml'
    path.write_text(re.sub(r'\ncommit = "[0-9a-f]+"', '', path.read_text(encoding='utf-8')), encoding='utf-8')
    problems = changes.unlisted_changes(Project(project))
    assert problems == ['cannot compare with the previous edition 2011.1: edition 2011.1 has no recorded commit: '
                        'editions.toml records one (commit = "<sha>") when the edition is released']
    commit_all(project, 'the reprint, with the record of 2011.1 lost')
    refused = taiyaku(project, 'release')
    assert refused.returncode == 1 and 'previous edition 2011.1' in refused.stderr


def test_a_fresh_clone_without_tags_reads_past_editions_and_can_tag_them(first_edition, tmp_path):
    """Tags do not always travel with a clone or a mirror; the branch does, and editions.toml with it."""
    issue_reprint(first_edition)
    commit_all(first_edition, 'the corrected reprint, in progress')
    clone = tmp_path / 'clone'
    subprocess.run(['git', 'clone', '-q', '--no-tags', str(first_edition), str(clone)], check=True)
    assert git(clone, 'tag', '--list') == ''

    listed = taiyaku(clone, 'changes', '--from', '2011.1')
    assert listed.returncode == 0, listed.stderr
    assert 'ウ[-ス-]{+ズ+}ベキスタン' in listed.stdout
    assert changes.unlisted_changes(Project(clone)) == []

    unknown = taiyaku(clone, 'changes', '--from', '2011.9')
    assert unknown.returncode == 1
    assert 'no edition 2011.9 (editions in editions.toml: 2011.1, T.2)' in unknown.stderr
    unreleased = taiyaku(clone, 'changes', '--from', 'T.2')
    assert unreleased.returncode == 1 and 'edition T.2 has no recorded commit' in unreleased.stderr

    tagged = taiyaku(clone, 'tag-editions')
    assert tagged.returncode == 0, tagged.stderr
    commit = re.search(r'commit = "([0-9a-f]+)"', (clone / 'editions.toml').read_text(encoding='utf-8'))[1]
    assert git(clone, 'rev-parse', 'edition/2011.1^{commit}').strip() == commit
    assert 'edition/2011.1 → ' in tagged.stdout and 'edition/T.2: no commit recorded' in tagged.stdout
    assert taiyaku(clone, 'tag-editions').returncode == 0                  # again: nothing to do
    git(clone, 'tag', '-f', 'edition/2011.1', 'HEAD')                      # a tag that disagrees with the record
    clash = taiyaku(clone, 'tag-editions')
    assert clash.returncode == 1 and 'but editions.toml records' in clash.stderr


def test_an_erratum_must_name_one_place(first_edition):
    project = first_edition
    replace_in(project / 'source' / f'{DOCUMENT}.rst', ORIGINAL, CORRECTED)
    vague = ERRATUM.replace(f'original = "{ORIGINAL}"', 'original = "ベキスタン"').replace(
        f'corrected = "{CORRECTED}"', 'corrected = "ベキスタン"')
    with (project / 'editions.toml').open('a', encoding='utf-8') as handle:
        handle.write('\n' + toml_edition(REPRINT) + vague)
    problems = changes.unlisted_changes(Project(project))
    assert any('matches more than one place' in problem for problem in problems), problems


def test_marking_the_originals_pages_needs_no_erratum(first_edition):
    project = first_edition
    replace_in(project / 'source' / f'{DOCUMENT}.rst', 'ぶりに日本を訪問し', 'ぶりに日本を:original-page:`99`訪問し')
    with (project / 'editions.toml').open('a', encoding='utf-8') as handle:
        handle.write('\n' + toml_edition(REPRINT))
    assert changes.unlisted_changes(Project(project)) == []
    replace_in(project / 'source' / f'{DOCUMENT}.rst', '8年ぶり', '9年ぶり')      # a word changed beside it
    assert len(changes.unlisted_changes(Project(project))) == 1


# -- corrections to a translation's text ----------------------------------------------------------

ENGLISH_ERRATUM = ('\n[[edition.translation-errata]]\nlanguage = "en"\ndocument = "central-asia"\n'
                   'original = "President Islam Karimov"\ncorrected = "President Islam A. Karimov"\n'
                   'note = { en = "The name as the Ministry writes it." }\n')


def test_the_english_changes_page_lists_corrections_to_the_english_text(project_copy):
    """A translation erratum in editions.toml is what the English page lists first; the
    Japanese page does not mention it (it is no change to the Japanese text)."""
    with (project_copy / 'editions.toml').open('a', encoding='utf-8') as handle:
        handle.write('\n' + toml_edition({'id': 'T.3', 'date': '2026-12-01',
                                          'label': {'ja': '第1版第3刷', 'en': 'First edition, third printing'}})
                     + ENGLISH_ERRATUM)
    done = taiyaku(project_copy, 'build', 'html')
    assert done.returncode == 0, done.stderr
    english = page(project_copy / 'build', 'en', 'changes')
    assert 'ThiseditioncorrectsthefollowingerrorsintheEnglishtextofthepreviousedition' in english
    assert 'PresidentIslamKarimov' in english and 'PresidentIslamA.Karimov' in english
    assert 'ThenameastheMinistrywritesit.' in english
    assert 'NochangetotheEnglishtext' not in english
    assert 'TheJapanesetext,fromwhichthistranslationismade,isunchanged' in english       # T.3 has no errata
    japanese = page(project_copy / 'build', 'ja', 'changes')
    assert 'Karimov' not in japanese and '本文に変更はありません' in japanese


def test_a_translation_changed_without_its_erratum_is_refused():
    from taiyaku.changes import Change, unlisted_translation_changes
    from taiyaku.editions import Edition, Erratum

    change = Change('central-asia', 'retranslated', 'ja', 'ja',
                    {'en': ('President Islam Karimov visited.', 'President Islam A. Karimov visited.')})
    bare = Edition('T.3', HISTORY[-1].date, {'en': 'x'}, {})
    problems = unlisted_translation_changes([change], bare)
    assert len(problems) == 1 and 'the en text changed' in problems[0] and 'central-asia' in problems[0]
    listed = Edition('T.3', HISTORY[-1].date, {'en': 'x'}, {}, translation_errata=(
        Erratum('central-asia', 'President Islam Karimov', 'President Islam A. Karimov', language='en'),))
    assert unlisted_translation_changes([change], listed) == []
    unchanged = Change('central-asia', 'changed', 'ウス', 'ウズ', {'en': ('Uzbekistan', 'Uzbekistan')})
    assert unlisted_translation_changes([unchanged], bare) == []


def test_an_erratum_naming_a_document_no_longer_there_says_so(project_copy):
    """Found by the cycle state machine: a document renamed under an erratum of the current edition."""
    (project_copy / 'source' / 'central-asia.rst').rename(project_copy / 'source' / 'central-asia-2.rst')
    replace_in(project_copy / 'source' / 'section.rst', '   central-asia\n', '   central-asia-2\n')
    result = taiyaku(project_copy, 'build', 'html', '--lang', 'en')     # its page lists every erratum
    assert result.returncode == 1
    assert (f"editions.toml: an erratum of {HISTORY[-1].id} names the document central-asia, which is not in "
            "source/" in result.stderr), result.stderr
