"""Builds that do no work twice: one reading per language, one document re-read per edit, no needless copy.

Behaviour, not timings (those are in bench/RESULTS.md).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import LATEX_OUTPUTS, copy_project

ROOT = Path(__file__).resolve().parent.parent


def taiyaku(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(project))
    return subprocess.run([sys.executable, '-m', 'taiyaku', *args], cwd=project, capture_output=True, text=True,
                          env=env)


def doctrees(project: Path, language: str, builder: str) -> dict[str, int]:
    folder = project / 'build' / '.work' / 'doctrees' / language / builder
    return {str(path.relative_to(folder)): path.stat().st_mtime_ns for path in folder.rglob('*.doctree')}


def helpers_in(project: Path) -> list[int]:
    """Build helper processes (taiyaku.warm) working in ``project``."""
    found = []
    for entry in Path('/proc').iterdir():
        try:
            if b'taiyaku.warm' in (entry / 'cmdline').read_bytes() and (entry / 'cwd').resolve() == project.resolve():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_a_cold_build_reads_each_language_once(project_copy):
    result = taiyaku(project_copy, 'build', 'html', 'epub', '--lang', 'ja', 'en')
    assert result.returncode == 0, result.stderr
    for language in ('ja', 'en'):
        html, epub = doctrees(project_copy, language, 'html'), doctrees(project_copy, language, 'epub')
        assert html and html == epub == doctrees(project_copy, language, 'read')   # both start from one reading
        assert (project_copy / 'build' / 'html' / language / 'russia' / 'relations.html').is_file()
        assert len(list((project_copy / 'build' / 'epub' / language).glob('*.epub'))) == 1
    assert helpers_in(project_copy) == []      # the build helper ended with the command


def test_a_free_build_worker_takes_a_reading_then_a_pdf_before_html_and_epub(tmp_path, monkeypatch):
    """In a cold build the English PDF, the longest chain, starts as soon as the English is read,
    not behind the Japanese HTML and EPUB submitted before it (one worker: the order is exact)."""
    from contextlib import nullcontext
    from types import SimpleNamespace

    from taiyaku import builds

    started = []
    monkeypatch.setattr(builds.warm, 'serves', lambda root: False)
    monkeypatch.setattr(builds.locks, 'held', lambda *args: nullcontext())
    monkeypatch.setattr(builds, 'sphinx_command', lambda *args, **kwargs: [])
    monkeypatch.setattr(builds, 'edition_env', lambda project: {})
    monkeypatch.setattr(builds, 'run', lambda command, target, **kwargs: started.append(target.name))
    monkeypatch.setattr(builds, 'BUILDERS', {fmt: lambda project, target: started.append(target.name) or Path(fmt)
                                             for fmt in builds.FORMATS})
    project = SimpleNamespace(root=tmp_path, work=tmp_path / 'build' / '.work', translations=lambda: [])
    targets = [builds.Target(language, fmt) for fmt in builds.FORMATS for language in ('ja', 'en')]
    builds.build_targets(project, targets, ['ja', 'en'], jobs=1)
    assert started == ['read/ja', 'read/en', 'pdf/ja', 'pdf/en', 'epub/ja', 'epub/en', 'html/ja', 'html/en']


def test_an_edit_re_reads_one_document_and_republishes_only_what_changed(project_copy):
    assert taiyaku(project_copy, 'build', 'html').returncode == 0
    before = {language: doctrees(project_copy, language, 'html') for language in ('ja', 'en')}
    published = project_copy / 'build' / 'html' / 'ja'
    untouched = (published / 'central-asia.html').stat().st_ino

    source = project_copy / 'source' / 'caucasus.rst'
    source.write_text(source.read_text(encoding='utf-8').replace('一定の事態の進展が見られた。',
                                                                 '一定の事態の進展が見られた。（追記）'), encoding='utf-8')
    result = taiyaku(project_copy, 'build', 'html')
    assert result.returncode == 0, result.stderr
    for language in ('ja', 'en'):
        after = doctrees(project_copy, language, 'html')
        assert [doc for doc in after if after[doc] != before[language][doc]] == ['caucasus.doctree']
    assert '（追記）' in (published / 'caucasus.html').read_text(encoding='utf-8')
    assert '（追記）' in (project_copy / 'build' / 'html' / 'en' / 'caucasus.html').read_text(encoding='utf-8')
    assert (published / 'central-asia.html').stat().st_ino == untouched     # published before, not copied again


def test_a_source_put_back_with_its_old_time_is_read_again_and_nothing_else_is(project_copy):
    """``cp -p`` of a kept copy (or a restore from a backup) gives the source a time older than
    its last reading: Sphinx alone would keep the edited page (taiyaku.ext.source_signatures)."""
    source = project_copy / 'source' / 'caucasus.rst'
    kept = project_copy / 'caucasus.rst.orig'
    shutil.copy2(source, kept)
    source.write_text(source.read_text(encoding='utf-8').replace('一定の事態の進展が見られた。',
                                                                 '一定の事態の進展が見られた。（追記）'), encoding='utf-8')
    assert taiyaku(project_copy, 'build', 'html', '--lang', 'ja').returncode == 0
    page = project_copy / 'build' / 'html' / 'ja' / 'caucasus.html'
    assert '（追記）' in page.read_text(encoding='utf-8')
    before = doctrees(project_copy, 'ja', 'html')

    shutil.copy2(kept, source)                      # the old text, with its old time
    assert source.stat().st_mtime_ns == kept.stat().st_mtime_ns         # older than the last reading
    result = taiyaku(project_copy, 'build', 'html', '--lang', 'ja')
    assert result.returncode == 0, result.stderr
    after = doctrees(project_copy, 'ja', 'html')
    assert [doc for doc in after if after[doc] != before[doc]] == ['caucasus.doctree']
    assert '（追記）' not in page.read_text(encoding='utf-8')

    assert taiyaku(project_copy, 'build', 'html', '--lang', 'ja').returncode == 0
    assert doctrees(project_copy, 'ja', 'html') == after          # and once read, it is not read again


def test_a_failed_builder_does_not_hand_its_reading_on(project_copy):
    source = project_copy / 'source' / 'caucasus.rst'
    source.write_text(source.read_text(encoding='utf-8').replace('南オセチア紛争', ':ruby:`南オセチア`紛争', 1),
                      encoding='utf-8')
    result = taiyaku(project_copy, 'build', 'html', 'epub', '--lang', 'ja')
    assert result.returncode == 1
    for name in ('html/ja', 'epub/ja'):          # each builder read the sources and found the error itself
        assert f'{name}: ' in result.stderr
    assert result.stderr.count('ruby needs a reading') >= 2
    assert not (project_copy / 'build' / 'epub' / 'ja').exists()


MODULES_AFTER = 'import json, sys\n{}\nprint(json.dumps(sorted(sys.modules)))'


def modules_loaded(project: Path, code: str, *args: str) -> set[str]:
    """The modules a fresh Python has imported after running ``code`` in ``project``."""
    result = subprocess.run([sys.executable, '-c', MODULES_AFTER.format(code), *args], cwd=project,
                            capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(project)))
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_the_build_helper_loads_what_builds_import_and_nothing_else(project_copy, tmp_path):
    """The forks share the helper's modules: one the builds never import is memory held for
    nothing (Janome's dictionary, 21 MB, came in with sphinx.search.ja); one they all import
    but the helper lacks is loaded again by every fork."""
    helper = modules_loaded(project_copy, 'from taiyaku import warm\nwarm.preload()')
    builds = set()
    # the copy has no compiled catalogs: the English build compiles them, as a first build does
    for builder, language in (('html', 'ja'), ('epub', 'en'), ('latex', 'ja')):
        builds |= modules_loaded(
            project_copy, 'from sphinx.cmd.build import build_main\nassert build_main(sys.argv[1:]) == 0',
            '-q', '-b', builder, '-D', f'language={language}', '-c', '.', '-d', str(tmp_path / f'{builder}-{language}.d'),
            'source', str(tmp_path / f'{builder}-{language}'))
    assert helper - builds <= {'gc', 'taiyaku.warm'}           # the helper's own
    assert 'janome' not in helper
    missing = {name for name in builds - helper if not name.startswith('encodings.')}
    assert not missing, f'imported by every fork instead of once: {sorted(missing)}'


def test_the_command_loads_babel_only_to_compile_a_catalog(project_copy):
    """`taiyaku build pdf --lang ja` reads no catalog: its command starts without Babel and the
    catalog layer (0.15 s of a PDF rebuild's start, here)."""
    command = modules_loaded(project_copy, 'import taiyaku.cli')
    assert not {name for name in command if name == 'babel' or name.startswith('babel.')}
    assert 'taiyaku.catalogs' not in command and 'taiyaku.po' not in command


def files_of(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file below ``folder``: (inode, modification time)."""
    return {str(path.relative_to(folder)): (path.stat().st_ino, path.stat().st_mtime_ns)
            for path in folder.rglob('*') if path.is_file()}


def edit_caucasus_translation(project: Path, text: str) -> None:
    catalog = project / 'locale' / 'en' / 'LC_MESSAGES' / 'caucasus.po'
    catalog.write_text(catalog.read_text(encoding='utf-8').replace('"Since the conflict in South Ossetia',
                                                                   f'"{text} Since the conflict in South Ossetia'),
                       encoding='utf-8')


def test_a_catalog_edit_compiles_one_catalog_re_reads_one_document_and_publishes_only_its_pages(project_copy):
    assert taiyaku(project_copy, 'build', 'html', '--lang', 'en').returncode == 0
    before = doctrees(project_copy, 'en', 'html')
    compiled = {path: path.stat().st_mtime_ns for path in (project_copy / 'locale' / 'en').rglob('*.mo')}
    published, produced = project_copy / 'build' / 'html' / 'en', project_copy / 'build' / '.work' / 'html' / 'en'
    published_before, produced_before = files_of(published), files_of(produced)

    edit_caucasus_translation(project_copy, '(edited)')
    result = taiyaku(project_copy, 'build', 'html', '--lang', 'en')
    assert result.returncode == 0, result.stderr
    after = doctrees(project_copy, 'en', 'html')
    assert [doc for doc in after if after[doc] != before[doc]] == ['caucasus.doctree']       # one document re-read
    recompiled = [path.name for path in (project_copy / 'locale' / 'en').rglob('*.mo')
                  if path.stat().st_mtime_ns != compiled[path]]
    assert recompiled == ['caucasus.mo']                                                     # one catalog compiled
    assert '(edited) Since the conflict' in (published / 'caucasus.html').read_text(encoding='utf-8')
    # published: what the build wrote again, and nothing else (every other file keeps its inode)
    rewritten = {name for name, (_, mtime) in files_of(produced).items() if produced_before.get(name, (0, 0))[1] != mtime}
    replaced = {name for name, (inode, _) in files_of(published).items() if published_before.get(name, (0, 0))[0] != inode}
    assert 'caucasus.html' in replaced and replaced <= rewritten
    assert not replaced & {'central-asia.html', 'russia/relations.html', 'russia/situation.html'}
    assert files_of(published).keys() == files_of(produced).keys()


def test_compiling_reads_only_the_catalogs_whose_file_changed(project_copy, monkeypatch):
    from taiyaku.catalogs import compile_catalogs
    from taiyaku.project import Project

    project = Project(project_copy)
    assert len(compile_catalogs(project, 'en')) > 3                  # the first time: every catalog
    read = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, 'read_bytes', lambda self: read.append(self.name) or original(self))
    assert compile_catalogs(project, 'en') == [] and [name for name in read if name.endswith('.po')] == []
    edit_caucasus_translation(project_copy, '(again)')
    assert [mo.name for mo in compile_catalogs(project, 'en')] == ['caucasus.mo']
    assert [name for name in read if name.endswith('.po')] == ['caucasus.po']
    # the same bytes put back with the old time are still the same content: nothing compiled,
    # while other bytes with the remembered time are read (the status-change time moved) and compiled
    catalog = project_copy / 'locale' / 'en' / 'LC_MESSAGES' / 'central-asia.po'
    stat = catalog.stat()
    catalog.write_bytes(original(catalog))
    os.utime(catalog, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert compile_catalogs(project, 'en') == []
    text = original(catalog)
    at = text.index(b'msgstr "', text.index(b'\n\n')) + len(b'msgstr "')
    catalog.write_bytes(text[:at] + b'changed ' + text[at:])
    os.utime(catalog, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert [mo.name for mo in compile_catalogs(project, 'en')] == ['central-asia.mo']


def servers_in(project: Path) -> list[int]:
    """Warm build servers (taiyaku.build_server) listening in ``project``."""
    found = []
    for entry in Path('/proc').iterdir():
        try:
            if b'taiyaku.build_server' in (entry / 'cmdline').read_bytes() and \
                    str(project / 'build').encode() in (entry / 'cmdline').read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_a_single_build_starts_a_warm_build_server_that_serves_the_next_and_ends_with_its_folder(project_copy):
    import time

    env = dict(os.environ, PYTHONPATH=str(project_copy), TAIYAKU_BUILD_SERVER='1')

    def build() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, '-m', 'taiyaku', 'build', 'html', '--lang', 'en'], cwd=project_copy,
                              capture_output=True, text=True, env=env)

    first = build()
    assert first.returncode == 0 and 'warm build server' not in first.stdout, first.stderr
    deadline = time.monotonic() + 120
    while not list((project_copy / 'build' / '.work' / 'server').glob('*.sock')):
        assert time.monotonic() < deadline, 'no build server started'
        time.sleep(0.2)
    try:
        edit_caucasus_translation(project_copy, '(served)')
        second = build()
        assert second.returncode == 0, second.stderr
        assert 'on the warm build server' in second.stdout
        assert '(served) Since the conflict' in (project_copy / 'build' / 'html' / 'en' / 'caucasus.html').read_text(
            encoding='utf-8')
        # the server's builds fail as any build does: a warning is an error, reported by the command
        source = project_copy / 'source' / 'caucasus.rst'
        source.write_text(source.read_text(encoding='utf-8').replace('南オセチア紛争', ':ruby:`南オセチア`紛争', 1),
                          encoding='utf-8')
        failed = build()
        assert failed.returncode == 1 and 'ruby needs a reading' in failed.stderr
        assert servers_in(project_copy)
    finally:
        shutil.rmtree(project_copy / 'build' / '.work' / 'server')       # as make clean does
    deadline = time.monotonic() + 30
    while servers_in(project_copy):
        assert time.monotonic() < deadline, 'the build server outlived its folder'
        time.sleep(0.5)


def test_the_build_server_is_one_per_toolchain_and_environment(tmp_path):
    from taiyaku import build_server

    env = {'SOURCE_DATE_EPOCH': '1300000000', 'HOME': '/root'}
    assert build_server.fingerprint(env) == build_server.fingerprint(dict(env, HOME='/elsewhere'))
    assert build_server.fingerprint(env) != build_server.fingerprint(dict(env, SOURCE_DATE_EPOCH='1400000000'))
    assert not build_server.enabled({'TAIYAKU_BUILD_SERVER': '0'})


def test_a_pdf_rebuild_runs_no_latex_pass_without_a_changed_aux(project_copy):
    """LaTeX runs again only when a file it read changed (the .tex, the .aux, the .toc…):
    a rebuild with nothing changed publishes the same PDF without a LaTeX pass."""
    assert taiyaku(project_copy, 'build', 'pdf', '--lang', 'ja').returncode == 0
    latex = project_copy / 'build' / '.work' / 'latex' / 'ja'
    log, aux = only(latex.glob('*.log')), only(latex.glob('*.aux'))
    passes = log.stat().st_mtime_ns, aux.read_bytes()
    pdf = only((project_copy / 'build' / 'pdf' / 'ja').glob('*.pdf'))
    published = pdf.read_bytes()
    result = taiyaku(project_copy, 'build', 'pdf', '--lang', 'ja')
    assert result.returncode == 0, result.stderr
    assert (log.stat().st_mtime_ns, aux.read_bytes()) == passes          # no LaTeX pass ran
    assert only((project_copy / 'build' / 'pdf' / 'ja').glob('*.pdf')).read_bytes() == published


def test_the_passes_are_latexmks_without_latexmk(built, tmp_path):
    """taiyaku.latexpasses runs what latexmk runs from Sphinx's LaTeX folder, without latexmk:
    from nothing, as many passes, and the same DVI, aux files and PDF, byte for byte, for the
    upLaTeX master and the XeLaTeX translation."""
    from taiyaku import latexpasses
    from taiyaku.builds import edition_env
    from taiyaku.project import Project

    env = edition_env(Project(ROOT))
    for language, options, engine in (('ja', '', 'uplatex'), ('en', ' -xelatex', 'xelatex')):
        latex = latex_folder(ROOT, language)
        theirs, ours = tmp_path / f'latexmk-{language}', tmp_path / f'ours-{language}'
        for folder in (theirs, ours):
            shutil.copytree(latex, folder, ignore=shutil.ignore_patterns(*LATEX_OUTPUTS))
        made = subprocess.run(['make', '-C', str(theirs), 'all-pdf',
                               'LATEXMKOPTS=-interaction=nonstopmode -halt-on-error -file-line-error' + options],
                              env=env, capture_output=True, text=True)
        assert made.returncode == 0, made.stdout[-2000:]
        tex = only(ours.glob('*.tex'))
        assert latexpasses.handled(ours)                # Sphinx's own latexmk configuration
        done = latexpasses.typeset(ours, tex, env)
        # (latexmk's count is the same here, 3; it also looks at file times, so it may run one more)
        assert 2 <= done.passes <= made.stdout.count(f"Running '{engine} ")
        for suffix in ('.dvi' if language == 'ja' else '.xdv', '.aux', '.toc', '.out', '.pdf'):
            assert (ours / (tex.stem + suffix)).read_bytes() == (theirs / (tex.stem + suffix)).read_bytes(), suffix
        assert latexpasses.typeset(ours, tex, env).passes == 0             # nothing changed: no pass


def small_latex_folder(folder: Path, body: str) -> Path:
    folder.mkdir()
    (folder / 'latexmkjarc').write_text("$latex = 'uplatex ' . $ENV{'LATEXOPTS'} . ' -kanji=utf8 %O %S';\n"
                                        "$dvipdf = 'dvipdfmx %O -o %D %S';\n"
                                        "$makeindex = 'mendex -U -f -s python.ist %O -o %D %S';\n")
    (folder / 'python.ist').write_text('', encoding='utf-8')       # mendex's defaults
    tex = folder / 'book.tex'
    tex.write_text(f'\\documentclass[uplatex]{{jsarticle}}\n\\usepackage{{makeidx}}\\makeindex\n'
                   f'\\begin{{document}}\n{body}\n\\end{{document}}\n', encoding='utf-8')
    return tex


def test_a_printed_index_is_made_and_read_and_a_bibliography_is_left_to_latexmk(tmp_path):
    from taiyaku import latexpasses

    tex = small_latex_folder(tmp_path / 'index', '外交\\index{がいこう@外交}青書\\printindex')
    assert not latexpasses.handled(tex.parent)       # a configuration of its own: a build leaves it to latexmk
    done = latexpasses.typeset(tex.parent, tex, dict(os.environ))
    # the first pass writes the .aux and looks for the .ind in vain; the second reads the index,
    # set on a page of its own (the .aux counts the pages); the third finds the .aux unchanged
    assert done.passes == 3
    assert '外交' in tex.with_suffix('.ind').read_text(encoding='utf-8')
    assert tex.with_suffix('.pdf').stat().st_size > 0
    tex.write_text(tex.read_text(encoding='utf-8').replace('青書', '青書\\index{せいしょ@青書}'), encoding='utf-8')
    assert latexpasses.typeset(tex.parent, tex, dict(os.environ)).passes == 2     # the index changed: read again
    assert '青書' in tex.with_suffix('.ind').read_text(encoding='utf-8')

    tex = small_latex_folder(tmp_path / 'bibliography', '\\cite{x}\\bibliographystyle{plain}\\bibliography{refs}')
    with pytest.raises(latexpasses.NeedsLatexmk):
        latexpasses.typeset(tex.parent, tex, dict(os.environ))
    log = tex.with_suffix('.log').stat().st_mtime_ns
    with pytest.raises(latexpasses.NeedsLatexmk):          # known now: no pass of ours first
        latexpasses.typeset(tex.parent, tex, dict(os.environ))
    assert tex.with_suffix('.log').stat().st_mtime_ns == log


def test_a_failed_pass_says_where_and_the_next_run_passes_again(tmp_path):
    from taiyaku import latexpasses
    from taiyaku.builds import latex_errors

    tex = small_latex_folder(tmp_path / 'broken', '外交\\undefinedcommand')
    with pytest.raises(latexpasses.TypesetError, match='book.tex: LaTeX pass 1'):
        latexpasses.typeset(tex.parent, tex, dict(os.environ))
    assert './book.tex:4: Undefined control sequence' in latex_errors(tex.parent)
    assert not list(tex.parent.glob('.*.passes.json')) and not tex.with_suffix('.pdf').exists()
    tex.write_text(tex.read_text(encoding='utf-8').replace('\\undefinedcommand', ''), encoding='utf-8')
    assert latexpasses.typeset(tex.parent, tex, dict(os.environ)).passes == 2      # as from nothing: the .aux, then again


def only(paths) -> Path:
    found = list(paths)
    assert len(found) == 1, found
    return found[0]


def latex_folder(project: Path, language: str = 'ja') -> Path:
    return project / 'build' / '.work' / 'latex' / language


def published_pdf(project: Path, language: str = 'ja') -> bytes:
    return only((project / 'build' / 'pdf' / language).glob('*.pdf')).read_bytes()


def edit_caucasus(project: Path, text: str) -> None:
    source = project / 'source' / 'caucasus.rst'
    source.write_text(source.read_text(encoding='utf-8').replace('一定の事態の進展が見られた。',
                                                                 f'一定の事態の進展が見られた。{text}'), encoding='utf-8')


def test_the_preamble_is_dumped_once_and_the_pdf_is_the_same_as_without_it(project_copy, tmp_path_factory):
    """upLaTeX starts from a format holding the preamble (taiyaku.latexformat), made by the first
    rebuild of an edited .tex; the PDF is the one a run without it makes, byte for byte, and the
    format is kept until a file of the preamble changes."""
    plain = copy_project(tmp_path_factory.mktemp('plain'))
    env = dict(os.environ, PYTHONPATH=str(plain), TAIYAKU_LATEX_FORMAT='0')

    def build_both() -> None:
        assert taiyaku(project_copy, 'build', 'pdf', '--lang', 'ja').returncode == 0
        result = subprocess.run([sys.executable, '-m', 'taiyaku', 'build', 'pdf', '--lang', 'ja'], cwd=plain,
                                env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr

    fmt = latex_folder(project_copy) / 'preamble' / 'preamble.fmt'
    build_both()
    assert not fmt.exists()                    # a first build: its passes run from nothing, without one
    for project in (project_copy, plain):
        edit_caucasus(project, '（追記）')
    build_both()
    assert fmt.exists() and not (latex_folder(plain) / 'preamble').exists()
    assert 'preloaded format=preamble' in only(latex_folder(project_copy).glob('*.log')).read_text(errors='replace')
    assert published_pdf(project_copy) == published_pdf(plain)

    made = fmt.stat().st_ino, fmt.stat().st_mtime_ns
    for project in (project_copy, plain):
        edit_caucasus(project, '（再追記）')
    build_both()
    assert (fmt.stat().st_ino, fmt.stat().st_mtime_ns) == made         # the preamble did not change: kept
    assert published_pdf(project_copy) == published_pdf(plain)

    style = project_copy / 'taiyaku' / 'texinputs' / 'taiyaku-common.sty'
    style.write_text(style.read_text(encoding='utf-8') + '% an edited style\n', encoding='utf-8')
    assert taiyaku(project_copy, 'build', 'pdf', '--lang', 'ja').returncode == 0
    assert (fmt.stat().st_ino, fmt.stat().st_mtime_ns) != made         # a file the preamble reads changed: made again


def test_a_preamble_that_cannot_be_dumped_leaves_the_build_to_run_without_a_format(tmp_path):
    from taiyaku import latexformat
    (tmp_path / 'latexmkjarc').write_text("$latex = 'uplatex ' . $ENV{'LATEXOPTS'} . ' -kanji=utf8 %O %S';\n")
    (tmp_path / 'book.aux').write_text('\\relax\n')          # a rebuild

    def edit(preamble: str) -> None:
        (tmp_path / 'book.tex').write_text(f'\\documentclass[uplatex]{{jsbook}}\n{preamble}\\begin{{document}}\n'
                                           f'x\n\\end{{document}}\n% {len(preamble)}\n', encoding='utf-8')
        latexformat.worth_making(tmp_path, tmp_path / 'book.tex', 'a .tex of before')

    edit('\\undefinedcommand\n')
    assert latexformat.prepare(tmp_path, dict(os.environ)) == ''
    assert not (tmp_path / 'preamble' / 'preamble.fmt').exists()
    edit('')
    assert latexformat.prepare(tmp_path, dict(os.environ)) == '-fmt=preamble/preamble'
    (tmp_path / 'preamble' / 'preamble.json').write_text('[not, a record', encoding='utf-8')
    assert latexformat.prepare(tmp_path, dict(os.environ)) == '-fmt=preamble/preamble'   # made again, not trusted
    assert json.loads((tmp_path / 'preamble' / 'preamble.json').read_text(encoding='utf-8'))['key']


def test_finishing_a_pdf_appends_to_what_dvipdfmx_wrote(project_copy, tmp_path):
    """The ToUnicode maps and the XMP packet are one incremental update: dvipdfmx's bytes stay
    the head of the file, and finishing the same output again gives the same file."""
    from taiyaku import pdffinish
    assert taiyaku(project_copy, 'build', 'pdf', '--lang', 'ja').returncode == 0
    latex = latex_folder(project_copy)
    redo = tmp_path / 'redo'
    shutil.copytree(latex, redo)
    pdf = only(redo.glob('*.pdf'))
    pdf.unlink()
    env = dict(os.environ, SOURCE_DATE_EPOCH=subprocess.run(
        [sys.executable, '-c', 'from pathlib import Path; from taiyaku.editions import current; '
         f'print(current(Path({str(project_copy / "editions.toml")!r})).source_date_epoch)'],
        cwd=project_copy, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(project_copy)),
        check=True).stdout.strip(), FORCE_SOURCE_DATE='1', TZ='UTC')
    subprocess.run(['dvipdfmx', '-q', '-o', pdf.name, pdf.with_suffix('.dvi').name], cwd=redo, env=env, check=True)
    written = pdf.read_bytes()
    pdffinish.finish(pdf)
    finished = pdf.read_bytes()
    assert finished.startswith(written) and len(finished) > len(written)
    assert finished == published_pdf(project_copy)
    pdffinish.finish(pdf)                                  # already finished: nothing to add
    assert pdf.read_bytes() == finished


# -- update-po: one document extracted, one catalog read and rewritten -------------------------

MESSAGES_EXTRACTED = '''
import json, sys
import sphinx.builders
from sphinx.environment import BuildEnvironment
assert 'sphinx.builders.gettext' not in sys.modules      # the build runs in this process (taiyaku.warm.run_here)
extracted, loaded = [], []
write, get_doctree = sphinx.builders._write_docname, BuildEnvironment.get_doctree
sphinx.builders._write_docname = lambda docname, **kwargs: extracted.append(docname) or write(docname, **kwargs)
BuildEnvironment.get_doctree = lambda self, docname: loaded.append(docname) or get_doctree(self, docname)
from taiyaku.cli import main
status = main(sys.argv[1:])
print(json.dumps([sorted(extracted), sorted(loaded)]))
sys.exit(status)
'''


def messages_extracted(project: Path, *args: str) -> tuple[list[str], list[str]]:
    """The documents whose messages a taiyaku command's gettext build (in the command's process)
    extracted, and those whose doctree it loaded from disk (a document just read is in memory)."""
    result = subprocess.run([sys.executable, '-c', MESSAGES_EXTRACTED, *args], cwd=project, capture_output=True,
                            text=True, env=dict(os.environ, PYTHONPATH=str(project), TAIYAKU_BUILD_SERVER='0'))
    assert result.returncode == 0, result.stderr
    extracted, loaded = json.loads(result.stdout.splitlines()[-1])
    return extracted, loaded


def test_update_po_extracts_the_messages_of_the_edited_document_only(project_copy):
    assert taiyaku(project_copy, 'update-po').returncode == 0
    templates = project_copy / 'build' / 'gettext'
    before = files_of(templates)
    assert len(before) == 9                                          # one template per document

    edit_caucasus(project_copy, '（追記）')
    assert messages_extracted(project_copy, 'gettext') == (['caucasus'], [])   # not every document, as Sphinx's builder
    after = files_of(templates)
    assert [name for name in after if after[name] != before[name]] == ['caucasus.pot']
    assert '（追記）' in (templates / 'caucasus.pot').read_text(encoding='utf-8')

    # a template gone from the folder is written again; one whose document is gone does not linger
    (templates / 'section.pot').unlink()
    (project_copy / 'source' / 'russia' / 'situation.rst').unlink()
    index = project_copy / 'source' / 'russia' / 'index.rst'
    index.write_text(index.read_text(encoding='utf-8').replace('   situation\n', ''), encoding='utf-8')
    assert messages_extracted(project_copy, 'gettext') == (['russia/index', 'section'], ['section'])
    assert sorted(files_of(templates)) == sorted(name for name in before if name != 'russia/situation.pot')
    assert (templates / 'section.pot').read_bytes() and files_of(templates)['caucasus.pot'] == after['caucasus.pot']


def test_update_po_reads_and_rewrites_only_the_changed_catalog(project_copy, monkeypatch):
    from taiyaku import catalogs
    from taiyaku.project import Project

    assert taiyaku(project_copy, 'update-po').returncode == 0
    locale = project_copy / 'locale' / 'en' / 'LC_MESSAGES'
    compendium = project_copy / 'build' / 'memory' / 'en.po'
    before, memory = files_of(locale), compendium.stat().st_ino
    edit_caucasus(project_copy, '（追記）')
    assert taiyaku(project_copy, 'gettext').returncode == 0

    parsed = []
    original = catalogs.read_catalog
    monkeypatch.setattr(catalogs, 'read_catalog', lambda path, *args, **kwargs: parsed.append(path.name) or
                        original(path, *args, **kwargs))
    report = catalogs.update(Project(project_copy), ['en'])['en']
    assert sorted(parsed) == ['caucasus.po', 'caucasus.pot'] and report.fuzzy == 1
    after = files_of(locale)
    assert [name for name in after if after[name] != before[name]] == ['caucasus.po']
    assert compendium.stat().st_ino == memory            # the memory did not change: neither did its file

    parsed.clear()                 # the catalog just written is merged once more, to know it is in step
    assert catalogs.update(Project(project_copy), ['en'])['en'].changed == []
    assert sorted(parsed) == ['caucasus.po', 'caucasus.pot']
    parsed.clear()
    assert catalogs.update(Project(project_copy), ['en'])['en'].changed == [] and parsed == []
    assert files_of(locale) == after
