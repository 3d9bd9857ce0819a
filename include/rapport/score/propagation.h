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
// Cache blocking for the pull kernel (CSR segmenting; Zhang et al., "Making Caches Work for
// Graph Analytics", IEEE BigData 2017): the sources are cut into segments of `segment_people`
// consecutive labels, and the in-edges regrouped segment by segment. A pass over one segment
// gathers only from its slice of the standing, which stays in cache, and adds each target's
// partial sum to next[] in label order. Built from an in-graph, best a degree-ordered one;
// every segment lists only the targets that have an in-edge from it.
struct SegmentedInGraph {
  struct Segment {
    std::vector<PersonIndex> target;  // increasing
    std::vector<uint64_t> end;        // target[j]'s edges end at end[j] (begin: end[j - 1] or 0)
    std::vector<PersonIndex> source;  // within the segment
    std::vector<double> weight;
  };
  std::vector<Segment> segments;
  std::vector<double> out_weight;  // sum_x w(u->x) per source u

  size_t person_count() const { return out_weight.size(); }
};
// 256 Ki people: 2 MiB of standing a segment. Of 128, 256 and 512 Ki on the Kronecker scale-24
// graph, interleaved, 256 Ki was fastest (docs/BENCHMARKS.md); 1 Mi (8 MiB, a quarter of this
// machine's 32 MiB L3) was already three times slower than 128 Ki at scale 22.
inline constexpr size_t kSegmentPeople = size_t{1} << 18;
SegmentedInGraph SegmentBySource(const WeightedInGraph& graph,
                                 size_t segment_people = kSegmentPeople);
// Propagate on the segmented graph: the same iteration, the sums in another order.
PropagationResult PropagateSegmented(const SegmentedInGraph& graph, double damping,
                                     int max_iterations, double tolerance);
// Segments pay when their entries are few against the edges: each entry costs a read and a
// write of next[] where it saves gathers. On the Kronecker scale-24 graph there were 14.4 edges
// an entry (3.7 times faster); on 10^8 generated events, whose people have a few ties each and
// no hubs, 1.15 (no faster, and segmenting cost 3 s). The bound between is a choice.
inline constexpr double kMinEdgesPerEntry = 2.0;
// The scorer's kernel, standing in the original labels: the segmented kernel on more than one
// segment's worth of people when segments pay (the plain in-edges are freed once segmented),
// else the plain one.
PropagationResult PropagateDegreeOrdered(RelabelledGraph&& relabelled, double damping,
                                         int max_iterations, double tolerance,
                                         size_t segment_people = kSegmentPeople,
                                         double min_edges_per_entry = kMinEdgesPerEntry);
PropagationResult PropagateSerial(const WeightedInGraph& graph, double damping, int max_iterations,
                                  double tolerance);

}  // namespace rapport::score
