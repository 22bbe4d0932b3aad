"""Every edition's translations as one TMX 1.4b translation memory: ``make export-tmx``.

One ``<tu>`` per distinct pair of Japanese source and English translation, in the order the
editions first published it; ``<prop type="x-edition">`` names each edition that carries
it, ``x-document`` its catalog, a ``<note>`` where the master has it; ``creationdate`` is
the date of the first edition with it, ``changedate`` of the last. Only real translations
go in (not empty, not fuzzy). The rst a translator must not break is inline markup, as in
XLIFF: ``<ph>`` for references, roles and the original's page, ``<bpt>``/``<ept>`` around a
ruby base. The editions come from ``taiyaku.exchange.history``; an edition whose commit
this repository cannot reach is named in the summary, not silently skipped.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from taiyaku import __version__
from taiyaku.exchange import history, inline, schemas
from taiyaku.exchange.xliff import ExchangeError, catalog_name, indent, messages
from taiyaku.memory import usable
from taiyaku.project import MASTER_LANGUAGE, Project

XML_LANG = '{http://www.w3.org/XML/1998/namespace}lang'
DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'


def stamp(date: datetime.date) -> str:
    return f'{date:%Y%m%d}T000000Z'


@dataclass
class Unit:
    source: str
    target: str
    documents: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    editions: list[history.editions_module.Edition] = field(default_factory=list)


def write_seg(seg: etree._Element, text: str) -> None:
    last = None

    def add_text(value: str) -> None:
        if last is None:
            seg.text = (seg.text or '') + value
        else:
            last.tail = (last.tail or '') + value

    for number, part in enumerate(inline.split(text), start=1):
        if isinstance(part, str):
            add_text(part)
        elif part.paired:
            etree.SubElement(seg, 'bpt', i=str(number), type='ruby').text = part.start
            last = seg[-1]
            add_text(part.base)
            etree.SubElement(seg, 'ept', i=str(number)).text = part.end
            last = seg[-1]
        else:
            etree.SubElement(seg, 'ph', x=str(number), type=part.kind).text = part.raw
            last = seg[-1]


def collect(project: Project, language: str) -> tuple[list[Unit], list[history.EditionCatalogs]]:
    units: dict[tuple[str, str], Unit] = {}
    found = history.edition_catalogs(project, language)
    for edition in found:
        for origin, catalog in edition.catalogs:
            path = Path(origin)
            name = path.relative_to(f'locale/{language}/LC_MESSAGES').as_posix() if edition.ref else \
                catalog_name(project, language, project.root / path)
            for message in messages(catalog):
                if not usable(message):
                    continue
                unit = units.setdefault((message.id, message.string), Unit(message.id, message.string))
                if edition.edition not in unit.editions:
                    unit.editions.append(edition.edition)
                if name not in unit.documents:
                    unit.documents.append(name)
                for where, line in message.locations:
                    location = f'{where.removeprefix("../../")}:{line}'
                    if location not in unit.locations:
                        unit.locations.append(location)
    return list(units.values()), found


def document_for(project: Project, language: str, units: list[Unit], current) -> etree._ElementTree:
    root = etree.Element('tmx', version='1.4')
    etree.SubElement(root, 'header', creationtool='taiyaku', creationtoolversion=__version__,
                     segtype='paragraph', **{'o-tmf': 'gettext PO'}, adminlang='en', srclang=MASTER_LANGUAGE,
                     datatype='x-rst', creationdate=stamp(current.date))
    body = etree.SubElement(root, 'body')
    for number, unit in enumerate(units, start=1):
        tu = etree.SubElement(body, 'tu', tuid=f'{number}', creationdate=stamp(unit.editions[0].date),
                              changedate=stamp(unit.editions[-1].date))
        for location in unit.locations:
            etree.SubElement(tu, 'note').text = location
        for edition in unit.editions:
            etree.SubElement(tu, 'prop', type='x-edition').text = edition.id
        for document in unit.documents:
            etree.SubElement(tu, 'prop', type='x-document').text = document
        for lang, text in ((MASTER_LANGUAGE, unit.source), (language, unit.target)):
            tuv = etree.SubElement(tu, 'tuv')
            tuv.set(XML_LANG, lang)
            write_seg(etree.SubElement(tuv, 'seg'), text)
    indent(root, {'tmx', 'body', 'tu', 'tuv'})
    return etree.ElementTree(root)


def export(project: Project, language: str, out: Path) -> str:
    from taiyaku.catalogs import atomic_write

    units, editions = collect(project, language)
    document = document_for(project, language, units, editions[-1].edition)
    problems = [(out, line, f'the TMX is not valid TMX 1.4b: {message}') for line, message in schemas.validate_tmx(document)]
    if problems:
        raise ExchangeError(problems)
    data = etree.tostring(document, xml_declaration=True, encoding='UTF-8', doctype=DOCTYPE) + b'\n'
    atomic_write(out, data)
    parts = [f'{edition.edition.id}: {len(edition.catalogs)} catalog(s)' if edition.reachable else
             f'{edition.edition.id}: not in this repository (no commit {edition.ref})' for edition in editions]
    return f'{len(units)} translation unit(s), ja → {language}; editions {"; ".join(parts)}'
