"""The English PDF sets Japanese with xeCJK only when its text has some.

xeCJK gives the XeLaTeX English a Japanese face for what falls back to the master (a
message not yet translated) or quotes it (an erratum on the changes page). It does so by
looking at every pair of adjacent characters as XeTeX reads them (XeTeX's inter-character
tokens), whether the text has Japanese or not: that was 40% of an English LaTeX pass at ten
times this section (5.5 s against 3.25 s), and a cold PDF build runs three passes.

This translator adds ``\\PassOptionsToPackage{latin}{taiyaku-en}`` to the preamble when the
whole document — its body and every value the LaTeX template receives — has no character
that xeCJK would set in its CJK face or space as CJK punctuation (its own class lists,
``xeCJK.sty``; taiyaku-en.sty puts the curly quotes, the dashes, the ellipsis and the
middle dot back in the Latin text). taiyaku-en.sty then does not load xeCJK. The pages are
the same either way (``tests/test_print.py`` compares them); a document with Japanese loads
it as before.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

PACKAGE = 'taiyaku-en'
LATIN_OPTION = rf'\PassOptionsToPackage{{latin}}{{{PACKAGE}}}'

# What xeCJK classes as other than Latin text ("Default"), less what taiyaku-en.sty gives
# back to it: the modifier letters U+02EA-02EB, Hangul Jamo, the two-dot leader, the
# hyphenation point, the angle brackets U+2329-232A, the two-em dash, and everything from
# the CJK radicals (U+2E80) up: kana, ideographs, CJK and full-width punctuation, Hangul
# syllables, variation selectors, the supplementary ideographs.
NEEDS_CJK = re.compile('[\u02ea\u02eb\u1100-\u11ff\u2025\u2027\u2329\u232a\u2e3a\u2e80-\U0010ffff]')


def has_cjk(elements: dict, body: str) -> bool:
    return bool(NEEDS_CJK.search(body)) or any(
        isinstance(value, str) and NEEDS_CJK.search(value) for value in elements.values())


def latin_translator(base: type) -> type:
    """``base``, the builder's LaTeX translator, telling taiyaku-en.sty whether to load xeCJK."""

    class LatinTextTranslator(base):
        def astext(self) -> str:
            if PACKAGE in self.elements.get('preamble', '') and not has_cjk(self.elements, ''.join(self.body)):
                self.elements['preamble'] = f'{LATIN_OPTION}\n{self.elements["preamble"]}'
            return super().astext()

    LatinTextTranslator.__name__ = LatinTextTranslator.__qualname__ = f'LatinText{base.__name__}'
    return LatinTextTranslator


def use_latin_translator(app: Sphinx) -> None:
    if app.builder.name == 'latex' and app.config.latex_engine == 'xelatex':
        app.set_translator('latex', latin_translator(app.registry.get_translator_class(app.builder)), override=True)


def setup(app: Sphinx) -> dict:
    app.connect('builder-inited', use_latin_translator)
    return {'version': '1', 'parallel_read_safe': True, 'parallel_write_safe': True}
