"""Not tuned to the seed: the curated master's text (and texts made from it) laid out as
other raw extractions — other column widths and heights, page and column breaks
elsewhere, footnote bodies and captions at the end of the column or of the page,
indents kept or dropped, subhead letters stranded or in place, readings over other
words and split elsewhere, the reading order broken — and imported back.

Headings, footnotes, ruby and figures must come back exactly. Paragraphs must come
back, or — where the layout is truly ambiguous (a sentence ending at the end of a full
line; several paragraphs waiting for a continuation) — the report must flag a line of
the paragraph it got wrong. Figure placement is an editorial proposal: its agreement is
printed, not asserted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from importer_layout import Options, curated_text, layout, paragraph_agreement, recovered, reshuffled, with_more_ruby
from taiyaku.importer import convert, readback

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / 'raw' / '2011' / 'bluebook-2011-ch2-sec5.txt'

VARIANTS = {
    'column 20, 45 lines (as 2011)': (Options(width=20, column_lines=45), ()),
    'column 18, footnotes after each column': (Options(width=18, column_lines=35, footnotes_after='column',
                                                        footnote_width=60, caption_width=30), ()),
    'column 30, captions after each column': (Options(width=30, column_lines=25, footnote_width=100,
                                                       caption_width=48, captions_after='column'), ()),
    'column 24, indents kept, letters in place': (Options(width=24, column_lines=40, kept_indent=True, stranded=False,
                                                           footnote_width=80, caption_width=40), ()),
    'column 26, headings in order, tall columns': (Options(width=26, column_lines=60, lead_first=False,
                                                            footnote_width=86, caption_width=42), ()),
    'column 22, other readings split after 2': (Options(width=22, column_lines=30, ruby_split=2,
                                                        footnote_width=72, caption_width=35), ('ruby',)),
    'column 28, other readings, short columns': (Options(width=28, column_lines=20, ruby_split=3,
                                                          footnote_width=92, caption_width=45), ('ruby',)),
    'column 20, paragraphs reshuffled': (Options(width=20, column_lines=30, footnote_width=66, caption_width=32),
                                         ('shuffle', 'ruby')),
    'column 20, reading order broken': (Options(width=20, column_lines=40, defer=True), ()),
    'column 24, reading order broken, reshuffled': (Options(width=24, column_lines=25, defer=True, footnote_width=80,
                                                            caption_width=38, seed=3), ('shuffle',)),
    'column 28, reading order broken, other readings': (Options(width=28, column_lines=45, defer=True,
                                                                footnote_width=92, caption_width=44, seed=5),
                                                        ('ruby',)),
}


@pytest.fixture(scope='module')
def text(tmp_path_factory):
    """The structured text: the curated master as first printed (errata since 2011.1 undone)."""
    return curated_text(tmp_path_factory.mktemp('seed') / 'draft')


def structured(text, extras, seed):
    blocks = text
    if 'ruby' in extras:
        blocks = with_more_ruby(blocks, 8, seed)
    if 'shuffle' in extras:
        blocks = reshuffled(blocks, seed)
    return blocks


@pytest.mark.parametrize('name', VARIANTS)
def test_structure_comes_back(text, tmp_path, name):
    options, extras = VARIANTS[name]
    blocks = structured(text, extras, options.seed)
    raw = layout(blocks, options)
    assert raw.count('\n') > 300 and raw != RAW.read_text(encoding='utf-8')
    result = convert(raw.encode('utf-8'), f'{name}.txt', tmp_path / 'draft')
    assert result.report['status'] == 'ok' and result.report['accounting']['unaccounted'] == 0
    assert result.report['draft']['column_width'] == options.width
    draft = readback.read(tmp_path / 'draft')
    assert recovered(blocks, draft, result.report) == {}
    matched, total = paragraph_agreement(blocks, draft)
    figures = sum(1 for entry in result.report['figures'] if 'after_paragraph' in entry)
    print(f'{name}: paragraphs {matched}/{total}, ruby {len(result.report["ruby"])}, '
          f'figures placed {figures}/{len(result.report["figures"])}')


def test_other_readings_are_really_there(text):
    """The variants with other readings carry ruby the 2011 text does not have: per-character
    ones among them, and none is a 2011 word."""
    blocks = with_more_ruby(text, 8, 0)
    added = [b.text for b in blocks if b.kind == 'paragraph'] != [b.text for b in text if b.kind == 'paragraph']
    assert added
    ruby = {m for b in blocks for m in __import__('re').findall(r'\{([^<]*)<', b.text)}
    assert len(ruby - {'国後', '色丹', '歯舞', '護熙', '択捉'}) >= 6
