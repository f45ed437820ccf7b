# Two commands do all set-up on a fresh machine: `make run` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# The first interpreter >= 3.12 found: pyenv's choice (.python-version), then common names.
PYTHON ?= $(shell for c in python3.12 python3.13 python3.14 python3; do \
	  p=$$(command -v $$c 2>/dev/null) || continue; \
	  $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; \
	done)

.PHONY: run test check bench lint clean soak

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
	  echo "ai-incident needs Python 3.12 or newer; none was found on PATH." >&2; \
	  echo "Install one (e.g. 'pyenv install 3.12') or run 'make PYTHON=/path/to/python3.12 ...'." >&2; \
	  exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/ai-incident serve

test: $(STAMP)
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

check: lint test

# The long fault runs: 100 SIGKILL trials and 20 fault patterns (make test: 8 and 1).
soak: $(STAMP)
	KILL_TRIALS=100 FLAKY_SEEDS=20 $(PY) -m pytest -q tests/faults

bench: $(STAMP)
	$(PY) -m bench

clean:
	rm -rf $(VENV) var .mypy_cache .pytest_cache .ruff_cache
