"""The editor's and the translator's cycle, as a state machine (hypothesis' RuleBasedStateMachine).

On a copy of the project, the editor edits, deletes, restores, splits, merges and swaps
paragraphs of the master, renames and deletes documents; update-po runs (and purges);
the translator translates, confirms fuzzy messages; the outputs are built. After every
step:

- every catalog passes ``msgfmt -c``;
- no translation is lost: each one ever made is still in a catalog — active, fuzzy or
  obsolete — until it is purged or the translator replaces it;
- update-po leaves the bytes (catalogs, compendium, report) the full path leaves: a twin
  of the project given the same sources and catalogs, its records of the last runs removed
  (taiyaku.update_record, taiyaku.ext.message_templates), extracts and merges everything;
- after update-po, a second update-po changes no byte;
- after update-po, a text the master did not change keeps its translation;
- a build step succeeds (the English HTML, incrementally), whatever came before it.

Every step runs the real commands (``python -m taiyaku …``) in the copy. Bounded for CI:
``EXAMPLES`` runs of up to ``STEPS`` steps (``TAIYAKU_CYCLE_EXAMPLES`` /
``TAIYAKU_CYCLE_STEPS`` raise them); the count of runs and steps is printed at the end.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib
from hypothesis import HealthCheck, Phase, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from conftest import copy_project

EXAMPLES = int(os.environ.get('TAIYAKU_CYCLE_EXAMPLES', '10'))
STEPS = int(os.environ.get('TAIYAKU_CYCLE_STEPS', '12'))
LEAVES = ('caucasus', 'central-asia', 'russia/relations', 'russia/situation')    # documents with no toctree
ADORNMENT = re.compile(r'^([=\-~^"\'`#*+])\1+\s*$')
FOOTNOTE_REFERENCE = re.compile(r'\[#[\w-]*\]_')
RAN = {'examples': 0, 'steps': 0, 'rules': {}}


def taiyaku(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, '-m', 'taiyaku', *args], cwd=project, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(project)))


def body_paragraphs(lines: list[str]) -> list[int]:
    """Indexes of the lines that are body paragraphs: one line each, at the margin, not markup."""
    found = []
    for number, line in enumerate(lines):
        following = lines[number + 1] if number + 1 < len(lines) else ''
        if (line.strip() and not line[0].isspace() and not line.startswith('..') and not ADORNMENT.match(line)
                and not ADORNMENT.match(following) and line.rstrip().endswith('。')):
            found.append(number)
    return found


def split_points(text: str) -> list[int]:
    """Where a paragraph may be split: after a 。 outside inline markup, with text after it."""
    points = []
    for at, char in enumerate(text):
        if char == '。' and text[:at].count('`') % 2 == 0 and at + 1 < len(text) and text[at + 1] not in '[（(`:':
            points.append(at + 1)
    return points


def catalogs(project: Path) -> list[Path]:
    return sorted((project / 'locale' / 'en' / 'LC_MESSAGES').rglob('*.po'))


def digest(project: Path) -> dict[str, str]:
    return {str(p.relative_to(project)): hashlib.sha256(p.read_bytes()).hexdigest() for p in catalogs(project)}


FULL_PATH_FORGETS = ('build/.work/update-po', 'build/.work/doctrees/ja/gettext/taiyaku-message-templates.json')


def compendium(project: Path) -> dict[str, str]:
    path = project / 'build' / 'memory' / 'en.po'
    return {'compendium': hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ''}


def entries(project: Path) -> list[tuple[Path, polib.POEntry]]:
    return [(path, entry) for path in catalogs(project) for entry in polib.pofile(str(path)) if entry.msgid]


def confirmed(project: Path) -> dict[tuple[str, str], str]:
    """(catalog, msgid) → msgstr of every live, translated, not fuzzy message."""
    return {(str(path.relative_to(project)), entry.msgid): entry.msgstr for path, entry in entries(project)
            if not entry.obsolete and entry.msgstr and not entry.fuzzy}


def templates(project: Path) -> dict[str, set[str]]:
    """catalog path → the master's msgids, from the templates the last update-po extracted."""
    folder = project / 'build' / 'gettext'
    return {str(Path('locale/en/LC_MESSAGES') / pot.relative_to(folder).with_suffix('.po')):
            {entry.msgid for entry in polib.pofile(str(pot)) if entry.msgid} for pot in folder.rglob('*.pot')}


def with_references(text: str, msgid: str) -> str:
    """``text`` carrying the msgid's footnote references, in order, as the house rules ask."""
    bare = FOOTNOTE_REFERENCE.sub('', text).rstrip(' .')
    return bare + ''.join(f' {reference}' for reference in FOOTNOTE_REFERENCE.findall(msgid)) + '.'


class Cycle(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix='taiyaku-cycle-'))
        self.project = copy_project(self.folder)
        self.twin = copy_project(Path(tempfile.mkdtemp(prefix='taiyaku-cycle-twin-')))
        self.deleted: list[tuple[str, int, str]] = []           # (document, line index, paragraph)
        self.documents = list(LEAVES)
        self.translations = {entry.msgstr for _, entry in entries(self.project) if entry.msgstr}
        self.counter = 0
        RAN['examples'] += 1

    def teardown(self):
        shutil.rmtree(self.folder, ignore_errors=True)
        shutil.rmtree(self.twin, ignore_errors=True)

    # -- helpers
    def source(self, document: str) -> Path:
        return self.project / 'source' / f'{document}.rst'

    def lines(self, document: str) -> list[str]:
        return self.source(document).read_text(encoding='utf-8').split('\n')

    def write(self, document: str, lines: list[str]) -> None:
        self.source(document).write_text('\n'.join(lines), encoding='utf-8')

    def step(self, name: str) -> None:
        RAN['steps'] += 1
        RAN['rules'][name] = RAN['rules'].get(name, 0) + 1

    def paragraph(self, data, document: str, without_footnotes: bool = False) -> tuple[list[str], int] | None:
        lines = self.lines(document)
        found = [at for at in body_paragraphs(lines) if not (without_footnotes and '[#' in lines[at])]
        if not found:
            return None
        return lines, data.draw(st.sampled_from(found), label='paragraph')

    @initialize()
    def start(self):
        result = taiyaku(self.project, 'update-po')
        assert result.returncode == 0, result.stderr

    # -- the editor
    @rule(data=st.data())
    def edit_paragraph(self, data):
        document = data.draw(st.sampled_from(self.documents), label='document')
        found = self.paragraph(data, document)
        if found is None:
            return
        lines, at = found
        lines[at] = lines[at][:-1] + '（改）。'
        self.write(document, lines)
        self.step('edit')

    @rule(data=st.data())
    def delete_paragraph(self, data):
        """(Not one citing a footnote: its note would be left unreferenced, which is an error.)"""
        document = data.draw(st.sampled_from(self.documents), label='document')
        found = self.paragraph(data, document, without_footnotes=True)
        if found is None:
            return
        lines, at = found
        self.deleted.append((document, at, lines[at]))
        del lines[at:at + 2]                                       # the paragraph and the blank line after it
        self.write(document, lines)
        self.step('delete')

    @precondition(lambda self: any(document in self.documents for document, _, _ in self.deleted))
    @rule(data=st.data())
    def restore_paragraph(self, data):
        choices = [item for item in self.deleted if item[0] in self.documents]
        document, at, text = data.draw(st.sampled_from(choices), label='deleted paragraph')
        self.deleted.remove((document, at, text))
        lines = self.lines(document)
        at = min(at, len(lines))
        lines[at:at] = [text, '']
        self.write(document, lines)
        self.step('restore')

    @rule(data=st.data())
    def split_paragraph(self, data):
        document = data.draw(st.sampled_from(self.documents), label='document')
        found = self.paragraph(data, document)
        if found is None:
            return
        lines, at = found
        points = split_points(lines[at])
        if not points:
            return
        cut = data.draw(st.sampled_from(points), label='split after')
        lines[at:at + 1] = [lines[at][:cut], '', lines[at][cut:]]
        self.write(document, lines)
        self.step('split')

    def adjacent(self, data, what: str) -> tuple[str, list[str], int] | None:
        """Two body paragraphs one after the other (a blank line between): the document, its lines,
        the first one's index."""
        document = data.draw(st.sampled_from(self.documents), label='document')
        lines = self.lines(document)
        found = body_paragraphs(lines)
        pairs = [at for at in found if at + 2 in found and lines[at + 1] == '']
        if not pairs:
            return None
        return document, lines, data.draw(st.sampled_from(pairs), label=what)

    @rule(data=st.data())
    def merge_paragraphs(self, data):
        found = self.adjacent(data, 'merge at')
        if found is None:
            return
        document, lines, at = found
        lines[at:at + 3] = [lines[at] + lines[at + 2]]
        self.write(document, lines)
        self.step('merge')

    @rule(data=st.data())
    def swap_paragraphs(self, data):
        found = self.adjacent(data, 'swap at')
        if found is None:
            return
        document, lines, at = found
        lines[at], lines[at + 2] = lines[at + 2], lines[at]
        self.write(document, lines)
        self.step('swap')

    def toctree_of(self, document: str) -> tuple[Path, str]:
        """The document that lists ``document``, and the entry naming it there."""
        folder, name = (document.rsplit('/', 1) if '/' in document else ('', document))
        parent = self.project / 'source' / (f'{folder}/index.rst' if folder else 'section.rst')
        return parent, name

    @precondition(lambda self: len(self.documents) > 1)
    @rule(data=st.data())
    def rename_document(self, data):
        document = data.draw(st.sampled_from(self.documents), label='document')
        parent, name = self.toctree_of(document)
        self.counter += 1
        renamed = f'{document}-{self.counter}'
        text = parent.read_text(encoding='utf-8')
        assert f'   {name}\n' in text, (parent, name)
        parent.write_text(text.replace(f'   {name}\n', f'   {name}-{self.counter}\n'), encoding='utf-8')
        self.source(document).rename(self.source(renamed))
        editions = self.project / 'editions.toml'               # an erratum follows its document
        editions.write_text(editions.read_text(encoding='utf-8').replace(f'document = "{document}"',
                                                                          f'document = "{renamed}"'), encoding='utf-8')
        self.documents[self.documents.index(document)] = renamed
        self.deleted = [(renamed if d == document else d, at, p) for d, at, p in self.deleted]
        self.step('rename document')

    def removable(self) -> list[str]:
        """Documents an editor may remove: not one the current edition's errata correct."""
        errata = (self.project / 'editions.toml').read_text(encoding='utf-8')
        return [document for document in self.documents if f'document = "{document}"' not in errata]

    @precondition(lambda self: len(self.documents) > 1 and self.removable())
    @rule(data=st.data())
    def remove_document(self, data):
        document = data.draw(st.sampled_from(self.removable()), label='document')
        parent, name = self.toctree_of(document)
        text = parent.read_text(encoding='utf-8')
        parent.write_text(text.replace(f'   {name}\n', ''), encoding='utf-8')
        self.source(document).unlink()
        self.documents.remove(document)
        self.step('delete document')

    # -- update-po
    def full_path(self, *options: str) -> tuple[subprocess.CompletedProcess, dict[str, str]]:
        """update-po in the twin, on the project's sources and catalogs, with nothing remembered."""
        for name in ('source', 'locale'):
            shutil.rmtree(self.twin / name)
            shutil.copytree(self.project / name, self.twin / name)
        shutil.copy2(self.project / 'editions.toml', self.twin / 'editions.toml')
        for record in FULL_PATH_FORGETS:
            path = self.twin / record
            shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
        result = taiyaku(self.twin, 'update-po', *options)
        return result, {**digest(self.twin), **compendium(self.twin)}

    def update_po(self, *options: str) -> None:
        before, master_before = confirmed(self.project), templates(self.project)
        full, full_bytes = self.full_path(*options)
        result = taiyaku(self.project, 'update-po', *options)
        assert result.returncode == 0, result.stdout + result.stderr
        once = digest(self.project)
        assert (result.stdout, result.stderr) == (full.stdout, full.stderr), 'the full path reported otherwise'
        assert {**once, **compendium(self.project)} == full_bytes, 'the full path left other bytes'
        again = taiyaku(self.project, 'update-po')            # (a purge is not repeated: it drops what it kept)
        assert again.returncode == 0, again.stderr
        assert digest(self.project) == once, 'a second update-po changed the catalogs'
        # a text the master did not change keeps its translation
        master_after, after = templates(self.project), confirmed(self.project)
        for (catalog, msgid), msgstr in before.items():
            if msgid in master_before.get(catalog, ()) and msgid in master_after.get(catalog, ()):
                assert after.get((catalog, msgid)) == msgstr, f'{catalog}: {msgid[:40]}… lost its translation'

    @rule()
    def run_update_po(self):
        self.update_po()
        self.step('update-po')

    @rule()
    def purge_obsolete(self):
        obsolete = {entry.msgstr for _, entry in entries(self.project) if entry.obsolete}   # seen as #~ already
        self.update_po('--purge-obsolete')
        kept = {entry.msgstr for _, entry in entries(self.project)}
        self.translations -= obsolete - kept                      # purged on purpose; nothing else may go
        self.step('purge')

    # -- the translator
    def waiting(self, fuzzy: bool) -> list[tuple[Path, polib.POEntry]]:
        """The live messages with no translation (or, ``fuzzy``, with one to review)."""
        return [(path, entry) for path, entry in entries(self.project)
                if not entry.obsolete and (entry.fuzzy if fuzzy else not entry.msgstr)]

    @precondition(lambda self: self.waiting(fuzzy=False) or self.waiting(fuzzy=True))
    @rule(data=st.data())
    def translate(self, data):
        """A new translation of an untranslated message, or of a fuzzy one (the old one replaced)."""
        path, chosen = data.draw(st.sampled_from(self.waiting(fuzzy=False) + self.waiting(fuzzy=True)),
                                 label='message')
        po = polib.pofile(str(path))
        entry = po.find(chosen.msgid)
        self.counter += 1
        if entry.msgstr:
            self.translations.discard(entry.msgstr)
        entry.msgstr = with_references(f'Translation {self.counter} of a paragraph', entry.msgid)
        if 'fuzzy' in entry.flags:
            entry.flags.remove('fuzzy')
        entry.previous_msgid = None
        po.save()
        self.translations.add(entry.msgstr)
        self.step('translate')

    @precondition(lambda self: self.waiting(fuzzy=True))
    @rule(data=st.data())
    def review_fuzzy(self, data):
        fuzzy = [(path, entry) for path, entry in entries(self.project) if not entry.obsolete and entry.fuzzy]
        if not fuzzy:
            return
        path, chosen = data.draw(st.sampled_from(fuzzy), label='message')
        po = polib.pofile(str(path))
        entry = po.find(chosen.msgid)
        old = entry.msgstr
        entry.msgstr = with_references(entry.msgstr, entry.msgid)    # reviewed: the references follow the text
        entry.flags.remove('fuzzy')
        entry.previous_msgid = None
        po.save()
        if entry.msgstr != old:
            self.translations.discard(old)
            self.translations.add(entry.msgstr)
        self.step('confirm fuzzy')

    @rule()
    def build(self):
        """The build succeeds, whatever the master and the catalogs went through: the English
        HTML, incrementally (one output per build step keeps the run short)."""
        result = taiyaku(self.project, 'build', 'html', '--lang', 'en')
        assert result.returncode == 0, result.stderr
        self.step('build')

    # -- after every step
    @invariant()
    def catalogs_pass_msgfmt(self):
        for path in catalogs(self.project):
            checked = subprocess.run(['msgfmt', '-c', '-o', '/dev/null', str(path)], capture_output=True, text=True)
            assert checked.returncode == 0, f'{path}: {checked.stderr}'

    @invariant()
    def no_translation_is_lost(self):
        present = {entry.msgstr for _, entry in entries(self.project)}
        lost = self.translations - present
        assert not lost, f'{len(lost)} translation(s) lost: {sorted(lost)[:3]}'


# Shrinking a failure of this machine can take longer than the run itself: off unless asked for
# (TAIYAKU_CYCLE_SHRINK=1); a failure still shows every step it took, and hypothesis' seed.
PHASES = [Phase.generate, *([Phase.shrink] if os.environ.get('TAIYAKU_CYCLE_SHRINK') else [])]
Cycle.TestCase.settings = settings(max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None, database=None,
                                   phases=PHASES,
                                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
TestEditorAndTranslatorCycle = Cycle.TestCase


def teardown_module(module):
    """How much ran: printed (pytest -s) and kept in build/test-artifacts/cycle-state-machine.txt."""
    rules = ', '.join(f'{name}: {count}' for name, count in sorted(RAN['rules'].items()))
    summary = f'cycle state machine: {RAN["examples"]} run(s), {RAN["steps"]} step(s) ({rules})\n'
    print(f'\n{summary}', end='')
    artifacts = Path(__file__).resolve().parent.parent / 'build' / 'test-artifacts'
    artifacts.mkdir(parents=True, exist_ok=True)
    (artifacts / 'cycle-state-machine.txt').write_text(summary, encoding='utf-8')
