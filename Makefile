# Two commands for a fresh clone (see README):
#   make serve   build the magazine and serve it at http://127.0.0.1:8000 with live reload
#   make test    run the whole test suite
# Both create/update the local virtual environment .venv from the pinned requirements.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The Nu HTML Checker for the quality gates (tests/test_gates.py, invoke audit), from npm.
VNU_VERSION := 26.9.27
VNU_JAR := $(VENV)/vnu-$(VNU_VERSION)/node_modules/vnu-jar/build/dist/vnu.jar

# The authors' editor (plugins/magazin/editor): Decap CMS and decap-server, pinned in
# editor/package-lock.json; the build copies decap-cms's dist to /redaktion/.
EDITOR_STAMP := editor/node_modules/.package-lock.json

# The comment server (Isso) lives in its own environment: it builds misaka with gcc
# (plugins/magazin/comments/environment.py; `invoke comments-install` keeps a stamp itself).
COMMENTS_VENV := .venv-comments

.PHONY: serve test venv comments-venv

$(STAMP): requirements.txt requirements-dev.txt requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c requirements.lock
	# the magazine's own package (plugins/magazin), editable: edits take effect without reinstalling
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e . --config-settings editable_mode=compat
	touch $(STAMP)

$(VNU_JAR):
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --silent --no-save --no-audit --no-fund --prefix $(VENV)/vnu-$(VNU_VERSION) vnu-jar@$(VNU_VERSION); \
	else echo "npm fehlt: ohne vnu.jar wird die HTML-Prüfung übersprungen (unter CI=true: Fehler)"; fi

# Isso's two browser files for the site build, from the pinned release's source archive (no compiler)
ISSO_CLIENT := $(VENV)/isso-client-0.14.0/embed.min.js

$(ISSO_CLIENT): $(STAMP)
	$(BIN)/invoke comments-client

$(EDITOR_STAMP): editor/package.json editor/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --silent --no-audit --no-fund --ignore-scripts --prefix editor; \
	else echo "npm fehlt: ohne Decap CMS öffnet /redaktion/ keinen Editor (docs/redaktion.md)"; fi

venv: $(STAMP) $(VNU_JAR) $(ISSO_CLIENT) $(EDITOR_STAMP)

comments-venv: $(STAMP)
	$(BIN)/invoke comments-install

# The preview starts the comment server too when its environment could be installed;
# without a C compiler it runs without comments and says so.
serve: $(STAMP) $(ISSO_CLIENT) $(EDITOR_STAMP)
	@$(BIN)/invoke comments-install || echo "Hinweis: ohne Kommentar-Server weiter (docs/kommentare.md)."
	$(BIN)/invoke livereload

test: $(STAMP) $(VNU_JAR) $(ISSO_CLIENT) $(EDITOR_STAMP) comments-venv
	$(BIN)/invoke test
