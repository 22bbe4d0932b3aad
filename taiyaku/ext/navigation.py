"""The sidebar's table of contents of the whole publication, resolved once per build.

The theme shows the whole table of contents on every HTML page (``globaltoc_collapse =
false``). Sphinx resolves and renders that tree anew for every page — copying the table
of contents of every document and running the HTML writer over the copy — so an HTML
build does work in proportion to pages × headings: at a hundred times this section, 95%
of the Japanese HTML build went there (bench/RESULTS.md). Uncollapsed, the tree is the
same on every page but for two things: the links, which are relative to the page, and
the ``current`` classes on the branch leading to the page. So the tree is rendered once,
by Sphinx, as seen from the root document, and each page's copy is derived from it: links
re-relativized with Sphinx's own ``relative_uri``, ``current`` added where Sphinx's
``_toctree_add_classes`` adds it (worked out on the unpruned tree, as Sphinx does). The
HTML is byte for byte Sphinx's; tests/test_navigation.py compares whole builds.

The tree is kept from one build to the next in the same process (the live preview) as
long as no document that was re-read changed its table of contents. Anything else (a
collapsed tree, another builder, a root document in a folder, a link this does not
recognise) is left to Sphinx. ``taiyaku_globaltoc_once = False`` turns it off.
"""

from __future__ import annotations

import re
from collections import Counter, OrderedDict
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.domains.std import StandardDomain
from sphinx.environment.adapters.toctree import global_toctree_for_doc
from sphinx.util.osutil import relative_uri

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders.html import StandaloneHTMLBuilder
    from sphinx.environment import BuildEnvironment

# The tags Sphinx's HTML writer produces for a toctree: lists, items, links.
TAG = re.compile(r'<(?P<open>ul|li|a)(?=[ >])(?P<attrs>[^>]*)>|</(?P<close>ul|li)>')
CLASS = re.compile(r' class="(?P<classes>[^"]*)"')
HREF = re.compile(r' href="(?P<href>[^"]*)"')
SAFE_HREF = re.compile(r'[\w./%~+-]*(#[\w.:-]*)?')       # nothing that HTML-escaping would change

FOLDERS_KEPT = 8

Path = tuple[int, ...]     # a <ul>/<li> by position: (ul index, li index, ul index, …) from the top


class Unsupported(Exception):
    """The rendered tree holds something this module does not reproduce: leave it to Sphinx."""


class Item:
    """An opening <ul> or <li>: its classes gain ``current`` on the page's branch."""

    def __init__(self, name: str, attrs: str, path: Path):
        self.path = path
        self.plain = f'<{name}{attrs}>'
        found = CLASS.search(attrs)
        if found:
            self.current = f'<{name}{attrs[:found.end() - 1]} current{attrs[found.end() - 1:]}>'
        else:
            self.current = f'<{name} class="current"{attrs}>'


class Link:
    """An opening <a>: its link is relative to the page; the page's own entry is ``current``."""

    def __init__(self, attrs: str):
        self.plain = f'<a{attrs}>'
        classes, href = CLASS.search(attrs), HREF.search(attrs)
        self.internal = classes is not None and 'internal' in classes['classes'].split()
        if not self.internal:
            return                             # kept as it is, like Sphinx keeps URLs
        if href is None or not SAFE_HREF.fullmatch(href['href']):
            raise Unsupported(f'link {attrs!r}')
        self.target, _, anchor = href['href'].partition('#')
        self.anchor = f'#{anchor}' if anchor else ''
        self.before, self.after = around_href(attrs)
        at = classes.start('classes')
        self.before_current, self.after_current = around_href(f'{attrs[:at]}current {attrs[at:]}')

    def render(self, page: str) -> str:
        if not self.internal:
            return self.plain
        href = ((relative_uri(page, self.target) if self.target else '') + self.anchor) or '#'
        if not self.anchor and self.target == page:
            return f'{self.before_current}{href}{self.after_current}'
        return f'{self.before}{href}{self.after}'


def around_href(attrs: str) -> tuple[str, str]:
    """The <a> tag up to its href's value, and after it."""
    start, end = HREF.search(attrs).span('href')
    return f'<a{attrs[:start]}', f'{attrs[end:]}>'


class GlobalToc:
    """One build's whole-publication toctree: Sphinx's HTML as seen from the root, in pieces."""

    def __init__(self, builder: StandaloneHTMLBuilder, options: dict[str, Any]):
        env = builder.env
        root = env.config.root_doc
        if '/' in builder.get_target_uri(root):
            raise Unsupported('root document in a folder')
        seen_from_root = global_toctree_for_doc(env, root, builder, tags=builder.tags, collapse=False, **options)
        self.pieces = pieces(builder.render_partial(seen_from_root)['fragment'])
        unpruned = global_toctree_for_doc(env, root, builder, tags=builder.tags, collapse=False,
                                          **{**options, 'maxdepth': -1})
        self.branches = current_branches(unpruned, env, builder)
        self.uri = builder.get_target_uri
        self.by_path = {piece.path: index for index, piece in enumerate(self.pieces) if isinstance(piece, Item)}
        self.links: list[int] = []
        self.by_target: dict[str, list[int]] = {}
        for index, piece in enumerate(self.pieces):
            if isinstance(piece, Link) and piece.internal:
                self.links.append(index)
                self.by_target.setdefault(piece.target, []).append(index)
        self.plain = [piece if isinstance(piece, str) else piece.plain if isinstance(piece, Item) else ''
                      for piece in self.pieces]
        self.folders: OrderedDict[str, list[str]] = OrderedDict()    # a few: pages come folder by folder

    def in_folder(self, page: str) -> list[str]:
        """The tree as every page of ``page``'s folder sees it, before the page's own marks."""
        folder = page.rpartition('/')[0]
        if folder in self.folders:
            self.folders.move_to_end(folder)
            return self.folders[folder]
        elsewhere = f'{folder}/\0' if folder else '\0'     # a page no entry points to
        rendered = list(self.plain)
        for index, piece in enumerate(self.pieces):
            if isinstance(piece, Link):
                rendered[index] = piece.render(elsewhere)
        self.folders[folder] = rendered
        if len(self.folders) > FOLDERS_KEPT:
            self.folders.popitem(last=False)
        return rendered

    def render(self, pagename: str) -> str:
        page = self.uri(pagename)
        out = list(self.in_folder(page))
        for index in self.by_target.get(page, ()):
            out[index] = self.pieces[index].render(page)
        for path in self.branches.get(pagename, ()):
            if path in self.by_path:
                out[self.by_path[path]] = self.pieces[self.by_path[path]].current
        return ''.join(out)


def pieces(html: str) -> list[str | Item | Link]:
    """Split the rendered tree into fixed text, Items (each with its Path) and Links."""
    result: list[str | Item | Link] = []
    stack: list[tuple[Path, Counter]] = [((), Counter())]       # open elements: path, child counts
    position = 0
    for match in TAG.finditer(html):
        result.append(html[position:match.start()])
        position = match.end()
        if match['close']:
            if len(stack) == 1:
                raise Unsupported('unbalanced list')
            stack.pop()
            result.append(match[0])
            continue
        name, attrs = match['open'], match['attrs']
        if name == 'a':
            result.append(Link(attrs))
            continue
        parent, counts = stack[-1]
        path = (*parent, counts[name])
        counts[name] += 1
        if (name == 'li') != (len(path) % 2 == 0):   # lists and items alternate from the top
            raise Unsupported('list structure')
        result.append(Item(name, attrs, path))
        stack.append((path, Counter()))
    if len(stack) != 1:
        raise Unsupported('unbalanced list')
    result.append(html[position:])
    return [piece for piece in result if piece != '']


def current_branches(tree: nodes.Element | None, env: BuildEnvironment, builder) -> dict[str, set[Path]]:
    """For each page, the lists and items Sphinx marks ``current`` on it.

    Sphinx gives every ancestor of a link to the page (without anchor) the class before the
    tree is pruned to its depth; the paths are collected here the same way, on the unpruned
    tree, with the positions the rendered tags have.
    """
    branches: dict[str, set[Path]] = {}
    if tree is None:
        return branches
    by_uri = {builder.get_target_uri(docname): docname
              for docname in (*env.all_docs, *StandardDomain._virtual_doc_names)}
    by_uri[''] = env.config.root_doc

    def walk(node: nodes.Element, path: Path) -> None:
        counts = Counter()
        for child in node.children:
            if isinstance(child, (nodes.bullet_list, nodes.list_item)):
                name = 'ul' if isinstance(child, nodes.bullet_list) else 'li'
                walk(child, (*path, counts[name]))
                counts[name] += 1
            elif isinstance(child, nodes.reference):
                docname = by_uri.get(child['refuri'])
                if child.get('internal') and not child.get('anchorname') and docname is not None:
                    branches.setdefault(docname, set()).update(path[:end] for end in range(1, len(path) + 1))
            elif isinstance(child, nodes.Element):
                walk(child, path)      # compact paragraphs and captions: no tag of their own

    walk(tree, ())
    return branches


def shared_toctree(app: Sphinx, pagename: str, sphinx_toctree, **kwargs: Any) -> str:
    """The templates' ``toctree()``: the shared tree when it applies, Sphinx's otherwise."""
    if kwargs.get('collapse', True) or not app.config.taiyaku_globaltoc_once:
        return sphinx_toctree(**kwargs)
    options = {'includehidden': kwargs.get('includehidden', False),
               'maxdepth': kwargs.get('maxdepth') or 0, 'titles_only': kwargs.get('titles_only', False)}
    key = tuple(sorted(options.items()))
    trees = app.builder.__dict__.setdefault('taiyaku_globaltocs', {})
    if key not in trees:
        try:
            trees[key] = GlobalToc(app.builder, options)
        except Unsupported:
            trees[key] = None
    tree = trees[key]
    return sphinx_toctree(**kwargs) if tree is None else tree.render(pagename)


def use_shared_toctree(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.name != 'html' or 'toctree' not in context:
        return
    sphinx_toctree = context['toctree']
    context['toctree'] = lambda **kwargs: shared_toctree(app, pagename, sphinx_toctree, **kwargs)


# -- keeping the tree while the tables of contents stay the same ---------------------------

def toc_signature(env: BuildEnvironment, docname: str) -> tuple:
    toc = env.tocs.get(docname)
    return (toc.pformat() if toc is not None else None, tuple(env.toctree_includes.get(docname, ())),
            env.metadata.get(docname, {}).get('tocdepth'))


def note_outdated(app: Sphinx, env: BuildEnvironment, added: set, changed: set, removed: set) -> list[str]:
    if added or removed:
        app.builder.__dict__.pop('taiyaku_globaltocs', None)
    return []


def remember_tocs(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    app.builder.__dict__['taiyaku_tocs_before'] = {doc: toc_signature(env, doc) for doc in docnames}


def forget_changed_tree(app: Sphinx, env: BuildEnvironment) -> None:
    before = app.builder.__dict__.pop('taiyaku_tocs_before', {})
    if any(toc_signature(env, doc) != signature for doc, signature in before.items()):
        app.builder.__dict__.pop('taiyaku_globaltocs', None)


def setup(app: Sphinx) -> dict:
    app.add_config_value('taiyaku_globaltoc_once', True, 'html', types=frozenset({bool}))
    app.connect('html-page-context', use_shared_toctree)
    app.connect('env-get-outdated', note_outdated)
    app.connect('env-before-read-docs', remember_tocs)
    app.connect('env-updated', forget_changed_tree)
    return {'version': '1', 'parallel_read_safe': True, 'parallel_write_safe': True}
