"""The independent accessibility and standards verifiers, run on the real outputs.

Ace by DAISY (its puppeteer runner on Debian's Chromium), the Nu Html Checker (vnu-jar on
Debian's Java) and axe-core (injected into Debian's Chromium through playwright-core), all
pinned in package-lock.json and installed by ``make setup``. A verifier that cannot start
fails the test that needs it, saying what is missing and how to get it: never a skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / 'node_modules'
ACE = NODE_MODULES / '.bin' / 'ace-puppeteer'
VNU = NODE_MODULES / 'vnu-jar' / 'build' / 'dist' / 'vnu.jar'
AXE = NODE_MODULES / 'axe-core' / 'axe.min.js'
AXE_RUNNER = Path(__file__).resolve().parent / 'axe_run.mjs'
CHROMIUM = '/usr/bin/chromium'
WCAG21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']
SETUP = 'run `make setup` (it installs the Debian packages and the pinned npm verifiers)'


def require(path: Path | str, what: str) -> None:
    found = Path(path).exists() if os.sep in str(path) else shutil.which(str(path))
    if not found:
        pytest.fail(f'{what} cannot start: {path} is missing; {SETUP}', pytrace=False)


def run(command: list[str], what: str, timeout: int, **kwargs) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.fail(f'{what} did not run: {exc}', pytrace=False)


# -- Ace by DAISY ------------------------------------------------------------------------------

def ace(epub: Path, outdir: Path) -> dict:
    """Ace's report (report.json) on one EPUB."""
    require(ACE, 'Ace by DAISY')
    require(CHROMIUM, "Ace's browser (Debian's chromium)")
    env = dict(os.environ, PUPPETEER_EXECUTABLE_PATH=CHROMIUM, PUPPETEER_SKIP_DOWNLOAD='1')
    result = run([str(ACE), '--force', '--silent', '--outdir', str(outdir), str(epub)], 'Ace by DAISY', 600, env=env)
    report = outdir / 'report.json'
    if result.returncode != 0 or not report.is_file():
        pytest.fail(f'Ace by DAISY failed on {epub.name} (exit {result.returncode}):\n'
                    f'{(result.stdout + result.stderr)[-3000:]}', pytrace=False)
    return json.loads(report.read_text(encoding='utf-8'))


def ace_violations(report: dict) -> list[str]:
    """Every violation Ace reports, one line each: document, rule, impact, description."""
    return [f'{document["earl:testSubject"]["url"]}: {check["earl:test"]["dct:title"]} '
            f'({check["earl:test"]["earl:impact"]}): {check["earl:result"]["dct:description"]}'
            for document in report.get('assertions', []) for check in document.get('assertions', [])
            if check['earl:result']['earl:outcome'] == 'fail']


# -- the Nu Html Checker ----------------------------------------------------------------------

def vnu(pages: list[Path]) -> list[str]:
    """The checker's errors on the pages, one line each: file:line: message."""
    require('java', "the Nu Html Checker's Java runtime (Debian's default-jre-headless)")
    require(VNU, 'the Nu Html Checker (vnu-jar)')
    result = run(['java', '-jar', str(VNU), '--errors-only', '--format', 'json', *map(str, pages)],
                 'the Nu Html Checker', 600)
    try:
        messages = json.loads(result.stderr or result.stdout)['messages']
    except (ValueError, KeyError):
        pytest.fail(f'the Nu Html Checker gave no report (exit {result.returncode}):\n'
                    f'{(result.stdout + result.stderr)[-3000:]}', pytrace=False)
    return [f'{message.get("url", "").removeprefix("file:")}:{message.get("lastLine", "?")}: '
            f'{message["type"]}: {message["message"]}' for message in messages
            if message['type'] in ('error', 'non-document-error')]


# -- axe-core in Chromium ----------------------------------------------------------------------

def axe(pages: list[Path], widths: list[int], open_selector: str | None = None) -> list[dict]:
    """axe-core's WCAG 2.1 A and AA rules on each page at each viewport width; with
    ``open_selector``, again after clicking it (where it is shown). One result per run:
    ``{url, width, state, violations: [{id, impact, help, nodes: [{target, html}]}]}``."""
    require('node', 'Node.js, which drives playwright-core')
    require(AXE, 'axe-core')
    require(NODE_MODULES / 'playwright-core', 'playwright-core')
    require(CHROMIUM, "axe-core's browser (Debian's chromium)")
    request = {'pages': [page.resolve().as_uri() for page in pages], 'widths': widths, 'tags': WCAG21_AA,
               'chromium': CHROMIUM, 'axe': str(AXE), 'open': open_selector}
    result = run(['node', str(AXE_RUNNER)], 'axe-core', 1200, input=json.dumps(request), cwd=ROOT)
    if result.returncode != 0:
        pytest.fail(f'axe-core did not run (exit {result.returncode}):\n{result.stderr[-3000:]}', pytrace=False)
    return json.loads(result.stdout)


def axe_violations(results: list[dict]) -> list[str]:
    return [f'{result["url"].split("/build/", 1)[-1]} at {result["width"]}px ({result["state"]}): {violation["id"]} '
            f'({violation["impact"]}): {violation["help"]} — {node["target"]}: {node["html"]}'
            for result in results for violation in result['violations'] for node in violation['nodes']]
