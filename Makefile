# Crownline: `make run` to try it, `make test` to check it. Both set themselves up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# Two workers: the development and CI machines have two cores.
PYTEST_WORKERS ?= 2

.PHONY: run test lint clean browser

$(BIN)/crownline: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Crownline needs Python >= 3.11") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

run: $(BIN)/crownline
	$(BIN)/crownline migrate --noinput
	$(BIN)/crownline demo
	@echo "Crownline on http://$(HOST)/  -  API docs on http://$(HOST)/api/v1/docs"
	$(BIN)/crownline runserver $(HOST)

# The browser tests drive Debian's Chromium (never a downloaded browser); install it when missing.
browser:
	@[ -x /usr/bin/chromium ] || { echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && apt-get install -y -qq chromium; }

test: $(BIN)/crownline browser
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/crownline makemigrations --check --dry-run
	$(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider

lint: $(BIN)/crownline
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) data
