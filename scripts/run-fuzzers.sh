#!/usr/bin/env bash
# Runs every libFuzzer target for a while on a scratch copy of its seed corpus.
#
#   scripts/run-fuzzers.sh BUILD_DIR SECONDS
#
# BUILD_DIR holds the fuzz_* binaries (cmake --preset fuzz && cmake --build --preset fuzz).
# Fails if a target is missing or any run finds a crash, leak or timeout; the crashing input is
# left in BUILD_DIR/fuzz-artifacts/<target>/.
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 BUILD_DIR SECONDS" >&2
  exit 2
fi
build_dir=$1
seconds=$2
root=$(cd "$(dirname "$0")/.." && pwd)
corpus_root=$root/fuzz/corpus
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

failed=()
for seeds in "$corpus_root"/*/; do
  target=$(basename "$seeds")
  binary=$build_dir/$target
  if [[ ! -x $binary ]]; then
    echo "missing $binary; build the fuzz preset first" >&2
    failed+=("$target (not built)")
    continue
  fi
  corpus=$scratch/$target
  artifacts=$build_dir/fuzz-artifacts/$target/
  mkdir -p "$corpus" "$artifacts"
  cp -r "$seeds". "$corpus"/
  echo "== $target: ${seconds}s"
  if "$binary" "$corpus" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts" \
      >"$scratch/$target.log" 2>&1; then
    grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$scratch/$target.log" || true
  else
    tail -n 40 "$scratch/$target.log" >&2
    failed+=("$target")
  fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzzing failed: ${failed[*]}" >&2
  exit 1
fi
echo "all fuzz targets ran ${seconds}s without a crash"
