#include "rapport/score/curve.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace rapport::score {
namespace {

// The ranks below and above position q (count - 1), and the fraction between them: linear
// interpolation between closest ranks (the "R-7" quantile).
struct QuantilePosition {
  size_t below, above;
  double fraction;
};

QuantilePosition PositionOf(size_t count, double q) {
  const double position = q * static_cast<double>(count - 1);
  const auto below = static_cast<size_t>(std::floor(position));
  return {below, std::min(count - 1, below + 1), position - static_cast<double>(below)};
}

constexpr double kMedian = 0.5, kP95 = 0.95;

}  // namespace

std::vector<size_t> ReferenceRanks(size_t count) {
  std::vector<size_t> ranks = {0, count - 1};
  for (double q : {kMedian, kP95}) {
    const QuantilePosition at = PositionOf(count, q);
    ranks.push_back(at.below);
    ranks.push_back(at.above);
  }
  return ranks;
}

CurveReference ReferenceFromOrderStatistics(size_t count,
                                            const std::function<double(size_t)>& kth) {
  assert(count > 0);
  auto quantile = [&](double q) {
    const QuantilePosition at = PositionOf(count, q);
    const double below = kth(at.below);
    return below + at.fraction * (kth(at.above) - below);
  };
  return CurveReference{kth(0), quantile(kMedian), quantile(kP95), kth(count - 1)};
}

CurveReference ReferenceOf(std::vector<double> raw) {
  assert(!raw.empty());
  // Only the reference ranks need to be in place: selection, rank after rank, each on what lies
  // above the previous one (linear time rather than a sort of everyone).
  std::vector<size_t> ranks = ReferenceRanks(raw.size());
  std::sort(ranks.begin(), ranks.end());
  ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
  size_t from = 0;
  for (const size_t rank : ranks) {
    std::nth_element(raw.begin() + static_cast<int64_t>(from),
                     raw.begin() + static_cast<int64_t>(rank), raw.end());
    from = rank + 1;
  }
  return ReferenceFromOrderStatistics(raw.size(), [&raw](size_t k) { return raw[k]; });
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
