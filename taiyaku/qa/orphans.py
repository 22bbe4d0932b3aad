"""``orphans``: a catalog whose document is no longer in the master.

``locale/<lang>/LC_MESSAGES/<doc>.po`` translates ``source/<doc>.rst``. When the document
was removed or renamed, its catalog is read by no build and its translations are lost to
the edition until the catalog is moved along (or deliberately deleted): a warning.
"""

from __future__ import annotations

from taiyaku.qa.core import FILE, WARNING, Context, register

SOURCE_SUFFIXES = ('.rst',)


@register('orphans', WARNING, FILE)
def orphans(po, context: Context):
    """Every catalog translates a document of the master."""
    if context.project is None:
        return
    folder = context.project.locale / context.language / 'LC_MESSAGES'
    try:
        relative = po.path.resolve().relative_to(folder.resolve())
    except ValueError:
        return                  # a catalog outside the project's locale folder
    document = relative.with_suffix('').as_posix()
    if not any((context.project.source / f'{document}{suffix}').is_file() for suffix in SOURCE_SUFFIXES):
        yield 1, (f'no document source/{document}.rst: the catalog belongs to a removed or renamed document '
                  '(move it along with the document, or delete it)')
