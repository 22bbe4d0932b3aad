"""Kana to ASCII (Hepburn), for the labels of headings: docutils drops non-ASCII
characters from ids, so every heading gets an explicit ASCII label."""

from __future__ import annotations

import re

from taiyaku.importer.width import hiragana

BASIC = dict(zip(
    'あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん'
    'がぎぐげござじずぜぞだぢづでどばびぶべぼぱぴぷぺぽゔ',
    'a i u e o ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho '
    'ma mi mu me mo ya yu yo ra ri ru re ro wa o n '
    'ga gi gu ge go za ji zu ze zo da ji zu de do ba bi bu be bo pa pi pu pe po vu'.split()))
SMALL = {'ゃ': 'ya', 'ゅ': 'yu', 'ょ': 'yo', 'ぁ': 'a', 'ぃ': 'i', 'ぅ': 'u', 'ぇ': 'e', 'ぉ': 'o'}


def romanize(kana: str) -> str:
    """かくろん → kakuron, きょうと → kyouto; characters that are not kana are left out."""
    text = hiragana(kana)
    out: list[str] = []
    double = False
    for char in text:
        if char == 'っ':
            double = True
            continue
        if char in SMALL and out and out[-1]:
            previous = out.pop()
            vowel = SMALL[char][-1]
            if SMALL[char].startswith('y') and previous not in ('shi', 'chi', 'ji'):
                syllable = previous[:-1] + 'y' + vowel       # き+ょ → kyo
            else:
                syllable = previous[:-1] + vowel             # し+ゃ → sha, フ+ァ → fa
        elif char == 'ー':
            syllable = out[-1][-1] if out and out[-1][-1] in 'aiueo' else ''
        else:
            syllable = BASIC.get(char, '')
        if double and syllable:
            syllable = ('t' if syllable.startswith('ch') else syllable[0]) + syllable
        double = False
        out.append(syllable)
    return re.sub(r'[^a-z]', '', ''.join(out))
