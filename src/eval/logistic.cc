#include "rapport/eval/logistic.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <random>

#include "rapport/eval/metrics.h"

namespace rapport::eval {
namespace {

// log(1 + e^-m) without overflow for large |m|.
double LogLoss(double margin) {
  return margin > 0 ? std::log1p(std::exp(-margin)) : -margin + std::log1p(std::exp(margin));
}

double Objective(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const Eigen::VectorXd& beta,
                 const Eigen::VectorXd& prior, double lambda) {
  const Eigen::VectorXd z = x * beta;
  double loss = 0;
  for (Eigen::Index i = 0; i < z.size(); ++i) loss += LogLoss(y[i] * z[i]);
  // beta[0] is the bias, not penalised.
  return loss + 0.5 * lambda * (beta - prior).tail(beta.size() - 1).squaredNorm();
}

Design Subset(const Design& design, const std::vector<int>& fold, int chosen, bool inside) {
  Design subset;
  subset.columns = design.columns;
  for (size_t i = 0; i < design.rows(); ++i) {
    if ((fold[i] == chosen) != inside) continue;
    subset.labels.push_back(design.labels[i]);
    subset.x.insert(subset.x.end(),
                    design.x.begin() + static_cast<std::ptrdiff_t>(i * design.columns),
                    design.x.begin() + static_cast<std::ptrdiff_t>((i + 1) * design.columns));
  }
  return subset;
}

}  // namespace

double LogisticModel::Logit(const double* row) const {
  double z = bias;
  for (size_t f = 0; f < weight.size(); ++f) z += weight[f] * row[f];
  return z;
}

LogisticModel FitLogistic(const Design& design, double lambda, const std::vector<double>& prior,
                          int max_iterations) {
  const Eigen::Index n = static_cast<Eigen::Index>(design.rows());
  const Eigen::Index p = design.columns + 1;  // column 0 is the bias
  Eigen::MatrixXd x(n, p);
  Eigen::VectorXd y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    x(i, 0) = 1;
    for (Eigen::Index f = 1; f < p; ++f) x(i, f) = design.x[i * design.columns + (f - 1)];
    y[i] = design.labels[i] != 0 ? 1.0 : -1.0;
  }
  Eigen::VectorXd penalty = Eigen::VectorXd::Constant(p, lambda);
  penalty[0] = 0;
  Eigen::VectorXd center = Eigen::VectorXd::Zero(p);  // the prior, bias first
  for (size_t f = 0; f < prior.size(); ++f) center[static_cast<Eigen::Index>(f) + 1] = prior[f];
  Eigen::VectorXd beta = center;
  LogisticModel model;
  double objective = Objective(x, y, beta, center, lambda);
  for (int iteration = 1; iteration <= max_iterations; ++iteration) {
    model.iterations = iteration;
    const Eigen::VectorXd z = x * beta;
    Eigen::VectorXd gradient = penalty.cwiseProduct(beta - center);
    Eigen::VectorXd curvature(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      const double probability = 1.0 / (1.0 + std::exp(-z[i]));  // P(y = +1)
      const double target = y[i] > 0 ? 1.0 : 0.0;
      gradient += (probability - target) * x.row(i).transpose();
      curvature[i] = std::max(probability * (1 - probability), 1e-12);
    }
    Eigen::MatrixXd hessian = x.transpose() * curvature.asDiagonal() * x;
    hessian.diagonal() += penalty;
    hessian.diagonal().array() += 1e-10;  // keeps the bias direction solvable with one class
    const Eigen::VectorXd step = hessian.ldlt().solve(gradient);
    // Newton step with backtracking: the objective never increases.
    double scale = 1;
    Eigen::VectorXd next = beta - step;
    double next_objective = Objective(x, y, next, center, lambda);
    while (next_objective > objective && scale > 1e-6) {
      scale /= 2;
      next = beta - scale * step;
      next_objective = Objective(x, y, next, center, lambda);
    }
    const double change = std::abs(objective - next_objective);
    if (next_objective <= objective) {
      beta = next;
      objective = next_objective;
    }
    if (change <= 1e-10 * (1 + std::abs(objective)) || step.cwiseAbs().maxCoeff() * scale < 1e-9) {
      model.converged = true;
      break;
    }
  }
  model.bias = beta[0];
  model.weight.assign(beta.data() + 1, beta.data() + p);
  return model;
}

std::vector<double> Predict(const LogisticModel& model, const Design& design) {
  std::vector<double> logits(design.rows());
  for (size_t i = 0; i < design.rows(); ++i) {
    logits[i] = model.Logit(design.x.data() + i * design.columns);
  }
  return logits;
}

std::vector<int> StratifiedFolds(const std::vector<uint8_t>& labels, int k, uint64_t seed) {
  std::vector<size_t> positives, negatives;
  for (size_t i = 0; i < labels.size(); ++i) (labels[i] != 0 ? positives : negatives).push_back(i);
  std::mt19937_64 random(seed);
  std::shuffle(positives.begin(), positives.end(), random);
  std::shuffle(negatives.begin(), negatives.end(), random);
  std::vector<int> fold(labels.size(), 0);
  int next = 0;
  for (const std::vector<size_t>* group : {&positives, &negatives}) {
    for (size_t i : *group) {
      fold[i] = next;
      next = (next + 1) % k;
    }
  }
  return fold;
}

std::vector<double> CrossValidatedLogits(const Design& design, const std::vector<int>& fold, int k,
                                         double lambda, const std::vector<double>& prior) {
  std::vector<double> logits(design.rows(), 0.0);
  for (int held_out = 0; held_out < k; ++held_out) {
    const LogisticModel model = FitLogistic(Subset(design, fold, held_out, false), lambda, prior);
    for (size_t i = 0; i < design.rows(); ++i) {
      if (fold[i] == held_out) logits[i] = model.Logit(design.x.data() + i * design.columns);
    }
  }
  return logits;
}

LambdaChoice ChooseLambda(const Design& design, const std::vector<int>& fold, int k,
                          const std::vector<double>& grid, const std::vector<double>& prior) {
  LambdaChoice best;
  best.cv_auc = -1;
  for (double lambda : grid) {
    std::vector<double> logits = CrossValidatedLogits(design, fold, k, lambda, prior);
    const double auc = RocAuc(logits, design.labels);
    if (auc > best.cv_auc) best = {lambda, auc, std::move(logits)};
  }
  return best;
}

std::vector<double> NestedCrossValidatedLogits(const Design& design, int k, uint64_t seed,
                                               const std::vector<double>& grid,
                                               const std::vector<double>& prior) {
  const std::vector<int> outer = StratifiedFolds(design.labels, k, seed);
  std::vector<double> logits(design.rows(), 0.0);
  for (int held_out = 0; held_out < k; ++held_out) {
    const Design training = Subset(design, outer, held_out, false);
    const std::vector<int> inner = StratifiedFolds(training.labels, k, seed + 1 + held_out);
    const double lambda = ChooseLambda(training, inner, k, grid, prior).lambda;
    const LogisticModel model = FitLogistic(training, lambda, prior);
    for (size_t i = 0; i < design.rows(); ++i) {
      if (outer[i] == held_out) logits[i] = model.Logit(design.x.data() + i * design.columns);
    }
  }
  return logits;
}

std::vector<double> DefaultLambdaGrid() { return {1e-2, 1e-1, 1, 10, 100, 1e3, 1e4, 1e5}; }

}  // namespace rapport::eval
