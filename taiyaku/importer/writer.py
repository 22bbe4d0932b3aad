"""The draft master as rst, in the conventions of source/.

One paragraph a line; ruby as the ``ruby`` role (group ``国後<くなしり>`` or per character
``歯舞<はぼ|まい>``); labelled auto-numbered footnotes ``[#fn-N]_`` with each body right
after the paragraph citing it; figures as ``figure-placeholder`` with caption and legend;
every heading with an explicit ASCII label and the Bluebook's numbering in its text.
Sections of rank 節, numbered and （numbered） get documents of their own, tied together by
toctrees from index.rst, as the curated master is.

The writer claims, in the ledger, every input character it writes: what it does not
write is not accounted for as "in the draft".
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from docutils.utils import column_width

from taiyaku.importer.headings import DOCUMENT_RANKS
from taiyaku.importer.ledger import Ledger
from taiyaku.importer.model import Figure, Footnote, Inline, Paragraph, Section
from taiyaku.importer.text import Text

UNDERLINES = '=-~^"+#*'
ROLE_NAME_TAIL = re.compile(r'[\w.+:-]*$')


def role_guarded(written: str) -> str:
    """The text before a role, its colons escaped where they would join the role's name:
    docutils reads ``::G8外相会:ruby:`…``` as the role ``G8外相会:ruby`` (a role's name may
    hold colons), and the ruby would be lost."""
    start = ROLE_NAME_TAIL.search(written).start()
    tail = ''.join('\\:' if c == ':' and (written[start + k - 1:start + k] != '\\') else c
                   for k, c in enumerate(written[start:]))
    return written[:start] + tail

MIN_RULE = 4          # shorter, a title's rule could read as something else
INLINE_SPECIAL = re.compile(r'([\\*`|_])')
BLOCK_START = re.compile(r'^(?:[!-/:-@\[-`{-~]|\w+[.)](?:\s|$)|\(\w+\)(?:\s|$))', re.ASCII)
UNWRITABLE = re.compile(r'[^\S \u3000]|[\x00-\x1f\x7f-\x9f]')


class Writer:
    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        self.added: Counter[str] = Counter()
        self.documents: dict[str, str] = {}

    # -- text -----------------------------------------------------------------------------

    def plain(self, text: Text, kind: str = 'text') -> str:
        """``text`` escaped for rst, its characters claimed as written."""
        out = []
        for span in text.spans:
            chars = text.chars[span.offset:span.offset + span.length]
            if span.added:
                kept = UNWRITABLE.sub('', chars)
                self.added.update(kept)
                out.append(INLINE_SPECIAL.sub(r'\\\1', kept))
                continue
            position = 0
            for match in UNWRITABLE.finditer(chars):     # tabs, form feeds… have no place in a paragraph line
                self.claim(span, position, match.start() - position, kind)
                self.ledger.claim(span.line, span.col + match.start(), 1, 'whitespace', 'tab or control character in a line')
                position = match.end()
            self.claim(span, position, len(chars) - position, kind)
            out.append(INLINE_SPECIAL.sub(r'\\\1', UNWRITABLE.sub('', chars)))
        return ''.join(out)

    def claim(self, span, start: int, length: int, kind: str) -> None:
        self.ledger.claim(span.line, span.col + start, length, kind)

    def inline(self, inline: Inline) -> str:
        """A paragraph's text with its ruby roles and footnote references."""
        text = inline.text
        lead, end = len(text.chars) - len(text.chars.lstrip()), len(text.chars.rstrip())
        if lead or end < len(text.chars):      # rst drops the spaces a paragraph starts or ends with: say so
            for edge in (text.slice(0, lead), text.slice(max(end, lead))):
                self.ledger.claim_text(edge, 'whitespace', 'space at the start or end of a paragraph')
            text = text.slice(lead, max(end, lead))
        events = sorted([(ruby.start - lead, 1, ruby) for ruby in inline.rubies]
                        + [(min(max(ref.offset - lead, 0), len(text)), 0, ref) for ref in inline.refs]
                        + [(min(max(offset - lead, 0), len(text)), -1, number) for offset, number in inline.pages],
                        key=lambda e: (e[0], e[1]))
        out, position = [], 0
        first = text.slice(0, events[0][0] if events else len(text))
        if first.chars and BLOCK_START.match(first.chars) and not INLINE_SPECIAL.match(first.chars):
            out.append('\\')          # a paragraph that would read as a list, a comment, a title…
        for offset, is_ruby, item in events:
            if offset < position:         # overlapping markup cannot be written: keep the text
                continue
            out.append(self.plain(text.slice(position, offset)))
            if is_ruby:
                out[:] = [role_guarded(''.join(out))]
            if is_ruby < 0:
                out.append(f':original-page:`{item}`')
                position = offset
            elif is_ruby:
                base = self.plain(text.slice(item.start - lead, item.end - lead))
                readings = '|'.join(self.plain(reading, 'reading') for reading in item.readings)
                out.append(f':ruby:`{base}<{readings}>`')
                position = item.end - lead
            else:
                out.append(f'[#{item.footnote.name}]_')
                position = offset
        out.append(self.plain(text.slice(position)))
        line = ''.join(out)
        if line.endswith('::'):
            line = line[:-1] + '\\:'
        return line

    # -- blocks ---------------------------------------------------------------------------

    def heading(self, section: Section, level: int) -> list[str]:
        """Level 0 is a document title (over- and underlined); 1, 2… its sections."""
        heading = section.heading
        parts = []
        if heading.enumerator is not None:
            parts.append(self.plain(heading.enumerator, 'enumerator'))
            parts.append(self.plain(Text.added('\u3000', 'space after a subhead enumerator', heading.lines[0])))
        text = ''.join(parts) + self.inline(heading.body)
        rule = UNDERLINES[min(max(level - 1, 0), len(UNDERLINES) - 1)] * max(column_width(text), MIN_RULE)
        lines = [f'.. original-page:: {section.page_before}', ''] if section.page_before and level else []
        lines += [f'.. _{section.label}:', '']
        lines += [rule, text, rule] if level == 0 else [text, rule]
        return lines + ['']

    def paragraph(self, paragraph: Paragraph) -> list[str]:
        lines = [f'.. original-page:: {paragraph.page_before}', ''] if paragraph.page_before else []
        lines += [self.inline(paragraph.body), '']
        for footnote in paragraph.footnotes:
            lines += self.footnote(footnote)
        for figure in paragraph.figures:
            lines += self.figure(figure)
        return lines

    def footnote(self, footnote: Footnote) -> list[str]:
        return [f'.. [#{footnote.name}] {self.inline(footnote.body)}', '']

    def figure(self, figure: Figure) -> list[str]:
        lines = [f'.. figure-placeholder:: {figure.kind}', f'   :name: {figure.name}', '',
                 f'   {self.inline(figure.caption)}', '']
        if figure.legend:
            lines += [f'   * {self.inline(item)}' for item in figure.legend] + ['']
        return lines

    # -- documents ------------------------------------------------------------------------

    def section_body(self, section: Section, level: int) -> list[str]:
        lines = []
        for paragraph in section.content:
            lines += self.paragraph(paragraph)
        for extra in section.extras:
            lines += self.footnote(extra) if isinstance(extra, Footnote) else self.figure(extra)
        pending: list[str] = []
        for child in section.children:
            if child.heading.rank in DOCUMENT_RANKS:
                self.document(child)
                pending.append(child.label)
                continue
            lines += toctree(pending)
            pending = []
            lines += self.heading(child, level + 1)
            lines += self.section_body(child, level + 1)
        return lines + toctree(pending)

    def document(self, section: Section) -> None:
        lines = self.heading(section, 0)
        if section.page_before:               # the document's first page: after its title
            lines += [f'.. original-page:: {section.page_before}', '']
        lines += self.section_body(section, 0)
        self.documents[section.label] = '\n'.join(lines).rstrip('\n') + '\n'

    def index(self, root: Section, cover: Text | None) -> None:
        lines = []
        if cover is not None:
            title = self.plain(cover)
            if BLOCK_START.match(cover.chars) and not INLINE_SPECIAL.match(cover.chars):
                title = '\\' + title          # (a special character is escaped already)
            rule = '=' * max(column_width(title), MIN_RULE)
            lines += [rule, title, rule, '']
        lines += self.section_body(root, 0)
        self.documents['index'] = '\n'.join(lines).rstrip('\n') + '\n'

    def write(self, folder: Path) -> list[Path]:
        paths = []
        for name, text in self.documents.items():
            path = folder / f'{name}.rst'
            path.write_text(text, encoding='utf-8')
            paths.append(path)
        return paths


def toctree(entries: list[str]) -> list[str]:
    if not entries:
        return []
    return ['.. toctree::', '   :maxdepth: 3', '', *(f'   {entry}' for entry in entries), '']
