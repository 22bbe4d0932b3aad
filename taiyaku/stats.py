"""Translation progress: ``taiyaku stats`` (``make stats``).

Per catalog and in total, the messages translated, fuzzy and untranslated, weighed two
ways: by messages, and by the size of their Japanese source. Japanese has no spaces to
count words by, so the source is measured in **characters**, the unit Japanese text is
counted and priced in: the characters a reader sees, without spaces and without markup
(a footnote reference's label, a role's syntax, a ruby reading do not count; 国後島
counts 3). The translation is measured in English **words** (runs of letters or digits,
with inner apostrophes and hyphens: ``Japan-Russia`` and ``Japan's`` are one word each).

The table goes to the terminal; ``build/status/index.html`` is a self-contained status
page (no external file, script or font): a progress bar per document, a chart of where
the remaining work is, and each catalog's ``check-po`` findings.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from taiyaku import qa
from taiyaku.catalogs import atomic_write
from taiyaku.labels import language_name
from taiyaku.project import Project
from taiyaku.qa import markup

STATES = ('translated', 'fuzzy', 'untranslated')
COLOURS = {'translated': '#2e7d32', 'fuzzy': '#f9a825', 'untranslated': '#c62828'}
ENGLISH_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
TOCTREE = re.compile(r'^\.\. toctree::\s*\n((?:[ \t]+.*\n|[ \t]*\n)*)', re.MULTILINE)


def source_characters(text: str) -> int:
    return len(re.sub(r'\s+', '', markup.plain_text(markup.parse(text))))


def translation_words(text: str) -> int:
    return len(ENGLISH_WORD.findall(markup.plain_text(markup.parse(text))))


@dataclass
class Tally:
    messages: int = 0
    characters: int = 0         # of the Japanese source
    words: int = 0              # of the translation

    def add(self, other: Tally) -> None:
        self.messages += other.messages
        self.characters += other.characters
        self.words += other.words


@dataclass
class CatalogStats:
    document: str
    path: Path
    tallies: dict[str, Tally] = field(default_factory=lambda: {state: Tally() for state in STATES})
    problem: str | None = None          # why the catalog could not be read
    publication: str = ''               # the header's Project-Id-Version
    errors: int = 0                     # check-po findings, progress (completeness) aside
    warnings: int = 0

    @property
    def total(self) -> Tally:
        total = Tally()
        for tally in self.tallies.values():
            total.add(tally)
        return total

    def percent(self, unit: str = 'characters') -> float:
        whole = getattr(self.total, unit)
        return 100.0 * getattr(self.tallies['translated'], unit) / whole if whole else 100.0


@dataclass
class LanguageStats:
    language: str
    catalogs: list[CatalogStats]

    @property
    def total(self) -> CatalogStats:
        total = CatalogStats('total', Path())
        for catalog in self.catalogs:
            for state in STATES:
                total.tallies[state].add(catalog.tallies[state])
            total.errors += catalog.errors
            total.warnings += catalog.warnings
        return total

    @property
    def unreadable(self) -> list[CatalogStats]:
        return [catalog for catalog in self.catalogs if catalog.problem]


def state_of(entry: qa.Entry) -> str:
    return 'untranslated' if entry.untranslated else 'fuzzy' if entry.fuzzy else 'translated'


def catalog_stats(path: Path, document: str, language: str, findings: list[qa.Finding],
                  master: list[qa.MasterMessage] | None = None) -> CatalogStats:
    """The counts of one catalog; given the ``master``'s messages, those are what is counted:
    one the catalog lacks (or holds only with a context or as a plural, which Sphinx never
    uses) is untranslated, and an entry the master does not have counts for nothing."""
    stats = CatalogStats(document, path)
    if not path.exists():           # a document of the master with no catalog yet
        entries = []
    else:
        catalog, po = qa.load_catalog(path, language)
        stats.publication = po.header.get('Project-Id-Version', ('',))[0]
        if catalog is None:
            line, message = po.errors[0]
            stats.problem = f'{path}:{line}: {message}'
            return stats
        entries = catalog.entries
    if master is not None:
        usable = {entry.msgid: entry for entry in entries if entry.context is None and not entry.plural_forms}
        counted = [(message.msgid, usable.get(message.msgid)) for message in master]
    else:
        counted = [(entry.msgid, entry) for entry in entries]
    for msgid, entry in counted:
        tally = stats.tallies[state_of(entry) if entry is not None else 'untranslated']
        tally.messages += 1
        tally.characters += source_characters(msgid)
        if entry is not None and not entry.untranslated:
            tally.words += translation_words(entry.translation)
    mine = [f for f in findings if f.path == path and f.check != 'completeness']
    stats.errors = sum(f.severity is qa.ERROR for f in mine)
    stats.warnings = len(mine) - stats.errors
    return stats


def reading_order(project: Project) -> list[str]:
    """The master's documents in the order of its toctrees, from index.rst down."""
    order: list[str] = []

    def visit(document: str) -> None:
        if document in order:
            return
        order.append(document)
        try:
            text = (project.source / f'{document}.rst').read_text(encoding='utf-8')
        except (OSError, UnicodeDecodeError):
            return
        folder = Path(document).parent
        for block in TOCTREE.findall(text):
            for line in block.splitlines():
                entry = line.strip()
                if entry and not entry.startswith(':'):
                    entry = entry.split('<')[-1].rstrip('>').strip()    # "Title <doc>"
                    target = entry.lstrip('/') if entry.startswith('/') else (folder / entry).as_posix()
                    visit(target)

    visit('index')
    return order


def project_stats(project: Project, languages: list[str], templates: Path | None = None) -> list[LanguageStats]:
    """Every language's counts; given the master's ``templates``, the master's messages are
    counted (a catalog not in step is counted as the build would use it), its documents
    without a catalog are listed, and catalogs of removed documents are left out."""
    order = reading_order(project)
    result = []
    for language in languages:
        paths = qa.catalog_paths(project, language)
        findings = qa.check_project(project, [language], templates=templates)
        folder = project.locale / language / 'LC_MESSAGES'
        context = qa.context_for(project, language, templates)
        if templates is not None:
            paths = sorted({*(path for path in paths if context.master_messages(path) is not None),
                            *(folder / pot.relative_to(templates).with_suffix('.po') for pot in templates.rglob('*.pot')
                              if context.master_messages(folder / pot.relative_to(templates).with_suffix('.po')))})
        catalogs = [catalog_stats(path, path.relative_to(folder).with_suffix('').as_posix(), language, findings,
                                  context.master_messages(path))
                    for path in paths]
        catalogs.sort(key=lambda c: (order.index(c.document) if c.document in order else len(order), c.document))
        result.append(LanguageStats(language, catalogs))
    return result


# -- the terminal table ----------------------------------------------------------------------

def table(stats: LanguageStats) -> str:
    heads = ('document', 'messages', 'transl.', 'fuzzy', 'untr.', 'done',
             'chars (ja)', 'transl.', 'fuzzy', 'untr.', 'done', 'words (en)', 'QA')
    rows = []
    for catalog in [*stats.catalogs, stats.total]:
        if catalog.problem:
            rows.append((catalog.document, f'unreadable: {catalog.problem}'))
            continue
        t, total = catalog.tallies, catalog.total
        qa_text = f'{catalog.errors}E {catalog.warnings}W' if catalog.errors or catalog.warnings else 'ok'
        rows.append((catalog.document, total.messages, t['translated'].messages, t['fuzzy'].messages,
                     t['untranslated'].messages, f'{catalog.percent("messages"):.0f}%',
                     total.characters, t['translated'].characters, t['fuzzy'].characters,
                     t['untranslated'].characters, f'{catalog.percent():.0f}%', t['translated'].words, qa_text))
    widths = [max(len(str(row[i])) for row in [heads, *rows] if len(row) > i) for i in range(len(heads))]
    rule = '  '.join('-' * w for w in widths)

    def line(row) -> str:
        if len(row) == 2:
            return f'{row[0]:<{widths[0]}}  {row[1]}'
        return '  '.join(f'{cell:<{w}}' if i == 0 else f'{cell:>{w}}' for i, (cell, w) in enumerate(zip(row, widths)))

    title = f'{stats.language}: messages and Japanese source characters translated / fuzzy / untranslated'
    return '\n'.join([title, line(heads), rule, *map(line, rows[:-1]), rule, line(rows[-1])])


# -- the HTML status page --------------------------------------------------------------------

STYLE = '''
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1c1c1c; margin: 2rem auto;
       max-width: 72rem; padding: 0 1.5rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h1 small { font-weight: 400; color: #555; margin-left: .5rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem; }
.lead { color: #555; margin-top: 0; }
.tiles { display: flex; gap: 1rem; flex-wrap: wrap; margin: 1rem 0; }
.tile { border: 1px solid #ddd; border-radius: 8px; padding: .7rem 1rem; min-width: 9rem; }
.tile b { display: block; font-size: 1.7rem; line-height: 1.2; }
.bar { display: flex; height: 14px; border-radius: 7px; overflow: hidden; background: #eee; min-width: 12rem; }
.bar span { display: block; height: 100%; }
.bar.big { height: 26px; border-radius: 13px; }
table { border-collapse: collapse; width: 100%; margin-top: 1rem; }
th, td { padding: .4rem .5rem; border-bottom: 1px solid #e4e4e4; text-align: right; white-space: nowrap; }
th:first-child, td:first-child, .progress { text-align: left; }
td.progress { width: 30%; }
tr.total td { font-weight: 600; border-top: 2px solid #999; }
.ok { color: #2e7d32; } .error { color: #c62828; font-weight: 600; } .warning { color: #a66c00; }
.legend span { display: inline-block; width: .9rem; height: .9rem; border-radius: 2px; vertical-align: -2px;
               margin: 0 .3rem 0 1rem; }
figure { margin: 1.2rem 0; } figcaption { color: #555; font-size: .9rem; }
code { font-size: .9em; }
'''


def bar(catalog: CatalogStats, big: bool = False) -> str:
    total = catalog.total.characters or 1
    parts = []
    for state in STATES:
        share = 100.0 * catalog.tallies[state].characters / total
        if share:
            tip = f'{state}: {catalog.tallies[state].characters:,} characters, {catalog.tallies[state].messages} messages'
            parts.append(f'<span class="{state}" style="width:{share:.3f}%;background:{COLOURS[state]}" '
                         f'title="{html.escape(tip)}"></span>')
    return f'<div class="bar{" big" if big else ""}" role="img" aria-label="{catalog.percent():.0f}% translated">' \
           f'{"".join(parts)}</div>'


def chart(stats: LanguageStats) -> str:
    """Stacked bars in SVG: each document's source size, split by state — where the work is."""
    readable = [c for c in stats.catalogs if not c.problem]
    widest = max((c.total.characters for c in readable), default=0) or 1
    label, width, row, plot = 170, 760, 30, 500
    rows = []
    for i, catalog in enumerate(readable):
        y, x = 10 + i * row, label
        rows.append(f'<text x="{label - 10}" y="{y + 15}" text-anchor="end">{html.escape(catalog.document)}</text>')
        for state in STATES:
            length = plot * catalog.tallies[state].characters / widest
            if length:
                rows.append(f'<rect x="{x:.2f}" y="{y}" width="{length:.2f}" height="20" fill="{COLOURS[state]}">'
                            f'<title>{html.escape(catalog.document)} — {state}: '
                            f'{catalog.tallies[state].characters:,} characters</title></rect>')
                x += length
        rows.append(f'<text x="{x + 8:.2f}" y="{y + 15}">{catalog.total.characters:,} '
                    f'({catalog.percent():.0f}%)</text>')
    height = 20 + row * len(readable)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'style="width:100%;max-width:{width}px" '
            f'role="img" aria-label="Source characters per document, by translation state" '
            f'font-family="system-ui, sans-serif" font-size="13">{"".join(rows)}</svg>')


def language_section(stats: LanguageStats) -> str:
    total = stats.total
    t = total.tallies
    tiles = [
        (f'{total.percent():.0f}%', 'translated (by source characters)'),
        (f'{t["translated"].messages} / {total.total.messages}', 'messages translated'),
        (f'{t["fuzzy"].messages}', 'fuzzy (need review)'),
        (f'{t["untranslated"].messages}', 'untranslated'),
        (f'{total.errors} / {total.warnings}', 'QA errors / warnings'),
    ]
    rows = []
    for catalog in [*stats.catalogs, total]:
        name = html.escape(catalog.document)
        if catalog.problem:
            rows.append(f'<tr><td>{name}</td><td class="error" colspan="9">unreadable: '
                        f'{html.escape(catalog.problem)}</td></tr>')
            continue
        c = catalog.tallies
        if catalog.errors:
            quality = f'<span class="error">{catalog.errors} error(s)</span>'
        elif catalog.warnings:
            quality = f'<span class="warning">{catalog.warnings} warning(s)</span>'
        else:
            quality = '<span class="ok">clean</span>'
        rows.append(
            f'<tr class="{"total" if catalog is total else "document"}"><td>{name}</td>'
            f'<td class="progress">{bar(catalog)}</td><td>{catalog.percent():.0f}%</td>'
            f'<td>{c["translated"].messages}</td><td>{c["fuzzy"].messages}</td><td>{c["untranslated"].messages}</td>'
            f'<td>{catalog.total.characters:,}</td><td>{c["untranslated"].characters + c["fuzzy"].characters:,}</td>'
            f'<td>{c["translated"].words:,}</td><td>{quality}</td></tr>')
    legend = ''.join(f'<span style="background:{COLOURS[s]}"></span>{s}' for s in STATES)
    return f'''
<section id="lang-{html.escape(stats.language)}">
<h2>{html.escape(language_name(stats.language))} ({html.escape(stats.language)})</h2>
<div class="tiles">{"".join(f'<div class="tile"><b>{v}</b>{html.escape(k)}</div>' for v, k in tiles)}</div>
{bar(total, big=True)}
<p class="legend">{legend}</p>
<figure>{chart(stats)}
<figcaption>Each document's Japanese source, in characters, by the state of its translation: where the work
is. In the table, translated, fuzzy and untranslated count messages.</figcaption></figure>
<table>
<thead><tr><th>document</th><th class="progress">progress</th><th title="share of the source characters translated">done</th>
<th title="messages translated">translated</th><th title="messages fuzzy">fuzzy</th>
<th title="messages untranslated">untranslated</th><th title="Japanese source characters">source chars</th>
<th title="source characters of fuzzy and untranslated messages">chars to do</th>
<th title="words of the translation in use">words</th><th title="make check-po">QA</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
</section>'''


def page(project: Project, languages: list[LanguageStats]) -> str:
    sections = ''.join(language_section(stats) for stats in languages)
    publication = next((c.publication for stats in languages for c in stats.catalogs if c.publication),
                       project.root.name)
    return f'''<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Translation status — {html.escape(publication)}</title>
<style>{STYLE}</style>
</head>
<body>
<h1>Translation status <small>{html.escape(publication)}</small></h1>
<p class="lead">Progress of every translation of the Japanese master, by document: messages, and the
Japanese source in characters (spaces and markup not counted). Fuzzy messages keep a translation of an older
source and are not used until reviewed. QA counts the findings of <code>make check-po</code> besides
fuzzy and untranslated messages.</p>
{sections}
</body>
</html>
'''


def write_page(project: Project, languages: list[LanguageStats], outdir: Path | None = None) -> Path:
    target = (outdir or project.build / 'status') / 'index.html'
    atomic_write(target, page(project, languages).encode('utf-8'))
    return target


def add_parser(sub) -> None:
    s = sub.add_parser('stats', help='translation progress per catalog: a table, and build/status/index.html')
    s.add_argument('--lang', nargs='+', help='target languages (default: every language under locale/)')
    s.add_argument('--output', type=Path, help='folder of the status page (default: build/status)')
    s.add_argument('--no-html', action='store_true', help='print the table only')
    s.add_argument('--templates', type=Path, metavar='DIR',
                   help="the master's messages as .pot files (default: extracted from source/ afresh)")
    s.set_defaults(func=run)


def run(args: argparse.Namespace, project: Project) -> int:
    try:
        languages = qa.target_languages(project, args.lang)
    except ValueError as exc:
        print(f'taiyaku: {exc}', file=sys.stderr)
        return 2
    templates = args.templates
    if templates is None:
        from taiyaku.builds import extract_messages
        from taiyaku.po import CatalogError

        try:
            templates = extract_messages(project)
        except CatalogError as exc:
            print(f'taiyaku: cannot count against the master: {exc}', file=sys.stderr)
            return 1
    elif not templates.is_dir():
        print(f'taiyaku: no such folder of message templates: {templates}', file=sys.stderr)
        return 2
    stats = project_stats(project, languages, templates)
    print('\n\n'.join(table(language) for language in stats))
    if not args.no_html:
        target = write_page(project, stats, args.output)
        print(f'taiyaku: status page {target}')
    unreadable = [catalog for language in stats for catalog in language.unreadable]
    for catalog in unreadable:
        print(f'taiyaku: cannot count {catalog.problem}', file=sys.stderr)
    return 1 if unreadable else 0
