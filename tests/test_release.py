"""`make release`: checked, checksummed, byte-for-byte reproducible, and refused when not ready."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import polib
import pytest

from taiyaku import release
from taiyaku.editions import current

ROOT = Path(__file__).resolve().parent.parent


def taiyaku(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, '-m', 'taiyaku', *args], cwd=project, capture_output=True, text=True)


def git(project: Path, *args: str) -> str:
    return subprocess.run(['git', '-c', 'user.name=t', '-c', 'user.email=t@example.org', *args],
                          cwd=project, check=True, capture_output=True, text=True).stdout


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob('*')) if p.is_file() and '__pycache__' not in p.parts and p.suffix != '.mo'}


def single_edition(project: Path) -> str:
    """Give the copy a one-edition history, so its release needs no earlier edition's tag."""
    path = project / 'editions.toml'
    path.write_text('[source]\nfile = "raw/2011/bluebook-2011-ch2-sec5.txt"\n\n'
                    '[[edition]]\nid = "T.1"\ndate = "2011-04-01"\nlabel = { ja = "試験版", en = "Test edition" }\n',
                    encoding='utf-8')
    return current(path).id


def test_two_clean_releases_are_byte_identical_and_a_past_edition_rebuilds_from_its_tag(project_copy):
    project = project_copy
    shutil.copy2(ROOT / 'requirements.txt', project / 'requirements.txt')
    edition = single_edition(project)
    git(project, 'init', '-q')
    git(project, 'add', '-A')
    git(project, 'commit', '-q', '-m', 'the edition')
    git(project, 'tag', f'edition/{edition}')

    result = taiyaku(project, 'release')
    assert result.returncode == 0, result.stderr
    folder = project / 'build' / 'release' / edition
    sums = (folder / 'SHA256SUMS').read_text(encoding='utf-8')
    names = [line.split('  ', 1)[1] for line in sums.splitlines()]
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
    first = tree_digest(folder)

    # the working tree moves on: a new edition, an edited master; the old one is rebuilt from its tag
    with (project / 'editions.toml').open('a', encoding='utf-8') as handle:
        handle.write('\n[[edition]]\nid = "2099.1"\ndate = "2099-01-01"\n'
                     'label = { ja = "第二版", en = "Second edition" }\n')
    index = project / 'source' / 'index.rst'
    index.write_text(index.read_text(encoding='utf-8').replace('外交青書 2011', '外交青書 2011（改）'), encoding='utf-8')
    working = tree_digest(project / 'source') | tree_digest(project / 'locale')

    result = taiyaku(project, 'release', '--edition', edition)
    assert result.returncode == 0, result.stderr
    assert 'temporary worktree' in result.stdout
    assert tree_digest(folder) == first               # byte-identical: HTML trees, EPUBs, PDFs
    assert tree_digest(project / 'source') | tree_digest(project / 'locale') == working   # tree untouched
    assert 'worktree' not in git(project, 'worktree', 'list').split('\n', 1)[-1]


def test_release_of_an_untagged_edition_is_refused(project_copy):
    result = taiyaku(project_copy, 'release', '--edition', '1999.9')
    assert result.returncode == 1
    assert 'no git tag edition/1999.9' in result.stderr


def released(project: Path) -> list[Path]:
    folder = project / 'build' / 'release'
    return sorted(folder.iterdir()) if folder.exists() else []


def test_fuzzy_message_refuses_the_release_and_leaves_no_folder(project_copy):
    path = project_copy / 'locale' / 'en' / 'LC_MESSAGES' / 'caucasus.po'
    po = polib.pofile(str(path))
    po[0].flags.append('fuzzy')
    po.save()
    result = taiyaku(project_copy, 'release')
    assert result.returncode == 1
    assert 'release refused' in result.stderr
    assert 'locale/en/LC_MESSAGES/caucasus.po:' in result.stderr and 'fuzzy' in result.stderr
    assert released(project_copy) == []
    assert 'Traceback' not in result.stderr


def test_untranslated_message_refuses_the_release(project_copy):
    path = project_copy / 'locale' / 'en' / 'LC_MESSAGES' / 'central-asia.po'
    po = polib.pofile(str(path))
    po[1].msgstr = ''
    po.save()
    result = taiyaku(project_copy, 'release')
    assert result.returncode == 1
    assert 'central-asia.po' in result.stderr and 'untranslated' in result.stderr
    assert released(project_copy) == []


def test_build_warning_refuses_the_release_and_leaves_no_folder(project_copy):
    index = project_copy / 'source' / 'index.rst'
    index.write_text(index.read_text(encoding='utf-8') + '   no-such-document\n', encoding='utf-8')
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
