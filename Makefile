# Two commands do all the set-up on a fresh machine:
#   make run    virtualenv, install, migrate, demo data, serve on http://127.0.0.1:8000 with a Celery worker
#               and beat (SQLite default; broker: files under var/celery/)
#   make test   virtualenv, install, lint, run the test suite (DATABASE_URL/REDIS_URL switch on PG/Redis)
# The distribution's CPython 3.11 where there is one: an optimised build that runs this app ~11% faster
# (fewer instructions per request) than a plain ./configure build such as pyenv's (bench/README.md).
PYTHON ?= $(firstword $(wildcard /usr/bin/python3.11) python3)
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install lint migrate bench clean messages system-packages

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) system-packages

# Debian packages from deploy/debian-packages.txt that are not installed yet (OCR, the IMAP test server,
# the browser); needs root and apt-get, else it names what is missing and the tests that need them skip.
DEB_PACKAGES := $(shell grep -v '^\#' deploy/debian-packages.txt)
system-packages:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian packages:" $$missing; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "missing Debian packages (install as root):" $$missing; fi; \
	fi

migrate: install
	$(PY) manage.py migrate --noinput

# The web server, a Celery worker and beat under honcho (Procfile.dev); Ctrl-C stops all three.
run: migrate
	DEMO_MODE=1 $(PY) manage.py seed_demo
	DEMO_MODE=1 CELERY_TASK_ALWAYS_EAGER=0 PATH="$(abspath $(VENV))/bin:$$PATH" $(VENV)/bin/honcho -f Procfile.dev start

lint: install
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

test: lint
	$(PY) -m pytest $(PYTEST_ARGS)

# Refresh the English catalogue from the Dutch source strings, then translate new/fuzzy entries in
# locale/en/LC_MESSAGES/django.po and run this again (tests/test_i18n.py fails while any are left).
messages: install
	$(PY) manage.py makemessages -l en --ignore=$(VENV) --ignore=bench --ignore=tests
	$(PY) manage.py compilemessages -l en --ignore=$(VENV)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles var
