"""Report the messages that fell back to the master language.

A message without a translation never breaks a build: Sphinx shows the Japanese text
in its place. This extension counts those fallbacks per document (from Sphinx's own
``translation_progress``) and says at the end of the build how many there were and
where, so a translator knows what is left; the release gate turns it into a failure.
Untranslated blocks also carry the ``untranslated`` class in HTML, so the theme can
mark them.

Sphinx's log is silent under ``-q`` (the way taiyaku runs it), so the counts are also
left in the doctree folder (:mod:`taiyaku.fallbacks`), from which ``taiyaku build`` says
the same at the end of its run.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from taiyaku import fallbacks
from taiyaku.ext.docdata import PerDocument
from taiyaku.project import MASTER_LANGUAGE

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


# (total, translated) messages per document
progress = PerDocument('taiyaku_translation_progress')


def record(app: Sphinx, doctree: nodes.document) -> None:
    counts = doctree.get('translation_progress')
    if counts:
        progress(app.env)[app.env.docname] = (counts['total'], counts['translated'])


def fell_back(env: BuildEnvironment) -> dict[str, int]:
    """Untranslated messages per document."""
    return {doc: total - done for doc, (total, done) in sorted(progress(env).items()) if total > done}


def report(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.config.language == MASTER_LANGUAGE or app.builder.name == 'gettext':
        return
    missing = fell_back(app.env)
    fallbacks.write(Path(app.doctreedir), missing)
    if missing:
        logger.info('taiyaku: %s', fallbacks.describe(missing, app.config.language), color='yellow')
    else:
        logger.info('taiyaku: every message translated into %r', app.config.language)


def setup(app: Sphinx) -> dict:
    app.connect('doctree-read', record)
    progress.connect(app)
    app.connect('build-finished', report)
    return {'version': '1', 'env_version': 1, 'parallel_read_safe': True, 'parallel_write_safe': True}
