#!/usr/bin/env bash
# Runs every benchmark and writes their reports into docs/PERFORMANCE.md.
#
#   bench/run_all.sh [--snapshot REV] [--quick] [--no-docs]
#
# --snapshot REV  measure the app code of a commit (git archive into a temporary
#                 folder, put first on PYTHONPATH) instead of the working tree
# --quick         short runs (CPU 30 s, 2,000 polls, 3 start-ups, 1 h session), to try it out
# --no-docs       leave docs/PERFORMANCE.md alone; the reports stay in bench/results/
#
# PYTHON picks the interpreter (default: .venv/bin/python if present, else python3).
# Takes about 15 minutes in full, most of it the two 5-minute CPU windows (run side by side).
set -euo pipefail
cd "$(dirname "$0")/.."

snapshot="" quick=0 docs=1
while [ $# -gt 0 ]; do
  case "$1" in
    --snapshot) snapshot="$2"; shift 2 ;;
    --quick) quick=1; shift ;;
    --no-docs) docs=0; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

if [ -z "${PYTHON:-}" ]; then
  if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi

if [ -n "$snapshot" ]; then
  tree="$(mktemp -d)"
  trap 'rm -rf "$tree"' EXIT
  git archive "$snapshot" nowplaying_tray | tar -x -C "$tree"
  export PYTHONPATH="$tree${PYTHONPATH:+:$PYTHONPATH}"
  export BENCH_CODE_LABEL="commit $(git rev-parse --short "$snapshot") (git archive)"
fi

out=bench/results
mkdir -p "$out"
rm -f "$out"/*.md

if [ "$quick" = 1 ]; then
  startup=(--runs 3) polling=(--hours 1) memory=(--polls 2000 --runs 1 --tracemalloc-polls 500)
  cpu=(--duration 30 --warmup 5)
else
  startup=(--runs 7) polling=() memory=() cpu=(--duration 300)
fi

set -x
"$PYTHON" bench/startup.py "${startup[@]}" --markdown-out "$out/startup.md"
"$PYTHON" bench/polling.py "${polling[@]}" --markdown-out "$out/polling.md"
"$PYTHON" bench/polling.py "${polling[@]}" --one-way-delay-ms 50 \
  --heading "Polling schedules with 50 ms network delay each way" \
  --markdown-out "$out/polling-delay.md"
"$PYTHON" bench/memory.py "${memory[@]}" --markdown-out "$out/memory.md"
"$PYTHON" bench/cpu.py "${cpu[@]}" --markdown-out "$out/cpu.md"
set +x

if [ "$docs" = 1 ]; then
  "$PYTHON" bench/update_docs.py "$out"
fi
