"""The PDF glyph readers the importer could use, measured side by side (importer/PDF.md):
time to read every character with its box and size, and whether they agree on the text.

    .venv/bin/python tests/corpus/readers.py build/pdf/ja/bluebook-2011-ch2-sec5-ja.pdf build/bench-import/book-100.pdf
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))


def pdfium(path: Path) -> str:
    from taiyaku.importer import glyphs
    return ''.join(g.char for page in glyphs.read(path.read_bytes(), str(path)) for g in page.glyphs)


def pdfminer(path: Path) -> str:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar
    chars = []

    def walk(node):
        for child in node:
            if isinstance(child, LTChar):
                chars.append((child.get_text(), child.bbox, child.size, child.fontname))
            elif hasattr(child, '__iter__'):
                walk(child)
    for page in extract_pages(str(path)):
        walk(page)
    return ''.join(c[0] for c in chars)


def poppler(path: Path) -> str:
    import re
    out = subprocess.run(['pdftotext', '-bbox-layout', str(path), '-'], capture_output=True, text=True, check=True).stdout
    return ''.join(re.findall(r'<word [^>]*>([^<]*)</word>', out))


def main(paths: list[str]) -> int:
    for name in paths:
        path = Path(name)
        found = {}
        for reader in (pdfium, pdfminer, poppler):
            start = time.perf_counter()
            text = reader(path)
            found[reader.__name__] = (time.perf_counter() - start, Counter(c for c in text if not c.isspace()))
        base = found['pdfium'][1]
        for reader, (seconds, chars) in found.items():
            differ = sum(((chars - base) + (base - chars)).values())
            print(f'{path.name}: {reader:9} {seconds:6.2f} s  {sum(chars.values()):7,} characters  '
                  f'{differ} differ from PDFium')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
