#!/usr/bin/env bash
# End-to-end batch benchmark: generates logs with `rapport gen` (binary format) and scores them
# with `rapport score --input`, printing for each size, as a markdown table, events/s, the pairs
# scored (the edges of the relationship graph) a second, and peak RSS.
# First it checks the answers: the same log scored with 1 thread (the serial paths) and with
# every thread must give the same scores (every number within 1e-6); a mismatch fails the run.
#
#   bench/end_to_end.sh [BUILD_DIR] [EVENTS...]      default: build 1000000 10000000
# People = events / 100. Files go to $BENCH_DIR (default: a temporary folder, removed after).
set -euo pipefail

build=${1:-build}
shift || true
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000000 10000000)
rapport=$build/rapport
work=${BENCH_DIR:-$(mktemp -d)}
[ -z "${BENCH_DIR:-}" ] && trap 'rm -rf "$work"' EXIT
mkdir -p "$work"

# Peak RSS (MiB) and wall seconds of a command, from GNU time.
measure() {
  local log=$1
  shift
  /usr/bin/time -f "%e %M" -o "$log.time" "$@" >"$log.out" 2>"$log.err"
  read -r seconds kib <"$log.time"
  echo "$seconds $((kib / 1024))"
}

echo "check: 1 thread against $(nproc) threads on 1,200,000 events among 60,000 people" >&2
"$rapport" gen --people 60000 --events 1200000 --seed 3 --out "$work/check.bin" >/dev/null
OMP_NUM_THREADS=1 "$rapport" score --input "$work/check.bin" --format csv >"$work/one.csv" 2>/dev/null
OMP_NUM_THREADS=$(nproc) "$rapport" score --input "$work/check.bin" --format csv >"$work/all.csv" 2>/dev/null
python3 - "$work/one.csv" "$work/all.csv" <<'PY'
import csv, sys
a = list(csv.reader(open(sys.argv[1]))); b = list(csv.reader(open(sys.argv[2])))
assert len(a) == len(b) and len(a) > 1000, (len(a), len(b))
worst = 0.0
for x, y in zip(a[1:], b[1:]):
    assert x[:2] == y[:2], (x[:2], y[:2])
    for u, v in zip(x[2:], y[2:]):
        worst = max(worst, abs(float(u) - float(v)))
assert worst <= 1e-6, worst
print(f"check passed: {len(a) - 1} people, largest difference {worst:.1e}", file=sys.stderr)
PY

echo "| events | people | gen s | gen M events/s | score s | score M events/s | pairs | score M pairs/s | peak RSS MiB |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for events in "${sizes[@]}"; do
  people=$((events / 100))
  read -r gen_s _ < <(measure "$work/gen" "$rapport" gen --people "$people" \
    --events "$events" --seed 1 --out "$work/log.bin")
  read -r score_s score_mib < <(measure "$work/score" "$rapport" score --input "$work/log.bin" --top 1)
  # "scored N people and P pairs in S s" on stderr.
  pairs=$(sed -n 's/^scored [0-9]* people and \([0-9]*\) pairs in .*/\1/p' "$work/score.err")
  [ -n "$pairs" ] || { cat "$work/score.err" >&2; exit 1; }
  python3 -c "
e, p, g, s, m, pairs = $events, $people, $gen_s, $score_s, $score_mib, $pairs
print(f'| {e:,} | {p:,} | {g:.1f} | {e / g / 1e6:.2f} | {s:.1f} | {e / s / 1e6:.2f} | {pairs:,} | {pairs / s / 1e6:.2f} | {m:,} |')"
  rm -f "$work/log.bin"
done
