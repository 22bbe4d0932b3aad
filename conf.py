"""Sphinx configuration of the 外交青書 2011 第2章第5節 edition.

One configuration for every language: ``language`` is overridden on the command line
(``-D language=en``), and the per-language settings below are applied by
``taiyaku.ext.languages`` once the language is known.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from taiyaku.editions import current  # noqa: E402

EDITION = current(ROOT / 'editions.toml')

# -- The publication ---------------------------------------------------------------------

language = 'ja'                       # the master's language; translations override it
root_doc = 'index'
extensions = ['taiyaku.ext']
exclude_patterns = []
templates_path = []
today_fmt = '%Y-%m-%d'

# Metadata per language: the titles, creator and rights as the outputs print them.
taiyaku_languages = ['ja', 'en']
taiyaku_basename = 'bluebook-2011-ch2-sec5'
taiyaku_metadata = {
    'ja': {
        'project': '外交青書 2011',
        'subtitle': '第２章　第５節　ロシア、中央アジアとコーカサス',
        'author': '外務省',
        'publisher': '外務省',
        'copyright': '2011, 外務省',
        'description': '外交青書 2011 第2章第5節「ロシア、中央アジアとコーカサス」の日本語版。',
        # the printed book whose page numbers the edition marks (the EPUB's page list)
        'print_source': '外務省『外交青書 2011』',
    },
    'en': {
        'project': 'Diplomatic Bluebook 2011',
        'subtitle': 'Chapter 2, Section 5: Russia, Central Asia and the Caucasus',
        'author': 'Ministry of Foreign Affairs of Japan',
        'publisher': 'Ministry of Foreign Affairs of Japan',
        'copyright': '2011, Ministry of Foreign Affairs of Japan',
        'description': 'Diplomatic Bluebook 2011, Chapter 2, Section 5 '
                       '"Russia, Central Asia and the Caucasus", English edition.',
        'print_source': 'Ministry of Foreign Affairs of Japan, Diplomatic Bluebook 2011',
    },
}
version = release = EDITION.id

# -- Translation (gettext catalogs under locale/) ----------------------------------------

locale_dirs = ['../locale/']   # relative to source/
gettext_compact = False       # one catalog per document
gettext_uuid = False
gettext_location = True
gettext_additional_targets = []
translation_progress_classes = 'untranslated'   # marked in HTML, counted by taiyaku.ext.fallback

# -- HTML --------------------------------------------------------------------------------

html_theme = 'taiyaku'
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
html_show_sphinx = False

# -- EPUB --------------------------------------------------------------------------------

epub_theme = 'taiyaku-epub'
epub_scheme = 'URN'
epub_uid = 'BookId'
epub_tocdepth = 4
epub_show_urls = 'no'
epub_use_index = False
# .buildinfo.bak: Sphinx keeps the old build info there when the configuration changed,
# and the EPUB builder would warn about it as a file of unknown type
epub_exclude_files = ['search.html', '.buildinfo.bak']

# -- LaTeX -------------------------------------------------------------------------------

latex_toplevel_sectioning = 'chapter'
latex_show_urls = 'no'
latex_domain_indices = False
latex_use_xindy = False

# -- Per-language settings, applied by taiyaku.ext.languages ------------------------------

taiyaku_language_settings = {
    'ja': {
        'html_search_language': 'ja',
        'latex_engine': 'uplatex',
        'latex_docclass': {'manual': 'jsbook'},
        'latex_elements': {
            'papersize': 'a4paper',
            'pointsize': '10pt',
            'extraclassoptions': 'uplatex,openany,oneside',
            'fncychap': '',
            'preamble': r'\usepackage{taiyaku-ja}',
            'maketitle': r'\taiyakumaketitle',
            'printindex': '',
        },
        'epub_writing_mode': 'horizontal',
    },
    'en': {
        'html_search_language': 'en',
        'latex_engine': 'xelatex',
        'latex_docclass': {'manual': 'report'},
        'latex_elements': {
            'papersize': 'a4paper',
            'pointsize': '10pt',
            'extraclassoptions': 'openany,oneside',
            'fncychap': '',
            'fontpkg': '',
            'preamble': r'\usepackage{taiyaku-en}',
            'maketitle': r'\taiyakumaketitle',
            'printindex': '',
        },
        'epub_writing_mode': 'horizontal',
    },
}
