# Brigade: `make run` to start everything, `make test` to check everything.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
BIN := $(VENV)/bin

.PHONY: help setup run stop test lint psql bench migrate status drift clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

setup: ## install what is missing (apt packages, the virtualenv)
	@scripts/setup.sh

run: setup ## private cluster on :54320, migrations, demo, API on :8000
	@scripts/run.sh

stop: ## stop what make run started
	@scripts/stop.sh

test: setup ## every gate on a throw-away cluster: ruff, sqlfluff, plpgsql_check, pg_prove, pytest
	@scripts/test.sh

lint: setup ## ruff and sqlfluff only
	@$(BIN)/ruff check api tests bench && $(BIN)/ruff format --check api tests bench
	@$(BIN)/sqlfluff lint sql tests/sql --disable-progress-bar --nocolor

psql: ## psql on the private cluster as the postgres superuser
	@psql "$${DATABASE_URL:-postgresql://postgres@127.0.0.1:54320/brigade}"

migrate status drift: setup ## brigade db migrate | status | drift against the running database
	@scripts/brigade.sh db $@

bench: setup ## the benchmarks, against a throw-away cluster
	@scripts/bench.sh

clean: stop ## stop, then remove the private cluster and its secrets
	rm -rf .brigade
