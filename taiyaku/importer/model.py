"""What the importer recognises in the raw text, from rows up to sections."""

from __future__ import annotations

from dataclasses import dataclass, field

from taiyaku.importer.text import Text


@dataclass
class Anchor:
    """A ruby reading found between two pieces of text, before it is attached to a base."""
    offset: int        # where in the row (later: paragraph) the reading line stood
    reading: Text
    attached: bool     # the reading line came right after its text line, without a blank
    base: int = 0      # from a PDF: the base is known, ``base`` characters from ``offset`` on
    parts: tuple[int, ...] = ()    # …and the reading's split, one part per base character

    def moved(self, offset: int) -> Anchor:
        return Anchor(offset, self.reading, self.attached, self.base, self.parts)


@dataclass
class LineFacts:
    """What a PDF's page shows about one line of its text (the PDF front end's findings)."""
    page: int
    column: int                      # 1, 2, or 0 across the gutter
    box: tuple[float, float, float, float]
    role: str                        # text, small, heading, cover, reading, note-start, note, caption, legend,
                                     # furniture
    reason: str = ''                 # why furniture
    size: float = 1.0                # the line's em over the text's
    starts: bool = False             # a text line that starts a paragraph
    ends: bool = False               # a text line that ends short
    raised: list[int] = field(default_factory=list)     # raised glyphs (footnote references), by column
    spaces: list[int] = field(default_factory=list)     # columns before which a space stands (not in the PDF)
    label: int = 0                   # a note's first line: the glyphs of its number
    figure: int = 0                  # a caption or legend line: which figure
    host: int = 0                    # a reading: the line it stands over…
    base: tuple[int, int] = (0, 0)   # …the base's columns in it…
    parts: list[int] = field(default_factory=list)      # …and its per-character split, if any
    pages: list[tuple[int, int]] = field(default_factory=list)  # the original's pages begun in it: (column, number)


@dataclass
class Row:
    """One logical line: a physical line, or the pieces of one that ruby readings split."""
    text: Text
    lines: tuple[int, ...]
    anchors: list[Anchor] = field(default_factory=list)
    indented: bool = False     # began with a full-width space (an indent the extraction kept)
    kind: str = 'text'         # 'blank', 'text', or what a classifier made of it
    payload: object = None     # what the classifier found (a Heading, a Footnote, …)
    facts: LineFacts | None = None    # from a PDF: what the page shows about this line
    markers: list[tuple[int, int]] = field(default_factory=list)   # from a PDF: raised digits (offset, length)

    @property
    def line(self) -> int:
        return self.lines[0]

    @property
    def chars(self) -> str:
        return self.text.chars


@dataclass
class Ruby:
    start: int                 # base range in the paragraph text
    end: int
    readings: list[Text]       # one for group ruby, one per base character otherwise
    confirmed: bool            # the dictionary gives this reading for this base
    note: str = ''
    by: str = ''               # what placed it, when not the dictionary or the text's layout


@dataclass
class Inline:
    """Text with its ruby readings and footnote references: a paragraph, a caption…"""
    text: Text
    anchors: list[Anchor] = field(default_factory=list)
    rubies: list[Ruby] = field(default_factory=list)
    refs: list = field(default_factory=list)     # FootnoteRef
    pages: list[tuple[int, int]] = field(default_factory=list)   # (offset, number): an original page begins here


@dataclass
class FootnoteRef:
    offset: int
    footnote: Footnote
    marker: Text               # the digits that stood in the text


@dataclass
class Footnote:
    number: int
    label: Text                # the number that opened the footnote block
    body: Inline
    lines: tuple[int, int]
    name: str = ''             # rst label, given by the writer's naming pass
    cited: bool = False


@dataclass
class Figure:
    kind: str                  # 'photo' or 'chart'
    caption: Inline
    legend: list[Inline]
    lines: tuple[int, int]
    name: str = ''


@dataclass
class Heading:
    rank: int                  # CHAPTER … KANA in headings.py
    number: int | None         # the Bluebook's own number, for ordering siblings
    body: Inline
    lines: tuple[int, int]
    needs_enumerator: bool = False   # a kana-enumerated subhead whose letter stands elsewhere
    enumerator: Text | None = None   # that letter, once found (or supplied)

    @property
    def text(self) -> Text:
        return self.body.text


@dataclass
class Paragraph:
    body: Inline
    rows: list[Row]
    section: Section | None = None
    complete: bool = True      # ends with a sentence end
    footnotes: list[Footnote] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    page_before: int | None = None     # an original page begins with this paragraph

    @property
    def lines(self) -> tuple[int, int]:
        return self.rows[0].line, self.rows[-1].lines[-1]


@dataclass
class Section:
    heading: Heading | None
    parent: Section | None = None
    content: list[Paragraph] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    label: str = ''
    extras: list = field(default_factory=list)     # footnotes and figures no paragraph took
    page_before: int | None = None     # an original page begins with this heading

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1
