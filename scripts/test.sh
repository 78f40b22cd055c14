#!/usr/bin/env bash
# Runs the checks CI runs: lint, formatting, then the test suite.
#
#   scripts/test.sh                      everything
#   scripts/test.sh tests/core -k token  arguments go to pytest
#
# Sets up the machine first (scripts/bootstrap.sh). Exits with pytest's status;
# "no tests collected" (5) counts as a failure too.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/bootstrap.sh

echo "== ruff check ."
.venv/bin/ruff check .
echo "== ruff format --check ."
.venv/bin/ruff format --check .
echo "== pytest $*"
status=0
.venv/bin/python -m pytest "$@" || status=$?
if [[ $status -eq 5 ]]; then
  echo "test.sh: pytest collected no tests; that is a failure" >&2
fi
exit "$status"
