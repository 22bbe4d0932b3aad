"""What `taiyaku build` keeps between builds so that a rebuild does only the new work.

Two settings, both given by the taiyaku command (``-D``), neither affecting a page:

``taiyaku_template_cache``
    a folder for the compiled HTML templates (Jinja's bytecode cache). Sphinx compiles the
    theme's templates from their source in every process — a quarter of a catalog edit's
    rebuild of one page. Jinja keys each entry by the template's name and file and checks
    the source's checksum, so an edited template is compiled again.
``taiyaku_catalogs_compiled``
    the command has compiled the catalogs itself, by content (``taiyaku.catalogs``), just
    before this build: Sphinx need not look at every catalog again for an outdated ``.mo``.
    Which documents a changed ``.mo`` makes Sphinx re-read is unchanged (its dependencies).

Both are ``rebuild=''``: setting them or not never makes Sphinx read anything again.
A plain ``sphinx-build`` sets neither and behaves as Sphinx does.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def use_caches(app: Sphinx) -> None:
    folder = app.config.taiyaku_template_cache
    templates = getattr(app.builder, 'templates', None)
    environment = getattr(templates, 'environment', None)
    if folder and environment is not None:
        from jinja2 import FileSystemBytecodeCache

        Path(folder).mkdir(parents=True, exist_ok=True)
        environment.bytecode_cache = FileSystemBytecodeCache(str(folder))
    if app.config.taiyaku_catalogs_compiled:
        app.builder.compile_update_catalogs = lambda: None


def setup(app: Sphinx) -> dict:
    app.add_config_value('taiyaku_template_cache', '', '', types=frozenset({str}))
    app.add_config_value('taiyaku_catalogs_compiled', False, '', types=frozenset({bool}))
    app.connect('builder-inited', use_caches)
    return {'version': '1', 'parallel_read_safe': True, 'parallel_write_safe': True}
