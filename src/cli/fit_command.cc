// `rapport fit --labels FILE [--out FILE]`: re-estimates the tie-strength coefficients from
// labelled pairs (eval/logistic.h: L2-regularised logistic regression, the current coefficients
// as the prior, lambda chosen by k-fold cross-validated ROC AUC), prints the cross-validated
// ROC AUC of the current and the fitted model on the same folds, and writes the whole
// configuration with the fitted bias and coefficients, for `score --config`. It scores with
// WithEveryFeature(config), so shared attention is computed and fitted too, and the written
// configuration keeps its tie.top_partners.
//
// Labels file: one pair per line, "PERSON PERSON LABEL", separated by commas, tabs or spaces;
// a PERSON is anything `explain` accepts (an identity, a name or an id); LABEL is 1, strong,
// yes or true for a positive, 0, weak, no or false for a negative, or a number (positive when
// above 0). Lines starting with # and a header line are skipped.
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "context.h"
#include "rapport/cli/app.h"
#include "rapport/eval/logistic.h"
#include "rapport/eval/metrics.h"
#include "rapport/eval/protocol.h"

namespace rapport::cli {
namespace {

struct FitArgs {
  std::string labels;
  std::string out = "rapport.fitted.toml";
  std::string as_of;
  int folds = 5;
};

struct LabelledPair {
  std::string a, b;
  uint8_t label = 0;
  int64_t line = 0;
};

std::vector<std::string> SplitFields(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  for (char c : line) {
    if (c == ',' || c == '\t' || c == ' ') {
      if (!field.empty()) fields.push_back(std::move(field));
      field.clear();
    } else if (c != '\r') {
      field += c;
    }
  }
  if (!field.empty()) fields.push_back(std::move(field));
  return fields;
}

Result<uint8_t> ParseLabel(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (text == "strong" || text == "yes" || text == "true") return uint8_t{1};
  if (text == "weak" || text == "no" || text == "false") return uint8_t{0};
  try {
    size_t used = 0;
    const double value = std::stod(text, &used);
    if (used == text.size()) return static_cast<uint8_t>(value > 0 ? 1 : 0);
  } catch (const std::exception&) {
  }
  return InvalidArgument(
      fmt::format("label \"{}\" is not 1/0, strong/weak, yes/no, true/false or a number", text));
}

Result<std::vector<LabelledPair>> ReadLabels(const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFound(fmt::format("{}: cannot open the labels file", path));
  std::vector<LabelledPair> pairs;
  std::string line;
  int64_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::vector<std::string> fields = SplitFields(line);
    if (fields.empty() || fields[0][0] == '#') continue;
    if (fields.size() != 3) {
      return InvalidArgument(
          fmt::format("{}, line {}: expected \"PERSON PERSON LABEL\", found {} fields", path,
                      number, fields.size()));
    }
    Result<uint8_t> label = ParseLabel(fields[2]);
    if (!label.ok()) {
      if (number == 1 && pairs.empty()) continue;  // a header
      return label.status().WithContext(fmt::format("{}, line {}", path, number));
    }
    pairs.push_back({fields[0], fields[1], *label, number});
  }
  return pairs;
}

int RunFit(const GlobalOptions& global, const FitArgs& args) {
  Result<std::vector<LabelledPair>> labelled = ReadLabels(args.labels);
  if (!labelled.ok()) return Fail(labelled.status());
  Result<Scored> scored = OpenAndScore(global, args.as_of, /*every_feature=*/true);
  if (!scored.ok()) return Fail(scored.status());
  const score::ScoreRun& run = scored->run;

  std::unordered_map<uint64_t, uint32_t> pair_index;
  for (uint32_t i = 0; i < run.pairs.pairs.size(); ++i) {
    pair_index.emplace((uint64_t{run.pairs.pairs[i].u} << 32) | run.pairs.pairs[i].v, i);
  }
  std::vector<uint32_t> selected;
  std::vector<uint8_t> labels(run.pairs.pairs.size(), 0);
  int64_t unknown = 0, no_contact = 0;
  for (const LabelledPair& pair : *labelled) {
    Result<store::Person> a = scored->store->FindPerson(pair.a);
    Result<store::Person> b = scored->store->FindPerson(pair.b);
    std::optional<PersonIndex> ia, ib;
    if (a.ok()) ia = IndexOf(scored->log, a->id);
    if (b.ok()) ib = IndexOf(scored->log, b->id);
    if (!ia || !ib) {
      ++unknown;
      continue;
    }
    auto it = pair_index.find((uint64_t{std::min(*ia, *ib)} << 32) | std::max(*ia, *ib));
    if (it == pair_index.end()) {
      ++no_contact;
      continue;
    }
    if (std::find(selected.begin(), selected.end(), it->second) == selected.end()) {
      selected.push_back(it->second);
    }
    labels[it->second] = pair.label;
  }
  const eval::Design design = eval::ModelDesign(run.ties, run.config.tie, selected, labels);
  size_t positives = 0;
  for (uint8_t label : design.labels) positives += label;
  fmt::print(
      "{} labelled pairs: {} used ({} positive, {} negative), {} naming unknown people, "
      "{} without any contact\n",
      labelled->size(), design.rows(), positives, design.rows() - positives, unknown, no_contact);
  if (positives < static_cast<size_t>(args.folds) ||
      design.rows() - positives < static_cast<size_t>(args.folds)) {
    return Fail(InvalidArgument(fmt::format(
                    "too few labelled pairs with contact to fit: need at least {} positives and "
                    "{} negatives",
                    args.folds, args.folds)),
                "label more pairs, or check that the names match `rapport people`");
  }

  const std::vector<int> fold = eval::StratifiedFolds(design.labels, args.folds, eval::kFoldSeed);
  const std::vector<double> prior = eval::CoefficientPrior(run.config.tie);
  std::vector<double> current;
  for (uint32_t i : selected) current.push_back(run.ties.strength[i]);
  const eval::LambdaChoice choice =
      eval::ChooseLambda(design, fold, args.folds, eval::DefaultLambdaGrid(), prior);
  const eval::LogisticModel model = eval::FitLogistic(design, choice.lambda, prior);
  // The current model needs no fitting, so its cross-validated AUC is its AUC on these pairs.
  fmt::print("ROC AUC over {} folds: current model {:.3f}, fitted {:.3f} (lambda {:g})\n",
             args.folds, eval::RocAuc(current, design.labels), choice.cv_auc, choice.lambda);

  Config fitted = run.config;
  // The bias absorbs the centers: z = bias + sum w (x - c) / s, and the design already holds
  // (x - c) / s, so the fitted bias is the config's bias.
  fitted.tie.bias = model.bias;
  fmt::print("\n{:<18} {:>9} {:>9}\n", "feature", "current", "fitted");
  fmt::print("{:<18} {:>9.3f} {:>9.3f}\n", "bias", run.config.tie.bias, model.bias);
  for (int f = 0; f < kFeatureCount; ++f) {
    fitted.tie.coefficient[f] = model.weight[f];
    fmt::print("{:<18} {:>9.3f} {:>9.3f}\n", FeatureName(f), run.config.tie.coefficient[f],
               model.weight[f]);
  }
  std::ofstream out(args.out, std::ios::binary);
  out << "# Fitted by `rapport fit --labels " << args.labels << "` on " << design.rows()
      << " labelled pairs.\n"
      << ConfigToToml(fitted);
  if (!out) return Fail(IoError("cannot write " + args.out));
  fmt::print("\nwrote {}; use it with `rapport --config {} score`\n", args.out, args.out);
  return kExitOk;
}

}  // namespace

void AddFitCommand(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  auto args = std::make_shared<FitArgs>();
  CLI::App* command = app.add_subcommand(
      "fit",
      "Fit the tie-strength coefficients to labelled pairs (strong/weak) and write a config");
  command->add_option("--labels", args->labels, "PERSON PERSON LABEL per line (1/0, strong/weak)")
      ->required();
  command->add_option("--out", args->out, "where to write the fitted config")
      ->capture_default_str();
  command->add_option("--as-of", args->as_of, "score as of this time (default: the newest event)");
  command->add_option("--folds", args->folds, "cross-validation folds")
      ->check(CLI::Range(2, 20))
      ->capture_default_str();
  command->callback([&global, args, exit_code] { *exit_code = RunFit(global, *args); });
}

}  // namespace rapport::cli
