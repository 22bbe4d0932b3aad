"""A PDF's text layer as glyphs: each character with its box, baseline origin, font and
size, page by page; and the boxes drawn on each page (frames, rules, images).

Read with PDFium (pypdfium2): of the candidates measured (importer/PDF.md) it is the
fastest that gives every character's box and font size, decodes the CID fonts upLaTeX
writes (HaranoAji, Identity-H, no ToUnicode map) as poppler and pdfminer.six do, and
tells the spaces it generated from the characters the PDF holds. A PDF with no text
layer, an encrypted or a damaged one is refused with one line and the file named.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field

from taiyaku.importer.errors import ImportFailure


@dataclass(slots=True)
class Glyph:
    char: str
    x0: float          # the glyph's advance box (origin to origin + advance), in points, y upwards
    y0: float
    x1: float
    y1: float
    oy: float          # the baseline
    size: float        # font size in points
    font: str
    order: int = 0     # its place in the order the page draws its glyphs

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass
class Page:
    number: int        # 1-based
    width: float
    height: float
    glyphs: list[Glyph] = field(default_factory=list)
    frames: list[tuple[float, float, float, float]] = field(default_factory=list)   # x0, y0, x1, y1
    images: int = 0
    rules: list[tuple[float, float, float]] = field(default_factory=list)   # thin upright rules: x, y0, y1
    keys: list[tuple[float, float, float, float]] = field(default_factory=list)   # small boxes (a legend's keys)


def small_shapes(page: Page, shapes: list[tuple[float, float, float, float]]) -> None:
    """The hairlines that mark a place in a line (where a page of the original begins)
    and the small filled boxes a chart's legend sets before its items."""
    for x0, y0, x1, y1 in shapes:
        width, height = x1 - x0, y1 - y0
        if width < 1.5 and 3 < height < 30:
            page.rules.append(((x0 + x1) / 2, y0, y1))
        elif 3 <= width <= 25 and 2 <= height <= 15:
            page.keys.append((x0, y0, x1, y1))


def frames(shapes: list[tuple[float, float, float, float]], touch: float = 1.0) -> list[tuple[float, float, float, float]]:
    """Boxes at least 20 pt each way: images and filled or stroked rectangles, and the
    frames LaTeX draws as four rules (\\fbox), whose rules touch one another."""
    groups: list[list[float]] = []
    for x0, y0, x1, y1 in sorted(shapes):
        for group in groups:
            if x0 <= group[2] + touch and group[0] - touch <= x1 and y0 <= group[3] + touch and group[1] - touch <= y1:
                group[:] = [min(group[0], x0), min(group[1], y0), max(group[2], x1), max(group[3], y1)]
                break
        else:
            groups.append([x0, y0, x1, y1])
    return [tuple(g) for g in groups if g[2] - g[0] > 20 and g[3] - g[1] > 20]


GENERATED_KINDS = ' \r\n'


def page_text(raw, handle, count: int) -> str:
    """The page's characters, one per character index, in one call (UTF-16 from PDFium)."""
    buffer = ctypes.create_string_buffer((count + 1) * 2)
    written = raw.FPDFText_GetText(handle, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[:max(written - 1, 0) * 2].decode('utf-16-le', errors='replace')
    if len(text) != count:            # characters outside the BMP: one index, two UTF-16 units
        text = ''.join(chr(raw.FPDFText_GetUnicode(handle, i)) for i in range(count))
    return text


def read(data: bytes, name: str) -> list[Page]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, 'err_code', None)
        if code == raw.FPDF_ERR_PASSWORD:
            raise ImportFailure(name, 'the PDF is encrypted (it asks for a password): remove the protection, '
                                      'or import a text extraction made by someone who may read it') from None
        if code == raw.FPDF_ERR_SECURITY:
            raise ImportFailure(name, 'the PDF uses a protection PDFium cannot open') from None
        raise ImportFailure(name, 'the PDF is damaged and cannot be read (PDFium: '
                                  f'{str(exc).strip() or "format error"})') from None
    pages = []
    try:
        box = raw.FS_RECTF()
        origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
        buffer = ctypes.create_string_buffer(128)
        flags = ctypes.c_int()
        fonts: dict[bytes, str] = {}
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()
            result = Page(index + 1, width, height)
            textpage = page.get_textpage()
            handle = textpage.raw
            count = raw.FPDFText_CountChars(handle)
            chars = page_text(raw, handle, count)
            current, font, size = None, '', 0.0
            for i, char in enumerate(chars):
                if char in GENERATED_KINDS and raw.FPDFText_IsGenerated(handle, i) == 1:
                    continue          # a space or line break PDFium made up, not the PDF's
                if char in '\r\n\x00\ufffe\uffff':
                    continue
                obj = raw.FPDFText_GetTextObject(handle, i)
                key = ctypes.cast(obj, ctypes.c_void_p).value
                if key != current:    # a text object's glyphs share their font and size
                    current = key
                    raw.FPDFText_GetFontInfo(handle, i, buffer, 128, flags)
                    font = fonts.get(buffer.value)
                    if font is None:
                        font = fonts[buffer.value] = buffer.value.decode('latin-1').split('+')[-1]
                    size = raw.FPDFText_GetFontSize(handle, i)
                raw.FPDFText_GetLooseCharBox(handle, i, box)
                raw.FPDFText_GetCharOrigin(handle, i, origin_x, origin_y)
                result.glyphs.append(Glyph(char, box.left, box.bottom, box.right, box.top, origin_y.value,
                                           size, font, len(result.glyphs)))
            shapes, paths = [], []
            for obj in page.get_objects(filter=(raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE), max_depth=2):
                if obj.type == raw.FPDF_PAGEOBJ_IMAGE:
                    result.images += 1
                else:
                    paths.append(obj.get_bounds())
                shapes.append(obj.get_bounds())
            result.frames = frames(shapes)
            small_shapes(result, paths)
            textpage.close()
            page.close()
            pages.append(result)
    except pdfium.PdfiumError as exc:
        raise ImportFailure(name, f'the PDF is damaged and cannot be read (PDFium: {exc})') from None
    finally:
        document.close()
    if not any(page.glyphs for page in pages):
        images = sum(page.images for page in pages)
        what = f'{len(pages)} page(s)' + (f' of images ({images})' if images else '')
        raise ImportFailure(name, f'the PDF has no text layer ({what}): a scan must go through OCR first')
    return pages
