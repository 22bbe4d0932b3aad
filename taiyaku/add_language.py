"""``taiyaku add-language LANG`` (``make add-language LANG=fr``): a new translation, on purpose.

A language is its catalogs (``locale/<lang>/LC_MESSAGES/*.po``) and its entries in
``conf.py`` (``taiyaku_languages``, ``taiyaku_metadata``, ``taiyaku_language_settings``);
a build needs both. This writes them together: the catalogs from the master's messages
(untranslated, or filled from the language's translation memory), and a block at the end
of ``conf.py`` whose metadata and typesetting are copied from an existing translation, to
be translated and adjusted. Nothing is written unless all of it can be: a language code
Babel does not know, the master's language or a language the project has is refused;
``update-po --lang`` never creates a language.
"""

from __future__ import annotations

import argparse
import re
import runpy
import shutil
import sys
from pathlib import Path

from taiyaku.labels import language_name
from taiyaku.project import MASTER_LANGUAGE, Project

CODE = re.compile(r'^[a-z]{2,3}(?:_(?:[A-Z]{2}|[A-Z][a-z]{3}))?$')      # fr, pt_BR, zh_Hant


class LanguageError(ValueError):
    pass


def configured(project: Project) -> dict:
    """conf.py's namespace, as Sphinx would read it."""
    return runpy.run_path(str(project.root / 'conf.py'))


def check_code(language: str) -> None:
    from babel import Locale, UnknownLocaleError

    if not CODE.match(language):
        raise LanguageError(f'{language!r} is not a language code as gettext folders name them (fr, pt_BR, zh_Hant)')
    try:
        Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        raise LanguageError(f'{language!r} is not a language Babel knows (its CLDR data names every one)') from None


def literal(value, indent: int = 0) -> str:
    """A Python literal as conf.py is written: a dict one entry a line, as deep as it goes."""
    if isinstance(value, dict) and value:
        inner = ' ' * (indent + 4)
        entries = ''.join(f'{inner}{key!r}: {literal(item, indent + 4)},\n' for key, item in value.items())
        return '{\n' + entries + ' ' * indent + '}'
    return repr(value)


def conf_block(language: str, model: str, config: dict) -> str:
    """The lines added to conf.py: the new language's entries, copied from ``model``'s."""
    name, model_name = language_name(language), language_name(model)
    metadata = dict(config['taiyaku_metadata'].get(model, {}))
    settings = dict(config.get('taiyaku_language_settings', {}).get(model, {}))
    if 'html_search_language' in settings:
        from sphinx.search import languages as search_languages

        settings['html_search_language'] = language if language in search_languages else 'en'
    rule = f'# -- {language}: {name}, added by `make add-language LANG={language}` '
    return '\n'.join([
        '', '',
        rule + '-' * max(3, 91 - len(rule)),
        f'# The {name} edition: its titles and rights, copied from the {model_name} edition — translate',
        f'# them — and its typesetting, as the {model_name} edition is set (adjust the LaTeX for {name}).',
        f'taiyaku_languages.append({language!r})',
        f'taiyaku_metadata[{language!r}] = {literal(metadata)}',
        f'taiyaku_language_settings[{language!r}] = {literal(settings)}',
        '',
    ])


def add_language(project: Project, language: str, log=print) -> list[Path]:
    """Write the catalogs and the conf.py entries of ``language``; return the catalogs."""
    from taiyaku import builds, catalogs

    check_code(language)
    config = configured(project)
    known = [MASTER_LANGUAGE, *project.translations()]
    if language == MASTER_LANGUAGE:
        raise LanguageError(f'{language} is the master\'s language: it has no catalogs')
    if language in known or language in config.get('taiyaku_languages', ()) \
            or language in config.get('taiyaku_metadata', {}) or (project.locale / language).exists():
        raise LanguageError(f'the project has {language} already (languages: {", ".join(known)})')
    model = next((lang for lang in known[1:] if lang in config.get('taiyaku_metadata', {})), MASTER_LANGUAGE)
    conf = project.root / 'conf.py'
    text = conf.read_text(encoding='utf-8')
    new_text = text.rstrip('\n') + '\n' + conf_block(language, model, config)

    trial = conf.with_name('.conf.py.add-language')           # beside it: conf.py finds the project from its folder
    trial.write_text(new_text, encoding='utf-8')
    try:
        tried = runpy.run_path(str(trial))
    except Exception as exc:          # noqa: BLE001 (a conf.py this cannot extend: say so, write nothing)
        raise LanguageError(f'conf.py with {language} added does not run ({exc}): add it by hand') from None
    finally:
        trial.unlink(missing_ok=True)
    if language not in tried.get('taiyaku_languages', ()) or language not in tried.get('taiyaku_metadata', {}):
        raise LanguageError('conf.py rebinds taiyaku_languages or taiyaku_metadata after its end: add the language '
                            'by hand')

    builds.extract_messages(project)
    folder = project.locale / language
    try:
        catalogs.update(project, [language])
        catalogs.atomic_write(conf, new_text.encode('utf-8'))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)            # together or not at all
        raise
    written = sorted((folder / 'LC_MESSAGES').rglob('*.po'))
    log(f'taiyaku: added {language_name(language)} ({language}): {len(written)} catalog(s) under '
        f'{folder.relative_to(project.root)}/LC_MESSAGES/, and its entries at the end of conf.py (copied from '
        f'{language_name(model)}: translate its titles there)')
    return written


# -- the command ---------------------------------------------------------------------------------

def add_parser(sub) -> None:
    p = sub.add_parser('add-language', help='add a translation: its catalogs and its conf.py entries, together')
    p.add_argument('language', help='the language code, as gettext folders name it (fr, pt_BR, zh_Hant)')
    p.set_defaults(func=run)


def run(args: argparse.Namespace, project: Project) -> int:
    from taiyaku.po import CatalogError

    try:
        add_language(project, args.language)
    except (LanguageError, CatalogError) as exc:
        print(f'taiyaku: add-language: {exc}', file=sys.stderr)
        return 2 if isinstance(exc, LanguageError) else 1
    return 0
