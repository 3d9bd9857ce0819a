// The commands that read scores: score, ties, explain, cooling, history.
#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <optional>
#include <thread>

#include "context.h"
#include "rapport/cli/app.h"
#include "rapport/core/huge_pages.h"
#include "rapport/core/time.h"
#include "rapport/ingest/binary_events.h"
#include "rapport/report/output.h"
#include "rapport/report/score_files.h"
#include "rapport/score/cooling.h"
#include "rapport/score/history.h"
#include "rapport/score/incremental.h"

namespace rapport::cli {
namespace {

struct ViewArgs {
  std::string as_of;
  std::string format = "table";
  int top = 0;
  std::string person;
  bool all = false;
  std::string every = "week";
  std::string from;
  int points = 26;
  std::vector<std::string> inputs;  // score --input: the batch path, no store
  std::string input_format = "auto";
  std::string out_dir;         // score --input --out: the score directory (report/score_files.h)
  std::string spill = "auto";  // score --input on binary files: where the contacts wait
  std::string spill_dir;
  bool full = false;     // score: from every event, not from the checkpoint
  bool timings = false;  // score on the store: each stage's seconds on stderr
};

// Reports the wall seconds since the last lap (or since it was made) under a stage's name, when
// asked to; silent otherwise.
class StageTimer {
 public:
  explicit StageTimer(bool report) : report_(report) {}
  void Lap(std::string_view stage) {
    const auto now = std::chrono::steady_clock::now();
    if (report_) Report(stage, std::chrono::duration<double>(now - last_).count());
    last_ = now;
  }
  // For the stages score::ScoreAggregates times itself.
  score::StageCallback Callback() {
    if (!report_) return {};
    return [this](std::string_view stage, double seconds) {
      Report(stage, seconds);
      last_ = std::chrono::steady_clock::now();
    };
  }

 private:
  static void Report(std::string_view stage, double seconds) {
    fmt::print(stderr, "  {}: {:.2f} s\n", stage, seconds);
  }
  bool report_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

void AddViewOptions(CLI::App* command, ViewArgs& args) {
  command->add_option("--as-of", args.as_of,
                      "Score as of this date (YYYY-MM-DD, ISO 8601, epoch seconds or now; "
                      "default: the newest event)");
  command->add_option("--format", args.format, "table, json or csv")->capture_default_str();
}

// Opens, scores and resolves the person (when given); on failure prints and returns nullopt.
struct Prepared {
  Scored scored;
  std::optional<store::Person> person;
  std::optional<PersonIndex> index;
};

Result<Prepared> Prepare(const GlobalOptions& global, const ViewArgs& args) {
  Prepared prepared;
  RAPPORT_ASSIGN_OR_RETURN(prepared.scored, OpenAndScore(global, args.as_of));
  if (!args.person.empty()) {
    RAPPORT_ASSIGN_OR_RETURN(prepared.person, prepared.scored.store->FindPerson(args.person));
    // Only a scored person (one with events at or before as_of) has ties to show.
    if (prepared.scored.run.Find(prepared.person->id) != nullptr) {
      prepared.index = IndexOf(prepared.scored.log, prepared.person->id);
    }
  }
  return prepared;
}

SpillOptions SpillOptionsOf(const ViewArgs& args) {
  SpillOptions options;
  options.mode = args.spill == "always"  ? SpillOptions::Mode::kAlways
                 : args.spill == "never" ? SpillOptions::Mode::kNever
                                         : SpillOptions::Mode::kAuto;
  options.directory = args.spill_dir;
  return options;
}

// score --input: files straight to scores; nothing is written to the store.
int RunBatchScore(const GlobalOptions& global, const ViewArgs& args, report::OutputFormat format) {
  Result<Config> config = EffectiveConfig(global);
  if (!config.ok()) return Fail(config.status());
  std::optional<double> as_of;
  if (!args.as_of.empty()) {
    Result<double> parsed = ParseTime(args.as_of);
    if (!parsed.ok()) return Fail(parsed.status());
    as_of = *parsed;
  }
  int binary_files = 0;
  for (const std::string& path : args.inputs) binary_files += ingest::LooksBinary(path) ? 1 : 0;
  if (binary_files != 0 && binary_files != static_cast<int>(args.inputs.size())) {
    return Fail(InvalidArgument(
        "--input mixes binary event files with text formats; people are numbers in one and "
        "identities in the other. Import the text files into a store instead, or convert them"));
  }
  const auto report_stage = [](std::string_view stage, double seconds) {
    fmt::print(stderr, "  {}: {:.1f} s\n", stage, seconds);
  };

  const auto begin = std::chrono::steady_clock::now();
  // The score files and table need strengths only: no features kept.
  score::ScoreRun run;
  std::vector<int64_t> person_id;
  int64_t events = 0;
  if (binary_files > 0) {
    Result<StreamedBatch> batch =
        StreamBinaryInputs(args.inputs, *config, as_of, SpillOptionsOf(args));
    if (!batch.ok()) return Fail(batch.status());
    person_id = std::move(batch->person_id);
    events = batch->events;
    run = score::ScoreAggregates(std::move(batch->aggregates), {person_id, {}}, *config,
                                 batch->as_of, report_stage, /*keep_features=*/false);
  } else {
    Result<EventLog> log = LoadTextInputs(args.inputs, args.input_format);
    if (!log.ok()) return Fail(log.status());
    if (log->event_count() == 0) return Fail(InvalidArgument("--input holds no events"));
    const double log_as_of = as_of.value_or(log->time.back());
    run = score::ScoreEvents(*log, *config, log_as_of, report_stage, /*keep_features=*/false);
    person_id = std::move(log->person_id);
    events = std::upper_bound(log->time.begin(), log->time.end(), log_as_of) - log->time.begin();
  }
  fmt::print(stderr, "scored {} people and {} pairs in {:.1f} s\n", run.people.size(),
             run.pairs.pairs.size(),
             std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count());
  if (!args.out_dir.empty()) {
    Status written = report::WriteScoreDirectory(run, person_id, events, args.out_dir);
    if (!written.ok()) return Fail(written);
    fmt::print(stderr, "wrote the scores and tie strengths to {}\n", args.out_dir);
  }
  int top = args.top;
  if (top == 0 && format == report::OutputFormat::kTable) top = 20;
  fmt::print("{}", report::RenderScores(run, format, top));
  return kExitOk;
}

// `score` on the store: continues the checkpoint the last scoring left when the store and the
// configuration still match it (incremental scoring: only the events after its anchor are read),
// else scores from every event; either way it leaves a checkpoint for the next run. Says which
// on stderr.
struct StoreScoring {
  std::unique_ptr<store::Store> store;
  score::ScoreRun run;
};

Result<StoreScoring> ScoreStore(const GlobalOptions& global, const ViewArgs& args,
                                StageTimer& timer) {
  const auto begin = std::chrono::steady_clock::now();
  ReuseFreedMemory();  // first touches of fresh memory cost more than scoring (docs/BENCHMARKS.md)
  StoreScoring scoring;
  RAPPORT_ASSIGN_OR_RETURN(Config config, EffectiveConfig(global));
  RAPPORT_ASSIGN_OR_RETURN(scoring.store, OpenStore(global));
  store::Store& store = *scoring.store;
  RAPPORT_ASSIGN_OR_RETURN(double as_of, ResolveAsOf(store, args.as_of));
  // The memory that continuing the checkpoint takes, touched while the checkpoint is checked and
  // the events load: at 10^7 events, 365 bytes a pair of the checkpoint at most (peak RSS without
  // touching ahead, less the mapped checkpoint). Most of it is, for each pair, the next
  // checkpoint's pair state (152 bytes) and a pair record (120); scoring reuses the pair states'
  // pages once the next checkpoint is written (docs/BENCHMARKS.md, "Incremental scoring"). The
  // pairs are counted from the checkpoint's header, before the whole file is read and checked;
  // should it not be continued, scoring from every event takes that memory and more.
  HeapWarmer warmer(args.full ? 0
                              : score::CheckpointPairCount(store.PeekCheckpoint(
                                    score::SerializedCheckpoint::kHeaderBytes)) *
                                    350);
  const std::string settings = ConfigToToml(config);

  // Why the stored checkpoint cannot be continued, when it cannot.
  std::string stale;
  RAPPORT_ASSIGN_OR_RETURN(std::optional<store::StoredCheckpoint> stored, store.LoadCheckpoint());
  // The checkpoint is read in place from the mapping of its file (no copy).
  score::ScoreCheckpointView checkpoint;
  if (!stored) {
    stale = "no checkpoint yet";
  } else if (!stored->unusable.empty()) {
    stale = "the checkpoint cannot be used: " + stored->unusable;
  } else if (stored->settings != settings) {
    stale = "the scoring configuration changed since the checkpoint";
  } else {
    RAPPORT_ASSIGN_OR_RETURN(stale, store.ChangesSinceCheckpoint(*stored));
  }
  if (stale.empty() && !args.full) {
    Result<score::ScoreCheckpointView> parsed = score::ParseCheckpoint(stored->data.bytes());
    if (parsed.ok()) {
      checkpoint = *parsed;
    } else {
      stale = parsed.status().message();
    }
  }
  timer.Lap("opening the store and checking the checkpoint");
  EventLog log;
  std::string from_every_event = args.full ? "--full" : stale;
  if (from_every_event.empty()) {
    RAPPORT_ASSIGN_OR_RETURN(log, store.LoadEventLog(as_of, checkpoint.anchor()));
    from_every_event = score::WhyNotContinue(checkpoint, config.tie, as_of, log.person_id);
  }
  const bool incremental = from_every_event.empty();
  if (!incremental) {
    RAPPORT_ASSIGN_OR_RETURN(log, store.LoadEventLog(as_of));
  }

  warmer.Finish();
  timer.Lap(incremental ? "reading the events after the checkpoint" : "reading every event");
  score::ScoreCheckpoint next;
  next.pairs.anchor = score::CheckpointAnchor(config.tie, as_of);
  score::EventAggregates aggregates =
      score::AggregateEvents(log, config, as_of, incremental ? &checkpoint : nullptr, &next);
  const double resumed_anchor = checkpoint.anchor();
  checkpoint = score::ScoreCheckpointView();
  if (stored) stored->data = store::MappedFile();  // before its file is rewritten
  timer.Lap("aggregating the pairs");
  // The new checkpoint, unless a valid one anchored later stays (after a scoring as of an
  // earlier date). Written before the scoring, which then reuses its memory.
  if (!stale.empty() || next.anchor() >= stored->anchor) {
    store::StoredCheckpoint save;
    save.anchor = next.anchor();
    save.settings = settings;
    save.last_event_id = incremental ? stored->last_event_id : 0;
    for (const int64_t id : log.event_id) save.last_event_id = std::max(save.last_event_id, id);
    const score::SerializedCheckpoint bytes(next);
    RAPPORT_RETURN_IF_ERROR(store.SaveCheckpoint(save, bytes.pieces()));
    timer.Lap("writing the checkpoint");
  }
  // Only the people are needed from here on: the events' memory goes to the scoring.
  next = score::ScoreCheckpoint();
  const size_t events_read = log.event_count();
  EventLog people;
  people.person_id = std::move(log.person_id);
  people.person_name = std::move(log.person_name);
  log = std::move(people);
  scoring.run = score::ScoreAggregates(std::move(aggregates), {log.person_id, log.person_name},
                                       config, as_of, timer.Callback(), /*keep_features=*/false);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  if (incremental) {
    fmt::print(stderr,
               "scored incrementally in {:.2f} s: read the {} event(s) after the checkpoint of "
               "{} (`--full` reads every event)\n",
               seconds, events_read, FormatDate(resumed_anchor));
  } else {
    fmt::print(stderr, "scored from all {} event(s) in {:.2f} s ({})\n", events_read, seconds,
               from_every_event);
  }
  return scoring;
}

int RunScore(const GlobalOptions& global, const ViewArgs& args) {
  Result<report::OutputFormat> format = report::ParseOutputFormat(args.format);
  if (!format.ok()) return Fail(format.status());
  if (!args.inputs.empty()) return RunBatchScore(global, args, *format);
  if (!args.out_dir.empty()) {
    return Fail(InvalidArgument(
        "--out writes the score directory of a batch run: give the files with --input"));
  }
  StageTimer timer(args.timings);
  Result<StoreScoring> scored = ScoreStore(global, args, timer);
  if (!scored.ok()) return Fail(scored.status());
  const score::ScoreRun& run = scored->run;
  int top = args.top;
  if (top == 0 && *format == report::OutputFormat::kTable) top = 20;
  // Every score run is recorded in the store (the scores table), for audit and for scripts. The
  // recording (SQLite, one thread) and the formatting of the output overlap, the recording on a
  // core of its own: sharing the cores, it ran at half speed and ended last. The output is
  // printed only once the scores are recorded.
  Status saved;
  std::thread recorder([&run, &saved, &store = *scored->store] {
    std::vector<store::ScoreRecord> records;
    records.reserve(run.people.size());
    for (const score::PersonScore& person : run.people) {
      records.push_back({run.as_of, person.id, person.volume_score, person.rapport_score,
                         person.volume.raw, person.rapport.raw});
    }
    saved = store.SaveScores(records);
  });
  const int threads = omp_get_max_threads();
  omp_set_num_threads(std::max(1, threads - 1));
  const std::string rendered = report::RenderScores(run, *format, top);
  omp_set_num_threads(threads);
  recorder.join();
  if (!saved.ok()) return Fail(saved);
  timer.Lap("recording the scores and formatting them");
  fmt::print("{}", rendered);
  std::fflush(stdout);
  timer.Lap("printing them");
  return kExitOk;
}

int RunTies(const GlobalOptions& global, const ViewArgs& args) {
  Result<report::OutputFormat> format = report::ParseOutputFormat(args.format);
  if (!format.ok()) return Fail(format.status());
  if (args.person.empty() == !args.all) {
    return Fail(InvalidArgument("give a PERSON or --all"),
                "`rapport ties maya` or `rapport ties --all --format csv`");
  }
  Result<Prepared> prepared = Prepare(global, args);
  if (!prepared.ok()) return Fail(prepared.status());
  int top = args.top;
  if (top == 0 && *format == report::OutputFormat::kTable) top = 20;
  if (prepared->person && !prepared->index) {
    fmt::print("{} has no events at or before {}: no ties yet.\n", prepared->person->name,
               FormatDate(prepared->scored.run.as_of));
    return kExitOk;
  }
  fmt::print("{}", report::RenderTies(prepared->scored.run, prepared->index, *format, top));
  return kExitOk;
}

int RunExplain(const GlobalOptions& global, const ViewArgs& args) {
  Result<report::OutputFormat> format = report::ParseOutputFormat(args.format);
  if (!format.ok()) return Fail(format.status());
  if (*format == report::OutputFormat::kCsv) {
    return Fail(InvalidArgument("explain has table and json forms only"));
  }
  Result<Prepared> prepared = Prepare(global, args);
  if (!prepared.ok()) return Fail(prepared.status());
  const score::ScoreRun& run = prepared->scored.run;
  if (!prepared->index) {
    fmt::print("{} has no events at or before {}: nothing to explain.\n", prepared->person->name,
               FormatDate(run.as_of));
    return kExitOk;
  }
  const int top_ties = args.top > 0 ? args.top : 5;
  // The interactions behind each shown tie, newest first.
  std::map<uint32_t, std::vector<store::StoredEvent>> interactions;
  std::vector<score::TieView> ties = score::TiesOf(run, *prepared->index);
  for (size_t i = 0; i < ties.size() && i < static_cast<size_t>(top_ties); ++i) {
    Result<std::vector<store::StoredEvent>> events = prepared->scored.store->EventsBetween(
        prepared->person->id, prepared->scored.log.person_id[ties[i].other], run.as_of, 5);
    if (!events.ok()) return Fail(events.status());
    interactions[ties[i].pair] = std::move(*events);
  }
  fmt::print("{}", report::RenderExplain(run, *prepared->index, interactions, *format, top_ties));
  return kExitOk;
}

int RunCooling(const GlobalOptions& global, const ViewArgs& args) {
  Result<report::OutputFormat> format = report::ParseOutputFormat(args.format);
  if (!format.ok()) return Fail(format.status());
  Result<Prepared> prepared = Prepare(global, args);
  if (!prepared.ok()) return Fail(prepared.status());
  std::vector<score::CoolingTie> cooling;
  if (!prepared->person || prepared->index) {
    cooling = score::FindCooling(prepared->scored.run, prepared->index);
  }
  if (args.top > 0 && cooling.size() > static_cast<size_t>(args.top)) {
    cooling.resize(static_cast<size_t>(args.top));
  }
  fmt::print("{}", report::RenderCooling(prepared->scored.run, cooling, *format));
  return kExitOk;
}

int RunHistory(const GlobalOptions& global, const ViewArgs& args) {
  Result<report::OutputFormat> format = report::ParseOutputFormat(args.format);
  if (!format.ok()) return Fail(format.status());
  double step = 0;
  if (args.every == "day") {
    step = kSecondsPerDay;
  } else if (args.every == "week") {
    step = kSecondsPerWeek;
  } else if (args.every == "month") {
    step = 30 * kSecondsPerDay;
  } else {
    return Fail(InvalidArgument(fmt::format("--every {}: use day, week or month", args.every)));
  }
  Result<Config> config = EffectiveConfig(global);
  if (!config.ok()) return Fail(config.status());
  Result<std::unique_ptr<store::Store>> store = OpenStore(global);
  if (!store.ok()) return Fail(store.status());
  Result<store::Person> person = (*store)->FindPerson(args.person);
  if (!person.ok()) return Fail(person.status());
  Result<double> to = ResolveAsOf(**store, args.as_of);
  if (!to.ok()) return Fail(to.status());
  double from = *to - step * (args.points - 1);
  if (!args.from.empty()) {
    Result<double> parsed = ParseTime(args.from);
    if (!parsed.ok()) return Fail(parsed.status().WithContext("--from"));
    from = *parsed;
  }
  Result<EventLog> log = (*store)->LoadEventLog(*to);
  if (!log.ok()) return Fail(log.status());
  std::optional<PersonIndex> index = IndexOf(*log, person->id);
  if (!index) return Fail(NotFound(person->name + " is not in the event log"));
  std::vector<score::HistoryPoint> points =
      score::PersonHistory(*log, *config, *index, from, *to, step);
  fmt::print("{}", report::RenderHistory(person->name, points, *format));
  return kExitOk;
}

}  // namespace

void AddScoreCommands(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  {
    auto args = std::make_shared<ViewArgs>();
    CLI::App* command = app.add_subcommand(
        "score", "Volume score (Klout-style) and rapport score, 1-100, for every person");
    AddViewOptions(command, *args);
    command->add_option("--top", args->top, "Show the top N by rapport (table default 20; 0 all)");
    command->add_option("--input", args->inputs,
                        "Score these files directly, without the store (the batch path): binary "
                        "event files from `gen`, or any format `import` reads");
    command
        ->add_option("--input-format", args->input_format,
                     "Format of the --input files when not binary (as `import --format`)")
        ->capture_default_str();
    command->add_option("--out", args->out_dir,
                        "With --input: also write every score and tie strength to this directory "
                        "(the layout rapport-mpi writes; docs/formats.md)");
    command
        ->add_option("--spill", args->spill,
                     "With binary --input: where the contacts (32 bytes each) wait until they "
                     "are aggregated: auto (those beyond half of memory in a temporary file), "
                     "always (all in the file) or never (all in memory)")
        ->check(CLI::IsMember({"auto", "always", "never"}))
        ->capture_default_str();
    command->add_option("--spill-dir", args->spill_dir,
                        "Directory of that file (default: $TMPDIR, else /tmp)");
    command->add_flag("--full", args->full,
                      "Score the store from every event, not incrementally from the checkpoint "
                      "the last scoring left (the results are the same up to rounding)");
    command->add_flag("--timings", args->timings,
                      "Print the seconds each stage took on stderr (the --input path always "
                      "does)");
    command->callback([&global, args, exit_code] { *exit_code = RunScore(global, *args); });
  }
  {
    auto args = std::make_shared<ViewArgs>();
    CLI::App* command =
        app.add_subcommand("ties", "A person's relationships, strongest first, with features");
    command->add_option("person", args->person, "Name, identity, #id or me");
    command->add_flag("--all", args->all, "Every pair instead of one person's ties");
    AddViewOptions(command, *args);
    command->add_option("--top", args->top, "Show the N strongest (table default 20; 0 all)");
    command->callback([&global, args, exit_code] { *exit_code = RunTies(global, *args); });
  }
  {
    auto args = std::make_shared<ViewArgs>();
    CLI::App* command = app.add_subcommand(
        "explain", "Why a person scores what they score: components, ties, interactions");
    command->add_option("person", args->person, "Name, identity, #id or me")->required();
    AddViewOptions(command, *args);
    command->add_option("--top", args->top, "Ties to explain (default 5)");
    command->callback([&global, args, exit_code] { *exit_code = RunExplain(global, *args); });
  }
  {
    auto args = std::make_shared<ViewArgs>();
    CLI::App* command =
        app.add_subcommand("cooling", "Strong relationships gone quiet far beyond their usual gap");
    command->add_option("person", args->person, "Only this person's ties (default: everyone)");
    AddViewOptions(command, *args);
    command->add_option("--top", args->top, "Show at most N");
    command->callback([&global, args, exit_code] { *exit_code = RunCooling(global, *args); });
  }
  {
    auto args = std::make_shared<ViewArgs>();
    CLI::App* command =
        app.add_subcommand("history", "A person's two scores over time, as of each date");
    command->add_option("person", args->person, "Name, identity, #id or me")->required();
    AddViewOptions(command, *args);
    command->add_option("--every", args->every, "day, week or month")->capture_default_str();
    command->add_option("--points", args->points, "How many dates, ending at --as-of")
        ->capture_default_str();
    command->add_option("--from", args->from, "First date (overrides --points)");
    command->callback([&global, args, exit_code] { *exit_code = RunHistory(global, *args); });
  }
}

}  // namespace rapport::cli
