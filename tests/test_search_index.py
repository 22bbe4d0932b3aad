"""The Japanese search index: the same bigrams as ever, and Sphinx's own searchindex.js from a compact builder."""

from __future__ import annotations

import io
import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from sphinx.search import IndexBuilder, js_index

from taiyaku.ext.search import CJK, IS_CJK, CompactIndexBuilder, split

TOKENS = re.compile(rf'[{CJK}]+|[^\W{CJK}]+')


def split_as_before(text: str) -> list[str]:
    """The splitter this project shipped first, kept as the reference for its semantics."""
    words = []
    for token in TOKENS.findall(text):
        if IS_CJK.match(token) and len(token) > 1:
            words.extend(token[i:i + 2] for i in range(len(token) - 1))
        else:
            words.append(token)
    return words


TEXT = st.text(alphabet=st.sampled_from(list('北方領土のロシア訪問々ー・、。 abcG8-（）\n') + ['ｱ', 'ｶ']), max_size=60)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_split_finds_the_same_words_once_each(text):
    words = split(text)
    assert set(words) == set(split_as_before(text))
    assert len(words) == len(set(words))


def test_split_cuts_japanese_into_bigrams():
    assert split('北方領土の問題') == ['北方', '方領', '領土', '土の', 'の問', '問題']
    assert split('G8外相会合、米') == ['外相', '相会', '会合', '米', 'G8']


SOURCES = {
    'index': '''
        目次
        ====

        .. toctree::

           one
           two
           three
    ''',
    'one': '''
        北方領土
        ========

        北方領土問題を解決して平和条約を締結する。G8 summit と日露関係。
    ''',
    'two': '''
        中央アジア
        ==========

        中央アジア諸国との対話。北方の国々、ロシアと中国。
    ''',
    'three': '''
        コーカサス
        ==========

        グルジアとロシアは国交断絶状態にある。
    ''',
}


def frozen(indexer: IndexBuilder) -> str:
    buffer = io.StringIO()
    indexer.prune(list(indexer._titles))
    indexer.dump(buffer, 'json')
    return buffer.getvalue()


def fed(env, cls, docnames) -> IndexBuilder:
    indexer = IndexBuilder(env, 'ja', {}, '')
    if cls is CompactIndexBuilder:
        CompactIndexBuilder.compact(indexer)
    for docname in docnames:
        indexer.feed(docname, f'{docname}.rst', docname, env.get_doctree(docname))
    return indexer


def test_compact_index_writes_what_sphinx_writes(mini):
    project = mini(SOURCES, conf="html_search_language = 'ja'")
    project.build('html')
    env = project.app.env
    docs = sorted(env.found_docs)
    stock, compact = fed(env, IndexBuilder, docs), fed(env, CompactIndexBuilder, docs)
    assert frozen(compact) == frozen(stock)
    assert "北方" in json.loads(frozen(compact))["terms"]

    # an incremental build: the last index loaded, the rewritten pages pruned and fed again
    for indexer in (stock, compact):
        indexer.load(io.StringIO(frozen(fed(env, IndexBuilder, docs))), 'json')
        indexer.prune(['index', 'three'])
        indexer.feed('one', 'one.rst', 'one', env.get_doctree('one'))
    assert frozen(compact) == frozen(stock)
    assert "グル" in json.loads(frozen(compact))["terms"]

    # a page indexed twice without a prune counts once, as in Sphinx's sets
    for indexer in (stock, compact):
        indexer.feed('two', 'two.rst', 'two', env.get_doctree('two'))
        indexer.feed('two', 'two.rst', 'two', env.get_doctree('two'))
    assert frozen(compact) == frozen(stock)


def test_html_builds_use_the_compact_index(mini):
    project = mini(SOURCES, conf="html_search_language = 'ja'")
    outdir = project.build('html')
    assert isinstance(project.app.builder.indexer, CompactIndexBuilder)
    script = (outdir / 'searchindex.js').read_text(encoding='utf-8')
    index = js_index.loads(script)
    assert {'北方', '方領', '領土'} <= set(index['terms'])
    assert index['titleterms']['領土'] == index['docnames'].index('one')     # one page: a number, not a list
    assert index['terms']['ロシ'] == [index['docnames'].index('three'), index['docnames'].index('two')]
