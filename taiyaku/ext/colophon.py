"""The colophon (奥付) and the "Changes in this edition" page, generated from editions.toml.

Both pages are apparatus of the edition, not text of the publication: they are built in
the reader's language from ``editions.toml`` (editions, errata, the source's provenance),
``taiyaku_metadata`` and :mod:`taiyaku.labels`, so they never enter the catalogs and are
always in step with the edition being built::

    .. colophon::

    .. edition-changes::

Each directive produces its page's section, title included. The page depends on
editions.toml and on the raw source file (whose SHA-256 the colophon prints), so
changing either re-reads it.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from taiyaku import editions
from taiyaku.labels import format_date, label

if TYPE_CHECKING:
    from sphinx.application import Sphinx

PLACEHOLDER = re.compile(r'\{(\w+)\}')


class EditionDirective(SphinxDirective):
    """Shared ground: the editions file, and a section titled by a label, in the reader's
    language — or, in the parallel (対訳) edition, in both languages side by side."""

    has_content = False
    key = ''                 # the label of the title, and the section's id

    def body(self, language: str) -> list[nodes.Node]:
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        from taiyaku.ext import parallel

        master = self.config.language or 'en'
        partner = parallel.parallel_language(self.env)
        section = nodes.section(ids=[self.key], names=[self.key], classes=[self.key])
        if not partner:
            section += nodes.title('', label(master, self.key))
            section += self.body(master)
        else:
            section += nodes.title(
                '', '', parallel.pair_text('', label(master, self.key), slot=parallel.MASTER, lang=master),
                parallel.pair_separator('', ' / '),
                parallel.pair_text('', label(partner, self.key), slot=parallel.TRANSLATION, lang=partner,
                                   translated=True))
            section += parallel.pair(
                '', parallel.pair_side('', *self.body(master), slot=parallel.MASTER, lang=master),
                parallel.pair_side('', *self.body(partner), slot=parallel.TRANSLATION, lang=partner),
                classes=['pair'])
        # generated in the reader's language already: keep it out of the catalogs (not on inline
        # nodes: Sphinx unwraps an inline carrying 'translatable', see RemoveTranslatableInline)
        for node in section.findall(nodes.TextElement):
            if not isinstance(node, nodes.Inline):
                node['translatable'] = False
        # in print the apparatus spans the page: the publication's two columns end here
        return [nodes.raw('', r'\taiyakuapparatus', format='latex'), section]

    def editions_path(self) -> Path:
        path = Path(self.env.app.confdir, self.config.taiyaku_editions)
        self.env.note_dependency(str(path))
        return path

    def history(self) -> list[editions.Edition]:
        try:
            return editions.load(self.editions_path())
        except editions.EditionsError as exc:
            raise self.error(str(exc)) from None


def localized(values: dict[str, str], language: str) -> str:
    return values.get(language) or values.get('en') or next(iter(values.values()), '')


def fill(template: str, **parts: nodes.Node | str) -> list[nodes.Node]:
    """A label template with its {placeholders} replaced by nodes or text."""
    result: list[nodes.Node] = []
    for number, piece in enumerate(PLACEHOLDER.split(template)):
        if number % 2 == 0:
            if piece:
                result.append(nodes.Text(piece))
        else:
            part = parts[piece]
            result.append(nodes.Text(part) if isinstance(part, str) else part)
    return result


def japanese(text: str, *classes: str) -> nodes.inline:
    """Japanese text quoted inside an edition of any language; docutils' HTML writers turn
    the ``language-ja`` class into ``lang="ja"``."""
    return nodes.inline(text, text, classes=['language-ja', *classes])


class Colophon(EditionDirective):
    key = 'colophon'

    def body(self, language: str) -> list[nodes.Node]:
        history = self.history()
        this = history[-1]
        metadata = self.config.taiyaku_metadata.get(language, {})
        body: list[nodes.Node] = [nodes.paragraph('', '', nodes.strong('', metadata.get('project', self.config.project)),
                                                  classes=['colophon-title'])]
        if metadata.get('subtitle'):
            body.append(nodes.paragraph('', metadata['subtitle'], classes=['colophon-subtitle']))
        # the edition as people say it (第1版第2刷（訂正版）; First edition, second printing (corrected)),
        # its id on a row of its own: "2011.2" alone would read as a date
        edition = f'{localized(this.label, language)}{"、" if language == "ja" else ", "}{format_date(language, this.date)}'
        rows = [(label(language, 'publisher'), [nodes.paragraph('', metadata.get('publisher', ''))]),
                (label(language, 'this-edition'), [nodes.paragraph('', edition)]),
                (label(language, 'edition-id'), [nodes.paragraph('', this.id)])]
        source = editions.source(self.editions_path())
        if source is not None:
            rows.append((label(language, 'source'), [nodes.paragraph('', localized(source.description, language))]))
            rows.append((label(language, 'source-checksum'), self.source_file(source)))
        if self.config.taiyaku_commit:          # a release: the git commit the edition is built from
            rows.append((label(language, 'commit'), [nodes.paragraph('', '', nodes.literal(
                '', in_groups(self.config.taiyaku_commit), classes=['digest', 'commit']))]))
        body.append(table([26, 74], None, rows, 'colophon-details'))
        body.append(nodes.rubric('', label(language, 'edition-history')))
        body.append(self.history_table(history, language))
        if metadata.get('copyright'):
            body.append(nodes.paragraph('', f'© {metadata["copyright"]}', classes=['colophon-copyright']))
        return body

    def source_file(self, source: editions.Source) -> list[nodes.Node]:
        path = Path(self.env.app.confdir, source.file)
        self.env.note_dependency(str(path))
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as exc:
            raise self.error(f'editions.toml [source]: cannot read {source.file}: {exc.strerror}') from None
        # the file's place in the project is no concern of the reader's
        return [nodes.paragraph('', '', nodes.literal('', in_groups(digest), classes=['digest']))]

    @staticmethod
    def history_table(history: list[editions.Edition], language: str) -> nodes.table:
        rows = [(localized(edition.label, language), format_date(language, edition.date),
                 localized(edition.notes, language)) for edition in history]
        return table([25, 20, 55], [label(language, 'edition'), label(language, 'date'), label(language, 'notes')],
                     rows, 'edition-history')


def in_groups(digest: str) -> str:
    """A checksum or a commit in groups of eight, as printed checksums are: readable, and a line
    may break between groups."""
    return ' '.join(digest[start:start + 8] for start in range(0, len(digest), 8))


def table(widths: list[int], headers: list[str] | None, rows, *classes: str) -> nodes.table:
    """A docutils table; a cell is text or a list of body nodes."""
    def entry(cell) -> nodes.entry:
        return nodes.entry('', *(cell if isinstance(cell, list) else [nodes.paragraph('', cell)]))

    group = nodes.tgroup(cols=len(widths))
    for width in widths:
        group += nodes.colspec(colwidth=width)
    if headers:
        group += nodes.thead('', nodes.row('', *(entry(text) for text in headers)))
    group += nodes.tbody('', *(nodes.row('', *(entry(cell) for cell in row)) for row in rows))
    return nodes.table('', group, classes=['colwidths-given', *classes])


class EditionChanges(EditionDirective):
    """What this edition changed since the previous one. In the master's language: the
    errata of the Japanese text. In a translation's: first what changed in the
    translation's own text (its translation errata, or that nothing did), then, in the
    translation's language, the errata of the Japanese text it translates, quoting the
    Japanese as Japanese."""

    key = 'changes'

    def body(self, language: str) -> list[nodes.Node]:
        from taiyaku.project import MASTER_LANGUAGE

        history = self.history()
        this = history[-1]
        if len(history) == 1:
            return [nodes.paragraph('', label(language, 'changes-first'))]
        previous = history[-2]
        previous_name = localized(previous.label, language)
        if language == MASTER_LANGUAGE:
            if not this.errata:
                return [nodes.paragraph('', label(language, 'changes-none').format(previous=previous_name))]
            return [nodes.paragraph('', label(language, 'changes-intro').format(previous=previous_name)),
                    self.errata(this.errata, language, 'erratum', japanese)]
        own = this.translation_errata_of(language)
        body: list[nodes.Node] = [nodes.rubric('', label(language, 'changes-translation'))]
        if own:
            body += [nodes.paragraph('', label(language, 'changes-translation-intro').format(previous=previous_name)),
                     self.errata(own, language, 'erratum', translated)]
        else:
            body.append(nodes.paragraph('', label(language, 'changes-translation-none').format(previous=previous_name)))
        body.append(nodes.rubric('', label(language, 'changes-master')))
        if this.errata:
            body += [nodes.paragraph('', label(language, 'changes-master-intro')),
                     self.errata(this.errata, language, 'erratum-master', quoted_japanese)]
        else:
            body.append(nodes.paragraph('', label(language, 'changes-master-none')))
        return body

    def errata(self, errata, language: str, template: str, quote) -> nodes.bullet_list:
        items = nodes.bullet_list(classes=['errata'])
        for erratum in errata:
            if erratum.document not in self.env.found_docs:
                raise self.error(f'editions.toml: an erratum of {self.history()[-1].id} names the document '
                                 f'{erratum.document}, which is not in source/ (renamed or removed? name it as it '
                                 'is now)')
            document = addnodes.pending_xref('', nodes.inline('', erratum.document), refdomain='std',
                                             reftype='doc', reftarget=f'/{erratum.document}', refexplicit=False,
                                             refdoc=self.env.docname, refwarn=True)
            item = nodes.paragraph('', '', *fill(
                label(language, template), document=document,
                original=quote(erratum.original, 'erratum-original'),
                corrected=quote(erratum.corrected, 'erratum-corrected')))
            if erratum.note:
                item += nodes.Text('　' if language == 'ja' else ' — ')
                item += nodes.Text(localized(erratum.note, language))
            items += nodes.list_item('', item)
        return items


def quoted_japanese(text: str, *classes: str) -> nodes.inline:
    """Japanese quoted in another language's text, in Japanese quotation marks: 「…」."""
    return japanese(f'「{text}」', *classes)


def translated(text: str, *classes: str) -> nodes.inline:
    """A translation's own words, quoted on its changes page: the page sets them in double
    quotation marks, so a quotation inside them takes single ones."""
    text = re.sub(r'"([^"]*)"', '‘\\1’', text)
    return nodes.inline(text, text, classes=list(classes))


def setup(app: Sphinx) -> dict:
    app.add_config_value('taiyaku_editions', 'editions.toml', 'env', types=frozenset({str}))
    app.add_config_value('taiyaku_commit', '', 'env', types=frozenset({str}))     # set by `make release`
    app.add_directive('colophon', Colophon)
    app.add_directive('edition-changes', EditionChanges)
    return {'version': '1', 'env_version': 2, 'parallel_read_safe': True, 'parallel_write_safe': True}
