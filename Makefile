# Two commands on a fresh machine: `make html` builds the site, `make test` runs the tests.
# Both create .venv from the pinned requirements first (Python >= 3.11). The same Makefile serves
# the kit's repository and every territory made from its template (template/Makefile links here).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PYTHONUTF8 := 1

.PHONY: html test mesures serve validate upgrade clean lock

html: $(STAMP)
	$(BIN)/invoke build

# Lighthouse's measures (the kit's tests/lighthouse/) run apart, after the suite: `make mesures`.
test: $(STAMP)
	$(BIN)/pytest $(if $(wildcard tests/lighthouse),-m "not mesures")

# Lighthouse on every kind of page (tests/test_measures.py), alone on the machine after the suite
# (.ci/run calls it after `make test`): measured beside other tests, the processor's speed varies.
mesures: $(STAMP)
	@if [ -d tests/lighthouse ]; then $(BIN)/pytest -m mesures -n 0; \
	else echo "Aucune mesure Lighthouse dans ce dépôt (tests/lighthouse/ absent)."; fi

serve: $(STAMP)
	$(BIN)/invoke serve

# A territory takes another version of the kit: `make upgrade` (the latest) or
# `make upgrade VERSION=v0.3.0`; its own edits are kept, conflicts are listed (territoire/upgrade.py).
upgrade: $(STAMP)
	$(BIN)/invoke upgrade $(if $(VERSION),--version $(VERSION))

validate: $(STAMP)
	$(BIN)/invoke validate $(if $(FICHIERS),-- $(FICHIERS))

$(STAMP): requirements.txt $(wildcard pyproject.toml)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 ou plus récent est nécessaire (trouvé : " + sys.version.split()[0] + ").")'
	@echo "Installation de l'environnement Python dans $(VENV)/ (une seule fois)…"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

lock:
	$(PYTHON) -m venv .venv-lock && .venv-lock/bin/pip install --quiet -r requirements.in
	(echo "# Full pinned lock of requirements.in (regenerate: make lock). Python >= 3.11."; .venv-lock/bin/pip freeze --exclude-editable | grep -v '^territoire-site-kit'; echo "-e .") > requirements.txt
	rm -rf .venv-lock

clean:
	rm -rf output .output-* $(VENV)
