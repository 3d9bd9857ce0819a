// Side-by-side benchmark of Rapport's propagation kernel (score::Propagate: pull over in-edges in
// CSR, OpenMP, no atomics; also degree-ordered, and segmented by source as the scorer runs it on
// large graphs) against two peers on the same graph, iteration count and thread count:
//
//   - SuiteSparse:GraphBLAS: the textbook PageRank iteration (as LAGraph's LAGr_PageRank) with
//     GrB_mxv over PLUS_TIMES on FP64, with A the 0/1 pattern and r divided by out-degree;
//   - igraph: igraph_pagerank with PRPACK (a direct solver, run to its own tolerance) and with
//     ARPACK (an eigensolver); both report a converged vector, not a fixed number of iterations.
//
// The graph is a Kronecker graph as in GAP and Graph500 (bench/kronecker.h). Rapport gets weights
// w(u->v) = 1 / outdeg(u) and out_weight(u) = 1 (0 for isolated vertices, whose standing then
// leaks and is spread evenly), so Propagate computes plain PageRank with uniform dangling mass:
//
//   r'(v) = (1 - d) / N + d * ( sum_{u->v} r(u) / outdeg(u) + sum_{outdeg(u)=0} r(u) / N )
//
// Every answer is checked: GraphBLAS after the same iterations against Rapport (L1 < 1e-9), the
// igraph vectors against Rapport run to convergence (L1 < 1e-6). At large scales the methods can
// run in separate processes (--method), the Rapport process leaving its vectors in --reference.
//
// Usage: peers_bench [--scale=20] [--iterations=20] [--threads=2] [--repeats=3]
//                    [--method=all|rapport|graphblas|igraph|igraph-prpack|igraph-arpack|triad]
//                    [--reference=DIR] [--seed=N] [--tolerance=1e-10] [--triad-gib=1]
//                    [--segment-people=N[,N...]]  (segmented kernel, one row per size; 0: none)
// Prints progress to stderr and one markdown table to stdout. Exit status 1 if a check fails.
// Runs with malloc on transparent huge pages, as `rapport` does (RAPPORT_HUGE_PAGES=0: without).
//
// Thread-safety: a single-threaded driver around OpenMP kernels.
// GraphBLAS.h (7.4) declares its C API without extern "C" for C++ callers, expecting this wrap.
extern "C" {
#include <GraphBLAS.h>
}
#include <igraph.h>
#include <omp.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "kronecker.h"
#include "rapport/core/huge_pages.h"
#include "rapport/score/propagation.h"

namespace rapport::bench {
namespace {

constexpr double kDamping = 0.85;
constexpr int kMaxIterations = 1000;           // for the run to convergence
constexpr double kIterationsAgreement = 1e-9;  // L1, Rapport vs GraphBLAS after N iterations
constexpr double kConvergedAgreement = 1e-6;   // L1, Rapport converged vs igraph
constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

static_assert(std::is_same_v<PersonIndex, uint32_t>, "the CSR's neighbour ids are 32-bit");

struct Options {
  int scale = 20;
  int edge_factor = 16;
  uint64_t seed = 27491095;
  int iterations = 20;
  int threads = 2;
  int repeats = 3;           // timed runs of the fixed-iteration kernels; the median is reported
  double tolerance = 1e-10;  // Rapport to convergence: stop when the L1 change is below this
  std::string method = "all";
  std::vector<size_t> segment_people = {score::kSegmentPeople};  // segmented kernel, each size
  std::string reference_dir;
  double triad_gib = 1.0;
};

// One line of the results table.
struct Row {
  std::string method;
  int iterations = 0;  // 0 when the solver does not report them
  double seconds = 0;  // wall time of the whole solve
  double cpu_per_wall = 0;
  double peak_rss_gib = 0;
  std::string check;
  bool failed = false;
};

// The Rapport vectors the peers are checked against.
struct Reference {
  std::vector<double> after_iterations;
  std::vector<double> converged;
};

// ---------------------------------------------------------------------------------------------
// Measurement

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Resets the kernel's peak-RSS mark (Linux >= 4.0), so that each method's peak can be read apart
// even when several run in one process. Best effort: where it fails, the peaks are cumulative.
// (It also lowers what getrusage and /usr/bin/time report as the process's maximum RSS.)
void ResetPeakRss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
}

// Peak resident set size since the last ResetPeakRss (VmHWM), else of the whole process.
double PeakRssGib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) * 1024.0 / kGiB;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) * 1024.0 / kGiB;
}

struct Timing {
  double wall = 0;
  double cpu = 0;
};

template <typename Function>
Timing Time(Function&& function) {
  const double cpu_start = CpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  function();
  const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - start;
  return Timing{wall.count(), CpuSeconds() - cpu_start};
}

// Runs `function` `repeats` times and returns the run with the median wall time.
template <typename Function>
Timing MedianTime(int repeats, Function&& function) {
  std::vector<Timing> timings;
  for (int run = 0; run < repeats; ++run) {
    timings.push_back(Time(function));
    std::fprintf(stderr, "  run %d: %.3f s wall, %.3f s CPU\n", run + 1, timings.back().wall,
                 timings.back().cpu);
  }
  std::sort(timings.begin(), timings.end(),
            [](const Timing& a, const Timing& b) { return a.wall < b.wall; });
  return timings[timings.size() / 2];
}

double L1Distance(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return INFINITY;
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i) sum += std::fabs(a[i] - b[i]);
  return sum;
}

// "L1 3.1e-16 vs Rapport 20 it: ok"; `failed` is set when the distance is not below `bound`.
std::string Agreement(const std::vector<double>& ours, const std::vector<double>& reference,
                      double bound, const char* against, bool* failed) {
  char text[128];
  if (reference.empty()) {
    std::snprintf(text, sizeof text, "not checked (no %s vector)", against);
    return text;
  }
  const double distance = L1Distance(ours, reference);
  const bool ok = distance < bound;
  if (!ok) *failed = true;
  std::snprintf(text, sizeof text, "L1 %.1e vs %s: %s", distance, against, ok ? "ok" : "FAIL");
  return text;
}

// ---------------------------------------------------------------------------------------------
// Reference vectors on disk, for runs split over processes. Format: vertex count and directed
// edge count (uint64 each, to catch a different graph), then the doubles.

std::string ReferencePath(const Options& options, const std::string& what) {
  return options.reference_dir + "/rapport-s" + std::to_string(options.scale) + "-ef" +
         std::to_string(options.edge_factor) + "-seed" + std::to_string(options.seed) + "-" + what +
         ".f64";
}

void SaveVector(const std::string& path, const SymmetricCsr& csr,
                const std::vector<double>& values) {
  std::ofstream out(path, std::ios::binary);
  const uint64_t header[2] = {csr.vertex_count(), csr.directed_edge_count()};
  out.write(reinterpret_cast<const char*>(header), sizeof header);
  out.write(reinterpret_cast<const char*>(values.data()),
            static_cast<std::streamsize>(values.size() * sizeof(double)));
  if (!out) throw std::runtime_error(path + ": cannot write the reference vector");
}

// Empty when the file is missing or was written for another graph.
std::vector<double> LoadVector(const std::string& path, const SymmetricCsr& csr) {
  std::ifstream in(path, std::ios::binary);
  uint64_t header[2] = {0, 0};
  if (!in.read(reinterpret_cast<char*>(header), sizeof header)) return {};
  if (header[0] != csr.vertex_count() || header[1] != csr.directed_edge_count()) {
    std::fprintf(stderr, "%s: written for another graph; ignored\n", path.c_str());
    return {};
  }
  std::vector<double> values(csr.vertex_count());
  if (!in.read(reinterpret_cast<char*>(values.data()),
               static_cast<std::streamsize>(values.size() * sizeof(double)))) {
    return {};
  }
  return values;
}

// ---------------------------------------------------------------------------------------------
// Rapport

std::vector<Row> RunRapport(SymmetricCsr& csr, const Options& options, Reference* reference) {
  ResetPeakRss();
  score::WeightedInGraph graph = PageRankInGraph(csr);
  std::vector<Row> rows;

  score::PropagationResult fixed;
  const Timing fixed_time = MedianTime(options.repeats, [&] {
    fixed = score::Propagate(graph, kDamping, options.iterations, /*tolerance=*/0);
  });
  Row fixed_row;
  fixed_row.method = "Rapport Propagate";
  fixed_row.iterations = fixed.iterations;
  fixed_row.seconds = fixed_time.wall;
  fixed_row.cpu_per_wall = fixed_time.cpu / fixed_time.wall;
  fixed_row.check = "reference";
  std::fprintf(stderr, "rapport: %d iterations in %.3f s\n", fixed.iterations, fixed_time.wall);

  score::PropagationResult converged;
  const Timing converged_time = Time(
      [&] { converged = score::Propagate(graph, kDamping, kMaxIterations, options.tolerance); });
  Row converged_row;
  char method[128];
  std::snprintf(method, sizeof method, "Rapport Propagate to convergence (L1 change < %.0e)",
                options.tolerance);
  converged_row.method = method;
  converged_row.iterations = converged.iterations;
  converged_row.seconds = converged_time.wall;
  converged_row.cpu_per_wall = converged_time.cpu / converged_time.wall;
  converged_row.check = "reference";
  std::fprintf(stderr, "rapport: converged in %d iterations, %.3f s\n", converged.iterations,
               converged_time.wall);

  // The same kernel on the graph relabelled by degree (relabelling timed on its own).
  score::RelabelledGraph relabelled;
  const Timing relabel_time = Time([&] { relabelled = score::RelabelByOutDegree(graph); });
  std::fprintf(stderr, "rapport: relabelled by degree in %.3f s\n", relabel_time.wall);
  score::PropagationResult ordered;
  const Timing ordered_time = MedianTime(options.repeats, [&] {
    ordered = score::PropagateRelabelled(relabelled, kDamping, options.iterations, 0);
  });
  Row ordered_row;
  std::snprintf(method, sizeof method, "Rapport Propagate, degree-ordered (relabelling %.1f s)",
                relabel_time.wall);
  ordered_row.method = method;
  ordered_row.iterations = ordered.iterations;
  ordered_row.seconds = ordered_time.wall;
  ordered_row.cpu_per_wall = ordered_time.cpu / ordered_time.wall;
  ordered_row.check = Agreement(ordered.standing, fixed.standing, kIterationsAgreement, "Rapport",
                                &ordered_row.failed);
  std::fprintf(stderr, "rapport: degree-ordered, %d iterations in %.3f s\n", ordered.iterations,
               ordered_time.wall);

  // The degree-ordered graph segmented by source, once for each segment size asked for. The
  // original-label weights are no longer needed: freed first, so that scale 24 fits.
  graph.weight = {};
  graph.weight.shrink_to_fit();
  std::vector<Row> segmented_rows;
  for (size_t segment_people : options.segment_people) {
    score::SegmentedInGraph segmented;
    const Timing segment_time =
        Time([&] { segmented = score::SegmentBySource(relabelled.graph, segment_people); });
    size_t entries = 0;
    for (const auto& part : segmented.segments) entries += part.target.size();
    std::fprintf(stderr, "rapport: %zu segment(s) of %zu people, %zu entries, in %.3f s\n",
                 segmented.segments.size(), segment_people, entries, segment_time.wall);
    score::PropagationResult result;
    const Timing time = MedianTime(options.repeats, [&] {
      result = score::PropagateSegmented(segmented, kDamping, options.iterations, 0);
    });
    // Back to the original labels for the check.
    const auto in_original_labels = [&] {
      std::vector<double> standing(result.standing.size());
      for (size_t v = 0; v < standing.size(); ++v) {
        standing[relabelled.old_of[v]] = result.standing[v];
      }
      return standing;
    };
    Row row;
    std::snprintf(method, sizeof method,
                  "Rapport Propagate, degree-ordered, segments of %zu people (segmenting %.1f s)",
                  segment_people, segment_time.wall);
    row.method = method;
    row.iterations = result.iterations;
    row.seconds = time.wall;
    row.cpu_per_wall = time.cpu / time.wall;
    row.check = Agreement(in_original_labels(), fixed.standing, kIterationsAgreement, "Rapport",
                          &row.failed);
    std::fprintf(stderr, "rapport: segmented, %d iterations in %.3f s\n", result.iterations,
                 time.wall);
    segmented_rows.push_back(row);
    if (segment_people != options.segment_people.front()) continue;
    // And to convergence, as the plain kernel above.
    const Timing converged_segmented_time = Time([&] {
      result = score::PropagateSegmented(segmented, kDamping, kMaxIterations, options.tolerance);
    });
    Row converged_segmented;
    std::snprintf(method, sizeof method,
                  "Rapport Propagate, degree-ordered, segments of %zu people, to convergence",
                  segment_people);
    converged_segmented.method = method;
    converged_segmented.iterations = result.iterations;
    converged_segmented.seconds = converged_segmented_time.wall;
    converged_segmented.cpu_per_wall = converged_segmented_time.cpu / converged_segmented_time.wall;
    converged_segmented.check =
        Agreement(in_original_labels(), converged.standing, kIterationsAgreement,
                  "Rapport converged", &converged_segmented.failed);
    std::fprintf(stderr, "rapport: segmented, converged in %d iterations, %.3f s\n",
                 result.iterations, converged_segmented_time.wall);
    segmented_rows.push_back(converged_segmented);
  }
  relabelled = {};

  const double peak = PeakRssGib();
  fixed_row.peak_rss_gib = peak;
  converged_row.peak_rss_gib = peak;
  ordered_row.peak_rss_gib = peak;
  rows.push_back(fixed_row);
  rows.push_back(ordered_row);
  for (Row& row : segmented_rows) {
    row.peak_rss_gib = peak;
    rows.push_back(row);
  }
  rows.push_back(converged_row);
  ReturnSources(graph, csr);
  reference->after_iterations = std::move(fixed.standing);
  reference->converged = std::move(converged.standing);
  return rows;
}

// ---------------------------------------------------------------------------------------------
// SuiteSparse:GraphBLAS

void Check(GrB_Info info, const char* what) {
  if (info != GrB_SUCCESS && info != GrB_NO_VALUE) {
    throw std::runtime_error(std::string("GraphBLAS ") + what + " failed with GrB_Info " +
                             std::to_string(static_cast<int>(info)));
  }
}

// Owns a GrB_Vector.
class Vector {
 public:
  explicit Vector(GrB_Index size) { Check(GrB_Vector_new(&vector_, GrB_FP64, size), "vector"); }
  ~Vector() { GrB_Vector_free(&vector_); }
  Vector(const Vector&) = delete;
  Vector& operator=(const Vector&) = delete;
  GrB_Vector get() const { return vector_; }
  void swap(Vector& other) { std::swap(vector_, other.vector_); }

 private:
  GrB_Vector vector_ = nullptr;
};

// Owns a GrB_Matrix.
class Matrix {
 public:
  Matrix() = default;
  ~Matrix() { GrB_Matrix_free(&matrix_); }
  Matrix(const Matrix&) = delete;
  Matrix& operator=(const Matrix&) = delete;
  GrB_Matrix get() const { return matrix_; }
  GrB_Matrix* out() { return &matrix_; }

 private:
  GrB_Matrix matrix_ = nullptr;
};

// The iso-valued 0/1 pattern A(v, u) = 1 for each in-edge u -> v, by rows. GraphBLAS takes
// ownership of the malloc'd arrays.
void ImportPattern(const SymmetricCsr& csr, Matrix* matrix) {
  const GrB_Index n = csr.vertex_count();
  const GrB_Index m = csr.directed_edge_count();
  auto* row_offset = static_cast<GrB_Index*>(std::malloc((n + 1) * sizeof(GrB_Index)));
  auto* column =
      static_cast<GrB_Index*>(std::malloc(std::max<GrB_Index>(m, 1) * sizeof(GrB_Index)));
  auto* value = static_cast<double*>(std::malloc(sizeof(double)));
  if (row_offset == nullptr || column == nullptr || value == nullptr) {
    std::free(row_offset);
    std::free(column);
    std::free(value);
    throw std::runtime_error("GraphBLAS: out of memory for the matrix");
  }
  std::copy(csr.offset.begin(), csr.offset.end(), row_offset);
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < static_cast<int64_t>(m); ++i) column[i] = csr.neighbor[i];
  *value = 1.0;
  void* values = value;
  const GrB_Info info = GxB_Matrix_import_CSR(
      matrix->out(), GrB_FP64, n, n, &row_offset, &column, &values, (n + 1) * sizeof(GrB_Index),
      std::max<GrB_Index>(m, 1) * sizeof(GrB_Index), sizeof(double), /*iso=*/true,
      /*jumbled=*/false, nullptr);
  if (info != GrB_SUCCESS) {
    std::free(row_offset);
    std::free(column);
    std::free(values);
  }
  Check(info, "GxB_Matrix_import_CSR");
}

// Builds a vector holding `value_of(v)` at the vertices where `keep(v)`.
template <typename Keep, typename ValueOf>
void BuildSparse(const SymmetricCsr& csr, Keep keep, ValueOf value_of, Vector* vector) {
  std::vector<GrB_Index> indices;
  std::vector<double> values;
  for (size_t v = 0; v < csr.vertex_count(); ++v) {
    if (!keep(v)) continue;
    indices.push_back(v);
    values.push_back(value_of(v));
  }
  Check(GrB_Vector_build_FP64(vector->get(), indices.data(), values.data(), indices.size(),
                              GrB_PLUS_FP64),
        "GrB_Vector_build");
}

// Textbook PageRank in GraphBLAS, as LAGraph's LAGr_PageRank, with r the ranks:
//   dangling = sum of r over vertices without out-edges
//   w = r ./ (outdeg / d)                    (only where outdeg > 0)
//   r' = (1 - d) / N + d * dangling / N + A w  (GrB_mxv, PLUS_TIMES over FP64, accumulated)
//   change = sum |r' - r|                     (computed, as Rapport does, though unused here)
Row RunGraphBlas(const SymmetricCsr& csr, const Options& options, const Reference& reference,
                 std::vector<double>* ranks) {
  ResetPeakRss();
  Check(GxB_Global_Option_set_INT32(GxB_GLOBAL_NTHREADS, options.threads), "set threads");
  const GrB_Index n = csr.vertex_count();
  Matrix pattern;
  ImportPattern(csr, &pattern);
  Vector scaled_degree(n), sink(n), rank(n), next(n), share(n), sink_rank(n), difference(n);
  BuildSparse(
      csr, [&](size_t v) { return csr.degree(v) > 0; },
      [&](size_t v) { return static_cast<double>(csr.degree(v)) / kDamping; }, &scaled_degree);
  BuildSparse(
      csr, [&](size_t v) { return csr.degree(v) == 0; }, [](size_t) { return 1.0; }, &sink);
  const double vertex_count = static_cast<double>(n);

  int iterations = 0;
  const Timing timing = MedianTime(options.repeats, [&] {
    Check(GrB_Vector_assign_FP64(rank.get(), nullptr, nullptr, 1.0 / vertex_count, GrB_ALL, n,
                                 nullptr),
          "initial ranks");
    for (iterations = 0; iterations < options.iterations; ++iterations) {
      double dangling = 0;
      Check(GrB_Vector_eWiseMult_BinaryOp(sink_rank.get(), nullptr, nullptr, GrB_TIMES_FP64,
                                          rank.get(), sink.get(), nullptr),
            "sink ranks");
      Check(GrB_Vector_reduce_FP64(&dangling, nullptr, GrB_PLUS_MONOID_FP64, sink_rank.get(),
                                   nullptr),
            "dangling sum");
      Check(GrB_Vector_eWiseMult_BinaryOp(share.get(), nullptr, nullptr, GrB_DIV_FP64, rank.get(),
                                          scaled_degree.get(), nullptr),
            "shares");
      const double base = (1.0 - kDamping) / vertex_count + kDamping * dangling / vertex_count;
      Check(GrB_Vector_assign_FP64(next.get(), nullptr, nullptr, base, GrB_ALL, n, nullptr),
            "teleport");
      Check(GrB_mxv(next.get(), nullptr, GrB_PLUS_FP64, GrB_PLUS_TIMES_SEMIRING_FP64, pattern.get(),
                    share.get(), nullptr),
            "GrB_mxv");
      double change = 0;
      Check(GrB_Vector_eWiseAdd_BinaryOp(difference.get(), nullptr, nullptr, GrB_MINUS_FP64,
                                         next.get(), rank.get(), nullptr),
            "difference");
      Check(GrB_Vector_apply(difference.get(), nullptr, nullptr, GrB_ABS_FP64, difference.get(),
                             nullptr),
            "abs");
      Check(
          GrB_Vector_reduce_FP64(&change, nullptr, GrB_PLUS_MONOID_FP64, difference.get(), nullptr),
          "change");
      rank.swap(next);
    }
    Check(GrB_Vector_wait(rank.get(), GrB_MATERIALIZE), "wait");
  });
  std::fprintf(stderr, "graphblas: %d iterations in %.3f s\n", iterations, timing.wall);

  std::vector<GrB_Index> indices(n);
  std::vector<double> values(n);
  GrB_Index count = n;
  Check(GrB_Vector_extractTuples_FP64(indices.data(), values.data(), &count, rank.get()),
        "extract");
  ranks->assign(n, 0.0);
  for (GrB_Index i = 0; i < count; ++i) (*ranks)[indices[i]] = values[i];

  Row row;
  row.method = "GraphBLAS mxv PLUS_TIMES FP64";
  row.iterations = iterations;
  row.seconds = timing.wall;
  row.cpu_per_wall = timing.cpu / timing.wall;
  row.peak_rss_gib = PeakRssGib();
  char against[64];
  std::snprintf(against, sizeof against, "Rapport %d it", options.iterations);
  row.check =
      Agreement(*ranks, reference.after_iterations, kIterationsAgreement, against, &row.failed);
  return row;
}

// ---------------------------------------------------------------------------------------------
// igraph

// Owns an igraph_t: the symmetric graph as undirected edges u < v (igraph stores each edge once
// with 64-bit ids, four integers per edge).
class IgraphGraph {
 public:
  explicit IgraphGraph(const SymmetricCsr& csr) {
    const uint64_t undirected = csr.directed_edge_count() / 2;
    igraph_vector_int_t edges;
    CheckIgraph(igraph_vector_int_init(&edges, static_cast<igraph_integer_t>(2 * undirected)),
                "edge vector");
    igraph_integer_t at = 0;
    for (size_t u = 0; u < csr.vertex_count(); ++u) {
      for (uint64_t i = csr.offset[u]; i < csr.offset[u + 1]; ++i) {
        if (csr.neighbor[i] <= u) continue;
        VECTOR(edges)[at++] = static_cast<igraph_integer_t>(u);
        VECTOR(edges)[at++] = static_cast<igraph_integer_t>(csr.neighbor[i]);
      }
    }
    const igraph_error_t error = igraph_create(
        &graph_, &edges, static_cast<igraph_integer_t>(csr.vertex_count()), IGRAPH_UNDIRECTED);
    igraph_vector_int_destroy(&edges);
    CheckIgraph(error, "igraph_create");
  }
  ~IgraphGraph() { igraph_destroy(&graph_); }
  IgraphGraph(const IgraphGraph&) = delete;
  IgraphGraph& operator=(const IgraphGraph&) = delete;
  const igraph_t* get() const { return &graph_; }

  static void CheckIgraph(igraph_error_t error, const char* what) {
    if (error != IGRAPH_SUCCESS) {
      throw std::runtime_error(std::string("igraph ") + what + ": " + igraph_strerror(error));
    }
  }

 private:
  igraph_t graph_;
};

// igraph_pagerank with PRPACK or ARPACK (undirected, so every edge counts both ways, as in the
// symmetric CSR). The times include igraph's own preprocessing inside the call.
Row RunIgraph(const IgraphGraph& graph, igraph_pagerank_algo_t algorithm,
              const Reference& reference) {
  ResetPeakRss();
  const bool arpack = algorithm == IGRAPH_PAGERANK_ALGO_ARPACK;
  Row row;
  row.method = arpack ? "igraph_pagerank ARPACK (default options)"
                      : "igraph_pagerank PRPACK (direct solver, tol 1e-10)";
  igraph_vector_t ranks;
  IgraphGraph::CheckIgraph(igraph_vector_init(&ranks, 0), "rank vector");
  igraph_arpack_options_t arpack_options;
  igraph_arpack_options_init(&arpack_options);
  igraph_real_t eigenvalue = 0;
  igraph_error_t error = IGRAPH_SUCCESS;
  const Timing timing = Time([&] {
    error = igraph_pagerank(graph.get(), algorithm, &ranks, &eigenvalue, igraph_vss_all(),
                            /*directed=*/false, kDamping, /*weights=*/nullptr,
                            arpack ? &arpack_options : nullptr);
  });
  row.seconds = timing.wall;
  row.cpu_per_wall = timing.cpu / timing.wall;
  row.peak_rss_gib = PeakRssGib();
  if (error != IGRAPH_SUCCESS) {
    row.failed = true;
    row.check = std::string("failed: ") + igraph_strerror(error);
  } else {
    // ARPACK: numop counts the matrix-vector products, the analogue of power iterations.
    if (arpack) row.iterations = arpack_options.numop;
    std::vector<double> values(VECTOR(ranks), VECTOR(ranks) + igraph_vector_size(&ranks));
    row.check = Agreement(values, reference.converged, kConvergedAgreement, "Rapport converged",
                          &row.failed);
  }
  igraph_vector_destroy(&ranks);
  std::fprintf(stderr, "igraph %s: %.3f s\n", arpack ? "ARPACK" : "PRPACK", timing.wall);
  return row;
}

// ---------------------------------------------------------------------------------------------
// Memory bandwidth: a STREAM-style triad a = a + s * b over two arrays, the physical bound.

void RunTriad(const Options& options) {
  const size_t count = static_cast<size_t>(options.triad_gib * kGiB / sizeof(double));
  const int64_t n = static_cast<int64_t>(count);
  std::unique_ptr<double[]> a(new double[count]);
  std::unique_ptr<double[]> b(new double[count]);
  // First touch by the threads that will use the pages.
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < n; ++i) {
    a[i] = 1.0;
    b[i] = 2.0;
  }
  constexpr int kRuns = 5;
  constexpr double kScalar = 0.5;
  double best = INFINITY;
  for (int run = 0; run < kRuns; ++run) {
    const Timing timing = Time([&] {
#pragma omp parallel for schedule(static)
      for (int64_t i = 0; i < n; ++i) a[i] += kScalar * b[i];
    });
    best = std::min(best, timing.wall);
  }
  // Bytes moved per element: read a, read b, write a.
  const double bytes = 3.0 * sizeof(double) * static_cast<double>(count);
  std::printf(
      "| triad a += s * b | %d threads | 2 x %.1f GiB | best of %d: %.3f s | %.1f GB/s |"
      " check a[0] = %.1f |\n",
      options.threads, options.triad_gib, kRuns, best, bytes / best / 1e9, a[0]);
}

// ---------------------------------------------------------------------------------------------
// Driver

std::optional<Options> ParseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view argument = argv[i];
    const size_t equals = argument.find('=');
    if (argument.substr(0, 2) != "--" || equals == std::string_view::npos) {
      std::fprintf(stderr, "peers_bench: expected --name=value, got '%s'\n", argv[i]);
      return std::nullopt;
    }
    const std::string name(argument.substr(2, equals - 2));
    const std::string value(argument.substr(equals + 1));
    try {
      if (name == "scale") {
        options.scale = std::stoi(value);
      } else if (name == "edge-factor") {
        options.edge_factor = std::stoi(value);
      } else if (name == "seed") {
        options.seed = std::stoull(value);
      } else if (name == "iterations") {
        options.iterations = std::stoi(value);
      } else if (name == "threads") {
        options.threads = std::stoi(value);
      } else if (name == "repeats") {
        options.repeats = std::stoi(value);
      } else if (name == "tolerance") {
        options.tolerance = std::stod(value);
      } else if (name == "method") {
        options.method = value;
      } else if (name == "reference") {
        options.reference_dir = value;
      } else if (name == "segment-people") {
        options.segment_people.clear();
        for (size_t start = 0; start <= value.size();) {
          const size_t comma = std::min(value.find(',', start), value.size());
          const size_t people = std::stoull(value.substr(start, comma - start));
          if (people > 0) options.segment_people.push_back(people);
          start = comma + 1;
        }
      } else if (name == "triad-gib") {
        options.triad_gib = std::stod(value);
      } else {
        std::fprintf(stderr, "peers_bench: unknown option --%s\n", name.c_str());
        return std::nullopt;
      }
    } catch (const std::exception&) {
      std::fprintf(stderr, "peers_bench: --%s=%s is not a number\n", name.c_str(), value.c_str());
      return std::nullopt;
    }
  }
  const std::string_view methods[] = {"all",           "rapport",       "graphblas", "igraph",
                                      "igraph-prpack", "igraph-arpack", "triad"};
  if (std::find(std::begin(methods), std::end(methods), options.method) == std::end(methods)) {
    std::fprintf(stderr, "peers_bench: unknown --method=%s\n", options.method.c_str());
    return std::nullopt;
  }
  if (options.scale < 1 || options.scale > 30 || options.edge_factor < 1 ||
      options.iterations < 1 || options.threads < 1 || options.repeats < 1 ||
      options.triad_gib <= 0) {
    std::fprintf(stderr, "peers_bench: need 1 <= scale <= 30 and positive counts\n");
    return std::nullopt;
  }
  return options;
}

bool Wants(const Options& options, std::string_view method) {
  if (options.method == "all") return method != "triad";
  if (options.method == "igraph") return method == "igraph-prpack" || method == "igraph-arpack";
  return options.method == method;
}

std::string Millions(double count) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f M", count / 1e6);
  return text;
}

void PrintTable(size_t vertex_count, uint64_t edge_count, const Options& options,
                const std::vector<Row>& rows) {
  const double edges = static_cast<double>(edge_count);
  std::printf(
      "| graph | method | threads | iterations | total s | s / iteration | edges/s | CPU/wall |"
      " peak RSS GiB | check |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
  for (const Row& row : rows) {
    char per_iteration[32] = "n/a";
    char rate[32] = "n/a";
    char iterations[32] = "n/a";
    if (row.iterations > 0) {
      std::snprintf(iterations, sizeof iterations, "%d", row.iterations);
      std::snprintf(per_iteration, sizeof per_iteration, "%.4f", row.seconds / row.iterations);
      std::snprintf(rate, sizeof rate, "%.3g",
                    edges * static_cast<double>(row.iterations) / row.seconds);
    }
    std::printf("| kron S=%d: %s v, %s e | %s | %d | %s | %.3f | %s | %s | %.2f | %.2f | %s |\n",
                options.scale, Millions(static_cast<double>(vertex_count)).c_str(),
                Millions(edges).c_str(), row.method.c_str(), options.threads, iterations,
                row.seconds, per_iteration, rate, row.cpu_per_wall, row.peak_rss_gib,
                row.check.c_str());
  }
}

int Run(const Options& options) {
  omp_set_num_threads(options.threads);
  if (options.method == "triad") {
    RunTriad(options);
    return 0;
  }

  ResetPeakRss();
  SymmetricCsr csr;
  KroneckerOptions kronecker;
  kronecker.scale = options.scale;
  kronecker.edge_factor = options.edge_factor;
  kronecker.seed = options.seed;
  const Timing generation = Time([&] { csr = MakeKroneckerGraph(kronecker); });
  const size_t vertex_count = csr.vertex_count();
  const uint64_t edge_count = csr.directed_edge_count();
  size_t isolated = 0;
  uint64_t max_degree = 0;
  for (size_t v = 0; v < csr.vertex_count(); ++v) {
    isolated += csr.degree(v) == 0;
    max_degree = std::max(max_degree, csr.degree(v));
  }
  std::fprintf(stderr,
               "graph: kron scale %d, edge factor %d, seed %llu: %zu vertices (%zu isolated), "
               "%llu directed edges, max degree %llu; generated in %.2f s, peak RSS %.2f GiB\n",
               options.scale, options.edge_factor, static_cast<unsigned long long>(options.seed),
               csr.vertex_count(), isolated,
               static_cast<unsigned long long>(csr.directed_edge_count()),
               static_cast<unsigned long long>(max_degree), generation.wall, PeakRssGib());

  std::vector<Row> rows;
  Reference reference;
  if (Wants(options, "rapport")) {
    for (Row& row : RunRapport(csr, options, &reference)) rows.push_back(std::move(row));
    if (!options.reference_dir.empty()) {
      SaveVector(ReferencePath(options, "i" + std::to_string(options.iterations)), csr,
                 reference.after_iterations);
      SaveVector(ReferencePath(options, "converged"), csr, reference.converged);
    }
  } else if (!options.reference_dir.empty()) {
    reference.after_iterations =
        LoadVector(ReferencePath(options, "i" + std::to_string(options.iterations)), csr);
    reference.converged = LoadVector(ReferencePath(options, "converged"), csr);
  }

  if (Wants(options, "graphblas")) {
    Check(GrB_init(GrB_NONBLOCKING), "GrB_init");
    std::vector<double> ranks;
    try {
      rows.push_back(RunGraphBlas(csr, options, reference, &ranks));
    } catch (const std::exception& error) {
      Row row;
      row.method = "GraphBLAS mxv PLUS_TIMES FP64";
      row.check = error.what();
      row.failed = true;
      rows.push_back(row);
    }
    GrB_finalize();
  }

  if (Wants(options, "igraph-prpack") || Wants(options, "igraph-arpack")) {
    igraph_set_error_handler(igraph_error_handler_printignore);
    try {
      ResetPeakRss();
      std::unique_ptr<IgraphGraph> graph;
      const Timing create = Time([&] { graph = std::make_unique<IgraphGraph>(csr); });
      Row create_row;
      create_row.method = "igraph_create (the graph igraph_pagerank needs; not in its times)";
      create_row.seconds = create.wall;
      create_row.cpu_per_wall = create.cpu / create.wall;
      create_row.peak_rss_gib = PeakRssGib();
      create_row.check = "n/a";
      rows.push_back(create_row);
      // igraph is the last method and has its own copy: free the CSR before it solves.
      std::vector<uint64_t>().swap(csr.offset);
      std::vector<uint32_t>().swap(csr.neighbor);
      if (Wants(options, "igraph-prpack")) {
        rows.push_back(RunIgraph(*graph, IGRAPH_PAGERANK_ALGO_PRPACK, reference));
      }
      if (Wants(options, "igraph-arpack")) {
        rows.push_back(RunIgraph(*graph, IGRAPH_PAGERANK_ALGO_ARPACK, reference));
      }
    } catch (const std::exception& error) {
      Row row;
      row.method = "igraph_pagerank";
      row.check = error.what();
      row.failed = true;
      rows.push_back(row);
    }
  }

  PrintTable(vertex_count, edge_count, options, rows);
  const bool failed = std::any_of(rows.begin(), rows.end(), [](const Row& r) { return r.failed; });
  return failed ? 1 : 0;
}

}  // namespace
}  // namespace rapport::bench

int main(int argc, char** argv) {
  // Every method in this process gets malloc backed by transparent huge pages, as `rapport` does
  // (core/huge_pages.h), whatever the machine's default for transparent huge pages.
  rapport::ReexecWithHugePageMalloc(argv);
  const std::optional<rapport::bench::Options> options = rapport::bench::ParseOptions(argc, argv);
  if (!options) return 2;
  try {
    return rapport::bench::Run(*options);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "peers_bench: %s\n", error.what());
    return 1;
  }
}
