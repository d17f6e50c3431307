# The commands of the README. Each sets itself up on a fresh machine.
VENV ?= .venv
PY := $(VENV)/bin/python
GOVERN := $(VENV)/bin/govern

.PHONY: demo test docs services

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

# The samples hold invalid events and late usage on purpose: exit code 1 (findings) is
# expected from validate and aggregate, 2 (bad input) is not.
demo: $(VENV)/.installed  ## the main job on the bundled catalog
	$(GOVERN) check
	$(GOVERN) test --engine all
	$(GOVERN) validate contracts/*/samples/*.jsonl || [ $$? -eq 1 ]
	$(GOVERN) aggregate --meter api_calls contracts/api_request/samples/events.jsonl \
		--format table || [ $$? -eq 1 ]
	$(GOVERN) show meter api_calls

services:  ## the local PostgreSQL the SQL tests run against (installs it if missing)
	scripts/start-postgres

test: $(VENV)/.installed services  ## the whole test suite, plus ruff
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest

MERMAID := docs/javascripts/mermaid.min.js

docs: $(VENV)/.installed $(MERMAID)  ## generate the catalog pages and build the docs site into site/
	$(GOVERN) docs
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict
	@echo "open site/index.html"

# mermaid.js from the npm registry, so the site's diagrams render offline. Without npm the
# site still builds, and its pages load mermaid from unpkg.com instead.
$(MERMAID):
	mkdir -p $(@D)
	cd $(@D) && { npm pack --silent mermaid@11 >/dev/null \
		&& tar -xzf mermaid-*.tgz --strip-components=2 package/dist/mermaid.min.js \
		&& rm mermaid-*.tgz; } || echo "npm unavailable: diagrams will load mermaid from unpkg.com"
