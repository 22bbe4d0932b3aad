"""The package's layers: each module uses only the ones below it — no import cycle inside taiyaku/.

The graph is read from the source with ``ast``, so every import counts: at the top of a
module, inside a function (imported when used), and under ``TYPE_CHECKING``. An import of
a submodule (``from taiyaku.qa import markup``) is an edge to that submodule, not to the
package's ``__init__``: Python runs a package's ``__init__`` before any of its modules, and
that is not a dependency the module chose.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / 'taiyaku'


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix('').parts
    return '.'.join(parts[:-1] if parts[-1] == '__init__' else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob('*.py'))}


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The taiyaku modules ``name`` imports, wherever in the file the import is."""
    package = name if path.name == '__init__.py' else name.rpartition('.')[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ''
            if node.level:
                anchor = package.split('.')[:len(package.split('.')) - node.level + 1]
                base = '.'.join([*anchor, *([base] if base else [])])
            for alias in node.names:
                submodule = f'{base}.{alias.name}'
                found.add(submodule if submodule in known else base)
    return {target for target in found if target in known and target != name}


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, set(known)) for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), as a path through it."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def test_the_graph_sees_function_level_and_relative_imports():
    edges = graph()
    assert 'taiyaku.qa.markup' in edges['taiyaku.qa.glossary']       # from taiyaku.qa import markup
    assert 'taiyaku.project' in edges['taiyaku.cli']
    assert cycles({'a': {'b'}, 'b': {'c'}, 'c': {'a'}, 'd': {'a'}}) == [['a', 'b', 'c']]


def test_no_import_cycle_inside_taiyaku():
    found = cycles(graph())
    assert not found, 'import cycles (each group of modules imports one another): ' + '; '.join(
        ' ↔ '.join(group) for group in found)
