"""The English edition: complete catalogs, glossary followed, outputs parallel to the master."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from htmltext import body_text
from tools import pdffonts, pdfinfo, pdftotext

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = sorted((ROOT / 'locale' / 'en' / 'LC_MESSAGES').rglob('*.po'))
PAGES = ['index', 'section', 'russia/index', 'russia/relations', 'russia/situation', 'central-asia', 'caucasus']
JAPANESE = re.compile('[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]')
FOOTNOTE_REF = re.compile(r'\[#[^\]]*\]_')


def catalog(path: Path):
    with path.open('rb') as handle:
        return read_po(handle, locale='en')


def messages():
    for path in CATALOGS:
        for message in catalog(path):
            if message.id:
                yield path, message


# Pages generated from editions.toml in the reader's language: nothing to translate.
GENERATED = {'changes', 'colophon'}


def test_one_catalog_per_document():
    documents = {p.relative_to(ROOT / 'source').with_suffix('').as_posix() for p in (ROOT / 'source').rglob('*.rst')}
    documents -= GENERATED
    catalogs = {p.relative_to(ROOT / 'locale/en/LC_MESSAGES').with_suffix('').as_posix() for p in CATALOGS}
    assert catalogs == documents


@pytest.mark.parametrize('path', CATALOGS, ids=lambda p: p.name)
def test_catalog_is_valid_for_msgfmt(path):
    result = subprocess.run(['msgfmt', '-c', '--statistics', '-o', '/dev/null', str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    # a clean catalog: only the statistics line, every message translated
    assert re.fullmatch(r'\d+ translated messages?\.\n', result.stderr), result.stderr


@pytest.mark.parametrize('path', CATALOGS, ids=lambda p: p.name)
def test_catalog_headers(path):
    cat = catalog(path)
    headers = dict(cat.mime_headers)
    assert headers['Language'] == 'en'
    assert headers['Plural-Forms'] == 'nplurals=2; plural=(n != 1);'
    assert headers['Content-Type'] == 'text/plain; charset=utf-8'
    assert 'FULL NAME' not in headers['Last-Translator']
    assert not cat.fuzzy


def test_every_message_translated():
    untranslated = [(p.name, m.id[:40]) for p, m in messages() if not m.string]
    fuzzy = [(p.name, m.id[:40]) for p, m in messages() if m.fuzzy]
    assert (untranslated, fuzzy) == ([], [])


def test_translations_carry_no_japanese_and_no_ruby():
    offending = [(p.name, m.string[:60]) for p, m in messages() if JAPANESE.search(m.string) or ':ruby:' in m.string]
    assert offending == []


def test_footnote_references_kept():
    for path, message in messages():
        assert sorted(FOOTNOTE_REF.findall(message.string)) == sorted(FOOTNOTE_REF.findall(message.id)), message.id[:40]


def glossary() -> list[dict[str, str]]:
    with (ROOT / 'locale' / 'glossary.csv').open(encoding='utf-8', newline='') as handle:
        return list(csv.DictReader(handle))


def plain(msgid: str) -> str:
    """The msgid as read: ruby roles reduced to their base."""
    return re.sub(r':ruby:`([^`<]*)<[^`]*>`', r'\1', msgid)


def test_glossary_is_applied():
    rows = glossary()
    assert len(rows) >= 50
    approved, forbidden = {}, {}
    for row in rows:
        group = forbidden if 'forbidden' in (row.get('flags') or '') else approved
        group.setdefault(row['source'], set()).add(row['target'])
    violations = [(source, sorted(targets), m.id[:30])
                  for source, targets in approved.items() for _, m in messages()
                  if source in plain(m.id) and not any(target in m.string for target in targets)]
    assert violations == []
    used = [(source, target, m.id[:30])
            for source, targets in forbidden.items() for target in targets for _, m in messages()
            if source in plain(m.id)
            and re.search(rf'(?<!\w){re.escape(target)}s?(?!\w)', m.string, re.IGNORECASE)]
    assert used == []


@pytest.mark.parametrize('source, target', [
    ('北方領土', 'Northern Territories'), ('日ソ共同宣言', 'Japan-Soviet Joint Declaration'),
    ('国後島', 'Kunashiri Island'), ('「中央アジア＋日本」対話', '"Central Asia plus Japan" Dialogue'),
])
def test_glossary_has_the_established_forms(source, target):
    assert {'source': source, 'target': target} in [{k: r[k] for k in ('source', 'target')} for r in glossary()]


def test_figures_keep_their_values():
    strings = ' '.join(m.string for _, m in messages())
    for value in ('24 billion US dollars', '49,000', '3,900', '8.8%', '4%', '65'):
        assert value in strings, value


def test_update_po_is_idempotent(project_copy):
    """A second update with no source change changes no byte (and the first changes none either)."""
    tmp_path = project_copy
    before = {p: p.read_bytes() for p in (tmp_path / 'locale').rglob('*.po')}
    for _ in range(2):
        result = subprocess.run([sys.executable, '-m', 'taiyaku', 'update-po'], cwd=tmp_path,
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert {p: p.read_bytes() for p in (tmp_path / 'locale').rglob('*.po')} == before


def test_english_build_has_no_warnings(tmp_path):
    result = subprocess.run([sys.executable, '-m', 'sphinx', '-b', 'html', '-c', str(ROOT), '-D', 'language=en',
                             '-d', str(tmp_path / 'doctrees'), str(ROOT / 'source'), str(tmp_path / 'html')],
                            capture_output=True, text=True)
    assert result.returncode == 0
    assert 'WARNING' not in result.stderr and 'ERROR' not in result.stderr, result.stderr
    assert "every message translated into 'en'" in result.stdout


# -- the English outputs ----------------------------------------------------------------------

def page(built: Path, language: str, name: str) -> str:
    return (built / 'html' / language / f'{name}.html').read_text(encoding='utf-8')


@pytest.mark.parametrize('name', PAGES)
def test_english_html_has_no_japanese(built, name):
    text = body_text(page(built, 'en', name))
    assert JAPANESE.findall(text) == []


def structure(html: str) -> dict[str, int]:
    body = html.split('<div class="body"', 1)[1].split('<footer', 1)[0]
    return {
        'headings': len(re.findall(r'<h[1-6]>', body)),
        'paragraphs': len(re.findall(r'<p[ >]', body)),
        'footnotes': len(re.findall(r'<aside class="footnote brackets"', body)),
        'footnote references': len(re.findall(r'class="footnote-reference', body)),
        'figures': len(re.findall(r'<figure', body)),
        'ruby': len(re.findall(r'<ruby', body)),
    }


@pytest.mark.parametrize('name', PAGES)
def test_english_pages_parallel_the_japanese(built, name):
    ja, en = structure(page(built, 'ja', name)), structure(page(built, 'en', name))
    assert en | {'ruby': 0} == ja | {'ruby': 0}
    assert en['ruby'] == 0


@pytest.mark.parametrize('language, other', [('ja', 'en'), ('en', 'ja')])
@pytest.mark.parametrize('name', PAGES)
def test_language_switcher_links_to_the_same_page(built, language, other, name):
    html = page(built, language, name)
    switcher = html.split('<nav class="language-switcher"', 1)[1].split('</nav>', 1)[0]
    href = re.search(rf'<a href="([^"]+)" hreflang="{other}"', switcher)[1]
    target = (built / 'html' / language / name).parent / href
    assert target.resolve() == (built / 'html' / other / f'{name}.html').resolve()
    assert target.exists()


def test_footnotes_numbered_as_in_japanese(built):
    numbers = {}
    for language in ('ja', 'en'):
        html = ''.join(page(built, language, name) for name in PAGES)
        numbers[language] = re.findall(r'class="footnote-reference brackets" href="#([^"]+)"[^>]*>'
                                       r'<span class="fn-bracket">\[</span>(\d+)<', html)
    assert numbers['en'] == numbers['ja']
    assert [int(n) for _, n in numbers['en']] == list(range(1, 10))


def test_english_pdf_uses_english_class_and_fonts(built):
    pdf = next((built / 'pdf' / 'en').glob('*.pdf'))
    names = [f['name'] for f in pdffonts(pdf)]
    assert any('TeXGyreTermes' in n for n in names)
    assert not any('HaranoAji' in n for n in names), names
    # a CJK font only where Japanese is quoted (the errata on "Changes in this edition")
    for number in range(1, int(pdfinfo(pdf)['Pages']) + 1):
        quotes_japanese = bool(JAPANESE.search(pdftotext(pdf, number)))
        uses_cjk_font = any('CJK' in f['name'] for f in pdffonts(pdf, number))
        assert uses_cjk_font == quotes_japanese, number
    tex = next((ROOT / 'build' / '.work' / 'latex' / 'en').glob('*.tex')).read_text(encoding='utf-8')
    assert re.search(r'\\documentclass\[[^\]]*\]\{sphinxmanual\}', tex) and 'jsbook' not in tex
    assert r'\setmainlanguage{english}' in tex


def test_english_pdf_text_and_hyphenation(built):
    text = pdftotext(next((built / 'pdf' / 'en').glob('*.pdf')))
    assert 'Kunashiri Island' in re.sub(r'\s+', ' ', text)
    assert 'Release' not in text
    assert re.search(r'[a-z]-\n\s*[a-z]', text), 'no word is hyphenated across lines'
