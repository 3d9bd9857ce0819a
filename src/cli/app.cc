#include "rapport/cli/app.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdio>

#include "context.h"
#include "rapport/core/time.h"

namespace rapport::cli {

int Fail(const Status& status, const std::string& hint) {
  fmt::print(stderr, "error: {}\n", status.message());
  if (!hint.empty()) fmt::print(stderr, "  fix: {}\n", hint);
  return kExitFailure;
}

Result<Config> EffectiveConfig(const GlobalOptions& global) {
  if (global.config_path.empty()) return DefaultConfig();
  return LoadConfig(global.config_path);
}

Result<std::unique_ptr<store::Store>> OpenStore(const GlobalOptions& global) {
  return store::Store::Open(global.db,
                            [](const std::string& notice) { fmt::print(stderr, "{}\n", notice); });
}

Result<double> ResolveAsOf(const store::Store& store, const std::string& as_of_text) {
  if (as_of_text == "now") {
    using std::chrono::system_clock;
    return std::chrono::duration<double>(system_clock::now().time_since_epoch()).count();
  }
  if (!as_of_text.empty()) {
    Result<double> parsed = ParseTime(as_of_text);
    if (!parsed.ok()) return parsed.status().WithContext("--as-of");
    return parsed;
  }
  RAPPORT_ASSIGN_OR_RETURN(std::optional<double> latest, store.LatestEventTime());
  if (!latest) {
    return NotFound(
        fmt::format("the database {} has no events yet; run `rapport import FILE` "
                    "or `rapport demo` first",
                    store.path()));
  }
  return *latest;
}

Result<Scored> OpenAndScore(const GlobalOptions& global, const std::string& as_of_text,
                            bool every_feature) {
  Scored scored;
  RAPPORT_ASSIGN_OR_RETURN(scored.config, EffectiveConfig(global));
  if (every_feature) scored.config = WithEveryFeature(scored.config);
  RAPPORT_ASSIGN_OR_RETURN(scored.store, OpenStore(global));
  RAPPORT_ASSIGN_OR_RETURN(double as_of, ResolveAsOf(*scored.store, as_of_text));
  RAPPORT_ASSIGN_OR_RETURN(scored.log, scored.store->LoadEventLog(as_of));
  scored.run = score::ScoreEvents(scored.log, scored.config, as_of);
  return scored;
}

std::optional<PersonIndex> IndexOf(const EventLog& log, int64_t person_id) {
  for (size_t i = 0; i < log.person_id.size(); ++i) {
    if (log.person_id[i] == person_id) return static_cast<PersonIndex>(i);
  }
  return std::nullopt;
}

int Main(int argc, char** argv) {
  CLI::App app{
      "Rapport measures the relationships and the influence people really have, from the "
      "interactions they really have, across every channel. Everything stays on this machine.",
      "rapport"};
  app.set_version_flag("--version", "rapport 0.1.0");
  app.require_subcommand(1);
  app.fallthrough();  // global options (--db, --config) may also follow the subcommand
  app.footer(
      "Data lives in one SQLite file (--db, default ./rapport.db); rejected input records go to "
      "<db>.rejects.tsv.\nExit codes: 0 ok; 1 import finished with more rejects than "
      "--max-rejects; 2 usage error or failure.\nDocs: README.md, docs/formats.md, "
      "docs/SCORING.md, docs/output.md, docs/api.md.");
  GlobalOptions global;
  app.add_option("--db", global.db, "SQLite database file")
      ->capture_default_str()
      ->envname("RAPPORT_DB");
  app.add_option("--config", global.config_path,
                 "TOML file overriding scoring parameters (see `rapport config`)")
      ->envname("RAPPORT_CONFIG");

  int exit_code = kExitOk;
  AddImportCommand(app, global, &exit_code);
  AddScoreCommands(app, global, &exit_code);
  AddLogCommand(app, global, &exit_code);
  AddDemoCommand(app, global, &exit_code);
  AddPeopleCommands(app, global, &exit_code);
  AddEvalCommand(app, global, &exit_code);
  AddFitCommand(app, global, &exit_code);
  AddExportCommand(app, global, &exit_code);
  AddForgetCommand(app, global, &exit_code);
  AddGenCommand(app, &exit_code);
  AddServeCommand(app, global, &exit_code);

  CLI::App* config =
      app.add_subcommand("config", "Print the effective scoring configuration (TOML)");
  config->callback([&] {
    Result<Config> effective = EffectiveConfig(global);
    if (!effective.ok()) {
      exit_code = Fail(effective.status());
      return;
    }
    fmt::print("{}", ConfigToToml(*effective));
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    int code = app.exit(error);
    return code == 0 ? kExitOk : kExitFailure;
  }
  return exit_code;
}

}  // namespace rapport::cli
