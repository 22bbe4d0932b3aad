"""The taiyaku command as the Makefile drives it: failures are clear and lose nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def taiyaku(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(project if (project / 'taiyaku').is_dir() else ROOT))
    return subprocess.run([sys.executable, '-m', 'taiyaku', *args], cwd=project, capture_output=True, text=True, env=env)


def test_failed_build_names_file_and_line_and_keeps_the_last_good_output(project_copy):
    project = project_copy
    assert taiyaku(project, 'build', 'html', '--lang', 'ja').returncode == 0
    published = project / 'build' / 'html' / 'ja' / 'caucasus.html'
    good = published.read_bytes()

    source = project / 'source' / 'caucasus.rst'
    lines = source.read_text(encoding='utf-8').splitlines()
    number = next(i for i, line in enumerate(lines, start=1) if line.startswith('2008年8月'))
    lines[number - 1] = lines[number - 1].replace('南オセチア紛争', ':ruby:`南オセチア`紛争', 1)
    source.write_text('\n'.join(lines) + '\n', encoding='utf-8')

    result = taiyaku(project, 'build', 'html', '--lang', 'ja')
    assert result.returncode == 1
    assert f'caucasus.rst:{number}: ERROR: ruby needs a reading' in result.stderr
    assert 'Traceback' not in result.stderr
    assert published.read_bytes() == good


def test_unknown_language_is_refused(project_copy):
    result = taiyaku(project_copy, 'build', 'html', '--lang', 'fr')
    assert result.returncode == 2
    assert 'no catalogs for fr' in result.stderr


def test_outside_a_project(tmp_path):
    result = taiyaku(tmp_path, 'build', 'html')
    assert result.returncode == 2
    assert 'not inside a taiyaku project' in result.stderr


def blank_translation(project: Path, catalog: str, starting: str) -> None:
    import polib

    po = polib.pofile(str(project / 'locale' / 'en' / 'LC_MESSAGES' / catalog))
    next(entry for entry in po if entry.msgid.startswith(starting)).msgstr = ''
    po.save()


def test_the_build_says_how_many_messages_fell_back_to_japanese(project_copy):
    """Sphinx runs quiet (-q hides its log), so the count is the command's own line."""
    blank_translation(project_copy, 'caucasus.po', '2008年8月')
    blank_translation(project_copy, 'caucasus.po', '3　コーカサス')
    result = taiyaku(project_copy, 'build', 'html', 'epub', '--lang', 'en')
    assert result.returncode == 0, result.stderr
    lines = (result.stdout + result.stderr).splitlines()
    said = [line for line in lines if 'not translated' in line]
    assert said == ["taiyaku: 2 message(s) not translated into 'en', shown in Japanese (caucasus: 2)"], lines
    assert 'built 2 outputs' in result.stdout

    complete = taiyaku(project_copy, 'build', 'html', '--lang', 'ja')
    assert complete.returncode == 0 and 'not translated' not in complete.stdout + complete.stderr
    assert 'built 1 output in' in complete.stdout        # not "1 outputs"


def test_a_catalog_restored_with_an_older_time_is_compiled_again(project_copy):
    """cp -p, tar x, rsync -a: the .po is older than its .mo, but not the one the .mo was made from."""
    catalog = project_copy / 'locale' / 'en' / 'LC_MESSAGES' / 'caucasus.po'
    shipped, stamp = catalog.read_bytes(), catalog.stat().st_mtime_ns
    page = project_copy / 'build' / 'html' / 'en' / 'caucasus.html'
    assert taiyaku(project_copy, 'build', 'html', '--lang', 'en').returncode == 0
    assert 'Caucasus Countries' in page.read_text(encoding='utf-8')

    catalog.write_bytes(shipped.replace(b'msgstr "3. Caucasus Countries"', b'msgstr "3. The Caucasus"'))
    assert taiyaku(project_copy, 'build', 'html', '--lang', 'en').returncode == 0
    assert 'The Caucasus' in page.read_text(encoding='utf-8')

    catalog.write_bytes(shipped)                       # the old file back, with its old time
    os.utime(catalog, ns=(stamp, stamp))
    assert catalog.stat().st_mtime_ns < catalog.with_suffix('.mo').stat().st_mtime_ns
    assert taiyaku(project_copy, 'build', 'html', '--lang', 'en').returncode == 0
    text = page.read_text(encoding='utf-8')
    assert 'Caucasus Countries' in text and 'The Caucasus' not in text


def every_command() -> set[str]:
    """The commands as `taiyaku --help` knows them (every command module imported)."""
    import argparse

    from taiyaku import cli

    parser = cli.parser(None)
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(action.choices)


@pytest.mark.parametrize('arguments, says', [
    (('preview', '--port', '99999'), 'is not a port'),
    (('preview', '--port', 'http'), 'is not a port'),
    (('build', 'html', '-j', '0'), 'must be a whole number of at least 1'),
    (('build', 'html', '-j', '-3'), 'must be a whole number of at least 1'),
])
def test_bad_arguments_are_a_usage_error_not_a_traceback(project_copy, arguments, says):
    result = taiyaku(project_copy, *arguments)
    assert result.returncode == 2
    assert says in result.stderr and 'Traceback' not in result.stderr


@pytest.mark.parametrize('arguments', [('build', 'html', '--frobnicate'), ('--frobnicate',), ()])
def test_the_usage_line_lists_every_command(project_copy, arguments):
    result = taiyaku(project_copy, *arguments)
    assert result.returncode == 2
    usage = result.stderr.split('\n\n')[0]
    assert usage.startswith('usage: taiyaku')
    listed = usage[usage.index('{') + 1:usage.index('}')].split(',')
    assert set(listed) == every_command() and len(listed) >= 13, usage


def test_changes_from_an_unknown_edition_says_so(project_copy):
    result = taiyaku(project_copy, 'changes', '--from', '2011.9')
    assert result.returncode == 1
    assert 'no edition 2011.9 (editions in editions.toml: 2011.1, 2011.2, 2011.3)' in result.stderr
    assert 'tag' not in result.stderr


def test_update_po_never_creates_a_language(project_copy):
    result = taiyaku(project_copy, 'update-po', '--lang', 'fr')
    assert result.returncode == 2
    assert 'make add-language LANG=fr' in result.stderr
    assert not (project_copy / 'locale' / 'fr').exists()
    assert taiyaku(project_copy, 'build', 'html', '--lang', 'en').returncode == 0     # nothing broken


def test_add_language_writes_catalogs_and_conf_py_together_and_the_language_builds(project_copy):
    conf = (project_copy / 'conf.py').read_text(encoding='utf-8')
    for name in ('requirements.txt', 'pyproject.toml'):      # what the Makefile's venv target looks at
        shutil.copy2(ROOT / name, project_copy / name)
    result = subprocess.run(['make', '--no-print-directory', '-f', str(ROOT / 'Makefile'), 'add-language', 'LANG=fr',
                             f'VENV={ROOT / ".venv"}', f'STAMP={ROOT / ".venv" / ".installed-requirements"}'],
                            cwd=project_copy, capture_output=True, text=True,
                            env=dict(os.environ, PYTHONPATH=str(project_copy)))
    assert result.returncode == 0, result.stdout + result.stderr
    catalogs = sorted(p.relative_to(project_copy / 'locale/fr/LC_MESSAGES').as_posix()
                      for p in (project_copy / 'locale/fr/LC_MESSAGES').rglob('*.po'))
    assert catalogs == sorted(p.relative_to(project_copy / 'locale/en/LC_MESSAGES').as_posix()
                              for p in (project_copy / 'locale/en/LC_MESSAGES').rglob('*.po'))
    added = (project_copy / 'conf.py').read_text(encoding='utf-8')
    assert added.startswith(conf.rstrip('\n')) and "taiyaku_metadata['fr'] = " in added
    for path in (project_copy / 'locale/fr/LC_MESSAGES').rglob('*.po'):
        assert subprocess.run(['msgfmt', '-c', '-o', '/dev/null', str(path)]).returncode == 0

    built = taiyaku(project_copy, 'build', 'html', '--lang', 'fr')
    assert built.returncode == 0, built.stderr
    assert "not translated into 'fr', shown in Japanese" in built.stdout
    page = (project_copy / 'build/html/fr/index.html').read_text(encoding='utf-8')
    assert 'lang="fr"' in page and 'français' in page

    again = taiyaku(project_copy, 'add-language', 'fr')
    assert again.returncode == 2 and 'has fr already' in again.stderr
    for code, says in (('ja', "master's language"), ('xx', 'not a language Babel knows'),
                       ('French', 'not a language code')):
        refused = taiyaku(project_copy, 'add-language', code)
        assert refused.returncode == 2 and says in refused.stderr, refused.stderr


def test_inconsistent_references_in_a_translation_are_reported_at_the_catalog_line(project_copy):
    catalog = project_copy / 'locale' / 'en' / 'LC_MESSAGES' / 'russia' / 'relations.po'
    lines = catalog.read_text(encoding='utf-8').split('\n')
    changed = next(n for n, line in enumerate(lines) if 'Tokyo Declaration[#fn-tokyo-declaration]_ and' in line)
    lines[changed] = lines[changed].replace('Tokyo Declaration[#fn-tokyo-declaration]_ and', 'Tokyo Declaration and')
    msgid = next(n for n in range(changed, -1, -1) if lines[n].startswith('msgid ')) + 1
    catalog.write_text('\n'.join(lines), encoding='utf-8')
    result = taiyaku(project_copy, 'build', 'html', '--lang', 'en')
    assert result.returncode == 1
    assert f'locale/en/LC_MESSAGES/russia/relations.po:{msgid}: WARNING: inconsistent footnote references' \
        in result.stderr, result.stderr
    assert 'the master has it at source/russia/relations.rst:' in result.stderr


@pytest.mark.parametrize('command', [('build', 'html', '--lang', 'ja'), ('update-po',), ('export-tmx',),
                                     ('changes', '--from', '2011.1'), ('release',)])
def test_a_broken_editions_file_is_one_line_for_every_command(project_copy, command):
    editions = project_copy / 'editions.toml'
    editions.write_text(editions.read_text(encoding='utf-8').replace('id = "2011.1"', 'id = "2011.1"\nid = "x"'),
                        encoding='utf-8')
    result = taiyaku(project_copy, *command)
    assert result.returncode in (1, 2), result.stderr
    assert 'Traceback' not in result.stderr + result.stdout
    assert 'editions.toml' in result.stderr and 'line' in result.stderr


def test_make_passes_jobs_to_the_build():
    """`make html JOBS=1`: one build at a time, for a machine short of memory (bench/RESULTS.md)."""
    done = subprocess.run(['make', '-n', 'html', 'epub', 'JOBS=1'], cwd=ROOT, capture_output=True, text=True)
    builds = [line.split() for line in done.stdout.splitlines() if '-m taiyaku build' in line]
    assert [words[words.index('build') + 1:] for words in builds] == [['html', '-j', '1'], ['epub', '-j', '1']]
    default = subprocess.run(['make', '-n', 'html'], cwd=ROOT, capture_output=True, text=True)
    assert '-j' not in default.stdout.split()
