#!/usr/bin/env bash
# Runs the checks CI runs: lint, formatting, types, then the test suite.
#
#   scripts/test.sh                      everything: the suite, then the slow tests
#                                        (the accelerated 24 h soak, about 2 minutes),
#                                        those even when the suite failed
#   scripts/test.sh tests/core -k token  arguments go to pytest (slow tests left out
#                                        unless the arguments say -m slow)
#
# Sets up the machine first (scripts/bootstrap.sh). Exits non-zero if any step fails;
# "no tests collected" (5) counts as a failure too.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/bootstrap.sh

echo "== ruff check ."
.venv/bin/ruff check .
echo "== ruff format --check ."
.venv/bin/ruff format --check .
echo "== mypy (strict, settings in pyproject.toml)"
.venv/bin/mypy

run_pytest() {
  echo "== pytest $*"
  local status=0
  .venv/bin/python -m pytest "$@" || status=$?
  if [[ $status -eq 5 ]]; then
    echo "test.sh: pytest collected no tests; that is a failure" >&2
  fi
  return "$status"
}

if [[ $# -gt 0 ]]; then
  run_pytest "$@"
else
  # The slow tests run even when the main run failed: one run shows every failure.
  main_status=0
  run_pytest || main_status=$?
  if [[ $main_status -ne 0 ]]; then
    echo "test.sh: the main pytest run failed (status $main_status); running the slow tests anyway" >&2
  fi
  slow_status=0
  run_pytest -m slow || slow_status=$?
  if [[ $main_status -ne 0 || $slow_status -ne 0 ]]; then
    echo "test.sh: FAILED: main run status $main_status, slow run status $slow_status" >&2
    exit 1
  fi
fi
