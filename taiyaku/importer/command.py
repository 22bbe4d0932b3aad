"""``taiyaku import RAW --out DIR``: what ``make import RAW=… OUT=…`` calls."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


MAX_MEGABYTES = 20


def add_parser(sub) -> None:
    p = sub.add_parser('import', help='a raw PDF text extraction in, a draft master (rst) and a report out')
    p.add_argument('raw', type=Path, help='the raw extraction (UTF-8, or Shift_JIS/CP932)')
    p.add_argument('--out', type=Path, required=True,
                   help='folder for the draft and report.json/report.txt (replaced only by a complete import)')
    p.add_argument('--max-size', type=float, default=MAX_MEGABYTES, metavar='MB',
                   help=f'refuse a larger file (default {MAX_MEGABYTES:g} MB: a section\'s extraction is '
                        f'well under 1 MB; the importer takes about 1 s and 50 MB of memory per 100,000 characters)')
    p.add_argument('--compare', type=Path, metavar='MASTER',
                   help='a master folder (e.g. source) to compare the draft with, paragraph by paragraph')
    p.set_defaults(func=cmd_import)


def cmd_import(args: argparse.Namespace, project=None) -> int:
    from taiyaku.importer import ImportFailure, compare, readback, run

    try:
        size = args.raw.stat().st_size
    except OSError:
        size = 0                  # a missing file is the importer's own clear error
    if size > args.max_size * 1_000_000:
        print(f'taiyaku: import refused: {args.raw}: {size / 1_000_000:.0f} MB is more than one extraction '
              f'(limit {args.max_size:g} MB): import the book a section at a time, or raise --max-size',
              file=sys.stderr)
        return 1
    try:
        result = run(args.raw, args.out)
    except ImportFailure as exc:
        print(f'taiyaku: import failed: {exc}', file=sys.stderr)
        return 1
    except Exception as exc:     # a bug, a full disk…: said plainly; the staging folder is gone, OUT unchanged
        print(f'taiyaku: import failed: {args.raw}: {type(exc).__name__}: {exc} (the output folder is unchanged)',
              file=sys.stderr)
        return 1
    print(result.summary, end='')
    print(f'taiyaku: draft and report in {args.out}/ (report.json, report.txt)')
    if args.compare:
        agreement = compare.agreement(readback.read(args.compare), readback.read(args.out))
        print(f'taiyaku: agreement with {args.compare}/ (matched in order / expected):')
        print(compare.summary(agreement))
    if not result.ok:
        print('taiyaku: the accounting does not balance: see "unaccounted" in report.json', file=sys.stderr)
        return 1
    return 0
