#!/usr/bin/env bash
# Sets up everything on a fresh machine (system packages, a virtualenv in .venv, the package),
# then runs `demo` (the default) or `test` (ruff, mypy, then pytest). Safe to run again: finished
# steps are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-demo}"
case "$what" in demo|test) ;; *) echo "Usage: scripts/run.sh [demo|test]" >&2; exit 2 ;; esac

scripts/install-system-packages.sh
[ -x .venv/bin/python ] || python3 -m venv .venv

extras=""
[ "$what" = test ] && extras="[test]"
stamp=".venv/.installed-$what"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    # setuptools announces every editable install with a warning about folders named like the
    # package in the working directory: nothing for the person setting up to act on.
    PYTHONWARNINGS="ignore:Editable installation" .venv/bin/python -m pip install --quiet -e ".$extras"
    touch "$stamp"
fi

if [ "$what" = demo ]; then
    .venv/bin/assistant demo
else
    .venv/bin/python -m ruff check .  # style, import order, likely bugs (pyproject.toml [tool.ruff])
    .venv/bin/python -m mypy          # types of the assistant package (pyproject.toml [tool.mypy])
    .venv/bin/python -m pytest
fi
