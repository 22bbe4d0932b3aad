"""``taiyaku import RAW --out DIR``: what ``make import RAW=… OUT=…`` calls."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

MAX_MEGABYTES = 20


def add_parser(sub) -> None:
    p = sub.add_parser('import', help='a PDF, or a text extraction of one, in; a draft master (rst) and a report out')
    p.add_argument('raw', type=Path, help='the PDF itself, or a text extraction of it (UTF-8, or Shift_JIS/CP932)')
    p.add_argument('--out', type=Path, required=True,
                   help='folder for the draft and report.json/report.txt (written only by a complete import; '
                        'files the import did not write are never touched)')
    p.add_argument('--max-size', type=float, default=MAX_MEGABYTES, metavar='MB',
                   help=f'refuse a larger input, reading no more than that (default {MAX_MEGABYTES:g} MB: a section\'s '
                        'extraction is well under 1 MB, a 300-page PDF a few MB)')
    p.add_argument('--compare', type=Path, metavar='MASTER',
                   help='a master folder (e.g. source) to compare the draft with, paragraph by paragraph: every '
                        'difference is printed and written into report.json')
    p.add_argument('--force', action='store_true',
                   help='replace a draft edited since its import (the edited draft is kept in OUT.previous/)')
    p.set_defaults(func=cmd_import)


def cmd_import(args: argparse.Namespace, project=None) -> int:
    from taiyaku.importer import ImportFailure, run

    try:
        result = run(args.raw, args.out, limit=int(args.max_size * 1_000_000), force=args.force,
                     compare_with=args.compare)
    except ImportFailure as exc:
        print(f'taiyaku: import failed: {exc}', file=sys.stderr)
        return 1
    except Exception as exc:     # a bug, a full disk…: said plainly; the staging folder is gone, OUT unchanged
        print(f'taiyaku: import failed: {args.raw}: {type(exc).__name__}: {exc} (the output folder is unchanged)',
              file=sys.stderr)
        return 1
    print(result.summary, end='')
    print(f'taiyaku: draft and report in {args.out}/ (report.json, report.txt)')
    if not result.ok:
        status = result.report['status']
        why = {'unbalanced': 'the accounting does not balance: see "unaccounted" in report.json'}.get(
            status, f'the draft is not to be trusted as it is ({status}): see "warnings" in report.json')
        print(f'taiyaku: {why}', file=sys.stderr)
        return 1
    return 0
