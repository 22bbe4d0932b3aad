"""The nodes of the parallel-text (対訳) edition: a block of the master beside its translation;
and whether the build is that edition (``parallel_language``).

:mod:`taiyaku.ext.parallel` makes them, :mod:`taiyaku.ext.parallel_writers` writes them, and
extensions that set blocks of their own (figures, the colophon) ask here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.builders.gettext import MessageCatalogBuilder

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

MASTER, TRANSLATION = 'master', 'translation'     # the two slots of a pair


class pair(nodes.General, nodes.Element):
    """A block of the master and its translation: two ``pair_side`` children."""


class pair_side(nodes.Element):
    """One half of a ``pair``: ``slot`` is ``master`` or ``translation``, ``lang`` its language."""


class pair_text(nodes.Inline, nodes.TextElement):
    """One language's text inside a heading, caption or list item.

    ``slot`` is ``master`` or ``translation`` and ``lang`` its language; the master's text
    shown in the translation's slot (not yet translated) has the master's ``lang`` and no slot.
    """


class pair_separator(nodes.Inline, nodes.TextElement):
    """Between the two texts of a heading or caption (`` / `` where they share a line)."""


class untranslated_mark(nodes.Inline, nodes.TextElement):
    """The visible mark of a message not yet translated."""


class pair_placeholder(nodes.General, nodes.Element):
    """A figure_placeholder saying in both languages that the image is not reproduced."""


def parallel_language(env: BuildEnvironment) -> str:
    """The translation set beside the master, or '' outside the parallel edition."""
    return env.config.taiyaku_parallel if not issubclass(env._builder_cls, MessageCatalogBuilder) else ''
