"""The ``taiyaku`` command: what the Makefile calls.

    taiyaku build html epub pdf [--lang ja en]    build outputs (default: every language)
    taiyaku build parallel                        the parallel-text (対訳) edition: HTML, PDF, EPUB
    taiyaku check-po [--lang en] [FILES…]         catalog QA: path:line: [check] message, exit 1 on errors
    taiyaku stats [--lang en]                     translation progress: a table and build/status/index.html
    taiyaku import RAW --out DIR                  a PDF or a text extraction in, a draft master and its report out
    taiyaku preview --lang en [--port 8000]       serve one language's HTML, rebuilt and reloaded on every save
    taiyaku languages                             list the project's languages
    taiyaku lint [FILES…]                         what the master would publish silently: source/x.rst:line
    taiyaku update-po [--lang en] [--purge-obsolete]   the catalogs in step with the master
    taiyaku add-language fr                       a new translation: its catalogs and conf.py entries together
    taiyaku release [--edition ID] [--force]      a checked, summed edition in build/release/<id>/
    taiyaku tag-editions                          the git tags edition/<id> of the editions editions.toml records
    taiyaku changes --from ID [--to ID]           what changed between two editions
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time

from taiyaku import builds, fallbacks, locks
from taiyaku.editions import EditionsError, current
from taiyaku.errors import CatalogError
from taiyaku.project import Project

# Commands defined in their own modules (each has add_parser). Only the one asked for is
# imported: `taiyaku build` waits beside its builds for their whole length, and docutils,
# the QA checks and the preview server would be memory held for nothing.
COMMAND_MODULES = {
    'check-po': 'taiyaku.qa.command',        # taiyaku check-po [--lang en] [FILES…]: catalog QA
    'stats': 'taiyaku.stats',                # progress table and build/status/index.html
    'import': 'taiyaku.importer.command',    # taiyaku import RAW --out DIR: draft master and report
    'preview': 'taiyaku.preview',            # taiyaku preview --lang en [--port 8000]: live preview
    'export-xliff': 'taiyaku.exchange.command',     # XLIFF 2.1 for a vendor, one file per catalog
    'import-xliff': 'taiyaku.exchange.command',     # a returned XLIFF merged back, with check-po's checks
    'export-tmx': 'taiyaku.exchange.command',       # every edition's translations as TMX 1.4b
    'export-glossary': 'taiyaku.exchange.command',  # the glossary as TBX-Basic
    'lint': 'taiyaku.lint',                  # taiyaku lint [FILES…]: what the master would publish silently
    'add-language': 'taiyaku.add_language',  # taiyaku add-language fr: its catalogs and conf.py entries
}


def cmd_build(args: argparse.Namespace, project: Project) -> int:
    formats = [*builds.FORMATS, builds.PARALLEL] if 'all' in args.formats else args.formats
    languages = args.lang or project.languages()
    unknown = sorted(set(languages) - set(project.languages()))
    if unknown:
        print(f'taiyaku: no catalogs for {", ".join(unknown)} under {project.locale}', file=sys.stderr)
        return 2
    start = time.monotonic()
    warn_lint(project)
    try:
        outputs = builds.build(project, formats, languages, jobs=args.jobs, printer=args.print)
    except (builds.BuildError, CatalogError) as exc:
        print(f'taiyaku: build failed\n{exc}', file=sys.stderr)
        return 1
    for path in outputs:
        print(f'  {path.relative_to(project.root)}')
    print(f'taiyaku: built {len(outputs)} output{"" if len(outputs) == 1 else "s"} in {time.monotonic() - start:.1f} s'
          + (' (on the warm build server)' if builds.SERVED else ''))
    for language, missing in builds.untranslated(project, formats, languages).items():
        if missing:
            print(f'taiyaku: {fallbacks.describe(missing, language)}')
    return 0


def warn_lint(project: Project) -> None:
    """The master lint's findings, as warnings: the build goes on, the release refuses them."""
    from taiyaku import lint

    findings = [finding for finding in lint.check_project_remembered(project) if finding.check != 'encoding']
    for finding in findings:
        print(finding.format(project.root), file=sys.stderr)
    if findings:
        print(f'taiyaku: warning: the master lint found {len(findings)} problem(s) the build publishes as they are '
              '(make lint lists them; make release refuses them)', file=sys.stderr)


def cmd_gettext(args: argparse.Namespace, project: Project) -> int:
    try:
        outdir = builds.extract_messages(project)
    except CatalogError as exc:
        print(f'taiyaku: {exc}', file=sys.stderr)
        return 1
    print(f'taiyaku: message templates in {outdir.relative_to(project.root)}/')
    return 0


def cmd_update_po(args: argparse.Namespace, project: Project) -> int:
    languages = args.lang or project.translations()
    if not languages:
        print('taiyaku: no target language: give --lang, e.g. --lang en', file=sys.stderr)
        return 2
    unknown = [language for language in languages if language not in project.translations()]
    if unknown:
        print(f'taiyaku: no language {", ".join(unknown)} in this project (translations: '
              f'{", ".join(project.translations()) or "none"}): update-po never creates one; to add a '
              f'translation on purpose, make add-language LANG={unknown[0]}', file=sys.stderr)
        return 2
    try:
        with locks.held(builds.lock_folder(project), 'catalogs'):      # one update of the catalogs at a time
            builds.extract_messages(project)
            from taiyaku import catalogs
            reports = catalogs.update(project, languages, purge_obsolete=args.purge_obsolete,
                                      use_memory=not args.no_memory)
    except CatalogError as exc:
        print(f'taiyaku: {exc}', file=sys.stderr)
        return 1
    for language, report in reports.items():
        print(f'taiyaku: {language}: {len(report.changed)} catalog(s) updated — '
              f'{report.added} new, {report.fuzzy} changed (fuzzy, previous text kept), '
              f'{report.obsolete} now obsolete, {report.revived} revived (obsolete, in the master again), '
              f'{report.remembered} filled and '
              f'{report.suggested} suggested from the translation memory'
              + (f', {report.purged} obsolete purged' if args.purge_obsolete else '')
              + (f' ({report.kept_obsolete} made obsolete by this run kept: the next PURGE=1 drops them)'
                 if args.purge_obsolete and report.kept_obsolete else ''))
        for path in report.changed:
            print(f'  {path.relative_to(project.root)}')
        for path in report.orphans:
            print(f'taiyaku: warning: {path.relative_to(project.root)}: its document is no longer in '
                  f'source/ (kept; delete it when its translations are no longer needed)', file=sys.stderr)
    return 0


def cmd_release(args: argparse.Namespace, project: Project) -> int:
    from taiyaku import release

    from taiyaku import repository

    start = time.monotonic()
    try:
        published = repository.published(project.root, args.edition) if args.edition else None
        if published is not None and not (published.edition.id == current_edition(project)
                                          and published.commit == repository.head(project.root)):
            folder = release.release_past(project, args.edition, force=args.force)
        elif args.edition and args.edition != current_edition(project):
            raise release.ReleaseError(f'edition {args.edition} was never released: editions.toml records no '
                                       'commit for it (and there is no tag)')
        else:
            folder = release.release(project, force=args.force)
    except (release.ReleaseError, EditionsError, repository.RepositoryError) as exc:
        print(f'taiyaku: release refused: {exc}', file=sys.stderr)
        return 1
    files = len(release.summed_files((folder / release.SUMS).read_text(encoding='utf-8')))
    print(f'taiyaku: released {folder.relative_to(project.root)}/ ({files} files, '
          f'{release.SUMS}) in {time.monotonic() - start:.0f} s')
    return 0


def cmd_changes(args: argparse.Namespace, project: Project) -> int:
    from taiyaku import changes

    end = args.to or changes.WORKING_TREE
    try:
        found = changes.between(project, args.start, end)
    except (changes.ChangesError, CatalogError) as exc:
        print(f'taiyaku: {exc}', file=sys.stderr)
        return 1
    print(changes.report(found, args.start, end), end='')
    return 0


def cmd_tag_editions(args: argparse.Namespace, project: Project) -> int:
    from taiyaku import repository

    try:
        for line in repository.tag_editions(project.root):
            print(f'taiyaku: {line}')
    except (repository.RepositoryError, EditionsError) as exc:
        print(f'taiyaku: tag-editions: {exc}', file=sys.stderr)
        return 1
    return 0


def current_edition(project: Project) -> str:
    return current(project.root / 'editions.toml').id


def cmd_languages(args: argparse.Namespace, project: Project) -> int:
    print(' '.join(project.languages()))
    return 0


def at_least_one(value: str) -> int:
    """-j N: a count of concurrent builds."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f'{value!r} must be a whole number of at least 1')
    return number


def parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line; given the command asked for, only its module is imported."""
    p = argparse.ArgumentParser(prog='taiyaku', description='Bilingual publishing toolchain (Japanese master, gettext translations).')
    sub = p.add_subparsers(dest='command', required=True)

    b = sub.add_parser('build', help='build outputs')
    b.add_argument('formats', nargs='+', choices=[*builds.FORMATS, builds.PARALLEL, 'all'],
                   help=f'{builds.PARALLEL}: the master beside its translation, in every format')
    b.add_argument('--lang', nargs='+', help='languages to build (default: all)')
    b.add_argument('-j', '--jobs', type=at_least_one, help='concurrent builds (default: the number of CPUs)')
    b.add_argument('--print', action='store_true',
                   help='each PDF also for the printer, with 3 mm bleed and crop marks: build/print/<lang>/')
    b.set_defaults(func=cmd_build)

    g = sub.add_parser('gettext', help="extract the master's messages into build/gettext/*.pot")
    g.set_defaults(func=cmd_gettext)

    u = sub.add_parser('update-po', help='update the catalogs of every target language from the master')
    u.add_argument('--lang', nargs='+', help='target languages (default: every language under locale/)')
    u.add_argument('--purge-obsolete', action='store_true', help='drop the obsolete (#~) entries of removed messages (those already obsolete before this run)')
    u.add_argument('--no-memory', action='store_true', help='do not pre-fill new messages from the translation memory')
    u.set_defaults(func=cmd_update_po)

    r = sub.add_parser('release', help='build, check and publish every output of an edition in build/release/<id>/')
    r.add_argument('--edition', help='rebuild this edition from the commit editions.toml records for it '
                                      '(default: release the current one from the commit checked out)')
    r.add_argument('--force', action='store_true',
                   help='replace an edition already published (from another commit, or with other files)')
    r.set_defaults(func=cmd_release)

    t = sub.add_parser('tag-editions', help='make the git tag edition/<id> of every edition editions.toml records')
    t.set_defaults(func=cmd_tag_editions)

    c = sub.add_parser('changes', help='what changed between two editions, paragraph by paragraph, in every language')
    c.add_argument('--from', dest='start', required=True, metavar='ID', help='the earlier edition (as editions.toml lists it)')
    c.add_argument('--to', metavar='ID', help='the later edition (default: the working tree)')
    c.set_defaults(func=cmd_changes)

    lang = sub.add_parser('languages', help="list the project's languages")
    lang.set_defaults(func=cmd_languages)

    own, added = list(sub.choices), set()
    for name, module in COMMAND_MODULES.items():
        if (command in (None, name) or command not in own) and module not in added:   # help, or an unknown command
            added.add(module)                                 # a module may define several commands
            importlib.import_module(module).add_parser(sub)
    sub.metavar = '{' + ','.join([*own, *COMMAND_MODULES]) + '}'    # every command, imported or not
    return p


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    args = parser(next((a for a in arguments if not a.startswith('-')), None)).parse_args(arguments)
    try:
        project = Project.find()
    except FileNotFoundError as exc:
        if args.command != 'import':          # an import may start a new project anywhere
            print(f'taiyaku: {exc}', file=sys.stderr)
            return 2
        project = None
    try:
        return args.func(args, project)
    except EditionsError as exc:  # editions.toml, read by builds, catalogs and editions alike: say where
        print(f'taiyaku: {exc}', file=sys.stderr)
        return 1
    except BrokenPipeError:      # the reader went away (`taiyaku … | head`): not an error
        sys.stdout = open(os.devnull, 'w')
        return 0
    except OSError as exc:       # a full disk, a folder that cannot be written: say which, no traceback
        where = f'{exc.filename}: ' if exc.filename else ''
        print(f'taiyaku: {where}{exc.strerror or exc} (nothing was published; fix this and run again)',
              file=sys.stderr)
        return 1


if __name__ == '__main__':
    sys.exit(main())
