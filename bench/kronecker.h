// Kronecker (R-MAT) graph generator for the peer benchmark (bench/peers_bench.cc), following the
// GAP Benchmark Suite (Beamer et al. 2015, src/generator.h) and Graph500: each edge picks one
// quadrant of the adjacency matrix per level of recursion with probabilities A = 0.57,
// B = C = 0.19, D = 0.05 (Chakrabarti et al. 2004), 2^scale vertices, edge_factor * 2^scale
// undirected edges, vertex ids then relabelled by a random permutation (as Graph500 does so that
// high degree does not cluster at low ids). The CSR builder symmetrises the edges and drops
// self-loops and duplicates, as GAP's builder does for `-g` graphs.
//
// Deterministic: the same options give the same graph whatever the thread count (each block of
// edges has its own seeded generator).
//
// Thread-safety: pure functions; they run OpenMP loops.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "rapport/score/propagation.h"

namespace rapport::bench {

struct KroneckerOptions {
  int scale = 20;        // 2^scale vertices; 1 <= scale <= 30 (ids are 32-bit)
  int edge_factor = 16;  // undirected edges generated per vertex
  uint64_t seed = 27491095;
};

struct Edge {
  uint32_t u;
  uint32_t v;
};

// Symmetric graph in CSR: the neighbours of v are neighbor[offset[v] .. offset[v+1]), sorted,
// without self-loops or duplicates. Being symmetric, it is both the in-edge and the out-edge CSR.
struct SymmetricCsr {
  std::vector<uint64_t> offset;
  std::vector<uint32_t> neighbor;

  size_t vertex_count() const { return offset.empty() ? 0 : offset.size() - 1; }
  uint64_t directed_edge_count() const { return offset.empty() ? 0 : offset.back(); }
  uint64_t degree(size_t v) const { return offset[v + 1] - offset[v]; }
};

// The permuted Kronecker edge list (may hold self-loops and duplicates).
// REQUIRES: 1 <= options.scale <= 30, options.edge_factor >= 1.
std::vector<Edge> GenerateKroneckerEdges(const KroneckerOptions& options);

// Symmetrises `edges` over `vertex_count` vertices, dropping self-loops and duplicates. Consumes
// the edge list to keep peak memory at about one edge list plus one CSR.
// REQUIRES: every id in edges < vertex_count.
SymmetricCsr BuildSymmetricCsr(std::vector<Edge>&& edges, uint32_t vertex_count);

// GenerateKroneckerEdges then BuildSymmetricCsr.
SymmetricCsr MakeKroneckerGraph(const KroneckerOptions& options);

// The graph as Rapport's propagation takes it for plain PageRank: w(u->v) = 1 / outdeg(u),
// out_weight(u) = 1 (0 for isolated vertices, whose standing then leaks and is spread evenly).
// Takes the CSR's neighbour array as the sources (ReturnSources gives it back).
score::WeightedInGraph PageRankInGraph(SymmetricCsr& csr);
void ReturnSources(score::WeightedInGraph& graph, SymmetricCsr& csr);

}  // namespace rapport::bench
