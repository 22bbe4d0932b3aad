"""Hostile translations: whatever a catalog says, it reaches every output as text, never as code.

Catalog QA (`make check-po`) refuses these messages before a release; this proves that even
a build that is given them anyway escapes them in HTML, EPUB and LaTeX/PDF.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import polib
import pytest

from conftest import copy_project
from tools import pdftotext

CANARY = Path('/tmp/taiyaku-hostile-canary')

HOSTILE = {
    'script': 'Before <script>alert("x")</script><img src=x onerror=alert(1)> after.',
    'latex': r'Text \\input{/etc/hostname} and \\write18{touch /tmp/taiyaku-hostile-canary} and '
             r'\\immediate\\write18{id} end.',
    'raw': '.. raw:: html\n\n   <script>alert("raw")</script>',
    'long': 'Long ' + 'very ' * 20000 + 'message.',
}


@pytest.fixture(scope='module')
def hostile_build(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp('hostile'))
    po = polib.pofile(str(project / 'locale/en/LC_MESSAGES/caucasus.po'))
    live = [entry for entry in po if entry.msgid and not entry.obsolete]
    for entry, text in zip(live[1:], HOSTILE.values()):
        entry.msgstr = text
    po.save()
    CANARY.unlink(missing_ok=True)
    result = subprocess.run([sys.executable, '-m', 'taiyaku', 'build', 'html', 'epub', 'pdf', '--lang', 'en'],
                            cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return project / 'build'


def test_nothing_was_executed(hostile_build):
    assert not CANARY.exists()


def test_html_escapes_markup(hostile_build):
    html = (hostile_build / 'html/en/caucasus.html').read_text(encoding='utf-8')
    assert '<script>alert' not in html and '<img src=x' not in html
    assert '&lt;script&gt;alert(' in html and '&lt;img src=x onerror=alert(1)&gt;' in html
    assert '&lt;script&gt;alert(“raw”)&lt;/script&gt;' in html     # a directive in a msgstr is only text
    assert 'very ' * 1000 in html


def test_epub_escapes_markup(hostile_build):
    epub = next((hostile_build / 'epub/en').glob('*.epub'))
    with zipfile.ZipFile(epub) as archive:
        page = archive.read('caucasus.xhtml').decode('utf-8')
    assert '<script>alert' not in page and '&lt;script&gt;alert(' in page


def test_latex_gets_text_not_commands(hostile_build):
    tex = next((hostile_build / '.work/latex/en').glob('*.tex')).read_text(encoding='utf-8')
    assert r'\input{/etc/hostname}' not in tex and r'\write18{' not in tex
    assert r'\textbackslash{}input\{/etc/hostname\}' in tex
    text = pdftotext(next((hostile_build / 'pdf/en').glob('*.pdf')))
    assert r'\input{/etc/hostname}' in text            # printed, as the translator (wrongly) wrote it
