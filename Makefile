# taiyaku — Makefile in the Sphinx tradition: `make html`, `make epub`, `make pdf`, `make gettext`.
# Every target sets up what it needs first (a pinned Python venv, Debian packages).

PYTHON      ?= python3
VENV        ?= .venv
PY          := $(VENV)/bin/python
TAIYAKU     := $(PY) -m taiyaku
STAMP       := $(VENV)/.installed-requirements
NODE_STAMP  := node_modules/.installed-lock
LANGUAGES   ?=
LANGOPT     := $(if $(LANGUAGES),--lang $(LANGUAGES),)
JOBSOPT     := $(if $(JOBS),-j $(JOBS),)

.DEFAULT_GOAL := help
.PHONY: help all setup system-packages venv node-tools html epub pdf parallel gettext update-po check-po stats release tag-editions changes import lint add-language preview-en preview-ja bench test clean export-xliff import-xliff export-tmx export-glossary

help:
	@echo "taiyaku — the Japanese master and its translations as HTML, EPUB and PDF"
	@echo
	@echo "  make all        set up (venv, Debian packages) and build every output"
	@echo "  make test       set up and run the test suite"
	@echo "  make html       build/html/<lang>/index.html for every language"
	@echo "  make epub       build/epub/<lang>/*.epub"
	@echo "  make pdf        build/pdf/<lang>/*.pdf (PRINT=1: also for the printer, 3 mm bleed and crop"
	@echo "                  marks, in build/print/<lang>/; make parallel PRINT=1: build/parallel/print/)"
	@echo "  make parallel   the parallel-text (対訳) edition, Japanese beside English:"
	@echo "                  build/parallel/html/index.html, build/parallel/pdf/*.pdf, build/parallel/epub/*.epub"
	@echo "  make gettext    extract the master's messages to build/gettext/*.pot"
	@echo "  make update-po  bring every translation's catalogs in step with the master"
	@echo "                  (changed → fuzzy with #| previous msgid; removed → #~ obsolete;"
	@echo "                  new → from the translation memory; PURGE=1 drops obsolete entries)"
	@echo "  make check-po   check every catalog (syntax, references, rst, numbers, glossary, markup…):"
	@echo "                  path:line: [check] message; fails on errors (STRICT=1: on warnings too;"
	@echo "                  FILES='locale/en/LC_MESSAGES/caucasus.po' checks only those)"
	@echo "  make stats      translation progress per catalog: a table, and build/status/index.html"
	@echo "  make export-xliff  XLIFF 2.1 for a vendor or CAT tool: build/exchange/xliff/<lang>/<catalog>.xlf"
	@echo "  make import-xliff FILES='…'  merge returned XLIFF into the catalogs (check-po's checks; all or nothing)"
	@echo "  make export-tmx    every edition's translations as TMX 1.4b: build/exchange/translation-memory-ja-<lang>.tmx"
	@echo "  make export-glossary  the glossary as TBX-Basic, forbidden renderings included: build/exchange/glossary-ja-<lang>.tbx"
	@echo "  make lint       what the master would publish silently (tabs, invisible or stray spaces,"
	@echo "                  half-width kana, a paragraph swallowed by a footnote): source/<doc>.rst:line"
	@echo "  make add-language LANG=fr  a new translation: its catalogs and its conf.py entries, together"
	@echo "  make release    build, check and checksum every output of the current edition from the commit"
	@echo "                  checked out into build/release/<edition>/, and record the commit in editions.toml"
	@echo "                  (EDITION=<id> rebuilds a published one from its recorded commit; FORCE=1 replaces one)"
	@echo "  make tag-editions  the git tag edition/<id> of every edition editions.toml records"
	@echo "  make changes FROM=<id> [TO=<id>]  what changed between two editions, in every language"
	@echo "  make import RAW=<file> OUT=<dir>  a PDF, or a text extraction of one, in: a draft master (rst)"
	@echo "                  and OUT/report.json + report.txt accounting for every character"
	@echo "                  (COMPARE=source compares it; FORCE=1 replaces a draft edited since, keeping it aside)"
	@echo "  make preview-en serve the English HTML at http://127.0.0.1:8000/en/, rebuilt and reloaded"
	@echo "                  whenever a source, conf.py or a catalog is saved (preview-ja: the master; PORT=8001)"
	@echo "  make bench      benchmark against stock sphinx-build and pandoc at 1×, 10×, 100× the text:"
	@echo "                  bench/RESULTS.md (quick: BENCH_SIZES=1,10 BENCH_REPEAT=3; the full run takes about half an hour)"
	@echo "  make setup      only set up: the venv, the Debian packages and the pinned npm verifiers"
	@echo "  make clean      remove build/"
	@echo
	@echo "  LANGUAGES='ja' make html   restricts a build to some languages"
	@echo "  make html JOBS=1           one build at a time (less memory; default: both cores)"

all: setup
	$(TAIYAKU) build html epub pdf parallel $(LANGOPT) $(JOBSOPT)

setup: system-packages venv node-tools

system-packages:
	@sh scripts/install-system-packages.sh

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

# The verifiers the tests run (Ace by DAISY, the Nu Html Checker, axe-core, pdf.js, and
# playwright-core to drive Debian's Chromium), pinned in package-lock.json. No install
# script runs: they would only download browsers, Electron or a Java runtime, and the
# tests use /usr/bin/chromium and Debian's Java.
node-tools: $(NODE_STAMP)

$(NODE_STAMP): package.json package-lock.json | system-packages
	PUPPETEER_SKIP_DOWNLOAD=1 ELECTRON_SKIP_BINARY_DOWNLOAD=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

# Building needs no verifier: the output targets set up only what they use.
html epub pdf parallel: system-packages venv
	$(TAIYAKU) build $@ $(LANGOPT) $(JOBSOPT) $(if $(and $(PRINT),$(filter pdf parallel,$@)),--print,)

gettext: venv
	$(TAIYAKU) gettext

update-po: venv
	$(TAIYAKU) update-po $(LANGOPT) $(if $(PURGE),--purge-obsolete,)

check-po: venv
	$(TAIYAKU) check-po $(LANGOPT) $(if $(STRICT),--strict,) $(FILES)

stats: venv
	$(TAIYAKU) stats $(LANGOPT)

# Exchange with vendors and CAT tools (taiyaku/exchange/): XLIFF 2.1 out and back, TMX, TBX.
export-xliff: venv
	$(TAIYAKU) export-xliff $(if $(LANGUAGES),--lang $(LANGUAGES),) $(FILES)

import-xliff: venv
	@test -n "$(FILES)" || { echo "usage: make import-xliff FILES='returned/*.xlf'" >&2; exit 2; }
	$(TAIYAKU) import-xliff $(FILES)

export-tmx: venv
	$(TAIYAKU) export-tmx $(if $(LANGUAGES),--lang $(LANGUAGES),)

export-glossary: system-packages venv
	$(TAIYAKU) export-glossary $(if $(LANGUAGES),--lang $(LANGUAGES),)

lint: venv
	$(TAIYAKU) lint $(FILES)

# LANG is also the shell's locale variable, which make passes on: the command runs in C.UTF-8.
add-language: venv
	@test -n "$(LANG)" || { echo "usage: make add-language LANG=<code>" >&2; exit 2; }
	LC_ALL=C.UTF-8 $(TAIYAKU) add-language $(LANG)

release: setup
	$(TAIYAKU) release $(if $(EDITION),--edition $(EDITION),) $(if $(FORCE),--force,)

tag-editions: venv
	$(TAIYAKU) tag-editions

changes: venv
	@test -n "$(FROM)" || { echo "usage: make changes FROM=<edition> [TO=<edition>]" >&2; exit 2; }
	$(TAIYAKU) changes --from $(FROM) $(if $(TO),--to $(TO),)

import: venv
	@test -n "$(RAW)" -a -n "$(OUT)" || { echo "usage: make import RAW=<PDF or text extraction> OUT=<folder> [COMPARE=source] [FORCE=1]" >&2; exit 2; }
	$(TAIYAKU) import $(RAW) --out $(OUT) $(if $(COMPARE),--compare $(COMPARE),) $(if $(FORCE),--force,)

preview-en preview-ja: venv
	$(TAIYAKU) preview --lang $(@:preview-%=%) $(if $(PORT),--port $(PORT),)

BENCH_SIZES  ?= 1,10,100
BENCH_REPEAT ?= 3
bench: setup
	$(PY) -m bench --sizes $(BENCH_SIZES) --repeat $(BENCH_REPEAT) $(if $(BENCH_ONLY),--only $(BENCH_ONLY),)

test: setup
	$(PY) -m pytest

clean:
	rm -rf build
