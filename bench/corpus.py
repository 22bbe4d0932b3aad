"""Synthetic corpora: the master and its catalogs, N times over, in a throw-away project.

Size 1 is the project as it is. Size N adds N-1 renamed copies of every document of the
text (``part-002/section.rst``, ``part-002/russia/relations.rst``…), each with its
catalog (``locale/en/LC_MESSAGES/part-002/section.po``…), listed right after the
original in the cover's toctree. The cover and the edition's apparatus after the text
(the cover's other toctree entries: changes, colophon) are not copied. Labels and figure names get the part's suffix and the original's page markers pages of the part's own (296, 396…) so the copies do not
collide; the text — every message — is the master's, so every copy is fully translated.
Nothing is written inside the project: the corpus lives wherever ``dest`` is.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

# what is not part of a build: version control, the venv, outputs, the test suite, this harness
NOT_COPIED = {'.git', '.venv', 'build', 'tests', 'bench', '.pytest_cache', '.hypothesis'}
ROOT_DOC = 'index'
# `.. _label:` targets and `:name:` options: project-wide names that must stay unique
NAMES = re.compile(r'^(\.\. _)([\w-]+)(:)$|^(\s+:name:\s+)([\w-]+)$', re.MULTILINE)
IGNORE = shutil.ignore_patterns('*.mo', '*.mo.sha256', '__pycache__', '*.pyc')
# the original's page markers (taiyaku.ext.pages): one book marks each page once, so each
# copy gets pages of its own, ``part_number * PAGE_STEP`` on (in the rst and in its catalogs; page numbers have at most five digits)
PAGES = re.compile(r'(:original-page:`|^\.\. original-page:: )(\d+)', re.MULTILINE)
PAGE_STEP = 100


def part_name(number: int) -> str:
    return f'part-{number:03d}'


def rename_labels(text: str, suffix: str) -> str:
    def rename(match: re.Match) -> str:
        if match[1]:
            return f'{match[1]}{match[2]}-{suffix}{match[3]}'
        return f'{match[4]}{match[5]}-{suffix}'
    return NAMES.sub(rename, text)


def renumber_pages(text: str, number: int) -> str:
    return PAGES.sub(lambda match: f'{match[1]}{int(match[2]) + number * PAGE_STEP}', text)


def copy_catalog(po: Path, copied: Path, number: int) -> None:
    """A document's catalog for its copy: the same translations, the page markers renumbered
    in the messages and their translations (a marker may be wrapped across lines of the file,
    so the catalog is read and written as the project writes catalogs)."""
    from taiyaku.po import read_catalog, render

    catalog = read_catalog(po)
    for message in [message for message in catalog if message.id and PAGES.search(message.id)]:
        catalog.delete(message.id, message.context)
        message.id = renumber_pages(message.id, number)
        message.string = renumber_pages(message.string, number)
        catalog[message.id] = message
    copied.write_bytes(render(catalog))
    shutil.copystat(po, copied)


def copy_project(root: Path, dest: Path) -> None:
    """The files a build needs, without outputs or compiled catalogs."""
    dest.mkdir(parents=True, exist_ok=True)
    for path in sorted(root.iterdir()):
        if path.name in NOT_COPIED:
            continue
        if path.is_dir():
            shutil.copytree(path, dest / path.name, ignore=IGNORE)
        else:
            shutil.copy2(path, dest / path.name)


def make_corpus(root: Path, dest: Path, size: int) -> Path:
    """A project at ``dest`` holding ``size`` copies of ``root``'s publication."""
    if size < 1:
        raise ValueError(f'corpus size must be at least 1, not {size}')
    copy_project(root, dest)
    source = dest / 'source'
    cover = source / f'{ROOT_DOC}.rst'
    cover_text = cover.read_text(encoding='utf-8')
    entries = toctree_entries(cover_text)[:1]          # the text; the rest is apparatus
    apparatus = {ROOT_DOC, *toctree_entries(cover_text)[1:]}
    documents = sorted(p for p in source.rglob('*.rst')
                       if p.relative_to(source).with_suffix('').as_posix() not in apparatus)
    catalogs = sorted((dest / 'locale').glob('*/LC_MESSAGES'))
    added = []
    for number in range(2, size + 1):
        part = part_name(number)
        for document in documents:
            relative = document.relative_to(source)
            target = source / part / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            text = rename_labels(document.read_text(encoding='utf-8'), part.replace('-', ''))
            target.write_text(renumber_pages(text, number), encoding='utf-8')
            for messages in catalogs:
                po = messages / relative.with_suffix('.po')
                if po.exists():
                    copied = messages / part / relative.with_suffix('.po')
                    copied.parent.mkdir(parents=True, exist_ok=True)
                    copy_catalog(po, copied, number)
        added.extend(f'{part}/{entry}' for entry in entries)
    if added:
        cover.write_text(add_toctree_entries(cover_text, entries, added), encoding='utf-8')
    return dest


def toctree_entries(text: str) -> list[str]:
    """The entries of the cover's toctree (indented lines after the directive's options)."""
    block = re.search(r'^\.\. toctree::\n((?:[ \t]+.*\n|\n)+)', text, re.MULTILINE)
    if not block:
        raise ValueError('the root document has no toctree to extend')
    return [line.strip() for line in block[1].splitlines() if line.strip() and not line.strip().startswith(':')]


def add_toctree_entries(text: str, entries: list[str], added: list[str]) -> str:
    last = entries[-1]
    match = re.search(rf'^([ \t]+){re.escape(last)}\n', text, re.MULTILINE)
    indent = match[1]
    insertion = ''.join(f'{indent}{entry}\n' for entry in added)
    return text[:match.end()] + insertion + text[match.end():]


def document_count(project: Path) -> int:
    return sum(1 for _ in (project / 'source').rglob('*.rst'))
