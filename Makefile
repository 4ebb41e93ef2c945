# Crownline: `make run` to try it, `make test` to check it. Both set themselves up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# Two workers: the development and CI machines have two cores.
PYTEST_WORKERS ?= 2

.PHONY: run test lint clean browser redis

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

# The shared-cache tests talk to a real Redis on 127.0.0.1:6379: start one when none answers
# (installing Debian's redis-server first when it is missing).
redis: $(BIN)/crownline
	@$(BIN)/python -c "import redis; redis.Redis(host='127.0.0.1', socket_connect_timeout=1).ping()" 2>/dev/null || { \
		command -v redis-server >/dev/null || { echo "Installing Debian's redis-server for the tests"; \
			apt-get update -qq && apt-get install -y -qq redis-server; }; \
		echo "Starting redis-server on 127.0.0.1:6379"; mkdir -p data/redis; \
		redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
			--dir "$(CURDIR)/data/redis" --logfile "$(CURDIR)/data/redis/redis.log"; sleep 1; }

test: $(BIN)/crownline browser redis
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/crownline makemigrations --check --dry-run
	$(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider

lint: $(BIN)/crownline
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) data
