#!/usr/bin/env bash
# Load test of `rapport serve` on loopback: a store of EVENTS generated events (CSV through the
# normal importer), then wrk against GET /api/people/{id} (a random person of the top 1,000 per
# request) for DURATION with CONNECTIONS connections, twice: alone, and while POST /api/import
# uploads 1% more events. After the second run the store must hold exactly the events before
# plus the ones the import accepted, and the import must have accepted every line; otherwise the
# script fails. Prints wrk's throughput and latency percentiles as a markdown table.
#
#   bench/serve_load.sh [BUILD_DIR]     EVENTS=1000000 CONNECTIONS=50 DURATION=30s PORT=18181
# Files go to $BENCH_DIR (default: a temporary folder, removed after).
set -euo pipefail

build=${1:-build}
rapport=$(realpath "$build/rapport")
events=${EVENTS:-1000000}
connections=${CONNECTIONS:-50}
duration=${DURATION:-30s}
port=${PORT:-18181}
token=load-test-token
work=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [ -z "${BENCH_DIR:-}" ] && rm -rf "$work"
  return 0
}
trap cleanup EXIT
cd "$work"

people=$((events / 50))
extra=$((events / 100))
echo "generating $events events among $people people, and $extra more" >&2
"$rapport" gen --people "$people" --events "$events" --seed 11 --out events.csv >/dev/null
"$rapport" gen --people "$people" --events "$extra" --seed 12 --out more.csv >/dev/null
rm -f load.db*
start=$(date +%s.%N)
"$rapport" --db load.db import events.csv >import.out 2>&1
import_seconds=$(python3 -c "print(round($(date +%s.%N) - $start, 1))")
stored=$(sqlite3 load.db "SELECT count(*) FROM events")
echo "imported $stored events in ${import_seconds} s" >&2

"$rapport" --db load.db serve --listen "127.0.0.1:$port" --token "$token" >serve.out 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break
  sleep 0.5
done
curl -sf "http://127.0.0.1:$port/api/health" >/dev/null || { cat serve.out >&2; exit 1; }

# The ids of the top 1,000 people; each request asks for one of them at random.
curl -sf "http://127.0.0.1:$port/api/people?limit=1000" |
  python3 -c 'import json,sys; print(",".join(str(p["id"]) for p in json.load(sys.stdin)["people"]))' >ids.txt
cat >person.lua <<EOF
local ids = {$(cat ids.txt)}
math.randomseed(7)
request = function()
  return wrk.format("GET", "/api/people/" .. ids[math.random(#ids)])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %.0f %.2f %.2f %.2f %.2f %d %d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
EOF

run_wrk() {
  wrk -t2 -c"$connections" -d"$duration" --latency -s person.lua "http://127.0.0.1:$port" >"$1" 2>&1
  grep '^RESULT' "$1"
}

echo "wrk alone: $connections connections, $duration" >&2
alone=$(run_wrk wrk-alone.out)

before=$(curl -sf "http://127.0.0.1:$port/api/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"])')
echo "wrk while importing $extra events" >&2
curl -sf -X POST -H "Authorization: Bearer $token" -H "Content-Type: text/csv" --data-binary @more.csv \
  -o import-response.json -w '%{time_total}' "http://127.0.0.1:$port/api/import?name=more.csv" \
  >import-seconds.txt &
import_pid=$!
sleep 1
during=$(run_wrk wrk-import.out)
wait "$import_pid"
after=$(curl -sf "http://127.0.0.1:$port/api/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"])')
stored_after=$(sqlite3 load.db "SELECT count(*) FROM events")
python3 - "$before" "$after" "$stored_after" "$extra" import-response.json <<'PY'
import json, sys
before, after, stored, extra = map(int, sys.argv[1:5])
report = json.load(open(sys.argv[5]))["import"]
assert report["read"] == extra and report["accepted"] == extra, report
assert report["rejected"] == 0, report
assert after == before + report["accepted"] == stored, (before, after, stored, report)
print(f"import during load: {report['accepted']} events accepted; the store went from {before} "
      f"to {stored} events and the scores from {before} to {after}: nothing lost", file=sys.stderr)
PY

echo
echo "| run | requests | requests/s | p50 ms | p90 ms | p99 ms | max ms | socket errors | non-2xx |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for row in "alone:$alone" "during a $extra-event import:$during"; do
  name=${row%%:*}
  read -r _ requests _ rate p50 p90 p99 max errors status <<<"${row#*:}"
  echo "| $name | $requests | $rate | $p50 | $p90 | $p99 | $max | $errors | $status |"
  if [ "$errors" != 0 ] || [ "$status" != 0 ]; then echo "errors under load" >&2; exit 1; fi
done
echo
echo "store: $stored events among $people people imported from CSV in $import_seconds s; the upload"
echo "of $extra events during the second run (import and rescoring) took $(cat import-seconds.txt) s"
