// Internal to the cli module: what every subcommand shares (global options, opening the store,
// loading the config, resolving --as-of, scoring) and the subcommands' entry points.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rapport/core/config.h"
#include "rapport/core/event_log.h"
#include "rapport/score/scorer.h"
#include "rapport/store/store.h"

namespace rapport::cli {

struct GlobalOptions {
  std::string db = "rapport.db";
  std::string config_path;
};

// Prints "error: <message>" (and an optional "  fix: <hint>") to stderr; returns kExitFailure.
int Fail(const Status& status, const std::string& hint = {});

Result<Config> EffectiveConfig(const GlobalOptions& global);
Result<std::unique_ptr<store::Store>> OpenStore(const GlobalOptions& global);

// "" -> the newest event's time; "now" -> the current time; else ParseTime.
Result<double> ResolveAsOf(const store::Store& store, const std::string& as_of_text);

struct Scored {
  std::unique_ptr<store::Store> store;
  Config config;
  EventLog log;
  score::ScoreRun run;
};
// every_feature: score with WithEveryFeature(config) (for `fit`).
Result<Scored> OpenAndScore(const GlobalOptions& global, const std::string& as_of_text,
                            bool every_feature = false);

// The batch path over binary event files, streamed (batch_input.cc): the aggregates scoring
// needs, the ids of the person numbers, as_of (given, or the newest event) and the events at or
// before it. Progress and rejects go to stderr.
struct StreamedBatch {
  score::EventAggregates aggregates;
  std::vector<int64_t> person_id;
  double as_of = 0;
  int64_t events = 0;
};
// Where the contacts wait between reading and aggregation: in memory, or in a temporary file in
// `directory` (graph::PairAggregator::ContactSpill). kAuto keeps in memory as many as fit in half
// of the machine's memory (32 bytes a contact) and spills the rest; kAlways spills them all.
struct SpillOptions {
  enum class Mode { kAuto, kAlways, kNever };
  Mode mode = Mode::kAuto;
  std::string directory;  // empty: $TMPDIR, else /tmp
};
Result<StreamedBatch> StreamBinaryInputs(const std::vector<std::string>& paths,
                                         const Config& config, std::optional<double> as_of,
                                         const SpillOptions& spill = {});

// The batch path over text formats (any readable format, or --input-format): every event of the
// files in an EventLog, without the store.
Result<EventLog> LoadTextInputs(const std::vector<std::string>& paths,
                                const std::string& input_format);

// The person index in `log` of a store person id.
std::optional<PersonIndex> IndexOf(const EventLog& log, int64_t person_id);

// Subcommand registration: each adds its CLI11 subcommand and sets its callback, which stores
// the exit code in *exit_code.
void AddImportCommand(CLI::App& app, const GlobalOptions& global, int* exit_code);
void AddScoreCommands(CLI::App& app, const GlobalOptions& global, int* exit_code);
void AddLogCommand(CLI::App& app, const GlobalOptions& global, int* exit_code);
void AddDemoCommand(CLI::App& app, const GlobalOptions& global, int* exit_code);
void AddPeopleCommands(CLI::App& app, const GlobalOptions& global, int* exit_code);
void AddEvalCommand(CLI::App& app, const GlobalOptions& global, int* exit_code);
void AddFitCommand(CLI::App& app, const GlobalOptions& global, int* exit_code);
void AddExportCommand(CLI::App& app, const GlobalOptions& global, int* exit_code);
void AddForgetCommand(CLI::App& app, const GlobalOptions& global, int* exit_code);
void AddGenCommand(CLI::App& app, int* exit_code);
void AddServeCommand(CLI::App& app, const GlobalOptions& global, int* exit_code);

}  // namespace rapport::cli
