"""Reading the text a reader sees in a built HTML page, without browser machinery."""

from __future__ import annotations

import re
from html.parser import HTMLParser

VOID = {'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr'}
# What is not the publication's text: navigation, numbering and apparatus.
SKIP_CLASSES = {'headerlink', 'fn-bracket', 'footnote-reference', 'label', 'figure-placeholder',
                'toctree-wrapper', 'pager'}


class BodyText(HTMLParser):
    """Collect the text of ``div.body``; ruby readings kept or dropped on request."""

    def __init__(self, keep_readings: bool, fragment: bool):
        super().__init__(convert_charrefs=True)
        self.keep_readings = keep_readings
        self.fragment = fragment
        self.stack: list[tuple[str, bool, bool]] = []   # (tag, in body, skipping)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attrs = dict(attrs)
        classes = set((attrs.get('class') or '').split())
        in_body, skipping = self.stack[-1][1:] if self.stack else (self.fragment, False)
        in_body = in_body or (tag == 'div' and 'body' in classes)
        skipping = skipping or bool(classes & SKIP_CLASSES) or tag == 'rp' or (tag == 'rt' and not self.keep_readings)
        self.stack.append((tag, in_body, skipping))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        in_body, skipping = self.stack[-1][1:] if self.stack else (self.fragment, False)
        if in_body and not skipping:
            self.parts.append(data)


def body_text(html: str, keep_readings: bool = False, fragment: bool = False) -> str:
    """The page's publication text with all white space removed (line breaks are layout).

    A whole page contributes only its ``div.body``; a ``fragment`` of one contributes all.
    """
    parser = BodyText(keep_readings, fragment)
    parser.feed(html)
    return re.sub(r'\s+', '', ''.join(parser.parts))
