// Ranking metrics for the evaluation (docs/EVALUATION.md): how well a score ranks labelled pairs.
//
//   RocAuc             the probability that a random positive outscores a random negative, ties
//                      counting one half: the Mann-Whitney U statistic over midranks divided by
//                      n_pos * n_neg (Hanley and McNeil, Radiology 1982).
//   AveragePrecision   step-wise area under the precision-recall curve: sum over score levels of
//                      (recall gained at the level) * (precision at the end of the level). Tied
//                      scores form one level, so the order of tied items does not matter (the
//                      convention of scikit-learn's average_precision_score).
//   SpearmanRho        Pearson correlation of the midranks of two variables.
//
// Degenerate inputs have no meaningful value and give NaN (never an exception): AUC when either
// class is empty, AP when there is no positive, rho when fewer than two items or either variable
// is constant. Callers print NaN as "n/a".
//
// Thread-safety: pure functions over their arguments.
#pragma once

#include <cstdint>
#include <vector>

namespace rapport::eval {

// 1-based ranks in ascending order of value; tied values share the mean of their ranks.
// REQUIRES: no NaN in values.
std::vector<double> Midranks(const std::vector<double>& values);

// REQUIRES: scores.size() == labels.size(), no NaN in scores; a label is positive when non-zero.
double RocAuc(const std::vector<double>& scores, const std::vector<uint8_t>& labels);
double AveragePrecision(const std::vector<double>& scores, const std::vector<uint8_t>& labels);

// REQUIRES: x.size() == y.size(), no NaN.
double SpearmanRho(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace rapport::eval
