# The two commands a fresh machine needs: `make dataset` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: dataset test schema clean chromium

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(INSTALLED)

# The review page's tests open it in Debian's Chromium (driven by Playwright, which downloads no browser).
chromium:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

dataset: $(INSTALLED)  ## set up, then build every table from seeds/ into datasets/build/
	$(BIN)/peacetrack build

test: $(INSTALLED) chromium  ## set up, then lint, check the format, the types and the layers, and run the whole test suite
	$(BIN)/ruff check
	$(BIN)/ruff format --check
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) datasets/build .pytest_cache .mypy_cache .ruff_cache
