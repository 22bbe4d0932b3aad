"""Validation against the official schemas committed beside this file (README.md says whence).

Each validator returns the problems as ``(line, message)``, empty when the document is
valid: XLIFF 2.1 against the OASIS core XSD, TMX 1.4b against the LISA DTD, TBX-Basic
against the ISO 30042 core RELAX NG schema and the dialect's Schematron rules.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from lxml import etree, isoschematron

HERE = Path(__file__).parent
XLIFF_CORE = HERE / 'xliff-2.1' / 'xliff_core_2.0.xsd'
TMX_DTD = HERE / 'tmx-1.4b' / 'tmx14.dtd'
TBX_CORE = HERE / 'tbx' / 'TBXcoreStructV03.rng'
TBX_BASIC = HERE / 'tbx' / 'TBX-Basic_DCA.sch'

Problems = list[tuple[int, str]]


def _log(log) -> Problems:
    return [(entry.line, entry.message) for entry in log]


@cache
def xliff_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XLIFF_CORE)))


@cache
def tmx_dtd() -> etree.DTD:
    return etree.DTD(str(TMX_DTD))


@cache
def tbx_core() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(TBX_CORE)))


SAXON = Path('/usr/share/java/Saxon-HE.jar')       # Debian's libsaxonhe-java (epubcheck's own dependency)


@cache
def tbx_basic_xslt() -> bytes:
    """The TBX-Basic Schematron compiled to an SVRL-reporting stylesheet.

    The rules are XPath 2 (``./local-name()``, ``matches()``), so they run in Saxon, an
    XSLT 2 processor; lxml's ISO Schematron pipeline only compiles them (its skeleton
    writes the same stylesheet for either binding, so the binding is read as ``xslt``).
    """
    document = etree.parse(str(TBX_BASIC))
    document.getroot().set('queryBinding', 'xslt')
    document = isoschematron.iso_dsdl_include(document)
    document = isoschematron.iso_abstract_expand(document)
    return etree.tostring(isoschematron.iso_svrl_for_xslt1(document))


def run_schematron(document: etree._ElementTree) -> Problems:
    if not SAXON.is_file() or shutil.which('java') is None:
        return [(0, f'cannot check the TBX-Basic rules: Saxon ({SAXON}) or java is missing; run make setup')]
    with tempfile.TemporaryDirectory(prefix='taiyaku-tbx-') as folder:
        rules, instance = Path(folder) / 'rules.xsl', Path(folder) / 'file.tbx'
        rules.write_bytes(tbx_basic_xslt())
        instance.write_bytes(etree.tostring(document, xml_declaration=True, encoding='UTF-8'))
        result = subprocess.run(['java', '-cp', str(SAXON), 'net.sf.saxon.Transform', f'-s:{instance}',
                                 f'-xsl:{rules}'], capture_output=True)
    if result.returncode != 0:
        return [(0, f'the TBX-Basic rules did not run: {result.stderr.decode(errors="replace").strip()[:500]}')]
    report = etree.fromstring(result.stdout)
    problems = []
    for failed in report.iter('{http://purl.oclc.org/dsdl/svrl}failed-assert'):
        text = ' '.join(''.join(failed.itertext()).split())
        problems.append((0, f'{failed.get("location")}: {text}'))
    return problems


def validate_xliff(document: etree._ElementTree) -> Problems:
    schema = xliff_schema()
    return [] if schema.validate(document) else _log(schema.error_log)


def validate_tmx(document: etree._ElementTree) -> Problems:
    dtd = tmx_dtd()
    return [] if dtd.validate(document) else _log(dtd.error_log)


def validate_tbx(document: etree._ElementTree) -> Problems:
    problems = [] if tbx_core().validate(document) else _log(tbx_core().error_log)
    return problems + run_schematron(document)
