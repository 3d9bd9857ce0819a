// Tests of the L2-regularised logistic regression behind `rapport fit` and the cross-validated
// evaluation row: it recovers the coefficients that generated the data, the prior holds the fit
// when lambda is large, folds are stratified, and no row is predicted by a model that saw it.
#include "rapport/eval/logistic.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "rapport/eval/metrics.h"

namespace rapport::eval {
namespace {

// Rows drawn from a known logistic model: z = bias + sum w_f x_f, x ~ N(0, 1).
Design Simulated(size_t rows, const std::vector<double>& weight, double bias, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::normal_distribution<double> normal(0, 1);
  std::uniform_real_distribution<double> uniform(0, 1);
  Design design;
  design.columns = static_cast<int>(weight.size());
  for (size_t i = 0; i < rows; ++i) {
    double z = bias;
    for (double w : weight) {
      const double x = normal(random);
      design.x.push_back(x);
      z += w * x;
    }
    design.labels.push_back(uniform(random) < 1 / (1 + std::exp(-z)) ? 1 : 0);
  }
  return design;
}

TEST(EvalLogisticTest, RecoversTheGeneratingCoefficients) {
  const std::vector<double> truth = {1.5, -0.8, 0.0};
  const Design design = Simulated(40000, truth, -0.5, 1);
  const LogisticModel model = FitLogistic(design, 1e-3);
  EXPECT_TRUE(model.converged);
  EXPECT_NEAR(model.bias, -0.5, 0.05);
  for (size_t f = 0; f < truth.size(); ++f) EXPECT_NEAR(model.weight[f], truth[f], 0.05) << f;
}

TEST(EvalLogisticTest, ALargeLambdaKeepsThePriorAndASmallOneLeavesIt) {
  const Design design = Simulated(5000, {1.0, 1.0}, 0, 2);
  const std::vector<double> prior = {-2.0, 3.0};
  const LogisticModel held = FitLogistic(design, 1e9, prior);
  EXPECT_NEAR(held.weight[0], -2.0, 1e-3);
  EXPECT_NEAR(held.weight[1], 3.0, 1e-3);
  const LogisticModel free = FitLogistic(design, 1e-3, prior);
  EXPECT_NEAR(free.weight[0], 1.0, 0.15);
  EXPECT_NEAR(free.weight[1], 1.0, 0.15);
}

TEST(EvalLogisticTest, PredictIsTheLinearLogit) {
  const Design design = Simulated(200, {0.5, -0.5}, 0.2, 3);
  const LogisticModel model = FitLogistic(design, 1.0);
  const std::vector<double> logits = Predict(model, design);
  for (size_t i = 0; i < design.rows(); ++i) {
    const double z =
        model.bias + model.weight[0] * design.x[2 * i] + model.weight[1] * design.x[2 * i + 1];
    EXPECT_DOUBLE_EQ(logits[i], z);
  }
}

TEST(EvalLogisticTest, FoldsAreStratified) {
  std::vector<uint8_t> labels(1003, 0);
  for (size_t i = 0; i < labels.size(); i += 7) labels[i] = 1;  // 144 positives
  const std::vector<int> fold = StratifiedFolds(labels, 5, 9);
  std::vector<int> positives(5, 0), all(5, 0);
  for (size_t i = 0; i < labels.size(); ++i) {
    ASSERT_GE(fold[i], 0);
    ASSERT_LT(fold[i], 5);
    ++all[fold[i]];
    positives[fold[i]] += labels[i];
  }
  for (int f = 0; f < 5; ++f) {
    EXPECT_NEAR(positives[f], 144 / 5.0, 1.0) << f;
    EXPECT_NEAR(all[f], 1003 / 5.0, 2.0) << f;
  }
}

// A row's out-of-fold logit comes from a model fitted without it: changing its label (or
// anything else in its own fold) cannot change it.
TEST(EvalLogisticTest, OutOfFoldLogitsNeverSeeTheirOwnRow) {
  Design design = Simulated(600, {1.0, -1.0}, 0, 4);
  const std::vector<int> fold = StratifiedFolds(design.labels, 5, 5);
  const std::vector<double> before = CrossValidatedLogits(design, fold, 5, 1.0);
  for (size_t i = 0; i < design.rows(); ++i) {
    if (fold[i] == 2) design.labels[i] = 1 - design.labels[i];
  }
  const std::vector<double> after = CrossValidatedLogits(design, fold, 5, 1.0);
  int changed_elsewhere = 0;
  for (size_t i = 0; i < design.rows(); ++i) {
    if (fold[i] == 2) {
      EXPECT_DOUBLE_EQ(before[i], after[i]) << i;
    } else {
      changed_elsewhere += before[i] != after[i] ? 1 : 0;
    }
  }
  EXPECT_GT(changed_elsewhere, 0);  // the other folds' models did see the flipped labels
}

TEST(EvalLogisticTest, NestedCrossValidationRanksAboveChance) {
  const Design design = Simulated(3000, {1.0, 0.5, 0.0}, -1, 6);
  const std::vector<double> logits = NestedCrossValidatedLogits(design, 5, 7, DefaultLambdaGrid());
  const double auc = RocAuc(logits, design.labels);
  EXPECT_GT(auc, 0.7);
  EXPECT_LT(auc, 0.85);  // the generating model's own AUC is about 0.76
}

}  // namespace
}  // namespace rapport::eval
