"""The publication's HTML and EPUB themes, and the language switcher.

Every HTML page links to the same page in each other language of the edition; the
languages' HTML trees are siblings (``build/html/ja``, ``build/html/en``), so the link is
``<up to the language root>/../<lang>/<page>.html``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from taiyaku.labels import label

if TYPE_CHECKING:
    from sphinx.application import Sphinx

THEMES = Path(__file__).resolve().parent.parent / 'themes'


def alternates(app: Sphinx, pagename: str) -> list[dict[str, str]]:
    """The same page in every language of the edition, the current one flagged."""
    builder = app.builder
    up = '../' * pagename.count('/')
    page = builder.get_target_uri(pagename)
    result = []
    for language in app.config.taiyaku_languages:
        result.append({
            'language': language,
            'name': label(language, 'language-name'),
            'url': f'{up}../{language}/{page}',
            'current': language == app.config.language,
        })
    return result


def add_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.format != 'html' or app.builder.name.startswith('epub'):
        return
    context['taiyaku_alternates'] = alternates(app, pagename)
    context['taiyaku_switch_label'] = label(app.config.language, 'switch-language')
    context['taiyaku_contents_label'] = label(app.config.language, 'contents')
    context['taiyaku_subtitle'] = app.config.taiyaku_metadata.get(app.config.language, {}).get('subtitle', '')


def setup(app: Sphinx) -> dict:
    app.add_html_theme('taiyaku', str(THEMES / 'taiyaku'))
    app.add_html_theme('taiyaku-epub', str(THEMES / 'taiyaku-epub'))
    app.connect('html-page-context', add_page_context)
    return {'version': '1', 'parallel_read_safe': True, 'parallel_write_safe': True}
