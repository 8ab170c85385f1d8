#!/usr/bin/env bash
# The code checks `make test` runs before the tests: ruff (lint and format), mypy on the core, the engine and the entry points,
# and the layer contract of pyproject.toml, checked by import-linter on the package as it installs.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
BIN=$(cd "$(dirname "$PY")" && pwd)
"$BIN/ruff" check --quiet .
"$BIN/ruff" format --check --quiet .
"$BIN/mypy" webagent/core webagent/engine webagent/cli.py webagent/doctor.py
# The folders planners/, generators/, … install as webagent.planners, …: lint the installed layout, where
# every package sits under webagent/ as users get it. It is built from a copy, so nothing is written here.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/source" "$work/installed"
git ls-files --cached --others --exclude-standard -z | xargs -0 cp --parents -t "$work/source" 2>/dev/null || true
"$PY" -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation \
    --target "$work/installed" "$work/source"
(cd "$work/installed" && PYTHONPATH="$work/installed" "$BIN/lint-imports" "$OLDPWD/pyproject.toml")
