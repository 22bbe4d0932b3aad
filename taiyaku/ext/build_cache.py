"""What `taiyaku build` keeps between builds so that a rebuild does only the new work.

Two settings, both given by the taiyaku command (``-D``), neither affecting a page:

``taiyaku_template_cache``
    a folder for the compiled HTML templates (Jinja's bytecode cache). Sphinx compiles the
    theme's templates from their source in every process — a quarter of a catalog edit's
    rebuild of one page. Jinja keys each entry by the template's name and file and checks
    the source's checksum, so an edited template is compiled again. The LaTeX writer's
    templates (``latex.tex.jinja``…, rendered by a new ``LaTeXRenderer`` each time, so compiled
    three times a build) are kept in its ``latex/`` subfolder.
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


_latex_templates: str | None = None     # this build's folder for the LaTeX writer's templates


def keep_compiled_latex_templates() -> None:
    """Give every ``LaTeXRenderer`` made while ``_latex_templates`` is set Jinja's bytecode cache."""
    from sphinx.util.template import LaTeXRenderer

    if getattr(LaTeXRenderer, '_taiyaku_cached', False):
        return
    made = LaTeXRenderer.__init__

    def init(self, *args, **kwargs) -> None:
        made(self, *args, **kwargs)
        if _latex_templates:
            from jinja2 import FileSystemBytecodeCache

            self.env.bytecode_cache = FileSystemBytecodeCache(_latex_templates)

    LaTeXRenderer.__init__ = init
    LaTeXRenderer._taiyaku_cached = True


def use_caches(app: Sphinx) -> None:
    global _latex_templates
    folder = app.config.taiyaku_template_cache
    _latex_templates = None
    if folder and app.builder.name == 'latex':
        _latex_templates = str(Path(folder) / 'latex')
        Path(_latex_templates).mkdir(parents=True, exist_ok=True)
        keep_compiled_latex_templates()
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
