"""The gettext builder, writing only the message templates whose document may have changed.

Sphinx's gettext builder writes every document on every run (its ``get_outdated_docs`` is
every document found), so each run unpickles and walks every doctree and renders every
``.pot`` to compare it with its file, although the environment re-read only the changed
source. At a hundred times this section that was half of ``make update-po``.

With ``taiyaku_gettext_changed_only`` (the taiyaku command sets it; a plain ``sphinx-build``
does not, and gets Sphinx's builder as it is) a document is written when

- the environment read it again, or Sphinx says it depends on what was (its
  ``updated_docnames``: added and changed documents, their dependencies, what an extension
  returns from ``env-get-outdated``, ``env-updated`` or ``env-get-updated``), or
- its template is missing, or was not written from the reading the environment holds, or
  was written with another header: a record in the doctree folder (``RECORD``) keeps, for
  each document, the time of the reading (``env.all_docs``) and a fingerprint of the
  template's context (project, version, copyright, the header's placeholders, the date,
  locations, uuids, Sphinx's version, the message template, the output folder) it was written from. The
  documents about to be written leave the record before the writing and come back after
  it, so a run killed half-way writes them again next time; a record that cannot be read
  is no record (everything is written, as Sphinx does).

A document's template depends only on its own doctree (a message is its node's source text,
located in its own file) and its own table of contents (the toctree captions and titles):
the toctree parents Sphinx adds for the HTML's navigation are not written again. Every
document that shares a catalog with one written (``gettext_compact``) is written with it,
so no template is ever written with part of its messages. The templates of documents no
longer in the project are removed, so no catalog is merged with a stale one. What is
written is Sphinx's own rendering (``should_write`` included): an unchanged template keeps
its bytes and its inode.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Set
from pathlib import Path
from typing import TYPE_CHECKING

import sphinx
from sphinx.builders.gettext import DEFAULT_TEMPLATE_PATH, MessageCatalogBuilder, ctime
from sphinx.util.i18n import docname_to_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx

SETTING = 'taiyaku_gettext_changed_only'
RECORD = 'taiyaku-message-templates.json'
TEMPLATE = 'message.pot.jinja'


class ChangedMessagesBuilder(MessageCatalogBuilder):
    """Sphinx's gettext builder; with ``taiyaku_gettext_changed_only``, only what changed."""

    def init(self) -> None:
        super().init()
        self.selected: set[str] | None = None      # what this run may write (changed-only mode, an update)
        self.written: set[str] = set()              # what it wrote

    @property
    def changed_only(self) -> bool:
        return bool(self.config[SETTING])

    def get_outdated_docs(self) -> Iterable[str]:
        if not self.changed_only:
            return super().get_outdated_docs()
        return []          # decided in write(), once the environment has found every document

    def write(self, build_docnames: Iterable[str] | None, updated_docnames: Iterable[str],
              method: str = 'update') -> None:
        if self.changed_only and method == 'update':   # (everything, -a, or files named: as Sphinx chooses)
            self.selected = self.sharing_catalogs(set(updated_docnames) | self.unrecorded(self.load_record()))
            build_docnames = sorted(self.selected)
        super().write(build_docnames, updated_docnames, method)

    def write_documents(self, docnames: Set[str]) -> None:
        if self.selected is not None:
            docnames = set(docnames) & self.selected        # not the toctree parents: see the module
        if self.changed_only:
            self.written = set(docnames)
            self.save_record(self.load_record(), without=self.written)     # until they are written
        super().write_documents(docnames)

    def finish(self) -> None:
        super().finish()
        if not self.changed_only:
            return
        self.remove_stale_templates()
        record = self.load_record()
        fingerprint = self.context_fingerprint()
        for docname in self.written:
            record[docname] = [self.env.all_docs.get(docname), fingerprint]
        self.save_record(record)

    # -- which documents -------------------------------------------------------------------

    def domain(self, docname: str) -> str:
        return docname_to_domain(docname, self.config.gettext_compact)

    def unrecorded(self, record: dict[str, list]) -> set[str]:
        """Documents whose template is missing or not known to come from the current reading
        and context."""
        fingerprint = self.context_fingerprint()
        return {docname for docname in self.env.found_docs
                if record.get(docname) != [self.env.all_docs.get(docname), fingerprint]
                or not (self.outdir / f'{self.domain(docname)}.pot').is_file()}

    def sharing_catalogs(self, docnames: set[str]) -> set[str]:
        """``docnames`` and every document whose messages go to the same catalog."""
        domains = {self.domain(docname) for docname in docnames}
        return {docname for docname in self.env.found_docs if self.domain(docname) in domains}

    def remove_stale_templates(self) -> None:
        """The templates of documents gone from the project (and of templates gone, ``sphinx.pot``)."""
        expected = {self.domain(docname) for docname in self.env.found_docs} | set(self.catalogs)
        for pot in sorted(self.outdir.rglob('*.pot')):
            if pot.relative_to(self.outdir).with_suffix('').as_posix() not in expected:
                pot.unlink()
        for directory, _, _ in os.walk(self.outdir, topdown=False):
            if directory != str(self.outdir) and not os.listdir(directory):
                os.rmdir(directory)

    # -- the record --------------------------------------------------------------------------

    def context_fingerprint(self) -> str:
        """What a template holds besides its document's messages (``MessageCatalogBuilder.finish``)."""
        config = self.config
        context = {
            'sphinx': sphinx.__version__,
            'version': config.version, 'copyright': config.copyright, 'project': config.project,
            'last_translator': config.gettext_last_translator, 'language_team': config.gettext_language_team,
            'ctime': ctime, 'location': config.gettext_location, 'uuid': config.gettext_uuid,
            'compact': config.gettext_compact, 'outdir': str(self.outdir),
        }
        digest = hashlib.sha256(json.dumps(context, sort_keys=True, default=str).encode())
        for folder in [*(self.srcdir / path for path in config.templates_path), DEFAULT_TEMPLATE_PATH]:
            template = Path(folder) / TEMPLATE
            if template.is_file():
                digest.update(template.read_bytes())
                break                         # the first found is the one rendered
        return digest.hexdigest()

    @property
    def record_path(self) -> Path:
        return Path(self.doctreedir) / RECORD

    def load_record(self) -> dict[str, list]:
        try:
            record = json.loads(self.record_path.read_text(encoding='utf-8'))
        except (OSError, ValueError):
            return {}
        if not isinstance(record, dict) or not all(isinstance(value, list) for value in record.values()):
            return {}                         # not ours: no record
        return record

    def save_record(self, record: dict[str, list], without: Iterable[str] = ()) -> None:
        record = {docname: value for docname, value in record.items()
                  if docname in self.env.found_docs and docname not in set(without)}
        temporary = self.record_path.with_name(f'.{RECORD}.{os.getpid()}')
        temporary.write_text(json.dumps(record, sort_keys=True), encoding='utf-8')
        os.replace(temporary, self.record_path)


def setup(app: Sphinx) -> dict:
    app.add_builder(ChangedMessagesBuilder, override=True)
    app.add_config_value(SETTING, False, '', types=frozenset({bool}))
    return {'version': '1', 'parallel_read_safe': True, 'parallel_write_safe': True}
