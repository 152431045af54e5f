# Two commands for a fresh clone (see README):
#   make serve   build the magazine and serve it at http://127.0.0.1:8000 with live reload
#   make test    run the whole test suite
# Both create/update the local virtual environment .venv from the pinned requirements.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve test venv

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

serve: $(STAMP)
	$(BIN)/invoke livereload

test: $(STAMP)
	$(BIN)/invoke test
