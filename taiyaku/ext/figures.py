"""The ``figure-placeholder`` directive: a figure whose image is not reproduced.

The source text of the first edition holds photographs and a chart only as their
captions and legends. Each stays a real figure, with its caption (and legend) as the
translatable text, and a neutral placeholder box where the image would be::

    .. figure-placeholder:: chart
       :name: fig-trade-volume

       日ソ・日露貿易高の推移

       * 日本の輸出額（億円）

The first paragraph is the caption; everything after it is the legend, exactly as in
docutils' ``figure``. The placeholder wording comes from :mod:`taiyaku.labels` in the
language being built, so it is never part of the master's text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from taiyaku.ext.parallel_nodes import pair, parallel_language
from taiyaku.labels import label

if TYPE_CHECKING:
    from sphinx.application import Sphinx

KINDS = ('photo', 'chart')


class figure_placeholder(nodes.General, nodes.Element):
    """Stands where a figure's image would be; ``kind`` is one of KINDS."""


class FigurePlaceholder(SphinxDirective):
    required_arguments = 1
    has_content = True
    option_spec = {
        'name': directives.unchanged,
        'class': directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        kind = self.arguments[0]
        if kind not in KINDS:
            raise self.error(f'figure-placeholder: kind must be one of {", ".join(KINDS)}, not {kind!r}')
        if not self.content:
            raise self.error('figure-placeholder needs a caption as its content')
        body = nodes.Element()
        self.state.nested_parse(self.content, self.content_offset, body)
        first = body[0]
        if not isinstance(first, nodes.paragraph):
            raise self.error('figure-placeholder: the first block of the content must be the caption paragraph')
        figure = nodes.figure('', classes=['placeholder', kind, *self.options.get('class', [])])
        self.set_source_info(figure)
        figure += figure_placeholder('', kind=kind)
        caption = nodes.caption(first.rawsource, '', *first.children)
        caption.source, caption.line = first.source, first.line
        figure += caption
        if len(body) > 1:
            figure += nodes.legend('', *body[1:])
        self.add_name(figure)
        return [figure]


def placeholder_text(translator, node: figure_placeholder) -> str:
    return label(translator.config.language, f'placeholder-{node["kind"]}')


def visit_placeholder_html(self, node: figure_placeholder) -> None:
    text = self.encode(placeholder_text(self, node))
    self.body.append(f'<div class="figure-placeholder {node["kind"]}" role="img" aria-label="{text}">'
                     f'<span>{text}</span></div>\n')
    raise nodes.SkipNode


def visit_placeholder_latex(self, node: figure_placeholder) -> None:
    # the box, with the chart's legend inside it (LegendInsidePlaceholder): taiyaku-common.sty
    self.body.append(r'\begin{taiyakuplaceholder}{%s}' % self.encode(placeholder_text(self, node)) + '\n')


def depart_placeholder_latex(self, node: figure_placeholder) -> None:
    self.body.append('\\end{taiyakuplaceholder}\n')


class LegendInsidePlaceholder(SphinxPostTransform):
    """In print a chart's legend is its key, inside the figure's box above the caption:
    move each legend of a placeholder figure into its placeholder (LaTeX only; the web
    keeps docutils' caption-then-legend order)."""

    default_priority = 400
    formats = ('latex',)

    def run(self, **kwargs) -> None:
        for figure in self.document.findall(nodes.figure):
            boxes = [child for child in figure.children if isinstance(child, nodes.Element)
                     and child.get('kind') in KINDS and isinstance(child, nodes.General)]
            legends = [child for child in figure.children if isinstance(child, nodes.legend)]
            if len(boxes) == 1 and legends:
                for legend in legends:
                    figure.remove(legend)
                    boxes[0] += legend


def visit_placeholder_text(self, node: figure_placeholder) -> None:
    self.new_state(0)
    self.add_text(f'[{placeholder_text(self, node)}]')
    self.end_state()
    raise nodes.SkipNode


def visit_placeholder_plain(self, node: figure_placeholder) -> None:
    self.body.append(f'[{placeholder_text(self, node)}]\n')
    raise nodes.SkipNode


class MovableFigures(SphinxPostTransform):
    """In print a figure may stand up to MAX_SHIFT paragraphs before the place it is
    written, so that it is never left alone at the head of a page after its text (the
    two-column body has no column floats). Each placeholder figure after paragraphs is
    given a place before each of them and its own place after them; TeX takes its own
    place first and, when a run finds it on the last page of the text, where nothing
    follows to fill its page, takes the first place on the next run (taiyaku-common.sty:
    taiyakumovable, \\taiyakufigureslot)."""

    default_priority = 401      # after LegendInsidePlaceholder
    formats = ('latex',)

    def run(self, **kwargs) -> None:
        # the blocks a figure may move before: paragraphs, or in the parallel edition pairs
        blocks = (nodes.paragraph, pair) if parallel_language(self.env) else (nodes.paragraph,)
        for figure in list(self.document.findall(nodes.figure)):
            parent = figure.parent
            if 'placeholder' not in figure['classes'] or not figure['ids'] or parent is None:
                continue
            position = parent.index(figure)
            before: list[nodes.Element] = []
            for sibling in reversed(parent.children[:position]):
                if not isinstance(sibling, blocks) or len(before) == MAX_SHIFT:
                    break
                before.append(sibling)
            if not before:
                continue
            key = figure['ids'][0]
            parent.remove(figure)
            parent.insert(parent.index(before[0]) + 1, slot(key, 0))
            for shift, paragraph in enumerate(before[:-1], start=1):
                parent.insert(parent.index(paragraph), slot(key, shift))
            earliest = parent.index(before[-1])
            parent[earliest:earliest] = [
                nodes.raw('', r'\begin{taiyakumovable}{%s}{%d}' % (key, len(before)), format='latex'),
                figure,
                nodes.raw('', r'\end{taiyakumovable}' + '\n' + r'\taiyakufigureslot{%s}{%d}' % (key, len(before)),
                          format='latex')]


MAX_SHIFT = 3


def slot(key: str, shift: int) -> nodes.raw:
    return nodes.raw('', r'\taiyakufigureslot{%s}{%d}' % (key, shift), format='latex')


def setup(app: Sphinx) -> dict:
    app.add_node(
        figure_placeholder,
        html=(visit_placeholder_html, None),
        latex=(visit_placeholder_latex, depart_placeholder_latex),
        text=(visit_placeholder_text, None),
        man=(visit_placeholder_plain, None),
        texinfo=(visit_placeholder_plain, None),
    )
    app.add_directive('figure-placeholder', FigurePlaceholder)
    app.add_post_transform(LegendInsidePlaceholder)
    app.add_post_transform(MovableFigures)
    return {'version': '1', 'parallel_read_safe': True, 'parallel_write_safe': True}
