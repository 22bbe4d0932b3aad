"""What an extraction can be wrong about, said before a draft is trusted.

- every line doubled (an extractor that emits each line twice, as some do for text drawn
  twice to look bold): refused — the draft would hold everything twice;
- the columns of a page interleaved line by line (``pdftotext`` without ``-raw`` on a
  two-column page, or pdf2txt.py's text boxes): refused, saying what to use instead;
- half-width katakana (ｶﾀｶﾅ): normalised to full width, each change listed;
- a file cut short (a footnote or a paragraph broken off mid-word at the end of the
  file): the draft is written, but its status says it is incomplete.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from taiyaku.importer.errors import ImportFailure
from taiyaku.importer.width import ends_sentence, is_japanese_letter, width

HALF_WIDTH_KANA = re.compile('[\uff61-\uff9f]+')


def doubled_lines(lines: list[str], name: str) -> None:
    text = [line.strip() for line in lines if line.strip()]
    if len(text) < 6:
        return
    pairs = sum(1 for a, b in zip(text[::2], text[1::2]) if a == b)
    if pairs >= 0.8 * (len(text) // 2):
        first = next(k for k, line in enumerate(lines, start=1) if line.strip())
        raise ImportFailure(name, f'every line is there twice ({pairs} of {len(text) // 2} lines repeated at once): '
                                  'the extractor doubled the text (text drawn twice, to look bold?); extract it '
                                  'again, or import the PDF itself', line=first)


def half_width_katakana(text: str) -> tuple[str, list[dict]]:
    """Half-width katakana (and their sound marks) to full width, each change listed."""
    changes = []
    line_starts = [0] + [m.end() for m in re.finditer('\n', text)]

    def full(match: re.Match) -> str:
        import bisect
        line = bisect.bisect_right(line_starts, match.start())
        converted = unicodedata.normalize('NFKC', match[0])
        changes.append({'line': line, 'col': match.start() - line_starts[line - 1], 'from': match[0], 'to': converted})
        return converted

    return HALF_WIDTH_KANA.sub(full, text), changes


def interleaved(lines: list[str], name: str) -> None:
    """Two columns read across the page (pdftotext without -raw, or pdf2txt.py's text
    boxes): a full line goes on not in the line after it, which is the other column's,
    but in the one after that. Each line cut mid-sentence votes for the line that goes on
    with it better — a word the join makes whole (by the dictionary), and the character
    strings the text itself repeats (official prose repeats its words). Refused when the
    votes say the lines alternate, somewhere or overall, saying what to use instead."""
    body = [line.strip() for line in lines if line.strip()]
    wide = [line for line in body if width(line) >= 8]
    if len(wide) < 16:
        return
    column = sorted(width(line) for line in wide)[len(wide) // 2]
    spaced = sum(1 for k in range(1, len(lines) - 1) if not lines[k].strip() and lines[k - 1].strip()
                 and lines[k + 1].strip()) / len(body)
    grams: Counter[str] = Counter()
    for line in body:
        grams.update(line[i:i + 2] for i in range(len(line) - 1))
        grams.update(line[i:i + 3] for i in range(len(line) - 2))
    votes = []
    candidates = [k for k in range(len(body) - 2) if abs(width(body[k]) - column) <= 1.5 and not ends_sentence(body[k])
                  and min(len(body[k]), len(body[k + 1]), len(body[k + 2])) >= 2]
    if len(candidates) > SAMPLE:          # a long book: stretches spread through it (an extractor's habit shows everywhere)
        step = len(candidates) / (SAMPLE // STRETCH)
        candidates = [candidates[int(n * step) + j] for n in range(SAMPLE // STRETCH) for j in range(STRETCH)
                      if int(n * step) + j < len(candidates)]
    for k in candidates:
        a, b, c = body[k], body[k + 1], body[k + 2]
        next_line, line_after = join_score(grams, a, b), join_score(grams, a, c)
        votes.append(1 if line_after > next_line else -1 if next_line > line_after else 0)
    alternate, sequential = votes.count(1), votes.count(-1)
    locally = max((sum(votes[k:k + WINDOW]) for k in range(max(1, len(votes) - WINDOW + 1))), default=0)
    if locally >= 3 or (spaced >= 0.5 and alternate >= 5 and alternate >= 0.5 * sequential):
        first = next(k for k, line in enumerate(lines, start=1) if line.strip())
        raise ImportFailure(name, 'the lines of two columns are interleaved (a line of the left column, then one of '
                                  'the right…): this is pdftotext without -raw, or a tool reading across the page. '
                                  'Extract it with `pdftotext -raw`, or import the PDF itself', line=first)


WINDOW = 10       # lines: a stretch where the columns alternate
SAMPLE = 800      # line breaks examined at most…
STRETCH = 40      # …in stretches this long


def join_score(grams: Counter, a: str, b: str) -> int:
    """How well ``b`` goes on from ``a``: how often the text has the strings the join makes,
    and whether the join makes a word whole."""
    return (grams[a[-1] + b[0]] + 3 * grams[a[-2:] + b[0]] + 3 * grams[a[-1] + b[:2]]
            + 20 * word_across(a[-6:], b[:6]))


def word_across(tail: str, head: str) -> bool:
    from taiyaku.importer.ruby import tokenizer
    offset = 0
    for token in tokenizer().tokenize(tail + head):
        end = offset + len(token.surface)
        if offset < len(tail) < end and token.part_of_speech.split(',')[0] in ('名詞', '動詞', '形容詞', '副詞', '助動詞'):
            return True
        offset = end
    return False


def truncated(paragraph_ends: list[str], footnote_ends: list[str], last_line: str) -> list[str]:
    """Warnings for a file cut short: its last text broken off mid-sentence."""
    warnings = []
    last = last_line.rstrip()
    if last and not ends_sentence(last) and is_japanese_letter(last[-1]):
        warnings.append(f'the file ends mid-sentence ({last[-20:]!r}): it may be cut short; check the last page')
    if footnote_ends and not ends_sentence(footnote_ends[-1]):
        warnings.append(f'the last footnote breaks off mid-sentence ({footnote_ends[-1][-20:]!r}): the file may '
                        'be cut short')
    return warnings


def disordered(dangling: list[str], footnote_ends: list[str]) -> list[str]:
    """Warnings for a text whose reading order is broken: paragraphs that break off
    mid-sentence with nothing later to continue them, footnotes that do (a tool that
    does not keep the page's reading order scatters the pieces of lines and notes)."""
    broken = [end for end in footnote_ends[:-1] if not ends_sentence(end)]
    if not dangling and not broken:
        return []
    return [f'{len(dangling)} paragraph(s) and {len(broken)} footnote(s) break off mid-sentence and nothing continues '
            'them: the extraction does not keep the page\'s reading order (pdftotext without -raw, pdf2txt.py?); '
            'the draft needs checking line by line — import the PDF itself, or a `pdftotext -raw` extraction']


def read_across(lines: list[str], column: float) -> list[str]:
    """Warnings for lines of running text that hold a line of each column: wider than the
    column, not as wide as a note, and a space between two Japanese words where the gutter
    was (pdftotext -raw reads a page's short, balanced columns across)."""
    across = [line for line in lines if column + 3 < width(line) < 1.8 * column
              and re.search(r'[^\x00-\x7f、。] [^\x00-\x7f「（]', line)]
    if not across:
        return []
    return [f'{len(across)} line(s) of running text hold a line of each column ({across[0][:24]!r}…): the '
            'extraction read a page across its columns; the draft needs checking there — import the PDF itself']
