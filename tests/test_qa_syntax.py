"""The syntax and header checks agree with msgfmt -c on malformed catalogs, and never raise."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from taiyaku import qa
from taiyaku.po import CatalogError, read_catalog
from taiyaku.qa import syntax

FIXTURES = Path(__file__).resolve().parent / 'fixtures' / 'po' / 'syntax'
ALL = sorted(FIXTURES.glob('*.po'))
HEADER_LINES = range(1, 14)          # the fixtures' header entry spans lines 1–13


def msgfmt(path: Path) -> tuple[int, list[tuple[int, str]], str]:
    """msgfmt -c's exit status, its errors as (line, text), and its output."""
    result = subprocess.run(['msgfmt', '-c', '-o', '/dev/null', str(path)], capture_output=True, text=True)
    errors = [(int(line), text) for line, text in
              re.findall(rf'^{re.escape(str(path))}:(\d+):(?:\d+:)? (.*)$', result.stderr, re.MULTILINE)]
    return result.returncode, errors, result.stderr


def same_place(ours: int, theirs: tuple[int, str]) -> bool:
    line, text = theirs
    if text.startswith('end-of-line within string') or text == 'syntax error' and ours == line - 1:
        return ours == line - 1     # msgfmt notices an open string or keyword on the next line
    if line == 2:
        return ours in HEADER_LINES  # msgfmt points at the header entry; we at the field itself
    return ours == line


def findings(path: Path, check: str) -> list[qa.Finding]:
    return [f for f in qa.check_files([path], language='en') if f.check == check]


def test_there_are_fixtures_of_every_kind():
    kinds = {path.name.split('-')[0] for path in ALL}
    assert kinds == {'ok', 'bad', 'strict', 'warn'}
    assert len(ALL) >= 35


def taiyaku_refuses(path: Path) -> bool:
    """Whether taiyaku's own catalog reader (update-po, compile) refuses the file."""
    try:
        read_catalog(path)
    except CatalogError:
        return True
    return False


@pytest.mark.parametrize('path', [p for p in ALL if p.name.startswith(('ok-', 'warn-'))], ids=lambda p: p.name)
def test_what_msgfmt_accepts_has_no_syntax_finding(path):
    """… unless taiyaku's own reader refuses it: then the toolchain could not use it either."""
    status, _, output = msgfmt(path)
    assert status == 0, output
    ours = findings(path, 'syntax')
    if taiyaku_refuses(path):
        assert len(ours) == 1 and 'taiyaku cannot read the catalog' in ours[0].message
    else:
        assert ours == []


@pytest.mark.parametrize('path', [p for p in ALL if p.name.startswith('bad-')], ids=lambda p: p.name)
def test_what_msgfmt_refuses_is_a_syntax_error_on_the_same_line(path):
    status, lines, output = msgfmt(path)
    assert status == 1, output
    ours = findings(path, 'syntax')
    assert ours, f'msgfmt refuses {path.name} but the syntax check does not:\n{output}'
    assert all(f.severity is qa.ERROR and f.path == path for f in ours)
    if not lines:                                       # msgfmt names no line (empty file, no header)
        assert ours[0].line == 1
    else:
        assert any(same_place(ours[0].line, error) for error in lines), (ours, output)


@pytest.mark.parametrize('path', [p for p in ALL if p.name.startswith('strict-')], ids=lambda p: p.name)
def test_a_charset_other_than_utf8_is_refused_though_msgfmt_only_warns(path):
    status, _, _ = msgfmt(path)
    assert status == 0
    ours = findings(path, 'syntax')
    assert len(ours) == 1 and 'UTF-8' in ours[0].message and ours[0].line in HEADER_LINES


@pytest.mark.parametrize('name, field', [('warn-default-translator.po', 'Last-Translator'),
                                         ('warn-no-language.po', 'Language')])
def test_header_warnings_are_msgfmts_warnings(name, field):
    path = FIXTURES / name
    _, _, output = msgfmt(path)
    assert f"header field '{field}'" in output
    ours = findings(path, 'header')
    assert [f.severity for f in ours] == [qa.WARNING] and field in ours[0].message


def test_a_malformed_catalog_is_not_read_further():
    """Syntax errors only: the other checks would read a catalog msgfmt refuses."""
    path = FIXTURES / 'bad-unterminated.po'
    assert {f.check for f in qa.check_files([path], language='en')} == {'syntax'}


def test_the_language_folder_must_match_the_header(tmp_path):
    folder = tmp_path / 'locale' / 'fr' / 'LC_MESSAGES'
    folder.mkdir(parents=True)
    (folder / 'a.po').write_bytes((FIXTURES / 'ok-plain.po').read_bytes())
    context = qa.Context(language='fr')
    warnings = list(syntax.header(syntax.read(folder / 'a.po'), context))
    assert warnings and "Language is 'en'" in warnings[0][1]


@pytest.mark.parametrize('data', [b'\x00\x01\x02', b'msgid "', b'"' * 50, b'#~', b'msgstr[99999999999999999999] "x"',
                                  b'msgid "\\x"', b'msgid "\\777"\nmsgstr ""', '\u2028msgid'.encode(), b'\r\r\n'])
def test_garbage_is_a_finding_never_an_exception(tmp_path, data):
    path = tmp_path / 'garbage.po'
    path.write_bytes(data)
    result = qa.check_files([path], language='en')
    assert result and {f.check for f in result} == {'syntax'}
