# Two commands on a fresh machine: `make book` and `make test`. Everything else is optional.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EDITION ?= student

.PHONY: help venv book book-instructor release test test-fast lab lint format browser bwrap lock clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 20

$(STAMP): requirements.txt pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed: install python3.11 and try again." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

venv: $(STAMP)  ## Create .venv and install the pinned requirements

book: $(STAMP)  ## Build the student edition of the course and print where it is
	MEDIALIT_EDITION=student $(BIN)/jupyter-book build . -W -n --keep-going
	@echo "The course is built: $(abspath _build/html/index.html)"

book-instructor: $(STAMP)  ## Build the instructor edition (keys, solutions, guide)
	MEDIALIT_EDITION=instructor $(BIN)/jupyter-book build . -W -n --keep-going --path-output _build/instructor
	@echo "The instructor edition is built: $(abspath _build/instructor/_build/html/index.html)"

browser:  ## Install Debian's Chromium for the browser tests (needs root or sudo)
	@if [ ! -x /usr/bin/chromium ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

bwrap:  ## Install Debian's bubblewrap, the sandbox student code runs in (needs root or sudo)
	@if ! command -v bwrap >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null; \
	fi

test: $(STAMP) browser bwrap  ## Run the whole test suite (browser and JupyterLab tests included)
	$(BIN)/python -m pytest -n 2

test-fast: $(STAMP)  ## Run the tests that need no browser
	$(BIN)/python -m pytest -m "not browser"

release: $(STAMP)  ## Write the student release: _build/release/student/ (their repository) and the wheel
	$(BIN)/python -m medialit release --out _build/release

lab: $(STAMP)  ## Open JupyterLab on the notebooks (MyST .md files open as notebooks via jupytext)
	JUPYTER_CONFIG_PATH="$(CURDIR)/jupyter-config$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
	  $(BIN)/jupyter lab --notebook-dir=. notebooks/00-orientation.md \
	  $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

lint: $(STAMP)  ## Check style with ruff
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(STAMP)  ## Format the code with ruff
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

lock: $(STAMP)  ## Re-resolve requirements.in into the pinned requirements.txt
	$(PYTHON) -m venv _build/lockenv && _build/lockenv/bin/pip install --quiet -r requirements.in \
	  && { echo "# Pinned set for Python 3.11, resolved from requirements.in (make lock)."; \
	       _build/lockenv/bin/pip freeze --exclude-editable; } > requirements.txt

clean:  ## Remove the build output (keeps .venv)
	rm -rf _build book/articles/*-*.md
