"""Shared fixtures: small throw-away Sphinx projects, and the real project's built outputs."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sphinx.locale
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# No warm build server (taiyaku.build_server) outlives a test's throw-away project; the tests
# of the server turn it on for their own commands.
os.environ['TAIYAKU_BUILD_SERVER'] = '0'

MINI_CONF = '''
extensions = ['taiyaku.ext']
language = 'ja'
taiyaku_languages = ['ja', 'en']
taiyaku_basename = 'mini'
taiyaku_metadata = {
    lang: {key: f'{key}-{lang}' for key in ('project', 'subtitle', 'author', 'publisher', 'copyright', 'description')}
    for lang in ('ja', 'en')
}
'''


class MiniProject:
    """A Sphinx project in a temporary folder, built in-process."""

    def __init__(self, path: Path, sources: dict[str, str], conf: str = ''):
        self.path = path
        (path / 'conf.py').write_text(MINI_CONF + textwrap.dedent(conf), encoding='utf-8')
        (path / 'docutils.conf').write_text((ROOT / 'docutils.conf').read_text(encoding='utf-8'), encoding='utf-8')
        for name, text in sources.items():
            target = path / f'{name}.rst'
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(textwrap.dedent(text).lstrip('\n'), encoding='utf-8')
        self.warnings = self.status = ''

    def build(self, builder: str, **overrides) -> Path:
        """A clean build."""
        return self.run(builder, freshenv=True, **overrides)

    def run(self, builder: str, freshenv: bool = False, **overrides) -> Path:
        """Build; ``freshenv=False`` is an incremental rebuild over the previous one."""
        outdir = self.path / '_build' / builder
        warnings, status = io.StringIO(), io.StringIO()
        # a namespace per application: docutils registries are process-global, and so is
        # Sphinx's cache of message catalogs (keyed by document name, not by folder)
        sphinx.locale.translators.clear()
        with docutils_namespace():
            app = Sphinx(
                srcdir=self.path, confdir=self.path, outdir=outdir,
                doctreedir=self.path / '_build' / f'doctrees-{builder}', buildername=builder,
                confoverrides=overrides, status=status, warning=warnings, freshenv=freshenv,
            )
            app.build()
        self.warnings, self.status = warnings.getvalue(), status.getvalue()
        self.app = app
        return outdir


@pytest.fixture
def mini(tmp_path):
    def make(sources: dict[str, str], conf: str = '') -> MiniProject:
        return MiniProject(tmp_path, sources, conf)
    return make


# what the LaTeX passes write into Sphinx's LaTeX folder (and the preamble's format): left out
# of a copy that is to be typeset from nothing
LATEX_OUTPUTS = ('*.aux', '*.toc', '*.out', '*.dvi', '*.xdv', '*.pdf', '*.fdb_latexmk', '*.fls', '*.log', '*.idx',
                 '*.ind', '*.ilg', '.*.passes.json', 'preamble')


def copy_project(destination: Path) -> Path:
    """Copy the real project (sources, catalogs, toolchain) into ``destination``."""
    for name in ('conf.py', 'docutils.conf', 'editions.toml'):
        shutil.copy2(ROOT / name, destination / name)
    for name in ('source', 'locale', 'taiyaku', 'raw'):
        shutil.copytree(ROOT / name, destination / name, ignore=shutil.ignore_patterns('*.mo', '*.mo.sha256', '__pycache__'))
    return destination


def git(project: Path, *args: str) -> str:
    """git in ``project``, with an identity of its own (a test machine may have none)."""
    return subprocess.run(['git', '-c', 'user.name=taiyaku test', '-c', 'user.email=test@example.org', *args],
                          cwd=project, check=True, capture_output=True, text=True).stdout


def commit_all(project: Path, message: str = 'the project') -> str:
    """Commit everything in ``project`` (a repository of its own, made on first use); its commit."""
    if not (project / '.git').exists():
        git(project, 'init', '-q', '-b', 'main')
        shutil.copy2(ROOT / '.gitignore', project / '.gitignore')
    git(project, 'add', '-A')
    git(project, 'commit', '-q', '--allow-empty', '-m', message)
    return git(project, 'rev-parse', 'HEAD').strip()


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of the real project that a test may change."""
    return copy_project(tmp_path)


@pytest.fixture(scope='session')
def built() -> Path:
    """Every output of the real project, built once per test session (incrementally)."""
    result = subprocess.run([sys.executable, '-m', 'taiyaku', 'build', 'html', 'epub', 'pdf'],
                            cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f'building the project failed:\n{result.stdout}\n{result.stderr}')
    return ROOT / 'build'


@pytest.fixture(scope='session')
def parallel_built() -> Path:
    """The parallel-text edition of the real project (build/parallel/), built once per session."""
    result = subprocess.run([sys.executable, '-m', 'taiyaku', 'build', 'parallel'],
                            cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f'building the parallel edition failed:\n{result.stdout}\n{result.stderr}')
    return ROOT / 'build' / 'parallel'
