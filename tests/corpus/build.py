"""Build the importer's test corpus: every section in every layout, as a PDF, and as the
text each extractor makes of it.

    .venv/bin/python tests/corpus/build.py [--out build/corpus]

For each layout (LAYOUTS) and section (sections/*.tex), ``OUT/<layout>/<section>.pdf`` is
typeset with upLaTeX and dvipdfmx, and beside it the extractions a user would have:

    <section>.pdftotext.txt   poppler's pdftotext, default mode
    <section>.raw.txt         pdftotext -raw
    <section>.pdfminer.txt    pdfminer.six's pdf2txt.py
    <section>.pdfium.txt      PDFium's text (pypdfium2 extract-text)

Nothing generated is committed: the PDFs are rebuilt when a source or the style changes
(a hash of the inputs is kept beside them), so the tests can call :func:`build` freely.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SECTIONS = sorted(p.stem for p in (HERE / 'sections').glob('*.tex'))
PUBLICATION = '外交青書 2031'
CHAPTER = '第２章'


@dataclass(frozen=True)
class Layout:
    name: str
    columns: int
    footnotes: str        # 'column' or 'page'
    ruby: str             # how per-character readings are set: 'mono' or 'jukugo'
    head: str             # 'left' or 'right': where the running head stands
    paper: str

    @property
    def options(self) -> str:
        return (f'columns={self.columns},footnotes={self.footnotes},ruby={self.ruby},'
                f'head={self.head},paper={self.paper}')


LAYOUTS = {layout.name: layout for layout in (
    Layout('one-column', 1, 'page', 'mono', 'left', 'a5'),
    Layout('one-column-jukugo', 1, 'page', 'jukugo', 'right', 'b5'),
    Layout('two-column-column-notes', 2, 'column', 'jukugo', 'right', 'b5'),
    Layout('two-column-page-notes', 2, 'page', 'mono', 'left', 'b5'),
)}

EXTRACTORS = {
    'pdftotext': lambda pdf: ['pdftotext', '-enc', 'UTF-8', str(pdf), '-'],
    'raw': lambda pdf: ['pdftotext', '-raw', '-enc', 'UTF-8', str(pdf), '-'],
    'pdfminer': lambda pdf: [str(Path(sys.executable).with_name('pdf2txt.py')), str(pdf)],
    'pdfium': lambda pdf: [str(Path(sys.executable).with_name('pypdfium2')), 'extract-text', str(pdf)],
}

DRIVER = r"""\documentclass[uplatex,10pt]{jsarticle}
\usepackage[%(options)s]{taiyaku-corpus}
\publication{%(publication)s}
\chaptertab{%(chapter)s}
\begin{document}
\input{%(section)s}
\end{document}
"""


def inputs_hash(layout: Layout, section: str) -> str:
    digest = hashlib.sha256(layout.options.encode())
    for path in (HERE / 'taiyaku-corpus.sty', HERE / 'sections' / f'{section}.tex', Path(__file__)):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def typeset(layout: Layout, section: str, pdf: Path) -> None:
    with tempfile.TemporaryDirectory(prefix='taiyaku-corpus-') as work:
        work = Path(work)
        (work / 'doc.tex').write_text(DRIVER % {'options': layout.options, 'publication': PUBLICATION,
                                                'chapter': CHAPTER, 'section': section}, encoding='utf-8')
        env = dict(os.environ, TEXINPUTS=f'{HERE}:{HERE / "sections"}:', SOURCE_DATE_EPOCH='1924992000',
                   FORCE_SOURCE_DATE='1')
        for command in (['uplatex', '-interaction=nonstopmode', '-halt-on-error', 'doc.tex'],
                        ['dvipdfmx', '-q', 'doc.dvi']):
            done = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
            if done.returncode:
                raise RuntimeError(f'{section} in {layout.name}: {command[0]} failed:\n{done.stdout[-2000:]}')
        pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(work / 'doc.pdf', pdf)


def extract(pdf: Path) -> None:
    for name, command in EXTRACTORS.items():
        done = subprocess.run(command(pdf), capture_output=True)
        if done.returncode:
            raise RuntimeError(f'{pdf}: {name} failed: {done.stderr.decode(errors="replace")[-500:]}')
        text = done.stdout.decode('utf-8').replace('\r\n', '\n')
        pdf.with_name(f'{pdf.stem}.{name}.txt').write_text(text, encoding='utf-8')


def build(out: Path = ROOT / 'build' / 'corpus') -> Path:
    """Every layout × section, rebuilt only where its inputs changed. Returns ``out``."""
    for layout in LAYOUTS.values():
        for section in SECTIONS:
            pdf = out / layout.name / f'{section}.pdf'
            stamp = pdf.with_suffix('.sha256')
            wanted = inputs_hash(layout, section)
            if pdf.exists() and stamp.exists() and stamp.read_text() == wanted \
                    and all(pdf.with_name(f'{section}.{name}.txt').exists() for name in EXTRACTORS):
                continue
            typeset(layout, section, pdf)
            extract(pdf)
            stamp.write_text(wanted)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', type=Path, default=ROOT / 'build' / 'corpus')
    args = parser.parse_args()
    out = build(args.out)
    for pdf in sorted(out.glob('*/*.pdf')):
        print(pdf.relative_to(out))
    return 0


if __name__ == '__main__':
    sys.exit(main())
