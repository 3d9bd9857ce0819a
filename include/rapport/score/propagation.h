// Propagation: a PageRank-style standing over the directed tie graph (DESIGN.md, "Rapport
// score"). Person u passes standing to v in proportion to w(u->v) = s(u, v) * a(u->v), where
// s is the tie strength and a(u->v) = effort(u->v) / sum_x effort(u->x) is v's share of u's
// attention. Because sum_v w(u->v) <= max s <= 1, weak ties pass little: the rest of u's standing
// leaks and is spread evenly, like the damping term:
//
//   r'(v) = (1 - d) / N + d * ( sum_u r(u) w(u->v) + L / N ),  L = sum_u r(u) (1 - sum_x w(u->x))
//
// so that sum r = 1 at every iteration (Page et al. 1999, with weighted, sub-stochastic rows).
// The kernel pulls over in-edges (CSR by target), so no atomics are needed (as in GAP's pr.cc,
// Beamer et al. 2015). PropagateSerial is the push-based serial verifier.
//
// Thread-safety: pure functions; Propagate runs OpenMP loops over people.
#pragma once

#include <cstdint>
#include <vector>

#include "rapport/core/event_log.h"

namespace rapport::score {

// In-edges by target: the sources of v are source[offset[v] .. offset[v+1]) with weights weight[].
struct WeightedInGraph {
  std::vector<uint64_t> offset;
  std::vector<PersonIndex> source;
  std::vector<double> weight;
  std::vector<double> out_weight;  // sum_x w(u->x) per source u

  size_t person_count() const { return offset.empty() ? 0 : offset.size() - 1; }
};

struct PropagationResult {
  std::vector<double> standing;  // sums to 1
  int iterations = 0;
  double last_change = 0;  // L1 change of the last iteration
};

PropagationResult Propagate(const WeightedInGraph& graph, double damping, int max_iterations,
                            double tolerance);

// Locality for the pull kernel: people relabelled by out-degree, highest first (stable), so that
// the standing of the people read most often shares a small, cache-resident part of the array
// (degree sorting; Faldu et al., "A Closer Look at Lightweight Graph Reordering", IISWC 2019).
// `old_of[new]` is a person's old label. In-edge lists keep their order, with relabelled sources.
struct RelabelledGraph {
  WeightedInGraph graph;
  std::vector<PersonIndex> old_of;
};
// The order: old labels by out-degree, highest first, equal degrees in label order.
std::vector<PersonIndex> OutDegreeOrder(const std::vector<uint64_t>& out_degree);
// `graph` relabelled in that order (a copy; the scorer builds its graph in this order directly).
RelabelledGraph RelabelByOutDegree(const WeightedInGraph& graph);
// Propagate on the relabelled graph, the standing given back in the original labels. Equal to
// Propagate's up to the order of floating-point sums.
PropagationResult PropagateRelabelled(const RelabelledGraph& relabelled, double damping,
                                      int max_iterations, double tolerance);
PropagationResult PropagateSerial(const WeightedInGraph& graph, double damping, int max_iterations,
                                  double tolerance);

}  // namespace rapport::score
