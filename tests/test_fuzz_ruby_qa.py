"""Property-based tests: the ruby role's parsing and the catalog checks, over generated input.

Each property runs a few hundred generated examples (about 5,000 in all); the file takes
seconds, not minutes. The deadline is off: the machine is shared, and timings belong in
benchmarks.
"""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from taiyaku import qa
from taiyaku.ext.ruby import RubySyntaxError, parse_ruby, ruby
from taiyaku.po import CatalogError, read_catalog
from taiyaku.project import Project
from taiyaku.qa import markup, syntax

ROOT = Path(__file__).resolve().parent.parent


def examples(n: int):
    return settings(max_examples=n, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


# -- the ruby role ---------------------------------------------------------------------------

KANA = 'あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん'
KANJI = '国後択捉色丹歯舞群島北方領土日本露西亜護熙'
RUBY_TEXT = st.text(alphabet=st.sampled_from(list(KANA + KANJI + '<>|`\\ \n\t*_:[]#ab') + ['\u3000', 'が', 'ﾞ']),
                    max_size=30)


@examples(1000)
@given(RUBY_TEXT)
def test_parse_ruby_raises_only_its_own_error(text):
    try:
        base, readings = parse_ruby(text)
    except RubySyntaxError as exc:
        assert str(exc)                                  # a message that says what is wrong
        return
    assert base and base == base.strip() and readings and all(readings)
    assert len(readings) == 1 or len(readings) == len(base)


@examples(500)
@given(st.text(alphabet=KANJI, min_size=1, max_size=6), st.data())
def test_well_formed_ruby_round_trips(base, data):
    """Group ruby, or one reading per character: parse_ruby gives back exactly what was written."""
    reading = st.text(alphabet=KANA, min_size=1, max_size=5)
    if data.draw(st.booleans()):
        readings = [data.draw(reading)]
    else:
        readings = data.draw(st.lists(reading, min_size=len(base), max_size=len(base)))
    assume(len(readings) == 1 or len(base) > 1)
    assert parse_ruby(f'{base}<{"|".join(readings)}>') == (base, readings)


@examples(500)
@given(RUBY_TEXT)
def test_the_ruby_role_in_docutils_never_raises(text):
    """Inside a paragraph, any role text gives a ruby node or the role's own error, never an exception."""
    parsed = markup.parse(f'北方領土の:ruby:`{text}`島', True, markup.INLINE)
    nodes = list(parsed.document.findall(ruby))
    ruby_errors = [p for p in parsed.problems if p.message.startswith('ruby ')]
    if nodes:
        assert nodes[0].astext() and nodes[0]['readings']
    well_delimited = text and text == text.strip() and not text.endswith('\\') and '`' not in text
    if well_delimited and '\n\n' not in text:          # then docutils hands the text to the role
        assert nodes or ruby_errors, parsed.problems


# -- the catalog checks ----------------------------------------------------------------------

MARKUP = st.sampled_from(['[#]_', '[#fn-a]_', '[1]_', '[*]_', '[CIT]_', ':ref:`x <y>`', ':ruby:`国後<くなしり>`',
                          '`a <https://e.org>`_', 'name_', '|sub|', '``lit``', '*em*', '**', '`', '<b>', '\\input',
                          '.. raw:: html', '\n\n', '2010年', '240億', '4万9,000', '①', '第3回', '8分の1', '#noqa',
                          '北方領土', '国後島', 'Northern Territories', '24 billion', 'March'])
SOURCE = st.lists(st.one_of(st.text(alphabet=KANA + KANJI + '、。（）0123456789', max_size=8), MARKUP), max_size=8)
TRANSLATION = st.lists(st.one_of(st.text(alphabet='abc XYZ.,()-\'"0123456789', max_size=10), MARKUP), max_size=8)
CONTEXT = qa.context_for(Project(ROOT), 'en')


@examples(800)
@given(SOURCE, TRANSLATION, st.booleans())
def test_message_checks_never_raise(source, translation, fuzzy):
    entry = qa.Entry(''.join(source) or '日本', ''.join(translation), 1, fuzzy=fuzzy,
                     locations=(('../../source/section.rst', 7),))
    for check in qa.load_checks().values():
        if check.scope == qa.MESSAGE:
            for message in check.run(entry, CONTEXT):
                assert isinstance(message, str) and message


def run(check: str, msgid: str, msgstr: str) -> list[str]:
    return list(qa.load_checks()[check].run(qa.Entry(msgid, msgstr, 1), CONTEXT))


WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
         'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen']
TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety']
FULL_WIDTH = str.maketrans('0123456789,', '０１２３４５６７８９，')


def english_words(n: int) -> str:
    return WORDS[n] if n < 20 else TENS[n // 10] + ('' if n % 10 == 0 else '-' + WORDS[n % 10])


def japanese_forms(n: int) -> list[str]:
    forms = [str(n), f'{n:,}', f'{n:,}'.translate(FULL_WIDTH)]
    parts, rest = [], n
    for unit, size in (('兆', 10 ** 12), ('億', 10 ** 8), ('万', 10 ** 4)):
        if rest >= size:
            parts.append(f'{rest // size:,}{unit}')
            rest %= size
    if parts:
        forms.append(''.join(parts) + (f'{rest:,}' if rest else ''))
    return forms


def english_forms(n: int) -> list[str]:
    forms = [f'{n:,}']
    for word, size in (('trillion', 10 ** 12), ('billion', 10 ** 9), ('million', 10 ** 6)):
        if size <= n < 1000 * size and n % (size // 10) == 0:       # 24 billion, 2.4 billion
            forms.append(f'{n // size}{"." + str(n % size // (size // 10)) if n % size else ""} {word}')
    if n < 100:
        forms.append(english_words(n))
    return forms


AMOUNTS = st.one_of(st.integers(0, 100), st.integers(0, 10 ** 14),
                    st.integers(1, 99999).map(lambda n: n * 10 ** 8), st.integers(1, 9999).map(lambda n: n * 10 ** 4))


@examples(600)
@given(AMOUNTS, st.data())
def test_a_number_in_any_form_keeps_its_value(n, data):
    japanese = data.draw(st.sampled_from(japanese_forms(n)))
    english = data.draw(st.sampled_from(english_forms(n)))
    assert run('numbers', f'貿易額は約{japanese}米ドルとなった。', f'Trade reached about {english} US dollars.') == []


@examples(300)
@given(AMOUNTS, AMOUNTS, st.data())
def test_a_changed_number_is_found(n, m, data):
    assume(n != m)
    japanese = data.draw(st.sampled_from(japanese_forms(n)))
    english = data.draw(st.sampled_from(english_forms(m)))
    found = run('numbers', f'貿易額は約{japanese}米ドルとなった。', f'Trade reached about {english} US dollars.')
    assert len(found) == 1 and 'is not in the translation' in found[0]


MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
          'November', 'December']


@examples(300)
@given(st.integers(1900, 2100), st.integers(1, 12), st.integers(1, 28), st.booleans(), st.booleans(), st.data())
def test_dates(year, month, day, spaced, day_first, data):
    gap = ' ' if spaced else ''
    japanese = f'{year}{gap}年{gap}{month}{gap}月{gap}{day}{gap}日'
    english = f'{day} {MONTHS[month - 1]} {year}' if day_first else f'{MONTHS[month - 1]} {day}, {year}'
    assert run('numbers', f'条約は{japanese}に発効した。', f'The treaty entered into force on {english}.') == []
    other = data.draw(st.integers(1, 12).filter(lambda m: m != month))
    wrong = english.replace(MONTHS[month - 1], MONTHS[other - 1])
    assert any(f'{month}{gap}月' in message for message in
               run('numbers', f'条約は{japanese}に発効した。', f'The treaty entered into force on {wrong}.'))


LABEL = st.from_regex(r'\A[a-z]{1,6}(-[a-z0-9]{1,4}){0,2}\Z')
REFERENCE = st.one_of(LABEL.map(lambda label: f'[#{label}]_'), st.just('[#]_'), st.just('[*]_'),
                      st.integers(1, 99).map(lambda n: f'[{n}]_'),
                      LABEL.map(lambda label: f'[CIT-{label.upper()}]_'))


@examples(300)
@given(st.lists(REFERENCE, min_size=1, max_size=5), st.data())
def test_references_kept_and_dropped(references, data):
    msgid = ''.join(f'{word}{ref}、' for word, ref in zip(['日本', '露国', '中国', '米国', '英国'], references))
    msgstr = ', '.join(f'{word}{ref}' for word, ref in zip(['Japan', 'Russia', 'China', 'US', 'UK'], references))
    assert run('references', msgid, msgstr) == []
    dropped = data.draw(st.integers(0, len(references) - 1))
    fewer = msgstr.replace(references[dropped], '', 1)
    found = run('references', msgid, fewer)
    assert found and references[dropped] in found[0] and 'missing' in found[0]


with (ROOT / 'locale' / 'glossary.csv').open(encoding='utf-8', newline='') as handle:
    TERMS = [(row['source'], row['target']) for row in csv.DictReader(handle)
             if 'forbidden' not in (row.get('flags') or '')]


@examples(300)
@given(st.sampled_from(TERMS), st.sampled_from([str, str.upper, str.lower]), st.sampled_from(['', 's', "'s"]))
def test_glossary_terms_in_any_case_and_inflection(term, case, ending):
    source, target = term
    assert run('glossary', f'{source}について', f'On the {case(target)}{ending} question.') == []
    found = run('glossary', f'{source}について', 'On that question.')
    assert len(found) == 1 and source in found[0]


@examples(300)
@given(st.from_regex(r'\A[a-zA-Z][a-zA-Z0-9]{0,8}\Z'), st.sampled_from(['', ' class="x"', ' /']))
def test_any_tag_is_injection(name, attributes):
    found = run('injection', '日本', f'Japan <{name}{attributes}> and Russia')
    assert len(found) == 1 and f'<{name}' in found[0]


# -- syntax ------------------------------------------------------------------------------------

@examples(500)
@given(st.binary(max_size=300) | st.text(alphabet='msgidtrx_[]0 "\\\n#~,|:', max_size=200).map(str.encode))
def test_the_syntax_check_never_raises(data):
    po = syntax.read(Path('fuzz.po'), data)
    lines = data.count(b'\n') + 1
    assert all(1 <= line <= lines and message for line, message in po.errors + po.warnings)


VALID = (ROOT / 'tests' / 'fixtures' / 'po' / 'syntax' / 'ok-plain.po').read_text(encoding='utf-8') + '''
msgid "ロシア\\n"
msgstr "Russia\\n"

#, fuzzy
msgid "中央アジア"
msgstr "Central Asia"
'''
BODY = VALID.index('\n\n') + 2          # the header is left alone: its charset rules are stricter on purpose


@examples(200)
@given(st.integers(BODY, len(VALID) - 1), st.sampled_from(['delete', 'insert', 'duplicate line', 'delete line']),
       st.sampled_from(['"', '\\', 'x', '\n', '#', ' ', 'msgstr ', 'msgid ', '\\n', '#~ ', '[0]']))
def test_the_syntax_check_agrees_with_msgfmt(tmp_path_factory, position, change, text):
    if change == 'delete':
        mutated = VALID[:position] + VALID[position + 1:]
    elif change == 'insert':
        mutated = VALID[:position] + text + VALID[position:]
    else:
        start = VALID.rfind('\n', 0, position) + 1
        end = VALID.index('\n', position) + 1 if '\n' in VALID[position:] else len(VALID)
        line = VALID[start:end]
        mutated = VALID[:start] + (line if change == 'duplicate line' else '') + line + VALID[end:]
    path = tmp_path_factory.mktemp('fuzz') / 'mutated.po'
    path.write_text(mutated, encoding='utf-8')
    msgfmt = subprocess.run(['msgfmt', '-c', '-o', '/dev/null', str(path)], capture_output=True, text=True)
    try:
        read_catalog(path)
        taiyaku_reads = True
    except CatalogError:
        taiyaku_reads = False
    ours = [f for f in qa.check_files([path], language='en') if f.check == 'syntax']
    refused = msgfmt.returncode != 0 or not taiyaku_reads
    assert bool(ours) == refused, (mutated, msgfmt.stderr, ours)
