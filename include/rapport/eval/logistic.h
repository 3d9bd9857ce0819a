// L2-regularised logistic regression and k-fold cross-validation: how `rapport fit` re-estimates
// the tie-strength coefficients from labelled pairs, and how the evaluation measures a fitted
// model without letting it see the labels it is scored on.
//
// The model is tie strength's own (score/tie_strength.h): z = bias + sum_f w_f * x_f, over
// features already standardised by the config's centers and scales, so the fitted w_f are the
// config's coefficients. Fitting minimises
//   sum_i log(1 + e^{-y_i z_i}) + (lambda / 2) * sum_f (w_f - prior_f)^2
// (y in {-1, +1}; the bias is not penalised). With the default coefficients as the prior, a
// large lambda keeps the default model and a small one lets the data move it: cross-validation
// picks how far.
// by Newton's method: each step solves (X' W X + lambda I) d = gradient with Eigen's LDLT.
// The problem is strictly convex for lambda > 0, so the minimum is unique.
//
// Thread-safety: pure functions over their arguments.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rapport::eval {

// Rows of standardised features, one per labelled pair.
struct Design {
  int columns = 0;
  std::vector<double> x;        // row-major, rows * columns
  std::vector<uint8_t> labels;  // 1 = positive (strong, lasting), 0 = negative
  size_t rows() const { return labels.size(); }
};

struct LogisticModel {
  double bias = 0;
  std::vector<double> weight;  // one per column
  int iterations = 0;          // Newton steps taken
  bool converged = false;

  double Logit(const double* row) const;
};

// REQUIRES: lambda > 0, design.x.size() == rows * columns, prior empty (all zero) or one value
// per column. With one class only the bias runs towards +-infinity; the fit stops after
// max_iterations and reports converged = false.
LogisticModel FitLogistic(const Design& design, double lambda,
                          const std::vector<double>& prior = {}, int max_iterations = 50);

// The logit of every row under the model.
std::vector<double> Predict(const LogisticModel& model, const Design& design);

// Row indices split into k folds, stratified: positives and negatives are each shuffled with the
// seed and dealt round-robin, so every fold has its share of both classes.
std::vector<int> StratifiedFolds(const std::vector<uint8_t>& labels, int k, uint64_t seed);

// Out-of-fold logits: each row is predicted by the model fitted on the other k - 1 folds.
std::vector<double> CrossValidatedLogits(const Design& design, const std::vector<int>& fold, int k,
                                         double lambda, const std::vector<double>& prior = {});

struct LambdaChoice {
  double lambda = 1;
  double cv_auc = 0;                // out-of-fold ROC AUC at that lambda
  std::vector<double> out_of_fold;  // its out-of-fold logits
};
// The lambda of `grid` with the best out-of-fold ROC AUC (the first of equals). Choosing lambda
// this way sees every row's label, so when the choice itself must be measured, nest it inside an
// outer cross-validation (NestedCrossValidatedLogits).
LambdaChoice ChooseLambda(const Design& design, const std::vector<int>& fold, int k,
                          const std::vector<double>& grid, const std::vector<double>& prior = {});

// Out-of-fold logits where each outer fold's model, lambda included, is chosen from the other
// folds only (the inner folds split the outer training rows). Nothing sees the row it predicts.
std::vector<double> NestedCrossValidatedLogits(const Design& design, int k, uint64_t seed,
                                               const std::vector<double>& grid,
                                               const std::vector<double>& prior = {});

// The default grid of lambda values: 10^-2 .. 10^5 by factors of 10.
std::vector<double> DefaultLambdaGrid();

}  // namespace rapport::eval
