"""Translation progress: the numbers match the catalogs, move with them, and the page renders."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from taiyaku import stats
from taiyaku.project import Project
from tools import chromium_page

ROOT = Path(__file__).resolve().parent.parent


def taiyaku(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(project))
    return subprocess.run([sys.executable, '-m', 'taiyaku', *args], cwd=project, capture_output=True, text=True,
                          env=env)


def msgfmt_statistics(path: Path) -> dict[str, int]:
    output = subprocess.run(['msgfmt', '--statistics', '-o', '/dev/null', str(path)],
                            capture_output=True, text=True).stderr
    counts = {'translated': 0, 'fuzzy': 0, 'untranslated': 0}
    for number, kind in re.findall(r'(\d+) (translated|fuzzy|untranslated)', output):
        counts[kind] = int(number)
    return counts


def by_document(project: Path) -> dict[str, stats.CatalogStats]:
    [english] = stats.project_stats(Project(project), ['en'])
    return {catalog.document: catalog for catalog in english.catalogs}


def test_message_counts_are_msgfmts():
    catalogs = by_document(ROOT)
    assert list(catalogs) == ['index', 'section', 'russia/index', 'russia/relations', 'russia/situation',
                              'central-asia', 'caucasus']            # the master's reading order
    for catalog in catalogs.values():
        counts = {state: tally.messages for state, tally in catalog.tallies.items()}
        assert counts == msgfmt_statistics(catalog.path), catalog.document


def test_source_characters_and_translation_words():
    """Characters a reader sees (no spaces, no markup, ruby as its base); words of the English."""
    assert stats.source_characters('北方領土の:ruby:`国後<くなしり>`島[#fn-a]_、 2010年') == 14
    assert stats.source_characters('（1）日露関係') == 7
    assert stats.translation_words("Kunashiri Island of the Northern Territories[#fn-a]_ in 2010") == 8
    assert stats.translation_words("Japan-Russia relations and Japan's position, (1) and (2)") == 8


def test_the_totals_add_up():
    [english] = stats.project_stats(Project(ROOT), ['en'])
    total = english.total
    assert total.total.messages == sum(c.total.messages for c in english.catalogs) == 67
    assert total.tallies['translated'].characters == total.total.characters > 8000
    assert total.percent() == 100.0 and total.errors == total.warnings == 0


def test_a_fuzzy_and_an_untranslated_message_move_the_numbers(project_copy):
    before = by_document(project_copy)['caucasus']
    path = project_copy / 'locale' / 'en' / 'LC_MESSAGES' / 'caucasus.po'
    text = path.read_text(encoding='utf-8')
    text = text.replace('#: ../../source/caucasus.rst:16\n', '#: ../../source/caucasus.rst:16\n#, fuzzy\n')
    first = text.index('#: ../../source/caucasus.rst:11')
    start, end = text.index('msgstr ""\n', first), text.index('\n\n', first)
    path.write_text(text[:start] + 'msgstr ""' + text[end:], encoding='utf-8')
    after = by_document(project_copy)['caucasus']
    assert {s: t.messages for s, t in after.tallies.items()} == msgfmt_statistics(path) == \
        {'translated': 3, 'fuzzy': 1, 'untranslated': 1}
    assert after.total.characters == before.total.characters
    moved = after.tallies['fuzzy'].characters + after.tallies['untranslated'].characters
    assert moved > 0 and after.tallies['translated'].characters == before.total.characters - moved
    assert after.tallies['translated'].words < before.tallies['translated'].words
    assert after.percent() < 100

    result = taiyaku(project_copy, 'stats')
    assert result.returncode == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if line.startswith('caucasus '))
    assert row.split()[:5] == ['caucasus', '5', '3', '1', '1']
    page = (project_copy / 'build' / 'status' / 'index.html').read_text(encoding='utf-8')
    assert f'{after.percent():.0f}%' in page


def test_an_unreadable_catalog_is_named_not_counted(project_copy):
    path = project_copy / 'locale' / 'en' / 'LC_MESSAGES' / 'index.po'
    path.write_text(path.read_text(encoding='utf-8').replace('"Diplomatic Bluebook 2011"', '"Diplomatic'),
                    encoding='utf-8')
    result = taiyaku(project_copy, 'stats', '--no-html')
    assert result.returncode == 1 and 'Traceback' not in result.stderr
    assert 'index.po:21: end of line within a string' in result.stderr
    assert re.search(r'^index\s+unreadable: .*index\.po:21', result.stdout, re.MULTILINE)
    assert not (project_copy / 'build' / 'status').exists()


def test_the_status_page_renders_in_chromium_self_contained(project_copy, tmp_path):
    path = project_copy / 'locale' / 'en' / 'LC_MESSAGES' / 'russia' / 'relations.po'
    path.write_text(path.read_text(encoding='utf-8').replace('#: ../../source/russia/relations.rst:56\n',
                                                             '#: ../../source/russia/relations.rst:56\n#, fuzzy\n'),
                    encoding='utf-8')
    result = taiyaku(project_copy, 'stats', '--output', str(tmp_path))
    assert result.returncode == 0, result.stderr
    page_file = tmp_path / 'index.html'
    html = page_file.read_text(encoding='utf-8')
    assert not re.search(r'<(?:link|script|img|iframe)\b|\burl\(|@import', html)      # nothing to fetch
    relations = by_document(project_copy)['russia/relations']
    requests = []
    with chromium_page(1280, 900) as page:
        page.on('request', lambda request: requests.append(request.url))
        page.goto(page_file.as_uri())
        assert requests == [page_file.as_uri()]
        assert page.title().startswith('Translation status')
        rows = page.locator('tr.document')
        assert rows.count() == 7
        row = page.locator('tr.document', has_text='russia/relations')
        assert row.locator('td').nth(2).inner_text() == f'{relations.percent():.0f}%'
        translated = row.locator('.bar span.translated').bounding_box()
        fuzzy = row.locator('.bar span.fuzzy').bounding_box()
        whole = row.locator('.bar').bounding_box()
        assert abs(translated['width'] / whole['width'] - relations.percent() / 100) < 0.01
        assert fuzzy['width'] > 0 and fuzzy['x'] >= translated['x'] + translated['width'] - 1
        chart = page.locator('figure svg')
        assert chart.bounding_box()['height'] > 150
        assert chart.locator('rect').count() == 8                      # 7 documents, one with a fuzzy part
        page.screenshot(path=str(tmp_path / 'status.png'), full_page=True)
    assert (tmp_path / 'status.png').stat().st_size > 20_000
