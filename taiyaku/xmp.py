"""The XMP metadata packet of a PDF, from its document information.

Libraries, repositories and PDF/A checkers read a PDF's XMP packet rather than its Info
dictionary. The print styles put everything the packet says into the Info dictionary
(hyperref: title, author, subject, keywords, dates, /Lang in the catalog, and taiyaku's own
keys Publisher, Rights, EditionID, DocumentID, InstanceID); this writes the packet from
there, in the incremental update of :mod:`taiyaku.pdffinish`. (hyperxmp, the LaTeX package
for it, spends three seconds a run on XeTeX setting up its 65,536-character tables.)
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from pypdf import PdfReader
from pypdf.generic import NameObject, StreamObject

PACKET = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="{lang}">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="{lang}">{subject}</rdf:li></rdf:Alt></dc:description>
   <dc:publisher><rdf:Bag><rdf:li>{publisher}</rdf:li></rdf:Bag></dc:publisher>
   <dc:rights><rdf:Alt><rdf:li xml:lang="{lang}">{rights}</rdf:li></rdf:Alt></dc:rights>
   <dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
   <dc:date><rdf:Seq><rdf:li>{date}</rdf:li></rdf:Seq></dc:date>
   <dc:subject><rdf:Bag><rdf:li>{keywords}</rdf:li></rdf:Bag></dc:subject>
   <pdf:Keywords>{keywords}</pdf:Keywords>
   <pdf:Producer>{producer}</pdf:Producer>
   <xmp:CreatorTool>{creator_tool}</xmp:CreatorTool>
   <xmp:CreateDate>{created}</xmp:CreateDate>
   <xmp:ModifyDate>{modified}</xmp:ModifyDate>
   <xmp:MetadataDate>{modified}</xmp:MetadataDate>
   <xmpMM:DocumentID>{document_id}</xmpMM:DocumentID>
   <xmpMM:InstanceID>{instance_id}</xmpMM:InstanceID>
   <xmpMM:VersionID>{edition}</xmpMM:VersionID>
   <xmpRights:Marked>True</xmpRights:Marked>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def xmp_date(pdf_date: str) -> str:
    """D:20261126000000Z → 2026-11-26T00:00:00Z."""
    digits = pdf_date.removeprefix('D:')
    return f'{digits[0:4]}-{digits[4:6]}-{digits[6:8]}T{digits[8:10]}:{digits[10:12]}:{digits[12:14]}Z'


def packet(info: dict[str, str], language: str) -> bytes:
    def field(key: str) -> str:
        return escape(str(info.get(key, '')).strip())
    created = xmp_date(str(info.get('/CreationDate', 'D:19700101000000Z')))
    modified = xmp_date(str(info.get('/ModDate', info.get('/CreationDate', 'D:19700101000000Z'))))
    return PACKET.format(lang=escape(language), title=field('/Title'), creator=field('/Author'),
                         subject=field('/Subject'), publisher=field('/Publisher'), rights=field('/Rights'),
                         date=created[:10], keywords=field('/Keywords'), producer=field('/Producer'),
                         creator_tool=field('/Creator'), created=created, modified=modified,
                         document_id=field('/DocumentID'), instance_id=field('/InstanceID'),
                         edition=field('/EditionID')).encode('utf-8')


def add_metadata(reader: PdfReader, update) -> bool:
    """Give the catalog its /Metadata stream, in the incremental ``update``
    (:class:`taiyaku.pdffinish.IncrementalUpdate`), if it has none."""
    catalog = update.root_object
    if '/Metadata' in catalog or update.info is None:
        return False
    stream = StreamObject()
    stream.set_data(packet(dict(update.info), str(catalog.get('/Lang', ''))))
    stream[NameObject('/Type')] = NameObject('/Metadata')
    stream[NameObject('/Subtype')] = NameObject('/XML')
    catalog[NameObject('/Metadata')] = update.add_object(stream)
    return True
