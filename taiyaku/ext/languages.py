"""Apply the settings of the language being built.

Sphinx applies ``-D language=…`` after ``conf.py`` has run, so ``conf.py`` cannot branch
on the language itself. It declares ``taiyaku_metadata`` and ``taiyaku_language_settings``
per language instead, and this extension applies the active language's entries when the
configuration is complete: titles and rights for every builder, the LaTeX engine and
class, the EPUB metadata.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.errors import ConfigError
from sphinx.util.texescape import escape as tex_escape

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

TEXINPUTS = Path(__file__).resolve().parent.parent / 'texinputs'
METADATA_KEYS = ('project', 'subtitle', 'author', 'publisher', 'copyright', 'description')


def metadata(config: Config) -> dict[str, str]:
    language = config.language
    if language not in config.taiyaku_metadata:
        known = ', '.join(sorted(config.taiyaku_metadata))
        raise ConfigError(f'conf.py: taiyaku_metadata has no entry for language {language!r} (known: {known})')
    entry = config.taiyaku_metadata[language]
    missing = [key for key in METADATA_KEYS if not entry.get(key)]
    if missing:
        raise ConfigError(f'conf.py: taiyaku_metadata[{language!r}] lacks {", ".join(missing)}')
    return entry


def latex_definitions(meta: dict[str, str], release: str) -> str:
    """The metadata as LaTeX macros, for the title page in taiyaku-*.sty."""
    defs = {
        'taiyakuproject': meta['project'],
        'taiyakusubtitle': meta['subtitle'],
        'taiyakupublisher': meta['publisher'],
        'taiyakurelease': release,
    }
    return ''.join(r'\newcommand{\%s}{%s}' % (name, tex_escape(value)) + '\n' for name, value in defs.items())


def apply_language(app: Sphinx, config: Config) -> None:
    meta = metadata(config)
    language = config.language
    basename = f'{config.taiyaku_basename}-{language}'

    config.project = meta['project']
    config.author = meta['author']
    config.copyright = meta['copyright']
    config.html_title = f'{meta["subtitle"]} — {meta["project"]}'
    config.html_short_title = meta['project']

    settings = dict(config.taiyaku_language_settings.get(language, {}))
    latex_elements = dict(settings.pop('latex_elements', {}))
    latex_elements['preamble'] = latex_definitions(meta, config.release) + latex_elements.get('preamble', '')
    config.latex_elements = latex_elements
    for name, value in settings.items():
        config[name] = value
    config.latex_documents = [
        (config.root_doc, f'{basename}.tex', meta['subtitle'], meta['author'], 'manual'),
    ]
    config.latex_additional_files = [str(path) for path in sorted(TEXINPUTS.glob('*.sty'))]

    config.epub_basename = basename
    config.epub_title = f'{meta["project"]} {meta["subtitle"]}'
    config.epub_author = meta['author']
    config.epub_publisher = meta['publisher']
    config.epub_copyright = meta['copyright']
    config.epub_description = meta['description']
    config.epub_contributor = meta['publisher']
    config.epub_language = language
    # Stable per edition and language: the same book rebuilt keeps its identifier.
    config.epub_identifier = 'urn:uuid:' + str(uuid.uuid5(uuid.NAMESPACE_URL, f'taiyaku:{basename}:{config.release}'))


def setup(app: Sphinx) -> dict:
    app.add_config_value('taiyaku_languages', ['ja'], 'env', types=frozenset({list}))
    app.add_config_value('taiyaku_basename', 'publication', 'env', types=frozenset({str}))
    app.add_config_value('taiyaku_metadata', {}, 'env', types=frozenset({dict}))
    app.add_config_value('taiyaku_language_settings', {}, 'env', types=frozenset({dict}))
    # before the builders' own config-inited checks (priority 500 and later) see the values
    app.connect('config-inited', apply_language, priority=400)
    return {'version': '1', 'parallel_read_safe': True, 'parallel_write_safe': True}
