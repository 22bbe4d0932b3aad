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
        'parallel-edition': '対訳版',
        'untranslated': '未翻訳',
        'view': '表示',
        'view-only': '{language}のみ',
        'view-both': '対訳',
        'colophon': '奥付',
        'publisher': '発行',
        'this-edition': 'この版',
        'edition-history': '版歴',
        'edition': '版',
        'date': '発行日',
        'notes': '内容',
        'source': '底本',
        'source-checksum': '底本の SHA-256',
        'edition-id': '版の識別子',
        'commit': 'gitコミット',
        'changes': 'この版での変更',
        'changes-first': 'この版は初版です。前の版からの変更はありません。',
        'changes-none': 'この版では、前の版（{previous}）から本文に変更はありません。',
        'changes-intro': 'この版では、前の版（{previous}）の本文の次の誤りを訂正しました。',
        'erratum': '「{document}」　{original} → {corrected}',
        # the HTML and EPUB apparatus: navigation, the edition switcher, the cover
        'editions': '言語と版',
        'parallel-short': '対訳',
        'close': '閉じる',
        'skip-to-text': '本文へ移動',
        'pages-nav': '前後のページ',
        'previous': '前へ',
        'next': '次へ',
        'original-page': '{page}頁',
        'original-page-title': '原本{page}頁',
        'original-pages': '原本のページ',
        'landmarks': 'ガイド',
        'cover': '表紙',
        'text-begins': '本文',
        'cover-alt': '表紙：{title}',
        'original-page-mark': '原本',
        'original-pages-intro': '原本の各ページが始まる本書のページ。本文の余白にも原本のページを示した。',
        'original-page-entry': '原本 {page} ページ',
    },
    'en': {
        'placeholder-photo': 'Photograph not reproduced in this edition',
        'placeholder-chart': 'Chart not reproduced in this edition',
        'language-name': 'English',
        'switch-language': 'Language',
        'contents': 'Contents',
        'parallel-edition': 'Parallel-text edition',
        'untranslated': 'not yet translated',
        'view': 'Show',
        'view-only': '{language} only',
        'view-both': 'Both',
        'colophon': 'Colophon',
        'publisher': 'Publisher',
        'this-edition': 'This edition',
        'edition-history': 'Edition history',
        'edition': 'Edition',
        'date': 'Date',
        'notes': 'Notes',
        'source': 'Source',
        'source-checksum': 'SHA-256 of the source text',
        'edition-id': 'Edition identifier',
        'commit': 'Git commit',
        'changes': 'Changes in this edition',
        'changes-first': 'This is the first edition: nothing has changed since an earlier one.',
        'changes-none': 'The text is unchanged from the previous edition ({previous}).',
        'changes-intro': 'This edition corrects the following errors in the text of the previous edition ({previous}).',
        # a translation's own errata quote fragments of its sentences: in quotation marks
        'erratum': '“{document}”: “{original}” → “{corrected}”',
        # the HTML and EPUB apparatus: navigation, the edition switcher, the cover
        'editions': 'Language and edition',
        'parallel-short': 'Parallel text',
        'close': 'Close',
        'skip-to-text': 'Skip to the text',
        'pages-nav': 'Previous and next page',
        'previous': 'Previous',
        'next': 'Next',
        'original-page': 'p. {page}',
        'original-page-title': 'Page {page} of the original',
        'changes-translation': 'The English text',
        'changes-translation-none': 'No change to the English text since the previous edition ({previous}).',
        'changes-translation-intro': 'This edition corrects the following errors in the English text of the '
                                     'previous edition ({previous}).',
        'changes-master': 'The Japanese text',
        'changes-master-none': 'The Japanese text, from which this translation is made, is unchanged.',
        'changes-master-intro': 'The Japanese text, from which this translation is made, corrects the '
                                'following errors of the previous edition:',
        'erratum-master': '“{document}”: the Japanese {original} now reads {corrected}',
        'original-page-mark': 'orig.',
        'original-pages': 'Pages of the original',
        'landmarks': 'Guide',
        'cover': 'Cover',
        'text-begins': 'Start of the text',
        'cover-alt': 'Cover: {title}',
        'original-pages-intro': 'Where each page of the printed original begins in this book; '
                                'the original’s page numbers also stand in the margin of the text.',
        'original-page-entry': 'Page {page} of the original',
    },
}


def label(language: str | None, key: str) -> str:
    own = LABELS.get(language or 'en', {}).get(key)
    if own is None and key == 'language-name' and language:
        return language_name(language, language)      # a language added later: its own name (français)
    return own or LABELS['en'][key]


def language_name(language: str, in_language: str = 'en') -> str:
    """The language's name (Babel's CLDR data): ``language_name('fr')`` is French."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language).get_display_name(in_language) or language
    except (UnknownLocaleError, ValueError):
        return language


def format_date(language: str | None, date) -> str:
    """A date as the edition's language writes it: 2011年4月1日, 1 April 2011."""
    if language == 'ja':
        return f'{date.year}年{date.month}月{date.day}日'
    return f'{date.day} {date:%B} {date.year}'
