#!/usr/bin/env bash
# Installs, with apt, the peer libraries that bench/peers_bench.cc compares Rapport's propagation
# kernel against: igraph (PageRank) and SuiteSparse:GraphBLAS, with everything install-deps.sh
# installs. Not needed to build or test Rapport: without them the peers_bench target is simply
# not configured.
set -euo pipefail
exec bash "$(dirname "$0")/install-deps.sh" libigraph-dev libgraphblas-dev
