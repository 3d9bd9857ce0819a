#include "rapport/score/curve.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace rapport::score {
namespace {

// Linear interpolation between closest ranks (the "R-7" quantile).
double Quantile(const std::vector<double>& sorted, double q) {
  const double position = q * static_cast<double>(sorted.size() - 1);
  const size_t below = static_cast<size_t>(std::floor(position));
  const size_t above = std::min(sorted.size() - 1, below + 1);
  const double fraction = position - static_cast<double>(below);
  return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

}  // namespace

CurveReference ReferenceOf(std::vector<double> raw) {
  assert(!raw.empty());
  std::sort(raw.begin(), raw.end());
  return CurveReference{raw.front(), Quantile(raw, 0.5), Quantile(raw, 0.95), raw.back()};
}

double CurveScore(const CurveConfig& config, const CurveReference& reference, double raw) {
  const double median_score = config.median_score, p95_score = config.p95_score;
  const double lo = reference.lo, m = reference.median;
  const double q = reference.p95 > m ? reference.p95 : reference.max;
  if (raw <= lo) return 1.0;
  if (q <= m) return p95_score;  // everyone above the minimum is equal: nothing to grade
  double below_q_score_at_m = median_score;
  if (m <= lo) below_q_score_at_m = 1.0;  // half or more share the minimum: one segment to q
  if (raw <= m) return 1.0 + (median_score - 1.0) * (raw - lo) / (m - lo);
  const double from = m <= lo ? lo : m;
  if (raw <= q) {
    return below_q_score_at_m + (p95_score - below_q_score_at_m) * (raw - from) / (q - from);
  }
  const double tau = (100.0 - p95_score) * (q - from) / (p95_score - below_q_score_at_m);
  return p95_score + (100.0 - p95_score) * (1.0 - std::exp(-(raw - q) / tau));
}

}  // namespace rapport::score
