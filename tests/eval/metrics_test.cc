// Tests of the ranking metrics against small cases computed by hand (the computation is in the
// comments), with ties and degenerate inputs.
#include "rapport/eval/metrics.h"

#include <gtest/gtest.h>

#include <cmath>

namespace rapport::eval {
namespace {

TEST(MidranksTest, TiesShareTheMeanRank) {
  // Sorted: 1 (rank 1), 2 (rank 2), 3 and 3 (ranks 3 and 4, mean 3.5).
  EXPECT_EQ(Midranks({3, 1, 3, 2}), (std::vector<double>{3.5, 1, 3.5, 2}));
  EXPECT_TRUE(Midranks({}).empty());
}

TEST(RocAucTest, WithoutTies) {
  // Positives 0.35 and 0.8, negatives 0.1 and 0.4. Of the 4 (positive, negative) pairs the
  // positive wins 3: 0.35 > 0.1, 0.8 > 0.1, 0.8 > 0.4 (0.35 < 0.4 loses). AUC = 3 / 4.
  EXPECT_DOUBLE_EQ(RocAuc({0.1, 0.4, 0.35, 0.8}, {0, 0, 1, 1}), 0.75);
}

TEST(RocAucTest, TiesCountOneHalf) {
  // Scores 1, 1, 2, 3 with labels 0, 1, 0, 1: midranks 1.5, 1.5, 3, 4. Rank sum of the positives
  // 1.5 + 4 = 5.5; U = 5.5 - 2 * 3 / 2 = 2.5; AUC = 2.5 / (2 * 2) = 0.625. By pairs: the
  // positive at 1 ties the negative at 1 (1/2) and loses to 2 (0); the positive at 3 wins both
  // (2): 2.5 of 4.
  EXPECT_DOUBLE_EQ(RocAuc({1, 1, 2, 3}, {0, 1, 0, 1}), 0.625);
  // Everything tied: every pair counts one half.
  EXPECT_DOUBLE_EQ(RocAuc({7, 7, 7, 7, 7}, {1, 0, 0, 1, 0}), 0.5);
  // A perfect and a reversed ranking.
  EXPECT_DOUBLE_EQ(RocAuc({1, 2, 3}, {0, 1, 1}), 1.0);
  EXPECT_DOUBLE_EQ(RocAuc({3, 2, 1}, {0, 1, 1}), 0.0);
}

TEST(RocAucTest, OneClassOnlyIsNaN) {
  EXPECT_TRUE(std::isnan(RocAuc({1, 2, 3}, {1, 1, 1})));
  EXPECT_TRUE(std::isnan(RocAuc({1, 2, 3}, {0, 0, 0})));
  EXPECT_TRUE(std::isnan(RocAuc({}, {})));
}

TEST(AveragePrecisionTest, WithoutTies) {
  // Descending: 0.8 (+), 0.4 (-), 0.35 (+), 0.1 (-). Recall steps of 1/2 at ranks 1 and 3 with
  // precision 1/1 and 2/3: AP = 1/2 * 1 + 1/2 * 2/3 = 5/6.
  EXPECT_NEAR(AveragePrecision({0.1, 0.4, 0.35, 0.8}, {0, 0, 1, 1}), 5.0 / 6.0, 1e-12);
}

TEST(AveragePrecisionTest, TiedScoresFormOneLevel) {
  // Descending levels: 3 {+}, 2 {-}, 1 {+, -}. Level 3: recall +1/2 at precision 1/1. Level 1:
  // recall +1/2 at precision 2/4 (both tied items counted). AP = 1/2 + 1/4 = 3/4, whatever the
  // order of the tied items.
  EXPECT_DOUBLE_EQ(AveragePrecision({1, 1, 2, 3}, {0, 1, 0, 1}), 0.75);
  EXPECT_DOUBLE_EQ(AveragePrecision({1, 1, 2, 3}, {1, 0, 0, 1}), 0.75);
  // All tied: one level, AP = the share of positives, 1/4.
  EXPECT_DOUBLE_EQ(AveragePrecision({5, 5, 5, 5}, {0, 0, 1, 0}), 0.25);
  // Every item positive: precision is 1 everywhere.
  EXPECT_DOUBLE_EQ(AveragePrecision({1, 2, 2}, {1, 1, 1}), 1.0);
}

TEST(AveragePrecisionTest, NoPositiveIsNaN) {
  EXPECT_TRUE(std::isnan(AveragePrecision({1, 2}, {0, 0})));
  EXPECT_TRUE(std::isnan(AveragePrecision({}, {})));
}

TEST(SpearmanRhoTest, MonotoneRelations) {
  EXPECT_DOUBLE_EQ(SpearmanRho({1, 2, 3, 4}, {10, 20, 30, 400}), 1.0);
  EXPECT_DOUBLE_EQ(SpearmanRho({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0);
}

TEST(SpearmanRhoTest, TiesUseMidranks) {
  // x = 1, 2, 2, 3 -> ranks 1, 2.5, 2.5, 4; y ranks 1, 2, 3, 4; mean rank 2.5.
  // Deviations dx = -1.5, 0, 0, 1.5 and dy = -1.5, -0.5, 0.5, 1.5.
  // sum dx dy = 2.25 + 2.25 = 4.5; sum dx^2 = 4.5; sum dy^2 = 5.
  // rho = 4.5 / sqrt(4.5 * 5) = sqrt(0.9).
  EXPECT_NEAR(SpearmanRho({1, 2, 2, 3}, {1, 2, 3, 4}), std::sqrt(0.9), 1e-12);
}

TEST(SpearmanRhoTest, DegenerateInputsAreNaN) {
  EXPECT_TRUE(std::isnan(SpearmanRho({1, 1, 1}, {1, 2, 3})));  // constant x
  EXPECT_TRUE(std::isnan(SpearmanRho({1}, {2})));              // one item
  EXPECT_TRUE(std::isnan(SpearmanRho({}, {})));
}

}  // namespace
}  // namespace rapport::eval
