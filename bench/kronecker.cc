#include "kronecker.h"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <numeric>

namespace rapport::bench {
namespace {

// Edges per independently seeded block: large enough to amortise seeding, small enough to balance.
constexpr uint64_t kBlockEdges = uint64_t{1} << 20;

// R-MAT quadrant thresholds on a uniform 32-bit draw: A, A + B, A + B + C of 2^32.
constexpr double kTwoTo32 = 4294967296.0;
constexpr uint32_t kThresholdA = static_cast<uint32_t>(0.57 * kTwoTo32);
constexpr uint32_t kThresholdAB = static_cast<uint32_t>(0.76 * kTwoTo32);
constexpr uint32_t kThresholdABC = static_cast<uint32_t>(0.95 * kTwoTo32);

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// xoshiro256** (Blackman and Vigna 2018): fast, and good enough for graph generation.
class Xoshiro256 {
 public:
  explicit Xoshiro256(uint64_t seed) {
    for (uint64_t& word : state_) word = SplitMix64(seed);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, bound), by Lemire's multiply-shift (bias below 2^-32 for bound < 2^32).
  uint64_t Below(uint64_t bound) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * bound) >> 64);
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t state_[4];
};

// A random permutation of 0 .. n-1 (Fisher-Yates).
std::vector<uint32_t> RandomPermutation(uint32_t n, uint64_t seed) {
  std::vector<uint32_t> permutation(n);
  std::iota(permutation.begin(), permutation.end(), 0u);
  Xoshiro256 rng(seed);
  for (uint32_t i = n; i > 1; --i) {
    std::swap(permutation[i - 1], permutation[rng.Below(i)]);
  }
  return permutation;
}

}  // namespace

std::vector<Edge> GenerateKroneckerEdges(const KroneckerOptions& options) {
  assert(options.scale >= 1 && options.scale <= 30 && options.edge_factor >= 1);
  const uint32_t vertex_count = uint32_t{1} << options.scale;
  const uint64_t edge_count = uint64_t{vertex_count} * static_cast<uint64_t>(options.edge_factor);
  std::vector<Edge> edges(edge_count);
  const int64_t block_count = static_cast<int64_t>((edge_count + kBlockEdges - 1) / kBlockEdges);
#pragma omp parallel for schedule(dynamic, 1)
  for (int64_t block = 0; block < block_count; ++block) {
    uint64_t block_seed = options.seed ^ (static_cast<uint64_t>(block) * 0xd1b54a32d192ed03ULL);
    Xoshiro256 rng(SplitMix64(block_seed));
    const uint64_t begin = static_cast<uint64_t>(block) * kBlockEdges;
    const uint64_t end = std::min(edge_count, begin + kBlockEdges);
    for (uint64_t e = begin; e < end; ++e) {
      uint32_t u = 0;
      uint32_t v = 0;
      uint64_t bits = 0;
      int draws_left = 0;
      // One quadrant per level; each 64-bit output gives two 32-bit draws.
      for (int depth = 0; depth < options.scale; ++depth) {
        if (draws_left == 0) {
          bits = rng.Next();
          draws_left = 2;
        }
        const uint32_t draw = static_cast<uint32_t>(bits);
        bits >>= 32;
        --draws_left;
        u <<= 1;
        v <<= 1;
        if (draw >= kThresholdAB) {
          u |= 1;
          if (draw >= kThresholdABC) v |= 1;
        } else if (draw >= kThresholdA) {
          v |= 1;
        }
      }
      edges[e] = Edge{u, v};
    }
  }
  const std::vector<uint32_t> permutation = RandomPermutation(vertex_count, ~options.seed);
#pragma omp parallel for schedule(static)
  for (int64_t e = 0; e < static_cast<int64_t>(edge_count); ++e) {
    edges[e] = Edge{permutation[edges[e].u], permutation[edges[e].v]};
  }
  return edges;
}

SymmetricCsr BuildSymmetricCsr(std::vector<Edge>&& edges, uint32_t vertex_count) {
  const int64_t edge_count = static_cast<int64_t>(edges.size());
  SymmetricCsr csr;
  csr.offset.assign(size_t{vertex_count} + 1, 0);
  // Degrees with both directions, shifted by one so that the prefix sum gives the offsets.
#pragma omp parallel for schedule(static)
  for (int64_t e = 0; e < edge_count; ++e) {
    const Edge edge = edges[e];
    if (edge.u == edge.v) continue;
    std::atomic_ref<uint64_t>(csr.offset[size_t{edge.u} + 1])
        .fetch_add(1, std::memory_order_relaxed);
    std::atomic_ref<uint64_t>(csr.offset[size_t{edge.v} + 1])
        .fetch_add(1, std::memory_order_relaxed);
  }
  std::partial_sum(csr.offset.begin(), csr.offset.end(), csr.offset.begin());

  // Scatter both directions; the order inside a row depends on the threads, but sorting below
  // makes the result deterministic.
  std::vector<uint64_t> cursor(csr.offset.begin(), csr.offset.end() - 1);
  csr.neighbor.resize(csr.offset.back());
#pragma omp parallel for schedule(static)
  for (int64_t e = 0; e < edge_count; ++e) {
    const Edge edge = edges[e];
    if (edge.u == edge.v) continue;
    const uint64_t at_u =
        std::atomic_ref<uint64_t>(cursor[edge.u]).fetch_add(1, std::memory_order_relaxed);
    const uint64_t at_v =
        std::atomic_ref<uint64_t>(cursor[edge.v]).fetch_add(1, std::memory_order_relaxed);
    csr.neighbor[at_u] = edge.v;
    csr.neighbor[at_v] = edge.u;
  }
  std::vector<Edge>().swap(edges);

  // Sort each row and drop duplicates; cursor[v] becomes the deduplicated degree.
#pragma omp parallel for schedule(dynamic, 1024)
  for (int64_t v = 0; v < static_cast<int64_t>(vertex_count); ++v) {
    uint32_t* begin = csr.neighbor.data() + csr.offset[v];
    uint32_t* end = csr.neighbor.data() + csr.offset[v + 1];
    std::sort(begin, end);
    cursor[v] = static_cast<uint64_t>(std::unique(begin, end) - begin);
  }
  // Compact the rows leftwards in place (a row never moves right, so a forward copy is safe).
  uint64_t write = 0;
  for (uint32_t v = 0; v < vertex_count; ++v) {
    const uint64_t begin = csr.offset[v];
    if (write != begin) {
      std::copy(csr.neighbor.begin() + static_cast<int64_t>(begin),
                csr.neighbor.begin() + static_cast<int64_t>(begin + cursor[v]),
                csr.neighbor.begin() + static_cast<int64_t>(write));
    }
    csr.offset[v] = write;
    write += cursor[v];
  }
  csr.offset[vertex_count] = write;
  csr.neighbor.resize(write);  // keeps the capacity: shrinking would copy the whole array
  return csr;
}

SymmetricCsr MakeKroneckerGraph(const KroneckerOptions& options) {
  return BuildSymmetricCsr(GenerateKroneckerEdges(options), uint32_t{1} << options.scale);
}

score::WeightedInGraph PageRankInGraph(SymmetricCsr& csr) {
  const int64_t n = static_cast<int64_t>(csr.vertex_count());
  score::WeightedInGraph graph;
  graph.offset = csr.offset;
  graph.source = std::move(csr.neighbor);
  graph.out_weight.resize(static_cast<size_t>(n));
  std::vector<double> inverse_degree(static_cast<size_t>(n));
#pragma omp parallel for schedule(static)
  for (int64_t u = 0; u < n; ++u) {
    const uint64_t degree = csr.degree(static_cast<size_t>(u));
    inverse_degree[u] = degree == 0 ? 0.0 : 1.0 / static_cast<double>(degree);
    graph.out_weight[u] = degree == 0 ? 0.0 : 1.0;
  }
  const int64_t m = static_cast<int64_t>(graph.source.size());
  graph.weight.resize(static_cast<size_t>(m));
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < m; ++i) graph.weight[i] = inverse_degree[graph.source[i]];
  return graph;
}

void ReturnSources(score::WeightedInGraph& graph, SymmetricCsr& csr) {
  csr.neighbor = std::move(graph.source);
}

}  // namespace rapport::bench
