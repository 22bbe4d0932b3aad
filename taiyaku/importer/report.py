"""The import report: JSON for machines, a short summary for people.

It proves nothing was lost: every input character is accounted for — in the draft, turned
into markup (footnote numbers), or dropped (furniture with each line and its reason,
whitespace, line breaks) — and the characters the draft holds are exactly those plus the
few the importer added, each listed with its reason. It lists every rejoin, move, ruby
attachment, footnote link and figure placement with line numbers, and every doubt.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from taiyaku.importer.ledger import AS_MARKUP, DROPPED, IN_DRAFT, Balance


def accounting(balance: Balance, added: list[dict], draft_check: dict) -> dict:
    kinds = balance.by_kind
    return {
        'total_characters': balance.total,
        'in_draft': {kind: kinds.get(kind, 0) for kind in IN_DRAFT},
        'as_markup': {kind: kinds.get(kind, 0) for kind in AS_MARKUP},
        'dropped': {kind: kinds.get(kind, 0) for kind in DROPPED},
        'reasons': balance.by_reason,
        'unaccounted': sum(len(item['text']) for item in balance.unaccounted),
        'unaccounted_stretches': balance.unaccounted[:200],
        'doubly_accounted': balance.doubled[:200],
        'added_by_importer': added,
        'draft_check': draft_check,
    }


def draft_check(expected: Counter[str], found: Counter[str]) -> dict:
    """The characters the draft holds (read back with docutils) against the characters
    claimed as written plus those the importer added."""
    missing, unexpected = expected - found, found - expected
    return {'matches': not missing and not unexpected,
            'missing_from_draft': dict(missing.most_common(50)), 'unexpected_in_draft': dict(unexpected.most_common(50))}


def write(report: dict, summary: str, folder: Path) -> None:
    """report.txt, then report.json with the manifest of every file the import wrote."""
    from taiyaku.importer.output import write_manifest
    (folder / 'report.txt').write_text(summary, encoding='utf-8')
    report['tool'] = 'taiyaku import'
    report['manifest'] = write_manifest(folder)
    (folder / 'report.json').write_text(json.dumps(report, ensure_ascii=False, indent=1) + '\n', encoding='utf-8')


def summary(report: dict) -> str:
    source, draft, books = report['input'], report['draft'], report['accounting']
    in_draft = sum(books['in_draft'].values())
    markup = sum(books['as_markup'].values())
    dropped = books['dropped']
    furniture_lines = len(report['dropped_lines'])
    rejoins = report['rejoins']
    across = sum(1 for r in rejoins if r['kind'] == 'reading order')
    unsure_ruby = sum(1 for r in report['ruby'] if 'unsure' in r)
    lines = [
        f"taiyaku import: {source['path']} ({source['encoding']}, {source['lines']} lines, "
        f"{source['characters']:,} characters)",
        *(f"  note: {note}" for note in source['notes']),
        f"draft: {draft['folder']}/ — {len(draft['documents'])} documents, {draft['headings']} headings, "
        f"{draft['paragraphs']} paragraphs, {draft['footnotes']} footnotes, {draft['ruby']} ruby, "
        f"{draft['figures']} figures (text column {draft['column_width']:g} full-width characters)",
        f"accounted: {books['total_characters'] - books['unaccounted']:,} of {books['total_characters']:,} characters — "
        f"{in_draft:,} in the draft, {markup} footnote numbers as markup, {dropped['furniture']} furniture "
        f"({furniture_lines} dropped items), {dropped['whitespace']:,} whitespace, {dropped['line-break']:,} line breaks; "
        f"{books['unaccounted']} unaccounted; {sum(1 for _ in books['added_by_importer'])} additions by the importer",
        f"draft read back: {'every character as accounted' if books['draft_check']['matches'] else 'DIFFERS from the accounting'}",
        f"to confirm: {len(rejoins)} rejoins ({across} across other blocks), {len(report['moves'])} moves, "
        f"{len(report['figures'])} figure placements, {len(report['ruby'])} ruby ({unsure_ruby} by layout only), "
        f"{len(report['footnotes'])} footnote links, "
        f"{sum(1 for p in report.get('original_pages', ()) if 'unsure' not in p)} original pages marked",
    ]
    doubts = report['uncertainties']
    lines.append(f"unsure: {len(doubts)}" + (':' if doubts else ''))
    for doubt in doubts[:20]:
        lines.append(f"  line {doubt.get('line', '?')}: {doubt['unsure']} ({doubt.get('text', '')[:30]})")
    if len(doubts) > 20:
        lines.append(f'  … {len(doubts) - 20} more in report.json')
    for warning in report.get('warnings', ()):
        lines.append(f'WARNING: {warning}')
    if 'comparison' in report:
        from taiyaku.importer.compare import summary as comparison
        lines.append(f"agreement with {report['comparison_with']}/ (matched in order / expected):")
        lines.append(comparison(report['comparison']))
    lines.append(f"status: {report['status']}")
    return '\n'.join(lines) + '\n'


def locate(report: dict, facts: list) -> None:
    """For a PDF: every line number in the report gets its page and position beside it
    (the page number, and the line's box in points from the page's lower left corner)."""
    def page(line):
        return facts[line - 1].page if isinstance(line, int) and 0 < line <= len(facts) else None

    def walk(node):
        if isinstance(node, dict):
            for key, value in list(node.items()):
                if key == 'line' and page(value):
                    node['page'], node['position'] = page(value), list(facts[value - 1].box)
                elif key in ('reference_line', 'body_lines', 'base_lines', 'reading_lines', 'lines') and value:
                    lines = value if isinstance(value, list) else [value]
                    pages = sorted({page(line) for line in lines if page(line)})
                    if pages:
                        node[{'reference_line': 'reference_page', 'body_lines': 'body_pages', 'base_lines': 'base_pages',
                              'reading_lines': 'reading_pages', 'lines': 'pages'}[key]] = pages
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for key in ('dropped_lines', 'rejoins', 'moves', 'headings', 'paragraphs', 'ruby', 'footnotes', 'figures',
                'original_pages', 'uncertainties'):
        walk(report.get(key))
