"""The ``ruby`` role: furigana readings over a base text.

Syntax, modelled on Sphinx's ``title <target>`` form::

    :ruby:`国後<くなしり>`       group ruby: one reading spans the whole base
    :ruby:`歯舞<はぼ|まい>`      per-character ruby: one reading per base character

Per-character readings are typeset as jukugo ruby by default (JLReq 3.3.8: the readings
of a compound may overhang neighbouring base characters); set ``ruby_per_character_mode =
'mono'`` to keep each reading over its own character.

Writers: HTML/EPUB ``<ruby>`` with ``<rp>`` fallbacks; LaTeX pxrubrica's ``\\ruby`` on
(u)pLaTeX and a stacked-box fallback elsewhere; text-like writers ``base(reading)``.
The gettext builder extracts the paragraph's source, so the role reaches translators
verbatim.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docutils import nodes
from docutils.utils import unescape

if TYPE_CHECKING:
    from docutils.parsers.rst.states import Inliner
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator
    from sphinx.writers.text import TextTranslator

ROLE_SYNTAX = re.compile(r'^(?P<base>.*?)<(?P<reading>[^<>]*)>$', re.DOTALL)
GROUP, MONO, JUKUGO = 'group', 'mono', 'jukugo'


class ruby(nodes.Inline, nodes.TextElement):
    """A base text with its reading(s).

    The node's text is the base, so search indexes and plain-text extraction see the
    word as written; ``readings`` holds one reading (group ruby) or one per character.
    """


class RubySyntaxError(ValueError):
    pass


def parse_ruby(text: str) -> tuple[str, list[str]]:
    """Split ``base<reading>`` or ``base<r1|r2|…>`` into the base and its readings."""
    match = ROLE_SYNTAX.match(text.strip())
    if not match:
        raise RubySyntaxError(f'ruby needs a reading in angle brackets: `base<reading>`, got {text!r}')
    base = match['base'].strip()
    readings = [reading.strip() for reading in match['reading'].split('|')]
    if not base:
        raise RubySyntaxError(f'ruby has an empty base: {text!r}')
    if not any(readings):
        raise RubySyntaxError(f'ruby has no reading for {base!r}')
    if not all(readings):
        raise RubySyntaxError(f'ruby has an empty per-character reading in {text!r}')
    if len(readings) > 1 and len(readings) != len(base):
        raise RubySyntaxError(
            f'ruby gives {len(readings)} per-character readings for the {len(base)} characters of '
            f'{base!r}; give one reading per character, or one reading for the whole base'
        )
    return base, readings


def ruby_role(name: str, rawtext: str, text: str, lineno: int, inliner: Inliner,
              options: dict | None = None, content: list | None = None):
    try:
        base, readings = parse_ruby(unescape(text))
    except RubySyntaxError as exc:
        msg = inliner.reporter.error(str(exc), line=lineno)
        prb = inliner.problematic(rawtext, rawtext, msg)
        return [prb], [msg]
    node = ruby(rawtext, base, readings=readings)
    return [node], []


def ruby_mode(node: ruby, config) -> str:
    if len(node['readings']) == 1:
        return GROUP
    return config.ruby_per_character_mode


def pairs(node: ruby) -> list[tuple[str, str]]:
    """(base, reading) pairs: one for group ruby, one per character otherwise."""
    base, readings = node.astext(), node['readings']
    if len(readings) == 1:
        return [(base, readings[0])]
    return list(zip(base, readings))


# -- HTML and EPUB ----------------------------------------------------------------------

def visit_ruby_html(self: HTML5Translator, node: ruby) -> None:
    mode = ruby_mode(node, self.config)
    self.body.append(f'<ruby class="ruby-{mode}">')
    for base, reading in pairs(node):
        self.body.append(f'{self.encode(base)}<rp>(</rp><rt>{self.encode(reading)}</rt><rp>)</rp>')
    self.body.append('</ruby>')
    raise nodes.SkipNode


# -- LaTeX ------------------------------------------------------------------------------

PXRUBRICA_MODE = {GROUP: 'g', MONO: 'm', JUKUGO: 'j'}


def visit_ruby_latex(self: LaTeXTranslator, node: ruby) -> None:
    mode = ruby_mode(node, self.config)
    bases = [self.encode(base) for base, _ in pairs(node)]
    readings = [self.encode(reading) for _, reading in pairs(node)]
    if self.config.latex_engine in ('platex', 'uplatex'):
        # pxrubrica takes the base whole and separates per-character readings with '|'
        self.body.append(r'\ruby[%s]{%s}{%s}' % (PXRUBRICA_MODE[mode], ''.join(bases), '|'.join(readings)))
    else:
        # Other engines only meet ruby in a message that fell back to Japanese.
        self.body.append(r'\taiyakuruby{%s}{%s}' % (''.join(bases), ''.join(readings)))
    raise nodes.SkipNode


# -- plain text, manual pages, Texinfo --------------------------------------------------

def as_text(node: ruby) -> str:
    return ''.join(f'{base}({reading})' for base, reading in pairs(node))


def visit_ruby_text(self: TextTranslator, node: ruby) -> None:
    self.add_text(as_text(node))
    raise nodes.SkipNode


def visit_ruby_man(self, node: ruby) -> None:
    self.body.append(self.deunicode(as_text(node)))
    raise nodes.SkipNode


def visit_ruby_texinfo(self, node: ruby) -> None:
    self.body.append(self.escape(as_text(node)))
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict:
    app.add_config_value('ruby_per_character_mode', JUKUGO, 'env', types=frozenset({str}))
    app.add_node(
        ruby,
        html=(visit_ruby_html, None),
        latex=(visit_ruby_latex, None),
        text=(visit_ruby_text, None),
        man=(visit_ruby_man, None),
        texinfo=(visit_ruby_texinfo, None),
    )
    app.add_role('ruby', ruby_role)
    app.connect('config-inited', check_mode)
    return {'version': '1', 'parallel_read_safe': True, 'parallel_write_safe': True}


def check_mode(app: Sphinx, config) -> None:
    from sphinx.errors import ConfigError

    if config.ruby_per_character_mode not in (MONO, JUKUGO):
        raise ConfigError(
            f'ruby_per_character_mode must be {MONO!r} or {JUKUGO!r}, not {config.ruby_per_character_mode!r}'
        )
