"""raw extraction in, draft master and report out: the stages in order."""

from __future__ import annotations

import hashlib
import os
import re
from stat import S_ISREG
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from taiyaku.importer import (checks, compare, extraction, figures, findings, footnotes, furniture, headings, lines,
                              output, pages, readback, report, ruby, spacing)
from taiyaku.importer.decode import Decoded, decode
from taiyaku.importer.errors import ImportFailure
from taiyaku.importer.ledger import Ledger
from taiyaku.importer.model import Figure, Footnote, Section
from taiyaku.importer.paragraphs import Measure, join
from taiyaku.importer.reading_order import Assembler
from taiyaku.importer.text import Text
from taiyaku.importer.width import ends_sentence, is_japanese_letter
from taiyaku.importer.writer import Writer


@dataclass
class Result:
    out: Path
    report: dict
    summary: str

    @property
    def ok(self) -> bool:
        return self.report['status'] == 'ok'


MAX_BYTES = 20_000_000
CHUNK = 1 << 20


def read_bounded(raw: Path, limit: int = MAX_BYTES) -> bytes:
    """The file's bytes, read a chunk at a time and never more than ``limit`` + 1: a
    device, a pipe or a stream larger than the limit is refused once the limit is
    passed, and one that starts with binary zeros (/dev/zero) at its first chunk."""
    try:
        with open(raw, 'rb') as handle:
            stat = os.fstat(handle.fileno())
            if S_ISREG(stat.st_mode) and stat.st_size > limit:
                raise ImportFailure(str(raw), f'{stat.st_size / 1_000_000:.0f} MB is more than one extraction '
                                              f'(limit {limit / 1_000_000:g} MB), refused before reading it: import '
                                              'the book a section at a time, or raise --max-size')
            chunks, size = [], 0
            while size <= limit:
                chunk = handle.read(min(CHUNK, limit + 1 - size))
                if not chunk:
                    break
                if not chunks and chunk[:4096].count(0) > 1024 and not chunk.startswith(b'%PDF-'):
                    raise ImportFailure(str(raw), 'binary data (zero bytes from the start): expected a PDF or '
                                                  'the text extraction of one')
                chunks.append(chunk)
                size += len(chunk)
    except OSError as exc:
        raise ImportFailure(str(raw), f'cannot read: {exc.strerror}') from None
    if size > limit:
        raise ImportFailure(str(raw), f'more than {limit / 1_000_000:g} MB (the limit; read no further): '
                                      'import the book a section at a time, or raise --max-size')
    return b''.join(chunks)


def run(raw: Path, out: Path, *, limit: int = MAX_BYTES, force: bool = False, compare_with: Path | None = None) -> Result:
    return convert(read_bounded(Path(raw), limit), str(raw), Path(out), force=force, compare_with=compare_with)


def is_pdf(data: bytes) -> bool:
    return b'%PDF-' in data[:1024]


def read_pdf(data: bytes, name: str) -> tuple[Decoded, list]:
    """The PDF front end: its text layer as lines in reading order, with their facts."""
    from taiyaku.importer import glyphs, layout
    pages = glyphs.read(data, name)
    text, facts, info = layout.extraction(pages)
    note = (f"read from the PDF itself: {info['pages']} page(s), {info['columns']} column(s), text set at "
            f"{info['em']:g} pt in {info['face']}; one line of this text per line of the page, in reading order")
    return Decoded(text, 'pdf', [note]), facts


def convert(data: bytes, name: str, out: Path, *, force: bool = False, compare_with: Path | None = None) -> Result:
    facts = None
    normalised: list[dict] = []
    if is_pdf(data):
        decoded, facts = read_pdf(data, name)
    else:
        decoded = decode(data, name)
        decoded.text, normalised = checks.half_width_katakana(decoded.text)
        if normalised:
            decoded.notes.append(f'{len(normalised)} run(s) of half-width katakana set in full width (listed under '
                                 '"normalised"); the accounting counts the full-width text')
    text_lines, terminators = lines.split_lines(decoded.text)
    if facts is None:
        checks.doubled_lines(text_lines, name)
        checks.interleaved(text_lines, name)
    ledger = Ledger(text_lines, terminators)
    dropped: list[dict] = []

    rows = lines.rows(text_lines, ledger)
    if facts is not None:
        for row in rows:
            row.facts = facts[row.line - 1]
    letters = sum(1 for line in text_lines for char in line if is_japanese_letter(char))
    if not any(row.kind == 'text' for row in rows):
        raise ImportFailure(name, 'no text: the file holds only blank lines')
    if letters < 0.2 * sum(len(line.strip()) for line in text_lines):
        raise ImportFailure(name, 'no recognisable structure: the text is not Japanese '
                                  f'({letters} kana and kanji in {sum(map(len, text_lines))} characters)')
    cover = None
    if facts is not None:                   # what the page shows
        cover = findings.apply(rows, ledger, dropped)
        measure = Measure.of(rows)
        column = measure.column
    else:                                   # what the text suggests
        rows = extraction.prepare(text_lines, rows, ledger, dropped)
        furniture.mark_vertical_text(rows, ledger, dropped)
        furniture.mark_enumerators(rows, ledger)
        ruby.tighten_readings(rows, ledger)
        rows = ruby.merge_readings(rows, Measure.of(rows))   # the column, as first measured, tells line pieces apart
        measure = Measure.of(rows)
        column = measure.column
        footnotes.mark_footnotes(rows, ledger, column)
        titles = headings.mark_titled(rows, ledger, column, dropped)
        headings.mark_numbered(rows, column)
        furniture.mark_running_heads_and_folios(rows, ledger, column, titles, dropped)
        figures.legend_above(rows, ledger, dropped, column)
        figures.mark_charts(rows, ledger, column)
        figures.picture_texts(rows, ledger, dropped)
        figures.mark_photos(rows, column)
        headings.mark_unnumbered(rows, column)

    assembler = Assembler(rows, measure)
    root = assembler.assemble()
    paragraphs = [paragraph for section in root.walk() for paragraph in section.content]
    for paragraph in paragraphs:
        paragraph.body = join(paragraph.rows)
        paragraph.complete = ends_sentence(paragraph.rows[-1].chars)
    if not paragraphs:
        raise ImportFailure(name, 'no recognisable structure: no paragraph of running text found '
                                  f'({sum(1 for r in rows if r.kind == "text")} loose lines)')

    doubts = list(assembler.doubts)
    all_footnotes = [footnote for footnote, _ in assembler.footnotes]
    links, marker_doubts = footnotes.link(paragraphs, all_footnotes, ledger)
    doubts += marker_doubts
    for footnote, before in assembler.footnotes:
        if not footnote.cited:
            home = before or (paragraphs[0] if paragraphs else None)
            home.footnotes.append(footnote)
            doubts.append({'line': footnote.lines[0], 'text': footnote.body.text.chars[:20],
                           'unsure': f'nothing cites footnote {footnote.number}: placed after the paragraph before it'})
    figure_report, unplaced = figures.place(assembler.figures, paragraphs, column)
    root.extras.extend(unplaced)
    doubts += [{'line': entry['lines'][0], 'text': entry['caption'][:20], 'unsure': entry['unsure']}
               for entry in figure_report if 'unsure' in entry]

    for inline, style in styled_inlines(root):         # spaces as the master sets them
        spacing.tidy(inline, ledger, style)
    ruby_report = []
    for inline in inlines(root):
        ruby_report += ruby.attach(inline)
    doubts += [{'line': entry['base_lines'][0] if entry['base_lines'] else 0, 'text': entry['base'],
                'unsure': entry['unsure']} for entry in ruby_report if 'unsure' in entry]
    doubts += headings.assign_enumerators(root, rows)
    page_report = pages.place(root, pages.starts(rows, dropped))
    doubts += [{'line': entry['line'], 'text': '', 'unsure': f'original page {entry["original_page"]}: {entry["unsure"]}'}
               for entry in page_report if 'unsure' in entry]
    doubts += [{'line': entry['line'], 'text': entry['starts'], 'unsure': f'original page {entry["original_page"]}: '
                f'{entry["confirm"]}'} for entry in page_report if 'confirm' in entry]
    furniture.leftover_enumerators(rows, ledger, dropped)
    headings.assign_labels(root)
    name_notes(root)
    cover = cover or cover_title(dropped)

    writer = Writer(ledger)
    writer.index(root, cover)
    with output.staging(out, force) as folder:
        documents = writer.write(folder)
        master = readback.read(folder)
        balance = ledger.balance()
        check = report.draft_check(ledger.in_draft + writer.added, Counter(''.join(master.characters)))
        added = [{'text': chars, 'reason': span.added, 'line': span.line}
                 for text in added_texts(root, cover) for chars, span in text.added_spans()]
        if master.problems:
            doubts += [{'unsure': f'the draft does not read back cleanly: {problem}'} for problem in master.problems[:20]]
        status = 'ok' if balance.balanced and check['matches'] and not master.problems else 'unbalanced'
        last = next((row for row in reversed(rows) if row.kind not in ('blank', 'furniture', 'reading')), None)
        warnings = checks.truncated([p.body.text.chars for p in paragraphs],
                                    [f.body.text.chars for f in all_footnotes], last.chars if last else '')
        if warnings and status == 'ok':
            status = 'incomplete'
        dangling = [d['text'] for d in assembler.doubts if 'nothing later continues it' in d['unsure']]
        disorder = checks.disordered(dangling, [f.body.text.chars for f in all_footnotes])
        if facts is None:
            disorder += checks.read_across([row.chars for row in rows if row.kind == 'text' or row.kind == 'figure'
                                            and row.payload.kind == 'photo'], column)
        warnings += disorder
        if disorder and status == 'ok':
            status = 'disordered'
        result = {
            'status': status,
            'input': {'path': name, 'sha256': hashlib.sha256(data).hexdigest(), 'encoding': decoded.encoding,
                      'notes': decoded.notes, 'lines': len(text_lines), 'characters': len(decoded.text)},
            'draft': {'folder': str(out), 'documents': sorted(p.name for p in documents),
                      'headings': sum(1 for s in root.walk() if s.heading), 'paragraphs': len(paragraphs),
                      'footnotes': len(all_footnotes), 'ruby': len(ruby_report),
                      'figures': len(figure_report), 'column_width': column,
                      'half_width_prints_as': round(measure.narrow, 3)},
            'accounting': report.accounting(balance, added, check),
            'dropped_lines': dropped,
            'rejoins': assembler.rejoins,
            'moves': assembler.moves,
            'headings': [{'text': s.heading.text.chars if s.heading.enumerator is None
                          else s.heading.enumerator.chars + '\u3000' + s.heading.text.chars,
                          'rank': headings.RANK_NAMES[s.heading.rank], 'depth': s.depth, 'label': s.label,
                          'lines': list(s.heading.lines)} for s in root.walk() if s.heading],
            'paragraphs': [{'lines': sorted({line for row in p.rows for line in row.lines}), 'section': section.label,
                            'starts': p.body.text.chars[:20], 'ends': p.body.text.chars[-20:]}
                           for section in root.walk() for p in section.content],
            'ruby': ruby_report,
            'footnotes': links,
            'figures': figure_report,
            'original_pages': page_report,
            'uncertainties': doubts,
            'warnings': warnings,
            'normalised': normalised,
        }
        if facts is not None:
            report.locate(result, facts)
        if compare_with is not None:
            result['comparison'] = compare.agreement(readback.read(Path(compare_with)), master)
            result['comparison_with'] = str(compare_with)
        text = report.summary(result)
        report.write(result, text, folder)
    return Result(out, result, text)


def inlines(root: Section):
    for section in root.walk():
        if section.heading:
            yield section.heading.body
        for paragraph in section.content:
            yield paragraph.body
            for footnote in paragraph.footnotes:
                yield footnote.body
            for figure in paragraph.figures:
                yield figure.caption
                yield from figure.legend
        for extra in section.extras:
            if isinstance(extra, Footnote):
                yield extra.body
            else:
                yield extra.caption
                yield from extra.legend


def styled_inlines(root: Section):
    for section in root.walk():
        if section.heading:
            yield section.heading.body, 'heading'
        for paragraph in section.content:
            yield paragraph.body, 'text'
            for footnote in paragraph.footnotes:
                yield footnote.body, 'note'
            for figure in paragraph.figures:
                yield figure.caption, 'text'
                for item in figure.legend:
                    yield item, 'text'
        for extra in section.extras:
            if isinstance(extra, Footnote):
                yield extra.body, 'note'
            else:
                yield extra.caption, 'text'
                for item in extra.legend:
                    yield item, 'text'


def name_notes(root: Section) -> None:
    """fn-N after the Bluebook's numbers (fn-N-repeat-2 where a number comes back); fig-1, fig-2…"""
    used: set[str] = set()
    count = 0
    for section in root.walk():
        notes = [f for p in section.content for f in p.footnotes] + [e for e in section.extras if isinstance(e, Footnote)]
        for footnote in notes:
            footnote.name = headings.unique(f'fn-{footnote.number}', used)
        pictures = [f for p in section.content for f in p.figures] + [e for e in section.extras if isinstance(e, Figure)]
        for figure in pictures:
            count += 1
            figure.name = f'fig-{count}'


def cover_title(dropped: list[dict]) -> Text | None:
    """The publication's title: the title page's first line, or from the first folio
    (97外交青書 2011 → 外交青書 2011)."""
    for item in dropped:
        if item['reason'] == 'title page' and any(is_japanese_letter(char) for char in item['text']):
            return Text.added(item['text'].strip(), f'cover title, from the title page on line {item["line"]}',
                              item['line'])
    for item in dropped:
        if item['reason'].startswith('folio'):
            title = re.sub(r'^[0-9０-９]+', '', item['text']).strip()
            if any(is_japanese_letter(char) for char in title):
                return Text.added(title, f'cover title, from the folio on line {item["line"]}', item['line'])
    return None


def added_texts(root: Section, cover: Text | None):
    if cover is not None:
        yield cover
    for inline in inlines(root):
        yield inline.text
    for section in root.walk():
        if section.heading and section.heading.enumerator is not None:
            yield section.heading.enumerator
            yield Text.added('\u3000', 'space after a subhead enumerator', section.heading.lines[0])
