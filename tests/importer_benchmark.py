"""Import speed at 1×, 10× and 100× the 2011 seed (the seed repeated), measured side by
side in one run: characters per second, and the time per character relative to 1×, which
stays flat when time grows linearly with the input. A benchmark, not a test: the machine
is shared, so nothing here asserts a time.

    .venv/bin/python tests/importer_benchmark.py [1 10 100 …]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from taiyaku.importer import convert, readback  # noqa: E402

RAW = ROOT / 'raw' / '2011' / 'bluebook-2011-ch2-sec5.txt'


def measure(factor: int) -> dict:
    seed = RAW.read_text(encoding='utf-8')
    data = ('\n'.join([seed] * factor)).encode('utf-8')
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / 'draft'
        start = time.perf_counter()
        result = convert(data, f'seed×{factor}', out)
        total = time.perf_counter() - start
        start = time.perf_counter()
        readback.read(out)
        check = time.perf_counter() - start
    chars = result.report['input']['characters']
    assert result.ok and result.report['accounting']['unaccounted'] == 0
    return {'factor': factor, 'bytes': len(data), 'chars': chars, 'seconds': total, 'readback': check,
            'rate': chars / total, 'paragraphs': result.report['draft']['paragraphs']}


def main(factors: list[int]) -> None:
    convert(RAW.read_bytes(), 'warm-up', Path(tempfile.mkdtemp()) / 'draft')     # Janome's dictionary, imports
    rows = [measure(factor) for factor in factors]
    base = rows[0]['seconds'] / rows[0]['chars']
    print(f'{"input":>8} {"MB":>7} {"characters":>11} {"paragraphs":>10} {"seconds":>8} {"chars/s":>9} '
          f'{"s/char vs 1×":>13} {"read-back share":>15}')
    for row in rows:
        print(f'{row["factor"]:>7}× {row["bytes"] / 1e6:>7.2f} {row["chars"]:>11,} {row["paragraphs"]:>10,} '
              f'{row["seconds"]:>8.2f} {row["rate"]:>9,.0f} {row["seconds"] / row["chars"] / base:>13.2f} '
              f'{row["readback"] / row["seconds"]:>15.0%}')


if __name__ == '__main__':
    main([int(arg) for arg in sys.argv[1:]] or [1, 10, 100])
