"""The ruby role, per builder, and its error cases."""

from __future__ import annotations

import pytest

from taiyaku.ext.ruby import RubySyntaxError, parse_ruby

SOURCE = {'index': '''
    Title
    =====

    北方領土の:ruby:`国後<くなしり>`島と:ruby:`歯舞<はぼ|まい>`群島。
    '''}


@pytest.mark.parametrize('text, base, readings', [
    ('国後<くなしり>', '国後', ['くなしり']),
    ('歯舞<はぼ|まい>', '歯舞', ['はぼ', 'まい']),
    ('護熙 <もり|ひろ>', '護熙', ['もり', 'ひろ']),
])
def test_parse(text, base, readings):
    assert parse_ruby(text) == (base, readings)


@pytest.mark.parametrize('text, message', [
    ('国後', 'needs a reading'),
    ('国後<>', 'no reading'),
    ('<くなしり>', 'empty base'),
    ('歯舞<は|ぼ|まい>', '3 per-character readings for the 2 characters'),
    ('歯舞<はぼ|>', 'empty per-character reading'),
])
def test_parse_rejects(text, message):
    with pytest.raises(RubySyntaxError, match=message):
        parse_ruby(text)


def test_doctree(mini):
    project = mini(SOURCE)
    project.build('dummy')
    doctree = project.app.env.get_doctree('index')
    from taiyaku.ext.ruby import ruby
    nodes = list(doctree.findall(ruby))
    assert [(n.astext(), n['readings']) for n in nodes] == [('国後', ['くなしり']), ('歯舞', ['はぼ', 'まい'])]
    assert project.warnings == ''


def test_html(mini):
    out = mini(SOURCE).build('html')
    html = (out / 'index.html').read_text(encoding='utf-8')
    assert '北方領土の<ruby class="ruby-group">国後<rp>(</rp><rt>くなしり</rt><rp>)</rp></ruby>島' in html
    assert ('<ruby class="ruby-jukugo">歯<rp>(</rp><rt>はぼ</rt><rp>)</rp>'
            '舞<rp>(</rp><rt>まい</rt><rp>)</rp></ruby>群島') in html


def test_html_mono_mode(mini):
    out = mini(SOURCE, conf="ruby_per_character_mode = 'mono'").build('html')
    assert '<ruby class="ruby-mono">歯' in (out / 'index.html').read_text(encoding='utf-8')


def test_latex_uses_pxrubrica_modes(mini):
    out = mini(SOURCE).build('latex', latex_engine='uplatex')
    tex = next(out.glob('*.tex')).read_text(encoding='utf-8')
    assert r'\ruby[g]{国後}{くなしり}島' in tex
    assert r'\ruby[j]{歯舞}{はぼ|まい}群島' in tex


def test_latex_fallback_for_other_engines(mini):
    out = mini(SOURCE).build('latex', latex_engine='xelatex')
    tex = next(out.glob('*.tex')).read_text(encoding='utf-8')
    assert r'\taiyakuruby{国後}{くなしり}' in tex


def test_text(mini):
    out = mini(SOURCE).build('text')
    assert '北方領土の国後(くなしり)島と歯(はぼ)舞(まい)群島。' in (out / 'index.txt').read_text(encoding='utf-8')


def test_gettext_keeps_role_verbatim(mini):
    out = mini(SOURCE).build('gettext')
    pot = (out / 'index.pot').read_text(encoding='utf-8')
    assert 'msgid "北方領土の:ruby:`国後<くなしり>`島と:ruby:`歯舞<はぼ|まい>`群島。"' in pot


@pytest.mark.parametrize('role, message', [
    (':ruby:`国後`', 'ruby needs a reading'),
    (':ruby:`<くなしり>`', 'ruby has an empty base'),
    (':ruby:`歯舞<は|ぼ|まい>`', 'ruby gives 3 per-character readings'),
])
def test_error_names_file_and_line(mini, role, message):
    project = mini({'index': f'''
        Title
        =====

        First paragraph.

        それは{role}です。
        '''})
    project.build('html')
    assert f'index.rst:6: ERROR: {message}' in project.warnings


def test_html_escapes_content(mini):
    out = mini({'index': '''
        Title
        =====

        :ruby:`<script>alert(1)</script><&"'b>`
        '''}).build('html')
    html = (out / 'index.html').read_text(encoding='utf-8')
    body = html.split('<ruby', 1)[1].split('</ruby>', 1)[0]
    assert '<script' not in body
    assert '&lt;script&gt;alert(1)&lt;/script&gt;' in body
    assert '<rt>&amp;&quot;&#x27;b</rt>' in body or '<rt>&amp;&quot;\'b</rt>' in body


def test_latex_escapes_content(mini):
    out = mini({'index': r'''
        Title
        =====

        :ruby:`\\input{x}<$#%>`
        '''}).build('latex', latex_engine='uplatex')
    tex = next(out.glob('*.tex')).read_text(encoding='utf-8')
    assert r'\input{x}' not in tex
    assert r'\textbackslash{}input\{x\}' in tex
    assert r'\$\#\%' in tex
