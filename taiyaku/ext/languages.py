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

from taiyaku import editions
from taiyaku.labels import label

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


def latex_definitions(meta: dict[str, str], release: str, language: str = 'en',
                      edition: editions.Edition | None = None, basename: str = '') -> str:
    """The metadata and the print apparatus's words as LaTeX macros, for taiyaku-*.sty."""
    defs = {
        # XMP identifiers: the same publication keeps its DocumentID, each edition has its InstanceID
        'taiyakudocumentid': str(uuid.uuid5(uuid.NAMESPACE_URL, f'taiyaku:{basename}')),
        'taiyakuinstanceid': str(uuid.uuid5(uuid.NAMESPACE_URL, f'taiyaku:{basename}:{release}')),
        'taiyakuproject': meta['project'],
        'taiyakusubtitle': meta['subtitle'],
        'taiyakupublisher': meta['publisher'],
        'taiyakurelease': release,
        'taiyakulanguage': language,
        'taiyakueditionname': edition_label(edition, language) or release,
        'taiyakudate': edition.date.isoformat() if edition else '',
        # the PDF's dates, as every build of the edition carries them (XeTeX's own clock
        # would stamp the XMP packet with the time of the build)
        'taiyakupdfdate': f'D:{edition.date:%Y%m%d}000000Z' if edition else '',
        'taiyakucopyright': meta['copyright'],
        'taiyakuoriginalpagelabel': label(language, 'original-page-mark'),
        'taiyakuoriginalpagestitle': label(language, 'original-pages'),
        'taiyakuoriginalpagesintro': label(language, 'original-pages-intro'),
    }
    macros = ''.join(r'\newcommand{\%s}{%s}' % (name, tex_escape(value)) + '\n' for name, value in defs.items())
    # "page 98" of the original, in the list of where its pages begin
    entry = tex_escape(label(language, 'original-page-entry')).replace(tex_escape('{page}'), '#1')
    return macros + r'\newcommand{\taiyakuoriginalpageentry}[1]{%s}' % entry + '\n'


def current_edition(confdir: str | Path, config: Config) -> editions.Edition | None:
    try:
        return editions.load(Path(confdir, config.taiyaku_editions))[-1]
    except (editions.EditionsError, OSError, AttributeError):
        return None          # the colophon directive reports a broken editions file


def edition_label(edition: editions.Edition | None, language: str) -> str:
    """The edition as people say it: 第1版第2刷（訂正版）, First edition, second printing (corrected)."""
    if edition is None:
        return ''
    return edition.label.get(language) or edition.label.get('en') or edition.id


# The print layout's hooks in Sphinx's LaTeX template (taiyaku-common.sty defines them);
# figures stand where they are written, in their column ([H]), never floated away.
LATEX_LAYOUT = {
    'tableofcontents': r'\taiyakutableofcontents',
    'atendofbody': r'\taiyakuendofbody',
    'figure_align': 'H',
}
# before Sphinx loads multicol: \docolaction (taiyaku-common.sty) knows a column's side
PASS_OPTIONS = r'\PassOptionsToPackage{colaction}{multicol}'


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
    latex_elements['preamble'] = (latex_definitions(meta, config.release, language, current_edition(app.confdir, config),
                                                    basename)
                                  + latex_elements.get('preamble', ''))
    for name, value in LATEX_LAYOUT.items():
        latex_elements.setdefault(name, value)
    if config.taiyaku_print:
        latex_elements['preamble'] += r'\usepackage{taiyaku-print}' + '\n'
    latex_elements['passoptionstopackages'] = PASS_OPTIONS + '\n' + latex_elements.get('passoptionstopackages', '')
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
    # the printer's PDF (taiyaku build --print): bleed and crop marks; the reading PDF has neither
    app.add_config_value('taiyaku_print', False, '', types=frozenset({bool, int, str}))
    # before the builders' own config-inited checks (priority 500 and later) see the values
    app.connect('config-inited', apply_language, priority=400)
    return {'version': '1', 'parallel_read_safe': True, 'parallel_write_safe': True}
