# Two commands do everything on a fresh Debian/Ubuntu machine; both are safe to run again.
#   make demo   set up, then build a sample page offline and print where it is
#   make test   set up, then check the code (ruff, mypy on the core, the layer contract) and run the test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The diffusers backends and their tests need torch; the CPU build is enough for the tests.
TORCH ?= torch==2.13.0
STAMP := .make

.PHONY: demo test setup browser clean

setup: $(STAMP)/python $(STAMP)/chart-runtime browser

$(STAMP)/python: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "error: Python 3.11 or newer is needed (found " + sys.version.split()[0] + ")")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { echo "error: cannot create a virtualenv: install python3-venv (apt-get install python3-venv)" >&2; exit 1; }
	@echo "python: installing mm-webagent and its test tools into $(VENV)"
	@$(PY) -m pip install --quiet --disable-pip-version-check "$(TORCH)"
	@$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev,diffusers,ray]'
	@mkdir -p $(STAMP) && touch $@

$(STAMP)/chart-runtime: package.json package-lock.json
	@bash scripts/ensure-chart-runtime.sh
	@mkdir -p $(STAMP) && touch $@

browser: $(STAMP)/python
	@PY=$(PY) bash scripts/ensure-browser.sh

out/demo/index.html: examples/demo-prompt.txt $(STAMP)/python $(STAMP)/chart-runtime
	@$(VENV)/bin/webagent build --prompt-file examples/demo-prompt.txt --out out/demo --planner offline --coder offline --chart offline

demo: setup out/demo/index.html
	@echo "demo page: $(CURDIR)/out/demo/index.html (screenshots in out/demo/screenshots/)"

test: setup
	@PY=$(PY) bash scripts/check-code.sh
	@$(VENV)/bin/pytest -n 2 --dist loadgroup -q --durations=15

clean:
	rm -rf $(VENV) $(STAMP) node_modules webagent/core/vendor out
