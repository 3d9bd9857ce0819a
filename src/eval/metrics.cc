#include "rapport/eval/metrics.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <numeric>

namespace rapport::eval {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Indices of `values` in ascending order of value (stable, so deterministic).
std::vector<size_t> AscendingOrder(const std::vector<double>& values) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return values[a] < values[b]; });
  return order;
}

}  // namespace

std::vector<double> Midranks(const std::vector<double>& values) {
  const std::vector<size_t> order = AscendingOrder(values);
  std::vector<double> ranks(values.size());
  size_t begin = 0;
  while (begin < order.size()) {
    size_t end = begin + 1;
    while (end < order.size() && values[order[end]] == values[order[begin]]) ++end;
    // Positions begin..end-1 (0-based) hold ranks begin+1..end; their mean is (begin+1+end)/2.
    const double midrank = (static_cast<double>(begin) + 1.0 + static_cast<double>(end)) / 2.0;
    for (size_t i = begin; i < end; ++i) ranks[order[i]] = midrank;
    begin = end;
  }
  return ranks;
}

double RocAuc(const std::vector<double>& scores, const std::vector<uint8_t>& labels) {
  assert(scores.size() == labels.size());
  const std::vector<double> ranks = Midranks(scores);
  double positives = 0, rank_sum = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    if (labels[i] == 0) continue;
    positives += 1;
    rank_sum += ranks[i];
  }
  const double negatives = static_cast<double>(scores.size()) - positives;
  if (positives == 0 || negatives == 0) return kNaN;
  // U = rank sum of the positives minus its minimum possible value n_pos (n_pos + 1) / 2.
  const double u = rank_sum - positives * (positives + 1) / 2;
  return u / (positives * negatives);
}

double AveragePrecision(const std::vector<double>& scores, const std::vector<uint8_t>& labels) {
  assert(scores.size() == labels.size());
  std::vector<size_t> order = AscendingOrder(scores);
  std::reverse(order.begin(), order.end());  // highest score first
  double total_positives = 0;
  for (uint8_t label : labels) total_positives += label != 0 ? 1 : 0;
  if (total_positives == 0) return kNaN;
  double seen = 0, true_positives = 0, ap = 0;
  size_t begin = 0;
  while (begin < order.size()) {
    size_t end = begin;
    double level_positives = 0;
    while (end < order.size() && scores[order[end]] == scores[order[begin]]) {
      level_positives += labels[order[end]] != 0 ? 1 : 0;
      ++end;
    }
    seen += static_cast<double>(end - begin);
    true_positives += level_positives;
    ap += (level_positives / total_positives) * (true_positives / seen);
    begin = end;
  }
  return ap;
}

double SpearmanRho(const std::vector<double>& x, const std::vector<double>& y) {
  assert(x.size() == y.size());
  if (x.size() < 2) return kNaN;
  const std::vector<double> rx = Midranks(x), ry = Midranks(y);
  const double n = static_cast<double>(x.size());
  const double mean = (n + 1) / 2;  // the mean of ranks 1..n, midranks included
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxy += (rx[i] - mean) * (ry[i] - mean);
    sxx += (rx[i] - mean) * (rx[i] - mean);
    syy += (ry[i] - mean) * (ry[i] - mean);
  }
  if (sxx == 0 || syy == 0) return kNaN;
  return sxy / std::sqrt(sxx * syy);
}

}  // namespace rapport::eval
