"""What changed between two editions, paragraph by paragraph, in every language.

An edition's text is read from its catalogs at the commit it was published from (recorded
in editions.toml, :mod:`taiyaku.repository`): each message is one
paragraph, heading, caption or footnote of the master (its msgid) with its translation
(its msgstr), in the order of the document. ``TO`` may be the working tree: its Japanese
is extracted from the master afresh, its translations are those of its catalogs.

The same comparison backs the release gate: every change to the Japanese text since the
previous edition must be one of the current edition's errata (editions.toml), so the
"Changes in this edition" page, generated from those errata, lists every correction.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from babel.messages.catalog import Catalog

from taiyaku import repository
from taiyaku.builds import extract_messages
from taiyaku.editions import Edition, EditionsError, Erratum, load
from taiyaku.memory import catalogs_at, working_catalogs
from taiyaku.po import read_catalog
from taiyaku.project import Project
from taiyaku.textdiff import excerpt_around_change, inline_diff

WORKING_TREE = 'working tree'
ORIGINAL_PAGE_ROLE = re.compile(r':original-page:`[^`]*`')


class ChangesError(RuntimeError):
    pass


@dataclass
class Change:
    document: str
    kind: str                       # 'changed', 'added', 'removed', 'retranslated'
    before: str | None              # the Japanese text before (None when added)
    after: str | None               # the Japanese text after (None when removed)
    translations: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)   # lang → (before, after)


# A document's text: its messages in order, each (Japanese, {language: translation}).
Text = list[tuple[str, dict[str, str]]]


def edition_text(project: Project, edition: str, languages: list[str]) -> dict[str, Text]:
    """document → its messages, at ``edition``'s tag, or in the working tree.

    The working tree's Japanese comes from freshly extracted templates, not from the
    catalogs, so a master edited since the last ``make update-po`` is seen as it is.
    """
    documents: dict[str, Text] = {}
    if edition == WORKING_TREE:
        templates = extract_messages(project)
        for pot in sorted(templates.rglob('*.pot')):
            document = pot.relative_to(templates).with_suffix('').as_posix()
            documents[document] = [(message.id, {}) for message in read_catalog(pot) if message.id]
    for language in languages:
        for document, catalog in catalogs(project, edition, language):
            translations = {message.id: message.string or '' for message in catalog
                            if message.id and isinstance(message.id, str)}
            if edition == WORKING_TREE:
                if document not in documents:
                    continue         # a catalog whose document is gone from the master
            elif not documents.get(document):
                documents[document] = [(msgid, {}) for msgid in translations]
            for msgid, by_language in documents[document]:
                if msgid in translations:
                    by_language[language] = translations[msgid]
    return documents


def catalogs(project: Project, edition: str, language: str) -> list[tuple[str, Catalog]]:
    """(document, catalog) of ``language`` as ``edition`` was published, or in the working tree."""
    prefix = f'locale/{language}/LC_MESSAGES/'
    if edition == WORKING_TREE:
        found = working_catalogs(project.locale, language)
    else:
        commit = published_commit(project, edition)
        found = catalogs_at(project.root, commit, language)
        if not found:
            raise ChangesError(f'edition {edition} (commit {commit[:12]}) has no catalogs of {language!r}')
    return [(name.removeprefix(prefix).removesuffix('.po'), catalog) for name, catalog in found]


def published_commit(project: Project, edition: str) -> str:
    """The commit ``edition`` was published from, or a ChangesError saying why there is none."""
    try:
        return repository.require(project.root, edition).commit
    except (EditionsError, repository.RepositoryError) as exc:
        raise ChangesError(str(exc)) from None


def compare(before: dict[str, Text], after: dict[str, Text]) -> list[Change]:
    changes: list[Change] = []
    for document in sorted(before.keys() | after.keys()):
        old, new = before.get(document, []), after.get(document, [])
        matcher = difflib.SequenceMatcher(a=[msgid for msgid, _ in old], b=[msgid for msgid, _ in new], autojunk=False)
        for operation, a1, a2, b1, b2 in matcher.get_opcodes():
            if operation == 'equal':
                for (msgid, was), (_, now) in zip(old[a1:a2], new[b1:b2]):
                    if was != now:
                        changes.append(Change(document, 'retranslated', msgid, msgid, pairs(was, now)))
                continue
            olds, news = old[a1:a2], new[b1:b2]
            paired = min(len(olds), len(news)) if operation == 'replace' else 0
            for (was_id, was), (now_id, now) in zip(olds[:paired], news[:paired]):
                changes.append(Change(document, 'changed', was_id, now_id, pairs(was, now)))
            for was_id, was in olds[paired:]:
                changes.append(Change(document, 'removed', was_id, None, pairs(was, {})))
            for now_id, now in news[paired:]:
                changes.append(Change(document, 'added', None, now_id, pairs({}, now)))
    return changes


def pairs(before: dict[str, str], after: dict[str, str]) -> dict[str, tuple[str | None, str | None]]:
    return {language: (before.get(language), after.get(language)) for language in sorted(before.keys() | after.keys())}


def between(project: Project, start: str, end: str = WORKING_TREE) -> list[Change]:
    languages = project.translations()
    if not languages:
        raise ChangesError('no translation catalogs under locale/: the editions are compared through them')
    for edition in (start, end):           # an unknown or unpublished edition before any work
        if edition != WORKING_TREE:
            published_commit(project, edition)
    return compare(edition_text(project, start, languages), edition_text(project, end, languages))


def report(changes: list[Change], start: str, end: str) -> str:
    if not changes:
        return f'No change between {start} and {end}.\n'
    lines = [f'Changes from {start} to {end}: {len(changes)}', '']
    for change in changes:
        lines.append(f'{change.document}: {change.kind}')
        if change.kind == 'changed':
            lines.append(f'  ja: {excerpt_around_change(inline_diff(change.before, change.after))}')
        elif change.kind in ('added', 'removed'):
            lines.append(f'  ja: {change.after if change.kind == "added" else change.before}')
        else:
            lines.append(f'  ja: (unchanged) {change.before[:40]}…')
        for language, (was, now) in change.translations.items():
            if was == now:
                lines.append(f'  {language}: (unchanged)')
            elif was and now:
                lines.append(f'  {language}: {excerpt_around_change(inline_diff(was, now), 40)}')
            else:
                lines.append(f'  {language}: {now or was or "(untranslated)"}')
        lines.append('')
    return '\n'.join(lines)


def without_page_markers(text: str) -> str:
    """The text with the original's page markers taken out: they are apparatus, not text."""
    return ORIGINAL_PAGE_ROLE.sub('', text)


def explained(change: Change, errata: list[Erratum]) -> bool:
    """Does an erratum of this document turn the old Japanese text into the new one?

    Marking where the original's pages begin (``:original-page:`98```) changes no word
    of the text, so it needs no erratum.
    """
    if change.kind == 'retranslated':
        return True              # translations improve freely; only the master's text needs errata
    if change.kind != 'changed':
        return False
    return corrects(errata, change.document, change.before, change.after)


def corrects(errata: Iterable[Erratum], document: str, before: str, after: str) -> bool:
    """Do the errata of ``document`` turn its text ``before`` into ``after`` (the original's
    page markers aside)?"""
    text = without_page_markers(before)
    for erratum in errata:
        if erratum.document == document:
            text = text.replace(erratum.original, erratum.corrected)
    return text == without_page_markers(after)


def unlisted_translation_changes(changes: list[Change], this: Edition) -> list[str]:
    """A translation's text changed without its entry in this edition's translation errata.

    Translators improve their text freely between editions, but an edition's "Changes in
    this edition" page tells its readers what changed in the text they read (or that
    nothing did), so each change is listed (editions.toml [[edition.translation-errata]]).
    """
    problems = []
    for change in changes:
        for language, (was, now) in change.translations.items():
            if not was or not now or was == now:
                continue
            if not corrects(this.translation_errata_of(language), change.document, was, now):
                problems.append(f'{change.document}: the {language} text changed since the previous edition but not in '
                                f'the translation errata of {this.id} (editions.toml): '
                                f'{excerpt_around_change(inline_diff(was, now))}')
    return problems


def unlisted_changes(project: Project) -> list[str]:
    """Changes to the master since the previous edition that no erratum of the current one lists."""
    history: list[Edition] = load(project.root / 'editions.toml')
    if len(history) < 2:
        return []
    previous, this = history[-2], history[-1]
    try:
        changes = between(project, previous.id)
    except ChangesError as exc:
        return [f'cannot compare with the previous edition {previous.id}: {exc}']
    problems = [f'{change.document}: {change.kind} since {previous.id} but not in the errata of {this.id} '
                f'(editions.toml): {excerpt_around_change(inline_diff(change.before or "", change.after or ""))}'
                for change in changes if not explained(change, list(this.errata))]
    problems += unlisted_translation_changes(changes, this)
    for erratum in this.errata:
        places = [change for change in changes if change.document == erratum.document and change.before
                  and erratum.original in change.before and change.after and erratum.corrected in change.after]
        if not places:
            problems.append(f'editions.toml: erratum {erratum.original} → {erratum.corrected} in '
                            f'{erratum.document} is not a change since {previous.id}')
        elif len(places) > 1 or places[0].before.count(erratum.original) > 1:
            problems.append(f'editions.toml: erratum {erratum.original} → {erratum.corrected} in '
                            f'{erratum.document} matches more than one place: quote enough context to name one')
    return problems
