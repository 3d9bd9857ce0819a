// `rapport eval TASK --data DIR [--markdown FILE]`: the evaluation protocols on the public data
// sets. TASK is `ties` (protocol 1), `lasting` (protocol 2), `influence` (protocol 3), `klout`
// (protocol 4) or `all`. Prints one markdown table per data set; with --markdown, also writes the
// whole report (docs/EVALUATION.md via `make eval`): date, machine, command, citations, tables
// and readings. The scores use the effective configuration (the defaults unless --config); the
// only fitted row, in protocols 1 and 2, is fitted in nested cross-validation.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "context.h"
#include "rapport/cli/app.h"
#include "rapport/core/time.h"
#include "rapport/eval/influence.h"
#include "rapport/eval/perturbation.h"
#include "rapport/eval/protocol.h"

namespace rapport::cli {
namespace {

struct EvalArgs {
  std::string task = "all";
  std::string data = "../shared/data";
  std::string markdown;
};

// One titled part of the report: a tie table of protocols 1 and 2 (with its comparisons), or
// the markdown of protocols 3 and 4.
struct Section {
  std::string title;
  eval::EvalTable table;
  std::string markdown;  // when set, printed instead of the table

  bool is_tie_table() const { return markdown.empty(); }
};

const char* const kCollegeMsg = "collegemsg/CollegeMsg.txt";
const char* const kEmailEu =
    "email-eu-core/email-Eu-core-temporal.DERIVED-first-quarter-relabelled.txt";
const char* const kBitcoin = "bitcoin-otc/soc-sign-bitcoinotc.csv";
const char* const kThiers = "sociopatterns/thiers13/";

const char* const kCitations =
    R"(- **CollegeMsg** (SNAP, https://snap.stanford.edu/data/CollegeMsg.html): P. Panzarasa,
  T. Opsahl, K. M. Carley, "Patterns and dynamics of users' behavior and interaction: Network
  analysis of an online community", JASIST 60(5), 2009. 59,835 private messages among 1,899
  students, 2004-04-15 .. 2004-10-26.
- **email-Eu-core temporal** (SNAP, https://snap.stanford.edu/data/email-Eu-core-temporal.html):
  J. Leskovec, J. Kleinberg, C. Faloutsos, TKDD 2007; A. Paranjape, A. R. Benson, J. Leskovec,
  "Motifs in temporal networks", WSDM 2017; H. Yin, A. R. Benson, J. Leskovec, D. F. Gleich,
  KDD 2017. The copy used is DERIVED, not the original: roughly the first quarter of the
  interactions with renumbered nodes (83,083 rows, 816 nodes, about 150 days).
- **Bitcoin OTC** (SNAP, https://snap.stanford.edu/data/soc-sign-bitcoin-otc.html): S. Kumar,
  F. Spezzano, V. S. Subrahmanian, C. Faloutsos, "Edge Weight Prediction in Weighted Signed
  Networks", ICDM 2016; S. Kumar et al., "REV2: Fraudulent User Prediction in Rating Platforms",
  WSDM 2018. 35,592 trust ratings (-10..10) among 5,881 users, 2010-11 .. 2016-01.
- **SocioPatterns Thiers13** (http://www.sociopatterns.org/datasets/high-school-contact-and-friendship-networks/):
  R. Mastrandrea, J. Fournet, A. Barrat, "Contact Patterns in a High School: A Comparison between
  Data Collected Using Wearable Sensors, Contact Diaries and Friendship Surveys", PLoS ONE 10(9),
  2015, doi:10.1371/journal.pone.0136497. 188,508 face-to-face contacts (20 s resolution) among
  327 students, a friendship survey (668 arcs) and contact diaries (502 entries).
- **Zachary's karate club** (networkx-classic/karate_edges_weighted.csv): W. W. Zachary, "An
  Information Flow Model for Conflict and Fission in Small Groups", Journal of Anthropological
  Research 33(4), 1977. 34 members, 78 weighted friendship edges; node 0 is the instructor and
  node 33 the club's administrator, the two leaders of the split.
- **email-Eu-core** (SNAP, https://snap.stanford.edu/data/email-Eu-core.html), the static edge
  list and its department labels (42 departments): H. Yin, A. R. Benson, J. Leskovec,
  D. F. Gleich, "Local Higher-order Graph Clustering", KDD 2017; J. Leskovec, J. Kleinberg,
  C. Faloutsos, TKDD 2007. The labels match the static file, not the relabelled temporal copy.
)";

const char* const kMethod = R"(## Protocols

Every score but one uses rapport's default configuration (`rapport config`), which the labels
never see. Each table ranks the candidate pairs by one score and reports ROC AUC (ties counted
by midranks, Mann-Whitney) and average precision (step-wise, tied scores grouped). A random
ranking has ROC AUC 0.5 and an AP equal to the share of positives. The default coefficients were
chosen by looking at earlier versions of these tables (docs/SCORING.md, "How the defaults were
chosen"): a handful of rounded logit weights, not fitted, but not blind either.

Two rows are fitted to the table's own labels, each in nested cross-validation: the pairs are
split into 5 stratified folds; each fold is scored by a model fitted on the other four, whose
lambda (10^-2 .. 10^5) was itself chosen by an inner 5-fold cross-validation of those four. No
pair is scored by a model that saw its label.

- **rapport tie strength, fitted (5-fold CV)** is rapport's logistic model re-fitted
  (L2-regularised logistic regression with Eigen, `eval/logistic.h`, the default coefficients as
  the prior): all of docs/SCORING.md's features, including those whose default weight is 0
  (attention, silence, the two partners' activity, shared attention), which is what `rapport
  fit` does.
- **L2 logistic regression over the single features (5-fold CV)** is the reference the fitted
  model has to beat: a plain L2 logistic regression (prior 0) over the table's single features
  below, each put through sign(x) ln(1 + |x|) and standardised over the candidates.

Under each table, the default and the fitted tie strength are compared with the table's best
single feature (by ROC AUC, chosen after the fact, which favours the baseline), and the fitted
tie strength with the L2 reference: the difference of ROC AUC and its 95% paired-bootstrap
interval (1,000 resamples of the pairs, the same resample for both scores).

The scores: **rapport tie strength** (the logistic model of docs/SCORING.md, defaults) and each
single feature as a baseline: **event count** (undecayed, both ways), **total effort**
(undecayed effort, both ways), **intensity** (log of decayed effort), **recency** (minus the
days since the last contact), **duration**, **regularity**, **reciprocity**, **common
neighbours** (shared neighbours in the undirected graph of all pairs with contact) and, in
protocol 2, the **volume score, less active partner** (the lower of the two people's volume
scores as of the cut).

**Protocol 1, ties against what people said** (SocioPatterns Thiers13). Each 20-second contact
record "t i j" is a mutual in_person meeting: two events, i->j and j->i, each with half of an
effort override of 4 x 20 / 3600 (the meeting rate of 4 per hour; the default meeting effort,
4 + log2(1 + hours), would give 20 seconds almost the weight of a four-hour meeting) and half of
the 20 seconds, so a pair's total effort is proportional to its total contact time. Everything is
scored as of the last contact. Candidates: the pairs with contact. Labels: a friendship-survey
arc in either direction; separately, a contact-diary entry in either direction. Many students
did not fill in the survey or the diary, so some negatives are pairs nobody was asked about;
this lowers every score's AP alike.

**Protocol 2, relationships that last** (CollegeMsg, email-Eu-core temporal, Bitcoin OTC).
Everything is computed as of the end of the first two thirds of the data set's time span, from
the events at or before that time only. Candidates: the pairs with contact in the first two
thirds. Label: contact in the last third. Bitcoin OTC: the candidates are the pairs rated in one
direction only in the first two thirds, the label is a positive rating in the last third, either
way.

**Protocol 3, influence against ground truth.** Side by side: the rapport score and the volume
score (1-100), in-degree (distinct people who directed an event at the person) and plain
PageRank (damping 0.85 on the directed who-contacted-whom graph, dangling standing spread
evenly). Karate club: each edge of weight w becomes w monthly meetings (two one-hour meeting
events, one each way), the last on 1972-01-01, so every pair is current; the question is whether
nodes 0 and 33 rank at the top. Bitcoin OTC: scores as of two thirds of the time span, from the
ratings before it; ground truth is the net trust received after it (the sum of ratings,
-10..10); Spearman rho over everyone scored before the cut (people without later ratings count
0) and over the people rated after the cut. email-Eu-core: the static edge list (no times: each
arc is one private email on one date, so the time features are alike for every pair); per
department with at least 10 members, the share of the department's total score held by its top
10%, and how many departments have a top member scoring 50 or more.

**Protocol 4, Klout's failures on real people.** CollegeMsg and email-Eu-core temporal, scored
as of the last event. Stable people: at least two ties with events both ways and contact both
in the 30 days before the scoring date and earlier; up to 200 of them, evenly spaced in order
of first appearance. For each, the whole population is re-scored after one change to the log:
(1) the person's own actions in the 7 days before the scoring date removed; (2) ten target-less
public posts added at the time of each of their own actions in the 90-day volume window (ten
times their broadcast volume, nobody engaging); (3) every event with them, as actor or target,
in the 180 days before the scoring date removed. Reported: the mean change of each score over
all chosen people and over those whose log the change touched, and the worst change.
)";

const char* const kLimits = R"(## Targets, and what is still missed

- Default model within 0.02 ROC AUC of the best single feature on every table of protocols 1
  and 2: the first row of each comparison table; its worst case is stated under "Results".
- Fitted model better than the best single feature with an interval that excludes 0 (the
  second row of each comparison table) on Thiers13 friendship, email-Eu-core and Bitcoin OTC,
  and not worse on CollegeMsg. The contact diaries are not a target table; there the fitted
  model's interval includes 0.
- Fitted model better than a plain L2 logistic regression over the single features: the third
  row of each comparison table, against the reference measured in the same run, and the table
  at the end of this page, next to the values the issue quotes for it. The fitted model reached
  these only after four features joined the model at weight 0, for `fit` (docs/SCORING.md,
  "How the defaults were chosen"): silence, the two partners' activity and shared attention.
  The narrowest margin is on email-Eu-core: read its interval before calling it a win.
- Protocol 4: a 7-day silence should cost under 1 rapport point on average while the volume
  score loses more, and ten times the broadcasts should move the rapport score by at most 0.5.
  The mean over everyone chosen meets the first; over the people whose week was not already
  empty the mean loss is above 1 point: removing a week of someone's messages does remove part
  of their relationships' recent activity, and the 1-100 curve is steep in the middle.
- The email-Eu-core influence question is answered on the static file only; its departments do
  not apply to the temporal copy.
)";

std::string MachineDescription() {
  std::string model = "unknown";
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0) {
      const size_t colon = line.find(':');
      if (colon != std::string::npos) model = line.substr(colon + 2);
      break;
    }
  }
  return fmt::format("{} logical CPUs (nproc), {}", std::thread::hardware_concurrency(), model);
}

// Runs the protocols of the task; an error when a data file is missing or unreadable.
Result<std::vector<Section>> RunTask(const EvalArgs& args, const Config& config) {
  const std::filesystem::path data(args.data);
  std::vector<Section> sections;
  if (args.task == "ties" || args.task == "all") {
    const std::filesystem::path folder = data / kThiers;
    RAPPORT_ASSIGN_OR_RETURN(EventLog log,
                             eval::LoadContactLog((folder / "tij_thiers13.dat").string()));
    RAPPORT_ASSIGN_OR_RETURN(
        eval::IdentityPairs friends,
        eval::LoadIdentityPairs((folder / "Friendship-network_data_2013.csv").string()));
    RAPPORT_ASSIGN_OR_RETURN(
        eval::IdentityPairs diaries,
        eval::LoadIdentityPairs((folder / "Contact-diaries-network_data_2013.csv").string()));
    sections.push_back(
        {"Protocol 1: Thiers13, friendship survey",
         eval::RunReported(log, config, "thiers13", "a friendship-survey arc, either way", friends),
         ""});
    sections.push_back(
        {"Protocol 1: Thiers13, contact diaries",
         eval::RunReported(log, config, "thiers13", "a contact-diary entry, either way", diaries),
         ""});
  }
  if (args.task == "lasting" || args.task == "all") {
    struct Source {
      const char* title;
      const char* file;
      eval::LabelRule rule;
      bool one_direction_only;
    };
    const Source sources[] = {
        {"Protocol 2: CollegeMsg", kCollegeMsg, eval::LabelRule::kAnyContact, false},
        {"Protocol 2: email-Eu-core temporal (derived)", kEmailEu, eval::LabelRule::kAnyContact,
         false},
        {"Protocol 2: Bitcoin OTC", kBitcoin, eval::LabelRule::kPositiveRating, true},
    };
    for (const Source& source : sources) {
      RAPPORT_ASSIGN_OR_RETURN(EventLog log, eval::LoadSnapLog((data / source.file).string()));
      sections.push_back(
          {source.title,
           eval::RunLasting(log, config, source.file, source.rule, source.one_direction_only), ""});
    }
  }
  if (args.task == "influence" || args.task == "all") {
    RAPPORT_ASSIGN_OR_RETURN(eval::InfluenceReport influence,
                             eval::RunInfluence(data.string(), config));
    sections.push_back({"Protocol 3: Zachary's karate club, the two leaders",
                        {},
                        eval::MarkdownTable(influence.karate) +
                            "\nReading: " + eval::Reading(influence.karate) + "\n"});
    sections.push_back({"Protocol 3: Bitcoin OTC, trust received later",
                        {},
                        eval::MarkdownTable(influence.bitcoin) +
                            "\nReading: " + eval::Reading(influence.bitcoin) + "\n"});
    sections.push_back({"Protocol 3: email-Eu-core, departments",
                        {},
                        eval::MarkdownTable(influence.email) +
                            "\nReading: " + eval::Reading(influence.email) + "\n"});
  }
  if (args.task == "klout" || args.task == "all") {
    const std::pair<const char*, const char*> sources[] = {
        {"Protocol 4: Klout's failures on CollegeMsg", kCollegeMsg},
        {"Protocol 4: Klout's failures on email-Eu-core temporal (derived)", kEmailEu}};
    for (const auto& [title, file] : sources) {
      RAPPORT_ASSIGN_OR_RETURN(EventLog log, eval::LoadSnapLog((data / file).string()));
      RAPPORT_ASSIGN_OR_RETURN(
          eval::PerturbationTable table,
          eval::RunPerturbations(log, config, file, eval::DefaultPerturbationOptions(config)));
      sections.push_back(
          {title, {}, eval::MarkdownTable(table) + "\nReading: " + eval::Reading(table) + "\n"});
    }
  }
  return sections;
}

// The default model's worst shortfall against the best single feature, over the tie tables.
std::string Shortfall(const std::vector<Section>& sections) {
  double worst = 1;
  std::string where;
  for (const Section& section : sections) {
    if (!section.is_tie_table() || section.table.comparisons.empty()) continue;
    const eval::Comparison& c = section.table.comparisons.front();
    if (c.difference < worst) {
      worst = c.difference;
      where = fmt::format("{} ({} against {})", section.title, c.score, c.baseline);
    }
  }
  if (where.empty()) return "";
  return fmt::format(
      "The default model's worst ROC AUC difference to the best single feature of a table is "
      "{:+.3f}, on {}.\n\n",
      worst, where);
}

// The fitted model against the L2 reference of each tie table, measured and as the issue quotes
// it (protocols 1 and 2 of issue 4: about 0.80, 0.88, 0.82 and 0.86).
std::string AgainstReference(const std::vector<Section>& sections) {
  const std::pair<const char*, double> quoted[] = {
      {"Protocol 1: Thiers13, friendship survey", 0.80},
      {"Protocol 2: CollegeMsg", 0.88},
      {"Protocol 2: email-Eu-core temporal (derived)", 0.82},
      {"Protocol 2: Bitcoin OTC", 0.86}};
  std::string out =
      "| table | fitted ROC AUC | L2 reference, measured | difference (95% interval) | L2 "
      "reference, as quoted |\n|---|---|---|---|---|\n";
  for (const Section& section : sections) {
    if (!section.is_tie_table() || section.table.comparisons.size() < 3) continue;
    const eval::EvalTable& table = section.table;
    const eval::Comparison& c = table.comparisons[2];
    std::string as_quoted = "(not a target table)";
    for (const auto& [title, value] : quoted) {
      if (section.title == title) as_quoted = fmt::format("about {:.2f}", value);
    }
    out += fmt::format("| {} | {:.3f} | {:.3f} | {:+.3f} ({:+.3f} .. {:+.3f}) | {} |\n",
                       section.title, table.rows[1].roc_auc, table.rows[2].roc_auc, c.difference,
                       c.low, c.high, as_quoted);
  }
  return out;
}

// How often rapport's tie strength is the best score of a table, on each metric.
std::string Summary(const std::vector<Section>& sections) {
  int best_auc = 0, best_ap = 0, tables = 0;
  for (const Section& section : sections) {
    if (!section.is_tie_table()) continue;
    ++tables;
    const std::vector<eval::MetricRow>& rows = section.table.rows;
    if (rows.empty()) continue;
    double top_auc = rows.front().roc_auc, top_ap = rows.front().average_precision;
    for (const eval::MetricRow& row : rows) {
      if (eval::IsFittedRow(row.score)) continue;
      top_auc = std::max(top_auc, row.roc_auc);
      top_ap = std::max(top_ap, row.average_precision);
    }
    best_auc += rows.front().roc_auc >= top_auc ? 1 : 0;
    best_ap += rows.front().average_precision >= top_ap ? 1 : 0;
  }
  return fmt::format(
      "In short: of the {} tie tables below (protocols 1 and 2), rapport's default tie strength "
      "is the best score by ROC AUC in {} and by AP in {} (the fitted row aside); where it is "
      "not, a single feature beats it, and each table's reading says which and by how much. "
      "Its first row is always the default tie strength, its second the fitted one, its third "
      "the L2 reference.\n\n",
      tables, best_auc, best_ap);
}

std::string Document(const EvalArgs& args, const std::vector<Section>& sections, double seconds) {
  using std::chrono::system_clock;
  const double now = std::chrono::duration<double>(system_clock::now().time_since_epoch()).count();
  std::string out = "# Evaluation\n\n";
  out +=
      "Generated by `make eval`; do not edit by hand (edit src/cli/eval_command.cc and run "
      "`make eval` again).\n\n";
  out += fmt::format("- date: {}\n", FormatDate(now));
  out += fmt::format("- machine: {}\n", MachineDescription());
  out += fmt::format("- command: `rapport eval {} --data {} --markdown {}` ({:.1f} s)\n\n",
                     args.task, args.data, args.markdown, seconds);
  out += "## Data sets\n\n";
  out += kCitations;
  out += "\n";
  out += kMethod;
  out += "\n## Results\n\n";
  out += Summary(sections);
  out += Shortfall(sections);
  for (const Section& section : sections) {
    out += fmt::format("### {}\n\n", section.title);
    if (!section.is_tie_table()) {
      out += section.markdown + "\n";
      continue;
    }
    out += fmt::format("Positive: {}.\n\n", section.table.label);
    out += eval::MarkdownTable(section.table);
    out += "\n" + eval::ComparisonTable(section.table);
    out += "\nReading: " + eval::Reading(section.table) + "\n\n";
  }
  out += kLimits;
  out += "\nThe fitted model against the L2 reference, table by table:\n\n";
  out += AgainstReference(sections);
  return out;
}

int RunEval(const GlobalOptions& global, const EvalArgs& args) {
  Result<Config> config = EffectiveConfig(global);
  if (!config.ok()) return Fail(config.status());
  const auto start = std::chrono::steady_clock::now();
  Result<std::vector<Section>> sections = RunTask(args, *config);
  if (!sections.ok()) {
    return Fail(sections.status(), "--data must name the shared data folder (../shared/data)");
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const Section& section : *sections) {
    if (section.is_tie_table()) {
      fmt::print("## {}\n\nPositive: {}.\n\n{}\n{}\n", section.title, section.table.label,
                 eval::MarkdownTable(section.table), eval::ComparisonTable(section.table));
    } else {
      fmt::print("## {}\n\n{}\n", section.title, section.markdown);
    }
  }
  if (!args.markdown.empty()) {
    std::ofstream out(args.markdown, std::ios::binary);
    out << Document(args, *sections, seconds);
    if (!out) return Fail(IoError("cannot write " + args.markdown));
    fmt::print("wrote {}\n", args.markdown);
  }
  return kExitOk;
}

}  // namespace

void AddEvalCommand(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  auto args = std::make_shared<EvalArgs>();
  CLI::App* command = app.add_subcommand(
      "eval", "Measure tie strength and single-feature baselines on the public data sets");
  command
      ->add_option("task", args->task,
                   "ties (protocol 1), lasting (protocol 2), influence (protocol 3), klout "
                   "(protocol 4) or all")
      ->check(CLI::IsMember({"ties", "lasting", "influence", "klout", "all"}))
      ->capture_default_str();
  command->add_option("--data", args->data, "the shared data folder")->capture_default_str();
  command->add_option("--markdown", args->markdown,
                      "also write the whole report (docs/EVALUATION.md) to this file");
  command->callback([&global, args, exit_code] { *exit_code = RunEval(global, *args); });
}

}  // namespace rapport::cli
