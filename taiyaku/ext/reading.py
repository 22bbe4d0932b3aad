"""The ``read`` builder: the sources read into doctrees and the environment, nothing written.

A language's HTML, EPUB and LaTeX builders need the same reading (doctrees do not depend
on the builder): `taiyaku build` reads each language once with this builder and starts
the others from a copy of its doctrees (``taiyaku.builds.seed_doctrees``). Unlike Sphinx's
``dummy`` builder, it does not go on to resolve every page for a writing that never comes,
nor keep every doctree in memory for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.builders.dummy import DummyBuilder

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx


class ReadingBuilder(DummyBuilder):
    name = 'read'
    epilog = 'The sources are read; nothing is written.'

    def get_outdated_docs(self) -> list[str]:
        return []

    def write(self, *args, **kwargs) -> None:
        pass

    def write_doctree(self, docname: str, doctree: nodes.document, *, _cache: bool = True) -> None:
        super().write_doctree(docname, doctree, _cache=False)      # to disk for the builders that follow


def setup(app: Sphinx) -> dict:
    app.add_builder(ReadingBuilder)
    return {'version': '1', 'parallel_read_safe': True, 'parallel_write_safe': True}
