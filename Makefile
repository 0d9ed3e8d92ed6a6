# Zhili: `make demo` runs the platform with demo data; `make test` runs the whole suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: setup demo serve worker scheduler test bench lint typecheck browser clean

$(BIN)/zhili: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e ".[dev]"
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

setup: $(BIN)/zhili node_modules/.package-lock.json

demo: setup
	$(BIN)/zhili migrate --noinput
	$(BIN)/zhili demo
	$(BIN)/zhili serve --port $(PORT) --with-background

serve: setup
	$(BIN)/zhili serve --port $(PORT) --with-background

worker: setup
	$(BIN)/zhili worker

scheduler: setup
	$(BIN)/zhili scheduler

# Browser tests drive Debian's chromium; install it when missing (as root), never a download.
browser:
	@scripts/ensure-chromium

test: setup browser
	$(BIN)/pytest -q

bench: setup
	$(BIN)/python -m bench

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy zhili config

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .ruff_cache .mypy_cache
