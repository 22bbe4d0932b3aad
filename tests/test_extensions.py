"""Continuous footnote numbering and the figure-placeholder directive, on small projects."""

from __future__ import annotations

import re

import pytest

TWO_DOCS = {
    'index': '''
        Book
        ====

        前の文[#a]_と次の文[#b]_。

        .. [#a] 注A
        .. [#b] 注B

        .. toctree::

           second
        ''',
    'second': '''
        Second
        ======

        第二章の文[#c]_と[#]_。

        .. [#c] 注C
        .. [#] 注D
        ''',
}


def refs(html: str) -> list[str]:
    return re.findall(r'class="footnote-reference brackets"[^>]*><span class="fn-bracket">\[</span>(\d+)<', html)


def test_footnotes_continue_across_documents(mini):
    out = mini(TWO_DOCS).build('html')
    assert refs((out / 'index.html').read_text(encoding='utf-8')) == ['1', '2']
    assert refs((out / 'second.html').read_text(encoding='utf-8')) == ['3', '4']


def test_footnotes_in_latex_numbered_through(mini):
    out = mini(TWO_DOCS).build('latex', latex_engine='uplatex')
    tex = next(out.glob('*.tex')).read_text(encoding='utf-8')
    assert re.findall(r'\\begin\{footnote\}\[(\d+)\]', tex) == ['1', '2', '3', '4']


def test_renumbered_when_an_earlier_document_changes(mini):
    project = mini(TWO_DOCS)
    out = project.build('html')
    index = project.path / 'index.rst'
    index.write_text(index.read_text(encoding='utf-8').replace('次の文[#b]_。', '次の文。').replace('.. [#b] 注B\n', ''),
                     encoding='utf-8')
    project.run('html')   # incremental: only index.rst is re-read
    assert refs((out / 'second.html').read_text(encoding='utf-8')) == ['2', '3']


FIGURE = '''
    Title
    =====

    .. figure-placeholder:: chart
       :name: fig-x

       表題

       * 凡例一
    '''


def test_placeholder_figure_html(mini):
    out = mini({'index': FIGURE}).build('html')
    html = (out / 'index.html').read_text(encoding='utf-8')
    assert '<figure class="placeholder chart' in html and 'id="fig-x"' in html
    assert '図表は本版には収録していません' in html
    assert '<span class="caption-text">表題</span>' in html
    assert '<div class="legend">' in html


def test_placeholder_figure_in_translation_language(mini):
    out = mini({'index': FIGURE}).build('html', language='en')
    assert 'Chart not reproduced in this edition' in (out / 'index.html').read_text(encoding='utf-8')


def test_placeholder_caption_is_a_message(mini):
    out = mini({'index': FIGURE}).build('gettext')
    pot = (out / 'index.pot').read_text(encoding='utf-8')
    assert 'msgid "表題"' in pot and 'msgid "凡例一"' in pot


def test_placeholder_errors_name_file_and_line(mini):
    project = mini({'index': '''
        Title
        =====

        .. figure-placeholder:: drawing

           表題

        .. figure-placeholder:: photo
        '''})
    project.build('html')
    assert 'index.rst:4: ERROR: figure-placeholder: kind must be one of photo, chart' in project.warnings
    assert 'index.rst:8: ERROR: figure-placeholder needs a caption' in project.warnings


def two_sentences_in_english(mini, translations: dict[str, str], conf: str):
    """A one-page project with a title and two sentences, and its English catalog
    (``translations``: msgid → msgstr, '' for a message not yet translated)."""
    project = mini({'index': '''
        Title
        =====

        訳された文。

        まだ訳されていない文。
        '''}, conf=conf)
    catalog = project.path / 'locale' / 'en' / 'LC_MESSAGES' / 'index.po'
    catalog.parent.mkdir(parents=True)
    catalog.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                       + ''.join(f'msgid "{msgid}"\nmsgstr "{msgstr}"\n\n' for msgid, msgstr in translations.items()),
                       encoding='utf-8')
    return project


def test_untranslated_message_falls_back_and_is_reported(mini):
    project = two_sentences_in_english(
        mini, {'Title': 'Title', '訳された文。': 'A translated sentence.', 'まだ訳されていない文。': ''},
        conf="locale_dirs = ['locale']\ntranslation_progress_classes = 'untranslated'")
    out = project.build('html', language='en')
    html = (out / 'index.html').read_text(encoding='utf-8')
    assert 'A translated sentence.' in html
    assert re.search(r'<p class="untranslated">まだ訳されていない文。</p>', html)
    assert "1 message(s) not translated into 'en', shown in Japanese (index: 1)" in project.status
    assert project.warnings == ''


def test_a_build_keeps_a_few_doctrees_in_memory_not_all(mini):
    """Sphinx keeps every doctree it loads until the build ends (the whole doctree folder,
    at the end of a builder seeded with another's reading); taiyaku.ext.doctree_cache keeps
    the most recently used few."""
    from taiyaku.ext.doctree_cache import KEPT

    names = [f'doc{number:02d}' for number in range(KEPT + 10)]
    sources = {'index': 'Cover\n=====\n\n.. toctree::\n\n' + ''.join(f'   {name}\n' for name in names)}
    sources |= {name: f'{name}\n=====\n\n本文[#]_。\n\n.. [#] 注\n' for name in names}
    project = mini(sources)
    out = project.build('html')
    assert refs((out / 'doc25.html').read_text(encoding='utf-8')) == ['26']
    env = project.app.env
    for name in ['index', *names]:
        assert env.get_doctree(name).astext().startswith(name if name != 'index' else 'Cover')
    assert len(env._pickled_doctree_cache) == KEPT
    assert list(env._pickled_doctree_cache)[-1] == names[-1]
    env.get_doctree(names[-KEPT])                 # a hit: now the most recent, kept when others come
    env.get_doctree('index')
    assert names[-KEPT] in env._pickled_doctree_cache and names[-KEPT + 1] not in env._pickled_doctree_cache


def test_one_state_machine_serves_every_parse(mini, monkeypatch):
    """taiyaku.ext.state_machines: docutils' top-level state machine is kept between parses
    (every translated message is a parse of its own) instead of built for each."""
    from docutils.parsers.rst import states
    built = []
    original = states.RSTStateMachine.__init__

    def counting(self, *args, **kwargs):
        if type(self) is states.RSTStateMachine:        # a parse's own, not a nested parse's
            built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(states.RSTStateMachine, '__init__', counting)
    sources = {'index': TWO_DOCS['index'], 'second': TWO_DOCS['second'], 'third': '''
        Third
        =====

        - 箇条書き

          - 入れ子の項目[#e]_

        .. [#e] 注E
        '''}
    sources['index'] = sources['index'].replace('second\n', 'second\n           third\n')
    project = mini(sources)
    project.build('html', taiyaku_reuse_state_machines=False)
    anew, pages = len(built), {p.name: p.read_bytes() for p in (project.path / '_build' / 'html').glob('*.html')}
    built.clear()
    project.build('html')
    assert anew >= 3 and len(built) <= 1            # one machine for the three documents (or one kept before)
    assert {p.name: p.read_bytes() for p in (project.path / '_build' / 'html').glob('*.html')} == pages


def test_the_english_pages_are_the_same_with_state_machines_kept(tmp_path):
    """Every translated message parsed with a kept machine gives the pages a new machine gives."""
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    pages = {}
    for reuse in ('0', '1'):
        out = tmp_path / reuse
        result = subprocess.run([sys.executable, '-m', 'sphinx', '-q', '-b', 'html', '-D', 'language=en',
                                 '-D', f'taiyaku_reuse_state_machines={reuse}', '-d', str(tmp_path / f'd{reuse}'),
                                 '-c', str(root), str(root / 'source'), str(out)],
                                cwd=root, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        pages[reuse] = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob('*.html')}
    assert pages['0'] == pages['1'] and len(pages['1']) > 5


COMPACT = {
    'index': '''
        Title
        =====

        .. toctree::

           part/one
           part/two
        ''',
    'part/one': '''
        One
        ===

        一つ目の段落。
        ''',
    'part/two': '''
        Two
        ===

        二つ目の段落。
        ''',
}


def test_changed_only_extraction_writes_whole_catalogs_as_sphinx_does(mini, monkeypatch):
    """taiyaku.ext.message_templates: a document edited, its catalog written whole — with
    gettext_compact, the messages of every document sharing it — and every other template
    left as it is; the same bytes as Sphinx's own builder writing everything."""
    import sphinx.builders

    project = mini(COMPACT, conf='gettext_compact = True\n')
    out = project.run('gettext', taiyaku_gettext_changed_only=True)
    index = (out / 'index.pot').stat()
    one = project.path / 'part' / 'one.rst'
    one.write_text(one.read_text(encoding='utf-8').replace('一つ目の段落。', '一つ目の段落（改）。'), encoding='utf-8')
    written_docs, write = [], sphinx.builders._write_docname
    monkeypatch.setattr(sphinx.builders, '_write_docname',
                        lambda docname, **kwargs: written_docs.append(docname) or write(docname, **kwargs))
    project.run('gettext', taiyaku_gettext_changed_only=True)
    monkeypatch.undo()
    assert sorted(written_docs) == ['part/one', 'part/two']          # the edited one and its catalog's other
    part = (out / 'part.pot').read_text(encoding='utf-8')
    assert 'msgid "一つ目の段落（改）。"' in part and 'msgid "二つ目の段落。"' in part
    assert (out / 'index.pot').stat().st_mtime_ns == index.st_mtime_ns
    written = {path.name: path.read_bytes() for path in out.glob('*.pot')}
    project.build('gettext')                           # Sphinx's builder, everything read and written
    assert {path.name: path.read_bytes() for path in out.glob('*.pot')} == written


def test_changed_only_extraction_killed_before_its_templates_were_written_writes_them_next_time(mini, monkeypatch):
    """The environment already holds the new reading when the templates are written: a run that
    dies in between must not leave the old template looking current (its record names the older
    reading; and the record is cleared of what a run is about to write)."""
    from sphinx.builders.gettext import MessageCatalogBuilder

    project = mini(COMPACT, conf='gettext_compact = False\n')
    out = project.run('gettext', taiyaku_gettext_changed_only=True)
    two = project.path / 'part' / 'two.rst'
    two.write_text(two.read_text(encoding='utf-8').replace('二つ目の段落。', '二つ目の段落（改）。'), encoding='utf-8')

    def killed(self):
        raise KeyboardInterrupt
    monkeypatch.setattr(MessageCatalogBuilder, 'finish', killed)
    with pytest.raises(KeyboardInterrupt):
        project.run('gettext', taiyaku_gettext_changed_only=True)
    monkeypatch.undo()
    assert '（改）' not in (out / 'part' / 'two.pot').read_text(encoding='utf-8')
    project.run('gettext', taiyaku_gettext_changed_only=True)         # the source is not read again…
    assert 'msgid "二つ目の段落（改）。"' in (out / 'part' / 'two.pot').read_text(encoding='utf-8')   # …its template is written


LATIN_OPTION = r'\PassOptionsToPackage{latin}{taiyaku-en}'
XELATEX_ENGLISH = '''
locale_dirs = ['locale']
taiyaku_language_settings = {'en': {'latex_engine': 'xelatex', 'latex_elements': {'preamble': r'\\usepackage{taiyaku-en}'}}}
'''


def english_latex(mini, translations: dict[str, str]) -> str:
    out = two_sentences_in_english(mini, translations, XELATEX_ENGLISH).build('latex', language='en')
    return (out / 'mini-en.tex').read_text(encoding='utf-8')


def test_english_latex_without_japanese_does_not_load_xecjk(mini):
    tex = english_latex(mini, {'Title': 'Title', '訳された文。': '“A translated sentence” — with quotes…',
                               'まだ訳されていない文。': 'Another one · ‘too’.'})
    assert LATIN_OPTION in tex
    assert tex.index(LATIN_OPTION) < tex.index(r'\usepackage{taiyaku-en}')


def test_english_latex_with_japanese_loads_xecjk(mini):
    # a message not yet translated falls back to the Japanese: xeCJK must set it
    tex = english_latex(mini, {'Title': 'Title', '訳された文。': 'A translated sentence.',
                               'まだ訳されていない文。': ''})
    assert 'まだ訳されていない文。' in tex
    assert LATIN_OPTION not in tex


@pytest.mark.parametrize('text, cjk', [
    ('Plain English, “quoted” — and ‘so’… on · here', False),
    ('Café, naïve, Dvořák, Łódź', False),
    ('日ソ共同宣言', True), ('カナ', True), ('「', True), ('，', True), ('한국', True),
    ('two-dot leader ‥', True), ('a variation selector 葛\U000e0100', True), ('𠮷', True),
])
def test_which_characters_need_xecjk(text, cjk):
    from taiyaku.ext.latin_text import has_cjk
    assert has_cjk({}, text) is cjk
    assert has_cjk({'title': text}, '') is cjk
