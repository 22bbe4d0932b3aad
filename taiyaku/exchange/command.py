"""``taiyaku export-xliff``, ``import-xliff``, ``export-tmx``, ``export-glossary`` (the Makefile's targets)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from taiyaku.project import Project


def add_parser(sub) -> None:
    x = sub.add_parser('export-xliff', help='the catalogs as XLIFF 2.1 for a vendor or CAT tool, one file per catalog',
                       description='Write build/exchange/xliff/<lang>/<catalog>.xlf for every catalog (or FILES).')
    x.add_argument('files', nargs='*', type=Path, help='catalogs to export (default: every catalog of the language)')
    x.add_argument('--lang', help='target language (default: every translation)')
    x.add_argument('--out', type=Path, help='folder (default: build/exchange/xliff/<lang>)')
    x.set_defaults(func=run_export_xliff)
    i = sub.add_parser('import-xliff', help='merge returned XLIFF files into the catalogs, with the check-po checks',
                       description='All or nothing: any problem is printed as file:line and no catalog changes.')
    i.add_argument('files', nargs='+', type=Path, help='returned XLIFF files')
    i.set_defaults(func=run_import_xliff)
    t = sub.add_parser('export-tmx', help="every edition's translations as a TMX 1.4b translation memory")
    t.add_argument('--lang', help='target language (default: every translation)')
    t.add_argument('--out', type=Path, help='file (default: build/exchange/translation-memory-ja-<lang>.tmx)')
    t.set_defaults(func=run_export_tmx)
    g = sub.add_parser('export-glossary', help='the glossary as TBX-Basic (ISO 30042), forbidden renderings included')
    g.add_argument('--lang', help='target language (default: every translation with a glossary)')
    g.add_argument('--out', type=Path, help='file (default: build/exchange/glossary-ja-<lang>.tbx)')
    g.set_defaults(func=run_export_glossary)


def languages(project: Project, requested: str | None) -> list[str]:
    found = project.translations()
    if requested and requested not in found:
        raise SystemExit(f'taiyaku: no catalogs for {requested} under {project.locale}')
    return [requested] if requested else found


def fail(error, command: str | None = None) -> int:
    if command:
        print(f'taiyaku: {command} failed, nothing written:', file=sys.stderr)
    for line in error.lines(Path.cwd()):
        print(line, file=sys.stderr)
    return 1


def export_one(command: str, out: Path, make) -> int | None:
    """Run one exporter; print what it wrote and its summary, or its problems (then 1)."""
    from taiyaku.exchange.xliff import ExchangeError

    try:
        summary = make()
    except ExchangeError as exc:
        return fail(exc, command)
    print(f'  {relative(out)}')
    print(f'taiyaku: {command}: {summary}', file=sys.stderr)
    return None


def relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def run_export_xliff(args: argparse.Namespace, project: Project) -> int:
    from taiyaku.exchange import xliff

    for language in languages(project, args.lang):
        out = args.out or project.build / 'exchange' / 'xliff' / language
        paths = [path.resolve() for path in args.files] or None
        try:
            written = xliff.export(project, language, out, paths)
        except xliff.ExchangeError as exc:
            return fail(exc, 'export-xliff')
        for path in written:
            print(f'  {relative(path)}')
        print(f'taiyaku: export-xliff: {len(written)} XLIFF 2.1 file(s) for {language}', file=sys.stderr)
    return 0


def run_import_xliff(args: argparse.Namespace, project: Project) -> int:
    from taiyaku.exchange import xliff

    try:
        outcome = xliff.import_files(project, args.files)
    except xliff.ExchangeError as exc:
        code = fail(exc)
        print(f'taiyaku: import-xliff: {len(exc.problems)} problem(s); nothing imported, every catalog unchanged',
              file=sys.stderr)
        return code
    for path, line, message in outcome.conflicts:
        print(f'{relative(path)}:{line}: conflict: {message}', file=sys.stderr)
    for warning in outcome.warnings:
        print(warning, file=sys.stderr)
    for path in outcome.updated:
        print(f'  {relative(path)}')
    print(f'taiyaku: import-xliff: {outcome.changed} message(s) changed, {len(outcome.conflicts)} conflict(s) '
          f'(fuzzy), {len(outcome.updated)} catalog(s) written', file=sys.stderr)
    return 0


def run_export_tmx(args: argparse.Namespace, project: Project) -> int:
    from taiyaku.exchange import tmx

    for language in languages(project, args.lang):
        out = args.out or project.build / 'exchange' / f'translation-memory-ja-{language}.tmx'
        failed = export_one('export-tmx', out, lambda: tmx.export(project, language, out))
        if failed:
            return failed
    return 0


def run_export_glossary(args: argparse.Namespace, project: Project) -> int:
    from taiyaku.exchange import tbx
    from taiyaku.glossary import GlossaryError, glossary_path

    for language in languages(project, args.lang):
        source = glossary_path(project.locale, language)
        if source is None:
            print(f'taiyaku: export-glossary: no glossary for {language}', file=sys.stderr)
            continue
        out = args.out or project.build / 'exchange' / f'glossary-ja-{language}.tbx'
        try:
            failed = export_one('export-glossary', out, lambda: tbx.export(source, language, out))
        except GlossaryError as exc:
            print(f'{relative(exc.path)}:{exc.line}: {exc}', file=sys.stderr)
            return 1
        if failed:
            return failed
    return 0
