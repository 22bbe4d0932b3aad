# taiyaku — Makefile in the Sphinx tradition: `make html`, `make epub`, `make pdf`, `make gettext`.
# Every target sets up what it needs first (a pinned Python venv, Debian packages).

PYTHON      ?= python3
VENV        ?= .venv
PY          := $(VENV)/bin/python
TAIYAKU     := $(PY) -m taiyaku
STAMP       := $(VENV)/.installed-requirements
LANGUAGES   ?=
LANGOPT     := $(if $(LANGUAGES),--lang $(LANGUAGES),)

.DEFAULT_GOAL := help
.PHONY: help all setup system-packages venv html epub pdf gettext update-po release changes test clean

help:
	@echo "taiyaku — the Japanese master and its translations as HTML, EPUB and PDF"
	@echo
	@echo "  make all        set up (venv, Debian packages) and build every output"
	@echo "  make test       set up and run the test suite"
	@echo "  make html       build/html/<lang>/index.html for every language"
	@echo "  make epub       build/epub/<lang>/*.epub"
	@echo "  make pdf        build/pdf/<lang>/*.pdf"
	@echo "  make gettext    extract the master's messages to build/gettext/*.pot"
	@echo "  make update-po  bring every translation's catalogs in step with the master"
	@echo "                  (changed → fuzzy with #| previous msgid; removed → #~ obsolete;"
	@echo "                  new → from the translation memory; PURGE=1 drops obsolete entries)"
	@echo "  make release    build, check and checksum every output of the current edition"
	@echo "                  into build/release/<edition>/ (EDITION=<id> rebuilds a past one from its tag)"
	@echo "  make changes FROM=<id> [TO=<id>]  what changed between two editions, in every language"
	@echo "  make setup      only set up: the venv and the Debian packages"
	@echo "  make clean      remove build/"
	@echo
	@echo "  LANGUAGES='ja' make html   restricts a build to some languages"

all: setup
	$(TAIYAKU) build html epub pdf $(LANGOPT)

setup: system-packages venv

system-packages:
	@sh scripts/install-system-packages.sh

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

html epub pdf: setup
	$(TAIYAKU) build $@ $(LANGOPT)

gettext: venv
	$(TAIYAKU) gettext

update-po: venv
	$(TAIYAKU) update-po $(LANGOPT) $(if $(PURGE),--purge-obsolete,)

release: setup
	$(TAIYAKU) release $(if $(EDITION),--edition $(EDITION),)

changes: venv
	@test -n "$(FROM)" || { echo "usage: make changes FROM=<edition> [TO=<edition>]" >&2; exit 2; }
	$(TAIYAKU) changes --from $(FROM) $(if $(TO),--to $(TO),)

test: setup
	$(PY) -m pytest

clean:
	rm -rf build
