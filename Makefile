# Zhili: `make demo` runs the platform with demo data; `make test` runs the whole suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: setup demo serve worker scheduler test test-days bench lint typecheck browser video clean fuzz

$(BIN)/zhili: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e ".[dev]"
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

setup: $(BIN)/zhili node_modules/.package-lock.json

# The demo runs as a county would run the platform: DEBUG off (the platform's own error pages,
# static files collected and served by WhiteNoise), the demo accounts allowed, a secret key of
# this machine's own kept in var/, and plain HTTP on this machine (cookies not HTTPS-only);
# the forces on duty carry simulated handhelds that walk and report (zhili/forces/sim.py).
DEMO_KEY := var/demo-secret-key
DEMO_ENV = DEBUG=false ZHILI_ALLOW_DEMO_USERS=1 ZHILI_SECURE_COOKIES=false ZHILI_SIMULATED_HANDHELDS=1 SECRET_KEY="$$(cat $(DEMO_KEY))" \
	GB28181_PASSWORD="$${GB28181_PASSWORD:-zhili-demo-gb28181}"

$(DEMO_KEY):
	@mkdir -p var
	@umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# Janus and the simulated cameras start with the server when installed (make video, as root);
# without them everything else runs and the video pages say the gateway is not running.
demo: setup $(DEMO_KEY)
	-@scripts/ensure-video
	$(DEMO_ENV) $(BIN)/zhili migrate --noinput
	$(DEMO_ENV) $(BIN)/zhili demo
	$(DEMO_ENV) $(BIN)/zhili collectstatic --noinput --verbosity 0
	$(DEMO_ENV) $(BIN)/zhili serve --port $(PORT) --with-background

serve: setup $(DEMO_KEY)
	$(DEMO_ENV) $(BIN)/zhili collectstatic --noinput --verbosity 0
	$(DEMO_ENV) $(BIN)/zhili serve --port $(PORT) --with-background

worker: setup
	$(BIN)/zhili worker

scheduler: setup
	$(BIN)/zhili scheduler

# Browser tests drive Debian's chromium; install it when missing (as root), never a download.
browser:
	@scripts/ensure-chromium

# The video engines (Janus, GStreamer, ffmpeg) from Debian, installed when missing (as root).
video:
	@scripts/ensure-video

# The suite runs in parallel workers (pytest-xdist, JOBS of them, one per core by default), a
# test file to a worker at a time, each worker with its own test database and Redis database
# (config/pytest_workers.py). The schemathesis fuzz modules then run in one process: xdist
# would report each of their generated tests (one per API operation) as a single test.
JOBS ?= auto
FUZZ_TESTS := zhili/core/tests/test_fuzz_api.py zhili/core/tests/test_fuzz_open311.py
test: setup browser video
	$(BIN)/pytest -q -n $(JOBS) --dist loadfile $(addprefix --ignore=,$(FUZZ_TESTS))
	$(BIN)/pytest -q -p no:cacheprovider $(FUZZ_TESTS)

# The day-sensitive tests (the demo, the calendar, other processes) again on the process clock,
# moved by Debian's faketime to days that broke things before: the first working day of a year
# the holiday library does not know, a leap day (in its small hours in China: 03:30 UTC+8, when
# the demo's people had acted overnight), and a day inside the Spring Festival. The times are
# the machine's (UTC). Tests beside Janus (marker video_engines) run on the machine's clock only.
DAYS ?= 2027-01-04T09:30:00 2028-02-28T19:30:00 2027-02-08T10:00:00
test-days: setup browser video
	@command -v faketime >/dev/null || { echo "faketime is missing: apt-get install faketime"; exit 1; }
	@for day in $(DAYS); do \
	  echo "== tests on $$day (faketime)"; \
	  ZHILI_TEST_CLOCK=process faketime -f "@$$(echo $$day | tr T ' ')" \
	    $(BIN)/pytest -q -p no:cacheprovider -n $(JOBS) --dist loadfile -m "(any_day or real_clock) and not video_engines" || exit 1; \
	done

# The deeper fuzzing run (docs/operations.md, "Fuzzing"): every /api/v1/ and Open311 operation
# with many more examples, the boundary phase everywhere, longer stateful sequences over every
# operation; only the server-error check. FUZZ_SEED picks another sequence (the suite's is fixed).
FUZZ_EXAMPLES ?= 100
FUZZ_SEED ?= 7
fuzz: setup
	ZHILI_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) ZHILI_FUZZ_SEED=$(FUZZ_SEED) ZHILI_FUZZ_COVERAGE=1 \
	ZHILI_FUZZ_ONLY_5XX=1 ZHILI_FUZZ_SCENARIOS=200 ZHILI_FUZZ_STEPS=10 ZHILI_FUZZ_STATEFUL_PATHS=. \
	  $(BIN)/pytest -q -p no:cacheprovider $(FUZZ_TESTS)

bench: setup
	$(BIN)/python -m bench

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy zhili config

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .ruff_cache .mypy_cache
