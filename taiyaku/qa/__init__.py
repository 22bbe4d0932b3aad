"""Catalog QA: the checks a translation's catalogs must pass, and one runner for all callers.

    from taiyaku.qa import check_project, errors
    findings = check_project(project)        # every catalog of every translation
    for finding in findings:
        print(finding.format(project.root))  # path:line: [check-id] message
    failed = bool(errors(findings))

Each check is a small module of this package, registered under its id with a fixed
severity (``taiyaku check-po --list-checks``): syntax, header, completeness, references,
rst, numbers, glossary, forbidden, term-count, injection, leftover, orphans, master (the catalog
against the master's messages); and ``qa-ignore`` for the
translator comments that acknowledge a deliberate exception on one message::

    # qa-ignore: numbers — the 2011 edition printed this figure in words
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from taiyaku.po import CatalogError
from taiyaku.project import Project
from taiyaku.qa import syntax
from taiyaku.qa.core import (
    CHECKS, ERROR, FILE, IGNORE, MASTER, MESSAGE, WARNING, Catalog, Check, Context, Entry, Finding, Severity,
    findings_for, ignores,
)

__all__ = ['CHECKS', 'ERROR', 'MASTER', 'WARNING', 'Check', 'Context', 'Entry', 'Finding', 'Severity',
           'catalog_paths', 'check_files', 'target_languages', 'check_project', 'errors', 'load_catalog', 'load_checks']


def load_checks() -> dict[str, Check]:
    """Register every check (imported on first use: the CLI starts fast)."""
    from taiyaku.qa import (  # noqa: F401  (each module registers its checks)
        completeness, forbidden, glossary, ignore, injection, leftover, master, numbers, orphans, references,
        rst, termcount,
    )
    return CHECKS


def errors(findings: Iterable[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.severity is ERROR]


def catalog_paths(project: Project, language: str) -> list[Path]:
    return sorted((project.locale / language / 'LC_MESSAGES').rglob('*.po'))


def target_languages(project: Project, requested: Iterable[str] | None = None) -> list[str]:
    """``requested`` or every translation; a ValueError names a language without catalogs."""
    languages = list(requested or project.translations())
    unknown = [language for language in languages if not catalog_paths(project, language)]
    if not languages or unknown:
        raise ValueError(f'no catalogs for {", ".join(unknown) or "any language"} under {project.locale}')
    return languages


def context_for(project: Project | None, language: str, templates: Path | None = None) -> Context:
    from taiyaku.glossary import glossary_path

    path = glossary_path(project.locale, language) if project else None
    return Context(language=language, project=project, glossary_path=path, templates=templates)


def language_of(path: Path, project: Project | None, fallback: str | None) -> str:
    """locale/<lang>/LC_MESSAGES/… says the language; else ``fallback``; else the header; else en."""
    if project is not None:
        try:
            relative = path.resolve().relative_to(project.locale.resolve())
            if len(relative.parts) > 2 and relative.parts[1] == 'LC_MESSAGES':
                return relative.parts[0]
        except ValueError:
            pass
    if fallback:
        return fallback
    header = syntax.read(path).header.get('Language')
    return header[0] if header and header[0] else 'en'


def load_catalog(path: Path, language: str) -> tuple[Catalog | None, syntax.PoFile]:
    """The catalog's messages, or None when it is malformed (``po.errors`` says why)."""
    po = syntax.read(path)
    if po.errors:
        return None, po
    try:
        return syntax.load(po, language), po
    except CatalogError as exc:     # taiyaku's reader (Babel) refuses what msgfmt accepts
        where = re.match(r'(?:.*?:(\d+):)?\s*(.*)', str(exc), re.DOTALL)      # "path:line: what"
        po.errors.append((int(where[1] or 1), f'taiyaku cannot read the catalog: {where[2]}'))
        return None, po


def selected(checks: Iterable[str] | None, scope: str) -> list[Check]:
    return [check for check in CHECKS.values() if check.scope == scope and (checks is None or check.id in checks)]


def check_catalog(path: Path, context: Context, checks: Iterable[str] | None = None) -> list[Finding]:
    """Every finding on one catalog."""
    load_checks()
    checks = set(checks) if checks is not None else None
    catalog, po = load_catalog(path, context.language)
    findings = []
    for check in selected(checks, FILE):
        findings += findings_for(check, path, check.run(po, context))
    if catalog is None:
        return findings
    message_checks = selected(checks, MESSAGE)
    for entry in catalog.entries:
        ignored = {name for ignore in ignores(entry) for name in ignore.checks}
        used: set[str] = set()
        for check in message_checks:
            if check.translated_only and not entry.in_use:
                continue
            for message in check.run(entry, context):
                if check.id in ignored:
                    used.add(check.id)
                else:
                    findings.append(Finding(path, entry.line, check.id, message, check.severity))
        if checks is None:      # whether an ignore is still needed takes every check
            meta = CHECKS[IGNORE]
            findings += [Finding(path, entry.line, meta.id, message, meta.severity)
                         for message in meta.run(entry, used)]
    return findings


def glossary_findings(context: Context) -> list[Finding]:
    """A malformed glossary, reported once (the glossary check then has no terms)."""
    if context.glossary_path is None or not context.glossary_path.is_file():
        return []
    from taiyaku.glossary import Glossary, GlossaryError

    try:
        Glossary.load(context.glossary_path)
    except GlossaryError as exc:
        return [Finding(exc.path, exc.line, 'glossary', str(exc), CHECKS['glossary'].severity)]
    return []


def check_files(paths: Iterable[Path], project: Project | None = None, language: str | None = None,
                checks: Iterable[str] | None = None, templates: Path | None = None) -> list[Finding]:
    """Every finding on the given catalogs (their language from their folder, else ``language``).

    ``templates``: the master's messages (the .pot folder ``taiyaku gettext`` writes); given
    them, the ``master`` check compares every catalog with its document's messages.
    """
    load_checks()
    contexts: dict[str, Context] = {}
    findings = []
    for path in paths:
        lang = language_of(Path(path), project, language)
        if lang not in contexts:
            contexts[lang] = context_for(project, lang, templates)
            if checks is None or 'glossary' in checks:
                findings += glossary_findings(contexts[lang])
        findings += check_catalog(Path(path), contexts[lang], checks)
    return sorted(findings)


def check_project(project: Project, languages: Iterable[str] | None = None,
                  checks: Iterable[str] | None = None, templates: Path | None = None) -> list[Finding]:
    """Every finding on every catalog of the project's translations (or of ``languages``);
    given the master's ``templates``, a document without a catalog is a finding too."""
    findings = []
    for language in (languages or project.translations()):
        findings += check_files(catalog_paths(project, language), project, language, checks, templates)
        if templates is not None and (checks is None or MASTER in checks):
            findings += missing_catalogs(project, language, templates)
    return sorted(findings)


def missing_catalogs(project: Project, language: str, templates: Path) -> list[Finding]:
    """The master's documents with messages and no catalog in ``language``."""
    load_checks()
    from taiyaku.po import read_catalog

    folder = project.locale / language / 'LC_MESSAGES'
    found = []
    for template in sorted(templates.rglob('*.pot')):
        catalog = folder / template.relative_to(templates).with_suffix('.po')
        if catalog.exists():
            continue
        count = sum(1 for message in read_catalog(template) if message.id)
        if count:
            found.append(Finding(catalog, 1, MASTER, f'no catalog for the master\u2019s document '
                                 f'{template.relative_to(templates).with_suffix("").as_posix()} ({count} message(s) '
                                 'to translate): run `make update-po`', CHECKS[MASTER].severity))
    return found
