"""The EPUB builder: Sphinx's EPUB 3, made accessible (EPUB Accessibility 1.1, WCAG 2.1 AA),
epubcheck-clean and byte-for-byte reproducible.

What it adds to Sphinx's ``epub`` builder, registered under the same name:

* every content document declares its language (``lang`` and ``xml:lang`` on ``<html>``),
  and so does every element in another language (the English of the parallel edition);
* the navigation document in the book's language: the table of contents (``doc-toc``,
  headings of the parallel edition in both languages, each marked with its language),
  landmarks (cover, title page, start of the text, changes, colophon) and a page list
  of the original's printed pages (:func:`taiyaku.ext.pages.in_reading_order`);
* the package document's discovery metadata, worked out from the book itself: access
  modes, the features it has (ruby only where there is ruby, page navigation only where
  pages are marked), hazards, a summary of what the metadata cannot say (figures not
  reproduced, the pages and their print source), the conformance claim and its evaluator,
  the print source of the pagination, both languages of the parallel edition;
* a cover generated from the title and the edition (:mod:`taiyaku.ext.cover`), with
  its cover page and text alternative.

Two fixes as before: Sphinx writes ``epub_uid`` (the *name* of the identifier element)
into toc.ncx's ``dtb:uid``, where the NCX wants its value (epubcheck NCX-001); and Sphinx
zips the book with each file's modification time, so when SOURCE_DATE_EPOCH is set
(taiyaku's builds always set it to the edition's date) the archive is rewritten with
that time and fixed permissions, in Sphinx's order (``mimetype`` first and stored).

In the conformance claim ``a11y:certifiedBy`` names the evaluator: the publisher, which
evaluates its own book (the test suite runs Ace by DAISY, epubcheck, the Nu Html Checker
and axe-core), unless ``taiyaku_metadata[lang]['certified_by']`` names another party.
"""

from __future__ import annotations

import html
import os
import re
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.builders._epub_base import sphinx_smarty_pants as ssp
from sphinx.builders.epub3 import Epub3Builder
from sphinx.errors import SphinxError
from sphinx.util import logging
from sphinx.util._pathlib import _StrPath
from sphinx.util.fileutil import copy_asset_file

from taiyaku import editions
from taiyaku.ext import cover, pages
from taiyaku.labels import label

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent.parent / 'templates' / 'epub3'
COVER_IMAGE = '_images/cover.png'
COVER_PAGE = 'epub-cover.html'
CONFORMANCE = 'EPUB Accessibility 1.1 - WCAG 2.1 Level AA'
LANG_ATTRIBUTE = re.compile(r' lang="([^"]*)"(?! xml:lang)')


def with_xml_lang(markup: str) -> str:
    """XHTML: every ``lang`` attribute doubled by ``xml:lang``, as XML reading systems read it.

    Only attributes can match: the HTML writers escape every ``"`` of the text.
    """
    return LANG_ATTRIBUTE.sub(r' lang="\1" xml:lang="\1"', markup)


def book_languages(config: Config) -> list[str]:
    """The book's languages, its main one first: the parallel edition has two."""
    return [config.language, *([config.taiyaku_parallel] if getattr(config, 'taiyaku_parallel', '') else [])]


def both(config: Config, key: str, markup: bool = False, **values: str) -> str:
    """An apparatus label in the book's language, HTML-escaped; in the parallel edition in
    both languages, the second one marked with its language when ``markup``."""
    first, *others = book_languages(config)
    texts = [html.escape(label(first, key).format(**values))]
    for other in others:
        text = html.escape(label(other, key).format(**values))
        texts.append(f'<span lang="{other}" xml:lang="{other}">{text}</span>' if markup else text)
    return ' / '.join(texts)


# -- what the book holds: the facts its metadata states --------------------------------------

@dataclass
class BookFacts:
    ruby: int = 0
    figures: Counter = field(default_factory=Counter)       # photo, chart: not reproduced
    sections: dict[str, str] = field(default_factory=dict)  # colophon, changes: their document
    pages: list[tuple[str, str, str]] = field(default_factory=list)


def book_facts(builder: Epub3Builder) -> BookFacts:
    from taiyaku.ext.figures import figure_placeholder
    from taiyaku.ext.parallel import pair_placeholder
    from taiyaku.ext.ruby import ruby

    facts = BookFacts(pages=pages.in_reading_order(builder.env))
    for docname in pages.reading_order(builder.env):
        doctree = builder.env.get_doctree(docname)
        facts.ruby += sum(1 for _ in doctree.findall(ruby))
        for node in doctree.findall(lambda n: isinstance(n, (figure_placeholder, pair_placeholder))):
            facts.figures[node['kind']] += 1
        for section in doctree.findall(nodes.section):
            for key in ('colophon', 'changes'):
                if key in section['ids']:
                    facts.sections.setdefault(key, docname)
    return facts


def page_range(numbers: list[str], language: str) -> str:
    """96–98 for a run of consecutive pages, else the pages listed."""
    if numbers and all(n.isdigit() for n in numbers):
        values = [int(n) for n in numbers]
        if values == list(range(values[0], values[0] + len(values))) and len(values) > 1:
            return f'{values[0]}–{values[-1]}'
    return ('、' if language == 'ja' else ', ').join(numbers)


SUMMARY = {
    'ja': {
        'figures': '原本の{figures}の画像は収録していません。それぞれの位置に、その旨とキャプション（図表は凡例も）をテキストで示しています。',
        'photo': ('写真{count}点',) * 2, 'chart': ('図表{count}点',) * 2, 'and': 'と',
        'pages': '原本（{source}）の{pages}頁の始まる位置にページ区切りがあり、ページリストから移動できます。',
        'ruby': '一部の語にルビ（読み仮名）を付しています。',
        'parallel': '日本語の各段落・見出し・脚注の直後にその英訳を置き、それぞれの言語を明示しています。',
    },
    'en': {
        'figures': 'The images of the original\'s {figures} are not reproduced: each is replaced by a note saying so, '
                   'with its caption (and a chart\'s legend) as text.',
        'photo': ('{count} photograph', '{count} photographs'), 'chart': ('{count} chart', '{count} charts'),
        'and': ' and ',
        'pages': 'Page break markers show where pages {pages} of the original ({source}) begin, '
                 'and the page list leads to them.',
        'ruby': 'Some Japanese words carry ruby (their reading in kana).',
        'parallel': 'Each Japanese paragraph, heading and footnote is followed by its English translation; '
                    'the language of each is marked.',
    },
}


def accessibility_summary(facts: BookFacts, language: str, source: str, parallel: bool) -> str:
    """What the other accessibility metadata cannot say, in the book's language."""
    texts = SUMMARY.get(language, SUMMARY['en'])
    parts = []
    if parallel:
        parts.append(texts['parallel'])
    if facts.figures:
        kinds = [texts[kind][count != 1].format(count=count) for kind, count in sorted(facts.figures.items(), reverse=True)]
        parts.append(texts['figures'].format(figures=texts['and'].join(kinds)))
    if facts.pages:
        parts.append(texts['pages'].format(pages=page_range([n for _, n, _ in facts.pages], language), source=source))
    if facts.ruby:
        parts.append(texts['ruby'])
    return ('' if language == 'ja' else ' ').join(parts)


def features(facts: BookFacts) -> list[str]:
    """The schema.org accessibilityFeature values true of this book."""
    found = ['structuralNavigation', 'tableOfContents', 'readingOrder', 'displayTransformability']
    if facts.pages:
        found += ['pageBreakMarkers', 'pageNavigation']
    if facts.ruby:
        found.append('rubyAnnotations')
    return found


# -- the builder ------------------------------------------------------------------------------

class TaiyakuEpubBuilder(Epub3Builder):
    """Sphinx's EPUB 3 builder with accessibility metadata, navigation and a cover."""

    def init(self) -> None:
        super().init()
        self.guide_titles = {'toc': both(self.config, 'contents'), 'cover': both(self.config, 'cover')}
        self.facts: BookFacts | None = None

    def metadata_for(self, language: str) -> dict[str, str]:
        return self.config.taiyaku_metadata.get(language, {})

    # -- the package document

    def content_metadata(self) -> dict[str, Any]:
        metadata = super().content_metadata()
        facts = self.facts = book_facts(self)
        languages = book_languages(self.config)
        main = self.metadata_for(languages[0])
        metadata['languages'] = languages
        metadata['other_titles'] = []
        for other in languages[1:]:
            extra = self.metadata_for(other)
            name = label(other, 'parallel-edition')
            metadata['other_titles'].append({'lang': other, 'text': html.escape(
                f'{extra.get("project", "")}, {extra.get("subtitle", "")}: {name}')})
        source = main.get('print_source', '')
        if facts.pages and not source:
            logger.warning("conf.py: taiyaku_metadata[%r] has no 'print_source', which the page list of the "
                           "original's pages needs (EPUB Accessibility: name the source of the pagination)",
                           languages[0], type='taiyaku', subtype='epub')
        metadata['pagination_source'] = html.escape(source) if facts.pages else ''
        metadata['access_modes'] = ['textual']
        metadata['access_modes_sufficient'] = ['textual']
        metadata['features'] = features(facts)
        metadata['hazards'] = ['none']
        metadata['summaries'] = [
            {'lang': language,
             'text': html.escape(accessibility_summary(facts, language, self.metadata_for(language).get(
                 'print_source', source), parallel=len(languages) > 1))}
            for language in languages]
        metadata['conformance'] = CONFORMANCE
        metadata['certified_by'] = html.escape(main.get('certified_by') or self.config.epub_publisher)
        return metadata

    def build_content(self) -> None:
        self.write_cover()
        # Sphinx would list a cover page left by the previous build twice in the spine
        Path(self.outdir, self.coverpage_name).unlink(missing_ok=True)
        sphinx_templates, self.template_dir = self.template_dir, _StrPath(TEMPLATES)
        try:
            super().build_content()         # the package document from our template
        finally:
            self.template_dir = sphinx_templates

    # -- the cover

    def cover_text(self) -> cover.CoverText:
        config = self.config
        languages = book_languages(config)
        main = self.metadata_for(languages[0])
        path = Path(self.confdir, config.taiyaku_editions)
        try:
            edition = editions.current(path) if path.is_file() else None     # a project may have no editions
        except editions.EditionsError as exc:
            raise SphinxError(str(exc)) from None

        def edition_line(language: str) -> str:
            if edition is None:
                return config.release
            name = edition.label.get(language) or edition.label.get('en', '')
            return f'{name}　{edition.id}' if language == 'ja' else f'{name} ({edition.id})'

        text = cover.CoverText(title=main['project'], subtitle=main['subtitle'],
                               edition='\n'.join(edition_line(language) for language in languages),
                               publisher='\n'.join(self.metadata_for(language)['publisher'] for language in languages))
        if len(languages) > 1:
            other = self.metadata_for(languages[1])
            text.translation = [other['project'], other['subtitle']]
            text.badge = ' / '.join(label(language, 'parallel-edition') for language in languages)
        return text

    def write_cover(self) -> None:
        path = Path(self.outdir, COVER_IMAGE)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            image = cover.render(self.cover_text())
        except cover.CoverError as exc:
            raise SphinxError(str(exc)) from None
        if not path.is_file() or path.read_bytes() != image:
            path.write_bytes(image)

    def handle_page(self, pagename: str, addctx: dict, templatename: str = 'page.html', **kwargs) -> None:
        if templatename == COVER_PAGE:
            separator = '　' if self.config.language == 'ja' else '. '
            addctx['cover_title'] = both(self.config, 'cover')
            addctx['cover_alt'] = label(self.config.language, 'cover-alt').format(
                title=self.cover_text().alternative(separator))
        super().handle_page(pagename, addctx, templatename, **kwargs)

    # -- the navigation document

    def get_refnodes(self, doctree: nodes.Node, result: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The table of contents entries as Sphinx collects them, each also as markup that keeps
        its languages (``markup``: the parallel edition's English marked ``lang="en"``)."""
        for node in doctree.findall(nodes.reference):
            refuri = node.get('refuri')
            if not refuri or refuri.startswith(('http://', 'https://', 'irc:', 'mailto:')):
                continue
            classes = node.parent['classes'] if node.parent is not None else []
            level = next((level for level in range(8, 0, -1) if self.toctree_template % level in classes), None)
            if level is not None:
                result.append({'level': level, 'refuri': html.escape(refuri),
                               'text': ssp(html.escape(node.astext())), 'markup': self.entry_markup(node)})
        return result

    def entry_markup(self, node: nodes.Element) -> str:
        language = self.config.language
        out = []
        for child in node.children:
            if isinstance(child, nodes.Text):
                out.append(ssp(html.escape(child.astext())))
            elif isinstance(child, nodes.Element):
                inner = self.entry_markup(child)
                other = child.get('lang')
                out.append(f'<span lang="{other}" xml:lang="{other}">{inner}</span>'
                           if other and other != language else inner)
        return ''.join(out)

    def build_navigation_doc(self) -> None:
        logger.info('writing nav.xhtml file...')
        doctree = self.env.get_and_resolve_doctree(self.config.root_doc, self, tags=self.tags,
                                                   prune_toctrees=False, includehidden=False)
        refnodes = self.get_refnodes(doctree, [])
        self.toc_add_files(refnodes)
        root = refnodes[0]
        root.setdefault('markup', self.entry_markup(self.env.titles[self.config.root_doc]))
        for entry in refnodes:
            entry['text'] = entry.get('markup', entry['text'])
        context = {
            'lang': html.escape(self.config.epub_language),
            'toc_locale': both(self.config, 'contents'),        # escaped already
            'toc_heading': both(self.config, 'contents', markup=True),
            'navlist': self.build_navlist(refnodes),
            'landmarks_heading': both(self.config, 'landmarks', markup=True),
            'landmarks': self.landmarks(),
            'pages_heading': both(self.config, 'original-pages', markup=True),
            'pages': [{'href': f'{self.get_target_uri(docname)}#{node_id}', 'number': html.escape(number)}
                      for docname, number, node_id in (self.facts or book_facts(self)).pages],
        }
        copy_asset_file(TEMPLATES / 'nav.xhtml.jinja', self.outdir, context=context, force=True)
        if 'nav.xhtml' not in self.files:
            self.files.append('nav.xhtml')

    def landmarks(self) -> list[dict[str, str]]:
        facts = self.facts or book_facts(self)
        order = pages.reading_order(self.env)
        found = []
        if self.config.epub_cover and self.config.epub_cover[1]:
            found.append(('cover', self.coverpage_name, both(self.config, 'cover', markup=True)))
        # the title page holds the contents (the root document's toctree): the navigation
        # document itself is not in the spine, so a landmark may not point at it
        found.append(('titlepage', self.get_target_uri(order[0]), self.entry_markup(self.env.titles[order[0]])))
        found.append(('toc', self.get_target_uri(order[0]), both(self.config, 'contents', markup=True)))
        if len(order) > 1:
            found.append(('bodymatter', self.get_target_uri(order[1]), both(self.config, 'text-begins', markup=True)))
        for kind, key in (('errata', 'changes'), ('colophon', 'colophon')):
            if key in facts.sections:
                found.append((kind, self.get_target_uri(facts.sections[key]), both(self.config, key, markup=True)))
        return [{'type': kind, 'href': href, 'text': text} for kind, href, text in found]

    # -- the two fixes

    def toc_metadata(self, level: int, navpoints: list) -> dict[str, Any]:
        metadata = super().toc_metadata(level, navpoints)
        metadata['uid'] = self.config.epub_identifier
        return metadata

    def build_epub(self) -> None:
        super().build_epub()
        epoch = os.environ.get('SOURCE_DATE_EPOCH')
        if epoch:
            normalize_archive(Path(self.outdir, self.config.epub_basename + '.epub'), int(epoch))


def normalize_archive(path: Path, epoch: int) -> None:
    """Rewrite a zip with every entry dated ``epoch`` and mode 0644, order and compression kept."""
    date_time = time.gmtime(max(epoch, 315532800))[:6]      # zip dates start in 1980
    temporary = path.with_name(f'.{path.name}.tmp')
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(temporary, 'w') as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=date_time)
            info.compress_type = entry.compress_type
            info.external_attr = 0o100644 << 16
            info.create_system = 3
            target.writestr(info, source.read(entry.filename))
    os.replace(temporary, path)


# -- the content documents ------------------------------------------------------------------

def declare_languages(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``lang`` and ``xml:lang`` on every content document and on every element in another language."""
    if not app.builder.name.startswith('epub'):
        return
    language = html.escape(app.config.language)
    context['html_tag'] = (f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
                           f'lang="{language}" xml:lang="{language}">')
    if context.get('body'):
        context['body'] = with_xml_lang(context['body'])


# Theme files no EPUB page uses: the epub theme's own style sheet stands alone.
UNUSED_THEME_FILES = ['_static/basic.css', '_static/minus.png', '_static/plus.png']


def configure(app: Sphinx, config: Config) -> None:
    if not config.epub_cover:
        config.epub_cover = (COVER_IMAGE, COVER_PAGE)
    config.epub_exclude_files = [*config.epub_exclude_files,
                                 *(name for name in UNUSED_THEME_FILES if name not in config.epub_exclude_files)]


def setup(app: Sphinx) -> dict:
    app.add_builder(TaiyakuEpubBuilder, override=True)
    # after taiyaku.ext.languages (400) and taiyaku.ext.parallel_edition (450)
    app.connect('config-inited', configure, priority=460)
    app.connect('html-page-context', declare_languages)
    return {'version': '1', 'parallel_read_safe': True, 'parallel_write_safe': True}
