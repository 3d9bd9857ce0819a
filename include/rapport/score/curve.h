// The 1-100 curve shared by both scores (DESIGN.md, "1-100"): "grading on a curve" as Klout
// did, but continuous in the raw value so that a small change of raw score is a small change of
// points. With lo the population minimum, m its median and q its 95th percentile:
//   x <= lo          -> 1
//   lo < x <= m      -> 1 + (M - 1) (x - lo) / (m - lo)          (M = median_score, 20)
//   m < x <= q       -> M + (Q - M) (x - m) / (q - m)            (Q = p95_score, 50)
//   x > q            -> Q + (100 - Q) (1 - exp(-(x - q) / tau)), tau = (100 - Q)(q - m)/(Q - M)
// The tail's slope at q equals the middle segment's, and it approaches 100 for the very top.
// Degenerate populations stay continuous: when at least half the people share the minimum
// (m = lo), one segment runs from 1 at lo to Q at q; when q = m, the maximum stands in for q.
// Thread-safety: pure functions.
#pragma once

#include <functional>
#include <vector>

#include "rapport/core/config.h"

namespace rapport::score {

struct CurveReference {
  double lo = 0, median = 0, p95 = 0, max = 0;
};

// Reference points of a population's raw values. REQUIRES: raw is not empty.
CurveReference ReferenceOf(std::vector<double> raw);
// The same for `count` values known only through their order statistics: kth(k) is the k-th
// smallest (0-based). ReferenceRanks lists the k it asks for. REQUIRES: count > 0.
std::vector<size_t> ReferenceRanks(size_t count);
CurveReference ReferenceFromOrderStatistics(size_t count, const std::function<double(size_t)>& kth);
double CurveScore(const CurveConfig& config, const CurveReference& reference, double raw);

}  // namespace rapport::score
