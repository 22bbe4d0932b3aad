"""How each builder writes the parallel edition's nodes (see :mod:`taiyaku.ext.parallel`).

HTML and EPUB share the markup — ``<div class="pair">`` with one ``<div class="side"
lang="…">`` per language, ``<span class="pair-text" lang="…">`` inside headings — and
differ in their style sheets: side by side (stacking on a narrow screen) on the web, one
after the other in an e-book. LaTeX sets each run of pairs in a ``paracol`` environment,
the master in the left column and the translation in the right one, synchronised after
every pair (``\\switchcolumn*``); the macros are in ``taiyaku-parallel.sty``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from taiyaku.ext.parallel_nodes import pair, pair_placeholder, pair_separator, pair_side, pair_text, untranslated_mark
from taiyaku.labels import label

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def is_translation(node: nodes.Element) -> bool:
    return node.get('slot') == 'translation'


def placeholder_texts(node: nodes.Element) -> list[tuple[str, str]]:
    return [(language, label(language, f'placeholder-{node["kind"]}')) for language in node['languages']]


# -- HTML and EPUB ----------------------------------------------------------------------

def visit_pair_html(self, node: nodes.Element) -> None:
    self.body.append(self.starttag(node, 'div'))


def depart_div_html(self, node: nodes.Element) -> None:
    self.body.append('</div>\n')


def visit_side_html(self, node: nodes.Element) -> None:
    self.body.append(self.starttag(node, 'div', CLASS=f'side side-{node["slot"]}', lang=node['lang']))


def visit_text_html(self, node: nodes.Element) -> None:
    kind = f'pair-text pair-{node["slot"]}' if node.get('slot') else 'fallback'
    self.body.append(self.starttag(node, 'span', '', CLASS=kind, lang=node['lang']))


def depart_span_html(self, node: nodes.Element) -> None:
    self.body.append('</span>')


def visit_separator_html(self, node: nodes.Element) -> None:
    self.body.append(self.starttag(node, 'span', '', CLASS='pair-sep'))


def visit_mark_html(self, node: nodes.Element) -> None:
    self.body.append(self.starttag(node, 'span', '', CLASS='untranslated-mark', lang=node['lang']))


def visit_placeholder_html(self, node: nodes.Element) -> None:
    texts = placeholder_texts(node)
    spans = ''.join(f'<span class="pair-text pair-{slot}" lang="{language}">{self.encode(text)}</span>'
                    for slot, (language, text) in zip(('master', 'translation'), texts))
    aria = self.encode(' / '.join(text for _, text in texts))
    self.body.append(f'<div class="figure-placeholder {node["kind"]}" role="img" aria-label="{aria}">{spans}</div>\n')
    raise nodes.SkipNode


# -- LaTeX ------------------------------------------------------------------------------

def visit_pair_latex(self, node: nodes.Element) -> None:
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('\n\\begin{taiyakupairs}\n')


def depart_pair_latex(self, node: nodes.Element) -> None:
    following = node.next_node(descend=False, siblings=True)
    # the next pair starts below the longer of the two columns (\switchcolumn*, or a new
    # paracol environment after a pair with footnotes: taiyaku-parallel.sty): pairs stay aligned
    self.body.append('\n\\taiyakunextpair\n' if isinstance(following, type(node)) else '\n\\end{taiyakupairs}\n')


def visit_side_latex(self, node: nodes.Element) -> None:
    if is_translation(node):
        self.body.append('\n\\begin{taiyakutranslation}\n')


def depart_side_latex(self, node: nodes.Element) -> None:
    self.body.append('\n\\end{taiyakutranslation}\n' if is_translation(node) else '\n\\switchcolumn\n')


def visit_text_latex(self, node: nodes.Element) -> None:
    translated = is_translation(node) and node.get('translated')
    self.body.append(r'\taiyakuen{' if translated else '{')


def depart_text_latex(self, node: nodes.Element) -> None:
    self.body.append('}')


def visit_separator_latex(self, node: nodes.Element) -> None:
    # a line break in headings and captions, ' / ' in the PDF bookmarks
    self.body.append(r'\texorpdfstring{\taiyakusep}{ / }')
    raise nodes.SkipNode


def visit_mark_latex(self, node: nodes.Element) -> None:
    self.body.append(r'\taiyakuuntranslated{%s}' % self.encode(node.astext()))
    raise nodes.SkipNode


def visit_placeholder_latex(self, node: nodes.Element) -> None:
    master, translation = (self.encode(text) for _, text in placeholder_texts(node))
    self.body.append(r'\begin{taiyakuplaceholder}{%s\\[.4em]\taiyakuen{%s}}' % (master, translation) + '\n')


def depart_placeholder_latex(self, node: nodes.Element) -> None:
    self.body.append('\\end{taiyakuplaceholder}\n')


# -- plain text -------------------------------------------------------------------------

def visit_nothing(self, node: nodes.Element) -> None:
    pass


def visit_separator_text(self, node: nodes.Element) -> None:
    self.add_text(node.astext())
    raise nodes.SkipNode


def visit_mark_text(self, node: nodes.Element) -> None:
    self.add_text(f'[{node.astext()}] ')
    raise nodes.SkipNode


def visit_placeholder_text(self, node: nodes.Element) -> None:
    self.new_state(0)
    self.add_text(f'[{" / ".join(text for _, text in placeholder_texts(node))}]')
    self.end_state()
    raise nodes.SkipNode


def register(app: Sphinx) -> None:
    passing = (visit_nothing, visit_nothing)
    app.add_node(pair, html=(visit_pair_html, depart_div_html), latex=(visit_pair_latex, depart_pair_latex),
                 text=passing)
    app.add_node(pair_side, html=(visit_side_html, depart_div_html), latex=(visit_side_latex, depart_side_latex),
                 text=passing)
    app.add_node(pair_text, html=(visit_text_html, depart_span_html), latex=(visit_text_latex, depart_text_latex),
                 text=passing)
    app.add_node(pair_separator, html=(visit_separator_html, depart_span_html), latex=(visit_separator_latex, None),
                 text=(visit_separator_text, None))
    app.add_node(untranslated_mark, html=(visit_mark_html, depart_span_html), latex=(visit_mark_latex, None),
                 text=(visit_mark_text, None))
    app.add_node(pair_placeholder, html=(visit_placeholder_html, None), latex=(visit_placeholder_latex, depart_placeholder_latex),
                 text=(visit_placeholder_text, None))
