"""`taiyaku preview`: the served page follows every save, and a broken save is shown, not fatal."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tools import chromium_page

TIMEOUT = 90          # seconds to wait for something that should happen (never a timing assertion)


class RunningPreview:
    def __init__(self, project: Path, language: str):
        self.project = project
        self.log = project / 'preview.log'
        env = dict(os.environ, PYTHONPATH=str(project))
        self.process = subprocess.Popen(
            [sys.executable, '-m', 'taiyaku', 'preview', '--lang', language, '--port', '0'],
            cwd=project, env=env, stdout=subprocess.PIPE, stderr=self.log.open('w'), text=True)
        self.url = None
        for line in self.process.stdout:
            if 'previewing' in line:
                self.url = line.split(' at ')[1].split()[0]
                break
        assert self.url, f'the preview did not start:\n{self.terminal()}'

    def get(self, path: str) -> str:
        """A page of the edition (``caucasus.html``) or a path from the server's root (``/__taiyaku__/state``)."""
        origin = self.url[:self.url.index('/', len('http://'))]
        with urllib.request.urlopen(origin + path if path.startswith('/') else self.url + path, timeout=30) as response:
            return response.read().decode('utf-8')

    def state(self) -> dict:
        return json.loads(self.get('/__taiyaku__/state'))

    def search_terms(self) -> dict:
        script = self.get('searchindex.js')           # Search.setIndex({...})
        return json.loads(script[script.index('(') + 1:script.rindex(')')])['terms']

    def terminal(self) -> str:
        return self.log.read_text(encoding='utf-8')

    def eventually(self, what: str, check):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            result = check()
            if result:
                return result
            time.sleep(0.1)
        pytest.fail(f'{what}: not seen within {TIMEOUT} s\nstate: {self.state()}\nterminal:\n{self.terminal()}')

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=30)


@pytest.fixture
def preview(project_copy):
    started = []

    def start(language: str = 'en') -> RunningPreview:
        started.append(RunningPreview(project_copy, language))
        return started[-1]

    yield start
    for running in started:
        assert running.stop() == 0, running.terminal()
        assert 'Traceback' not in running.terminal()


def edit(path: Path, old: str, new: str) -> str:
    text = path.read_text(encoding='utf-8')
    assert old in text, f'{old!r} not in {path}'
    path.write_text(text.replace(old, new, 1), encoding='utf-8')
    return text


def test_saved_catalog_and_source_change_the_served_page(preview, project_copy):
    running = preview('en')
    page = running.get('caucasus.html')
    assert 'Since the conflict in South Ossetia' in page
    assert '/__taiyaku__/reload.js' in page

    edit(project_copy / 'locale/en/LC_MESSAGES/caucasus.po', '"Since the conflict in South Ossetia',
         '"Ever since the conflict in South Ossetia')
    running.eventually('the translation saved in caucasus.po',
                       lambda: 'Ever since the conflict in South Ossetia' in running.get('caucasus.html'))

    # A changed paragraph of the master has no translation yet: the English page shows it in Japanese.
    edit(project_copy / 'source/caucasus.rst', 'いまだ具体的な解決に至っていない。', 'いまだ具体的な解決に至っていない。（追記）')
    running.eventually('the paragraph saved in caucasus.rst', lambda: '（追記）' in running.get('caucasus.html'))
    assert 'Ever since the conflict' in running.get('caucasus.html')
    # one document, not the whole book (the terminal says so just after the page is written)
    running.eventually('two rebuilds of one document', lambda: running.terminal().count('re-read: caucasus)') >= 2)
    assert running.state()['problems'] == []


def test_a_saved_file_is_read_again_whatever_its_time_says(preview, project_copy):
    """A file copied in with its old time kept (``cp -p``, rsync, a backup), or saved while its
    document was being parsed, looks older than the last reading: it is still read again."""
    running = preview('ja')
    source = project_copy / 'source' / 'caucasus.rst'
    text = source.read_text(encoding='utf-8')
    assert 'ペレヴィ村' in running.get('caucasus.html')
    copied = source.with_name('caucasus.rst.new')
    copied.write_text(text.replace('ペレヴィ村', 'ペレヴィ村（旧時刻の保存）', 1), encoding='utf-8')
    an_hour_ago = time.time() - 3600
    os.utime(copied, (an_hour_ago, an_hour_ago))
    os.replace(copied, source)                   # renamed into place, with its old time
    running.eventually('the copied file on the page', lambda: '旧時刻の保存' in running.get('caucasus.html'))


def pages_written(state: dict) -> int | None:
    """The generation whose pages are served, once no build is under way."""
    return None if state['building'] else state['written']


def break_and_mend(running: RunningPreview, path: Path, old: str, new: str, problem: str) -> None:
    """Save a broken file: the problem is on the page and in the terminal; save it mended: gone."""
    good = edit(path, old, new)
    running.eventually(problem, lambda: any(problem in p for p in running.state()['problems']))
    assert problem in running.terminal()
    # a lint finding is shown before the build that found it writes its pages (it does not stop
    # the build: the page of the broken save is written, and served until the mended one is)
    written = running.eventually(f'the build that found {problem}', lambda: pages_written(running.state()))
    path.write_text(good, encoding='utf-8')
    # the problems clear when the mended file is checked; its pages are written after
    running.eventually(f'recovery from {problem}',
                       lambda: running.state()['problems'] == [] and running.state()['written'] > written)


def test_broken_saves_are_reported_with_file_and_line_and_the_preview_recovers(preview, project_copy):
    running = preview('en')
    source = project_copy / 'source' / 'caucasus.rst'
    lines = source.read_text(encoding='utf-8').splitlines()
    number = next(i for i, line in enumerate(lines, start=1) if line.startswith('2008年8月'))
    break_and_mend(running, source, '南オセチア紛争', ':ruby:`南オセチア`紛争',
                   f'caucasus.rst:{number}: ERROR: ruby needs a reading')

    catalog = project_copy / 'locale/en/LC_MESSAGES/caucasus.po'
    line = catalog.read_text(encoding='utf-8').splitlines().index('msgstr "3. Caucasus Countries"') + 1
    break_and_mend(running, catalog, 'msgstr "3. Caucasus Countries"', 'msgstr "3. Caucasus Countries',
                   f'caucasus.po:{line}: malformed catalog')

    # the master lint, as every build says it: a tab inside a sentence
    break_and_mend(running, source, 'グルジアとロシアは', 'グルジアと\tロシアは', f'caucasus.rst:{number}: [tab]')

    conf = project_copy / 'conf.py'
    good = conf.read_text(encoding='utf-8')
    conf.write_text(good + '\nlanguage = (\n', encoding='utf-8')
    written = running.state()['written']
    problem = f'conf.py:{good.count(chr(10)) + 2}:'
    running.eventually('the conf.py error', lambda: any(problem in p for p in running.state()['problems']))
    assert 'Since the conflict' in running.get('caucasus.html')      # the last good pages are still served
    conf.write_text(good, encoding='utf-8')
    running.eventually('recovery from the conf.py error',
                       lambda: running.state()['problems'] == [] and running.state()['written'] > written)
    assert 'Since the conflict' in running.get('caucasus.html')


def test_the_page_in_a_browser_reloads_itself_and_shows_problems(preview, project_copy):
    running = preview('ja')
    source = project_copy / 'source' / 'caucasus.rst'
    with chromium_page() as page:
        page.goto(running.url + 'caucasus.html')
        assert 'ペレヴィ村' in page.inner_text('body')
        good = edit(source, 'ペレヴィ村', 'ペレヴィ村（鬱蒼の保存テスト）')
        page.wait_for_function('document.body && document.body.innerText.includes("ペレヴィ村（鬱蒼の保存テスト）")',
                               timeout=TIMEOUT * 1000)
        # the search index (kept in memory, written after the page) learns the new word too
        running.eventually('the new word in the search index', lambda: '鬱蒼' in running.search_terms())
        edit(source, '南オセチア紛争', ':ruby:`南オセチア`紛争')
        page.wait_for_selector('#taiyaku-preview-problems', timeout=TIMEOUT * 1000)
        assert 'caucasus.rst:' in page.inner_text('#taiyaku-preview-problems')
        source.write_text(good, encoding='utf-8')
        page.wait_for_function('!document.querySelector("#taiyaku-preview-problems") && '
                               'document.body && !document.body.innerText.includes("鬱蒼")', timeout=TIMEOUT * 1000)
    # (Sphinx keeps a term whose last document lost it, with no documents: nothing is found)
    running.eventually('the word gone from the search index', lambda: not running.search_terms().get('鬱蒼'))
