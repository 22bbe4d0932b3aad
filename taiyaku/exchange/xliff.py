"""XLIFF 2.1 out to a vendor and back: ``make export-xliff``, ``make import-xliff FILES=…``.

Export writes one file per catalog (``build/exchange/xliff/<lang>/<catalog>.xlf``): a
``<file original="russia/relations.po">`` with one ``<unit>`` per message — the Japanese
source, the current translation, the state, notes (where the message is in the master,
the translator's comments, the previous source of a fuzzy message, the glossary's terms
and forbidden renderings) and every construct a translator must not break as a protected
inline code (``taiyaku.exchange.inline``).

States: no translation, or a fuzzy one → ``initial``; translated → ``translated``; a
message flagged ``reviewed`` or ``final`` in its catalog → that state.

Import reads returned files and merges them into the catalogs, all or nothing:

- a malformed file, one that is not valid XLIFF 2.x (the OASIS schema), a source or target
  language that is not the project's, a unit whose message no longer exists, a source the
  vendor changed, an inline code broken, dropped, duplicated or invented — each an error
  naming the XLIFF file and line, and nothing is written;
- the merged catalogs pass the same checks as ``check-po``; a finding that is an error
  stops the import the same way, reported at the unit's line;
- nothing is lost: a unit without a target changes nothing; where the catalog's
  translation changed since the export (the unit carries a fingerprint of what was
  exported), the returned translation comes in fuzzy and the catalog's is kept in a
  translator comment (``# before import: …``) for the reviewer to choose;
- only catalogs whose bytes change are written, each with one atomic rename; a file
  exported and imported unchanged leaves every catalog byte-identical.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from lxml import etree

from taiyaku import qa
from taiyaku.exchange import inline, schemas
from taiyaku.po import CatalogError, read_catalog, render
from taiyaku.project import MASTER_LANGUAGE, Project

NS = 'urn:oasis:names:tc:xliff:document:2.0'       # XLIFF 2.1 keeps the 2.0 core namespace
TAIYAKU_NS = 'urn:taiyaku:xliff'                    # our attribute: what was exported
X = f'{{{NS}}}'
BASE = f'{{{TAIYAKU_NS}}}base'
XML_SPACE = '{http://www.w3.org/XML/1998/namespace}space'
STATES = ('initial', 'translated', 'reviewed', 'final')
REVIEW_FLAGS = ('reviewed', 'final')
BEFORE_IMPORT = 'before import: '
STRUCTURE = {f'{X}{name}' for name in ('xliff', 'file', 'group', 'unit', 'notes', 'originalData', 'segment',
                                       'ignorable')}


class ExchangeError(Exception):
    """Problems with files: each ``(path, line, message)``."""

    def __init__(self, problems: list[tuple[Path, int, str]]):
        super().__init__(f'{len(problems)} problem(s)')
        self.problems = problems

    def lines(self, base: Path | None = None) -> list[str]:
        return [f'{shown(path, base)}:{line}: {message}' for path, line, message in self.problems]


def shown(path: Path, base: Path | None) -> str:
    if base is not None:
        try:
            return str(path.resolve().relative_to(base.resolve()))
        except ValueError:
            pass
    return str(path)


# -- what a message is in XLIFF -------------------------------------------------------------

def unit_id(message: Message) -> str:
    key = f'{message.context or ""}\x04{message.id}'
    return 'm' + hashlib.sha1(key.encode('utf-8')).hexdigest()[:12]


def state_of(message: Message) -> str:
    if not message.string or message.fuzzy:
        return 'initial'
    for flag in reversed(REVIEW_FLAGS):
        if flag in message.flags:
            return flag
    return 'translated'


def fingerprint(message: Message) -> str:
    """What was exported, to tell a returned change from a conflict with a later edit."""
    return hashlib.sha256(f'{state_of(message)}\x00{message.string}'.encode('utf-8')).hexdigest()[:16]


def set_state(message: Message, state: str) -> None:
    message.flags.difference_update({'fuzzy', *REVIEW_FLAGS})
    if state == 'initial':
        message.flags.add('fuzzy')
    elif state in REVIEW_FLAGS:
        message.flags.add(state)


def catalog_name(project: Project, language: str, path: Path) -> str:
    return path.resolve().relative_to((project.locale / language / 'LC_MESSAGES').resolve()).as_posix()


def file_id(name: str) -> str:
    return 'f-' + ''.join(char if char.isalnum() or char in '-_.' else '.' for char in name.removesuffix('.po'))


def messages(catalog: Catalog) -> list[Message]:
    return [message for message in catalog if message.id and isinstance(message.id, str)]


# -- export ---------------------------------------------------------------------------------

@dataclass
class Codes:
    """The inline codes of one unit: ids by code, in source order, and their original data."""
    ids: list[tuple[inline.Code, str]] = field(default_factory=list)
    data: dict[str, str] = field(default_factory=dict)

    def add(self, code: inline.Code) -> str:
        number = str(len(self.ids) + 1)
        self.ids.append((code, number))
        if code.paired:
            self.data[f'd{number}s'], self.data[f'd{number}e'] = code.start, code.end
        else:
            self.data[f'd{number}'] = code.raw
        return number


def write_inline(element: etree._Element, parts: list[str | inline.Code], ids: list[str]) -> None:
    """Text and codes into ``element`` (mixed content)."""
    last = None
    numbers = iter(ids)
    for part in parts:
        if isinstance(part, str):
            if last is None:
                element.text = (element.text or '') + part
            else:
                last.tail = (last.tail or '') + part
            continue
        number = next(numbers)
        if part.paired:
            last = etree.SubElement(element, f'{X}pc', id=number, dataRefStart=f'd{number}s',
                                    dataRefEnd=f'd{number}e', canCopy='no', canOverlap='no',
                                    dispStart=part.start, dispEnd=part.end)
            last.text = part.base
        else:
            last = etree.SubElement(element, f'{X}ph', id=number, dataRef=f'd{number}', disp=part.display)
            last.set('canDelete', 'no')


def source_ids(codes: Codes, parts) -> list[str]:
    return [codes.add(part) for part in parts if isinstance(part, inline.Code)]


def target_ids(codes: Codes, parts) -> list[str]:
    """The target's codes take the id of the same source code, once each; new ones get their own."""
    unused = list(codes.ids)
    numbers = []
    for part in parts:
        if not isinstance(part, inline.Code):
            continue
        match = next((pair for pair in unused if pair[0] == part), None)
        if match:
            unused.remove(match)
            numbers.append(match[1])
        else:
            numbers.append(codes.add(part))
    return numbers


def notes_for(message: Message, glossary) -> list[tuple[str, str]]:
    notes = [('location', ', '.join(f'{path.removeprefix("../../")}:{line}' for path, line in message.locations))]
    notes += [('developer', comment) for comment in message.auto_comments]
    notes += [('translator', comment) for comment in message.user_comments]
    if message.fuzzy and message.previous_id:
        previous = message.previous_id[0] if isinstance(message.previous_id, (list, tuple)) else message.previous_id
        notes.append(('previous-source', previous))
    if glossary is not None:
        text = ''.join(part if isinstance(part, str) else (part.base or '') for part in inline.split(message.id))
        for match in glossary.find(text):
            source = match.terms[0].source
            forms = ' or '.join(term.target for term in match.terms)
            never = '; never: ' + ', '.join(term.target for term in glossary.forbidden.get(source, ())) \
                if glossary.forbidden.get(source) else ''
            note = ('glossary', f'{source} → {forms}{never}')
            if note not in notes:
                notes.append(note)
    return [(category, text) for category, text in notes if text]


def unit_for(message: Message, glossary) -> etree._Element:
    unit = etree.Element(f'{X}unit', id=unit_id(message))
    if message.locations:
        unit.set('name', f'{message.locations[0][0].removeprefix("../../")}:{message.locations[0][1]}')
    unit.set(BASE, fingerprint(message))
    notes = notes_for(message, glossary)
    if notes:
        container = etree.SubElement(unit, f'{X}notes')
        for category, text in notes:
            etree.SubElement(container, f'{X}note', category=category).text = text
    codes = Codes()
    source_parts = inline.split(message.id)
    ids = source_ids(codes, source_parts)
    target_parts = inline.split(message.string) if message.string else None
    target_numbers = target_ids(codes, target_parts) if target_parts is not None else []
    if codes.data:
        original = etree.SubElement(unit, f'{X}originalData')
        for key, value in codes.data.items():
            etree.SubElement(original, f'{X}data', id=key).text = value
    segment = etree.SubElement(unit, f'{X}segment', state=state_of(message))
    source = etree.SubElement(segment, f'{X}source')
    source.set(XML_SPACE, 'preserve')
    write_inline(source, source_parts, ids)
    if target_parts is not None:
        target = etree.SubElement(segment, f'{X}target')
        target.set(XML_SPACE, 'preserve')
        write_inline(target, target_parts, target_numbers)
    return unit


def indent(element: etree._Element, structure: set[str] = STRUCTURE, level: int = 0) -> None:
    """Indent the structure only: never inside mixed content (a source, target, note or data)."""
    children = list(element)
    if element.tag not in structure or not children:
        return
    element.text = '\n' + '  ' * (level + 1)
    for child in children:
        indent(child, structure, level + 1)
        child.tail = '\n' + '  ' * (level + 1)
    children[-1].tail = '\n' + '  ' * level


def document_for(project: Project, language: str, path: Path, catalog: Catalog, glossary=None) -> etree._ElementTree:
    root = etree.Element(f'{X}xliff', nsmap={None: NS, 'taiyaku': TAIYAKU_NS},
                         version='2.1', srcLang=MASTER_LANGUAGE, trgLang=language)
    name = catalog_name(project, language, path)
    file = etree.SubElement(root, f'{X}file', id=file_id(name), original=name)
    notes = etree.SubElement(file, f'{X}notes')
    etree.SubElement(notes, f'{X}note', category='catalog').text = (
        f'{catalog.project or "taiyaku"} {catalog.version or ""}: locale/{language}/LC_MESSAGES/{name}'.replace('  ', ' '))
    for message in messages(catalog):
        file.append(unit_for(message, glossary))
    indent(root)
    return etree.ElementTree(root)


def serialize(document: etree._ElementTree) -> bytes:
    return etree.tostring(document, xml_declaration=True, encoding='UTF-8') + b'\n'


def export(project: Project, language: str, out: Path, paths: list[Path] | None = None) -> list[Path]:
    """One XLIFF 2.1 file per catalog of ``language`` under ``out``; each validated first."""
    from taiyaku.catalogs import atomic_write
    from taiyaku.glossary import Glossary, glossary_path

    glossary_file = glossary_path(project.locale, language)
    glossary = Glossary.load(glossary_file) if glossary_file else None
    written = []
    problems = []
    outputs = []
    for path in paths or qa.catalog_paths(project, language):
        try:
            catalog = read_catalog(path, language)
        except CatalogError as exc:
            problems.append((path, 0, str(exc)))
            continue
        document = document_for(project, language, path, catalog, glossary)
        for line, message in schemas.validate_xliff(document):
            problems.append((path, line, f'the exported XLIFF is not valid: {message}'))
        outputs.append((out / Path(catalog_name(project, language, path)).with_suffix('.xlf'), serialize(document)))
    if problems:
        raise ExchangeError(problems)
    for target, data in outputs:
        atomic_write(target, data)
        written.append(target)
    return written


# -- import ---------------------------------------------------------------------------------

@dataclass
class Returned:
    """One unit of a returned file, read back into message text."""
    path: Path
    line: int
    catalog: Path
    message: Message
    target: str | None
    state: str
    base: str | None


class Reader:
    """Reads returned XLIFF files; every problem is collected, with its file and line."""

    def __init__(self, project: Project):
        self.project = project
        self.problems: list[tuple[Path, int, str]] = []
        self.catalogs: dict[Path, Catalog] = {}
        self.returned: list[Returned] = []

    def problem(self, path: Path, line: int | None, message: str) -> None:
        self.problems.append((path, line or 0, message))

    def read(self, path: Path) -> None:
        try:
            document = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True,
                                                              remove_blank_text=False))
        except OSError as exc:
            return self.problem(path, 0, f'cannot read the file: {exc}')
        except etree.XMLSyntaxError as exc:
            return self.problem(path, exc.lineno, f'malformed XML: {exc.msg}')
        root = document.getroot()
        if root.tag != f'{X}xliff':
            return self.problem(path, root.sourceline, f'not an XLIFF 2 file (root element {root.tag})')
        version = root.get('version', '')
        if not version.startswith('2.'):
            return self.problem(path, root.sourceline, f'XLIFF version {version!r}: taiyaku reads XLIFF 2.x')
        invalid = schemas.validate_xliff(document)
        if invalid:
            for line, message in invalid:
                self.problem(path, line, f'not valid XLIFF 2.1: {message}')
            return
        if root.get('srcLang') != MASTER_LANGUAGE:
            return self.problem(path, root.sourceline, f'wrong source language srcLang="{root.get("srcLang")}": '
                                                       f'the master is {MASTER_LANGUAGE!r}')
        language = root.get('trgLang')
        if language not in self.project.translations():
            return self.problem(path, root.sourceline, f'trgLang="{language}" is not a translation of this project '
                                                       f'({", ".join(self.project.translations())})')
        for file in root.iter(f'{X}file'):
            self.read_file(path, language, file)

    def catalog(self, path: Path, language: str, file: etree._Element) -> tuple[Path, Catalog] | None:
        original = file.get('original') or ''
        folder = (self.project.locale / language / 'LC_MESSAGES').resolve()
        catalog_path = (folder / original).resolve()
        if not original.endswith('.po') or folder not in catalog_path.parents or not catalog_path.is_file():
            self.problem(path, file.sourceline, f'<file original="{original}"> is no catalog of '
                                                f'locale/{language}/LC_MESSAGES/')
            return None
        if catalog_path not in self.catalogs:
            try:
                self.catalogs[catalog_path] = read_catalog(catalog_path, language)
            except CatalogError as exc:
                self.problem(path, file.sourceline, str(exc))
                return None
        return catalog_path, self.catalogs[catalog_path]

    def read_file(self, path: Path, language: str, file: etree._Element) -> None:
        found = self.catalog(path, language, file)
        if found is None:
            return
        catalog_path, catalog = found
        by_id = {unit_id(message): message for message in messages(catalog)}
        seen = set()
        for unit in file.iter(f'{X}unit'):
            identifier = unit.get('id')
            message = by_id.get(identifier)
            if message is None:
                self.problem(path, unit.sourceline,
                             f'unit {identifier} is for a message {catalog_path.name} no longer has (the master '
                             f'changed since the export, or the unit is not from it): export again')
                continue
            if identifier in seen:
                self.problem(path, unit.sourceline, f'unit {identifier} appears twice')
                continue
            seen.add(identifier)
            self.read_unit(path, catalog_path, unit, message)

    def read_unit(self, path: Path, catalog_path: Path, unit: etree._Element, message: Message) -> None:
        data = {item.get('id'): text_of_data(item) for item in unit.iter(f'{X}data')}
        parts = [child for child in unit if child.tag in (f'{X}segment', f'{X}ignorable')]
        problems_before = len(self.problems)
        source = ''.join(self.flatten(path, part.find(f'{X}source'), data, None) for part in parts)
        if len(self.problems) > problems_before:
            return
        if source != message.id:
            self.problem(path, unit.sourceline, f'the source text was changed: {difference(message.id, source)} '
                                                f'(the Japanese is the master\'s; only the target may change)')
            return
        segments = [part for part in parts if part.tag == f'{X}segment']
        targets = [part.find(f'{X}target') for part in parts]
        if all(target is None for target in targets):
            self.returned.append(Returned(path, unit.sourceline, catalog_path, message, None, 'initial', None))
            return
        missing = [segment for segment in segments if segment.find(f'{X}target') is None]
        if missing:
            self.problem(path, missing[0].sourceline, 'a segment of this unit has no target while others have: '
                                                      'translate it or leave the whole unit without a target')
            return
        required = [code for code in inline.codes(message.id) if code.required]
        used: list[str] = []
        text = ''
        for part, target in zip(parts, targets):
            element = target if target is not None else part.find(f'{X}source')
            text += self.flatten(path, element, data, used if target is not None else None)
        if len(self.problems) > problems_before:
            return
        kept = inline.codes(text)
        for code in required:
            count = sum(1 for other in kept if other == code)
            expected = sum(1 for other in required if other == code)
            if count < expected:
                self.problem(path, unit.sourceline, f'broken inline code: the target dropped {code.display!r} '
                                                    f'({code.raw}); it must stay in the translation')
                return
        duplicates = sorted({number for number in used if used.count(number) > 1})
        if duplicates:
            self.problem(path, unit.sourceline, f'broken inline code: code {duplicates[0]} appears twice in the target')
            return
        state = min((segment.get('state', 'initial') for segment in segments), key=STATES.index)
        self.returned.append(Returned(path, unit.sourceline, catalog_path, message, text, state, unit.get(BASE)))

    def flatten(self, path: Path, element: etree._Element | None, data: dict[str, str],
                used: list[str] | None) -> str:
        """The text of a source or target, inline codes replaced by their original data."""
        if element is None:
            return ''
        out = [element.text or '']
        for child in element:
            out.append(self.code(path, child, data, used))
            out.append(child.tail or '')
        return ''.join(out)

    def code(self, path: Path, child: etree._Element, data: dict[str, str], used: list[str] | None) -> str:
        tag = etree.QName(child).localname if isinstance(child.tag, str) else ''
        if used is not None and child.get('id'):
            used.append(child.get('id'))

        def data_of(attribute: str) -> str:
            key = child.get(attribute)
            if key not in data:
                self.problem(path, child.sourceline, f'broken inline code: <{tag} id="{child.get("id")}"> refers to '
                                                     f'{attribute}="{key}", which is not in the unit\'s originalData')
                return ''
            return data[key]

        if tag in ('ph', 'sc', 'ec'):
            return data_of('dataRef')
        if tag == 'pc':
            return data_of('dataRefStart') + self.flatten(path, child, data, used) + data_of('dataRefEnd')
        if tag == 'cp':
            return chr(int(child.get('hex'), 16))
        if tag == 'mrk':                     # an annotation a CAT tool added: its content is text
            return self.flatten(path, child, data, used)
        if tag in ('sm', 'em'):
            return ''
        self.problem(path, child.sourceline, f'broken inline code: <{tag}> is not an XLIFF inline element')
        return ''


def text_of_data(item: etree._Element) -> str:
    out = [item.text or '']
    for child in item:          # <cp hex="…"/>: a character XML cannot carry
        out.append(chr(int(child.get('hex'), 16)) + (child.tail or ''))
    return ''.join(out)


def difference(old: str, new: str) -> str:
    start = next((n for n, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
    return f'“…{old[max(0, start - 8):start + 12]}…” became “…{new[max(0, start - 8):start + 12]}…”'


@dataclass
class Outcome:
    updated: list[Path]                  # catalogs written
    changed: int                         # messages whose translation or state changed
    conflicts: list[tuple[Path, int, str]]
    warnings: list[str]


def merge(returned: list[Returned]) -> tuple[int, list[tuple[Path, int, str]], set[Path]]:
    changed, conflicts, touched = 0, [], set()
    for unit in returned:
        message = unit.message
        if unit.target is None:
            continue                     # nothing returned: nothing lost
        if unit.target == message.string and unit.state == state_of(message):
            continue
        exported_unchanged = unit.base is not None and unit.base == fingerprint(message)
        if exported_unchanged or not message.string or unit.target == message.string:
            message.string = unit.target
            set_state(message, unit.state)
        else:
            old = message.string
            message.string = unit.target
            set_state(message, 'initial')
            message.user_comments = [*message.user_comments, BEFORE_IMPORT + ' '.join(old.split())]
            conflicts.append((unit.path, unit.line, 'the catalog\'s translation changed since the export: the '
                              'returned one is in, fuzzy, and the catalog\'s is kept as a “# before import:” comment'))
        changed += 1
        touched.add(unit.catalog)
    return changed, conflicts, touched


def import_files(project: Project, files: list[Path]) -> Outcome:
    """Merge returned XLIFF files into the catalogs, or raise ExchangeError and write nothing."""
    from taiyaku.catalogs import atomic_write

    reader = Reader(project)
    for path in files:
        reader.read(Path(path))
    if reader.problems:
        raise ExchangeError(reader.problems)
    changed, conflicts, touched = merge(reader.returned)
    outputs = {path: render(reader.catalogs[path]) for path in sorted(touched)}
    outputs = {path: data for path, data in outputs.items() if data != path.read_bytes()}
    problems, warnings = check(project, outputs, reader.returned)
    if problems:
        raise ExchangeError(problems)
    for path, data in outputs.items():
        atomic_write(path, data)
    return Outcome(sorted(outputs), changed, conflicts, warnings)


def check(project: Project, outputs: dict[Path, bytes], returned: list[Returned]):
    """check-po on the merged catalogs; a finding is reported at the unit that brought it."""
    problems, warnings = [], []
    units = {(unit.catalog, unit.message.id): unit for unit in returned}
    locale = project.locale.resolve()
    with tempfile.TemporaryDirectory(prefix='taiyaku-import-') as folder:
        for number, (path, data) in enumerate(outputs.items()):
            language = path.relative_to(locale).parts[0]
            merged = Path(folder) / f'{number}.po'
            merged.write_bytes(data)
            loaded, _ = qa.load_catalog(merged, language)
            msgids = {entry.line: entry.msgid for entry in loaded.entries} if loaded else {}
            for finding in qa.check_files([merged], project, language):
                if finding.check == 'orphans':          # the merged copy lives outside locale/
                    continue
                unit = units.get((path, msgids.get(finding.line)))
                where = (unit.path, unit.line) if unit else (path, finding.line)
                text = f'[{finding.check}] {finding.message} ({shown(path, project.root)})'
                if finding.severity is qa.ERROR:
                    problems.append((*where, text))
                elif unit is not None and finding.check != 'completeness':
                    warnings.append(f'{shown(where[0], Path.cwd())}:{where[1]}: {text}')
    return problems, warnings
