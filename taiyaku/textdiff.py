"""Character diffs in wdiff's notation, for Japanese text (which has no spaces to diff words by).

``inline_diff('ウスベキスタン', 'ウズベキスタン')`` is ``ウ[-ス-]{+ズ+}ベキスタン``;
``excerpt_around_change`` cuts a long one down to the changed places.
"""

from __future__ import annotations

import difflib


def inline_diff(before: str, after: str) -> str:
    """``ウ[-ス-]{+ズ+}ベキスタン``: wdiff's notation, character by character (Japanese has no spaces)."""
    pieces = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation == 'equal':
            pieces.append(before[a1:a2])
        else:
            if a2 > a1:
                pieces.append(f'[-{before[a1:a2]}-]')
            if b2 > b1:
                pieces.append(f'{{+{after[b1:b2]}+}}')
    return ''.join(pieces)


def excerpt_around_change(diff: str, context: int = 20) -> str:
    """The inline diff cut down to the changed places and ``context`` characters around them."""
    marks = [i for i, c in enumerate(diff) if diff.startswith(('[-', '{+'), i)]
    if not marks:
        return diff
    closing = [diff.find('-]', i) + 2 if diff.startswith('[-', i) else diff.find('+}', i) + 2 for i in marks]
    start, end = max(0, marks[0] - context), min(len(diff), closing[-1] + context)
    return ('…' if start else '') + diff[start:end] + ('…' if end < len(diff) else '')
