"""The taiyaku command as the Makefile drives it: failures are clear and lose nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
