"""A message read as reStructuredText, the way the build reads it.

docutils' own parser, with the project's ``character_level_inline_markup`` (docutils.conf),
no file insertion and no raw output (a check never reads a file a translation names), and
every problem collected rather than printed. Sphinx's roles are known by name, without a
Sphinx application: cross-reference roles (``:ref:``, ``:doc:``, ``:term:``, domain roles…)
become an ``xref`` node that records the role and its target; the other Sphinx roles
become plain inline text; ``:ruby:`` is the project's own role, errors included.

The checks share these parses (``references``, ``rst``, ``numbers``, ``glossary``), so
each message is parsed once per run.
"""

from __future__ import annotations

import configparser
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from docutils import nodes, utils
from docutils.parsers.rst.languages import get_language
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser, states
from types import SimpleNamespace as Struct

from taiyaku.ext.pages import original_page, original_page_role
from taiyaku.ext.ruby import ruby, ruby_role


class xref(nodes.Inline, nodes.TextElement):
    """A Sphinx cross-reference role; ``role`` and ``target`` say where it points."""


@lru_cache(maxsize=None)
def sphinx_role_names() -> tuple[frozenset[str], frozenset[str]]:
    """(cross-reference roles, other roles) that a Sphinx project knows without extensions."""
    from sphinx.domains.c import CDomain
    from sphinx.domains.cpp import CPPDomain
    from sphinx.domains.javascript import JavaScriptDomain
    from sphinx.domains.math import MathDomain
    from sphinx.domains.python import PythonDomain
    from sphinx.domains.rst import ReSTDomain
    from sphinx.domains.std import StandardDomain
    from sphinx.roles import XRefRole, generic_docroles, specific_docroles

    references = {'download', 'any'}
    for domain in (CDomain, CPPDomain, JavaScriptDomain, MathDomain, PythonDomain, ReSTDomain, StandardDomain):
        references |= {f'{domain.name}:{name}' for name in domain.roles}
        if domain in (StandardDomain, PythonDomain):        # std, and py as the default domain
            references |= set(domain.roles)
    others = set(generic_docroles) | {name for name, role in specific_docroles.items()
                                      if not isinstance(role, XRefRole)}
    others |= {'index', 'eq', 'math:eq'}
    return frozenset(references), frozenset(others - references)



def split_title(text: str) -> tuple[str, str]:
    """``title <target>`` → (title, target); a bare target is its own title."""
    from sphinx.util.nodes import split_explicit_title

    _, title, target = split_explicit_title(utils.unescape(text))
    return title, target


class MessageInliner(states.Inliner):
    """docutils' inliner, knowing Sphinx's role names and the project's ruby role."""

    def interpreted(self, rawsource, text, role, lineno):
        name = (role or '').lower()
        references, others = sphinx_role_names()     # Sphinx is imported only when a role is met
        if name == 'ruby':
            return ruby_role(name, rawsource, text, lineno, self)
        if name == 'original-page':
            return original_page_role(name, rawsource, text, lineno, self)
        if name in references or (':' in name and name.split(':', 1)[1] in references):
            title, target = split_title(text)
            return [xref(rawsource, title, role=name, target=target)], []
        if name in others:
            return [nodes.inline(rawsource, utils.unescape(text), classes=[name])], []
        return super().interpreted(rawsource, text, role, lineno)


# init_customizations() formats its patterns from vars(self.__class__): the subclass
# must carry the pattern pieces its base defines.
for _name, _value in vars(states.Inliner).items():
    if isinstance(_value, str) and not _name.startswith('__'):
        setattr(MessageInliner, _name, _value)


@dataclass(frozen=True)
class Problem:
    level: int          # docutils: 2 warning, 3 error, 4 severe
    message: str


@dataclass(frozen=True)
class Parsed:
    document: nodes.document
    problems: tuple[Problem, ...]

    @property
    def blocks(self) -> list[nodes.Node]:
        return [child for child in self.document.children if not isinstance(child, nodes.system_message)]


def character_level(project_root: Path | None) -> bool:
    """The project's docutils.conf setting; this toolchain's convention (on) without one."""
    if project_root is None or not (project_root / 'docutils.conf').is_file():
        return True
    config = configparser.ConfigParser()
    try:
        config.read(project_root / 'docutils.conf', encoding='utf-8')
        return config.getboolean('restructuredtext parser', 'character_level_inline_markup', fallback=False)
    except (configparser.Error, ValueError):
        return True


INLINE, PARAGRAPH, TITLE = 'inline', 'paragraph', 'title'


@lru_cache(maxsize=8192)
def parse(text: str, character_level_markup: bool = True, mode: str = INLINE) -> Parsed:
    """Parse ``text``; problems are collected, never printed.

    ``inline``: the whole text as the inline content of one paragraph (what a message's
    words and references are); ``paragraph`` and ``title``: the text as Sphinx parses a
    translation to put it in the place of a paragraph or a section title (Sphinx
    underlines a title's translation with twice its length of ``=``).
    """
    settings = get_default_settings(Parser)
    settings.character_level_inline_markup = character_level_markup
    settings.file_insertion_enabled = False
    settings.raw_enabled = False
    settings.report_level = 5           # nothing to a stream …
    settings.halt_level = 5             # … and nothing raised
    settings.warning_stream = io.StringIO()
    document = utils.new_document('<message>', settings)
    problems: list[Problem] = []

    def collect(message: nodes.system_message) -> None:
        if message['level'] >= 2:
            words = message.children[0].astext() if message.children else message.astext()
            problems.append(Problem(message['level'], ' '.join(words.split())))

    document.reporter.attach_observer(collect)
    inliner = MessageInliner()
    if mode == INLINE:
        inliner.init_customizations(settings)
        memo = Struct(document=document, reporter=document.reporter, title_styles=[], section_level=0,
                      section_bubble_up_kludge=False, inliner=inliner,
                      language=get_language(settings.language_code, document.reporter))
        paragraph = nodes.paragraph(text)
        children, messages = inliner.parse(text, 1, memo, paragraph)
        paragraph += children
        document += paragraph
        document += messages
    else:
        source = f"{text}\n{'=' * len(text) * 2}" if mode == TITLE else text
        Parser(inliner=inliner).parse(source, document)
    return Parsed(document, tuple(problems))


# -- what the checks read from a parse ----------------------------------------------------

NOT_TEXT = (nodes.footnote_reference, nodes.citation_reference, nodes.substitution_reference,
            nodes.target, nodes.system_message, nodes.comment)


def plain_text(parsed: Parsed) -> str:
    """The text a reader sees: references' labels dropped, ruby reduced to its base."""
    out: list[str] = []

    def walk(node: nodes.Node) -> None:
        if isinstance(node, NOT_TEXT):
            return
        if isinstance(node, (nodes.Text, ruby, xref)):
            out.append(node.astext())
            return
        for child in node.children:
            walk(child)
        if isinstance(node, nodes.TextElement) and not isinstance(node, nodes.Inline):
            out.append('\n\n')

    walk(parsed.document)
    return ''.join(out).strip()


@dataclass(frozen=True, order=True)
class Reference:
    """Something a message points at, which its translation must point at too."""
    kind: str           # footnote, citation, reference, link, role, substitution, target, page
    key: str            # what must be equal: the label, the target, the URI
    text: str           # as written, for messages (and Sphinx's literal comparison)


def references(parsed: Parsed) -> list[Reference]:
    found = []
    for node in parsed.document.findall(nodes.Element):
        raw = node.rawsource if isinstance(node.rawsource, str) else ''
        if isinstance(node, nodes.footnote_reference):
            auto = node.get('auto')
            label = node.get('refname', '')
            key = f'#{label}' if auto == 1 else '*' if auto == '*' else label
            found.append(Reference('footnote', key, raw or f'[{key}]_'))
        elif isinstance(node, nodes.citation_reference):
            found.append(Reference('citation', node['refname'], raw))
        elif isinstance(node, nodes.substitution_reference):
            found.append(Reference('substitution', node['refname'], raw))
        elif isinstance(node, original_page):
            found.append(Reference('page', node['number'], raw))
        elif isinstance(node, xref):
            found.append(Reference('role', f'{node["role"]}:{node["target"]}', raw))
        elif isinstance(node, nodes.reference):
            if node.get('anonymous'):
                found.append(Reference('reference', '(anonymous)', raw))
            elif node.get('refname'):
                found.append(Reference('reference', node['refname'], raw))
            elif node.get('refuri'):
                found.append(Reference('link', node['refuri'], raw or node['refuri']))
        elif isinstance(node, nodes.target) and node.get('names') and not node.get('refuri'):
            if raw.startswith('_`'):
                found.append(Reference('target', node['names'][0], raw))
    return found
