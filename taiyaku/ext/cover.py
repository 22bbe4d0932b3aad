"""The e-book's cover: an image made at build time from the book's title and edition.

The original's cover is not reproduced (nor any of its pictures), so the cover is
typographic: the title, the section, the edition and the publisher in the book's
language — in the parallel edition both languages — on the Bluebook's blue. Reading
systems and library catalogues show it as the book's thumbnail; the cover page gives
the same words as the image's text alternative.

The image is the same, byte for byte, on every rebuild of an edition: one font file
(Noto Sans CJK JP, Debian's fonts-noto-cjk), Pillow's basic layout engine (FreeType
alone, no system shaping library that could differ between machines), and a PNG with
no timestamp or other metadata.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

WIDTH, HEIGHT = 1600, 2400          # 2:3, the proportion retailers ask for
MARGIN = 140
BLUE, PAPER, LIGHT = (31, 78, 140), (247, 245, 239), (201, 215, 236)
FONT_FILES = {'bold': Path('/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc'),
              'regular': Path('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc')}
FONT_FAMILY = 'Noto Sans CJK JP'

# JIS X 4051 line-breaking rules, the common core: no line starts or ends with these
NO_LINE_START = set('、。，．・：；？！ー）」』】〕〉》…‥々ゝゞぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ,.:;!?)]')
NO_LINE_END = set('（「『【〔〈《([')
CJK = re.compile(r'[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]')


class CoverError(RuntimeError):
    """What the machine lacks to draw the cover, and how to get it."""


@dataclass
class CoverText:
    """The words on the cover, each block in one language (or several, for the parallel edition)."""

    title: str
    subtitle: str
    edition: str
    publisher: str
    translation: list[str] = field(default_factory=list)    # the parallel edition: its other language's title lines
    badge: str = ''                                          # the parallel edition: 対訳版 / Parallel-text edition

    def alternative(self, separator: str = '　') -> str:
        """The cover's words as one text, for the image's alt attribute."""
        parts = (self.title, self.subtitle, *self.translation, self.badge, self.edition, self.publisher)
        return separator.join(line for part in parts for line in part.split('\n') if line)


def font(weight: str, size: int):
    from PIL import ImageFont

    path = FONT_FILES[weight]
    if not path.is_file():
        raise CoverError(f'the EPUB cover needs the font {FONT_FAMILY} ({path}): install the Debian package '
                         f'fonts-noto-cjk (make setup does)')
    for index in range(16):      # a collection: Japanese, Korean, Simplified and Traditional Chinese faces
        try:
            face = ImageFont.truetype(str(path), size, index=index, layout_engine=ImageFont.Layout.BASIC)
        except OSError:
            break
        if face.getname()[0] == FONT_FAMILY:
            return face
    raise CoverError(f'{path} holds no {FONT_FAMILY} face')


# -- line breaking -----------------------------------------------------------------------

def tokens(text: str) -> list[str]:
    """Words of Latin text (with the space that follows), single CJK characters, spaces."""
    return re.findall(r'[\u3000 ]|' + CJK.pattern + r'|[^\u3000 \u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+ ?',
                      text)


def break_penalty(before: str, after: str | None) -> float | None:
    """The cost of a line break between two tokens; None where the rules forbid one."""
    if after is None:
        return 0.0
    if after[0] in NO_LINE_START or before[-1] in NO_LINE_END:
        return None
    if before in ('\u3000', ' ') or before.endswith((': ', ', ')):
        return 0.0
    if before.endswith(' '):
        return 0.2
    if before[-1] in '、，,':
        return 0.5
    if CJK.match(before[-1]) and CJK.match(after[0]):
        return 1.5                   # between two characters of a word: the last resort
    return None                      # inside a Latin word


def wrap(text: str, face, width: int) -> list[str] | None:
    """The text in the fewest lines that fit ``width``, breaking where Japanese and English
    typography would (best fit over the whole text, not line by line); None if a token
    alone is too wide."""
    parts = tokens(text)
    count = len(parts)

    def measure(start: int, end: int) -> float:
        return face.getlength(''.join(parts[start:end]).strip('\u3000 '))

    best: list[tuple[float, int] | None] = [None] * (count + 1)
    best[0] = (0.0, -1)
    for end in range(1, count + 1):
        penalty = break_penalty(parts[end - 1], parts[end] if end < count else None)
        if penalty is None:
            continue
        for start in range(end - 1, -1, -1):
            if best[start] is None:
                continue
            length = measure(start, end)
            if length > width:
                break
            slack = 0.0 if end == count else ((width - length) / width) ** 2
            cost = best[start][0] + 10 + penalty + slack       # 10 per line: the fewest lines first
            if best[end] is None or cost < best[end][0]:
                best[end] = (cost, start)
    if best[count] is None:
        return None
    lines, end = [], count
    while end > 0:
        start = best[end][1]
        lines.append(''.join(parts[start:end]).strip('\u3000 '))
        end = start
    return lines[::-1]


def fit(text: str, weight: str, largest: int, smallest: int, width: int, max_lines: int):
    """The largest size (stepping down) at which the text fits in ``max_lines`` lines."""
    for size in range(largest, smallest - 1, -4):
        face = font(weight, size)
        lines = wrap(text, face, width)
        if lines is not None and len(lines) <= max_lines:
            return face, size, lines
    face = font(weight, smallest)
    return face, smallest, wrap(text, face, width) or [text]


# -- drawing ---------------------------------------------------------------------------------

def draw_block(draw, text: str, y: float, colour, weight: str, largest: int, smallest: int,
               max_lines: int, leading: float = 1.35) -> float:
    """Set a block of text from ``y`` down (a newline starts a new line); return the y below
    it: the next line's place, or the ink's bottom if a glyph reaches lower."""
    bottom = y
    for paragraph in filter(None, text.split('\n')):
        face, size, lines = fit(paragraph, weight, largest, smallest, WIDTH - 2 * MARGIN, max_lines)
        for line in lines:
            draw.text((MARGIN, y), line, font=face, fill=colour)
            bottom = max(bottom, draw.textbbox((MARGIN, y), line, font=face)[3])
            y += size * leading
    return max(y, bottom)


def block_height(text: str, weight: str, largest: int, smallest: int, max_lines: int, leading: float) -> float:
    height = 0.0
    for paragraph in filter(None, text.split('\n')):
        _, size, lines = fit(paragraph, weight, largest, smallest, WIDTH - 2 * MARGIN, max_lines)
        height += size * leading * len(lines)
    return height


def render(text: CoverText) -> bytes:
    """The cover as PNG bytes."""
    try:
        from PIL import Image, ImageDraw
    except ImportError:
        raise CoverError('the EPUB cover is drawn with Pillow, which is not installed: run make setup') from None

    image = Image.new('RGB', (WIDTH, HEIGHT), BLUE)
    draw = ImageDraw.Draw(image)
    fold = int(HEIGHT * 0.72)                       # blue above, paper below
    draw.rectangle((0, fold, WIDTH, HEIGHT), fill=PAPER)
    draw.rectangle((0, fold, WIDTH, fold + 14), fill=LIGHT)

    y = draw_block(draw, text.title, MARGIN + 90, (255, 255, 255), 'bold', 200, 120, 2, leading=1.2)
    draw.rectangle((MARGIN, y + 40, MARGIN + 220, y + 52), fill=(255, 255, 255))
    y = draw_block(draw, text.subtitle, y + 110, (255, 255, 255), 'regular', 84, 56, 3, leading=1.45)
    for line in text.translation:
        y = draw_block(draw, line, y + 40, LIGHT, 'regular', 60, 40, 3, leading=1.3)
    if text.badge:
        face, size, lines = fit(text.badge, 'bold', 54, 36, WIDTH - 2 * MARGIN - 80, 1)
        top = min(y + 70, fold - size - 130)
        box = (MARGIN, top, MARGIN + face.getlength(lines[0]) + 64, top + size + 44)
        draw.rounded_rectangle(box, radius=18, outline=(255, 255, 255), width=4)
        draw.text((MARGIN + 32, top + 14), lines[0], font=face, fill=(255, 255, 255))

    draw_block(draw, text.edition, fold + 130, BLUE, 'regular', 60, 40, 2, leading=1.4)
    bottom = HEIGHT - MARGIN - block_height(text.publisher, 'bold', 76, 44, 2, 1.3)
    draw_block(draw, text.publisher, bottom, BLUE, 'bold', 76, 44, 2, leading=1.3)

    out = io.BytesIO()
    image.save(out, format='PNG', optimize=True)    # no tIME, no text chunks: the same bytes every time
    return out.getvalue()
