"""`make release`: checked, checksummed, byte-for-byte reproducible, and refused when not ready."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import lxml.html
import polib
import pytest

from conftest import commit_all, git
from taiyaku import release
from taiyaku.editions import current

ROOT = Path(__file__).resolve().parent.parent


def taiyaku(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, '-m', 'taiyaku', *args], cwd=project, capture_output=True, text=True)


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob('*')) if p.is_file() and '__pycache__' not in p.parts and p.suffix != '.mo'
            and not p.name.endswith('.mo.sha256')}


def single_edition(project: Path) -> str:
    """Give the copy a one-edition history, so its release needs no earlier edition."""
    path = project / 'editions.toml'
    path.write_text('[source]\nfile = "raw/2011/bluebook-2011-ch2-sec5.txt"\n\n'
                    '[[edition]]\nid = "T.1"\ndate = "2011-04-01"\nlabel = { ja = "試験版", en = "Test edition" }\n',
                    encoding='utf-8')
    return current(path).id


@pytest.fixture
def committed(project_copy) -> Path:
    """The copy with a one-edition history, committed: ready to release."""
    shutil.copy2(ROOT / 'requirements.txt', project_copy / 'requirements.txt')
    single_edition(project_copy)
    commit_all(project_copy, 'the edition')
    return project_copy


def test_two_clean_releases_are_byte_identical_and_a_past_edition_rebuilds_from_its_commit(committed):
    project = committed
    commit = git(project, 'rev-parse', 'HEAD').strip()
    result = taiyaku(project, 'release')
    assert result.returncode == 0, result.stderr
    folder = project / 'build' / 'release' / 'T.1'
    sums = (folder / 'SHA256SUMS').read_text(encoding='utf-8')
    assert sums.splitlines()[0] == f'# T.1, built from commit {commit}'
    names = release.summed_files(sums)
    # every format of every language, and the sums cover every file
    for expected in ('html/ja/index.html', 'html/en/index.html', 'html/ja/colophon.html',
                     'epub/bluebook-2011-ch2-sec5-ja.epub', 'epub/bluebook-2011-ch2-sec5-en.epub',
                     'pdf/bluebook-2011-ch2-sec5-ja.pdf', 'pdf/bluebook-2011-ch2-sec5-en.pdf',
                     'parallel/html/index.html', 'parallel/epub/bluebook-2011-ch2-sec5-ja-en.epub',
                     'parallel/pdf/bluebook-2011-ch2-sec5-ja-en.pdf'):
        assert expected in names
    assert sorted(names) == sorted(str(p.relative_to(folder)) for p in folder.rglob('*')
                                   if p.is_file() and p.name != 'SHA256SUMS')
    assert not any(name.endswith('.buildinfo') for name in names)
    checked = subprocess.run(['sha256sum', '--check', '--strict', '--quiet', 'SHA256SUMS'], cwd=folder,
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    grouped = ' '.join(commit[start:start + 8] for start in range(0, len(commit), 8))
    for language in ('ja', 'en'):               # the colophon names the commit (in groups of eight, as checksums)
        colophon = lxml.html.parse(str(folder / 'html' / language / 'colophon.html'))
        assert grouped in colophon.xpath('string(//code[contains(@class, "commit")])')
    # the release recorded its commit in editions.toml, a tracked file: it travels with the branch
    assert current(project / 'editions.toml').commit == commit
    assert f'commit {commit[:12]} as edition T.1 in editions.toml' in result.stdout
    first = tree_digest(folder)
    commit_all(project, 'record the edition')

    # the working tree moves on: a new edition, an edited master, committed; no tag anywhere.
    # The old one is rebuilt from its recorded commit.
    with (project / 'editions.toml').open('a', encoding='utf-8') as handle:
        handle.write('\n[[edition]]\nid = "2099.1"\ndate = "2099-01-01"\n'
                     'label = { ja = "第二版", en = "Second edition" }\n')
    index = project / 'source' / 'index.rst'
    index.write_text(index.read_text(encoding='utf-8').replace('外交青書 2011', '外交青書 2011（改）'), encoding='utf-8')
    commit_all(project, 'the next edition, in progress')
    assert git(project, 'tag', '--list') == ''
    working = tree_digest(project / 'source') | tree_digest(project / 'locale')

    result = taiyaku(project, 'release', '--edition', 'T.1')
    assert result.returncode == 0, result.stderr
    assert 'temporary clone' in result.stdout
    # byte-identical (every file's SHA-256): HTML trees, EPUBs, PDFs; so the published folder stays
    assert 'already published with exactly these files' in result.stdout
    assert tree_digest(folder) == first
    assert tree_digest(project / 'source') | tree_digest(project / 'locale') == working   # tree untouched
    assert git(project, 'status', '--porcelain') == ''
    assert git(project, 'tag', '--list') == '' and 'worktree' not in git(project, 'worktree', 'list').split('\n', 1)[-1]


def test_a_published_edition_is_never_replaced_by_uncommitted_work_and_by_other_commits_only_with_force(committed):
    project = committed
    assert taiyaku(project, 'release').returncode == 0
    recorded = current(project / 'editions.toml').commit
    commit_all(project, 'record the edition')
    folder = project / 'build' / 'release' / 'T.1'
    published = tree_digest(folder)
    catalog = project / 'locale' / 'en' / 'LC_MESSAGES' / 'caucasus.po'
    shipped = catalog.read_text(encoding='utf-8')

    # an uncommitted catalog edit: refused, FORCE or not, and the published folder kept
    catalog.write_text(shipped.replace('3. Caucasus Countries', '3. DIRTY'), encoding='utf-8')
    for force in ((), ('--force',)):
        result = taiyaku(project, 'release', *force)
        assert result.returncode == 1
        assert 'uncommitted changes (locale/en/LC_MESSAGES/caucasus.po)' in result.stderr, result.stderr
    assert tree_digest(folder) == published

    # committed, but the edition is out: refused without FORCE, replaced with it
    catalog.write_text(shipped.replace('3. Caucasus Countries', '3. The Caucasus'), encoding='utf-8')
    changed = commit_all(project, 'a better heading, but the edition is out')
    result = taiyaku(project, 'release')
    assert result.returncode == 1
    assert f'edition T.1 was published from commit {recorded[:12]}' in result.stderr, result.stderr
    assert 'make release EDITION=T.1' in result.stderr and 'FORCE=1' in result.stderr
    assert tree_digest(folder) == published

    forced = taiyaku(project, 'release', '--force')
    assert forced.returncode == 0, forced.stderr
    assert 'The Caucasus' in (folder / 'html' / 'en' / 'caucasus.html').read_text(encoding='utf-8')
    assert (folder / 'SHA256SUMS').read_text(encoding='utf-8').startswith(f'# T.1, built from commit {changed}')
    assert current(project / 'editions.toml').commit == changed        # the record follows what was published
    assert not any('DIRTY' in p.read_text(encoding='utf-8') for p in folder.rglob('*.html'))


def test_a_release_outside_git_is_refused(project_copy):
    result = taiyaku(project_copy, 'release')
    assert result.returncode == 1 and 'not the top folder of a git repository' in result.stderr
    assert released(project_copy) == []


def test_release_of_an_unknown_edition_is_refused(committed):
    result = taiyaku(committed, 'release', '--edition', '1999.9')
    assert result.returncode == 1
    assert 'no edition 1999.9 (editions in editions.toml: T.1)' in result.stderr


def released(project: Path) -> list[Path]:
    folder = project / 'build' / 'release'
    return sorted(folder.iterdir()) if folder.exists() else []


def test_fuzzy_message_refuses_the_release_and_leaves_no_folder(committed):
    project_copy = committed
    path = project_copy / 'locale' / 'en' / 'LC_MESSAGES' / 'caucasus.po'
    po = polib.pofile(str(path))
    po[0].flags.append('fuzzy')
    po.save()
    commit_all(project_copy, 'a fuzzy message')
    result = taiyaku(project_copy, 'release')
    assert result.returncode == 1
    assert 'release refused' in result.stderr
    assert 'locale/en/LC_MESSAGES/caucasus.po:' in result.stderr and 'fuzzy' in result.stderr
    assert released(project_copy) == []
    assert 'Traceback' not in result.stderr


def test_untranslated_message_refuses_the_release(committed):
    project_copy = committed
    path = project_copy / 'locale' / 'en' / 'LC_MESSAGES' / 'central-asia.po'
    po = polib.pofile(str(path))
    po[1].msgstr = ''
    po.save()
    commit_all(project_copy, 'an untranslated message')
    result = taiyaku(project_copy, 'release')
    assert result.returncode == 1
    assert 'central-asia.po' in result.stderr and 'untranslated' in result.stderr
    assert released(project_copy) == []


def test_build_warning_refuses_the_release_and_leaves_no_folder(committed):
    project_copy = committed
    index = project_copy / 'source' / 'index.rst'
    index.write_text(index.read_text(encoding='utf-8') + '   no-such-document\n', encoding='utf-8')
    commit_all(project_copy, 'a broken toctree')
    result = taiyaku(project_copy, 'release')
    assert result.returncode == 1
    assert 'no-such-document' in result.stderr
    assert released(project_copy) == []


def test_epubcheck_findings_are_reported(tmp_path):
    broken = tmp_path / 'broken.epub'
    with zipfile.ZipFile(broken, 'w') as archive:
        archive.writestr('mimetype', 'application/zip')
    assert release.epubcheck(broken)


def test_missing_epubcheck_is_a_clear_refusal(tmp_path, monkeypatch):
    monkeypatch.setattr(release, 'EPUBCHECK_JAR', tmp_path / 'no-such.jar')
    with pytest.raises(release.ReleaseError, match='epubcheck is not installed'):
        release.epubcheck(tmp_path / 'any.epub')
