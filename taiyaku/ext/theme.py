"""The publication's HTML and EPUB themes, the switcher between its editions, and the
labels of the page's apparatus.

Every HTML page links to the same page in each other edition: each language, and the
parallel-text edition (the master beside its one translation). The trees are laid out
as ``make html`` and ``make release`` publish them, two folders below a common root::

    html/ja/<page>.html   html/en/<page>.html   parallel/html/<page>.html

so a page reaches its counterparts through ``<up to that root>/html/<lang>/<page>`` and
``<up to that root>/parallel/html/<page>``.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from taiyaku.labels import label

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

THEMES = Path(__file__).resolve().parent.parent / 'themes'
PARALLEL = 'parallel'
# The apparatus labels a page shows (taiyaku.labels keys), by the names the templates use.
APPARATUS = {'contents': 'contents', 'close': 'close', 'skip': 'skip-to-text', 'pages': 'pages-nav',
             'previous': 'previous', 'next': 'next', 'editions': 'editions'}


def parallel_translation(config: Config) -> str:
    """The translation the parallel-text edition sets beside the master: the one translation."""
    translations = [language for language in config.taiyaku_languages if language != config.taiyaku_languages[0]]
    return translations[0] if len(translations) == 1 else ''


def editions(app: Sphinx, pagename: str) -> list[dict[str, str]]:
    """The same page in every edition — each language, then the parallel text — the current one flagged."""
    config = app.config
    page = app.builder.get_target_uri(pagename)
    root = '../' * pagename.count('/') + '../../'
    here = PARALLEL if getattr(config, 'taiyaku_parallel', '') else config.language
    master, translation = config.taiyaku_languages[0], parallel_translation(config)
    result = [{'edition': language, 'language': language, 'name': label(language, 'language-name'),
               'url': f'{root}html/{language}/{page}', 'current': here == language}
              for language in config.taiyaku_languages]
    if translation and here in (master, translation, PARALLEL):
        name = (' / '.join(label(language, 'parallel-short') for language in (master, translation))
                if here == PARALLEL else label(here, 'parallel-short'))
        result.append({'edition': PARALLEL, 'language': master if here == PARALLEL else here, 'name': name,
                       'url': f'{root}{PARALLEL}/html/{page}', 'current': here == PARALLEL})
    return result


def apparatus(config: Config) -> dict[str, Markup]:
    """The page's apparatus labels; in the parallel edition in both languages, the second marked."""
    partner = getattr(config, 'taiyaku_parallel', '')
    languages = [config.language, *([partner] if partner else [])]
    labels = {}
    for name, key in APPARATUS.items():
        first, *others = (escape(label(language, key)) for language in languages)
        labels[name] = Markup(' / '.join([first, *(f'<span lang="{language}">{text}</span>'
                                                   for language, text in zip(languages[1:], others))]))
        labels[f'{name}_plain'] = label(config.language, key)      # attributes (aria-label) take plain text
    return labels


def add_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.format != 'html' or app.builder.name.startswith('epub'):
        return
    context['taiyaku_alternates'] = editions(app, pagename)
    context['taiyaku_labels'] = apparatus(app.config)
    context['taiyaku_switch_label'] = label(app.config.language, 'editions')
    context['taiyaku_contents_label'] = context['taiyaku_labels']['contents']
    context['taiyaku_subtitle'] = app.config.taiyaku_metadata.get(app.config.language, {}).get('subtitle', '')


def setup(app: Sphinx) -> dict:
    app.add_html_theme('taiyaku', str(THEMES / 'taiyaku'))
    app.add_html_theme('taiyaku-epub', str(THEMES / 'taiyaku-epub'))
    app.connect('html-page-context', add_page_context)
    return {'version': '1', 'parallel_read_safe': True, 'parallel_write_safe': True}
