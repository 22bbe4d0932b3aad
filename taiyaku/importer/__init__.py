"""The importer: a PDF, or a text extraction of one, in; a draft master and a report out.

    from taiyaku.importer import run, ImportFailure
    result = run(Path('raw/2011/bluebook-2011-ch2-sec5.txt'), Path('build/import'))
    print(result.summary)

Two front ends make the same rows: the PDF's (glyphs: PDFium's characters with their
boxes and sizes; layout: lines, columns, reading order and what the page shows about each
line; findings: that turned into row kinds and payloads) and the text's (decode: bytes to
text; checks: doubled lines, interleaved columns, half-width katakana; lines: rows;
extraction: pages, furniture at their edges, line pieces). The stages after them are
shared: furniture, ruby (readings merged, then attached), footnotes, headings, figures,
paragraphs and reading_order (the text made whole and put in order), spacing (spaces as
the master sets them), pages (the original's pages), writer (rst), readback (docutils
reads the draft back), ledger and report (the accounting), output (the folder, with its
manifest); compare measures a draft against a master.
"""

from taiyaku.importer.errors import ImportFailure

__all__ = ['ImportFailure', 'Result', 'convert', 'run']


def __getattr__(name: str):
    # the pipeline pulls in docutils and Janome: only when an import is run, not when
    # the taiyaku command merely starts
    if name in ('Result', 'convert', 'run'):
        from taiyaku.importer import pipeline
        return getattr(pipeline, name)
    raise AttributeError(name)
