"""The PDF front end: glyphs into lines, lines into reading order, and what the page
shows about each line written down for the shared stages.

A PDF knows what a text extraction forgets: where each glyph stands and how big it is.
From that, line by line:

- **ruby**: a line of small kana just above a line of text; its base is the glyphs
  under it (one reading per base character when the readings stand apart over each);
- **footnote references**: small digits raised above the baseline inside a line;
  **footnote bodies**: small lines below the text of their column or page, each opened
  by its number;
- **furniture**: the lines above and below the text block (running heads, folios), the
  lines in the outer margin (the chapter tab), the title page, the table of contents and
  the publication's own apparatus pages (目次, 奥付, この版での変更);
- **headings**: lines larger than the text, or set in another face, on their own;
- **figures**: small lines beside a frame or an image are its caption (bulleted lines
  after it, or lines inside the frame each after a small box, its key: its legend);
  other text inside the frame belongs to the picture;
- **reading order**: columns are told apart by the gutter; each page is read band by
  band (a line across the gutter closes a band), column by column inside a band;
- **paragraphs**: a line indented from its column's edge, or after a short line or a
  heading, starts one; otherwise it goes on with the paragraph before it, across
  columns and pages, past footnotes and figures.

The result is a text (one line per line of the page, in reading order, made only of the
PDF's own characters) and a :class:`~taiyaku.importer.model.LineFacts` per line: the
same rows the text front end makes, with the layout's answers attached.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from taiyaku.importer.furniture import APPARATUS, LEADERS
from taiyaku.importer.glyphs import Glyph, Page
from taiyaku.importer.model import LineFacts
from taiyaku.importer.width import is_japanese_letter, is_kana, is_kanji, is_latin

MARK_CHARS = set('0123456789*†‡')
STRONG_FACES = ('Gothic', 'Bold', 'Heros', 'CMSS', 'CMBX', 'Sans', 'Black', 'Heavy')
MARGINS = ('running head', 'running foot', 'folio (page number)', 'chapter tab (vertical text in the outer margin)',
           'in the outer margin', "the original's page (its number in the margin)")
LOOKBACK = 8          # lines a glyph may go back to (text resumes after a ruby or a mark)


@dataclass
class Line:
    page: int
    glyphs: list[Glyph]
    raised: list[bool]
    baseline: float
    size: float                      # the line's em: its full-width glyphs' size (or its largest)
    role: str = 'text'
    reason: str = ''
    column: int = 1
    base: tuple | None = None        # for a reading: (base line, first, last glyph index, per-character parts)
    readings: list = field(default_factory=list)   # for a base line: the reading lines over it
    group: int = 0
    pages: list = field(default_factory=list)      # where a page of the original begins in it: (glyph, number)

    @property
    def text(self) -> str:
        return ''.join(g.char for g in self.glyphs)

    @property
    def x0(self) -> float:
        return self.glyphs[0].x0

    @property
    def x1(self) -> float:
        return self.glyphs[-1].x1

    @property
    def top(self) -> float:
        return self.baseline + 0.88 * self.size

    @property
    def bottom(self) -> float:
        return self.baseline - 0.12 * self.size

    @property
    def font(self) -> str:
        return Counter(g.font for g, up in zip(self.glyphs, self.raised) if not up).most_common(1)[0][0] \
            if not all(self.raised) else self.glyphs[0].font

    def accepts(self, glyph: Glyph) -> str:
        last = self.glyphs[-1]
        em = self.size
        gap = glyph.x0 - last.x1
        if gap < -0.6 * em or gap > 2.2 * em:      # 」。 squeezed together overlap
            return ''
        rise = glyph.oy - self.baseline
        opened = all(self.raised) or all(g.char in MARK_CHARS for g in self.glyphs)
        if opened and glyph.char in MARK_CHARS and abs(glyph.size - last.size) < 0.2 * last.size \
                and abs(rise) < 0.8 * glyph.size:
            return 'same'          # *1: a mark and its number (raised with them if larger text follows)
        if opened and glyph.size > 1.1 * last.size and -0.9 * glyph.size <= rise <= -0.15 * glyph.size:
            return 'rebase'        # a line opened by a raised number (a footnote's label): the text is lower
        if abs(rise) <= 0.2 * min(em, glyph.size) and glyph.size >= 0.7 * em:
            return 'same'
        if glyph.char in MARK_CHARS and glyph.size <= 0.85 * em and 0.15 * em <= rise <= 0.9 * em:
            return 'raised'
        if self.raised[-1] and last.char in MARK_CHARS and glyph.char in MARK_CHARS and abs(glyph.oy - last.oy) < 0.1 * em:
            return 'raised'
        return ''

    def add(self, glyph: Glyph, how: str) -> None:
        if how == 'rebase':
            self.baseline, self.size = glyph.oy, glyph.size
            self.raised = [True] * len(self.glyphs)
        self.glyphs.append(glyph)
        self.raised.append(how == 'raised')
        if how != 'raised' and glyph.size > self.size and not is_latin(glyph.char):
            self.size = glyph.size
        elif how != 'raised' and is_latin(self.glyphs[0].char) and not is_latin(glyph.char) and len(self.glyphs) <= 6:
            self.size = glyph.size      # a line that opens with digits: its em is its Japanese text's


def page_lines(page: Page) -> list[Line]:
    """Glyphs, in the order the PDF draws them, gathered into lines."""
    lines: list[Line] = []
    for glyph in page.glyphs:
        for line in reversed(lines[-LOOKBACK:]):
            how = line.accepts(glyph)
            if how:
                line.add(glyph, how)
                break
        else:
            lines.append(Line(page.number, [glyph], [False], glyph.oy, glyph.size))
    for line in lines:             # the em: the size of its full-width glyphs, or its largest
        sizes = Counter(round(g.size, 2) for g, up in zip(line.glyphs, line.raised) if not up and is_japanese_letter(g.char))
        line.size = sizes.most_common(1)[0][0] if sizes else max(g.size for g in line.glyphs)
    return lines


@dataclass
class Geometry:
    """The text block: its em, its face, its columns."""
    em: float
    face: str
    left: float
    right: float
    columns: int
    middle: float
    edges: dict = field(default_factory=dict)     # (page, column) → (left, right) of its text lines


def is_reading(line: Line, em: float) -> bool:
    return line.size <= 0.7 * em and all(is_kana(g.char) or g.char == 'ー' for g in line.glyphs)


def measure(pages: list[list[Line]]) -> Geometry:
    sizes: Counter[float] = Counter()
    faces: Counter[str] = Counter()
    for lines in pages:
        for line in lines:
            letters = sum(1 for g in line.glyphs if is_japanese_letter(g.char))
            if letters >= 5:
                sizes[round(line.size, 1)] += letters
                faces[line.font] += letters
    if not sizes:
        sizes[10.0] = 1
    em = sizes.most_common(1)[0][0]
    face = faces.most_common(1)[0][0] if faces else ''
    body = [line for lines in pages for line in lines if abs(line.size - em) <= 0.06 * em and len(line.glyphs) >= 8
            and not is_reading(line, em)]
    if not body:
        body = [line for lines in pages for line in lines]
    left = percentile([line.x0 for line in body], 0.05)
    right = percentile([line.x1 for line in body], 0.95)
    middle = (left + right) / 2
    narrow = [line for line in body if line.x1 - line.x0 < 0.55 * (right - left)]
    second = [line for line in narrow if line.x0 > middle - em]
    columns = 2 if len(narrow) > 0.6 * len(body) and len(second) > 0.25 * len(narrow) else 1
    if columns == 2:
        ends = [line.x1 for line in narrow if line.x0 < middle - em]
        starts = [line.x0 for line in second]
        if ends and starts:
            middle = (percentile(ends, 0.9) + percentile(starts, 0.1)) / 2
    return Geometry(em, face, left, right, columns, middle)


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(q * len(values))))] if values else 0.0


def column_of(line: Line, geometry: Geometry) -> int:
    if geometry.columns == 1:
        return 1
    em = geometry.em
    if line.x1 <= geometry.middle + 0.5 * em:
        return 1
    if line.x0 >= geometry.middle - 0.5 * em:
        return 2
    return 0                           # across the gutter


# -- classification -----------------------------------------------------------------------------

def classify(pages: list[Page], lines_by_page: list[list[Line]], geometry: Geometry) -> None:
    em = geometry.em
    apparatus, apparatus_size = '', 0.0
    for page, lines in zip(pages, lines_by_page):
        for line in lines:
            line.column = column_of(line, geometry)
        mark_readings(lines, em)
        content = [line for line in lines if line.role == 'text']
        if title_page(page, content, geometry):
            for line in content:
                line.role, line.reason = 'furniture', 'title page'
            biggest = max(content, key=lambda line: line.size, default=None)
            if biggest is not None:
                biggest.role = 'cover'
            continue
        mark_margins(page, content, geometry)
        content = [line for line in content if line.role == 'text']
        leaders = [line for line in content if LEADERS.search(line.text)]
        if len(leaders) >= 3:              # a contents page holds nothing else
            for line in content:
                line.role, line.reason = 'furniture', 'table of contents'
        content = [line for line in content if line.role == 'text']
        # the publication's own apparatus: from its heading to the next real heading
        for line in content:
            bare = re.sub(r'\s+', '', line.text)
            strong = line.size >= 1.08 * em or (line.font != geometry.face and any(f in line.font for f in STRONG_FACES))
            if strong and bare in APPARATUS and line.size >= 1.3 * em:
                apparatus, apparatus_size = bare, line.size
            elif strong and apparatus and line.size >= 0.95 * apparatus_size and len(bare) < 40 \
                    and not re.fullmatch(r'[0-9０-９ivxlc]+', bare):
                apparatus = ''      # the next heading as large: the text again
            if apparatus:
                line.role, line.reason = 'furniture', f'the publication\'s apparatus ({apparatus})'
        content = [line for line in content if line.role == 'text']
        mark_figures(page, content, geometry)
        mark_footnotes(content, geometry)
        for line in content:
            if line.role != 'text':
                continue
            if line.size >= 1.08 * em or (line.size >= 0.97 * em and line.font != geometry.face
                                          and any(f in line.font for f in STRONG_FACES)
                                          and sum(1 for g in line.glyphs if g.font == line.font) >= 0.8 * len(line.glyphs)):
                line.role = 'heading'
            elif line.size < 0.93 * em:
                line.role = 'small'             # small text that is neither note nor caption: kept as text


def mark_readings(lines: list[Line], em: float) -> None:
    for reading in lines:
        if not is_reading(reading, em):
            continue
        first, last = reading.glyphs[0].x0, reading.glyphs[-1].x1
        below = [line for line in lines if line is not reading and not is_reading(line, em)
                 and 0 <= reading.baseline - line.baseline <= 1.6 * line.size
                 and line.x0 - line.size < last and first < line.x1 + line.size]
        if not below:
            continue
        host = min(below, key=lambda line: reading.baseline - line.baseline)
        covered = [k for k, g in enumerate(host.glyphs) if not host.raised[k] and g.x0 < last - 0.25 * g.size
                   and g.x1 > first + 0.25 * g.size]
        covered = [k for k in covered if is_kanji(host.glyphs[k].char)] or covered
        if not covered:
            continue
        start, end = covered[0], covered[-1] + 1
        reading.role = 'reading'
        reading.base = (host, start, end, per_character(reading, host, start, end))
        host.readings.append(reading)


def per_character(reading: Line, host: Line, start: int, end: int) -> list[int] | None:
    """Where the reading splits into one reading per base character, the lengths of the
    parts: when the kana stand apart, a gap over each boundary between base characters,
    each part centred over its character. None: one reading over the whole base."""
    if end - start < 2:
        return None
    kana = reading.glyphs
    gaps = [b.x0 - a.x1 for a, b in zip(kana, kana[1:])]
    if not gaps:
        return None
    size = kana[0].size
    apart = max(0.3 * size, 2 * min(gaps) + 0.1 * size)     # gaps spread evenly are a group reading's
    parts, current = [], 1
    drawn_apart = [b.order != a.order + 1 for a, b in zip(kana, kana[1:])]   # each reading drawn with its base
    for gap, drawn in zip(gaps, drawn_apart):
        if gap > apart or drawn:
            parts.append(current)
            current = 1
        else:
            current += 1
    parts.append(current)
    if len(parts) != end - start:
        return None
    k = 0
    for part, base in zip(parts, host.glyphs[start:end]):
        centre = (kana[k].x0 + kana[k + part - 1].x1) / 2
        if abs(centre - (base.x0 + base.x1) / 2) > 0.3 * base.size:
            return None
        k += part
    return parts


def title_page(page: Page, lines: list[Line], geometry: Geometry) -> bool:
    """The first page, when it holds no running text: a few short lines, one large."""
    if page.number != 1 or not lines:
        return False
    longest = max(line.x1 - line.x0 for line in lines)
    return (len(lines) <= 8 and longest < 0.8 * (geometry.right - geometry.left)
            and max(line.size for line in lines) >= 1.3 * geometry.em and max(len(line.glyphs) for line in lines) < 40)


def mark_margins(page: Page, lines: list[Line], geometry: Geometry) -> None:
    em = geometry.em
    for line in lines:
        if line.x1 < geometry.left - 0.5 * em or line.x0 > geometry.right + 0.5 * em:
            vertical = len(line.glyphs) <= 2
            line.role = 'furniture'
            line.reason = 'chapter tab (vertical text in the outer margin)' if vertical else 'in the outer margin'
    mark_original_pages(page, lines, geometry)
    rest = sorted((line for line in lines if line.role == 'text'), key=lambda line: -line.baseline)
    for edge in (rest, rest[::-1]):                 # the head of the page, then its foot
        if len(edge) < 2:
            return
        first = edge[0]
        same = [line for line in edge if abs(line.baseline - first.baseline) < 0.3 * em]
        others = [line for line in edge if line not in same]
        if not others:
            return
        nearest = others[0]
        at_top = edge is rest
        gap = (first.bottom - nearest.top) if at_top else (nearest.bottom - first.top)
        in_margin = first.baseline > 0.8 * page.height if at_top else first.baseline < 0.2 * page.height
        if in_margin and gap > 1.2 * max(first.size, nearest.size) and all(line.size <= 1.15 * em for line in same):
            for line in same:
                line.role = 'furniture'
                line.reason = ('folio (page number)' if re.fullmatch(r'[0-9０-９ivxlc]+', line.text)
                               else 'running head' if at_top else
                               'folio (page number)' if re.search(r'[0-9０-９]', line.text) else 'running foot')
        rest = [line for line in rest if line.role == 'text']


def mark_original_pages(page: Page, lines: list[Line], geometry: Geometry) -> None:
    """A small number in the margin (``原本 98``) beside a hairline drawn in a line of the
    text: a page of the original begins there, at the hairline — how a re-edition shows
    the pages of the book it reproduces (the project's own PDF does). The page's own folio
    is then this book's page, not the original's (pages.py)."""
    em = geometry.em
    for mark in lines:
        if mark.role != 'furniture' or mark.size > 0.8 * em:
            continue
        number = re.fullmatch(r'\D{0,6}?([0-9０-９]{1,4})', re.sub(r'\s+', '', mark.text))
        near = [rule for rule in page.rules if rule[1] - em <= mark.baseline <= rule[2] + em]
        if not number or not near:
            continue
        rule = min(near, key=lambda r: (abs((r[1] + r[2]) / 2 - mark.baseline), abs(r[0] - (mark.x0 + mark.x1) / 2)))
        hosts = [line for line in lines if line.role == 'text' and rule[1] - 0.5 <= line.baseline <= rule[2]
                 and line.x0 - 1.2 * line.size <= rule[0] <= line.x1 + 0.6 * line.size]      # an indent too
        if not hosts:
            continue
        host = min(hosts, key=lambda line: line.baseline - rule[1])
        glyph = sum(1 for g in host.glyphs if (g.x0 + g.x1) / 2 < rule[0])
        host.pages.append((glyph, int(unicodedata.normalize('NFKC', number[1]))))
        mark.reason = "the original's page (its number in the margin)"
        page.rules.remove(rule)


def mark_figures(page: Page, lines: list[Line], geometry: Geometry) -> None:
    em = geometry.em
    for frame in page.frames:
        x0, y0, x1, y1 = frame
        if x1 - x0 > 0.95 * (page.width) and y1 - y0 > 0.95 * page.height:
            continue                  # a background
        inside = [line for line in lines if line.role == 'text' and x0 - 1 <= line.x0 and line.x1 <= x1 + 1
                  and y0 - 1 <= line.bottom and line.top <= y1 + 1]
        keys = [key for key in page.keys if x0 <= key[0] and key[2] <= x1 and y0 <= key[1] and key[3] <= y1]
        keyed = [line for line in inside if any(key[2] <= line.x0 + 1 and line.x0 - key[2] <= 1.5 * em
                                                and key[1] <= line.baseline + 0.5 * line.size and line.baseline <= key[3]
                                                for key in keys)]
        for line in inside:
            line.role, line.reason = 'furniture', 'inside a figure (the picture\'s own text)'
        near = sorted((line for line in lines if line.role == 'text' and line.size < 0.97 * em
                       and line.x0 < x1 and x0 < line.x1 and (y0 - 4 * em < line.top <= y0 + 1 or y1 - 1 <= line.bottom < y1 + 3 * em)),
                      key=lambda line: -line.baseline)
        if not near:
            continue
        below = [line for line in near if line.top <= y0 + 1]
        chosen = below or near
        group = [chosen[0]]
        small = sorted((line for line in lines if line.role == 'text' and line.size < 0.97 * em
                        and line.baseline < chosen[0].baseline and line.column in (chosen[0].column, 0)),
                       key=lambda line: -line.baseline)
        for line in small:
            if group[-1].bottom - line.top < 1.2 * line.size and not line.text.startswith('•'):
                group.append(line)
            else:
                break
        figure_id = len(page.frames) * 1000 + page.number * 100 + page.frames.index(frame) + 1
        for line in group:
            line.role, line.group = 'caption', figure_id
        # lines inside the frame, each after its key, are the chart's legend
        for line in keyed:
            line.role, line.reason, line.group = 'legend', '', figure_id
        # bulleted lines right after the caption are its legend
        last = group[-1]
        for line in small:
            if line.role == 'text' and line.text.startswith('•') and last.baseline > line.baseline \
                    and last.bottom - line.top < 1.5 * line.size:
                line.role, line.group = 'legend', figure_id
                last = line


def mark_footnotes(lines: list[Line], geometry: Geometry) -> None:
    """Small lines below every text line of their column (or of the page) are notes."""
    em = geometry.em
    body = [line for line in lines if line.role == 'text' and abs(line.size - em) <= 0.1 * em]
    for line in lines:
        if line.role != 'text' or not (0.6 * em <= line.size < 0.95 * em):
            continue
        mates = [b for b in body if line.column == 0 or b.column in (0, line.column)]
        if mates and min(b.baseline for b in mates) < line.baseline:
            continue
        line.role = 'note'
    # a note starts with its number: raised, or set apart before the text, hanging left of
    # the note's other lines or after a short line; the others go on with the note before
    notes = sorted((line for line in lines if line.role == 'note'), key=lambda line: (line.column, -line.baseline))
    previous = None
    for line in notes:
        n = label_length(line)
        if n and (line.raised[0] or previous is None or previous.column != line.column
                  or line.x0 < previous.x0 - 0.3 * line.size or previous.x1 < line.x1 - 1.5 * line.size
                  or previous.baseline - line.baseline > 2 * line.size):
            line.role = 'note-start'
        previous = line


def label_length(line: Line) -> int:
    """How many glyphs of a note's first line are its number (0: not a note's first line)."""
    glyphs = line.glyphs
    n = 0
    while n < len(glyphs) and line.raised[n] and glyphs[n].char in MARK_CHARS:
        n += 1
    if n:
        return n
    # else the number set apart: the first gap within its first four glyphs ends it (a note
    # opening with a year, '3 1993年…', has a second run of digits after the gap)
    for n in range(1, min(4, len(glyphs) - 1) + 1):
        if glyphs[n - 1].char not in MARK_CHARS:
            break
        if any(c.isdigit() for c in line.text[:n]) and glyphs[n].x0 - glyphs[n - 1].x1 >= 0.2 * glyphs[n].size:
            return n
    return 0


# -- reading order --------------------------------------------------------------------------------

def reading_order(lines: list[Line]) -> list[Line]:
    """Band by band down the page (a line across the gutter closes a band), and in a band,
    the first column, then the second; furniture at the head or the foot of the page."""
    ordered: list[Line] = []
    band: list[Line] = []

    def flush():
        band.sort(key=lambda line: (line.column != 1, -line.baseline, line.x0))
        ordered.extend(band)
        band.clear()

    furniture = [line for line in lines if line.role == 'furniture' and line.reason in MARGINS]
    rest = [line for line in lines if line not in furniture]
    middle = statistics.median([line.baseline for line in lines]) if lines else 0
    for line in sorted(rest, key=lambda line: (-line.baseline, line.x0)):
        if line.column == 0 and line.role != 'reading':
            flush()
            ordered.append(line)
        else:
            band.append(line)
    flush()
    head = sorted((line for line in furniture if line.baseline >= middle), key=lambda line: (-line.baseline, line.x0))
    foot = sorted((line for line in furniture if line.baseline < middle), key=lambda line: (-line.baseline, line.x0))
    ordered = head + ordered + foot
    # a reading goes just before the line it stands over
    result = [line for line in ordered if line.role != 'reading']
    for line in [line for line in ordered if line.role == 'reading']:
        host = line.base[0]
        result.insert(result.index(host), line)
    return result


# -- the extraction ------------------------------------------------------------------------------

def extraction(pages: list[Page]) -> tuple[str, list[LineFacts], dict]:
    lines_by_page = [page_lines(page) for page in pages]
    geometry = measure(lines_by_page)
    classify(pages, lines_by_page, geometry)
    ordered = [line for lines in lines_by_page for line in reading_order(lines)]
    edges = column_edges(ordered, geometry)
    number = {id(line): k for k, line in enumerate(ordered, start=1)}
    facts = []
    previous = None               # the last text line, and whether it ended short
    previous_short = True
    pitch = line_pitch(ordered, geometry)
    for line in ordered:
        fact = LineFacts(page=line.page, column=line.column, box=(round(line.x0, 1), round(line.bottom, 1),
                                                                   round(line.x1, 1), round(line.top, 1)),
                         role=line.role, reason=line.reason, size=round(line.size / geometry.em, 2))
        fact.raised = [k for k, up in enumerate(line.raised) if up]
        if line.role == 'note-start':
            fact.label = label_length(line)
            fact.raised = []
        fact.spaces = spaces(line, geometry)
        fact.figure = line.group
        fact.pages = list(line.pages)
        if line.role == 'reading':
            host, start, end, parts = line.base
            fact.host, fact.base = number[id(host)], (start, end)
            fact.parts = parts or []
        if line.role in ('text', 'small'):
            left, right = edges.get((line.page, line.column), (geometry.left, geometry.right))
            indented = line.x0 - left >= 0.6 * line.size
            spaced = (previous is not None and previous.page == line.page and previous.column == line.column
                      and previous.baseline - line.baseline > 1.3 * pitch)
            fact.starts = previous is None or indented or previous_short or spaced
            previous_short = line.x1 < right - 0.9 * line.size
            fact.ends = previous_short
            previous = line
        elif line.role in ('heading', 'cover'):
            previous, previous_short = None, True
        facts.append(fact)
    text = ''.join(line.text + '\n' for line in ordered)
    info = {'pages': len(pages), 'columns': geometry.columns, 'em': geometry.em, 'face': geometry.face,
            'text_block': [round(geometry.left, 1), round(geometry.right, 1)]}
    return text, facts, info


def line_pitch(lines: list[Line], geometry: Geometry) -> float:
    """The distance between the baselines of a paragraph's lines: what more space above
    a line than that means (a paragraph set off by space rather than an indent)."""
    steps = [a.baseline - b.baseline for a, b in zip(lines, lines[1:])
             if a.role == b.role == 'text' and a.page == b.page and a.column == b.column
             and abs(a.size - geometry.em) < 0.1 * geometry.em and abs(b.size - geometry.em) < 0.1 * geometry.em]
    steps = [step for step in steps if step > 0]
    return statistics.median(steps) if steps else 1.5 * geometry.em


def column_edges(lines: list[Line], geometry: Geometry) -> dict:
    """Each page's column edges, from its full lines (the text block as this page sets it)."""
    found: dict = {}
    for line in lines:
        if line.role == 'text' and abs(line.size - geometry.em) <= 0.1 * geometry.em:
            found.setdefault((line.page, line.column), []).append(line)
    edges = {}
    for key, group in found.items():
        left = percentile([line.x0 for line in group], 0.1)
        right = max(line.x1 for line in group)
        if len(group) < 3:
            same = [line for line in lines if line.column == key[1] and line.role == 'text']
            left = min(left, percentile([line.x0 for line in same], 0.1)) if same else left
        edges[key] = (left, right)
    return edges


def spaces(line: Line, geometry: Geometry) -> list[int]:
    """Positions (glyph indices) before which a space stands: a gap between Latin words;
    in notes, headings and the cover, also where a number or Latin word meets a Japanese
    word (the house style of footnotes). Never next to a space the PDF holds, never
    inside a number, never between two Japanese characters."""
    result = []
    spaced_style = line.role in ('note', 'note-start', 'heading', 'cover', 'furniture')
    glyphs = line.glyphs
    for k in range(1, len(glyphs)):
        a, b = glyphs[k - 1], glyphs[k]
        if line.raised[k] or line.raised[k - 1] or not a.char.strip() or not b.char.strip():
            continue
        gap = b.x0 - a.x1
        em = min(a.size, b.size)
        if is_latin(a.char) and is_latin(b.char) or (a.char in '.,;:)' and is_latin(b.char) and a.char != '.'):
            if gap >= 0.15 * em and not (a.char.isdigit() and b.char.isdigit()):
                result.append(k)
        elif spaced_style and ((is_latin(a.char) and is_japanese_letter(b.char))
                               or (is_japanese_letter(a.char) and is_latin(b.char))):
            if gap >= 0.12 * em:
                result.append(k)
    return result
