"""The nodes of the parallel-text (対訳) edition: a block of the master beside its translation.

:mod:`taiyaku.ext.parallel` makes them, :mod:`taiyaku.ext.parallel_writers` writes them.
"""

from __future__ import annotations

from docutils import nodes

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
