"""How much two stretches of Japanese text are about the same thing: cosine similarity of
character-bigram TF-IDF vectors (no word segmentation needed; names and terms, written
the same way each time, carry the signal)."""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Iterable

NOT_CONTENT = re.compile(r'[\s、。・「」『』（）()：:，,．.0-9０-９]')


def bigrams(text: str) -> Counter[str]:
    text = NOT_CONTENT.sub('', text)
    return Counter(text[i:i + 2] for i in range(len(text) - 1))


class Similarity:
    def __init__(self, documents: Iterable[str]):
        self.frequency: Counter[str] = Counter()
        count = 0
        for document in documents:
            self.frequency.update(bigrams(document).keys())
            count += 1
        self.total = count + 1

    def vector(self, text: str) -> tuple[dict[str, float], float]:
        weights = {g: (1 + math.log(n)) * math.log(self.total / (self.frequency[g] + 0.5))
                   for g, n in bigrams(text).items()}
        return weights, math.sqrt(sum(w * w for w in weights.values())) or 1.0

    @staticmethod
    def cosine(a: tuple[dict[str, float], float], b: tuple[dict[str, float], float]) -> float:
        (wa, na), (wb, nb) = a, b
        if len(wa) > len(wb):
            wa, wb = wb, wa
        return sum(w * wb.get(g, 0.0) for g, w in wa.items()) / (na * nb)
