"""Reliability: a missing tool, an unwritable build folder, a full disk, a killed update, concurrent builds.

In every case the user reads what is wrong (and what to install or fix), the exit status
is non-zero where the output cannot be trusted, and nothing is lost: catalogs and sources
are byte-identical to before, or each catalog is wholly old or wholly new.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from taiyaku import cli, environment
from tools import pdfinfo

ROOT = Path(__file__).resolve().parent.parent


def taiyaku(project: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, '-m', 'taiyaku', *args], cwd=project, capture_output=True,
                          text=True, env=env)


def digest(folder: Path, pattern: str = '*') -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob(pattern)) if p.is_file() and '__pycache__' not in p.parts}


# -- the machine lacks something -----------------------------------------------------------------

def test_pdf_without_tex_says_what_to_install(project_copy, tmp_path):
    empty = tmp_path / 'empty-path'
    empty.mkdir()
    result = taiyaku(project_copy, 'build', 'pdf', '--lang', 'en', env={**os.environ, 'PATH': str(empty)})
    assert result.returncode == 1
    assert 'this machine cannot typeset the PDF' in result.stderr
    assert 'missing: latexmk' in result.stderr and 'missing: XeLaTeX' in result.stderr
    assert 'run `make setup`' in result.stderr and 'texlive-xetex' in result.stderr
    assert 'Traceback' not in result.stderr
    assert not (project_copy / 'build' / 'pdf').exists()


def test_missing_font_is_named_with_its_package(monkeypatch):
    real = environment.run
    monkeypatch.setattr(environment, 'run', lambda command: '' if command[0] == 'fc-list' else real(command))
    lacking = environment.missing('pdf', 'en')
    assert {requirement.what for requirement in lacking} == {'the TeX Gyre Termes font', 'the Noto Serif CJK JP font'}
    assert 'fonts-noto-cjk fonts-texgyre' in environment.explain(lacking)


def test_missing_tex_file_is_named_with_its_package(monkeypatch):
    # one kpsewhich call for every TeX file: it prints the paths of those it finds
    real = environment.run
    calls = []

    def kpsewhich_finds_only_mincho(command):
        calls.append(command[0])
        if command[0] == 'kpsewhich':
            return real(['kpsewhich', 'HaranoAjiMincho-Regular.otf'])
        return real(command)

    monkeypatch.setattr(environment, 'run', kpsewhich_finds_only_mincho)
    lacking = environment.missing('pdf', 'ja')
    assert {requirement.what for requirement in lacking} == {'the pxrubrica package (ruby)', 'the HaranoAji Gothic font'}
    assert calls == ['kpsewhich']


def test_machine_has_everything_the_pdfs_need():
    assert environment.missing('pdf', 'ja') == [] and environment.missing('pdf', 'en') == []


# -- the build folder cannot be written ----------------------------------------------------------

def test_build_folder_that_is_a_file(project_copy):
    (project_copy / 'build').write_text('not a folder', encoding='utf-8')
    result = taiyaku(project_copy, 'build', 'html', '--lang', 'ja')
    assert result.returncode == 1
    assert 'build' in result.stderr and 'Traceback' not in result.stderr.split('taiyaku:')[-1]
    assert (project_copy / 'build').read_text(encoding='utf-8') == 'not a folder'


def test_full_disk_during_update_po_loses_nothing(project_copy, monkeypatch, capsys):
    """Simulated: every write of a catalog fails with ENOSPC."""
    source = project_copy / 'source' / 'caucasus.rst'
    source.write_text(source.read_text(encoding='utf-8').replace('現在も続けられている。', '現在も続いている。'),
                      encoding='utf-8')
    before = digest(project_copy / 'locale')
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, 'No space left on device', self.handle.name)

    monkeypatch.setattr(os, 'fdopen', lambda fd, mode='r', *a, **k: FullDisk(real_fdopen(fd, mode, *a, **k)))
    monkeypatch.chdir(project_copy)
    monkeypatch.setenv('TAIYAKU_ROOT', str(project_copy))
    assert cli.main(['update-po']) == 1
    error = capsys.readouterr().err
    assert 'No space left on device' in error and 'nothing was published' in error
    assert digest(project_copy / 'locale') == before                       # every catalog as it was
    assert not [p for p in (project_copy / 'locale').rglob('.*') if p.is_file()]   # no temporary left behind


# -- killed in the middle ------------------------------------------------------------------------

def large_project(project: Path, copies: int) -> None:
    """Many documents with their catalogs, so that an update takes long enough to be interrupted."""
    source, catalogs = project / 'source', project / 'locale' / 'en' / 'LC_MESSAGES'
    names = []
    for number in range(copies):
        name = f'copy-{number:03d}'
        text = (source / 'caucasus.rst').read_text(encoding='utf-8')
        # without the heading labels and figure names, which must be unique in a project
        text = re.sub(r'^\.\. _[\w-]+:\n\n|^ +:name: .*\n', '', text, flags=re.M)
        (source / f'{name}.rst').write_text(text, encoding='utf-8')
        text = (catalogs / 'caucasus.po').read_text(encoding='utf-8')
        (catalogs / f'{name}.po').write_text(text.replace('source/caucasus.rst', f'source/{name}.rst'), encoding='utf-8')
        names.append(name)
    index = source / 'index.rst'
    index.write_text(index.read_text(encoding='utf-8') + ''.join(f'   {name}\n' for name in names), encoding='utf-8')


def test_update_po_killed_mid_run_leaves_every_catalog_old_or_new(project_copy, tmp_path):
    large_project(project_copy, copies=150)
    assert taiyaku(project_copy, 'update-po').returncode == 0          # in step to begin with
    old = digest(project_copy / 'locale', '*.po')
    # a new edition date changes every catalog's header: each one will be rewritten
    editions = project_copy / 'editions.toml'
    editions.write_text(editions.read_text(encoding='utf-8') + '\n[[edition]]\nid = "K.1"\ndate = "2030-01-01"\n',
                        encoding='utf-8')

    process = subprocess.Popen([sys.executable, '-m', 'taiyaku', 'update-po'], cwd=project_copy,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    killed_mid_write = False
    while process.poll() is None:
        now = digest(project_copy / 'locale', '*.po')
        if now != old:                      # the first catalogs have been replaced: kill it right here
            process.send_signal(signal.SIGKILL)
            killed_mid_write = True
            break
        time.sleep(0.002)
    process.wait()
    interrupted = digest(project_copy / 'locale', '*.po')

    assert taiyaku(project_copy, 'update-po').returncode == 0          # a rerun completes the update
    new = digest(project_copy / 'locale', '*.po')
    assert killed_mid_write, 'the update finished before it could be interrupted'
    assert interrupted.keys() == old.keys() == new.keys()
    for name, value in interrupted.items():
        assert value in (old[name], new[name]), f'{name} is neither the old nor the new catalog'
    assert any(interrupted[name] != new[name] for name in new), 'the kill came after the last write'


# -- concurrent builds ---------------------------------------------------------------------------

def test_concurrent_builds_of_different_languages_and_formats(project_copy):
    commands = [('html', 'ja'), ('html', 'en'), ('epub', 'ja'), ('pdf', 'en')]
    processes = [subprocess.Popen([sys.executable, '-m', 'taiyaku', 'build', fmt, '--lang', lang],
                                  cwd=project_copy, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for fmt, lang in commands]
    for process in processes:
        _, error = process.communicate()
        assert process.returncode == 0, error
    together = {language: digest(project_copy / 'build' / 'html' / language) for language in ('ja', 'en')}
    epub = next((project_copy / 'build' / 'epub' / 'ja').glob('*.epub'))
    assert zipfile.ZipFile(epub).testzip() is None
    epub_together = epub.read_bytes()
    assert int(pdfinfo(next((project_copy / 'build' / 'pdf' / 'en').glob('*.pdf')))['Pages']) > 5

    # the same bytes as a clean one-at-a-time build of the same sources: nothing leaked between them
    shutil.rmtree(project_copy / 'build')
    for fmt, lang in commands[:3]:
        assert taiyaku(project_copy, 'build', fmt, '--lang', lang).returncode == 0
    for language in ('ja', 'en'):
        assert digest(project_copy / 'build' / 'html' / language) == together[language]
    assert next((project_copy / 'build' / 'epub' / 'ja').glob('*.epub')).read_bytes() == epub_together


def test_make_j_runs_targets_side_by_side(project_copy):
    """`make -j html epub` runs two taiyaku processes at once; both outputs come out whole."""
    for name in ('Makefile', 'requirements.txt', 'pyproject.toml'):
        shutil.copy2(ROOT / name, project_copy / name)
    shutil.copytree(ROOT / 'scripts', project_copy / 'scripts')
    (project_copy / '.venv').symlink_to(Path(sys.prefix))       # the venv this suite runs in: set up already
    result = subprocess.run(['make', '-j2', 'html', 'epub', 'LANGUAGES=ja'], cwd=project_copy,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (project_copy / 'build' / 'html' / 'ja' / 'index.html').is_file()
    assert zipfile.ZipFile(next((project_copy / 'build' / 'epub' / 'ja').glob('*.epub'))).testzip() is None


# -- a broken master or catalog: the build names the file and line, and keeps the last good output --

BROKEN_MASTER = {
    'malformed rst': ('caucasus', '現在も続けられている。', '現在も*続けられている。', 'Inline emphasis start-string without end-string'),
    'unknown role': ('caucasus', '現在も続けられている。', '現在も:nosuch:`続け`られている。', 'Unknown interpreted text role "nosuch"'),
    'unknown directive': ('caucasus', '現在も続けられている。', '現在も続けられている。\n\n.. nosuch::\n', 'Unknown directive type'),
    'bad ruby': ('caucasus', '現在も続けられている。', '現在も:ruby:`続<つ|づ>`けられている。', 'ruby'),
    'duplicate label': ('caucasus', '現在も続けられている。', '現在も続けられている。\n\n.. _russia:\n\n見出し\n------\n\n本文。',
                        'duplicate label russia'),
    'footnote reference without body': ('caucasus', '現在も続けられている。', '現在も続けられている[#fn-nowhere]_。',
                                        'fn-nowhere'),
}


@pytest.mark.parametrize('case', BROKEN_MASTER, ids=list(BROKEN_MASTER))
def test_broken_master_fails_with_file_and_line_and_keeps_the_last_good_output(project_copy, case):
    document, old, new, message = BROKEN_MASTER[case]
    assert taiyaku(project_copy, 'build', 'html', '--lang', 'ja').returncode == 0
    good = digest(project_copy / 'build' / 'html' / 'ja')
    path = project_copy / 'source' / f'{document}.rst'
    text = path.read_text(encoding='utf-8')
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding='utf-8')
    sources = digest(project_copy / 'source')

    result = taiyaku(project_copy, 'build', 'html', '--lang', 'ja')
    assert result.returncode == 1
    assert re.search(rf'source/{document}\.rst:\d+', result.stderr), result.stderr
    assert message in result.stderr
    assert 'Traceback' not in result.stderr
    assert digest(project_copy / 'build' / 'html' / 'ja') == good        # the last good output stays
    assert digest(project_copy / 'source') == sources                    # nothing touched the master


def test_malformed_catalog_fails_the_build_with_file_and_line(project_copy):
    catalog = project_copy / 'locale' / 'en' / 'LC_MESSAGES' / 'caucasus.po'
    catalog.write_text(catalog.read_text(encoding='utf-8').replace('msgstr "', 'msgstr "\\q', 2), encoding='utf-8')
    before = catalog.read_bytes()
    result = taiyaku(project_copy, 'build', 'html', '--lang', 'en')
    assert result.returncode == 1
    assert re.search(r'caucasus\.po:\d+: malformed catalog', result.stderr), result.stderr
    assert 'Traceback' not in result.stderr
    assert catalog.read_bytes() == before
    assert not (project_copy / 'build' / 'html' / 'en').exists()


def test_a_second_build_of_the_same_output_waits_for_the_first(project_copy):
    """Deterministic: the test holds the output's lock, as a first build would."""
    from taiyaku import builds, locks
    from taiyaku.project import Project

    folder = builds.lock_folder(Project(project_copy))
    log = project_copy / 'second.log'
    with locks.held(folder, 'html/ja'):
        with log.open('w') as err:
            second = subprocess.Popen([sys.executable, '-m', 'taiyaku', 'build', 'html', '--lang', 'ja'],
                                      cwd=project_copy, stdout=subprocess.PIPE, stderr=err, text=True)
        deadline = time.monotonic() + 120          # a guard against a hang, not a timing assertion
        while 'another build of html/ja is running' not in log.read_text(encoding='utf-8'):
            assert second.poll() is None, f'the second build did not wait:\n{log.read_text(encoding="utf-8")}'
            assert time.monotonic() < deadline, 'the second build never said it was waiting'
            time.sleep(0.1)
        assert not (project_copy / 'build' / 'html' / 'ja').exists()        # it waits: nothing built yet
        assert f'(process {os.getpid()})' in log.read_text(encoding='utf-8')
    assert second.wait(timeout=300) == 0, log.read_text(encoding='utf-8')
    assert (project_copy / 'build' / 'html' / 'ja' / 'index.html').is_file()


def test_two_builds_of_the_same_outputs_at_once_both_succeed(project_copy):
    for round in range(2):
        builds = [subprocess.Popen([sys.executable, '-m', 'taiyaku', 'build', 'html', '--lang', 'ja', 'en'],
                                   cwd=project_copy, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                  for _ in range(2)]
        results = [(process.wait(timeout=600), *process.communicate()) for process in builds]
        assert [code for code, _, _ in results] == [0, 0], results
        assert not [path for path in (project_copy / 'build' / 'html').iterdir() if path.name.startswith('.')]


def test_a_killed_builds_staging_folders_are_cleaned_up(project_copy):
    html = project_copy / 'build' / 'html'
    for leftover in ('.ja.x7k2m9q1', '.ja.old'):
        (html / leftover / 'index.html').parent.mkdir(parents=True)
        (html / leftover / 'index.html').write_text('half-written', encoding='utf-8')
    (html / '.en.abcd1234').mkdir()               # another output's: not this build's to clean
    result = subprocess.run([sys.executable, '-m', 'taiyaku', 'build', 'html', '--lang', 'ja'], cwd=project_copy,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in html.iterdir()) == ['.en.abcd1234', 'ja']
