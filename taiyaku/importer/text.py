"""Text that remembers where every character came from in the raw file.

A :class:`Text` is a string plus spans: each span maps a stretch of it to a line and
column of the input, or marks it as added by the importer (with the reason). The
report's accounting is computed from these spans, so a character cannot reach the draft
without its origin, and an origin cannot be claimed twice without the ledger noticing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator


@dataclass(frozen=True, slots=True)
class Span:
    offset: int        # where the stretch starts in the Text
    length: int
    line: int          # input line (1-based); for added text, the line it belongs to
    col: int           # column in that line; -1 for added text
    added: str = ''    # why the importer added this text; '' when it comes from the input


class Text:
    __slots__ = ('chars', 'spans')

    def __init__(self, chars: str = '', spans: tuple[Span, ...] = ()):
        self.chars = chars
        self.spans = spans

    @classmethod
    def source(cls, line: int, col: int, chars: str) -> Text:
        return cls(chars, (Span(0, len(chars), line, col),) if chars else ())

    @classmethod
    def added(cls, chars: str, reason: str, line: int) -> Text:
        return cls(chars, (Span(0, len(chars), line, -1, reason),) if chars else ())

    def __len__(self) -> int:
        return len(self.chars)

    def __str__(self) -> str:
        return self.chars

    def __repr__(self) -> str:
        return f'Text({self.chars!r})'

    def __add__(self, other: Text) -> Text:
        return Text.join((self, other))

    @staticmethod
    def join(parts: Iterable[Text]) -> Text:
        """Concatenate in one pass, merging spans that continue each other in the input."""
        chars: list[str] = []
        spans: list[Span] = []
        shift = 0
        for part in parts:
            chars.append(part.chars)
            for span in part.spans:
                offset = span.offset + shift
                last = spans[-1] if spans else None
                if (last and not last.added and not span.added and last.line == span.line
                        and last.col + last.length == span.col and last.offset + last.length == offset):
                    spans[-1] = Span(last.offset, last.length + span.length, last.line, last.col)
                else:
                    spans.append(Span(offset, span.length, span.line, span.col, span.added))
            shift += len(part.chars)
        return Text(''.join(chars), tuple(spans))

    def slice(self, start: int, end: int | None = None) -> Text:
        end = len(self.chars) if end is None else end
        start, end = max(0, start), min(len(self.chars), end)
        if start >= end:
            return Text()
        spans = []
        for span in self.spans:
            a, b = max(span.offset, start), min(span.offset + span.length, end)
            if a < b:
                col = span.col + (a - span.offset) if span.col >= 0 else -1
                spans.append(Span(a - start, b - a, span.line, col, span.added))
        return Text(self.chars[start:end], tuple(spans))

    def where(self, offset: int = 0) -> tuple[int, int]:
        """(line, column) of the character at ``offset`` (column -1 for added text)."""
        for span in self.spans:
            if span.offset <= offset < span.offset + span.length:
                return span.line, span.col + (offset - span.offset) if span.col >= 0 else -1
        return (self.spans[-1].line, -1) if self.spans else (0, -1)

    @property
    def first_line(self) -> int:
        return self.spans[0].line if self.spans else 0

    @property
    def last_line(self) -> int:
        return self.spans[-1].line if self.spans else 0

    def lines(self) -> list[int]:
        return sorted({span.line for span in self.spans if not span.added})

    def source_spans(self) -> Iterator[Span]:
        return (span for span in self.spans if not span.added)

    def added_spans(self) -> Iterator[tuple[str, Span]]:
        return ((self.chars[span.offset:span.offset + span.length], span) for span in self.spans if span.added)
