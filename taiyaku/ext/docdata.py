"""Per-document values kept in Sphinx's build environment, purged and merged the Sphinx way.

Extensions that record something about each document (a count, a progress figure) need
the same three pieces: storage in the pickled environment, removal when a document is
re-read, and merging of what parallel readers recorded. This is that, once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


class PerDocument:
    def __init__(self, attribute: str):
        self.attribute = attribute

    def __call__(self, env: BuildEnvironment) -> dict[str, Any]:
        if not hasattr(env, self.attribute):
            setattr(env, self.attribute, {})
        return getattr(env, self.attribute)

    def purge(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        self(env).pop(docname, None)

    def merge(self, app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
        for docname in docnames:
            if docname in self(other):
                self(env)[docname] = self(other)[docname]

    def connect(self, app: Sphinx) -> None:
        app.connect('env-purge-doc', self.purge)
        app.connect('env-merge-info', self.merge)
