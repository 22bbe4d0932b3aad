"""The importer: a raw PDF text extraction in, a draft master and a report out.

    from taiyaku.importer import run, ImportFailure
    result = run(Path('raw/2011/bluebook-2011-ch2-sec5.txt'), Path('build/import'))
    print(result.summary)

Modules, in the order the pipeline uses them: decode (bytes to text), lines (rows),
furniture, ruby (reading lines merged, then attached), footnotes, headings, figures,
paragraphs and reading_order (the text made whole and put in order), writer (rst),
readback (docutils reads the draft back), ledger and report (the accounting), output
(the folder, written atomically); compare measures a draft against a master.
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
