#!/usr/bin/env bash
# `make bench`: every benchmark in one run, then their results written into docs/BENCHMARKS.md
# (bench/record.py) with the machine, the commands and the date. The steps, in order:
#   kernels    the kernels and the machine's two bounds (memory bandwidth, random gathers)
#   end_to_end the batch path from a binary log to every score, at each of BENCH_SIZES events
#   peers      propagation beside igraph and GraphBLAS on a Kronecker graph of PEERS_SCALE
#              (when bench/peers_bench was built: scripts/install-bench-deps.sh)
#   import     the store: import from CSV, then incremental scoring, at IMPORT_SIZES events
#   serve      the web service under load
#   mpi        rapport-mpi with 1, 2 and 4 ranks at MPI_EVENTS (when rapport-mpi was built)
# Each step prints its tables as it goes; a step that fails its own checks stops the run, and
# then nothing is written. A step that cannot run here (a missing peer, no MPI) is recorded as
# skipped, with the reason.
#
#   bench/all.sh [BUILD_DIR]     BENCH_SIZES="1000000 10000000" IMPORT_SIZES=1000000
#                                PEERS_SCALE=22 MPI_EVENTS=10000000 BENCH_DOC=docs/BENCHMARKS.md
#                                KERNELS=. (a regular expression: the kernel benchmarks to run)
# bench/serve_load.sh reads its own settings (EVENTS, CONNECTIONS, DURATION) from the
# environment too.
set -euo pipefail
build=${1:-build}
read -r -a sizes <<<"${BENCH_SIZES:-1000000 10000000}"
read -r -a import_sizes <<<"${IMPORT_SIZES:-1000000}"
peers_scale=${PEERS_SCALE:-22}
mpi_events=${MPI_EVENTS:-10000000}
doc=${BENCH_DOC:-docs/BENCHMARKS.md}
results=$build/bench-results
rm -rf "$results"
mkdir -p "$results"
date -u +%Y-%m-%dT%H:%M:%SZ >"$results/started"
# The commit measured, taken before the steps run: the tree may change while they do. Its short
# hash, then "dirty" when tracked files differ from it (nothing when not in a git checkout).
if git rev-parse --short HEAD >"$results/commit" 2>/dev/null; then
  [ -z "$(git status --porcelain --untracked-files=no)" ] || echo dirty >>"$results/commit"
else
  rm -f "$results/commit"
fi

# step NAME COMMAND...: runs COMMAND, its output to the terminal and to $results/NAME.md, and
# records the command and its wall seconds in $results/steps.tsv.
step() {
  local name=$1
  shift
  echo "== $name: $*" >&2
  local begin=$SECONDS
  "$@" | tee "$results/$name.md"
  printf '%s\t%s\t%s\t\n' "$name" "$*" "$((SECONDS - begin))" >>"$results/steps.tsv"
}
skip() {  # skip NAME COMMAND REASON
  echo "== $1: skipped, $3" >&2
  printf '%s\t%s\t0\t%s\n' "$1" "$2" "$3" >>"$results/steps.tsv"
}

step kernels "$build/bench/kernels_bench" --benchmark_min_time=1 --benchmark_filter="${KERNELS:-.}" \
  --benchmark_out="$results/kernels.json" --benchmark_out_format=json
step end_to_end bash bench/end_to_end.sh "$build" "${sizes[@]}"
peers_command="$build/bench/peers_bench --scale=$peers_scale --repeats=1"
if [ -x "$build/bench/peers_bench" ]; then
  # shellcheck disable=SC2086  # the command's words
  step peers $peers_command
else
  skip peers "$peers_command" "bench/peers_bench was not built: it needs libigraph-dev and libgraphblas-dev (bash scripts/install-bench-deps.sh, then make build)"
fi
step import bash bench/import.sh "$build" "${import_sizes[@]}"
step serve bash bench/serve_load.sh "$build"
mpi_command="bash bench/mpi_scale.sh $build $mpi_events 1 2 4"
if [ -x "$build/rapport-mpi" ]; then
  # shellcheck disable=SC2086
  step mpi $mpi_command
else
  skip mpi "$mpi_command" "$build/rapport-mpi was not built: it needs OpenMPI (scripts/install-deps.sh)"
fi
date -u +%Y-%m-%dT%H:%M:%SZ >"$results/finished"
python3 bench/record.py "$build" "$doc"
