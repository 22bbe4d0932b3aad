"""``taiyaku check-po``: the catalog checks from the command line (``make check-po``)."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from taiyaku import qa
from taiyaku.project import Project


def add_parser(sub) -> None:
    c = sub.add_parser('check-po', help="check the translations' catalogs (syntax, references, numbers, glossary…)",
                       description='Print each finding as path:line: [check-id] message; exit 1 on any error.')
    c.add_argument('files', nargs='*', type=Path, help='catalogs to check (default: every catalog of the languages)')
    c.add_argument('--lang', nargs='+', help='target languages (default: every language under locale/)')
    c.add_argument('--check', action='append', metavar='ID[,ID…]',
                   help='run only these checks (see --list-checks)')
    c.add_argument('--strict', action='store_true', help='warnings fail the run too')
    c.add_argument('--list-checks', action='store_true', help='list the checks, their severity and what they ask')
    c.add_argument('--templates', type=Path, metavar='DIR',
                   help="the master's messages as .pot files (default: extracted from source/ afresh)")
    c.set_defaults(func=run)


def master_templates(args: argparse.Namespace, project: Project, checks: set[str] | None) -> tuple[Path | None, str]:
    """The .pot folder to compare the catalogs with, and why there is none when extracting failed."""
    if checks is not None and qa.MASTER not in checks:
        return None, ''
    if args.templates is not None:
        return args.templates, ''
    from taiyaku.builds import extract_messages
    from taiyaku.po import CatalogError

    try:
        return extract_messages(project), ''
    except CatalogError as exc:
        return None, str(exc)


def list_checks() -> int:
    checks = sorted(qa.load_checks().values(), key=lambda c: (c.severity is not qa.ERROR, c.scope != 'file'))
    for check in checks:
        print(f'{check.id:<13} {check.severity.value:<8} {check.summary}')
    return 0


def run(args: argparse.Namespace, project: Project) -> int:
    if args.list_checks:
        return list_checks()
    checks = None
    if args.check:
        checks = {name.strip() for value in args.check for name in value.split(',') if name.strip()}
        unknown = sorted(checks - set(qa.load_checks()))
        if unknown:
            print(f'taiyaku: no check called {", ".join(unknown)} (taiyaku check-po --list-checks)', file=sys.stderr)
            return 2
    if args.templates is not None and not args.templates.is_dir():
        print(f'taiyaku: no such folder of message templates: {args.templates}', file=sys.stderr)
        return 2
    if args.files:
        missing = [str(path) for path in args.files if not path.is_file()]
        if missing:
            print(f'taiyaku: no such catalog: {", ".join(missing)}', file=sys.stderr)
            return 2
        paths = args.files
        templates, unextracted = master_templates(args, project, checks)
        findings = qa.check_files(paths, project, args.lang[0] if args.lang else None, checks, templates)
    else:
        try:
            languages = qa.target_languages(project, args.lang)
        except ValueError as exc:
            print(f'taiyaku: {exc}', file=sys.stderr)
            return 2
        paths = [path for lang in languages for path in qa.catalog_paths(project, lang)]
        templates, unextracted = master_templates(args, project, checks)
        findings = qa.check_project(project, languages, checks, templates)
    if unextracted:     # a broken master: the catalogs are checked, but not against it
        findings.append(qa.Finding(project.source, 0, qa.MASTER, f'cannot compare the catalogs with the master: '
                                   f'{unextracted}', qa.ERROR))
    base = Path.cwd()
    for finding in findings:
        print(finding.format(base))
    severities = Counter(finding.severity for finding in findings)
    errors, warnings = severities[qa.ERROR], severities[qa.WARNING]
    by_check = Counter(finding.check for finding in findings)
    detail = f' ({", ".join(f"{name}: {n}" for name, n in sorted(by_check.items()))})' if findings else ''
    print(f'taiyaku: check-po: {len(paths)} catalog(s), {errors} error(s), {warnings} warning(s){detail}',
          file=sys.stderr)
    return 1 if errors or (args.strict and warnings) else 0
