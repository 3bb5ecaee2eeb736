# kordon — developer tasks. `make` lists them.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export KORDON_VAR_DIR ?= $(CURDIR)/var

.DEFAULT_GOAL := help
.PHONY: help install run serve demo test test-postgres bench lint lock browser clean gettext messages ocr \
	prod-local prod-local-check prod-local-stop compose-tool faults

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/kordon: requirements/base.txt requirements/dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/base.txt -r requirements/dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

install: $(BIN)/kordon $(VENV)/.messages ocr ## Create .venv, install the locked dependencies and the `kordon` command, compile the translations

# Translations: kordon/locale/*/LC_MESSAGES/django.po, compiled to .mo files (not in git) by Django's
# compilemessages, which runs GNU gettext's msgfmt; makemessages (and the completeness test) need xgettext.
PO_FILES := $(wildcard kordon/locale/*/LC_MESSAGES/*.po kordon/*/locale/*/LC_MESSAGES/*.po)
# Passports are read from photos with Debian's tesseract (kordon.intake.passports); the tests draw
# their MRZs in Debian's OCR-B font.
ocr: ## Install Debian's tesseract-ocr (English data) and the OCR-B font, if missing
	@command -v tesseract >/dev/null && [ -f /usr/share/fonts/opentype/ocr-b/OCRB.otf ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-eng fonts-ocr-b >/dev/null; }

gettext: ## Install GNU gettext from Debian, if missing
	@command -v msgfmt >/dev/null && command -v xgettext >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }

$(VENV)/.messages: $(BIN)/kordon $(PO_FILES) | gettext
	KORDON_DEBUG=true $(BIN)/kordon compilemessages --ignore=.venv --ignore=var -v0
	@touch $@

messages: install ## Update the catalogues from the code and templates (then translate what is new)
	cd kordon && KORDON_DEBUG=true ../$(BIN)/kordon makemessages --no-obsolete --no-location -e html,txt,py $(foreach l,ru ky tg,-l $(l))

browser: ## Install Debian's Chromium for the browser tests, if missing
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The demo's settings, in a file the `kordon` command reads too (kordon/cli.py): DEBUG, the pretend card
# payments (kordon.payments.providers.sandbox) and a secret key generated once. The environment wins.
$(KORDON_VAR_DIR)/kordon.env:
	@mkdir -p $(KORDON_VAR_DIR)
	@umask 077 && { echo "# The demo's settings, written by make run and read by the kordon command."; \
	  echo "KORDON_DEBUG=true"; echo "KORDON_SANDBOX_PAYMENTS=true"; \
	  echo "KORDON_SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')"; } > $@

# The background worker (replies, notifications) runs beside the web server and stops with it.
run: install $(KORDON_VAR_DIR)/kordon.env ## Set up (install, migrate, demo data) and serve on PORT (default 8000) with the worker
	$(BIN)/kordon migrate --no-input -v0
	$(BIN)/kordon collectstatic --no-input -v0
	$(BIN)/kordon loaddemo
	$(BIN)/kordon demousers
	$(BIN)/kordon seals demo
	$(BIN)/kordon demoparties
	$(BIN)/kordon notifications resume
	@$(BIN)/kordon db_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/kordon runserver 0.0.0.0:$(PORT)

test: install browser compose-tool ## Run every test (SQLite unless DATABASE_URL is set), browser tests included
	$(BIN)/pytest

test-postgres: install browser compose-tool ## Run every test against PostgreSQL (TEST_DATABASE_URL or the local server)
	DATABASE_URL=$${TEST_DATABASE_URL:-postgres://kordon:kordon@127.0.0.1:5432/kordon} $(BIN)/pytest

bench: install ## Run the benchmarks in bench/ and print their figures (PostgreSQL, gunicorn, wrk)
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python -m bench

lint: install ## ruff, mypy and the import contract (the layers of docs/architecture.md)
	$(BIN)/ruff check kordon tests bench
	KORDON_DEBUG=true $(BIN)/mypy kordon
	$(BIN)/lint-imports

lock: ## Re-lock requirements/*.txt from requirements/*.in (needs pip-tools)
	cd requirements && pip-compile -q --generate-hashes --allow-unsafe --strip-extras -o base.txt base.in
	cd requirements && pip-compile -q --generate-hashes --allow-unsafe --strip-extras -o dev.txt dev.in

clean: ## Remove the virtual environment and local data
	rm -rf $(VENV) var

# Production topology on this machine (deploy/prodlocal.py, docs/deploy.md): the machine's PostgreSQL,
# the S3-protocol server, two gunicorn servers, the worker, the scheduler, Debian's nginx with TLS.
prod-local: install ## Start the production topology here (TLS on https://localhost:18443), documents in a bucket
	@command -v nginx >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null; }
	$(BIN)/python -m deploy.prodlocal start

prod-local-check: ## Check prod-local end to end through TLS: health, file, upload, stamp on both servers
	$(BIN)/python -m deploy.prodlocal check

prod-local-stop: ## Stop what prod-local started
	$(BIN)/python -m deploy.prodlocal stop

faults: install ## Faults against real services (own PostgreSQL cluster, bucket, 2 app servers, worker): counts lost = 0
	$(BIN)/python -m bench.faults

compose-tool: ## Install Debian's docker-compose, to validate compose.yaml (images are not pulled)
	@command -v docker-compose >/dev/null || docker compose version >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >/dev/null; }
