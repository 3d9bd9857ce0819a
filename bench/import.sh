#!/usr/bin/env bash
# Import benchmark: `rapport import` of generated CSV logs into a fresh store, then of 1% more
# events into the filled store, reporting events/s and peak RSS (GNU time). It checks its answers:
# every line accepted and the store's event count equal to the lines imported.
#
#   bench/import.sh [BUILD_DIR] [EVENTS...]      default: build 1000000
# People = events / 50. Files go to $BENCH_DIR (default: a temporary folder, removed after).
set -euo pipefail

build=${1:-build}
shift || true
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000000)
rapport=$(realpath "$build/rapport")
work=${BENCH_DIR:-$(mktemp -d)}
[ -z "${BENCH_DIR:-}" ] && trap 'rm -rf "$work"' EXIT
mkdir -p "$work"
cd "$work"

echo "| events | import into an empty store | events/s | peak RSS MiB | then 1% more | events/s |"
echo "|---:|---:|---:|---:|---:|---:|"
for events in "${sizes[@]}"; do
  extra=$((events / 100))
  "$rapport" gen --people $((events / 50)) --events "$events" --seed 21 --out full.csv >/dev/null
  "$rapport" gen --people $((events / 50)) --events "$extra" --seed 22 --out more.csv >/dev/null
  rm -f bench.db*
  /usr/bin/time -f "%e %M" -o full.time "$rapport" --db bench.db import full.csv >full.out
  /usr/bin/time -f "%e %M" -o more.time "$rapport" --db bench.db import more.csv >more.out
  read -r full_seconds full_kib <full.time
  read -r more_seconds _ <more.time
  stored=$(sqlite3 bench.db "SELECT count(*) FROM events")
  grep -q "accepted $events + rejected 0" full.out || { cat full.out >&2; exit 1; }
  grep -q "accepted $extra + rejected 0" more.out || { cat more.out >&2; exit 1; }
  [ "$stored" -eq $((events + extra)) ] || { echo "store holds $stored events" >&2; exit 1; }
  python3 - "$events" "$full_seconds" "$full_kib" "$extra" "$more_seconds" <<'PY'
import sys
events, seconds, kib, extra, more = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
print(f"| {events:,} | {seconds:.1f} s | {events / seconds:,.0f} | {kib // 1024} | {more:.2f} s | {extra / more:,.0f} |")
PY
done
