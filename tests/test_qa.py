"""Catalog QA on the real catalogs: the shipped ones pass, each mutation is caught by its check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from taiyaku import qa
from taiyaku.project import Project

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT / 'locale' / 'en' / 'LC_MESSAGES'


def test_the_shipped_catalogs_pass_every_check():
    paths = qa.catalog_paths(Project(ROOT), 'en')
    assert len(paths) >= 7
    assert [f.format(ROOT) for f in qa.check_files(paths, Project(ROOT), 'en')] == []


def test_the_checks_did_read_the_shipped_catalogs():
    """Not a vacuous pass: the numbers, glossary terms and references the checks compared."""
    from taiyaku.qa import markup, numbers

    project = Project(ROOT)
    context = qa.context_for(project, 'en')
    counted = {'numbers': 0, 'glossary terms': 0, 'footnote references': 0}
    for path in qa.catalog_paths(project, 'en'):
        catalog, _ = qa.load_catalog(path, 'en')
        for entry in catalog.entries:
            text = markup.plain_text(markup.parse(entry.msgid))
            counted['numbers'] += len(numbers.source_quantities(text))
            counted['glossary terms'] += len(context.glossary.find(text))
            counted['footnote references'] += sum(r.kind == 'footnote'
                                                  for r in markup.references(markup.parse(entry.msgid)))
    assert counted['numbers'] > 150 and counted['glossary terms'] > 300 and counted['footnote references'] == 9


# -- mutations of the real catalogs: each caught by exactly its check ----------------------------

MUTATIONS = {
    'footnote reference dropped': ('russia/relations.po', 'Tokyo Declaration[#fn-tokyo-declaration]_ and',
                                   'Tokyo Declaration and', 'references'),
    'figure changed': ('russia/relations.po', 'about 24 billion US', 'about 25 billion US', 'numbers'),
    'month changed': ('caucasus.po', '(March 11, Tokyo)', '(May 11, Tokyo)', 'numbers'),
    'glossary term replaced': ('section.po', 'Kunashiri Island', 'Kunashiri Isle', 'glossary'),
    'forbidden rendering added': ('section.po', 'Kunashiri Island of the', 'Kunashiri Island (Kunashir) of the',
                                  'forbidden'),
    'repeated term renamed': ('central-asia.po', 'Minister Kan, and a ceremony', 'Minister Hosokawa, and a ceremony',
                              'term-count'),
    'unterminated role added': ('caucasus.po', 'regular consultations', 'regular :ref:`consultations', 'rst'),
    'script added': ('central-asia.po', 'Kazakhstan was active', 'Kazakhstan<script>alert(1)</script> was active',
                     'injection'),
    'LaTeX added': ('russia/situation.po', 'is firm, and', r'is firm\\input{/etc/passwd}, and', 'injection'),
    'Japanese left': ('caucasus.po', 'Okada (left)', 'Okada （left)', 'leftover'),
    'quote left open': ('index.po', 'msgstr "Diplomatic Bluebook 2011"', 'msgstr "Diplomatic Bluebook 2011',
                        'syntax'),
}


def mutate(project: Path, catalog: str, old: str, new: str) -> tuple[Path, int]:
    """Edit one catalog as a translator would; return it and the line of the edited message's msgid."""
    path = project / 'locale' / 'en' / 'LC_MESSAGES' / catalog
    lines = path.read_text(encoding='utf-8').split('\n')
    hits = [n for n, line in enumerate(lines) if old in line]
    assert len(hits) == 1, f'{old!r} is not on exactly one line of {catalog}'
    lines[hits[0]] = lines[hits[0]].replace(old, new)
    path.write_text('\n'.join(lines), encoding='utf-8')
    msgid = next(n for n in range(hits[0], -1, -1) if lines[n].startswith('msgid '))
    return path, (hits[0] + 1 if new.startswith('msgstr') else msgid + 1)


@pytest.mark.parametrize('name', MUTATIONS)
def test_a_mutation_is_caught_by_exactly_its_check(project_copy, name):
    catalog, old, new, check = MUTATIONS[name]
    path, line = mutate(project_copy, catalog, old, new)
    findings = qa.check_project(Project(project_copy))
    assert [(f.path, f.line, f.check) for f in findings] == [(path, line, check)], findings
    assert findings[0].severity is qa.ERROR and str(findings[0].severity) == 'error'   # what the release gate reads


@pytest.mark.parametrize('name', [n for n in MUTATIONS if MUTATIONS[n][3] != 'syntax'])
def test_the_mutated_catalogs_still_pass_msgfmt(project_copy, name):
    """msgfmt -c sees nothing wrong with them: these are the checks it does not make."""
    catalog, old, new, _ = MUTATIONS[name]
    path, _ = mutate(project_copy, catalog, old, new)
    assert subprocess.run(['msgfmt', '-c', '-o', '/dev/null', str(path)]).returncode == 0


FUZZY = ('caucasus.po', '#: ../../source/caucasus.rst:16', '#: ../../source/caucasus.rst:16\n#, fuzzy')


def test_a_fuzzy_or_untranslated_message_is_a_warning(project_copy):
    path, _ = mutate(project_copy, *FUZZY)
    fuzzy_msgid = path.read_text(encoding='utf-8').split('\n').index('#, fuzzy') + 2
    _, untranslated_msgid = mutate(project_copy, 'index.po', 'msgstr "Diplomatic Bluebook 2011"', 'msgstr ""')
    findings = qa.check_project(Project(project_copy))
    assert [(f.path.name, f.line, f.check, f.severity) for f in findings] == [
        ('caucasus.po', fuzzy_msgid, 'completeness', qa.WARNING),
        ('index.po', untranslated_msgid - 1, 'completeness', qa.WARNING)]
    assert qa.errors(findings) == []


def test_an_orphaned_catalog(project_copy):
    (project_copy / 'source' / 'caucasus.rst').rename(project_copy / 'source' / 'georgia.rst')
    findings = qa.check_project(Project(project_copy))
    assert [(f.path.name, f.check) for f in findings] == [('caucasus.po', 'orphans')]


# -- against the master: the messages the catalog should hold ------------------------------------

HEADING = 'msgid "3　コーカサス諸国"'          # caucasus.po's first message, after the header


def blocks(path: Path) -> list[str]:
    return path.read_text(encoding='utf-8').split('\n\n')


def write_blocks(path: Path, parts: list[str]) -> None:
    path.write_text('\n\n'.join(parts), encoding='utf-8')


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding='utf-8').split('\n')
    hits = [n for n, line in enumerate(lines, start=1) if line.startswith(text)]
    assert len(hits) == 1, (text, hits)
    return hits[0]


def delete_message(path: Path) -> tuple[int, str]:
    """The first message goes; the finding is at the message that now follows the header."""
    parts = blocks(path)
    parts.pop(1)
    write_blocks(path, parts)
    return line_of(path, 'msgid "2008年8月'), 'source/caucasus.rst:5 is not in this catalog'


def add_context(path: Path) -> tuple[int, str]:
    write_blocks(path, [part.replace(HEADING, 'msgctxt "heading"\n' + HEADING) for part in blocks(path)])
    return line_of(path, HEADING), 'msgctxt “heading”'


def change_one_character(path: Path) -> tuple[int, str]:
    write_blocks(path, [part.replace(HEADING, HEADING.replace('諸国', '諸囯')) for part in blocks(path)])
    return line_of(path, HEADING.replace('諸国', '諸囯')), 'the master has 3　コーカサス諸[-囯-]{+国+}'


def add_plural(path: Path) -> tuple[int, str]:
    write_blocks(path, [*blocks(path)[:-1], blocks(path)[-1].rstrip('\n'),
                        'msgid "1 country"\nmsgid_plural "%d countries"\nmsgstr[0] "1 country"\n'
                        'msgstr[1] "%d countries"\n'])
    return line_of(path, 'msgid "1 country"'), 'a plural message (msgid_plural)'


MASTER_MUTATIONS = {'message deleted': delete_message, 'context added': add_context,
                    'msgid changed by one character': change_one_character, 'plural added': add_plural}


@pytest.fixture
def templates(project_copy) -> Path:
    from taiyaku.builds import extract_messages

    return extract_messages(Project(project_copy))


@pytest.mark.parametrize('name', MASTER_MUTATIONS)
def test_a_catalog_out_of_step_with_the_master_is_an_error(project_copy, templates, name):
    path = project_copy / 'locale' / 'en' / 'LC_MESSAGES' / 'caucasus.po'
    line, named = MASTER_MUTATIONS[name](path)
    assert subprocess.run(['msgfmt', '-c', '-o', '/dev/null', str(path)]).returncode == 0   # msgfmt sees nothing
    findings = qa.check_project(Project(project_copy), templates=templates)
    assert [(f.path, f.line, f.check, f.severity) for f in findings] == [(path, line, 'master', qa.ERROR)], findings
    assert named in findings[0].message


def test_a_missing_catalog_is_an_error(project_copy, templates):
    path = project_copy / 'locale' / 'en' / 'LC_MESSAGES' / 'caucasus.po'
    path.unlink()
    findings = qa.check_project(Project(project_copy), templates=templates)
    assert [(f.path, f.check) for f in findings] == [(path, 'master')]
    assert 'make update-po' in findings[0].message


def test_check_po_and_stats_compare_with_the_master(project_copy):
    path = project_copy / 'locale' / 'en' / 'LC_MESSAGES' / 'caucasus.po'
    line, _ = delete_message(path)
    result = taiyaku(project_copy, 'check-po')
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith(f'locale/en/LC_MESSAGES/caucasus.po:{line}: [master] ')
    assert 'source/caucasus.rst:5' in result.stdout and 'make update-po' in result.stdout
    stats = taiyaku(project_copy, 'stats', '--no-html')
    assert stats.returncode == 0, stats.stderr
    row = next(r.split() for r in stats.stdout.splitlines() if r.startswith('caucasus '))
    assert row[1:5] == ['5', '4', '0', '1']          # the deleted message counts, untranslated
    assert not row[5] == '100%'


# -- the command ---------------------------------------------------------------------------------

def taiyaku(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(project))
    return subprocess.run([sys.executable, '-m', 'taiyaku', *args], cwd=project, capture_output=True, text=True,
                          env=env)


def test_check_po_on_the_real_catalogs(project_copy):
    result = taiyaku(project_copy, 'check-po')
    assert (result.returncode, result.stdout) == (0, '')
    assert 'check-po: 7 catalog(s), 0 error(s), 0 warning(s)' in result.stderr


def test_check_po_prints_path_line_check_message_and_fails(project_copy):
    _, figure = mutate(project_copy, 'russia/relations.po', 'about 24 billion US', 'about 25 billion US')
    _, line = mutate(project_copy, 'section.po', 'Kunashiri Island', 'Kunashir Island')
    result = taiyaku(project_copy, 'check-po')
    assert result.returncode == 1
    rows = result.stdout.splitlines()
    assert rows[0] == (f'locale/en/LC_MESSAGES/russia/relations.po:{figure}: [numbers] 240億 (24,000,000,000) is not '
                       f'in the translation; the translation has 25 billion')
    assert rows[1].startswith(f'locale/en/LC_MESSAGES/section.po:{line}: [forbidden] “Kunashir” is a forbidden '
                              'rendering of 国後島 (glossary.csv:')
    assert rows[2].startswith(f'locale/en/LC_MESSAGES/section.po:{line}: [glossary] glossary term 国後島 is '
                              '“Kunashiri Island” (glossary.csv:')
    assert len(rows) == 3 and '3 error(s)' in result.stderr
    only = taiyaku(project_copy, 'check-po', 'locale/en/LC_MESSAGES/section.po', '--check', 'numbers,glossary')
    assert only.returncode == 1 and only.stdout.splitlines() == rows[2:]


def test_check_po_on_a_broken_catalog_names_the_line_without_a_traceback(project_copy):
    mutate(project_copy, 'index.po', 'msgstr "Diplomatic Bluebook 2011"', 'msgstr "Diplomatic Bluebook 2011')
    result = taiyaku(project_copy, 'check-po')
    assert result.returncode == 1 and 'Traceback' not in result.stderr + result.stdout
    assert result.stdout.startswith('locale/en/LC_MESSAGES/index.po:21: [syntax] end of line within a string')


def test_warnings_fail_only_when_strict(project_copy):
    mutate(project_copy, *FUZZY)
    assert taiyaku(project_copy, 'check-po').returncode == 0
    assert taiyaku(project_copy, 'check-po', '--strict').returncode == 1


def test_check_po_refuses_what_is_not_there(project_copy):
    assert taiyaku(project_copy, 'check-po', '--lang', 'fr').returncode == 2
    assert taiyaku(project_copy, 'check-po', 'locale/en/nothing.po').returncode == 2
    unknown = taiyaku(project_copy, 'check-po', '--check', 'spelling')
    assert unknown.returncode == 2 and 'no check called spelling' in unknown.stderr


def test_list_checks(project_copy):
    listed = taiyaku(project_copy, 'check-po', '--list-checks').stdout.split('\n')
    assert {row.split()[0] for row in listed if row} == set(qa.load_checks())


# -- what Sphinx does with a translation the rst check refuses ----------------------------------

def test_sphinx_drops_a_paragraph_translation_that_reads_as_a_list(mini):
    """The premise of the rst check's block test, shown by a real build."""
    project = mini({'index': '''
        見出し
        ======

        1　ロシア

        2　中央アジア
        '''}, conf="locale_dirs = ['locale']\ngettext_compact = False\n")
    folder = project.path / 'locale' / 'en' / 'LC_MESSAGES'
    folder.mkdir(parents=True)
    (folder / 'index.po').write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                                     '#: index.rst:4\nmsgid "1　ロシア"\nmsgstr "1. Russia"\n\n'
                                     '#: index.rst:6\nmsgid "2　中央アジア"\nmsgstr "2\\\\. Central Asia"\n',
                                     encoding='utf-8')
    from babel.messages.mofile import write_mo
    from taiyaku.po import read_catalog
    with (folder / 'index.mo').open('wb') as handle:
        write_mo(handle, read_catalog(folder / 'index.po'))
    html = (project.build('html', language='en') / 'index.html').read_text(encoding='utf-8')
    assert '1　ロシア' in html and '1. Russia' not in html          # dropped, Japanese shown
    assert '2. Central Asia' in html                                 # escaped: used
    findings = qa.check_files([folder / 'index.po'], Project(project.path), 'en', checks=['rst'])
    assert [(f.line, f.check) for f in findings] == [(5, 'rst')] and 'not a paragraph' in findings[0].message
