"""Where every input character went.

Each stage claims the characters it consumes: the writer claims what reaches the draft
(text, ruby readings, enumerators moved into headings); the classifiers claim what
becomes markup (footnote numbers) or is dropped (furniture, whitespace); line breaks
are claimed here. :meth:`Ledger.balance` then checks that the claims cover every
character of every line exactly once — a gap is a character lost, an overlap a
character used twice.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from taiyaku.importer.text import Text

IN_DRAFT = ('text', 'reading', 'enumerator')
AS_MARKUP = ('footnote-ref', 'footnote-label')
DROPPED = ('furniture', 'whitespace', 'line-break')
KINDS = IN_DRAFT + AS_MARKUP + DROPPED


@dataclass
class Balance:
    total: int
    by_kind: dict[str, int]
    by_reason: dict[str, dict[str, int]]
    unaccounted: list[dict] = field(default_factory=list)    # stretches nobody claimed
    doubled: list[dict] = field(default_factory=list)        # stretches claimed twice

    @property
    def accounted(self) -> int:
        return sum(self.by_kind.values())

    @property
    def balanced(self) -> bool:
        return not self.unaccounted and not self.doubled and self.accounted == self.total


class Ledger:
    def __init__(self, lines: list[str], terminators: list[str]):
        self.lines, self.terminators = lines, terminators
        self.claims: dict[int, list[tuple[int, int, str, str]]] = defaultdict(list)
        self.in_draft: Counter[str] = Counter()

    def claim(self, line: int, col: int, length: int, kind: str, reason: str = '') -> None:
        assert kind in KINDS, kind
        if length > 0:
            self.claims[line].append((col, col + length, kind, reason))
            if kind in IN_DRAFT:
                self.in_draft.update(self.lines[line - 1][col:col + length])

    def claim_text(self, text: Text, kind: str, reason: str = '') -> None:
        for span in text.source_spans():
            self.claim(span.line, span.col, span.length, kind, reason)

    def balance(self) -> Balance:
        by_kind: Counter[str] = Counter()
        by_reason: dict[str, Counter[str]] = defaultdict(Counter)
        unaccounted, doubled = [], []
        total = 0
        for number, (line, terminator) in enumerate(zip(self.lines, self.terminators), start=1):
            total += len(line) + len(terminator)
            if terminator:
                by_kind['line-break'] += len(terminator)
            covered = 0
            for start, end, kind, reason in sorted(self.claims.get(number, ())):
                if start > covered:
                    unaccounted.append({'line': number, 'col': covered, 'text': line[covered:start]})
                elif start < covered:
                    doubled.append({'line': number, 'col': start, 'text': line[start:min(end, covered)]})
                by_kind[kind] += end - start
                if reason:
                    by_reason[kind][reason] += end - start
                covered = max(covered, end)
            if covered < len(line):
                unaccounted.append({'line': number, 'col': covered, 'text': line[covered:]})
            elif covered > len(line):
                doubled.append({'line': number, 'col': len(line), 'text': '(beyond the end of the line)'})
        return Balance(total, dict(by_kind), {kind: dict(reasons) for kind, reasons in by_reason.items()},
                       unaccounted, doubled)
