"""Fixed interface strings of the editions, per language.

These are apparatus, not text of the publication, so they live here rather than in the
master and its catalogs. A language without an entry falls back to English.
"""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    'ja': {
        'placeholder-photo': '写真は本版には収録していません',
        'placeholder-chart': '図表は本版には収録していません',
        'language-name': '日本語',
        'switch-language': '言語',
        'contents': '目次',
    },
    'en': {
        'placeholder-photo': 'Photograph not reproduced in this edition',
        'placeholder-chart': 'Chart not reproduced in this edition',
        'language-name': 'English',
        'switch-language': 'Language',
        'contents': 'Contents',
    },
}


def label(language: str | None, key: str) -> str:
    return LABELS.get(language or 'en', LABELS['en']).get(key) or LABELS['en'][key]
