# The commands of the README. Each sets itself up on a fresh machine.
VENV ?= .venv
PY := $(VENV)/bin/python
GOVERN := $(VENV)/bin/govern

.PHONY: demo test lint golden docs

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

demo: $(VENV)/.installed  ## lint the bundled catalog and explain a meter
	$(GOVERN) lint
	$(GOVERN) show meter api_calls

test: $(VENV)/.installed  ## the whole test suite, plus ruff
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest

docs: $(VENV)/.installed  ## generate the catalog pages and build the docs site into site/
	$(GOVERN) docs
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict
	@echo "open site/index.html"
