"""The sidebar's table of contents, resolved once per build, is byte for byte Sphinx's own."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

ROOT = Path(__file__).resolve().parent.parent

# Deeper than the sidebar's depth, a document in two toctrees, captions, a hidden toctree,
# an external link, a "self" entry, the generated index, documents in nested folders.
SOURCES = {
    'index': '''
        Cover
        =====

        .. toctree::
           :caption: Text

           part/intro
           part/deep/one
           https://example.org/
           genindex

        .. toctree::
           :caption: Apparatus

           notes
           part/intro
    ''',
    'notes': '''
        Notes
        =====

        .. toctree::
           :hidden:

           self
           orphan-ish
    ''',
    'orphan-ish': '''
        Hidden child
        ============
    ''',
    'part/intro': '''
        Intro
        =====

        A section
        ---------

        .. toctree::

           deep/one
    ''',
    'part/deep/one': '''
        One
        ===

        Level two
        ---------

        Level three
        ~~~~~~~~~~~

        .. toctree::

           two
    ''',
    'part/deep/two': '''
        Two
        ===

        Two's section
        -------------

        Two's subsection
        ~~~~~~~~~~~~~~~~

        Five deep
        ^^^^^^^^^
    ''',
}


def html_pages(outdir: Path) -> dict[str, bytes]:
    return {str(path.relative_to(outdir)): path.read_bytes() for path in sorted(outdir.rglob('*.html'))}


@pytest.mark.parametrize('maxdepth', ['4', '2'])
def test_shared_toctree_renders_what_sphinx_renders(mini, tmp_path, maxdepth):
    project = mini(SOURCES, conf=f'''
        html_theme = 'taiyaku'
        html_theme_options = {{'globaltoc_maxdepth': '{maxdepth}'}}
        suppress_warnings = ['toc.multiple_toc_parents', 'toc.not_included']
    ''')
    shared = html_pages(project.build('html', taiyaku_globaltoc_once=True))
    trees = list(project.app.builder.taiyaku_globaltocs.values())
    assert trees and None not in trees, 'the shared tree was not used'
    assert 'class="current reference internal" href="#"' in shared['part/deep/one.html'].decode()
    assert 'href="../../index.html"' in shared['part/deep/two.html'].decode()
    stock = html_pages(project.build('html', taiyaku_globaltoc_once=False))
    assert shared.keys() == stock.keys()
    for page in stock:
        assert shared[page] == stock[page], page


def test_the_tree_follows_an_edited_heading_in_one_process(mini):
    """An incremental rebuild in the same process (the live preview): the re-written page's
    sidebar shows the renamed heading (Sphinx itself re-writes only that page)."""
    project = mini(SOURCES, conf='''
        html_theme = 'taiyaku'
        html_theme_options = {'globaltoc_maxdepth': '8'}
        suppress_warnings = ['toc.multiple_toc_parents', 'toc.not_included']
    ''')
    outdir = project.path / '_build' / 'inprocess'
    with docutils_namespace():
        app = Sphinx(srcdir=project.path, confdir=project.path, outdir=outdir,
                     doctreedir=project.path / '_build' / 'inprocess-doctrees', buildername='html',
                     status=io.StringIO(), warning=io.StringIO(), freshenv=True)
        app.build()
        assert None not in app.builder.taiyaku_globaltocs.values()
        sidebar = (outdir / 'part' / 'deep' / 'two.html').read_text(encoding='utf-8').split('sidebar-toc')[1]
        assert "Two's section" in sidebar
        source = project.path / 'part' / 'deep' / 'two.rst'
        source.write_text(source.read_text(encoding='utf-8').replace("Two's section\n-------------",
                                                                     'Renamed section\n---------------'),
                          encoding='utf-8')
        app.build()
    sidebar = (outdir / 'part' / 'deep' / 'two.html').read_text(encoding='utf-8').split('sidebar-toc')[1]
    assert 'Renamed section' in sidebar and "Two's section" not in sidebar
