"""A master (the draft, or the curated source/) read back with docutils, as a reader
sees it: headings with their depth, paragraphs, footnotes, figures, in reading order
across the toctree. The importer checks its own output with it, and the comparison with
the curated master uses it on both sides."""

from __future__ import annotations

import copy
import functools
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import Directive, directives, roles

from taiyaku.ext.pages import OriginalPage, original_page, original_page_role
from taiyaku.ext.ruby import ruby, ruby_role

RUBY_MARKUP = re.compile(r'\{([^<{}]*)<([^>]*)>\}')

SETTINGS = {'character_level_inline_markup': True, 'report_level': 2, 'halt_level': 5, 'doctitle_xform': False,
            'file_insertion_enabled': False, 'raw_enabled': False, 'input_encoding': 'utf-8'}


class toctree_entries(nodes.General, nodes.Element):
    pass


class Toctree(Directive):
    has_content = True
    option_spec = {'maxdepth': directives.unchanged, 'hidden': directives.flag, 'caption': directives.unchanged}

    def run(self):
        return [toctree_entries(entries=[line.strip() for line in self.content if line.strip()])]


class FigurePlaceholder(Directive):
    required_arguments = 1
    has_content = True
    option_spec = {'name': directives.unchanged, 'class': directives.class_option}

    def run(self):
        body = nodes.Element()
        self.state.nested_parse(self.content, self.content_offset, body)
        figure = nodes.figure(kind=self.arguments[0])
        if len(body) and isinstance(body[0], nodes.paragraph):
            figure += nodes.caption('', '', *body[0].children)
            figure += nodes.legend('', *body[1:])
        return [figure]


@dataclass(frozen=True)
class Block:
    kind: str                     # heading, paragraph, footnote, figure
    text: str                     # markup normalised: ruby as {base<r1|r2>}, references as [*]
    depth: int = 0                # headings: depth in the whole master
    extra: tuple = ()             # figures: (kind, legend items)
    document: str = ''


@dataclass
class Master:
    blocks: list[Block] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)   # every character a reader gets, readings included
    problems: list[str] = field(default_factory=list)
    pages: list[tuple[str, str, str]] = field(default_factory=list)   # the original's pages: (number, before, after)
    pending: list[str] = field(default_factory=list)   # numbers set between blocks, waiting for the next block


def page_marks(node: nodes.Element) -> list[tuple[str, int]]:
    """The original's pages begun inside a block: (number, offset in the text a reader reads)."""
    found, length = [], 0

    def walk(element):
        nonlocal length
        for child in element.children:
            if isinstance(child, original_page):
                found.append((str(child['number']), length))
            elif isinstance(child, (ruby, nodes.Text)):
                length += len(child.astext())
            elif isinstance(child, nodes.Element) and not isinstance(
                    child, (nodes.footnote_reference, nodes.system_message, nodes.target)):
                walk(child)
    walk(node)
    return found


def add_block(master: Master, block: Block, node: nodes.Element) -> None:
    """A block, and where the original's pages begin before it or inside it (by the text around)."""
    master.blocks.append(block)
    text = RUBY_MARKUP.sub(r'\1', block.text).replace('[*]', '')
    for number in master.pending:
        master.pages.append((number, '', text[:8]))
    master.pending.clear()
    for number, offset in page_marks(node):
        master.pages.append((number, text[max(0, offset - 8):offset], text[offset:offset + 8]))


def inline_text(node: nodes.Node, characters: list[str] | None = None) -> str:
    out = []
    for child in node.children if isinstance(node, nodes.Element) else [node]:
        if isinstance(child, ruby):
            base, readings = child.astext(), child['readings']
            out.append('{' + base + '<' + '|'.join(readings) + '>}')
            if characters is not None:
                characters.append(base + ''.join(readings))
        elif isinstance(child, nodes.footnote_reference):
            out.append('[*]')
        elif isinstance(child, nodes.Text):
            out.append(child.astext())
            if characters is not None:
                characters.append(child.astext())
        elif isinstance(child, (nodes.system_message, nodes.target, original_page)):
            continue
        else:
            out.append(inline_text(child, characters))
    return ''.join(out)


@functools.lru_cache(maxsize=1)
def default_settings():
    """docutils' settings, made once: building its option parser for every document of a
    long draft cost more than parsing the documents."""
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.readers.standalone import Reader
    from docutils.writers.null import Writer
    settings = get_default_settings(Parser, Reader, Writer)     # what publish_doctree would make
    for key, value in SETTINGS.items():
        setattr(settings, key, value)
    return settings


def read(folder: Path) -> Master:
    """The master rooted at ``folder/index.rst``, in reading order."""
    from sphinx.util.docutils import docutils_namespace
    master = Master()
    with docutils_namespace():
        directives.register_directive('toctree', Toctree)
        directives.register_directive('figure-placeholder', FigurePlaceholder)
        directives.register_directive('original-page', OriginalPage)
        roles.register_local_role('ruby', ruby_role)
        roles.register_local_role('original-page', original_page_role)
        walk_document(folder, 'index', 0, master, set())
    return master


def walk_document(folder: Path, name: str, depth: int, master: Master, seen: set[str]) -> None:
    if name in seen:
        master.problems.append(f'{name}: included twice by toctrees')
        return
    seen.add(name)
    path = folder / f'{name}.rst'
    try:
        source = path.read_text(encoding='utf-8')
    except OSError as exc:
        master.problems.append(f'{path}: {exc.strerror}')
        return
    warnings = io.StringIO()
    settings = copy.copy(default_settings())
    settings.warning_stream = warnings
    tree = publish_doctree(source, source_path=str(path), settings=settings)
    master.problems += [line for line in warnings.getvalue().splitlines() if line.strip()]
    walk_node(tree, folder, depth, master, seen, name)


def walk_node(node: nodes.Element, folder: Path, depth: int, master: Master, seen: set[str], name: str) -> None:
    for child in node.children:
        if isinstance(child, nodes.title):
            add_block(master, Block('heading', inline_text(child, master.characters), depth, document=name), child)
        elif isinstance(child, nodes.section):
            walk_node(child, folder, depth + 1, master, seen, name)
        elif isinstance(child, nodes.paragraph):
            add_block(master, Block('paragraph', inline_text(child, master.characters), document=name), child)
        elif isinstance(child, original_page):
            master.pending.append(str(child['number']))
        elif isinstance(child, nodes.footnote):
            body = ''.join(inline_text(p, master.characters) for p in child.children if isinstance(p, nodes.paragraph))
            master.blocks.append(Block('footnote', body, document=name))
        elif isinstance(child, nodes.figure):
            caption = next((inline_text(c, master.characters) for c in child.children if isinstance(c, nodes.caption)), '')
            legend = tuple(inline_text(item, master.characters) for item in child.findall(nodes.list_item))
            master.blocks.append(Block('figure', caption, extra=(child.get('kind', ''), legend), document=name))
        elif isinstance(child, toctree_entries):
            base = folder / name
            for entry in child['entries']:
                target = (base.parent / entry).relative_to(folder).as_posix()
                walk_document(folder, target, depth + 1, master, seen)
        elif isinstance(child, (nodes.target, nodes.comment, nodes.system_message, nodes.substitution_definition)):
            continue
        elif isinstance(child, nodes.Element):
            master.problems.append(f'{name}: unexpected {child.tagname} ({child.astext()[:40]!r})')
