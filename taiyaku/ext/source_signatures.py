"""Read a document again when its files changed, whatever their modification times say.

Sphinx reads a document again when its source, or a file it depends on (an included file,
an image, its catalog), was modified after the document was last read: the reading is
timed when its parse ends. Two kinds of change escape that comparison:

- a file put back with its old time: ``cp -p``, ``rsync -t``, ``tar x``, a restore from a
  backup, an editor that keeps the time;
- a save made while the document was being parsed, or within one tick of the kernel's
  clock after (file times come from a coarser clock than Python's).

Each time a document is read, the signature of each of its files (:func:`taiyaku.stamps.signature`:
inode, size, modification and status-change times; the last cannot be set back) is kept in
the environment: the source's is taken before the reading, so a save during it differs.
A document any of whose files now has another signature is read again.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from taiyaku.ext.docdata import PerDocument
from taiyaku.stamps import signature

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

# docname → {path: signature (None: the file was missing)} as of the last reading
signatures = PerDocument('taiyaku_source_signatures')


def current(path: Path) -> list[int] | None:
    try:
        return signature(path)
    except OSError:
        return None


def before_reading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    # kept aside: the per-document record is purged as each document is read
    env.taiyaku_sources_before_reading = {docname: current(env.doc2path(docname)) for docname in docnames}


def note_reading(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    docname = env.docname
    source = env.doc2path(docname)
    before = getattr(env, 'taiyaku_sources_before_reading', {})
    files = {str(dependency): current(Path(dependency)) for dependency in sorted(env.dependencies.get(docname, ()))}
    files[str(source)] = before[docname] if docname in before else current(source)
    signatures(env)[docname] = files


def outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
             removed: set[str]) -> list[str]:
    recorded = signatures(env)
    return sorted(docname for docname in env.found_docs
                  if docname not in added and docname not in changed and docname in recorded
                  and any(current(Path(path)) != stamp for path, stamp in recorded[docname].items()))


def setup(app: Sphinx) -> dict:
    app.connect('env-before-read-docs', before_reading)
    app.connect('doctree-read', note_reading)
    app.connect('env-get-outdated', outdated)
    signatures.connect(app)
    return {'version': '1', 'env_version': 1, 'parallel_read_safe': True, 'parallel_write_safe': True}
