"""Reading order: paragraphs whole again, each in its section, sections in order.

Rows arrive in the extraction's order. A paragraph that breaks off mid-sentence where a
blank line, furniture, footnotes or a figure intervene waits for its continuation: the
next block that starts with a full line that is not a sentence start (or with a
character no sentence starts with). The two-column layout can leave several paragraphs
waiting at once; the continuation then goes to the one a dictionary word runs across
the join into, else to the one whose section is most like the continuing text — and
what follows a continuation, up to the next heading, follows it into that section.
Headings build the section tree by rank; a run of headings with no text between them is
put in rank order, and the text the extraction put before the first heading is that
heading's lead. Every join and every move is reported for a person to confirm.
"""

from __future__ import annotations

import re

from taiyaku.importer.headings import RANK_NAMES
from taiyaku.importer.model import Figure, Footnote, Heading, Paragraph, Row, Section
from taiyaku.importer.paragraphs import Measure, could_be_first, is_full, is_indented
from taiyaku.importer.ruby import tokenizer
from taiyaku.importer.similarity import Similarity
from taiyaku.importer.width import NO_LINE_START, ends_sentence

NOT_SENTENCE_START = set('をにがはのもへるてたん') | set(NO_LINE_START)     # particles, verb endings
CONTENT_WORDS = ('名詞', '動詞', '形容詞', '副詞')     # not した|る read as the auxiliary たる
PUNCTUATION = re.compile(r'[、。，．・「」『』（）()\s]')
PHRASE_WINDOW = 400  # rows either side searched for the phrases a join would make
FINISHED_KEPT = 3    # paragraphs that ended on a full line and may still go on
LOOKAHEAD = 80      # rows of a continuing block compared with the waiting sections


class Assembler:
    def __init__(self, rows: list[Row], measure: Measure):
        self.rows, self.measure = rows, measure
        self.root = Section(None)
        self.path: list[Section] = [self.root]
        self.waiting: list[Paragraph] = []       # broke off mid-sentence, in the order they did
        self.finished: list[Paragraph] = []      # ended a sentence on a full line just before a break
        self.paragraph: Paragraph | None = None  # the paragraph the last text row went to
        self.broken = False                      # something stood between it and this row
        self.between: list[int] = []             # lines of what stood between
        self.run: list[Heading] = []
        self.headings_seen = False
        self.footnotes: list[tuple[Footnote, Paragraph | None]] = []
        self.figures: list[tuple[Figure, Paragraph | None]] = []
        self.rejoins: list[dict] = []
        self.moves: list[dict] = []
        self.doubts: list[dict] = []
        self.similarity = Similarity(row.chars for row in rows if row.kind == 'text')

    def assemble(self) -> Section:
        for index, row in enumerate(self.rows):
            if row.kind == 'text':
                self.text(index, row)
                continue
            if row.kind == 'heading':
                self.wait_if_unfinished()
                self.paragraph = None
                self.run.append(row.payload)
            elif row.kind == 'footnote':
                self.footnotes.append((row.payload, self.paragraph))
            elif row.kind == 'figure':
                self.figures.append((row.payload, self.paragraph))
            if row.kind != 'blank':
                self.between.append(row.line)
            self.broken = True
        self.place_headings()
        self.wait_if_unfinished()
        for paragraph in self.waiting:
            last = paragraph.rows[-1]
            self.doubts.append({'line': last.lines[-1], 'text': last.chars[-20:],
                                'unsure': 'the paragraph ends mid-sentence and nothing later continues it'})
        self.order_siblings()
        return self.root

    # -- one text row -------------------------------------------------------------------

    def text(self, index: int, row: Row) -> None:
        if row.facts is not None:
            self.laid_out(row)
            return
        following = self.rows[index + 1] if index + 1 < len(self.rows) and self.rows[index + 1].kind == 'text' else None
        if self.run:
            self.place_headings()
            self.start(row)
        elif self.paragraph is None:
            self.start(row)
        elif not self.broken:
            previous = self.paragraph.rows[-1]
            first = len(self.paragraph.rows) == 1
            if ends_sentence(previous.chars) and (not is_full(previous, row, self.measure, first)
                                                  or is_indented(row, following, self.measure)):
                if is_full(previous, row, self.measure, first) and not row.indented and ends_sentence(row.chars):
                    self.doubts.append({'line': row.line, 'text': row.chars[:20],
                                        'unsure': 'the paragraph may go on here: the line before ends a sentence at '
                                                  'the end of a full line, and this short one may be its last line'})
                self.start(row)
            else:
                if ends_sentence(previous.chars) and could_be_first(row, self.measure):
                    self.doubt_paragraph(row)
                self.paragraph.rows.append(row)
        else:
            self.after_break(index, row, following)
        self.broken = False
        self.between = []

    def laid_out(self, row: Row) -> None:
        """A line from a PDF: the page said whether it starts a paragraph. One that does not
        goes on with the paragraph before it, whatever stood between (a column or page
        break, footnotes, a figure): that is a rejoin, listed with its pages."""
        if self.run:
            self.place_headings()
            self.start(row)
        elif self.paragraph is None or row.facts.starts:
            self.start(row)
        else:
            before = self.paragraph.rows[-1]
            if self.broken or before.facts.page != row.facts.page or before.facts.column != row.facts.column:
                where = ('page break' if before.facts.page != row.facts.page else
                         'column break' if before.facts.column != row.facts.column else 'across other blocks')
                entry = {'kind': where, 'before': {'line': before.lines[-1], 'text': before.chars[-16:]},
                         'after': {'line': row.line, 'text': row.chars[:16]}}
                if self.between:
                    entry['skipped_lines'] = [min(self.between), max(self.between)]
                self.rejoins.append(entry)
            self.paragraph.rows.append(row)
        self.broken = False
        self.between = []

    def after_break(self, index: int, row: Row, following: Row | None) -> None:
        self.wait_if_unfinished()
        if self.waiting and self.continues(row, following):
            target, why = self.choose(index, row, self.waiting)
            self.rejoin(target, row, why, self.waiting)
        elif self.finished and not is_indented(row, following, self.measure):
            # a sentence ended at the end of a full line, and the line after the break is
            # full too: most likely one paragraph across a column break — which one, if
            # several ended so, is chosen like a waiting paragraph
            target, why = self.choose(index, row, self.finished)
            if could_be_first(row, self.measure):
                self.doubt_paragraph(row)
            self.rejoin(target, row, 'a full line ended a sentence before a break, and the line after it is full '
                                     'too: one paragraph across a column break' + (f'; {why}' if why else ''),
                        self.finished)
        else:
            self.start(row)

    def continues(self, row: Row, following: Row | None) -> bool:
        """Could this row, after a break, go on with a waiting paragraph? Not if it is
        indented — unless it is a paragraph's short last line, whose shortness says nothing."""
        lone_last = ends_sentence(row.chars) and not is_full(row, following, self.measure)
        return (row.chars[0] in NOT_SENTENCE_START or lone_last or not is_indented(row, following, self.measure)
                or any(word_across(waiting, row) for waiting in self.waiting))

    def choose(self, index: int, row: Row, waiting: list[Paragraph]) -> tuple[Paragraph, str]:
        if len(waiting) == 1:
            return waiting[0], ''
        across = [paragraph for paragraph in waiting if word_across(paragraph, row)]
        if len(across) == 1:
            return across[0], (f'{len(waiting)} paragraphs were waiting; only this one reads on across the join '
                               f'({word_across(across[0], row)})')
        candidates = across or waiting
        support = [(self.phrase_support(index, p, row), n, p) for n, p in enumerate(candidates)]
        support.sort(key=lambda s: (-s[0], s[1]))
        if support[0][0] > 0 and support[0][0] > support[1][0]:
            best, _, target = support[0]
            return target, (f'{len(candidates)} paragraphs were waiting; the words across this join occur '
                            f'elsewhere in the text ({best} times), across the others\' less often')
        block = self.similarity.vector(self.block_text(index))
        scored = sorted(((Similarity.cosine(block, self.similarity.vector(section_text(p.section))), n, p)
                         for n, p in enumerate(candidates)), key=lambda s: (-s[0], s[1]))
        best, _, target = scored[0]
        others = ', '.join(f'lines {p.lines[0]}–{p.rows[-1].lines[-1]} ({score:.3f})' for score, _, p in scored[1:])
        return target, (f'{len(candidates)} paragraphs were waiting; this one\'s section is most like the '
                        f'continuing text (similarity {best:.3f}; {others})')

    def phrase_support(self, index: int, paragraph: Paragraph, row: Row) -> int:
        """How often the text near here uses the 3- and 4-character strings the join would
        make: official prose repeats itself (あらゆる|分野 is common, 前|分野 is not)."""
        tail, head = paragraph.rows[-1].chars[-3:], row.chars[:3]
        grams = {tail[-a:] + head[:b] for a in range(1, len(tail) + 1) for b in range(1, len(head) + 1)
                 if 3 <= a + b <= 4 and not PUNCTUATION.search(tail[-a:] + head[:b])}     # 、地域 says nothing
        window = '\n'.join(r.chars for r in self.rows[max(0, index - PHRASE_WINDOW):index + PHRASE_WINDOW]
                           if r.kind == 'text')
        return sum(window.count(gram) * (len(gram) - 2) for gram in grams)

    def block_text(self, index: int) -> str:
        """The continuing block: its rows up to the next break (what comes after a break
        may continue another paragraph)."""
        parts = []
        for row in self.rows[index:index + LOOKAHEAD]:
            if row.kind != 'text':
                break
            parts.append(row.chars)
        return ''.join(parts)

    def rejoin(self, target: Paragraph, row: Row, why: str, candidates: list[Paragraph]) -> None:
        before = target.rows[-1]
        adjacent = target is self.paragraph
        others = [p.rows[-1].lines[-1] for p in candidates if p is not target]
        for pending in (self.waiting, self.finished):
            if target in pending:
                pending.remove(target)
        target.rows.append(row)
        entry = {
            'kind': 'column break' if adjacent and not self.between else 'reading order',
            'before': {'line': before.lines[-1], 'text': before.chars[-16:]},
            'after': {'line': row.line, 'text': row.chars[:16]},
        }
        if self.between:
            entry['skipped_lines'] = [min(self.between), max(self.between)]
        if why:
            entry['why'] = why
        if others:
            entry['other_candidates'] = others        # the last lines of the paragraphs it was not given to
        if entry['kind'] == 'reading order' or why:
            entry['confirm'] = True
        self.rejoins.append(entry)
        self.path = ancestry(target.section)
        self.paragraph = target

    def doubt_paragraph(self, row: Row) -> None:
        self.doubts.append({'line': row.line, 'text': row.chars[:20],
                            'unsure': 'a new paragraph may start here: the line before ends a sentence at the end '
                                      'of a full line, and this one may be an indented first line'})

    def start(self, row: Row) -> None:
        section = self.path[-1]
        paragraph = Paragraph(body=None, rows=[row], section=section)
        section.content.append(paragraph)
        self.paragraph = paragraph

    def wait_if_unfinished(self) -> None:
        """At a break: a paragraph cut off mid-sentence waits for its continuation; one
        whose sentence ended on a full line may go on too (kept for a while)."""
        paragraph = self.paragraph
        if paragraph is None or paragraph in self.waiting or paragraph in self.finished:
            return
        last = paragraph.rows[-1]
        if not ends_sentence(last.chars):
            self.waiting.append(paragraph)
        elif is_full(last, None, self.measure, len(paragraph.rows) == 1):
            self.finished = [*self.finished, paragraph][-FINISHED_KEPT:]

    # -- headings -----------------------------------------------------------------------

    def place_headings(self) -> None:
        run, self.run = self.run, []
        if not run:
            return
        ordered = sorted(run, key=lambda h: h.rank)
        if ordered != run:
            self.moves.append({
                'what': 'headings with no text between them, put in rank order',
                'lines': [h.lines[0] for h in run],
                'order': [f'{h.text.chars} ({RANK_NAMES[h.rank]})' for h in ordered],
            })
        for heading in ordered:
            while len(self.path) > 1 and self.path[-1].heading.rank >= heading.rank:
                self.path.pop()
            section = Section(heading, parent=self.path[-1])
            self.path[-1].children.append(section)
            self.path.append(section)
            if not self.headings_seen and self.root.content:
                lead = self.root.content
                self.root.content = []
                for paragraph in lead:
                    paragraph.section = section
                section.content = lead
                self.moves.append({
                    'what': 'text before the first heading is its lead: placed under it',
                    'lines': [lead[0].lines[0], lead[-1].rows[-1].lines[-1]], 'heading': heading.text.chars,
                    'confirm': True})
            self.headings_seen = True

    def order_siblings(self) -> None:
        for section in self.root.walk():
            numbered = [c for c in section.children if c.heading and c.heading.number is not None]
            ranks = {c.heading.rank for c in numbered}
            if len(numbered) == len(section.children) > 1 and len(ranks) == 1:
                ordered = sorted(section.children, key=lambda c: c.heading.number)
                if ordered != section.children:
                    self.moves.append({'what': 'sections put in the order of their numbers',
                                       'order': [c.heading.text.chars for c in ordered], 'confirm': True})
                    section.children = ordered


def ancestry(section: Section) -> list[Section]:
    path = []
    while section is not None:
        path.append(section)
        section = section.parent
    return path[::-1]


def section_text(section: Section | None) -> str:
    if section is None:
        return ''
    heading = section.heading.text.chars if section.heading else ''
    return heading + ''.join(row.chars for paragraph in section.content for row in paragraph.rows)


def word_across(paragraph: Paragraph, row: Row) -> str:
    """What makes the join read as one sentence: a dictionary word it makes whole
    (締結す|る → する, 財務大|臣 → 大臣), a number it gives its counter (7|月), or a list
    it goes on with (北朝鮮、|イラン: nouns of one kind either side of the comma); ''."""
    tail, head = paragraph.rows[-1].chars[-8:], row.chars[:8]
    tokens, offset = [], 0
    for token in tokenizer().tokenize(tail + head):
        tokens.append((offset, token))
        offset += len(token.surface)
    for k, (start, token) in enumerate(tokens):
        end = start + len(token.surface)
        if start < len(tail) < end and token.part_of_speech.split(',')[0] in CONTENT_WORDS:
            return token.surface
        if start == len(tail) and k >= 1:
            before = tokens[k - 1][1]
            if tail[-1:].isdigit() and '助数詞' in token.part_of_speech:
                return tail[-1] + token.surface
            if before.surface == '、' and k >= 2:
                item = tokens[k - 2][1]
                kind = item.part_of_speech.split(',')[:3]
                if kind[0] == '名詞' and kind[1] == '固有名詞' and token.part_of_speech.split(',')[:3] == kind:
                    return f'{item.surface}、{token.surface}'
    return ''
