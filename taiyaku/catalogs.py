"""Message catalogs: extract the master's messages, update the translations, compile them.

``update`` runs sphinx-intl on a staging copy of the catalogs and then replaces each
catalog that changed with one atomic rename, so an interrupted run leaves every catalog
either as it was or fully updated, never truncated. A second run with no source change
changes no byte: the templates carry the edition date (SOURCE_DATE_EPOCH) rather than the
time of the run, and headers are only filled in where they still hold the template's
placeholders.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from contextlib import redirect_stdout
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from taiyaku.builds import BuildError, Target, run, sphinx_command
from taiyaku.editions import current
from taiyaku.project import MASTER_LANGUAGE, Project

LINE_WIDTH = 76          # sphinx-intl's default, kept so editors and updates agree
LANGUAGE_NAMES = {'en': 'English', 'ja': 'Japanese'}


class CatalogError(RuntimeError):
    pass


def pot_dir(project: Project) -> Path:
    return project.build / 'gettext'


def build_env(project: Project) -> dict[str, str]:
    env = dict(os.environ)
    env['SOURCE_DATE_EPOCH'] = str(current(project.root / 'editions.toml').source_date_epoch)
    return env


def extract(project: Project) -> Path:
    """Run Sphinx's gettext builder: one .pot per document under build/gettext/."""
    outdir = pot_dir(project)
    target = Target(MASTER_LANGUAGE, 'gettext')
    try:
        run(sphinx_command(project, target, outdir), target, env=build_env(project))
    except BuildError as exc:
        raise CatalogError(f'extracting messages failed:\n{exc}') from None
    return outdir


def fill_header(catalog, language: str) -> None:
    """Replace the template's placeholders in a catalog header; keep real values."""
    name = LANGUAGE_NAMES.get(language, language)
    if not catalog.last_translator or 'FULL NAME' in catalog.last_translator:
        catalog.last_translator = f'taiyaku {name} translation team'
    if not catalog.language_team or 'LL@li.org' in catalog.language_team:
        catalog.language_team = f'{name}'
    if catalog.revision_date is None or not hasattr(catalog.revision_date, 'year'):
        catalog.revision_date = catalog.creation_date
    if 'SOME DESCRIPTIVE TITLE' in (catalog.header_comment or ''):
        catalog.header_comment = (
            f'# {name} translation of the taiyaku publication "{catalog.project}".\n'
            f'# This file is distributed under the same license as the publication.\n#')
    catalog.fuzzy = False


def render(catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=LINE_WIDTH)
    return buffer.getvalue()


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and one rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f'.{path.name}.', dir=path.parent)
    try:
        with os.fdopen(fd, 'wb') as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def update(project: Project, languages: list[str]) -> dict[str, list[Path]]:
    """Bring every language's catalogs in step with the templates; report what changed."""
    from sphinx_intl.basic import update as sphinx_intl_update

    templates = pot_dir(project)
    changed: dict[str, list[Path]] = {}
    with tempfile.TemporaryDirectory(prefix='taiyaku-update-po-') as staging_name:
        staging = Path(staging_name)
        for language in languages:
            existing = project.locale / language / 'LC_MESSAGES'
            if existing.is_dir():
                shutil.copytree(existing, staging / language / 'LC_MESSAGES', ignore=shutil.ignore_patterns('*.mo'))
        with redirect_stdout(io.StringIO()):
            sphinx_intl_update(str(staging), str(templates), languages, line_width=LINE_WIDTH, jobs=1)
        for language in languages:
            for staged in sorted((staging / language / 'LC_MESSAGES').rglob('*.po')):
                relative = staged.relative_to(staging)
                with staged.open('rb') as handle:
                    catalog = read_po(handle, locale=language)
                fill_header(catalog, language)
                data = render(catalog)
                target = project.locale / relative
                if not target.exists() or target.read_bytes() != data:
                    atomic_write(target, data)
                    changed.setdefault(language, []).append(target)
    return changed


def compile_catalogs(project: Project, language: str) -> None:
    """Compile .po → .mo ahead of the builds, so concurrent builds only read them."""
    for po in sorted((project.locale / language / 'LC_MESSAGES').rglob('*.po')):
        mo = po.with_suffix('.mo')
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open('rb') as handle:
            catalog = read_po(handle, locale=language)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        atomic_write(mo, buffer.getvalue())
