"""Japanese full-text search by character bigrams, in the index and in the browser.

Sphinx's stock Japanese search segments the indexed text with TinySegmenter but splits
the reader's query only at spaces and punctuation, so a query such as 北方領土 (indexed
as 北方 + 領) finds nothing. Bigram indexing is the standard cure for CJK search without
a dictionary: every run of kanji and kana is indexed as its overlapping two-character
pieces, the query is cut the same way in JavaScript, and a page matches when it holds
every piece. It is also much faster to build than TinySegmenter.

Bigrams make a big index: at a hundred times this section, 387,000 (term, page) pairs
against English's 120,000. Sphinx keeps each term's pages as a set of names (26 MB in
every Japanese HTML build at that size) and tests every pair again whenever it writes
searchindex.js. ``CompactIndexBuilder`` keeps them as arrays of page numbers instead (2 MB),
for every language; searchindex.js is byte for byte what Sphinx writes
(tests/test_search_index.py).
"""

from __future__ import annotations

import functools
import re
from array import array
from typing import TYPE_CHECKING, Any

from sphinx.search import IndexBuilder, SearchLanguage

if TYPE_CHECKING:
    from collections.abc import Iterable

    from docutils import nodes
    from sphinx.application import Sphinx

# Han (with 々〆), hiragana, katakana (with ー), half-width katakana
CJK = '\u3005\u3006\u3040-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f'
IS_CJK = re.compile(rf'[{CJK}]')
BIGRAMS = re.compile(rf'(?=([{CJK}]{{2}}))')                  # every overlapping pair, in one scan
LONE_CJK = re.compile(rf'(?<![{CJK}])[{CJK}](?![{CJK}])')
LATIN_WORDS = re.compile(rf'[^\W{CJK}]+')


def split(text: str) -> list[str]:
    """Latin words whole; runs of Japanese as overlapping bigrams (a lone character as itself).

    Each word once: the index records which pages hold a word, not how often.
    """
    return list(dict.fromkeys([*BIGRAMS.findall(text), *LONE_CJK.findall(text), *LATIN_WORDS.findall(text)]))


JS_SPLITTER = r'''
function splitQuery(query) {
  const cjk = /[\u3005\u3006\u3040-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]/u;
  const tokens = query.match(/[\u3005\u3006\u3040-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]+|[^\s\p{P}\p{S}\u3005\u3006\u3040-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]+/gu) || [];
  const terms = [];
  for (const token of tokens) {
    const chars = Array.from(token);
    if (cjk.test(chars[0]) && chars.length > 1) {
      for (let i = 0; i < chars.length - 1; i++) terms.push(chars[i] + chars[i + 1]);
    } else {
      terms.push(token);
    }
  }
  return terms;
}
'''


class SearchJapaneseBigram(SearchLanguage):
    lang = 'ja'
    language_name = 'Japanese'
    js_splitter_code = JS_SPLITTER

    def split(self, input: str) -> list[str]:
        return split(input)

    def word_filter(self, stemmed_word: str) -> bool:
        return len(stemmed_word) > 1 or bool(IS_CJK.match(stemmed_word))

    def stem(self, word: str) -> str:
        return word


class CompactIndexBuilder(IndexBuilder):
    """Sphinx's IndexBuilder with each term's pages as an array of page numbers.

    Sphinx's own ``feed`` indexes each page (on empty mappings, so its rules stay its
    own), and the page's number is appended to its terms' arrays; ``prune`` rewrites only
    the arrays that hold a removed page; ``get_terms`` maps numbers to positions with
    no per-pair test; stems are remembered across pages.
    """

    def compact(self) -> None:
        """Turn an IndexBuilder Sphinx has just made into this class (see ``use_compact_index``)."""
        self.__class__ = CompactIndexBuilder
        self._numbers: dict[str, int] = {}
        self._names: list[str] = []
        self._mapping, self._title_mapping = {}, {}
        # Sphinx remembers stems for one page at a time; English stemming (Snowball) was the
        # largest single cost of the English HTML build at 100×. Stems do not change: remember
        # them for the whole build.
        self.lang.stem = functools.cache(self.lang.stem)

    def number(self, docname: str) -> int:
        if docname not in self._numbers:
            self._numbers[docname] = len(self._names)
            self._names.append(docname)
        return self._numbers[docname]

    def arrays(self, mapping: dict[str, set[str]]) -> dict[str, array]:
        return {term: array('I', sorted(map(self.number, docnames))) for term, docnames in mapping.items()}

    def load(self, stream, format: Any) -> None:
        super().load(stream, format)
        self._mapping, self._title_mapping = self.arrays(self._mapping), self.arrays(self._title_mapping)

    def prune(self, docnames: Iterable[str]) -> None:
        keep = set(docnames)
        mappings = self._mapping, self._title_mapping
        self._mapping, self._title_mapping = {}, {}
        try:
            super().prune(keep)                 # titles, file names
        finally:
            self._mapping, self._title_mapping = mappings
        self.forget({number for docname, number in self._numbers.items() if docname not in keep})

    def forget(self, removed: set[int]) -> None:
        """Take pages out of the terms' arrays (only the arrays holding one are rewritten)."""
        if not removed:
            return
        for mapping in (self._mapping, self._title_mapping):
            for term, numbers in mapping.items():
                if not removed.isdisjoint(numbers):
                    mapping[term] = array('I', [number for number in numbers if number not in removed])

    def feed(self, docname: str, filename: str, title: str, doctree: nodes.document) -> None:
        if docname in self._numbers:            # indexed again without a prune in between
            self.forget({self._numbers[docname]})
        mappings = self._mapping, self._title_mapping
        self._mapping, self._title_mapping = {}, {}
        try:
            super().feed(docname, filename, title, doctree)
            fed = self._mapping, self._title_mapping
        finally:
            self._mapping, self._title_mapping = mappings
        number = self.number(docname)
        for mapping, terms in zip(mappings, fed):
            for term in terms:
                mapping.setdefault(term, array('I')).append(number)

    def get_terms(self, fn2index: dict[str, int]) -> tuple[dict[str, list[int] | int], dict[str, list[int] | int]]:
        position = [fn2index.get(docname) for docname in self._names]
        result: tuple[dict, dict] = ({}, {})
        for terms, mapping in zip(result, (self._mapping, self._title_mapping)):
            for term, numbers in mapping.items():
                found = [position[number] for number in numbers]
                if len(numbers) == 1:              # Sphinx: a single page is a number, if still indexed
                    if found[0] is not None:
                        terms[term] = found[0]
                else:
                    terms[term] = sorted(index for index in found if index is not None)
        return result


def use_compact_index(app: Sphinx) -> None:
    """Every HTML builder makes its IndexBuilder and then loads the last index into it."""
    builder = app.builder
    if not hasattr(builder, 'load_indexer'):
        return
    load_indexer = builder.load_indexer

    def load_compact(docnames) -> None:
        CompactIndexBuilder.compact(builder.indexer)
        load_indexer(docnames)

    builder.load_indexer = load_compact


def setup(app: Sphinx) -> dict:
    app.add_search_language(SearchJapaneseBigram)
    app.connect('builder-inited', use_compact_index)
    return {'version': '1', 'parallel_read_safe': True, 'parallel_write_safe': True}
