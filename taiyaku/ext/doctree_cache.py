"""Keep a few pickled doctrees in memory, not every one the build has loaded.

Sphinx's ``BuildEnvironment.get_doctree`` keeps the bytes of every doctree it reads from
disk until the build ends. A build that writes from doctrees read earlier (an incremental
build, or a builder seeded by the ``read`` builder: ``taiyaku.builds.seed_doctrees``) reads
each page once, so at the end it holds the whole doctree folder in memory for nothing:
9 MB per builder at 100 times this section, twice over when the languages build side by
side. The pages read again soon (the root document, a document and its parent while
numbering figures) stay in a small most-recently-used cache; the others are read from disk
again, which the page cache makes cheap.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

KEPT = 16        # doctrees; a document is rarely asked for again after a dozen others


class RecentDoctrees(OrderedDict):
    """A mapping that forgets its least recently used entries beyond ``limit``."""

    def __init__(self, limit: int = KEPT):
        super().__init__()
        self.limit = limit

    def __getitem__(self, key):
        value = super().__getitem__(key)
        self.move_to_end(key)
        return value

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > self.limit:
            self.popitem(last=False)


def bound_cache(app: Sphinx) -> None:
    app.env._pickled_doctree_cache = RecentDoctrees()


def setup(app: Sphinx) -> dict:
    app.connect('builder-inited', bound_cache)
    return {'version': '1', 'parallel_read_safe': True, 'parallel_write_safe': True}
