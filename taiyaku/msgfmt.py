"""A catalog as ``msgfmt -c`` reads it: token by token, every problem with its line.

Babel and polib read malformed catalogs leniently (an unterminated string, a second
``msgstr`` or a duplicate message passes, or ends in a bare exception), so every strict
reader of taiyaku starts here (``taiyaku.po`` before Babel, catalog QA's ``syntax`` and
``header`` checks). ``read`` never raises; the ``PoFile`` it returns holds

- ``errors``: what msgfmt -c refuses — bytes that are not UTF-8 or a byte-order mark, a
  charset other than UTF-8, a line that is not a comment, a keyword (``msgctxt``,
  ``msgid``, ``msgid_plural``, ``msgstr``, ``msgstr[n]``) or a string, a string not closed
  on its line or with an escape C does not have, a message without its ``msgstr``
  (``msgstr[n]`` for a plural one, as many as the header's ``nplurals``), a message
  defined twice (obsolete ones included, as msgfmt counts them), ``msgid`` and ``msgstr``
  disagreeing on a leading or trailing newline, no header, an invalid ``Plural-Forms``;
- ``warnings``: what msgfmt only warns about — a header field missing or still holding
  the template's default value;
- the entries and header fields, with their lines.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

PLAIN = re.compile(r'[^"\\]+')                 # what a string holds as it is written
ESCAPE = re.compile(r'\\(?:[ntrabfv"\\\'?]|[0-7]{1,3}|x[0-9A-Fa-f]+)')
ESCAPED = {'n': '\n', 't': '\t', 'r': '\r', 'a': '\a', 'b': '\b', 'f': '\f', 'v': '\v',
           '"': '"', '\\': '\\', "'": "'", '?': '?'}
KEYWORD = re.compile(r'(?P<name>[A-Za-z_]\w*)(?:\s*\[\s*(?P<index>\d+)\s*\])?')
KEYWORDS = {'msgctxt', 'msgid', 'msgid_plural', 'msgstr'}
REQUIRED_HEADERS = ('Project-Id-Version', 'PO-Revision-Date', 'Last-Translator', 'Language-Team',
                    'MIME-Version', 'Content-Type', 'Content-Transfer-Encoding', 'Language')
TEMPLATE_DEFAULTS = {'PACKAGE VERSION', 'YEAR-MO-DA HO:MI+ZONE', 'FULL NAME <EMAIL@ADDRESS>',
                     'LANGUAGE <LL@li.org>', 'ENCODING', ''}
PLURAL_FORMS = re.compile(r'^\s*nplurals\s*=\s*(?P<n>\d+)\s*;\s*plural\s*=\s*(?P<expr>[^;]+?)\s*;?\s*$')


@dataclass
class Part:
    """A keyword and its strings, as written."""
    keyword: str
    index: int | None
    line: int
    strings: list[tuple[int, str]] = field(default_factory=list)     # (line, unescaped text)

    @property
    def text(self) -> str:
        return ''.join(text for _, text in self.strings)


@dataclass
class RawEntry:
    parts: list[Part]
    obsolete: bool
    flags: set[str]

    def part(self, keyword: str) -> Part | None:
        return next((p for p in self.parts if p.keyword == keyword), None)

    @property
    def line(self) -> int:
        return self.part('msgid').line

    @property
    def key(self) -> tuple[str | None, str]:
        context = self.part('msgctxt')
        return (context.text if context else None), self.part('msgid').text

    @property
    def translations(self) -> list[Part]:
        return [p for p in self.parts if p.keyword == 'msgstr']


@dataclass
class PoFile:
    """A catalog as msgfmt reads it: its entries, header fields and problems."""
    path: Path
    entries: list[RawEntry] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    header: dict[str, tuple[str, int]] = field(default_factory=dict)    # field → (value, line)
    # errors that are only an obsolete (#~) entry defining a live message again: the state an
    # update that did not revive an obsolete entry leaves; `make update-po` mends it
    obsolete_twins: set[tuple[int, str]] = field(default_factory=set)


# -- reading ------------------------------------------------------------------------------

def decode(data: bytes, po: PoFile) -> str:
    if data.startswith(b'\xef\xbb\xbf'):
        po.errors.append((1, 'the file starts with a byte-order mark; msgfmt refuses it: save as UTF-8 without BOM'))
        data = data[3:]
    try:
        return data.decode('utf-8')
    except UnicodeDecodeError:
        pass
    for number, raw in enumerate(data.split(b'\n'), start=1):
        try:
            raw.decode('utf-8')
        except UnicodeDecodeError as exc:
            po.errors.append((number, f'invalid UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1}): '
                                      'catalogs must be saved as UTF-8'))
    return data.decode('utf-8', errors='replace')


def lex_string(line: str, start: int) -> tuple[str | None, int, str | None]:
    """The string opening at ``line[start]``: (text, position after it, error)."""
    out, i = [], start + 1
    while i < len(line):
        plain = PLAIN.match(line, i)           # a run of ordinary characters at once
        if plain:
            out.append(plain.group())
            i = plain.end()
            continue
        if line[i] == '"':
            return ''.join(out), i + 1, None
        match = ESCAPE.match(line, i)          # what is left is a backslash
        if not match:
            return None, i, f'invalid escape sequence {line[i:i + 2]} at column {i + 1} (write \\\\ for a backslash)'
        code = match.group()[1:]
        if code[0] in ESCAPED:
            out.append(ESCAPED[code[0]])
        elif code[0] == 'x':
            out.append(chr(int(code[1:], 16)))
        else:
            out.append(chr(int(code, 8)))
        i = match.end()
    return None, i, 'end of line within a string: a closing " is missing'


class Reader:
    """msgfmt's grammar, one token at a time: [msgctxt] msgid (msgstr | msgid_plural msgstr[n]…)."""

    def __init__(self, po: PoFile):
        self.po = po
        self.parts: list[Part] = []
        self.obsolete = False
        self.flags: set[str] = set()
        self.pending_flags: set[str] = set()
        self.recovering = False     # after an error: skip to the next message

    def error(self, line: int, message: str) -> None:
        self.po.errors.append((line, message))

    @property
    def state(self) -> str | None:
        return self.parts[-1].keyword if self.parts else None

    def finish(self) -> None:
        """End the message being read: keep it if it is complete, report it if not."""
        if self.parts and not self.recovering:
            last = self.parts[-1]
            if not last.strings:
                self.error(last.line, f'{last.keyword} without a string')
            elif last.keyword in ('msgctxt', 'msgid', 'msgid_plural'):
                msgid = next((p for p in self.parts if p.keyword == 'msgid'), last)
                self.error(msgid.line, "missing 'msgstr' section")
            else:
                self.po.entries.append(RawEntry(self.parts, self.obsolete, self.flags))
        self.parts, self.recovering = [], False

    def comment(self, text: str) -> None:
        self.finish()
        if text.startswith('#,'):
            self.pending_flags |= {flag.strip() for flag in text[2:].split(',') if flag.strip()}

    def keyword(self, name: str, index: int | None, line: int, obsolete: bool) -> None:
        if self.parts and not self.parts[-1].strings and not self.recovering:
            self.error(self.parts[-1].line, f'{self.parts[-1].keyword} without a string')
            self.recovering = True
        if index is not None and name != 'msgstr':
            self.error(line, f'syntax error: {name}[{index}]: only msgstr takes an index')
            self.recovering = True
            return
        if name == 'msgctxt' or (name == 'msgid' and (self.state != 'msgctxt' or self.recovering)):
            self.finish()       # a new message: the one before it must be complete
            self.obsolete, self.flags, self.pending_flags = obsolete, self.pending_flags, set()
            self.parts.append(Part(name, None, line))
            return
        if self.recovering:
            return
        if obsolete != self.obsolete:
            self.error(line, 'inconsistent use of #~: a message is obsolete (#~) on all its lines or on none')
            self.recovering = True
            return
        state = self.state
        msgid = next((p for p in self.parts if p.keyword == 'msgid'), None)
        plural = any(p.keyword == 'msgid_plural' for p in self.parts)
        forms = sum(p.keyword == 'msgstr' for p in self.parts)
        if (name, state) in (('msgid', 'msgctxt'), ('msgid_plural', 'msgid')) \
                or (name == 'msgstr' and index is None and state == 'msgid') \
                or (name == 'msgstr' and index is not None and plural and index == forms):
            self.parts.append(Part(name, index, line))
            return
        if name == 'msgstr' and index is not None and state == 'msgid':
            self.error(msgid.line, "missing 'msgid_plural' section: msgstr[n] belongs to a plural message")
        elif name == 'msgstr' and index is not None and plural:
            self.error(line, f'msgstr[{index}] out of order: expected msgstr[{forms}]')
        elif name == 'msgstr' and plural:
            self.error(line, 'syntax error: a plural message takes msgstr[0], msgstr[1]…, not msgstr')
        elif name == 'msgstr' and forms:
            self.error(line, 'syntax error: a second msgstr for the same message')
        else:
            self.error(line, f'syntax error: {name} here' + ('' if msgid else ' without a msgid before it'))
        self.recovering = True

    def string(self, line: int, text: str, obsolete: bool) -> None:
        if self.recovering:
            return
        if self.parts and obsolete != self.obsolete:
            self.error(line, 'inconsistent use of #~: a message is obsolete (#~) on all its lines or on none')
            self.recovering = True
            return
        if not self.parts:
            self.error(line, 'syntax error: a string outside any message (is a keyword or a quote missing?)')
            self.recovering = True
            return
        self.parts[-1].strings.append((line, text))

    def read_line(self, number: int, line: str) -> None:
        stripped = line.lstrip()
        position = len(line) - len(stripped)        # columns count in the line as written
        obsolete = stripped.startswith('#~')
        if obsolete:
            position += 2
            rest = line[position:].strip()
            if not rest or rest.startswith('|'):
                return
        elif stripped.startswith('#'):
            self.comment(stripped)
            return
        while position < len(line):
            char = line[position]
            if char.isspace():
                position += 1
            elif char == '"':
                text, position, problem = lex_string(line, position)
                if problem:
                    self.error(number, problem)
                    self.recovering = True
                    return
                self.string(number, text, obsolete)
            else:
                match = KEYWORD.match(line, position)
                if not match:
                    self.error(number, f'syntax error at column {position + 1}: {line[position:position + 12]!r}')
                    self.recovering = True
                    return
                if match['name'] not in KEYWORDS:
                    self.error(number, f'keyword "{match["name"]}" unknown (is a quote missing?)')
                    self.recovering = True
                    return
                index = int(match['index']) if match['index'] is not None else None
                self.keyword(match['name'], index, number, obsolete)
                position = match.end()


def logical_lines(text: str):
    """(number, line) as msgfmt reads them: a backslash ending a line joins the next one to it."""
    number, pending = 0, None
    for physical, line in enumerate(text.split('\n'), start=1):
        if pending is None:
            number, pending = physical, line
        else:
            pending += line
        if pending.endswith('\\'):
            pending = pending[:-1]
            continue
        yield number, pending
        pending = None
    if pending is not None:
        yield number, pending


def read(path: Path, data: bytes | None = None) -> PoFile:
    """Read a catalog's text as msgfmt does; never raises for a malformed file."""
    po = PoFile(path)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            po.errors.append((1, f'cannot read the catalog: {exc.strerror or exc}'))
            return po
    text = decode(data, po)
    reader = Reader(po)
    for number, line in logical_lines(text):
        reader.read_line(number, line.rstrip('\r'))
    reader.finish()
    check_entries(po)
    return po


# -- what msgfmt -c checks once the file is read ------------------------------------------

def header_fields(po: PoFile, header: RawEntry) -> None:
    msgstr = header.translations[0]
    text = ''.join(s for _, s in msgstr.strings)
    starts, offset = [], 0
    for line, chunk in msgstr.strings:
        starts.append((offset, line))
        offset += len(chunk)
    offset = 0
    for row in text.split('\n'):
        line = max((ln for start, ln in starts if start <= offset), default=msgstr.line)
        offset += len(row) + 1
        if not row.strip():
            continue
        name, colon, value = row.partition(':')
        if not colon or not name.strip() or ' ' in name.strip():
            po.warnings.append((line, f'header line {row!r} is not "Field: value"'))
            continue
        po.header[name.strip()] = (value.strip(), line)


def check_header(po: PoFile) -> None:
    header = next((e for e in po.entries if not e.obsolete and e.key == (None, '')), None)
    if header is None:
        po.errors.append((1, 'PO file header missing or invalid: the first message must be msgid "" '
                             'with the header fields (Content-Type: text/plain; charset=UTF-8 …)'))
        return
    header_fields(po, header)
    content_type = po.header.get('Content-Type')
    if content_type is None:
        po.errors.append((header.translations[0].line, 'the header has no Content-Type: '
                          'the charset is unknown (use "Content-Type: text/plain; charset=UTF-8")'))
    else:
        value, line = content_type
        charset = re.search(r'charset\s*=\s*([^\s;]+)', value)
        if charset is None:
            po.errors.append((line, f'Content-Type {value!r} names no charset: use charset=UTF-8'))
        elif charset[1] == 'CHARSET':
            po.errors.append((line, "charset is still the template's placeholder CHARSET: use charset=UTF-8"))
        elif charset[1].lower().replace('-', '').replace('_', '') != 'utf8':
            po.errors.append((line, f'charset is {charset[1]}: catalogs must be UTF-8 (charset=UTF-8)'))
    if 'Plural-Forms' in po.header:
        value, line = po.header['Plural-Forms']
        nplurals = plural_count(value)
        if nplurals is None:
            po.errors.append((line, f'invalid plural expression {value!r} '
                                    '(for English: nplurals=2; plural=(n != 1);)'))
        else:
            for entry in po.entries:
                forms = [p for p in entry.translations if p.index is not None]
                if forms and len(forms) != nplurals and not entry.obsolete:
                    po.errors.append((forms[0].line, f'nplurals = {nplurals} in the header, '
                                                     f'but this message has {len(forms)} plural forms'))
    for name in REQUIRED_HEADERS:
        if name == 'Content-Type':          # a syntax error above when missing or a placeholder
            continue
        if name not in po.header:
            po.warnings.append((header.translations[0].line, f"header field '{name}' missing in header"))
        elif po.header[name][0] in TEMPLATE_DEFAULTS:
            po.warnings.append((po.header[name][1], f"header field '{name}' still has the template's "
                                                    f"default value {po.header[name][0]!r}"))


def plural_count(value: str) -> int | None:
    match = PLURAL_FORMS.match(value)
    if not match:
        return None
    try:
        gettext.c2py(match['expr'])
    except (ValueError, RecursionError, SyntaxError):
        return None
    return int(match['n'])


def check_entries(po: PoFile) -> None:
    if not po.entries and not po.errors:
        po.errors.append((1, 'PO file header missing or invalid: the catalog is empty'))
        return
    if po.entries:
        check_header(po)
    first: dict[tuple[str | None, str], RawEntry] = {}
    for entry in po.entries:
        if entry.key in first:
            earlier = first[entry.key]
            error = (entry.line, f'duplicate message definition (first defined at line {earlier.line})')
            if earlier.obsolete != entry.obsolete:
                error = (error[0], error[1] + ': an obsolete #~ entry of a live message (`make update-po` revives it)')
                po.obsolete_twins.add(error)
            po.errors.append(error)
        else:
            first[entry.key] = entry
        if entry.key == (None, '') or 'fuzzy' in entry.flags or entry.obsolete:
            continue
        plural = entry.part('msgid_plural')
        for form in entry.translations:
            source = plural.text if plural and form.index else entry.part('msgid').text
            if not form.text:
                continue
            for end, where in ((0, 'begin'), (-1, 'end')):
                if source and (source[end] == '\n') != (form.text[end] == '\n'):
                    po.errors.append((form.line, f"'msgid' and 'msgstr' entries do not both {where} with '\\n'"))
