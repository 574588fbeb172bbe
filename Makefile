# 政通 Zhengtong — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
# The virtualenv's interpreter: Debian's python3.11 when it can make a virtualenv (the
# distribution builds it with PGO and LTO: the platform's steps take ≈ 25 % less CPU on it
# than on a plain source build, bench/README.md), else python3. `make PYTHON=…` overrides.
PYTHON ?= $(shell /usr/bin/python3.11 -c "import ensurepip, venv" >/dev/null 2>&1 && echo /usr/bin/python3.11 || echo python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
VENDOR := zhengtong/static_vendor/vendor
PG_URL ?= postgres://zhengtong:zhengtong@127.0.0.1:5432/zhengtong

.PHONY: run setup venv assets migrate demo test test-postgres test-browser postgres bench lint messages clean screenshots

run: setup ## set up, load the demo city (first time only) and serve on ZT_HOST:ZT_PORT
	$(PY) manage.py demo --if-empty
	$(PY) manage.py run

setup: venv assets migrate

venv: $(VENV)/.installed
$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt
	$(PIP) install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

assets: $(VENDOR)/.installed
$(VENDOR)/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts.min.js
	touch $@

migrate: venv
	$(PY) manage.py migrate --no-input
	$(PY) manage.py createcachetable
	$(PY) manage.py collectstatic --no-input --verbosity 0

demo: setup ## reset and reload the demo city
	$(PY) manage.py demo --reset

test: venv assets ## the whole suite on SQLite
	$(PY) -m pytest --create-db

test-postgres: venv assets postgres ## the whole suite on PostgreSQL
	DATABASE_URL=$(PG_URL) $(PY) -m pytest --create-db

postgres: ## install (apt) and start PostgreSQL on loopback if absent
	bash scripts/ensure-postgres.sh

test-browser: venv assets ## only the browser tests (needs Debian's chromium)
	bash scripts/ensure-chromium.sh
	$(PY) -m pytest --create-db -m browser

bench: setup
	$(PY) bench/run_all.py

lint: venv
	$(VENV)/bin/ruff check zhengtong bench
	$(PY) manage.py makemigrations --check --dry-run

messages: venv
	cd zhengtong && ../$(PY) ../manage.py makemessages -l en --no-obsolete && ../$(PY) ../manage.py compilemessages -l en

clean:
	rm -rf $(VENV) node_modules zhengtong/static_vendor staticfiles var

screenshots: venv assets ## refresh docs/img/ from the browser tests
	ZT_SCREENSHOTS=1 $(PY) -m pytest --create-db -m browser
