# LBP Workbook: two commands on a fresh machine with only Python 3.11+ and make.
#   make lab    set up (first time, or when the lock changed) and open JupyterLab
#   make test   the same set-up, then every test
# Other targets: bench, images, citations, present, hub, lock, clean (see `make help`).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
LOCK   := requirements.lock
PORT   ?= 8888
START  := 01_start_here.ipynb

# Jupyter refuses to run as root unless told; containers and CI run as root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

export JUPYTER_PLATFORM_DIRS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help setup lab test test-fast lint furniture bench images citations present hub hub-proxy lock clean

help:
	@echo "make lab      set up and open JupyterLab on notebooks/"
	@echo "make test     set up and run every test (unit, notebooks, browser)"
	@echo "make test-fast  the suite without the browser tests, in parallel (pytest-xdist)"
	@echo "make lint     ruff (lint and import order) and mypy (the engine's types)"
	@echo "make furniture  rewrite each lesson's module line, headings and next link"
	@echo "make bench    benchmarks: ours beside the naive baseline"
	@echo "make images   rebuild the diagrams in images/"
	@echo "make citations  link the lessons' short citations and rewrite their References cells"
	@echo "make present  instructor mode: Voila with the code hidden"
	@echo "make hub      classroom demo JupyterHub on 127.0.0.1 (shared password; see docs/deploy.md)"
	@echo "make lock     re-resolve requirements.in into requirements.lock and environment.yml"
	@echo "make clean    remove the virtual environment and caches"

# 1. The virtual environment, rebuilt from scratch whenever the lock changes.
$(VENV)/.lock-installed: $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "LBP Workbook needs Python 3.11 or newer; found " + sys.version.split()[0] + ". Set PYTHON=/path/to/python3.11.")'
	@echo "==> creating $(VENV) from $(LOCK) (first run or lock changed; about a minute)"
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r $(LOCK)
	@touch $@

# 2. The package itself (editable), reinstalled when its metadata changes.
$(VENV)/.pkg-installed: $(VENV)/.lock-installed pyproject.toml tools/lab_settings.py
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(PY) tools/lab_settings.py $(VENV)
	@touch $@

setup: $(VENV)/.pkg-installed

# 3. The class hub's proxy (configurable-http-proxy, pinned in hub/package-lock.json),
#    from the npm registry into hub/node_modules. Needs node and npm; `make test` installs
#    it when npm exists (the hub's browser test needs it), `make hub` always.
CHP := hub/node_modules/.bin/configurable-http-proxy
$(CHP): hub/package.json hub/package-lock.json
	@command -v npm >/dev/null || { echo "make hub needs node and npm (e.g. apt-get install nodejs npm)"; exit 1; }
	@echo "==> installing configurable-http-proxy into hub/node_modules (npm ci)"
	npm ci --prefix hub --no-audit --no-fund --loglevel=error
	@touch $@

hub-proxy: $(CHP)

lab: setup
	@echo "==> starting JupyterLab. Open the address printed below that starts with http://127.0.0.1:$(PORT)/"
	@echo "    (stop it with Ctrl-C twice)"
	$(VENV)/bin/jupyter lab --ip=127.0.0.1 --port=$(PORT) $(ALLOW_ROOT) \
	    --ServerApp.root_dir=notebooks \
	    $(if $(wildcard notebooks/$(START)),--LabApp.default_url=/lab/tree/$(START),)

# Tests and benchmarks never need a screen; `make lab` keeps Jupyter's inline plots.
test test-fast bench: export MPLBACKEND := Agg

test: setup $(if $(shell command -v npm),$(CHP),)
	$(PY) -m pytest $(PYTEST_ARGS)

# Everything but the real-browser tests, one worker per core; a test file stays on one
# worker (--dist loadfile) so its module fixtures are built once.
test-fast: setup
	$(PY) -m pytest -n auto --dist loadfile -m "not browser" $(PYTEST_ARGS)

# ruff and mypy are pinned in the lock, so `setup` installs them; settings in pyproject.toml.
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# Idempotent: the "Module N of M" line, the two headings and the next-module link.
furniture: setup
	$(PY) tools/furniture.py

bench: setup $(if $(shell command -v npm),$(CHP),)
	$(PY) -m benchmarks $(BENCH_ARGS)

images: setup
	$(PY) -m lbp_workbook.views.diagrams images
	$(PY) -m lbp_workbook.views.exercise_figures images/exercises

# Idempotent: run after editing a lesson's text or lbp_workbook/data/references.json.
citations: setup
	$(PY) tools/citations.py

present: setup
	$(PY) -m lbp_workbook.present --port $(or $(VOILA_PORT),8866)

# Classroom demo, not a production deployment (docs/deploy.md): JupyterHub from the lock,
# shared class password, one folder per learner under .hub/learners, all on 127.0.0.1.
HUB_PORT ?= 8000
hub: setup $(CHP)
	LBP_HUB_PORT=$(HUB_PORT) $(VENV)/bin/jupyterhub -f hub/jupyterhub_config.py

lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check -r requirements.in
	{ echo "# Pinned lock of every Python package the workbook needs (the full closure)."; \
	  echo "# Regenerate with 'make lock' after editing requirements.in; environment.yml is rewritten from it."; \
	  .lock-venv/bin/pip freeze --all --exclude pip --exclude-editable; } > $(LOCK)
	rm -rf .lock-venv
	$(PYTHON) tools/sync_environment.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis test-artifacts bench-results hub/node_modules
	find . -name __pycache__ -prune -exec rm -rf {} +
