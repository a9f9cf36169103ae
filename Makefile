# Công Sở — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
EID_PORT ?= 8001
PAY_PORT ?= 8002
PAYGOV_PORT ?= 8003
AXIS_PORT ?= 8004
SIGN_PORT ?= 8005
TSA_PORT ?= 8006
DVCQG_PORT ?= 8007
DEBIAN_PACKAGES := fonts-liberation2 fonts-texgyre poppler-utils softhsm2 opensc libnss3-tools \
	tesseract-ocr tesseract-ocr-vie libpango-1.0-0 libpangoft2-1.0-0 chromium gettext dovecot-imapd
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run cluster test check deps system-deps lint format migrate demo messages clean

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

deps: $(BIN)/.installed

# axe-core for the browser journeys' accessibility checks; installed again only when the lock
# file changes (CI runs make test twice, once per database).
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --silent

# Debian packages for PDFs (fonts), signatures (poppler, SoftHSM2, NSS), OCR and the browser tests.
system-deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Cài gói Debian còn thiếu: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Thiếu gói Debian: $$missing"; \
	    echo "Hãy chạy: sudo apt-get install $$missing"; exit 1; \
	  fi; \
	fi

migrate: deps
	$(BIN)/python -m congso migrate --no-input -v0

demo: migrate
	$(BIN)/python -m congso load_demo

# The local sandboxes stand in for the national eID (OpenID Connect) and speak its protocol.
# `python -m congso run` supervises the web server, the worker, the beat (a singleton) and the
# sandboxes: Ctrl+C stops every one of them within 10 seconds (congso/ops/supervisor.py).
run: export CONGSO_OIDC_ISSUER ?= http://$(HOST):$(EID_PORT)
run: export CONGSO_OIDC_CLIENT_ID ?= congso
run: export CONGSO_OIDC_CLIENT_SECRET ?= congso-sandbox-secret
run: export CONGSO_PAYMENT_URL ?= http://$(HOST):$(PAY_PORT)/paymentv2/vpcpay.html
run: export CONGSO_PAYMENT_API_URL ?= http://$(HOST):$(PAY_PORT)/merchant_webapi/api/transaction
run: export CONGSO_PAYGOV_URL ?= http://$(HOST):$(PAYGOV_PORT)
run: export CONGSO_EXCHANGE_TRANSPORT ?= axis
run: export CONGSO_EXCHANGE_URL ?= http://$(HOST):$(AXIS_PORT)
run: export CONGSO_EXCHANGE_TOKEN ?= congso-sandbox-axis-token
run: export CONGSO_PORTAL_SYNC ?= lgsp
run: export CONGSO_PORTAL_SYNC_URL ?= http://$(HOST):$(DVCQG_PORT)
run: export CONGSO_PORTAL_SYNC_CLIENT_ID ?= congso
run: export CONGSO_PORTAL_SYNC_CLIENT_SECRET ?= congso-sandbox-dvcqg-secret
run: export CONGSO_REMOTE_SIGNING_URL ?= http://$(HOST):$(SIGN_PORT)
run: export CONGSO_REMOTE_SIGNING_SP_ID ?= congso
run: export CONGSO_REMOTE_SIGNING_SP_PASSWORD ?= congso-sandbox-remote-signing
run: deps system-deps migrate
	$(BIN)/python -m congso collectstatic --no-input -v0
	@$(BIN)/python -m congso load_demo --print-logins
	@echo ""
	@echo "Công Sở đang chạy tại http://$(HOST):$(PORT)  (Ctrl+C để dừng)"
	@exec $(BIN)/python -m congso run --host $(HOST) --port $(PORT) \
	  --also "$(BIN)/python -m sandbox.eid --host $(HOST) --port $(EID_PORT) \
	    --redirect-uri http://$(HOST):$(PORT)/accounts/eid/callback/ \
	    --post-logout-uri http://$(HOST):$(PORT)/accounts/eid/logged-out/ \
	    --backchannel-uri http://$(HOST):$(PORT)/accounts/eid/backchannel-logout/" \
	  --also "$(BIN)/python -m sandbox.payment --host $(HOST) --port $(PAY_PORT) \
	    --ipn-url http://$(HOST):$(PORT)/payments/ipn/" \
	  --also "$(BIN)/python -m sandbox.paygov --host $(HOST) --port $(PAYGOV_PORT)" \
	  --also "$(BIN)/python -m sandbox.exchange_axis --host $(HOST) --port $(AXIS_PORT)" \
	  --also "$(BIN)/python -m sandbox.remote_signing --host $(HOST) --port $(SIGN_PORT) \
	    --keys var/remote_signing" \
	  --also "$(BIN)/python -m sandbox.tsa --host $(HOST) --port $(TSA_PORT)" \
	  --also "$(BIN)/python -m sandbox.dvcqg --host $(HOST) --port $(DVCQG_PORT)"

# The production shape on this machine (docs/deploy.md): nginx with TLS in front of two web
# processes, two workers and one beat on Redis, PostgreSQL primary + streaming replica (Debian's
# pg_createcluster/pg_basebackup, ports 9810-9816), a sandbox mail relay (9177), the demo CA's
# remote-signing sandbox (9178: officials sign there, confirming on its "phone" page). Needs root;
# Ctrl+C stops everything. CLUSTER_ARGS="--broker amqp" runs Celery on RabbitMQ instead.
cluster: DEBIAN_PACKAGES += nginx-light redis-server postgresql
cluster: deps system-deps
	@exec $(BIN)/python deploy/cluster/cluster.py $(CLUSTER_ARGS)

# Tests run in parallel (pytest-xdist, one database and one var/ folder per worker), a module at a
# time per worker (--dist loadfile), so that a module's shared demo district is loaded once, not
# once in each worker; browser journeys run after the rest, in their own run (JOBS=0 runs the
# rest in this one process).
JOBS ?= auto
PYTEST := $(BIN)/python -m pytest -q -p no:cacheprovider

# CONGSO_ENV is explicit so that DATABASE_URL=postgres://… make test is not refused (congso.E001).
test: export CONGSO_ENV ?= test
check: export CONGSO_ENV ?= test
test: deps system-deps node_modules/.package-lock.json
	$(BIN)/ruff check src tests bench sandbox
	PYTHONPATH=src $(BIN)/lint-imports
	$(BIN)/python -m congso makemigrations --check --dry-run -v0
	$(PYTEST) -n $(JOBS) --dist loadfile -m "not browser" --durations=10 $(PYTEST_ARGS)
	$(PYTEST) -m browser --durations=10 $(PYTEST_ARGS)

# The fast loop: lint and every test but the browser journeys and the modules marked slow, in
# parallel; make test runs those too.
check: deps
	$(BIN)/ruff check src tests bench sandbox
	PYTHONPATH=src $(BIN)/lint-imports
	$(PYTEST) -n $(JOBS) --dist loadfile -m "not browser and not slow" --durations=10 $(PYTEST_ARGS)

lint: deps
	$(BIN)/ruff check src tests bench sandbox
	PYTHONPATH=src $(BIN)/lint-imports

format: deps
	$(BIN)/ruff format src tests bench sandbox
	$(BIN)/ruff check --fix src tests bench sandbox

# Refresh the English catalogue: extract, re-apply the translations kept in translations.json
# (--check lists msgids still without English), compile.
messages: deps
	cd src/congso && ../../$(BIN)/python -P -m congso makemessages -l en --ignore "*/tests/*" --no-obsolete
	-$(BIN)/python src/congso/locale/apply_translations.py --check
	cd src/congso && ../../$(BIN)/python -P -m congso compilemessages -l en

clean:
	rm -rf var/congso.sqlite3* var/test.sqlite3* var/celery var/static
