"""Master lint: what the master can hold that docutils publishes without a word.

    taiyaku lint [FILES…]          (make lint; every `taiyaku build` prints the same, and the release refuses)

Each finding is ``source/<doc>.rst:<line>: [check] message``:

``tab``
    a tab inside a line of text (docutils publishes it as spaces);
``space``
    a no-break space, a zero-width space or joiner, a word joiner, a soft hyphen or a
    byte-order mark inside the text; and a stray ideographic space (U+3000). The
    Bluebook sets U+3000 between a heading's number and its words (``1　ロシア``), in
    spaced headings (``各　論``) and inside figure captions (``横浜　写真提供``): between
    two characters of a heading or a caption it is the publication's own; anywhere else —
    in a paragraph or a footnote, doubled, or at the start or end of a line — it is stray;
``halfwidth``
    half-width katakana or punctuation (ｱｲｳ, ｢｣, ､｡): the master is in full-width forms;
``footnote``
    a paragraph indented after a footnote: docutils makes it the footnote's second
    paragraph, and the body text moves into the note;
``encoding``
    a file that is not UTF-8.

Literal blocks and code, raw and math directives are left alone, and so are comments.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from taiyaku.findings import Finding
from taiyaku.project import Project
from taiyaku.stamps import code_digest, signature

INVISIBLE = {
    '\u00a0': 'a no-break space (U+00A0)',
    '\u202f': 'a narrow no-break space (U+202F)',
    '\u200b': 'a zero-width space (U+200B)',
    '\u200c': 'a zero-width non-joiner (U+200C)',
    '\u200d': 'a zero-width joiner (U+200D)',
    '\u2060': 'a word joiner (U+2060)',
    '\u00ad': 'a soft hyphen (U+00AD)',
    '\ufeff': 'a byte-order mark (U+FEFF)',
}
IDEOGRAPHIC_SPACE = '\u3000'
HALFWIDTH = re.compile(r'[\uff61-\uff9f]+')          # half-width katakana and CJK punctuation
ADORNMENT = re.compile(r'^([!-/:-@\[-`{-~])\1+\s*$')  # a section title's under- or overline
DIRECTIVE = re.compile(r'^(?P<indent>\s*)\.\.\s+(?P<name>[\w:+-]+)::')
FOOTNOTE = re.compile(r'^(?P<indent>\s*)\.\.\s+\[(?P<label>#[\w-]*|\d+|\*)\]\s')
EXPLICIT = re.compile(r'^\s*\.\.(\s|$)')             # any explicit markup: comment, target, directive…
VERBATIM = {'code', 'code-block', 'sourcecode', 'raw', 'math', 'highlight', 'parsed-literal'}
CAPTIONED = {'figure', 'figure-placeholder', 'table', 'csv-table', 'list-table'}


def indentation(line: str) -> int:
    return len(line) - len(line.lstrip(' \t'))


@dataclass
class Block:
    """What the line being read belongs to."""
    kind: str = 'text'            # text, heading, caption, footnote, verbatim, comment
    indent: int = -1              # the indentation its content must exceed (-1: top level)
    label: str = ''               # a footnote's label
    blank_before: bool = False    # a blank line since the block's last content line


def classify(lines: list[str]) -> list[tuple[str, str]]:
    """(kind, footnote label) for every line."""
    kinds: list[tuple[str, str]] = []
    block = Block()
    literal_next = False
    for number, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            kinds.append(('blank', block.label))
            if block.kind != 'text':
                block.blank_before = True
            continue
        indent = indentation(line)
        if block.kind != 'text' and indent <= block.indent:
            block = Block()                   # the block ended: back at its level or above
        if block.kind != 'text':
            kind = block.kind
            if kind == 'footnote' and block.blank_before:
                kind = 'footnote-paragraph'
            elif kind == 'caption-head' and block.blank_before:
                block.kind = kind = 'caption'     # after the options: the caption itself
            kinds.append((kind, block.label))
            if kind == 'footnote-paragraph':
                block.blank_before = False
            continue
        if literal_next and indent > 0:
            block = Block('verbatim', 0)
            kinds.append(('verbatim', ''))
            continue
        literal_next = False
        directive, footnote = DIRECTIVE.match(line), FOOTNOTE.match(line)
        if footnote:
            block = Block('footnote', indentation(line), footnote['label'])
            kinds.append(('footnote', block.label))
        elif directive:
            name = directive['name'].lower()
            kind = 'verbatim' if name in VERBATIM else 'caption-head' if name in CAPTIONED else 'directive'
            block = Block(kind, indentation(line))
            kinds.append(('directive', ''))
        elif EXPLICIT.match(line):
            block = Block('comment', indentation(line))
            kinds.append(('comment', ''))
        elif ADORNMENT.match(stripped):
            kinds.append(('adornment', ''))
        else:
            following = lines[number + 1].strip() if number + 1 < len(lines) else ''
            kinds.append(('heading' if following and ADORNMENT.match(following) else 'text', ''))
            literal_next = stripped.endswith('::')
    return kinds


def ideographic_spaces(line: str, kind: str) -> list[tuple[int, str]]:
    """The stray U+3000 of a line: (column, why)."""
    found = []
    text_start = indentation(line)
    for column, char in enumerate(line):
        if char != IDEOGRAPHIC_SPACE:
            continue
        before, after = line[text_start:column], line[column + 1:]
        if not before.strip(' \t\u3000'):
            found.append((column, 'at the start of the line'))
        elif not after.strip(' \t\u3000'):
            found.append((column, 'at the end of the line'))
        elif before.endswith(IDEOGRAPHIC_SPACE) or after.startswith(IDEOGRAPHIC_SPACE):
            found.append((column, 'doubled'))
        elif kind not in ('heading', 'caption', 'caption-head'):
            found.append((column, 'inside body text (the Bluebook sets U+3000 only in headings and captions)'))
    return found


def check_text(path: Path, text: str) -> list[Finding]:
    lines = text.split('\n')
    findings = []

    def say(number: int, check: str, message: str) -> None:
        findings.append(Finding(path, number, check, message))

    kinds = classify(lines)
    for number, (line, (kind, label)) in enumerate(zip(lines, kinds), start=1):
        if kind in ('verbatim', 'comment', 'blank'):
            continue
        column = indentation(line)
        if '\t' in line[column:]:
            say(number, 'tab', f'a tab inside the text at column {line.index(chr(9), column) + 1} '
                               '(published as spaces): use a space, or nothing between Japanese characters')
        for char, name in INVISIBLE.items():
            if char in line and not (number == 1 and char == '\ufeff' and line.index(char) == 0):
                say(number, 'space', f'{name} at column {line.index(char) + 1}: invisible in the source, '
                                     'published as it is')
        for at, why in ideographic_spaces(line, kind):
            say(number, 'space', f'an ideographic space (U+3000) at column {at + 1}, {why}')
        for match in HALFWIDTH.finditer(line):
            say(number, 'halfwidth', f'half-width katakana {match.group()!r} at column {match.start() + 1}: '
                                     'the master uses full-width forms')
        if kind == 'footnote-paragraph' and kinds[number - 2][0] == 'blank':
            say(number, 'footnote', f'this indented paragraph follows footnote [{label}] and becomes its second '
                                    'paragraph: unindent it if it is body text')
    return findings


def check_file(path: Path) -> list[Finding]:
    data = path.read_bytes()
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b'\n') + 1
        column = exc.start - (data.rfind(b'\n', 0, exc.start) + 1) + 1
        return [Finding(path, line, 'encoding', f'not UTF-8 (byte 0x{data[exc.start]:02x} at column {column}): '
                                                'save the file as UTF-8')]
    return check_text(path, text.replace('\r\n', '\n'))


def undecodable(project: Project) -> list[str]:
    """``source/<doc>.rst:<line>: not UTF-8 …`` for every source Sphinx could not read."""
    return [f'{finding.format(project.root).replace(" [encoding]", "", 1)}'
            for finding in check_project_remembered(project) if finding.check == 'encoding']


def check_project_remembered(project: Project) -> list[Finding]:
    """``check_project`` for every build: a file unchanged since the last build (the same
    ``signature``, the same lint code) is not read again; its findings are remembered in
    build/.work/lint.json. At a hundred times the master this is most of a one-page rebuild's
    own work outside Sphinx (every build lints the whole master, twice: encoding, then the rest)."""
    cache = project.work / 'lint.json'
    version = code_digest([sys.modules[__name__]])
    try:
        remembered = json.loads(cache.read_text(encoding='utf-8'))
        if remembered.get('version') != version:
            remembered = {}
    except (OSError, ValueError):
        remembered = {}
    files = remembered.get('files', {})
    found, kept = [], {}
    for path in master_files(project):
        relative = path.relative_to(project.root).as_posix()
        stamp = signature(path)
        entry = files.get(relative)
        if entry is not None and entry['signature'] == stamp:
            findings = [Finding(path, line, check, message) for line, check, message in entry['findings']]
        else:
            findings = check_file(path)
        kept[relative] = {'signature': stamp,
                          'findings': [[finding.line, finding.check, finding.message] for finding in findings]}
        found += findings
    if kept != files:
        try:
            project.work.mkdir(parents=True, exist_ok=True)
            temporary = cache.with_name(f'.lint.json.{os.getpid()}')
            temporary.write_text(json.dumps({'version': version, 'files': kept}), encoding='utf-8')
            os.replace(temporary, cache)
        except OSError:                  # an unwritable build folder: linted again next time
            pass
    return sorted(found)


def master_files(project: Project) -> list[Path]:
    return sorted(path for path in project.source.rglob('*.rst') if path.is_file())


def check_project(project: Project, paths: Iterable[Path] | None = None) -> list[Finding]:
    return sorted(finding for path in (paths if paths is not None else master_files(project))
                  for finding in check_file(Path(path)))


# -- the command ---------------------------------------------------------------------------------

def add_parser(sub) -> None:
    p = sub.add_parser('lint', help='find what the master holds that would be published silently '
                                    '(tabs, invisible or stray spaces, half-width kana, a footnote swallowing a paragraph)')
    p.add_argument('files', nargs='*', type=Path, help='files to check (default: every .rst under source/)')
    p.set_defaults(func=run)


def run(args: argparse.Namespace, project: Project) -> int:
    missing = [str(path) for path in args.files if not path.is_file()]
    if missing:
        print(f'taiyaku: no such file: {", ".join(missing)}', file=sys.stderr)
        return 2
    findings = check_project(project, args.files or None)
    for finding in findings:
        print(finding.format(Path.cwd()))
    files = len(args.files) or len(master_files(project))
    print(f'taiyaku: lint: {files} file(s), {len(findings)} finding(s)', file=sys.stderr)
    return 1 if findings else 0
