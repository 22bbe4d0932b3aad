"""The parallel edition's apparatus: its titles and file names, styles, and the HTML view toggle.

Applied after :mod:`taiyaku.ext.languages` has set up the master's language (upLaTeX and
jsbook for Japanese, so ruby and the Japanese fonts are as in the Japanese PDF); this adds
the translation's metadata, names the edition 対訳版 / Parallel-text edition on the title
page, in the HTML masthead and in the EPUB metadata, and gives the outputs their own
names (``<basename>-ja-en``).
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

from sphinx.errors import ConfigError
from sphinx.util.texescape import escape as tex_escape

from taiyaku.ext.languages import current_edition, edition_label, metadata
from taiyaku.labels import label

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

STATIC = Path(__file__).resolve().parent.parent / 'themes' / 'parallel'
HTML_ONLY = ('_static/parallel.css', '_static/parallel.js')   # an EPUB carries no script


def edition_names(config: Config) -> dict[str, str]:
    return {language: label(language, 'parallel-edition') for language in (config.language, config.taiyaku_parallel)}


def configure(app: Sphinx, config: Config) -> None:
    translation, master = config.taiyaku_parallel, config.language
    if not translation:
        return
    if translation == master:
        raise ConfigError(f'taiyaku_parallel: the translation must differ from the master language {master!r}')
    first = metadata(config)
    second = metadata(SimpleNamespace(language=translation, taiyaku_metadata=config.taiyaku_metadata))
    names = edition_names(config)
    basename = f'{config.taiyaku_basename}-{master}-{translation}'

    config.project = f'{first["project"]} {names[master]}'
    config.html_title = f'{first["subtitle"]} — {first["project"]} {names[master]}'
    config.html_short_title = config.project

    macros = {
        'taiyakutranslationproject': second['project'],
        'taiyakutranslationsubtitle': second['subtitle'],
        'taiyakutranslationpublisher': second['publisher'],
        'taiyakuedition': names[master],
        'taiyakutranslationedition': names[translation],
        'taiyakutranslationeditionname': edition_label(current_edition(app.confdir, config), translation),
        'taiyakutranslationoriginalpagestitle': label(translation, 'original-pages'),
        'taiyakutranslationoriginalpagesintro': label(translation, 'original-pages-intro'),
    }
    definitions = ''.join(r'\newcommand{\%s}{%s}' % (name, tex_escape(value)) + '\n' for name, value in macros.items())
    entry = tex_escape(label(translation, 'original-page-entry')).replace(tex_escape('{page}'), '#1')
    definitions += r'\newcommand{\taiyakutranslationoriginalpageentry}[1]{%s}' % entry + '\n'
    config.latex_elements = {
        **config.latex_elements,
        'preamble': config.latex_elements.get('preamble', '') + definitions + r'\usepackage{taiyaku-parallel}' + '\n',
        'maketitle': r'\taiyakuparallelmaketitle',
        # a figure stays where it stands among the pairs, as on the web page
        'figure_align': 'H',
    }
    config.latex_documents = [(config.root_doc, f'{basename}.tex', first['subtitle'], first['author'], 'manual')]

    config.epub_basename = basename
    config.epub_title = f'{first["project"]} {first["subtitle"]} {names[master]}'
    config.epub_description = (f'{first["project"]} {first["subtitle"]}（{names[master]}）. '
                               f'{second["project"]}, {second["subtitle"]}: {names[translation]}, '
                               f'the Japanese text with its {label(translation, "language-name")} translation.')
    config.epub_identifier = 'urn:uuid:' + str(uuid.uuid5(uuid.NAMESPACE_URL, f'taiyaku:{basename}:{config.release}'))

    config.html_static_path = [*config.html_static_path, str(STATIC)]
    config.epub_exclude_files = [*config.epub_exclude_files, *HTML_ONLY]


def only(language: str) -> str:
    """日本語のみ, English only: a view toggle's button, in its own language."""
    return label(language, 'view-only').format(language=label(language, 'language-name'))


def add_assets(app: Sphinx) -> None:
    config = app.config
    if not config.taiyaku_parallel or app.builder.format != 'html':
        return
    if app.builder.name.startswith('epub'):
        app.add_css_file('parallel-epub.css')
        return
    master, translation = config.language, config.taiyaku_parallel
    labels = {
        'view': f'{label(master, "view")} / {label(translation, "view")}',
        'master': only(master),
        'translation': only(translation),
        'both': f'{label(master, "view-both")} / {label(translation, "view-both")}',
        'masterLang': master,
        'translationLang': translation,
    }
    app.add_css_file('parallel.css')
    app.add_js_file('parallel.js', **{'data-labels': json.dumps(labels, ensure_ascii=False)})


def add_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The masthead names the edition (the switcher to the other editions is taiyaku.ext.theme's)."""
    config = app.config
    if not config.taiyaku_parallel or app.builder.format != 'html' or app.builder.name.startswith('epub'):
        return
    names = edition_names(config)
    context['taiyaku_edition'] = f'{names[config.language]} / {names[config.taiyaku_parallel]}'


def setup(app: Sphinx) -> None:
    # after taiyaku.ext.languages (400) and before Sphinx validates the static path (800)
    app.connect('config-inited', configure, priority=450)
    app.connect('builder-inited', add_assets)
    app.connect('html-page-context', add_page_context, priority=600)
