"""The master's own checks: what docutils would publish without a word (lint), what the master
may not pull in (files outside source/, raw HTML), and broken sources named in one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from taiyaku import lint
from taiyaku.project import Project

ROOT = Path(__file__).resolve().parent.parent
PARAGRAPH = '2008年8月の南オセチア紛争以来、グルジアとロシアは国交断絶状態にあるが'


def taiyaku(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(project))
    return subprocess.run([sys.executable, '-m', 'taiyaku', *args], cwd=project, capture_output=True, text=True,
                          env=env)


def edit(project: Path, document: str, old: str, new: str) -> int:
    """Replace ``old`` (on one line) and return that line's number."""
    path = project / 'source' / f'{document}.rst'
    lines = path.read_text(encoding='utf-8').split('\n')
    hits = [n for n, line in enumerate(lines) if old in line]
    assert len(hits) == 1, (document, old, hits)
    lines[hits[0]] = lines[hits[0]].replace(old, new)
    path.write_text('\n'.join(lines), encoding='utf-8')
    return hits[0] + 1


def test_the_shipped_master_is_clean():
    assert [f.format(ROOT) for f in lint.check_project(Project(ROOT))] == []


def test_the_shipped_master_does_use_ideographic_spaces_in_headings_and_captions():
    """Not a vacuous pass: the spaces lint allows are there, in the places it allows them."""
    text = (ROOT / 'source' / 'russia' / 'relations.rst').read_text(encoding='utf-8')
    assert 'ア　対露外交の位置付け' in text and '横浜　写真提供' in text
    assert '各　論' in (ROOT / 'source' / 'section.rst').read_text(encoding='utf-8')


LINT_CASES = {
    'tab in a sentence': ('グルジアとロシアは', 'グルジアと\tロシアは', 'tab'),
    'no-break space': ('グルジアとロシアは', 'グルジアと\u00a0ロシアは', 'space'),
    'zero-width space': ('グルジアとロシアは', 'グルジアと\u200bロシアは', 'space'),
    'ideographic space in a paragraph': ('グルジアとロシアは', 'グルジアと\u3000ロシアは', 'space'),
    'half-width katakana': ('グルジアとロシアは', 'ｸﾞﾙｼﾞｱとロシアは', 'halfwidth'),
}


@pytest.mark.parametrize('case', LINT_CASES)
def test_lint_finds_what_would_be_published_silently(project_copy, case):
    old, new, check = LINT_CASES[case]
    line = edit(project_copy, 'caucasus', old, new)
    findings = lint.check_project(Project(project_copy))
    assert [(f.path.name, f.line, f.check) for f in findings] == [('caucasus.rst', line, check)], findings


def test_stray_ideographic_spaces_in_a_heading_are_found_and_its_own_are_not(project_copy):
    doubled = edit(project_copy, 'caucasus', '3　コーカサス諸国', '3　　コーカサス諸国')
    trailing = edit(project_copy, 'central-asia', '2　中央アジア諸国', '2　中央アジア諸国　')
    findings = lint.check_project(Project(project_copy))
    assert [(f.path.name, f.line, f.check) for f in findings] == [
        ('caucasus.rst', doubled, 'space'), ('caucasus.rst', doubled, 'space'), ('central-asia.rst', trailing, 'space')]


def test_a_paragraph_indented_after_a_footnote_is_found(project_copy):
    path = project_copy / 'source' / 'russia' / 'relations.rst'
    lines = path.read_text(encoding='utf-8').split('\n')
    footnote = next(n for n, line in enumerate(lines) if line.startswith('.. [#fn-exchange-visits]'))
    lines[footnote + 1:footnote + 1] = ['', '   この段落は本文のはずだった。']      # indented by mistake
    path.write_text('\n'.join(lines), encoding='utf-8')
    findings = lint.check_project(Project(project_copy))
    assert [(f.path.name, f.line, f.check) for f in findings] == [('relations.rst', footnote + 3, 'footnote')]
    assert '[#fn-exchange-visits]' in findings[0].message


def test_make_lint_and_every_build_warn_with_file_and_line(project_copy):
    line = edit(project_copy, 'caucasus', 'グルジアとロシアは', 'グルジアと\tロシアは')
    result = taiyaku(project_copy, 'lint')
    assert result.returncode == 1
    assert result.stdout.startswith(f'source/caucasus.rst:{line}: [tab] a tab inside the text')
    built = taiyaku(project_copy, 'build', 'html', '--lang', 'ja')
    assert built.returncode == 0, built.stderr               # a warning: the build goes on
    assert f'source/caucasus.rst:{line}: [tab]' in built.stderr
    clean = taiyaku(project_copy, 'lint', 'source/central-asia.rst')
    assert clean.returncode == 0 and clean.stdout == ''


def test_a_source_that_is_not_utf8_is_one_line_naming_the_file(project_copy):
    path = project_copy / 'source' / 'caucasus.rst'
    lines = path.read_bytes().split(b'\n')
    number = next(n for n, line in enumerate(lines, start=1) if line.startswith(PARAGRAPH.encode()))
    lines[number - 1] = lines[number - 1].replace('グルジア'.encode(), 'グルジア'.encode('shift_jis'), 1)
    path.write_bytes(b'\n'.join(lines))
    assert lint.check_project(Project(project_copy))[0].format(project_copy).startswith(
        f'source/caucasus.rst:{number}: [encoding] not UTF-8')
    result = taiyaku(project_copy, 'build', 'html', '--lang', 'ja')
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert f'source/caucasus.rst:{number}: not UTF-8' in output, output
    assert 'Traceback' not in output and 'Exception occurred' not in output and 'sphinx-err' not in output


def test_a_circular_toctree_is_one_line_naming_the_file(project_copy):
    index = project_copy / 'source' / 'russia' / 'index.rst'
    text = index.read_text(encoding='utf-8')
    assert '.. toctree::' in text
    relations = project_copy / 'source' / 'russia' / 'relations.rst'
    relations.write_text(relations.read_text(encoding='utf-8') + '\n.. toctree::\n   :hidden:\n\n   index\n',
                         encoding='utf-8')
    result = taiyaku(project_copy, 'build', 'html', 'epub', '--lang', 'ja')
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert 'Recursion error' not in output and 'recursion limit' not in output and 'Traceback' not in output
    assert 'source/russia/relations.rst' in output and 'circular toctree' in output, output


# -- what the master may pull in ------------------------------------------------------------------

SECRET = 'taiyaku-secret-outside-the-source'


@pytest.fixture
def outside(project_copy) -> Path:
    """A file next to the project (as /etc/passwd would be), that no edition may publish."""
    secret = project_copy.parent / 'secret.txt'
    secret.write_text(SECRET + '\n', encoding='utf-8')
    return secret


@pytest.mark.parametrize('directive', ['include', 'literalinclude'])
def test_file_insertion_is_confined_to_source(project_copy, outside, directive):
    path = project_copy / 'source' / 'caucasus.rst'
    path.write_text(path.read_text(encoding='utf-8') + f'\n.. {directive}:: ../../secret.txt\n', encoding='utf-8')
    line = path.read_text(encoding='utf-8').split('\n').index(f'.. {directive}:: ../../secret.txt') + 1
    result = taiyaku(project_copy, 'build', 'html', '--lang', 'ja')
    assert result.returncode == 1
    assert f'caucasus.rst:{line}' in result.stderr and 'outside source/' in result.stderr, result.stderr
    assert not any(SECRET in p.read_text(encoding='utf-8', errors='replace')
                   for p in (project_copy / 'build').rglob('*.html'))


def test_an_include_inside_source_still_works(project_copy):
    (project_copy / 'source' / 'note.txt').write_text('インクルードされた一文。\n', encoding='utf-8')
    path = project_copy / 'source' / 'caucasus.rst'
    path.write_text(path.read_text(encoding='utf-8') + '\n.. include:: note.txt\n', encoding='utf-8')
    result = taiyaku(project_copy, 'build', 'html', '--lang', 'ja')
    assert result.returncode == 0, result.stderr
    assert 'インクルードされた一文。' in (project_copy / 'build/html/ja/caucasus.html').read_text(encoding='utf-8')


def test_a_symlink_out_of_source_is_outside_too(project_copy, outside):
    (project_copy / 'source' / 'link.txt').symlink_to(outside)
    path = project_copy / 'source' / 'caucasus.rst'
    path.write_text(path.read_text(encoding='utf-8') + '\n.. include:: link.txt\n', encoding='utf-8')
    result = taiyaku(project_copy, 'build', 'html', '--lang', 'ja')
    assert result.returncode == 1 and 'outside source/' in result.stderr


RAW = '\n.. raw:: html\n\n   <script>alert("master")</script>\n'


def test_raw_is_refused_in_the_master(project_copy):
    path = project_copy / 'source' / 'caucasus.rst'
    path.write_text(path.read_text(encoding='utf-8') + RAW, encoding='utf-8')
    line = path.read_text(encoding='utf-8').split('\n').index('.. raw:: html') + 1
    result = taiyaku(project_copy, 'build', 'html', '--lang', 'ja')
    assert result.returncode == 1
    assert f'caucasus.rst:{line}' in result.stderr and 'taiyaku_allow_raw' in result.stderr, result.stderr
    assert not any('alert("master")' in p.read_text(encoding='utf-8') for p in (project_copy / 'build').rglob('*.html'))


def test_raw_is_published_when_conf_py_allows_it(project_copy):
    path = project_copy / 'source' / 'caucasus.rst'
    path.write_text(path.read_text(encoding='utf-8') + RAW, encoding='utf-8')
    conf = project_copy / 'conf.py'
    conf.write_text(conf.read_text(encoding='utf-8') + '\ntaiyaku_allow_raw = True\n', encoding='utf-8')
    result = taiyaku(project_copy, 'build', 'html', '--lang', 'ja')
    assert result.returncode == 0, result.stderr
    assert '<script>alert("master")</script>' in (project_copy / 'build/html/ja/caucasus.html').read_text(
        encoding='utf-8')


def test_a_raw_role_is_refused_in_the_master(project_copy):
    path = project_copy / 'source' / 'caucasus.rst'
    path.write_text(path.read_text(encoding='utf-8') + '\n.. role:: html(raw)\n   :format: html\n\n'
                    '本文:html:`<script>alert(1)</script>`。\n', encoding='utf-8')
    result = taiyaku(project_copy, 'build', 'html', '--lang', 'ja')
    assert result.returncode == 1 and 'taiyaku_allow_raw' in result.stderr, result.stderr
