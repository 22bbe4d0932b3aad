"""Japanese full-text search by character bigrams, in the index and in the browser.

Sphinx's stock Japanese search segments the indexed text with TinySegmenter but splits
the reader's query only at spaces and punctuation, so a query such as 北方領土 (indexed
as 北方 + 領) finds nothing. Bigram indexing is the standard cure for CJK search without
a dictionary: every run of kanji and kana is indexed as its overlapping two-character
pieces, the query is cut the same way in JavaScript, and a page matches when it holds
every piece. It is also much faster to build than TinySegmenter.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sphinx.search import SearchLanguage

if TYPE_CHECKING:
    from sphinx.application import Sphinx

# Han (with 々〆), hiragana, katakana (with ー), half-width katakana
CJK = '\u3005\u3006\u3040-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f'
TOKENS = re.compile(rf'[{CJK}]+|[^\W{CJK}]+')
IS_CJK = re.compile(rf'[{CJK}]')


def split(text: str) -> list[str]:
    """Latin words whole; runs of Japanese as overlapping bigrams (a lone character as itself)."""
    words = []
    for token in TOKENS.findall(text):
        if IS_CJK.match(token) and len(token) > 1:
            words.extend(token[i:i + 2] for i in range(len(token) - 1))
        else:
            words.append(token)
    return words


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


def setup(app: Sphinx) -> dict:
    app.add_search_language(SearchJapaneseBigram)
    return {'version': '1', 'parallel_read_safe': True, 'parallel_write_safe': True}
