"""Message catalogs: update the translations from the master's messages, compile them.

The master's messages are extracted by a Sphinx build (``taiyaku.builds.extract_messages``,
into ``pot_dir``); everything here works on catalog files, below the builds.

``update`` merges each catalog with its template the way sphinx-intl does (Babel's
``Catalog.update``), and adds what sphinx-intl leaves out: the previous msgid of a changed
message (``#|``), obsolete entries kept until purged, and the translation memory
(``taiyaku.memory``). Every catalog is read and merged before any is written, and each one
that changed is replaced with one atomic rename, so an interrupted run leaves every
catalog either as it was or fully updated, never truncated. A second run with no source change
changes no byte: the templates carry the edition date (SOURCE_DATE_EPOCH) rather than the
time of the run, and headers are only filled in where they still hold the template's
placeholders.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
import json
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo

from taiyaku import memory as memory_module
from taiyaku.editions import EditionsError, current
from taiyaku.labels import language_name
from taiyaku.memory import Memory
from taiyaku.po import CatalogError, parse_catalog, read_catalog, render
from taiyaku.project import Project
from taiyaku.stamps import code_digest, signature
from taiyaku.update_record import Merged, Remembered, Template, UpdateRecord



def pot_dir(project: Project) -> Path:
    return project.build / 'gettext'


def fill_header(catalog, language: str) -> None:
    """Replace the template's placeholders in a catalog header; keep real values."""
    name = language_name(language)
    if not catalog.last_translator or 'FULL NAME' in catalog.last_translator:
        catalog.last_translator = f'taiyaku {name} translation team'
    if not catalog.language_team or 'LL@li.org' in catalog.language_team:
        catalog.language_team = f'{name}'
    if catalog.revision_date is None or not hasattr(catalog.revision_date, 'year'):
        catalog.revision_date = catalog.creation_date
    if 'SOME DESCRIPTIVE TITLE' in (catalog.header_comment or ''):
        catalog.header_comment = (
            f'# {name} translation of the taiyaku publication "{catalog.project}".\n'
            f'# This file is distributed under the same license as the publication.\n#')
    catalog.fuzzy = False


def atomic_write(path: Path, data: bytes, sync: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file and one rename (``sync``: on the disk
    before the rename; not needed for what is only a cache)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f'.{path.name}.', dir=path.parent)
    try:
        with os.fdopen(fd, 'wb') as handle:
            handle.write(data)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@dataclass
class UpdateReport:
    """What one ``update-po`` did to one language."""
    changed: list[Path] = field(default_factory=list)
    added: int = 0          # messages new in the master
    fuzzy: int = 0          # changed messages: old translation kept, marked fuzzy, previous msgid shown
    obsolete: int = 0       # removed messages now kept as #~ entries
    revived: int = 0        # obsolete entries whose message is in the master again
    purged: int = 0         # obsolete entries dropped by --purge-obsolete
    kept_obsolete: int = 0  # made obsolete by this run: kept by --purge-obsolete until the next one
    remembered: int = 0     # new messages filled from the translation memory (exact match)
    suggested: int = 0      # new messages given a fuzzy suggestion from the memory
    orphans: list[Path] = field(default_factory=list)   # catalogs whose document is gone


def merge(existing: Catalog | None, template: Catalog, language: str, memory: Memory | None,
          report: UpdateReport, untranslated: list[str] | None = None) -> Catalog:
    """The catalog brought in step with the template: Babel's update (the algorithm
    sphinx-intl uses) plus what translators need from msgmerge — the previous msgid of a
    changed message (``#|``), kept across runs, and the translation memory.

    ``untranslated`` is given the messages left without a translation by the update, those
    the memory is asked for: a merge that leaves none does not depend on the memory."""
    if existing is None:
        catalog = template
        catalog.locale = language
    else:
        catalog = existing
        report.revived += revive(catalog, template)
        previous = {message.id: message.previous_id for message in catalog if message.fuzzy and message.previous_id}
        known, obsolete = {message.id for message in catalog}, set(catalog.obsolete)
        catalog.update(template, update_header_comment=False, keep_user_comments=True)
        catalog.project, catalog.version = template.project, template.version   # the edition it now follows
        for message in catalog:
            if not message.id:
                continue
            if message.id not in known:
                if message.previous_id:
                    report.fuzzy += 1
                else:
                    report.added += 1
            elif message.fuzzy and not message.previous_id and message.id in previous:
                message.previous_id = previous[message.id]     # Babel forgets it on an exact match
        report.obsolete += len(set(catalog.obsolete) - obsolete)
    for message in catalog:
        if not message.id:
            continue
        if not message.fuzzy:
            message.previous_id = []      # confirmed: the old text no longer matters (as msgmerge does)
        if not message.string:
            if untranslated is not None:
                untranslated.append(message.id)
            if memory is not None:
                suggest(message, memory, report)
    return catalog


def revive(catalog: Catalog, template: Catalog) -> int:
    """Bring back the obsolete entries whose message the master has again (a paragraph
    deleted, then restored): translation, flags and comments as they were. Babel's update
    would leave the ``#~`` entry beside a new one, a message defined twice. An obsolete
    twin of a live message (what such an update left behind) is folded into it."""
    wanted = {catalog._key_for(message.id, message.context) for message in template if message.id}
    revived = 0
    for key in [key for key in catalog.obsolete if key in wanted]:
        old = catalog.obsolete.pop(key)
        live = catalog.get(old.id, old.context)
        if live is None:
            catalog[old.id] = old
            revived += 1
        elif not live.string and old.string:       # the live twin is empty: the old translation is the work
            live.string, live.flags = old.string, set(old.flags)
            live.user_comments = live.user_comments or old.user_comments
    return revived


def suggest(message: Message, memory: Memory, report: UpdateReport) -> None:
    """Fill an untranslated message from the translation memory."""
    exact = memory.exact(message.id)
    if exact is not None:
        message.string = exact[0]
        message.flags.discard('fuzzy')
        report.remembered += 1
        return
    close = memory.closest(message.id)
    if close is not None:
        previous_id, translation, origin = close
        message.string = translation
        message.flags.add('fuzzy')
        message.previous_id = [previous_id]
        report.suggested += 1


NO_MEMORY = 'no memory'     # what a merge with --no-memory depended on (record.Merged.memory)


def record_path(project: Project, language: str) -> Path:
    """build/.work/update-po/<lang>.json: what the last update of a language found (taiyaku.update_record)."""
    return project.work / 'update-po' / f'{language}.json'


@functools.cache
def code_fingerprint() -> str:
    """The code an update's result depends on: the merge, the header, the readers, Babel
    (``memory.reader``). A record made by other code is not trusted."""
    from taiyaku import labels, stamps, update_record

    return code_digest((sys.modules[__name__], labels, stamps, update_record),
                       f'{memory_module.reader()}\0{sys.version}')


COUNTS = ('added', 'fuzzy', 'obsolete', 'revived', 'purged', 'kept_obsolete', 'remembered', 'suggested')


def counts(report: UpdateReport) -> tuple[int, ...]:
    return tuple(getattr(report, name) for name in COUNTS)


def update(project: Project, languages: list[str], purge_obsolete: bool = False,
           use_memory: bool = True) -> dict[str, UpdateReport]:
    """Bring every language's catalogs in step with the templates in build/gettext.

    Nothing is written until every catalog has been read and merged, so a malformed
    catalog stops the run with every file untouched; each changed catalog is then
    replaced with one atomic rename.

    Only what may have changed is read and merged (``taiyaku.update_record``, in
    build/.work/update-po/): a catalog whose file is as the last update found it (its
    signature) gives the memory the translations recorded then, and is not merged again when
    that update verified it (the merge gave its very bytes and counted nothing) and nothing
    its merge depends on changed since — its template's SHA-256, the memory's fingerprint if
    the merge asked the memory for an untranslated message, and, for a purge, that it holds
    no obsolete entry. A merge is a function of those inputs, so the catalogs left alone are
    exactly what merging them again would give, and the report counts what it would count.
    """
    templates = pot_dir(project)
    pots = sorted(templates.rglob('*.pot'))
    if not pots:
        raise CatalogError(f'{templates}: no message templates (run `make gettext`)')
    code = code_fingerprint()
    reports: dict[str, UpdateReport] = {}
    for language in languages:
        report = reports[language] = UpdateReport()
        folder = project.locale / language / 'LC_MESSAGES'
        last = UpdateRecord.load(record_path(project, language), language, code)
        record = UpdateRecord(language)              # what this run leaves
        files = sorted(folder.rglob('*.po'))
        read, working = read_changed(project, files, language, last, record)
        memory = None
        if use_memory:
            past = memory_module.past_edition_translations(project.root, language, project.work / 'update-po' / 'editions')
            memory = Memory.from_translations([*past, *working])
        depends_on = memory.fingerprint() if memory is not None else NO_MEMORY
        pending: list[tuple[Path, bytes]] = []
        documents = set()
        for pot in pots:
            relative = pot.relative_to(templates).with_suffix('.po')
            documents.add(relative)
            name, target = relative.as_posix(), folder / relative
            known_template = template_record(pot, relative.with_suffix('.pot').as_posix(), last, record)
            template_sha = known_template.sha256
            known = record.catalogs.get(name)
            if known is not None and known.merged is not None:
                if known.merged.holds(template_sha, depends_on, purge_obsolete):
                    continue                  # verified, and nothing it depends on changed
                known.merged = None
            if known is None and known_template.empty:
                continue      # nothing to translate (a generated page such as the colophon)
            existing = None
            if known is not None:         # the file is there: read now, unless it was for the memory
                existing = read[name] if name in read else read_catalog(target, language, mending=True)
            template = read_catalog(pot)
            known_template.empty = not len(template)
            if existing is None and not len(template):
                continue
            seen = set(existing.obsolete) if existing is not None else set()     # obsolete before this run
            before, untranslated = counts(report), []
            catalog = merge(existing, template, language, memory, report, untranslated)
            if purge_obsolete:
                # only what was obsolete already: a translation this run makes obsolete is kept for the
                # next purge, so none vanishes before the translator has seen it as #~
                for key in [key for key in catalog.obsolete if key in seen]:
                    del catalog.obsolete[key]
                    report.purged += 1
                report.kept_obsolete += len(catalog.obsolete)
            fill_header(catalog, language)
            data = render(catalog)
            if existing is None or target.read_bytes() != data:
                pending.append((target, data))
                record.catalogs.pop(name, None)       # read again next time: it is about to change
            elif counts(report) == before:
                known.merged = Merged(template_sha, depends_on if untranslated else None, len(catalog.obsolete))
        report.orphans = sorted(path for path in files if path.relative_to(folder) not in documents)
        for target, data in pending:
            atomic_write(target, data)
            report.changed.append(target)
        if memory is not None:
            record.compendium = write_compendium(project.build / 'memory' / f'{language}.po', memory, depends_on,
                                                 language, edition_date(project), last.compendium)
        record.save(record_path(project, language), code)
    return reports


def read_changed(project: Project, files: list[Path], language: str, last: UpdateRecord,
                 record: UpdateRecord) -> tuple[dict[str, Catalog], list[tuple[str, list]]]:
    """Read the catalogs whose file changed since the last update (each once: for the memory,
    then for the merge); the others are remembered as the last update found them. Returns
    those read, and what each catalog gives the memory: (its path in the project, translations)."""
    folder = project.locale / language / 'LC_MESSAGES'
    read: dict[str, Catalog] = {}
    working = []
    for path in files:
        name = path.relative_to(folder).as_posix()
        stamp = signature(path)              # before reading: a change while it is read is seen next time
        known = last.catalogs.get(name)
        if known is None or known.signature != stamp:
            read[name] = read_catalog(path, language, mending=True)
            known = Remembered(stamp, memory_module.translations(read[name]))
        record.catalogs[name] = known
        working.append((str(path.relative_to(project.locale.parent)), known.translations))
    return read, working


def template_record(pot: Path, name: str, last: UpdateRecord, record: UpdateRecord) -> Template:
    """A template's SHA-256 (and whether it is empty), read only when its file changed since the last update."""
    stamp = signature(pot)
    known = last.templates.get(name)
    if known is None or known.signature != stamp:
        known = Template(stamp, hashlib.sha256(pot.read_bytes()).hexdigest())
    record.templates[name] = known
    return known


def edition_date(project: Project) -> datetime.datetime | None:
    """The current edition's date (midnight UTC, the templates' SOURCE_DATE_EPOCH): what the
    compendium carries, so that it changes with its content, not with the clock."""
    try:
        epoch = current(project.root / 'editions.toml').source_date_epoch
    except EditionsError:
        return None
    return datetime.datetime.fromtimestamp(epoch, datetime.UTC)


def write_compendium(path: Path, memory: Memory, fingerprint: str, language: str, created: datetime.datetime | None,
                     last: tuple[list[int], str] | None) -> tuple[list[int], str]:
    """The memory as build/memory/<lang>.po, rendered only when the memory, its date or the file
    changed, written only when its bytes differ; (its signature, what it was rendered from)."""
    source = hashlib.sha256(f'{fingerprint}\0{created.isoformat() if created else "now"}'.encode()).hexdigest()
    if created is None or last is None or last[1] != source or not path.is_file() or signature(path) != last[0]:
        data = render(memory_module.compendium(memory, language, created))
        if not path.is_file() or path.read_bytes() != data:
            atomic_write(path, data)
    return signature(path), source


def compiled_from(mo: Path) -> Path:
    """Where the SHA-256 of the .po a .mo was compiled from is kept: ``.<name>.mo.sha256``."""
    return mo.with_name(f'.{mo.name}.sha256')


def compile_catalogs(project: Project, language: str) -> list[Path]:
    """Compile .po → .mo ahead of the builds, so concurrent builds only read them; return
    the .mo files written.

    A catalog is compiled again when its content differs from the one its .mo was made
    from (a SHA-256 kept beside the .mo), not when it is newer: a catalog put back with an
    older time (``cp -p``, ``tar x``, ``rsync -a``) is still compiled. A .mo left older than
    its unchanged .po is given the .po's time, so Sphinx does not compile it again itself.

    Only a catalog whose file may have changed is read and hashed: one whose inode, size,
    modification and status-change times (``stamps.signature``: the last cannot be set back)
    are those it had when its hash was last taken, with that hash still its .mo's, is the
    same content (build/.work/catalogs/<lang>.json remembers them). A translator's edit
    reads one catalog, not every one.
    """
    remembered_at = project.work / 'catalogs' / f'{language}.json'
    try:
        remembered = json.loads(remembered_at.read_text(encoding='utf-8'))
    except (OSError, ValueError):
        remembered = {}
    seen: dict[str, list] = {}
    written = []
    folder = project.locale / language / 'LC_MESSAGES'
    for po in sorted(folder.rglob('*.po')):
        mo, record, relative = po.with_suffix('.mo'), compiled_from(po.with_suffix('.mo')), po.relative_to(folder).as_posix()
        try:
            recorded = record.read_text(encoding='ascii').strip() if mo.exists() else None
        except OSError:
            recorded = None
        stamp = signature(po)
        known = remembered.get(relative)
        if known is not None and known[0] == stamp and recorded == known[1]:
            digest, data = known[1], None                # unchanged since its hash was taken
        else:
            data = po.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
        seen[relative] = [stamp, digest]
        if recorded == digest:
            stat = po.stat()
            if mo.stat().st_mtime_ns < stat.st_mtime_ns:
                os.utime(mo, ns=(stat.st_atime_ns, stat.st_mtime_ns))
            continue
        catalog = parse_catalog(data, str(po), language)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        atomic_write(mo, buffer.getvalue())
        atomic_write(record, f'{digest}\n'.encode('ascii'))     # after the .mo: a crash between recompiles
        written.append(mo)
    if seen != remembered:
        try:
            atomic_write(remembered_at, json.dumps(seen, sort_keys=True).encode('utf-8'), sync=False)
        except OSError:                   # an unwritable build folder: every catalog is hashed next time
            pass
    return written
