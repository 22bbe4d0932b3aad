"""Number auto-numbered footnotes continuously across the whole publication.

docutils numbers ``[#]_`` and ``[#label]_`` footnotes per document, so a book split into
several documents would restart at 1 on every page. Print publications (the Bluebook
included) number footnotes through the whole section. This extension records how many
auto-numbered footnotes each document has and, when a document is written, renumbers its
footnotes from the count of all documents before it in reading order (the toctree
order). An assembled doctree (LaTeX, singlehtml) starts at the root document, so the same
rule numbers it 1…N in order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from taiyaku.ext.docdata import PerDocument

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def numbered_footnotes(tree: nodes.Node) -> Iterator[nodes.footnote]:
    # auto == 1 is [#]/[#label]; '*' is the symbol series, which keeps its own counter
    return (fn for fn in tree.findall(nodes.footnote) if fn.get('auto') == 1)


def reading_order(env: BuildEnvironment) -> list[str]:
    """Documents in the order a reader meets them: depth-first through the toctrees."""
    order: list[str] = []
    seen: set[str] = set()

    def visit(docname: str) -> None:
        if docname in seen:
            return
        seen.add(docname)
        order.append(docname)
        for child in env.toctree_includes.get(docname, ()):
            visit(child)

    visit(env.config.root_doc)
    order.extend(sorted(set(env.found_docs) - seen))  # orphans come last, in a stable order
    return order


# auto-numbered footnotes per document
counts = PerDocument('taiyaku_footnote_counts')


def offsets(env: BuildEnvironment) -> dict[str, int]:
    """How many numbered footnotes come before each document."""
    result, total = {}, 0
    for docname in reading_order(env):
        result[docname] = total
        total += counts(env).get(docname, 0)
    return result


class ContinuousFootnoteNumbers(SphinxPostTransform):
    # before LaTeXFootnoteTransform (600), which copies the labels into footnote marks
    default_priority = 100

    def run(self, **kwargs) -> None:
        known = getattr(self.env, 'taiyaku_footnote_offsets', None)    # worked out once per build
        number = (known if known is not None else offsets(self.env)).get(self.env.docname, 0)
        references: dict[str, list[nodes.footnote_reference]] | None = None
        for footnote in numbered_footnotes(self.document):
            number += 1
            label = footnote[0]
            if not isinstance(label, nodes.label) or label.astext() == str(number):
                continue
            label.children = [nodes.Text(str(number))]
            for ref_id in footnote.get('backrefs', []):
                ref = self.document.ids.get(ref_id)
                if isinstance(ref, nodes.footnote_reference):
                    ref.children = [nodes.Text(str(number))]
            if references is None:     # one walk for all: an assembled book has hundreds of notes
                references = {}
                for ref in self.document.findall(nodes.footnote_reference):
                    references.setdefault(ref.get('refid'), []).append(ref)
            for ref_id in footnote['ids']:
                for ref in references.get(ref_id, ()):
                    ref.children = [nodes.Text(str(number))]


def record_count(app: Sphinx, doctree: nodes.document) -> None:
    counts(app.env)[app.env.docname] = sum(1 for _ in numbered_footnotes(doctree))


def remember_offsets(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    env.taiyaku_previous_offsets = offsets(env)
    env.taiyaku_footnote_offsets = None           # the reading may change them


def renumbered_docs(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Documents not re-read whose numbering moved because an earlier one changed.

    The reading is over: the offsets hold for the writing, which would otherwise walk
    the whole reading order again for every page (quadratic in the number of documents).
    """
    before = getattr(env, 'taiyaku_previous_offsets', {})
    env.taiyaku_footnote_offsets = now = offsets(env)
    return [doc for doc, offset in now.items() if doc in before and before[doc] != offset]


def setup(app: Sphinx) -> dict:
    app.add_post_transform(ContinuousFootnoteNumbers)
    app.connect('doctree-read', record_count)
    counts.connect(app)
    app.connect('env-before-read-docs', remember_offsets)
    app.connect('env-updated', renumbered_docs)
    return {'version': '1', 'env_version': 1, 'parallel_read_safe': True, 'parallel_write_safe': True}
