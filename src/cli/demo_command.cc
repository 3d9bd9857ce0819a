// `rapport demo`: the built-in scenario end to end. It writes the scenario's events as CSV,
// imports them into a fresh store with the normal importer, prints both scores side by side with
// a reading of what they show, shows what one week off does to each score, and writes the
// self-contained HTML report.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "context.h"
#include "rapport/cli/app.h"
#include "rapport/core/time.h"
#include "rapport/report/html_report.h"
#include "rapport/scenario/demo.h"
#include "rapport/score/cooling.h"
#include "rapport/score/history.h"
#include "rapport/store/import.h"

namespace rapport::cli {
namespace {

struct DemoArgs {
  std::string report = "report.html";
  uint64_t seed = scenario::DemoOptions{}.seed;
};

const score::PersonScore* ByName(const score::ScoreRun& run, const std::string& name) {
  for (const score::PersonScore& person : run.people) {
    if (person.name == name) return &person;
  }
  return nullptr;
}

// Scores of the scenario computed in memory (no store), for before/after comparisons.
score::ScoreRun ScoreScenario(const scenario::DemoOptions& options, const Config& config) {
  std::vector<Event> events = scenario::BuildDemoEvents(options);
  return score::ScoreEvents(EventLogFromEvents(events), config, options.end_time);
}

int RunDemo(const GlobalOptions& global, const DemoArgs& args) {
  Result<Config> config = EffectiveConfig(global);
  if (!config.ok()) return Fail(config.status());
  scenario::DemoOptions options;
  options.seed = args.seed;

  // A fresh store: the demo never mixes with earlier data.
  for (const char* suffix : {"", "-wal", "-shm", ".rejects.tsv"}) {
    std::error_code ignored;
    std::filesystem::remove(global.db + suffix, ignored);
  }
  const std::vector<Event> events = scenario::BuildDemoEvents(options);
  const std::string csv_path = global.db + ".events.csv";
  {
    std::ofstream csv(csv_path, std::ios::binary);
    csv << scenario::DemoEventsCsv(events);
    if (!csv) return Fail(IoError("cannot write " + csv_path));
  }
  Result<std::unique_ptr<store::Store>> store = OpenStore(global);
  if (!store.ok()) return Fail(store.status());
  Status owner = (*store)->SetOwnerIdentity(scenario::kBlogger);
  if (!owner.ok()) return Fail(owner);
  store::ImportOptions import_options;
  import_options.rejects_path = store::RejectsPathFor(global.db);
  Result<store::FileImportReport> imported = store::ImportFile(**store, csv_path, import_options);
  if (!imported.ok()) return Fail(imported.status());
  fmt::print("Demo scenario: {} events over {} weeks, written to {} and imported into {}\n",
             events.size(), options.weeks, csv_path, global.db);
  fmt::print("  read {} = accepted {} + rejected {} + duplicate {}\n\n", imported->read,
             imported->accepted, imported->rejected, imported->duplicate);

  Result<EventLog> log = (*store)->LoadEventLog(options.end_time);
  if (!log.ok()) return Fail(log.status());
  const score::ScoreRun run = score::ScoreEvents(*log, *config, options.end_time);

  const std::vector<std::string> cast = {scenario::kBlogger,
                                         scenario::kBroadcaster,
                                         scenario::kEmailPhoneFriend,
                                         scenario::kLikeOnlyAcquaintance,
                                         "ben",
                                         "alba",
                                         "fan001"};
  fmt::print("Two scores side by side (as of {}, {} people):\n\n", FormatDate(run.as_of),
             run.people.size());
  fmt::print("  {:<8} {:>7} {:>8}  {:>6} {:>12}  {}\n", "person", "volume", "rapport", "ties",
             "strong ties", "who");
  const std::map<std::string, std::string> roles = {
      {scenario::kBlogger, "blogger: email, blog comments, calls, favours"},
      {scenario::kBroadcaster, "broadcaster: 8 posts a day, many fans"},
      {scenario::kEmailPhoneFriend, "maya's friend, email and phone only"},
      {scenario::kLikeOnlyAcquaintance, "likes maya's tweets, nothing else"},
      {"ben", "one of maya's close friends"},
      {"alba", "an ordinary person in a circle of friends"},
      {"fan001", "one of blaze's fans"}};
  for (const std::string& name : cast) {
    if (const score::PersonScore* p = ByName(run, name)) {
      fmt::print("  {:<8} {:>7.1f} {:>8.1f}  {:>6} {:>12}  {}\n", name, p->volume_score,
                 p->rapport_score, p->ties, p->rapport.strong_ties, roles.at(name));
    }
  }
  const score::PersonScore* maya = ByName(run, scenario::kBlogger);
  const score::PersonScore* blaze = ByName(run, scenario::kBroadcaster);
  if (maya == nullptr || blaze == nullptr) {
    return Fail(Internal("the demo scenario lost its main characters"));
  }
  fmt::print(
      "\nReading: blaze makes the most noise ({} ties, almost all of them fans who like and share "
      "his posts), so the Klout-style volume score puts him at {:.0f} against maya's {:.0f}. "
      "But only {} of his ties are strong, while maya keeps {} strong relationships through "
      "email, blog comments, calls and favours that no social feed shows; the rapport score, "
      "built from those relationships, gives maya {:.0f} and blaze {:.0f}.\n\n",
      blaze->ties, blaze->volume_score, maya->volume_score, blaze->rapport.strong_ties,
      maya->rapport.strong_ties, maya->rapport_score, blaze->rapport_score);

  // One week off: each of them stays silent for the last 7 days.
  std::vector<report::ScoreChange> changes;
  const score::ScoreRun baseline = ScoreScenario(options, *config);
  for (const char* who : {scenario::kBlogger, scenario::kBroadcaster}) {
    scenario::DemoOptions quiet = options;
    quiet.silent_person = who;
    quiet.silent_days = 7;
    const score::ScoreRun after = ScoreScenario(quiet, *config);
    const score::PersonScore* before_score = ByName(baseline, who);
    const score::PersonScore* after_score = ByName(after, who);
    if (before_score == nullptr || after_score == nullptr) continue;
    changes.push_back({who, before_score->volume_score, after_score->volume_score,
                       before_score->rapport_score, after_score->rapport_score});
  }
  fmt::print("One week off (no posts, messages or calls of their own for 7 days):\n\n");
  fmt::print("  {:<8} {:>22} {:>22}\n", "person", "volume before -> after",
             "rapport before -> after");
  for (const report::ScoreChange& c : changes) {
    fmt::print("  {:<8} {:>8.1f} -> {:>5.1f} ({:+.1f}) {:>8.1f} -> {:>5.1f} ({:+.1f})\n", c.name,
               c.volume_before, c.volume_after, c.volume_after - c.volume_before, c.rapport_before,
               c.rapport_after, c.rapport_after - c.rapport_before);
  }
  fmt::print(
      "\nA week away costs the volume score points, as it cost Klout users; the relationships "
      "are the same as a week before, and the rapport score says so.\n");

  report::HtmlReportInput input;
  input.run = &run;
  input.title = std::string(scenario::kDemoTitle);
  input.story = std::string(scenario::kDemoStory);
  input.focus = IndexOf(*log, maya->id);
  input.changes = changes;
  input.history =
      score::PersonHistory(*log, *config, *input.focus, options.end_time - 25 * kSecondsPerWeek,
                           options.end_time, kSecondsPerWeek);
  input.cooling = score::FindCooling(run, std::nullopt);
  std::ofstream html(args.report, std::ios::binary);
  html << report::RenderHtmlReport(input);
  if (!html) return Fail(IoError("cannot write " + args.report));
  fmt::print("\nReport written to {} (self-contained; open it in any browser, offline).\n",
             args.report);
  fmt::print("Try: rapport --db {} ties maya | explain maya | cooling | history maya\n", global.db);
  fmt::print("See it: rapport --db {} serve, then open http://127.0.0.1:8080/\n", global.db);
  return kExitOk;
}

}  // namespace

void AddDemoCommand(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  auto args = std::make_shared<DemoArgs>();
  CLI::App* command = app.add_subcommand(
      "demo", "Run the built-in scenario: the blogger, the broadcaster and their friends");
  command->add_option("--report", args->report, "Where to write the HTML report")
      ->capture_default_str();
  command->add_option("--seed", args->seed, "Scenario random seed")->capture_default_str();
  command->callback([&global, args, exit_code] { *exit_code = RunDemo(global, *args); });
}

}  // namespace rapport::cli
