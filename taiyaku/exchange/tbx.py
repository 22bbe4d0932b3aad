"""The glossary as TBX-Basic (ISO 30042:2019, DCA style): ``make export-glossary``.

One ``<conceptEntry>`` per source term of ``glossary.csv``: the Japanese term, and each
English rendering as its own ``<termSec>`` with its ``administrativeStatus`` — the first
approved form ``preferredTerm-admn-sts``, further approved forms (a later-mention form)
``admittedTerm-admn-sts``, a forbidden rendering ``deprecatedTerm-admn-sts`` — and the
row's explanation as a ``<note>``. CAT tools (Trados MultiTerm, memoQ, OmegaT) and
Weblate read TBX-Basic; the file is validated against the TBX core structure schema and
the TBX-Basic rules before it is written.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from taiyaku.exchange import schemas
from taiyaku.exchange.xliff import ExchangeError, indent
from taiyaku.project import MASTER_LANGUAGE
from taiyaku.glossary import Glossary, Term

NS = 'urn:iso:std:iso:30042:ed-2'
T = f'{{{NS}}}'
XML_LANG = '{http://www.w3.org/XML/1998/namespace}lang'
STRUCTURE = {f'{T}{name}' for name in ('tbx', 'tbxHeader', 'fileDesc', 'sourceDesc', 'text', 'body',
                                       'conceptEntry', 'langSec', 'termSec')}
PREFERRED, ADMITTED, DEPRECATED = 'preferredTerm-admn-sts', 'admittedTerm-admn-sts', 'deprecatedTerm-admn-sts'


def term_sec(parent: etree._Element, term: str, status: str | None = None, note: str = '') -> None:
    section = etree.SubElement(parent, f'{T}termSec')
    etree.SubElement(section, f'{T}term').text = term
    if status:
        etree.SubElement(section, f'{T}termNote', type='administrativeStatus').text = status
    if note:
        etree.SubElement(section, f'{T}note').text = note


def document_for(glossary: Glossary, language: str, source_name: str) -> etree._ElementTree:
    root = etree.Element(f'{T}tbx', nsmap={None: NS}, type='TBX-Basic', style='dca')
    root.set(XML_LANG, 'en')
    header = etree.SubElement(root, f'{T}tbxHeader')
    description = etree.SubElement(etree.SubElement(header, f'{T}fileDesc'), f'{T}sourceDesc')
    etree.SubElement(description, f'{T}p').text = (
        f'{source_name}: the taiyaku glossary, {MASTER_LANGUAGE} → {language}. A deprecated term is a '
        f'rendering the translation must not use.')
    body = etree.SubElement(etree.SubElement(root, f'{T}text'), f'{T}body')
    sources = list(dict.fromkeys([*glossary.terms, *glossary.forbidden]))
    for number, source in enumerate(sources, start=1):
        entry = etree.SubElement(body, f'{T}conceptEntry', id=f'c{number}')
        japanese = etree.SubElement(entry, f'{T}langSec')
        japanese.set(XML_LANG, MASTER_LANGUAGE)
        term_sec(japanese, source)
        english = etree.SubElement(entry, f'{T}langSec')
        english.set(XML_LANG, language)
        approved: tuple[Term, ...] = glossary.terms.get(source, ())
        for index, term in enumerate(approved):
            term_sec(english, term.target, PREFERRED if index == 0 else ADMITTED, term.explanation)
        for term in glossary.forbidden.get(source, ()):
            term_sec(english, term.target, DEPRECATED, term.explanation)
    indent(root, STRUCTURE)
    return etree.ElementTree(root)


def export(source: Path, language: str, out: Path) -> str:
    from taiyaku.catalogs import atomic_write

    glossary = Glossary.load(source)
    document = document_for(glossary, language, source.name)
    problems = [(out, line, f'the TBX is not valid TBX-Basic: {message}') for line, message in schemas.validate_tbx(document)]
    if problems:
        raise ExchangeError(problems)
    atomic_write(out, etree.tostring(document, xml_declaration=True, encoding='UTF-8') + b'\n')
    approved = sum(len(terms) for terms in glossary.terms.values())
    forbidden = sum(len(terms) for terms in glossary.forbidden.values())
    return (f'{len(set(glossary.terms) | set(glossary.forbidden))} concept(s), {approved} approved and '
            f'{forbidden} forbidden (deprecated) rendering(s), TBX-Basic')
