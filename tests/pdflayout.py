"""Measuring a PDF the way a reader sees it: poppler's words and lines with their boxes
(``pdftotext -bbox-layout``), pdf.js's text runs with their font sizes, pdftoppm's pixels.

Coordinates are PDF points from the top left corner of the page.
"""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
PDFJS_SCRIPT = Path(__file__).with_name('pdfjs_text.mjs')
MM = 72 / 25.4
# taiyaku-common.sty: the text block, 24 mm from the top and the bottom of the A4 page
PAGE_HEIGHT = 841.89
TEXT_TOP, TEXT_BOTTOM = 24 * MM, PAGE_HEIGHT - 24 * MM


@dataclass(frozen=True)
class Box:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass
class Page:
    number: int                 # 1-based
    width: float
    height: float
    lines: list[Box]
    words: list[Box]

    def body_lines(self) -> list[Box]:
        """The lines of the text block: not the running head above it or the folio below."""
        return [line for line in self.lines if line.y0 >= TEXT_TOP - 2 and line.y1 <= TEXT_BOTTOM + 2]

    def foot_words(self) -> list[Box]:
        return [word for word in self.words if word.y0 > TEXT_BOTTOM + 2]

    def text(self) -> str:
        return ''.join(line.text for line in self.lines)

    def visual_lines(self, small: float = 6.0) -> list[Box]:
        """The words as a reader groups them into lines: on one baseline, and on one side of
        the page's centre unless a word of the line crosses it (a title, a footnote) or the
        two halves meet there (a line of the contents); words smaller than ``small`` (ruby
        readings, the margin marks, raised numbers) left out."""
        centre = self.width / 2
        words = sorted((w for w in self.words if w.height > small), key=lambda w: (w.y1, w.x0))

        def rows(side: list[Box]) -> list[list[Box]]:
            found: list[list[Box]] = []
            for word in side:
                row = next((r for r in found if abs(sum(w.y1 for w in r) / len(r) - word.y1) < 3), None)
                found.append([word]) if row is None else row.append(word)
            return found

        def mean(row: list[Box]) -> float:
            return sum(w.y1 for w in row) / len(row)

        left = rows([w for w in words if w.x1 <= centre + 2])
        right = rows([w for w in words if w.x0 >= centre - 2 and w.x1 > centre + 2])
        lines: list[list[Box]] = []
        for crossing in rows([w for w in words if w.x0 < centre - 2 and w.x1 > centre + 2]):
            for side in (left, right):
                for row in [r for r in side if abs(mean(r) - mean(crossing)) < 3]:
                    crossing += row
                    side.remove(row)
            lines.append(crossing)
        for row in left:
            partner = next((r for r in right if abs(mean(r) - mean(row)) < 3
                            and min(w.x0 for w in r) - max(w.x1 for w in row) < 8), None)
            if partner:
                right.remove(partner)
                row = row + partner
            lines.append(row)
        lines += right
        boxes = []
        for row in lines:
            row.sort(key=lambda w: w.x0)
            boxes.append(Box(''.join(w.text for w in row), min(w.x0 for w in row), min(w.y0 for w in row),
                             max(w.x1 for w in row), max(w.y1 for w in row)))
        return sorted(boxes, key=lambda line: (line.y1, line.x0))


def _box(element, text: str) -> Box:
    return Box(text, *(float(element.get(key)) for key in ('xMin', 'yMin', 'xMax', 'yMax')))


@cache
def layout(pdf: Path) -> list[Page]:
    """Every page's lines and words, from ``pdftotext -bbox-layout``."""
    xhtml = subprocess.run(['pdftotext', '-bbox-layout', str(pdf), '-'], capture_output=True, text=True,
                           check=True).stdout
    xhtml = re.sub(r'<!DOCTYPE[^>]*>', '', xhtml).replace(' xmlns="http://www.w3.org/1999/xhtml"', '')
    pages = []
    for number, page in enumerate(ElementTree.fromstring(xhtml).iter('page'), start=1):
        lines, words = [], []
        for line in page.iter('line'):
            line_words = [_box(word, word.text or '') for word in line.iter('word')]
            words += line_words
            lines.append(_box(line, ''.join(word.text for word in line_words)))
        pages.append(Page(number, float(page.get('width')), float(page.get('height')), lines, words))
    return pages


@cache
def pdfjs(pdf: Path) -> list[dict]:
    """pdf.js's text runs, page by page: [{width, height, items: [{str, x, y, width, size}]}]."""
    result = subprocess.run(['node', str(PDFJS_SCRIPT), str(pdf)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, f'pdf.js (pdfjs-dist) could not read {pdf}:\n{result.stderr}'
    return json.loads(result.stdout)


def page_labels(pdf: Path) -> list[str]:
    return list(PdfReader(pdf).page_labels)


def outline_pages(pdf: Path) -> list[tuple[str, int]]:
    """(bookmark title, 1-based page) for every bookmark, depth first."""
    reader = PdfReader(pdf)
    found = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((item.title, reader.get_destination_page_number(item) + 1))
    walk(reader.outline)
    return found


def body_pages(pdf: Path, apparatus_titles: tuple[str, ...]) -> range:
    """The pages of the publication's text: from the first page numbered 1 to the page
    before the first apparatus page (the changes page)."""
    labels = page_labels(pdf)
    first = labels.index('1') + 1
    starts = [page for title, page in outline_pages(pdf) if any(title.startswith(t) for t in apparatus_titles)]
    return range(first, min(starts))


def render(pdf: Path, page: int, dpi: int = 30, colour: bool = False) -> tuple[int, int, int, bytes]:
    """pdftoppm's rendering of one page: (width, height, channels, pixels)."""
    mode = [] if colour else ['-gray']
    data = subprocess.run(['pdftoppm', *mode, '-r', str(dpi), '-f', str(page), '-l', str(page), str(pdf)],
                          capture_output=True, check=True).stdout
    header = re.match(rb'(P[56])\s+(\d+)\s+(\d+)\s+(\d+)\s', data)
    assert header, f'pdftoppm gave no image for page {page} of {pdf}'
    width, height = int(header[2]), int(header[3])
    return width, height, 3 if header[1] == b'P6' else 1, data[header.end():]


def normalised(text: str, latin: bool = False) -> str:
    """Text without white space; in Latin text also without ligatures and end-of-line hyphens."""
    text = re.sub(r'\s+', '', text)
    if latin:
        text = unicodedata.normalize('NFKC', text).replace('-', '').replace('\u2010', '')
    return text
