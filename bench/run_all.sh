#!/usr/bin/env bash
# Runs every benchmark and writes their reports into docs/PERFORMANCE.md.
#
#   bench/run_all.sh [--snapshot REV] [--quick] [--no-docs]
#
# --snapshot REV  measure the app code of a commit (git archive of nowplaying_tray and
#                 resources into a temporary folder, put first on PYTHONPATH) instead
#                 of the working tree; the benchmarks themselves come from the working tree
# --quick         short runs (CPU 30 s, 2,000 polls, 3 start-ups, 1 h session), to try it out
# --no-docs       leave docs/PERFORMANCE.md alone; the reports stay in bench/results/
#
# PYTHON picks the interpreter (default: .venv/bin/python if present, else python3).
# Before each benchmark, while the 1-minute load average is above BENCH_MAX_LOAD (default
# 1.2; the benchmarks' own previous run counts too), it waits, checking every 30 s, for at
# most BENCH_MAX_WAIT_S seconds (default 1200), then measures anyway; every report
# records the load average at its start and end. BENCH_MAX_LOAD=0 never waits.
# Takes about 20 minutes in full, most of it the two 5-minute CPU windows (run side by side).
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
  # Older commits kept the icons in resources/ beside the package (without them the app
  # logs a warning per icon and draws built-in ones): take that folder too if it is there.
  commit="$(git rev-parse --short "$snapshot^{commit}")"
  git archive "$commit" nowplaying_tray $(git ls-tree --name-only "$commit" resources) |
    tar -x -C "$tree"
  export PYTHONPATH="$tree${PYTHONPATH:+:$PYTHONPATH}"
  export BENCH_CODE_LABEL="commit $commit (git archive)"
fi

out=bench/results
mkdir -p "$out"
rm -f "$out"/*.md

if [ "$quick" = 1 ]; then
  startup=(--runs 3) polling=(--hours 1) memory=(--polls 2000 --runs 1 --tracemalloc-polls 500)
  cpu=(--duration 30 --warmup 5) mpris=(--changes 20 --local-seconds 15 --runs 2)
  overlay=(--runs 1 --changes 50) lyrics=(--duration 30 --warmup 5)
else
  startup=(--runs 7) polling=() memory=() cpu=(--duration 300) mpris=() overlay=()
  lyrics=(--duration 270)
fi

max_load="${BENCH_MAX_LOAD:-1.2}" max_wait="${BENCH_MAX_WAIT_S:-1200}"
wait_for_quiet() {
  local waited=0
  [ "$max_load" = 0 ] && return 0
  while awk -v max="$max_load" '{ exit !($1 > max) }' /proc/loadavg; do
    if [ "$waited" -ge "$max_wait" ]; then
      echo "load average $(cut -d' ' -f1 /proc/loadavg) after ${waited} s; measuring anyway" >&2
      return 0
    fi
    echo "load average $(cut -d' ' -f1 /proc/loadavg) > $max_load; waiting 30 s" >&2
    sleep 30
    waited=$((waited + 30))
  done
}

run() {
  wait_for_quiet
  (set -x; "$PYTHON" "$@")
}

run bench/startup.py "${startup[@]}" --markdown-out "$out/startup.md"
run bench/polling.py "${polling[@]}" --markdown-out "$out/polling.md"
run bench/polling.py "${polling[@]}" --one-way-delay-ms 50 \
  --heading "Polling schedules with 50 ms network delay each way" \
  --markdown-out "$out/polling-delay.md"
run bench/memory.py "${memory[@]}" --markdown-out "$out/memory.md"
run bench/cpu.py "${cpu[@]}" --markdown-out "$out/cpu.md"
run bench/mpris.py "${mpris[@]}" --markdown-out "$out/mpris.md"
run bench/overlay.py "${overlay[@]}" --markdown-out "$out/overlay.md"
run bench/lyrics.py "${lyrics[@]}" --markdown-out "$out/lyrics.md"

if [ "$docs" = 1 ]; then
  "$PYTHON" bench/update_docs.py "$out"
fi
