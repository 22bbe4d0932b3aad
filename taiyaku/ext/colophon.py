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
    """Shared ground: the editions file, the language, a section with a label's title."""

    has_content = False

    @property
    def language(self) -> str:
        return self.config.language or 'en'

    def label(self, key: str) -> str:
        return label(self.language, key)

    def editions_path(self) -> Path:
        path = Path(self.env.app.confdir, self.config.taiyaku_editions)
        self.env.note_dependency(str(path))
        return path

    def history(self) -> list[editions.Edition]:
        try:
            return editions.load(self.editions_path())
        except editions.EditionsError as exc:
            raise self.error(str(exc)) from None

    @staticmethod
    def apparatus(section: nodes.section) -> list[nodes.Node]:
        """Generated in the reader's language already: keep it out of the catalogs."""
        for node in section.findall(nodes.TextElement):
            # not on inline nodes: Sphinx unwraps an inline carrying 'translatable' (RemoveTranslatableInline)
            if not isinstance(node, nodes.Inline):
                node['translatable'] = False
        return [section]

    def section(self, key: str) -> nodes.section:
        section = nodes.section(ids=[key], names=[key])
        section += nodes.title('', self.label(key))
        return section

    def localized(self, values: dict[str, str]) -> str:
        return values.get(self.language) or values.get('en') or next(iter(values.values()), '')

    def fill(self, template: str, **parts: nodes.Node | str) -> list[nodes.Node]:
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
    def run(self) -> list[nodes.Node]:
        history = self.history()
        this = history[-1]
        metadata = self.config.taiyaku_metadata.get(self.language, {})
        section = self.section('colophon')
        section['classes'].append('colophon')
        section += nodes.paragraph('', '', nodes.strong('', metadata.get('project', self.config.project)),
                                   classes=['colophon-title'])
        if metadata.get('subtitle'):
            section += nodes.paragraph('', metadata['subtitle'], classes=['colophon-subtitle'])

        rows = [
            (self.label('publisher'), [nodes.paragraph('', metadata.get('publisher', ''))]),
            (self.label('this-edition'), [nodes.paragraph(
                '', f'{self.localized(this.label)}（{this.id}）、{format_date(self.language, this.date)}'
                if self.language == 'ja' else
                f'{self.localized(this.label)} ({this.id}), {format_date(self.language, this.date)}')]),
        ]
        source = editions.source(self.editions_path())
        if source is not None:
            rows.append((self.label('source'), [nodes.paragraph('', self.localized(source.description))]))
            rows.append((self.label('source-file'), self.source_file(source)))
        section += table([18, 82], None, rows, 'colophon-details')
        section += nodes.rubric('', self.label('edition-history'))
        section += self.history_table(history)
        if metadata.get('copyright'):
            section += nodes.paragraph('', f'© {metadata["copyright"]}', classes=['colophon-copyright'])
        return self.apparatus(section)

    def source_file(self, source: editions.Source) -> list[nodes.Node]:
        path = Path(self.env.app.confdir, source.file)
        self.env.note_dependency(str(path))
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as exc:
            raise self.error(f'editions.toml [source]: cannot read {source.file}: {exc.strerror}') from None
        # in groups of eight, as printed checksums are: readable, and a line may break between groups
        groups = ' '.join(digest[start:start + 8] for start in range(0, len(digest), 8))
        return [nodes.paragraph('', '', nodes.literal('', source.file)),
                nodes.paragraph('', 'SHA-256: ', nodes.literal('', groups, classes=['digest']))]

    def history_table(self, history: list[editions.Edition]) -> nodes.table:
        rows = [(f'{self.localized(edition.label)} ({edition.id})', format_date(self.language, edition.date),
                 self.localized(edition.notes)) for edition in history]
        return table([25, 20, 55], [self.label('edition'), self.label('date'), self.label('notes')],
                     rows, 'edition-history')


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
    def run(self) -> list[nodes.Node]:
        history = self.history()
        section = self.section('changes')
        section['classes'].append('edition-changes')
        this = history[-1]
        if len(history) == 1:
            section += nodes.paragraph('', self.label('changes-first'))
            return self.apparatus(section)
        previous = history[-2]
        previous_name = f'{self.localized(previous.label)}, {previous.id}' if self.language != 'ja' \
            else f'{self.localized(previous.label)}、{previous.id}'
        if not this.errata:
            section += nodes.paragraph('', self.label('changes-none').format(previous=previous_name))
            return self.apparatus(section)
        section += nodes.paragraph('', self.label('changes-intro').format(previous=previous_name))
        errata = nodes.bullet_list(classes=['errata'])
        for erratum in this.errata:
            document = addnodes.pending_xref('', nodes.inline('', erratum.document), refdomain='std',
                                             reftype='doc', reftarget=f'/{erratum.document}', refexplicit=False,
                                             refdoc=self.env.docname, refwarn=True)
            item = nodes.paragraph('', '', *self.fill(
                self.label('erratum'), document=document,
                original=japanese(erratum.original, 'erratum-original'),
                corrected=japanese(erratum.corrected, 'erratum-corrected')))
            if erratum.note:
                item += nodes.Text(' — ' if self.language != 'ja' else '　')
                item += nodes.Text(self.localized(erratum.note))
            errata += nodes.list_item('', item)
        section += errata
        return self.apparatus(section)


def setup(app: Sphinx) -> dict:
    app.add_config_value('taiyaku_editions', 'editions.toml', 'env', types=frozenset({str}))
    app.add_directive('colophon', Colophon)
    app.add_directive('edition-changes', EditionChanges)
    return {'version': '1', 'parallel_read_safe': True, 'parallel_write_safe': True}
