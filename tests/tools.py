"""The real tools users rely on, driven from tests: epubcheck, poppler, Chromium."""

from __future__ import annotations

import contextlib
import re
import subprocess
from pathlib import Path

EPUBCHECK_JAR = Path('/usr/share/java/epubcheck.jar')
CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                 '--disable-background-networking', '--disable-component-update', '--disable-sync']


def epubcheck(epub: Path) -> tuple[dict[str, int], str]:
    """Run epubcheck; return the message counts and its full output."""
    result = subprocess.run(['java', '-jar', str(EPUBCHECK_JAR), str(epub)], capture_output=True, text=True)
    output = result.stdout + result.stderr
    counts = re.search(r'Messages: (\d+) fatals? / (\d+) errors? / (\d+) warnings? / (\d+) infos?', output)
    assert counts, output
    return dict(zip(('fatals', 'errors', 'warnings', 'infos'), map(int, counts.groups()))), output


def pdffonts(pdf: Path, page: int | None = None) -> list[dict[str, str]]:
    """One dict per font: its name and whether it is embedded, subset, has a ToUnicode map."""
    pages = ['-f', str(page), '-l', str(page)] if page else []
    output = subprocess.run(['pdffonts', *pages, str(pdf)], capture_output=True, text=True, check=True).stdout
    fonts = []
    for row in output.splitlines()[2:]:
        # name (no spaces) … type (may have spaces) … encoding emb sub uni object-id generation
        parts = row.split()
        fonts.append({'name': parts[0], 'emb': parts[-5], 'sub': parts[-4], 'uni': parts[-3]})
    return fonts


def pdftotext(pdf: Path, page: int | None = None) -> str:
    pages = ['-f', str(page), '-l', str(page)] if page else []
    return subprocess.run(['pdftotext', '-layout', *pages, str(pdf), '-'],
                          capture_output=True, text=True, check=True).stdout


def pdfinfo(pdf: Path) -> dict[str, str]:
    output = subprocess.run(['pdfinfo', str(pdf)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(':', 1) for line in output.splitlines() if ':' in line) | {}


@contextlib.contextmanager
def chromium_page(width: int = 1280, height: int = 900):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={'width': width, 'height': height})
            yield page
        finally:
            browser.close()
