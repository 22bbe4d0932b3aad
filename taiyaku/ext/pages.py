"""Where the original's printed pages begin: the ``original-page`` role and directive.

A reader, a librarian or a court cites the Bluebook by its printed page. The master
records where each page of the original begins, as far as the source shows it::

    省エネル:original-page:`98`ギー分野を始めとする…    inside a paragraph (a page break
                                                         that fell mid-word)

    .. original-page:: 97                               between blocks

The marker is invisible in the text: search, plain text and the character accounting
see the words as printed. Writers make of it what their medium uses for page
references: HTML and EPUB an empty ``<span role="doc-pagebreak">`` with the number
as its accessible name and a link target (the EPUB page-list points at it), the page
shown beside the text by the theme's style sheet; LaTeX
``\\taiyakuoriginalpage{98}``, which the print styles define. A translation carries the
role to the corresponding place of its text (catalog QA checks that it does), so the
English edition can be cited by the original's pages too.

Page numbers are Arabic or lower-case Roman numerals. The same page marked twice in
one book is an error naming both places.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docutils import nodes
from docutils.parsers.rst import Directive
from docutils.utils import unescape

if TYPE_CHECKING:
    from docutils.parsers.rst.states import Inliner
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator

PAGE_NUMBER = re.compile(r'[1-9][0-9]{0,4}|[ivxlcdm]{1,12}')


class original_page(nodes.Inline, nodes.Element):
    """The point where page ``number`` of the original begins. It holds no text."""

    def astext(self) -> str:
        return ''


class PageNumberError(ValueError):
    pass


def page_number(text: str) -> str:
    number = unescape(text).strip()
    if not PAGE_NUMBER.fullmatch(number):
        raise PageNumberError(f'original-page needs a page number (98, or xii), got {text!r}')
    return number


def target_id(number: str) -> str:
    return f'original-page-{number}'


def make_node(number: str, rawsource: str = '') -> original_page:
    node = original_page(rawsource, number=number)
    node['ids'].append(target_id(number))
    return node


def original_page_role(name: str, rawtext: str, text: str, lineno: int, inliner: Inliner,
                       options: dict | None = None, content: list | None = None):
    try:
        number = page_number(text)
    except PageNumberError as exc:
        msg = inliner.reporter.error(str(exc), line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    node = make_node(number, rawtext)
    where = getattr(inliner.reporter, 'get_source_and_line', None)    # docutils' bare reporter has none
    node.source, node.line = where(lineno) if where else (None, lineno)
    return [node], []


# Sphinx is not imported here: catalog QA reads translations with this role and no Sphinx.
class OriginalPage(Directive):
    """``.. original-page:: 97``: the original's page 97 begins before the next block."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        try:
            number = page_number(self.arguments[0])
        except PageNumberError as exc:
            raise self.error(str(exc)) from None
        node = make_node(number, self.block_text)
        node.source, node.line = self.state_machine.get_source_and_line(self.lineno)
        return [node]


# -- the book's list of pages -------------------------------------------------------------

def clear_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    pages(env).pop(docname, None)


def merge_other(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    for docname in docnames:
        if docname in pages(other):
            pages(env)[docname] = pages(other)[docname]


def collect(app: Sphinx, doctree: nodes.document) -> None:
    """``env.taiyaku_original_pages``: docname → [(number, id, line)] in document order."""
    found = [(node['number'], node['ids'][0], node.line or 0)
             for node in doctree.findall(original_page) if node['ids']]
    if found:
        pages(app.env)[app.env.docname] = found


def pages(env: BuildEnvironment) -> dict[str, list[tuple[str, str, int]]]:
    if not hasattr(env, 'taiyaku_original_pages'):
        env.taiyaku_original_pages = {}
    return env.taiyaku_original_pages


def in_reading_order(env: BuildEnvironment) -> list[tuple[str, str, str]]:
    """(docname, number, id) for every marker, in the book's reading order."""
    return [(docname, number, node_id)
            for docname in reading_order(env) for number, node_id, _ in pages(env).get(docname, [])]


def reading_order(env: BuildEnvironment) -> list[str]:
    """The documents as the book reads them: the root, then its toctrees depth first."""
    seen: list[str] = []

    def walk(docname: str) -> None:
        if docname in seen or docname not in env.all_docs:
            return
        seen.append(docname)
        for child in env.toctree_includes.get(docname, []):
            walk(child)

    walk(env.config.root_doc)
    return seen


def check_unique(app: Sphinx, env: BuildEnvironment) -> None:
    """The same original page marked twice is an error naming both places."""
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    first: dict[str, tuple[str, int]] = {}
    for docname in reading_order(env):
        for number, _, line in pages(env).get(docname, []):
            if number in first:
                where, at = first[number]
                logger.error('original page %s is marked twice: here and at %s:%s',
                             number, env.doc2path(where), at, location=(docname, line))
            else:
                first[number] = (docname, line)


# -- writers --------------------------------------------------------------------------------

def language_of(node: nodes.Node, default: str) -> str:
    """The language of the text around ``node``: the nearest ``lang`` (the parallel edition's sides)."""
    while node is not None:
        if isinstance(node, nodes.Element) and node.get('lang'):
            return node['lang']
        node = node.parent
    return default


def visit_original_page_html(self: HTML5Translator, node: original_page) -> None:
    """The page break: named by its number for assistive technology, shown by CSS from
    ``data-label`` (「98頁」, "p. 98") as a discreet marginal note.

    EPUB names it with ``aria-label``, as DAISY's reading systems and Ace expect; on the web
    the name is a ``title``, as ARIA does not let a ``span`` carry ``aria-label`` (axe-core's
    aria-prohibited-attr) and ``doc-pagebreak`` belongs to DPUB-ARIA, which axe does not apply
    to HTML.
    """
    from taiyaku.labels import label

    number = self.attval(node['number'])
    ids = ''.join(f' id="{self.attval(node_id)}"' for node_id in node['ids'][:1])
    where = 'inline' if isinstance(node.parent, nodes.TextElement) else 'block'
    shown = self.attval(label(language_of(node, self.config.language), 'original-page').format(page=node['number']))
    if self.builder.name.startswith('epub'):
        name = f' epub:type="pagebreak" role="doc-pagebreak" aria-label="{number}"'
    else:
        name = f' role="doc-pagebreak" title="{number}"'
    self.body.append(f'<span class="original-page {where}"{ids}{name} data-page="{number}" '
                     f'data-label="{shown}"></span>')
    raise nodes.SkipNode


def visit_original_page_latex(self: LaTeXTranslator, node: original_page) -> None:
    # between blocks the page begins with the next one: end the paragraph before (the
    # writer joins the marker to it), and the print styles mark the next line that starts
    between = '' if isinstance(node.parent, nodes.TextElement) else '\n\\par'
    self.body.append(r'%s\taiyakuoriginalpage{%s}' % (between, self.encode(node['number'])))
    raise nodes.SkipNode


def skip(self, node: original_page) -> None:
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict:
    app.add_node(
        original_page,
        html=(visit_original_page_html, None),
        latex=(visit_original_page_latex, None),
        text=(skip, None),
        man=(skip, None),
        texinfo=(skip, None),
    )
    app.add_role('original-page', original_page_role)
    app.add_directive('original-page', OriginalPage)
    app.connect('env-purge-doc', clear_doc)
    app.connect('env-merge-info', merge_other)
    app.connect('doctree-read', collect)
    app.connect('env-check-consistency', check_unique)
    return {'version': '1', 'env_version': 1, 'parallel_read_safe': True, 'parallel_write_safe': True}
