# The portal in two commands: `make run` (set up everything and serve on http://127.0.0.1:8000)
# and `make test` (install what the tests need, check quality, run the tests).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
PORT ?= 8000
UV_VERSION := 0.9.5

TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
NPM_STAMP := node_modules/.package-lock.json

# uv uses the machine's Python 3.11; it never downloads an interpreter.
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

# The tests run on PostgreSQL and Redis when they answer on their usual local ports (or when
# DATABASE_URL / REDIS_URL are set), otherwise on SQLite and without Redis.
answers = $(shell $(PYTHON) -c "import socket; s = socket.socket(); s.settimeout(1); print('yes' if s.connect_ex(('127.0.0.1', $(1))) == 0 else '')")
TEST_DATABASE_URL ?= $(or $(DATABASE_URL),$(if $(call answers,5432),postgres://postgres@127.0.0.1:5432/pvd,sqlite:///$(CURDIR)/db.sqlite3))
TEST_REDIS_URL ?= $(or $(REDIS_URL),$(if $(call answers,6379),redis://127.0.0.1:6379/1,))

.PHONY: help run serve install install-dev npm test test-sqlite quality fmt clean backup restore-check fuzz

help:
	@echo "make run          installe tout, prépare la base embarquée (SQLite), importe les territoires et"
	@echo "                  le programme réel, crée les comptes de démonstration et sert le portail"
	@echo "                  sur http://127.0.0.1:$(PORT)"
	@echo "make test         installe l'outillage de test, lance make quality puis les tests"
	@echo "make test-sqlite  les tests sur SQLite, même si PostgreSQL répond"
	@echo "make quality      ruff (lint et format), migrations à jour, docker-compose.yml valide"
	@echo "make fmt          formate le code (ruff)"
	@echo "make backup       sauvegarde la base et les documents dans sauvegardes/ (BACKUP_DIR)"
	@echo "make restore-check restaure la dernière sauvegarde dans une base jetable et la vérifie"
	@echo "make fuzz         l'API éprouvée par schemathesis avec un jeton par rôle"

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Runtime dependencies only; --inexact keeps the test tools if `make test` installed them.
install: $(UV) npm
	$(UV) sync --frozen --no-dev --inexact

install-dev: $(UV) npm
	$(UV) sync --frozen

npm: $(NPM_STAMP)

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

run: install
	$(PY) manage.py prepare_demo
	@echo "Portail servi sur http://127.0.0.1:$(PORT)/ (Ctrl+C pour arrêter)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

quality: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	node_modules/.bin/dclint docker-compose.yml --max-warnings 0

test: quality
	@echo "Base de test : $(TEST_DATABASE_URL) ; Redis : $(or $(TEST_REDIS_URL),aucun)"
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) -m pytest

test-sqlite: install-dev
	DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3 REDIS_URL= $(PY) -m pytest

backup: install
	$(PY) manage.py sauvegarder

restore-check: install
	$(PY) manage.py verifier_sauvegarde $(SAUVEGARDE)

fuzz: install-dev
	$(PY) scripts/fuzz.py

fmt: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) $(TOOLS) node_modules staticfiles
