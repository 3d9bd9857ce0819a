#!/usr/bin/env bash
# Import and incremental-scoring benchmark on a store.
# 1. `rapport import` of a generated CSV log (3 years) into a fresh store, then `rapport score`,
#    which leaves a score checkpoint.
# 2. 1% more events, dated in the days after the log, imported into the filled store.
# 3. Scoring after that import, from every event (`score --full`) and incrementally from the
#    checkpoint (`score`), each run 3 times from the same copy of the store; medians reported.
# It checks its answers: every line accepted, the store's event count, the incremental run
# really incremental, and its scores equal to the full run's (every number within 1e-9).
# Beside each target it prints what bounds it:
# - SQLite alone: the sqlite3 shell copies the imported rows (events and targets) into an empty
#   database with the store's own tables, then builds the store's indexes on them with the
#   settings of an import (no parsing, no identities): the least any import into this layout
#   takes on this machine.
# - The stages of the incremental run that go over every pair and person (`--timings`: tie
#   strengths to curves, then recording the scores), as a share of the full run.
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

# Wall seconds of a command, from GNU time.
seconds_of() {
  local log=$1
  shift
  /usr/bin/time -f "%e" -o "$log.time" "$@" >"$log.out" 2>"$log.err" || { cat "$log.err" >&2; exit 1; }
  cat "$log.time"
}
# The store as it was saved (database and checkpoint file), written out so that the copy's dirty
# pages do not fall on the next fdatasync of the run being timed.
restore() {
  cp "$1.db" bench.db && cp "$1.db.checkpoint" bench.db.checkpoint && rm -f bench.db-wal bench.db-shm
  sync
}
save() {
  sqlite3 bench.db "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
  cp bench.db "$1.db" && cp bench.db.checkpoint "$1.db.checkpoint"
}
median() { printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p"; }

# Seconds the sqlite3 shell takes to copy the events and targets of store $1 into an empty
# database with the same tables, then to build the same indexes with an import's settings
# (Store::BuildIndexes).
sqlite_alone() {
  local source=$1
  rm -f floor.db floor.db-wal floor.db-shm
  {
    echo "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-262144;"
    sqlite3 "$source" "SELECT sql || ';' FROM sqlite_master WHERE type = 'table' AND name IN ('events', 'event_targets')"
    echo "ATTACH '$source' AS source;"
    echo "INSERT INTO events SELECT * FROM source.events;"
    echo "INSERT INTO event_targets SELECT * FROM source.event_targets;"
    echo "PRAGMA cache_size=-2048; PRAGMA temp_store=FILE; PRAGMA threads=2;"
    sqlite3 "$source" "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('events', 'event_targets')"
  } >floor.sql
  /usr/bin/time -f "%e" -o floor.time sqlite3 floor.db <floor.sql >/dev/null
  [ "$(sqlite3 floor.db "SELECT count(*) FROM events")" -eq "$(sqlite3 "$source" "SELECT count(*) FROM events")" ] ||
    { echo "the SQLite-alone copy lost events" >&2; exit 1; }
  rm -f floor.db floor.db-wal floor.db-shm
  cat floor.time
}
# Seconds of the stages of a `--timings` log that go over every pair and person.
every_pair_seconds() {
  awk -F': ' '/^  (tie strengths|influence graph|propagation|depth and breadth|curves and ranking|recording the scores and formatting them):/ { sum += $2 } END { printf "%.2f\n", sum }' "$1"
}

echo "| events | import into an empty store | events/s | peak RSS MiB | SQLite alone | events/s | then 1% more | events/s | score from every event | score incrementally | ratio | every pair and person, incrementally | share of the full run |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for events in "${sizes[@]}"; do
  extra=$((events / 100))
  # 1% of a 3-year log spans about 11 days: the new events follow the log over that span.
  "$rapport" gen --people $((events / 50)) --events "$events" --seed 21 --out full.csv >/dev/null
  "$rapport" gen --people $((events / 50)) --events "$extra" --seed 22 --start 2018-01-01 \
    --years 0.03 --out more.csv >/dev/null
  rm -f bench.db*
  /usr/bin/time -f "%e %M" -o full.time "$rapport" --db bench.db import full.csv >full.out
  "$rapport" --db bench.db score --top 1 >/dev/null 2>first_score.err
  grep -q "no checkpoint yet" first_score.err || { cat first_score.err >&2; exit 1; }
  /usr/bin/time -f "%e %M" -o more.time "$rapport" --db bench.db import more.csv >more.out
  read -r full_seconds full_kib <full.time
  read -r more_seconds _ <more.time
  stored=$(sqlite3 bench.db "SELECT count(*) FROM events")
  grep -q "accepted $events + rejected 0" full.out || { cat full.out >&2; exit 1; }
  grep -q "accepted $extra + rejected 0" more.out || { cat more.out >&2; exit 1; }
  [ "$stored" -eq $((events + extra)) ] || { echo "store holds $stored events" >&2; exit 1; }
  save appended
  alone_seconds=$(sqlite_alone appended.db)
  full_runs=() incremental_runs=() every_pair_runs=()
  for _ in 1 2 3; do
    restore appended
    full_runs+=("$(seconds_of full_score "$rapport" --db bench.db score --full --format csv --top 0)")
    restore appended
    incremental_runs+=("$(seconds_of incremental_score "$rapport" --db bench.db score --format csv --top 0 --timings)")
    grep -q "scored incrementally" incremental_score.err || { cat incremental_score.err >&2; exit 1; }
    every_pair_runs+=("$(every_pair_seconds incremental_score.err)")
  done
  python3 - full_score.out incremental_score.out <<'PY'
import csv, sys
full, incremental = ({row["id"]: row for row in csv.DictReader(open(path))} for path in sys.argv[1:3])
assert full.keys() == incremental.keys(), "different people scored"
worst = 0.0
for person, row in full.items():
    for field, value in row.items():
        if field == "name":
            assert value == incremental[person][field]
            continue
        worst = max(worst, abs(float(value) - float(incremental[person][field])))
assert worst <= 1e-9, f"incremental scores differ from full scores by {worst}"
PY
  python3 - "$events" "$full_seconds" "$full_kib" "$alone_seconds" "$extra" "$more_seconds" \
    "$(median "${full_runs[@]}")" "$(median "${incremental_runs[@]}")" \
    "$(median "${every_pair_runs[@]}")" <<'PY'
import sys
events, seconds, kib, alone = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
extra, more = int(sys.argv[5]), float(sys.argv[6])
full, incremental, every_pair = float(sys.argv[7]), float(sys.argv[8]), float(sys.argv[9])
print(f"| {events:,} | {seconds:.1f} s | {events / seconds:,.0f} | {kib // 1024} | {alone:.1f} s | {events / alone:,.0f} "
      f"| {more:.2f} s | {extra / more:,.0f} | {full:.2f} s | {incremental:.2f} s | {incremental / full:.1%} "
      f"| {every_pair:.2f} s | {every_pair / full:.1%} |")
PY
done
