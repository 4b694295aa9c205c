# The two commands for a new user: `make pipeline` and `make test`.
# The distribution's CPython 3.11 (/usr/bin/python3.11) when it can make a venv, else python3:
# Debian builds it with PGO and LTO and without a shared libpython, and it parses about a quarter
# faster here than pyenv's --enable-shared build of 3.11.7. `make PYTHON=...` picks another.
PYTHON ?= $(shell /usr/bin/python3.11 -c 'import ensurepip, venv' 2>/dev/null && echo /usr/bin/python3.11 || echo python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export GX_ANALYTICS_ENABLED := false
export DAGSTER_HOME := $(CURDIR)/.dagster

.PHONY: setup pipeline docs bench serve test dev clean corpus audit accuracy scans

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

pipeline: setup
	$(BIN)/python -m pipeline run --raw-dir data/raw --curated-dir data/curated

docs: setup
	$(BIN)/python -m pipeline docs --curated-dir data/curated

serve: setup
	$(BIN)/python -m pipeline serve --curated-dir data/curated

bench: setup
	$(BIN)/python bench/run.py

# The development corpus of real reports (data/dev/manifest.csv): fetch the files the repository does not hold,
# score every report against its own contents and identities, and score the parser against hand-checked cells.
corpus: setup
	$(BIN)/python data/dev/fetch.py

audit: setup
	$(BIN)/python -m pipeline audit data/dev/pdf --markdown docs/audit.md

accuracy: setup
	$(BIN)/python -m pipeline accuracy

# Photocopied copies of the corpus read by OCR, scored against their text layer (data/dev/scans.json).
scans: setup
	$(BIN)/python -m pipeline scans make
	$(BIN)/python -m pipeline scans score
	$(BIN)/python -m pipeline accuracy

test: setup
	$(BIN)/python -m pytest

dev: setup
	mkdir -p $(DAGSTER_HOME)
	$(BIN)/dagster dev

clean:
	rm -rf $(VENV) .dagster data/curated/*/ data/curated/yibao.duckdb data/curated/datapackage.json \
		data/curated/yibao.sqlite data/curated/datasette-metadata.json
