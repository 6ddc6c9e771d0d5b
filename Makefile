# Two commands on a fresh machine: `make html` builds the site, `make test` runs the tests.
# Both create .venv from the pinned requirements first (Python >= 3.11).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PYTHONUTF8 := 1

.PHONY: html test serve validate clean lock

html: $(STAMP)
	$(BIN)/invoke build

test: $(STAMP)
	$(BIN)/pytest

serve: $(STAMP)
	$(BIN)/invoke serve

validate: $(STAMP)
	$(BIN)/invoke validate $(if $(FICHIERS),-- $(FICHIERS))

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 ou plus récent est nécessaire (trouvé : " + sys.version.split()[0] + ").")'
	@echo "Installation de l'environnement Python dans $(VENV)/ (une seule fois)…"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

lock:
	$(PYTHON) -m venv .venv-lock && .venv-lock/bin/pip install --quiet -r requirements.in
	(echo "# Full pinned lock of requirements.in (regenerate: make lock). Python >= 3.11."; .venv-lock/bin/pip freeze) > requirements.txt
	rm -rf .venv-lock

clean:
	rm -rf output .output-* $(VENV)
