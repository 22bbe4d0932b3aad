"""Builds that do no work twice: one reading per language, one document re-read per edit, no needless copy.

Behaviour, not timings (those are in bench/RESULTS.md).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def taiyaku(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(project))
    return subprocess.run([sys.executable, '-m', 'taiyaku', *args], cwd=project, capture_output=True, text=True,
                          env=env)


def doctrees(project: Path, language: str, builder: str) -> dict[str, int]:
    folder = project / 'build' / '.work' / 'doctrees' / language / builder
    return {str(path.relative_to(folder)): path.stat().st_mtime_ns for path in folder.rglob('*.doctree')}


def helpers_in(project: Path) -> list[int]:
    """Build helper processes (taiyaku.warm) working in ``project``."""
    found = []
    for entry in Path('/proc').iterdir():
        try:
            if b'taiyaku.warm' in (entry / 'cmdline').read_bytes() and (entry / 'cwd').resolve() == project.resolve():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_a_cold_build_reads_each_language_once(project_copy):
    result = taiyaku(project_copy, 'build', 'html', 'epub', '--lang', 'ja', 'en')
    assert result.returncode == 0, result.stderr
    for language in ('ja', 'en'):
        html, epub = doctrees(project_copy, language, 'html'), doctrees(project_copy, language, 'epub')
        assert html and html == epub == doctrees(project_copy, language, 'read')   # both start from one reading
        assert (project_copy / 'build' / 'html' / language / 'russia' / 'relations.html').is_file()
        assert len(list((project_copy / 'build' / 'epub' / language).glob('*.epub'))) == 1
    assert helpers_in(project_copy) == []      # the build helper ended with the command


def test_an_edit_re_reads_one_document_and_republishes_only_what_changed(project_copy):
    assert taiyaku(project_copy, 'build', 'html').returncode == 0
    before = {language: doctrees(project_copy, language, 'html') for language in ('ja', 'en')}
    published = project_copy / 'build' / 'html' / 'ja'
    untouched = (published / 'central-asia.html').stat().st_ino

    source = project_copy / 'source' / 'caucasus.rst'
    source.write_text(source.read_text(encoding='utf-8').replace('一定の事態の進展が見られた。',
                                                                 '一定の事態の進展が見られた。（追記）'), encoding='utf-8')
    result = taiyaku(project_copy, 'build', 'html')
    assert result.returncode == 0, result.stderr
    for language in ('ja', 'en'):
        after = doctrees(project_copy, language, 'html')
        assert [doc for doc in after if after[doc] != before[language][doc]] == ['caucasus.doctree']
    assert '（追記）' in (published / 'caucasus.html').read_text(encoding='utf-8')
    assert '（追記）' in (project_copy / 'build' / 'html' / 'en' / 'caucasus.html').read_text(encoding='utf-8')
    assert (published / 'central-asia.html').stat().st_ino == untouched     # published before, not copied again


def test_a_failed_builder_does_not_hand_its_reading_on(project_copy):
    source = project_copy / 'source' / 'caucasus.rst'
    source.write_text(source.read_text(encoding='utf-8').replace('南オセチア紛争', ':ruby:`南オセチア`紛争', 1),
                      encoding='utf-8')
    result = taiyaku(project_copy, 'build', 'html', 'epub', '--lang', 'ja')
    assert result.returncode == 1
    for name in ('html/ja', 'epub/ja'):          # each builder read the sources and found the error itself
        assert f'{name}: ' in result.stderr
    assert result.stderr.count('ruby needs a reading') >= 2
    assert not (project_copy / 'build' / 'epub' / 'ja').exists()


MODULES_AFTER = 'import json, sys\n{}\nprint(json.dumps(sorted(sys.modules)))'


def modules_loaded(project: Path, code: str, *args: str) -> set[str]:
    """The modules a fresh Python has imported after running ``code`` in ``project``."""
    result = subprocess.run([sys.executable, '-c', MODULES_AFTER.format(code), *args], cwd=project,
                            capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(project)))
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_the_build_helper_loads_what_builds_import_and_nothing_else(project_copy, tmp_path):
    """The forks share the helper's modules: one the builds never import is memory held for
    nothing (Janome's dictionary, 21 MB, came in with sphinx.search.ja); one they all import
    but the helper lacks is loaded again by every fork."""
    helper = modules_loaded(project_copy, 'from taiyaku import warm\nwarm.preload()')
    builds = set()
    # the copy has no compiled catalogs: the English build compiles them, as a first build does
    for builder, language in (('html', 'ja'), ('epub', 'en'), ('latex', 'ja')):
        builds |= modules_loaded(
            project_copy, 'from sphinx.cmd.build import build_main\nassert build_main(sys.argv[1:]) == 0',
            '-q', '-b', builder, '-D', f'language={language}', '-c', '.', '-d', str(tmp_path / f'{builder}-{language}.d'),
            'source', str(tmp_path / f'{builder}-{language}'))
    assert helper - builds <= {'gc', 'taiyaku.warm'}           # the helper's own
    assert 'janome' not in helper
    missing = {name for name in builds - helper if not name.startswith('encodings.')}
    assert not missing, f'imported by every fork instead of once: {sorted(missing)}'
