"""The error a malformed catalog raises, in a module that imports nothing.

``taiyaku.po`` raises it and re-exports it; the commands that only catch it (a PDF build
of the master, whose catalogs are never read) need not load Babel to name it.
"""

from __future__ import annotations


class CatalogError(RuntimeError):
    pass
