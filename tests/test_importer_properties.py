"""Property-based tests (hypothesis) over the importer: whatever the input, no exception
but ImportFailure escapes, and when an import succeeds its accounting balances — every
input character in the draft, turned into markup, or dropped with a reason, none twice,
and the draft read back holds exactly the characters the accounting says it does.

Per run: 60 arbitrary texts (Japanese, Latin, digits, punctuation, readings, blank
lines, tabs, stray markup characters) and 12 layouts of the curated master with random
options; about 15 s on the shared machine.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from importer_layout import Options, curated_text, layout, reshuffled, with_more_ruby
from taiyaku.importer import ImportFailure, convert

PIECES = st.sampled_from([
    '日本とロシアは、', 'アジア太平洋地域における重要な隣国である。', '北方領土の国', '後島を訪問', 'くなしり', 'えとろふ',
    '第５節', ' 1　ロシア', '（1）日露関係', '各　論', 'ア イ', 'ウ', '第', '２', '章', '97外交青書 2011',
    '1\t 中央アジア諸国は、ウズベキスタン', '2\t 1956 年 10 月', ' 3', '」8の', 'G8外相会合', 'APEC',
    '日本の輸出額 （億円） 日本の輸入額 （億円）', '外相会談後、共同記者会見に臨む前原外務大臣（左）とラヴロフ・ロシア外相',
    '*', '`', '|', '_', '\\', '::', '.. ', '- ', '1. ', '=====', '<', '>', '\u3000', ' ', '\t', '\f', '\r',
    'Lorem ipsum', '2010年', '8.8％', '①', 'ⅠⅡ',
])
LINES = st.lists(st.lists(PIECES, max_size=6).map(''.join), min_size=1, max_size=60).map('\n'.join)
CHARS = st.text(st.characters(codec='utf-8', exclude_categories=('Cs',)), max_size=400)


def balanced(result) -> None:
    books = result.report['accounting']
    assert result.report['status'] in ('ok', 'incomplete', 'disordered'), books     # warned about, yet balanced
    assert books['unaccounted'] == 0 and not books['doubly_accounted']
    assert sum(books['in_draft'].values()) + sum(books['as_markup'].values()) + sum(books['dropped'].values()) \
        == books['total_characters']
    assert books['draft_check']['matches']


def import_or_refuse(folder: Path, text: str) -> None:
    """Either a clear refusal naming the file, or a draft whose accounting balances."""
    try:
        result = convert(text.encode('utf-8'), 'random.txt', folder / 'out')
    except ImportFailure as failure:
        assert str(failure).startswith('random.txt')
        return
    balanced(result)


@settings(max_examples=45, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=LINES)
@example(text='::G8外相会合\nくなしり')     # once failed: the accounting did not balance
@example(text='*97外交青書 2011')          # once failed: a cover title read back as emphasis
@example(text='日本とロシアは、北方領土の国\n\n各\u3000論\u3000\n日本とロシアは、')   # a legend line's trailing space
def test_extraction_like_text(tmp_path, text):
    import_or_refuse(tmp_path, text)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=CHARS)
def test_any_text(tmp_path, text):
    import_or_refuse(tmp_path, text)


@pytest.fixture(scope='module')
def structure(tmp_path_factory):
    return curated_text(tmp_path_factory.mktemp('seed') / 'draft')


OPTIONS = st.builds(
    Options, width=st.integers(18, 30), column_lines=st.integers(18, 60), footnote_width=st.integers(60, 110),
    caption_width=st.integers(45, 60), lead_first=st.booleans(), stranded=st.booleans(), kept_indent=st.booleans(),
    footnotes_after=st.sampled_from(['page', 'column']), captions_after=st.sampled_from(['page', 'column']),
    defer=st.booleans(), ruby_split=st.integers(1, 3), seed=st.integers(0, 1000))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(options=OPTIONS, more_ruby=st.booleans(), shuffle=st.booleans())
def test_any_layout_of_the_master(tmp_path, structure, options, more_ruby, shuffle):
    blocks = with_more_ruby(structure, 8, options.seed) if more_ruby else structure
    blocks = reshuffled(blocks, options.seed) if shuffle else blocks
    result = convert(layout(blocks, options).encode('utf-8'), 'layout.txt', tmp_path / 'out')
    balanced(result)
    assert result.report['draft']['footnotes'] == 9 and result.report['draft']['figures'] == 5
