"""The parallel-text (対訳) edition: every block of the master beside its translation.

The edition is built in the master's language with ``taiyaku_parallel`` naming the
translation (the CLI passes ``-D taiyaku_parallel=en``); nothing of the text is
duplicated: the master is read from ``source/`` and the translation from its catalogs.

Right after the place where Sphinx's i18n ``Locale`` transform translates a document,
:class:`PairWithTranslation` looks every message of the document up in the translation's
catalog (``locale/<lang>/LC_MESSAGES/<docname>.po``, read with Babel), parses the msgstr
the way ``Locale`` does, and sets the translation beside the master's node:

* a body paragraph and a footnote become a ``pair`` of two ``pair_side`` blocks — two
  columns in HTML (stacked on a narrow screen), ``paracol`` columns in the PDF, one block
  after the other in EPUB;
* a heading, a caption or a legend item holds both texts (``pair_text``) separated by
  ``pair_separator``, so the contents, the PDF bookmarks and the EPUB navigation carry
  both languages (``1　ロシア / 1. Russia``).

A message with no msgstr, or a fuzzy one, shows the master's text in the translation's
slot behind a visible "not yet translated" mark, so the edition doubles as a review copy;
the build reports how many messages that concerns.

Footnotes keep the continuous numbering of :mod:`taiyaku.ext.footnotes`: the
translation's footnote is a twin of the master's (not auto-numbered itself), its
references point at the twin, and both take the master footnote's number after each
renumbering.  In the PDF each column sets its own footnotes at the foot of the column:
the Japanese notes under the Japanese text, the English under the English.

The nodes are in :mod:`taiyaku.ext.parallel_nodes`, their writers in
:mod:`taiyaku.ext.parallel_writers`; the edition's metadata, styles and HTML view toggle in
:mod:`taiyaku.ext.parallel_edition`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from docutils.transforms.universal import SmartQuotes
from docutils.utils import smartquotes
from sphinx import addnodes
from sphinx.locale import __
from sphinx.transforms import SphinxTransform
from sphinx.transforms.i18n import Locale, _publish_msgstr, parse_noqa
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util import docname_join
from sphinx.util.i18n import docname_to_domain
from sphinx.util.nodes import LITERAL_TYPE_NODES, extract_messages

from taiyaku.ext.figures import figure_placeholder
from taiyaku.ext.parallel_nodes import (  # noqa: F401  (parallel.pair… to the extensions that build pairs)
    MASTER, TRANSLATION, pair, pair_placeholder, pair_separator, pair_side, pair_text, parallel_language,
    untranslated_mark,
)
from taiyaku.labels import label
from taiyaku.po import CatalogError, read_catalog

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


# -- catalogs ---------------------------------------------------------------------------

def catalog_path(env: BuildEnvironment, language: str, docname: str) -> Path | None:
    domain = docname_to_domain(docname, env.config.gettext_compact)
    for directory in env.config.locale_dirs:
        path = Path(env.srcdir, directory, language, 'LC_MESSAGES', f'{domain}.po')
        if path.is_file():
            return path.resolve()
    return None


_catalogs: dict[tuple[Path, int], dict[str, str]] = {}


def translations(path: Path, language: str) -> dict[str, str]:
    """msgid → msgstr of every translated message; fuzzy and empty ones are left out."""
    key = (path, path.stat().st_mtime_ns)
    if key not in _catalogs:
        try:
            catalog = read_catalog(path, language)
        except CatalogError as exc:      # names the file and line; every message then shows as untranslated
            logger.warning('%s', exc, type='taiyaku', subtype='catalog')
            return {}
        _catalogs[key] = {message.id: message.string for message in catalog
                          if message.id and isinstance(message.id, str) and message.string and not message.fuzzy}
    return _catalogs[key]


# -- the read transforms ----------------------------------------------------------------

def is_body_block(node: nodes.Element) -> bool:
    """A paragraph standing in the flow of a section: paired side by side."""
    return isinstance(node, nodes.paragraph) and isinstance(node.parent, (nodes.section, nodes.document))


def strip_targets(tree: nodes.Element) -> None:
    """A twin is no link target: ids and names stay with the master's nodes."""
    for node in tree.findall(nodes.Element):
        node['ids'] = []
        node['names'] = []


class PairWithTranslation(SphinxTransform):
    """Set each message of the master beside its translation."""

    default_priority = Locale.default_priority + 1

    def apply(self, **kwargs) -> None:
        translation = parallel_language(self.env)
        if not translation:
            return
        master = self.config.language
        docname = self.env.current_document.docname
        path = catalog_path(self.env, translation, docname)
        found = {}
        if path is not None:
            self.env.note_dependency(str(path))
            found = translations(path, translation)

        messages = [(node, msgid) for node, msgid in extract_messages(self.document)
                    if isinstance(node, nodes.TextElement) and not isinstance(node, LITERAL_TYPE_NODES)]
        twins = {}
        for node, msgid in messages:
            twin = self.twin(node, found.get(msgid, ''), master, translation)
            self.link_references(node, twin, checked=twin['translated'])
            twins[node] = twin

        for placeholder in list(self.document.findall(figure_placeholder)):
            placeholder.replace_self(pair_placeholder('', kind=placeholder['kind'], languages=[master, translation]))

        in_footnotes = self.pair_footnotes(twins, master, translation)
        for node, twin in twins.items():
            if node in in_footnotes:
                continue
            if is_body_block(node):
                set_pair(node, twin, master, translation)
            else:
                pair_inline(node, twin, master, translation)

    def twin(self, node: nodes.TextElement, msgstr: str, master: str, translation: str) -> nodes.Element:
        """A copy of ``node`` holding the translation, or the master's text behind the mark."""
        patch = self.parse(node, msgstr) if msgstr else None
        twin = node.copy()
        if patch is not None:
            twin.extend(patch.children)
            twin['translated'] = True
        else:
            twin += untranslated_mark('', label(translation, 'untranslated'), lang=translation)
            twin += pair_text('', '', *(child.deepcopy() for child in node.children), lang=master)
            twin['translated'] = False
        strip_targets(twin)
        return twin

    def parse(self, node: nodes.TextElement, msgstr: str) -> nodes.Element | None:
        """The msgstr as a paragraph (or title), exactly as Sphinx's Locale parses it."""
        msgstr, _ = parse_noqa(msgstr)
        if isinstance(node, nodes.title):
            msgstr += '\n' + '=' * len(msgstr) * 2   # a section, whose title is the message
        patch = _publish_msgstr(msgstr, self.document['source'], node.line, config=self.config,
                                env=self.env, registry=self.env._registry, settings=self.document.settings)
        if isinstance(node, nodes.title):
            patch = patch.next_node()
        # like Locale: a msgstr that is not one paragraph (e.g. it parses as a list) is not used
        return patch if isinstance(patch, (nodes.paragraph, nodes.title)) else None

    def link_references(self, node: nodes.Element, twin: nodes.Element, checked: bool) -> None:
        """Give each footnote reference of the twin its own id and its master counterpart."""
        originals = list(node.findall(nodes.footnote_reference))
        references = list(twin.findall(nodes.footnote_reference))
        if checked and sorted(r.get('refname', '') for r in originals) != sorted(r.get('refname', '') for r in references):
            logger.warning(__('inconsistent footnote references in translated message. original: %s, translated: %s'),
                           [r.rawsource for r in originals], [r.rawsource for r in references],
                           location=node, type='i18n', subtype='inconsistent_references')
        unused = list(originals)
        for reference in references:
            partner = next((o for o in unused if o.get('refname') == reference.get('refname')
                            and o.get('auto') == reference.get('auto')), None)
            if partner is None:
                reference.parent.remove(reference)
                continue
            unused.remove(partner)
            if not partner['ids']:
                self.document.set_id(partner)
            reference.attributes.pop('refname', None)   # resolved by ResolveTwinFootnotes, not docutils
            reference.children = []
            self.document.set_id(reference)
            reference['parallel_of'] = partner['ids'][0]

    def pair_footnotes(self, twins: dict, master: str, translation: str) -> set[nodes.Element]:
        """Pair every footnote holding messages with a twin in the translation; the nodes paired."""
        done = set()
        for footnote in list(self.document.findall(nodes.footnote)):
            inside = [node for node in footnote.findall(nodes.TextElement) if node in twins]
            if not inside or not footnote['ids']:
                continue
            twin = footnote.deepcopy()
            strip_targets(twin)
            for original, copy in zip(list(footnote.findall(nodes.Element)), list(twin.findall(nodes.Element))):
                if original in twins:
                    copy.parent.replace(copy, twins[original])
            twin.attributes.pop('auto', None)     # numbered after the master's footnote, not by docutils
            twin['backrefs'] = []
            twin['ids'] = [self.unique_id(f'{footnote["ids"][0]}-{translation}')]
            self.document.ids[twin['ids'][0]] = twin
            twin['parallel_of'] = footnote['ids'][0]
            set_pair(footnote, twin, master, translation)
            done.update(inside)
        return done

    def unique_id(self, wanted: str) -> str:
        candidate, n = wanted, 1
        while candidate in self.document.ids:
            n += 1
            candidate = f'{wanted}-{n}'
        return candidate


def set_pair(original: nodes.Element, twin: nodes.Element, master: str, translation: str) -> None:
    """Put a pair in the place of ``original``: it, and its twin beside it."""
    node = pair('', classes=['pair'])
    node.source, node.line = original.source, original.line
    original.parent.replace(original, node)   # replace_self would hand the pair its ids
    node += pair_side('', original, slot=MASTER, lang=master)
    node += pair_side('', twin, slot=TRANSLATION, lang=translation)


def pair_inline(node: nodes.TextElement, twin: nodes.Element, master: str, translation: str) -> None:
    """Hold both texts in ``node`` itself (a heading, caption, list item)."""
    master_text = pair_text('', '', *node.children, slot=MASTER, lang=master)
    translated_text = pair_text('', '', *twin.children, slot=TRANSLATION, lang=translation,
                                translated=twin['translated'])
    node.children = []
    node += master_text
    node += pair_separator('', ' / ')
    node += translated_text


def twins_of(tree: nodes.Node, kind: type[nodes.Element]) -> Iterable[nodes.Element]:
    return (node for node in tree.findall(kind) if 'parallel_of' in node)


def number_twins(document: nodes.document) -> None:
    """Give every twin footnote and reference the number of its master counterpart.

    Run after docutils numbers the footnotes and again after taiyaku.ext.footnotes
    renumbers them continuously. Nodes are matched by (docname, id): an assembled LaTeX
    doctree holds several documents, whose ids may repeat.
    """
    masters = {(node.get('docname'), node_id): node
               for node in document.findall(lambda n: isinstance(n, (nodes.footnote, nodes.footnote_reference)))
               if 'parallel_of' not in node for node_id in node['ids']}
    for twin in twins_of(document, nodes.footnote):
        original = masters.get((twin.get('docname'), twin['parallel_of']))
        if original is None or not isinstance(original[0], nodes.label):
            continue
        if isinstance(twin[0], nodes.label):
            twin.remove(twin[0])
        twin.insert(0, original[0].deepcopy())
    for reference in twins_of(document, nodes.footnote_reference):
        original = masters.get((reference.get('docname'), reference['parallel_of']))
        if original is not None:
            reference[:] = [nodes.Text(original.astext())]


def translated_blocks(document: nodes.document) -> Iterable[nodes.TextElement]:
    """The translation's text blocks: its paragraphs in pairs, its texts in headings and captions."""
    for side in document.findall(pair_side):
        if side['slot'] == TRANSLATION:
            yield from (node for node in side.findall(nodes.TextElement)
                        if node.get('translated') and not isinstance(node.parent, nodes.TextElement))
    yield from (node for node in document.findall(pair_text) if node.get('slot') == TRANSLATION and node['translated'])


class TranslationQuotes(SphinxTransform):
    """Typographic quotes in the translation, as in its own edition.

    Sphinx's SmartQuotes leaves a Japanese document alone (``smartquotes_excludes``), which
    would leave the English of the parallel edition with the straight quotes of the
    catalog; this educates only the translated text, in the translation's language.
    """

    default_priority = 751      # where SphinxSmartQuotes (750) runs

    def apply(self, **kwargs) -> None:
        translation = parallel_language(self.env)
        excludes = self.config.smartquotes_excludes
        if (not translation or not self.config.smartquotes or translation in excludes.get('languages', ())
                or self.env._builder_cls.name in excludes.get('builders', ())
                or translation not in smartquotes.smartchars.quotes):
            return
        tokens = SmartQuotes(self.document, startnode=None)
        for block in list(translated_blocks(self.document)):
            texts = list(block.findall(nodes.Text))
            educated = list(smartquotes.educate_tokens(tokens.get_tokens(texts), language=translation,
                                                       attr=self.config.smartquotes_action))
            for text, new in zip(texts, educated):
                if new != text:
                    replace_text(text, [nodes.Text(new)])


class ResolveTwinFootnotes(SphinxTransform):
    """Point each twin reference at the twin of its master's footnote, and number both."""

    default_priority = 630      # after docutils' Footnotes transform (620) has numbered the master

    def apply(self, **kwargs) -> None:
        if not parallel_language(self.env):
            return
        twin_of_footnote = {twin['parallel_of']: twin for twin in twins_of(self.document, nodes.footnote)}
        for reference in twins_of(self.document, nodes.footnote_reference):
            original = self.document.ids.get(reference['parallel_of'])
            twin = twin_of_footnote.get(original.get('refid')) if original is not None else None
            if twin is None:
                continue
            reference['refid'] = twin['ids'][0]
            reference.resolved = True
            twin.add_backref(reference['ids'][0])
        number_twins(self.document)


class NumberTwinFootnotes(SphinxPostTransform):
    """After the continuous renumbering of taiyaku.ext.footnotes (priority 100)."""

    default_priority = 150

    def run(self, **kwargs) -> None:
        if parallel_language(self.env):
            number_twins(self.document)


class PrepareLaTeX(SphinxPostTransform):
    """Ready the pairs for Sphinx's LaTeX writer and its footnote transform.

    LaTeXFootnoteTransform (600) takes a second reference to the same (docname, number) for a
    repeated reference to one footnote; the twins get a docname of their own, so the English
    reference carries the English footnote into the English column.
    """

    default_priority = 590
    formats = ('latex',)

    def run(self, **kwargs) -> None:
        translation = parallel_language(self.env)
        if not translation:
            return
        for kind in (nodes.footnote, nodes.footnote_reference):
            for node in twins_of(self.document, kind):
                node['docname'] = f'{node.get("docname")}#{translation}'
        if self.config.latex_engine in ('platex', 'uplatex'):
            for block in list(translated_blocks(self.document)):
                latin_punctuation(block)
        # the LaTeX writer wants the first heading (the root document's, unprinted) as plain text
        first = next(self.document.findall(nodes.title), None)
        if first is not None and any(isinstance(child, pair_text) for child in first.children):
            first[:] = [nodes.Text(first.astext())]


# (u)pLaTeX reads these as Japanese characters and sets them full width in the Japanese font
LATIN_PUNCTUATION = {'‘': r'\textquoteleft{}', '’': r'\textquoteright{}', '“': r'\textquotedblleft{}',
                     '”': r'\textquotedblright{}', '–': r'\textendash{}', '—': r'\textemdash{}', '…': r'\dots{}'}
PUNCTUATION_PATTERN = re.compile(f'([{"".join(LATIN_PUNCTUATION)}])')


def latin_punctuation(block: nodes.Element) -> None:
    """Write the translation's typographic quotes and dashes as LaTeX's Latin ones."""
    for text in list(block.findall(nodes.Text)):
        if not PUNCTUATION_PATTERN.search(text):
            continue
        pieces = [nodes.raw('', LATIN_PUNCTUATION[piece], format='latex') if piece in LATIN_PUNCTUATION
                  else nodes.Text(piece) for piece in PUNCTUATION_PATTERN.split(text) if piece]
        replace_text(text, pieces)


def replace_text(text: nodes.Text, replacement: list[nodes.Node]) -> None:
    """Put nodes in the place of a Text node, found by identity (equal Texts compare equal)."""
    parent = text.parent
    index = next(i for i, node in enumerate(parent.children) if node is text)
    parent[index:index + 1] = replacement


class SideLinkTitles(SphinxPostTransform):
    """A link to a document from one side of a pair is titled in that side's language.

    Sphinx titles a ``:doc:`` link with the document's title, which in this edition holds
    both languages; each side takes its own (the Japanese title in the Japanese text, the
    English one in the English), so every text stays in the language it is marked with.
    Runs before Sphinx resolves the references (priority 10).
    """

    default_priority = 5

    def run(self, **kwargs) -> None:
        if not parallel_language(self.env):
            return
        for node in list(self.document.findall(addnodes.pending_xref)):
            if node.get('reftype') != 'doc' or node.get('refexplicit'):
                continue
            side = next((ancestor for ancestor in iter_ancestors(node) if isinstance(ancestor, pair_side)), None)
            title = self.env.titles.get(docname_join(node.get('refdoc', self.env.docname), node['reftarget']))
            own = next((text for text in title.findall(pair_text) if text.get('slot') == side['slot']), None) \
                if side is not None and title is not None else None
            if own is not None:
                node[:] = [nodes.inline('', own.astext())]
                node['refexplicit'] = True


def iter_ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


class DropEmptyPairs(SphinxPostTransform):
    """LaTeX moves footnotes to their references, leaving their pairs empty."""

    default_priority = 610
    formats = ('latex',)

    def run(self, **kwargs) -> None:
        for node in list(self.document.findall(pair)):
            if not any(side.children for side in node.children):
                node.parent.remove(node)


# -- the report -------------------------------------------------------------------------

def report(app: Sphinx, exception: Exception | None) -> None:
    translation = app.config.taiyaku_parallel
    if exception is not None or not translation or app.builder.name == 'gettext':
        return
    from taiyaku.ext.fallback import fell_back

    missing = fell_back(app.env)
    if missing:
        where = ', '.join(f'{doc}: {count}' for doc, count in missing.items())
        logger.info('taiyaku: %d message(s) not yet translated into %r, marked in the parallel edition (%s)',
                    sum(missing.values()), translation, where, color='yellow')
    else:
        logger.info('taiyaku: parallel edition: every message translated into %r', translation)


def setup(app: Sphinx) -> dict:
    from taiyaku.ext import parallel_edition, parallel_writers

    app.add_config_value('taiyaku_parallel', '', 'env', types=frozenset({str}))
    parallel_writers.register(app)
    app.add_transform(PairWithTranslation)
    app.add_transform(ResolveTwinFootnotes)
    app.add_transform(TranslationQuotes)
    app.add_post_transform(NumberTwinFootnotes)
    app.add_post_transform(PrepareLaTeX)
    app.add_post_transform(DropEmptyPairs)
    app.add_post_transform(SideLinkTitles)
    app.connect('build-finished', report)
    parallel_edition.setup(app)
    return {'version': '1', 'env_version': 2, 'parallel_read_safe': True, 'parallel_write_safe': True}
