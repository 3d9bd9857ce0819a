#!/usr/bin/env bash
# The distributed path at scale: `rapport-mpi score` on one generated log with 1, 2 and 4 ranks
# of this machine, printing per phase the slowest rank's seconds and the bytes all ranks sent,
# then each rank's peak memory and the propagation traffic per iteration against the boundary
# minimum, as markdown tables. First it checks the answers: 4 ranks against the single process
# on 10^6 events (every count equal, every number within 1e-9); a mismatch fails the run.
#
#   bench/mpi_scale.sh [BUILD_DIR] [EVENTS] [RANKS...]   default: build 100000000 1 2 4
# People = events / 10. The log is written as 4 files cut by time (`gen --split 4`), so ranks
# read whole files. Threads per rank: the cores divided by the ranks, at least 1 (4 ranks on 2
# cores run oversubscribed). Files go to $BENCH_DIR (default: a temporary folder, removed after).
set -euo pipefail

build=${1:-build}
events=${2:-100000000}
shift 2 || shift $#
rank_counts=("$@")
[ ${#rank_counts[@]} -eq 0 ] && rank_counts=(1 2 4)
rapport=$build/rapport
rapport_mpi=$build/rapport-mpi
[ -x "$rapport_mpi" ] || { echo "no $rapport_mpi: install OpenMPI (scripts/install-deps.sh) and rebuild" >&2; exit 1; }
work=${BENCH_DIR:-$(mktemp -d)}
[ -z "${BENCH_DIR:-}" ] && trap 'rm -rf "$work"' EXIT
mkdir -p "$work"
mpirun_flags=(--oversubscribe)
[ "$(id -u)" -eq 0 ] && mpirun_flags+=(--allow-run-as-root)

compare() {  # compare SINGLE_DIR DISTRIBUTED_DIR
  python3 - "$1" "$2" <<'PY'
import csv, glob, sys
def rows(d, kind, key):
    out = {}
    for f in glob.glob(f"{d}/{kind}-*.csv"):
        for r in csv.DictReader(open(f)):
            out[key(r)] = r
    return out
worst = 0.0
counts = {}
for kind, key in (("people", lambda r: r["id"]), ("ties", lambda r: (r["u"], r["v"]))):
    a, b = rows(sys.argv[1], kind, key), rows(sys.argv[2], kind, key)
    counts[kind] = len(a)
    if a.keys() != b.keys():
        sys.exit(f"check failed: {kind} differ ({len(a)} against {len(b)} rows)")
    for k, r in a.items():
        for col, value in r.items():
            other = b[k][col]
            if col in ("name", "ties", "strong_ties", "count_uv", "count_vu", "id", "u", "v"):
                if value != other:
                    sys.exit(f"check failed: {kind} {k} {col}: {value} against {other}")
            else:
                worst = max(worst, abs(float(value) - float(other)))
if worst > 1e-9:
    sys.exit(f"check failed: largest difference {worst:.1e}")
print(f"check passed: {counts['people']} people and {counts['ties']} pairs, largest difference "
      f"{worst:.1e}", file=sys.stderr)
PY
}

echo "check: 4 ranks against the single process on 1,000,000 events among 100,000 people" >&2
"$rapport" gen --people 100000 --events 1000000 --seed 5 --split 4 --out "$work/check.bin" >/dev/null
check_inputs=("$work"/check-{0,1,2,3}.bin)
"$rapport" score --input "${check_inputs[@]}" --out "$work/check-single" >/dev/null 2>&1
OMP_NUM_THREADS=1 mpirun "${mpirun_flags[@]}" -np 4 "$rapport_mpi" score \
  --input "${check_inputs[@]}" --out "$work/check-mpi" 2>/dev/null
compare "$work/check-single" "$work/check-mpi"

people=$((events / 10))
echo "generating $events events among $people people" >&2
"$rapport" gen --people "$people" --events "$events" --seed 1 --split 4 --out "$work/log.bin" >&2
inputs=("$work"/log-{0,1,2,3}.bin)
for ranks in "${rank_counts[@]}"; do
  threads=$(($(nproc) / ranks))
  [ "$threads" -lt 1 ] && threads=1
  echo "scoring with $ranks rank(s), $threads thread(s) each" >&2
  start=$(date +%s.%N)
  OMP_NUM_THREADS=$threads mpirun "${mpirun_flags[@]}" -np "$ranks" "$rapport_mpi" score \
    --input "${inputs[@]}" --out "$work/out$ranks" 2>"$work/run$ranks.err"
  end=$(date +%s.%N)
  python3 - "$work/out$ranks/summary.json" "$ranks" "$(echo "$end - $start" | bc)" "$events" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
ranks, wall, events = int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
print(f"\n### {ranks} rank(s): {wall:.1f} s wall, {events / wall / 1e6:.2f} M events/s, "
      f"{s['people']:,} people, {s['pairs']:,} pairs, {s['propagation_iterations']} iterations\n")
print("| phase | " + " | ".join(f"rank {r} s" for r in range(ranks)) + " | sent by all ranks | bytes per event |")
print("|---|" + "---|" * ranks + "---|---|")
for p in s["phases"]:
    cells = " | ".join(f"{x:.1f}" for x in p["seconds_by_rank"])
    sent = p["bytes_sent"]
    print(f"| {p['name']} | {cells} | {sent / 2**20:,.1f} MiB | {sent / events:.1f} |")
rss = ", ".join(f"{x / 1024:.2f}" for x in s["peak_rss_mib_by_rank"])
print(f"\nPeak memory by rank (GiB): {rss}; total {sum(s['peak_rss_mib_by_rank']) / 1024:.2f} GiB.")
prop = next(p for p in s["phases"] if p["name"] == "propagation")
iterations = max(1, s["propagation_iterations"])
minimum = s["boundary_standings"] * 8
per_iteration = prop["bytes_sent"] / iterations
ratio = per_iteration / minimum if minimum else float("nan")
print(f"Propagation: {per_iteration / 2**20:,.1f} MiB sent per iteration; the boundary minimum "
      f"is {minimum / 2**20:,.1f} MiB ({s['boundary_standings']:,} standings of 8 bytes); "
      f"ratio {ratio:.2f}; {per_iteration / max(1, s['edges']):.2f} bytes per edge per "
      f"iteration over {s['edges']:,} directed edges.")
PY
done
