// `rapport export`: one scoring run written for other tools (GraphML, GEXF, CSV, JSON; see
// report/export.h and docs/output.md), optionally with every name replaced by a pseudonym.
#include <fmt/format.h>

#include <cstdio>
#include <fstream>

#include "context.h"
#include "rapport/cli/app.h"
#include "rapport/report/export.h"
#include "rapport/report/pseudonym.h"

namespace rapport::cli {
namespace {

struct ExportArgs {
  std::string format = "graphml";
  std::string out = "-";
  std::string as_of;
  bool pseudonymize = false;
  double min_strength = 0;
};

Status WriteWholeFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) return IoError(fmt::format("cannot write {}", path));
  return Status::Ok();
}

// CSV to a path writes two files: BASE-people.csv and BASE-ties.csv, BASE being the path
// without a trailing ".csv".
std::string CsvBase(const std::string& out) {
  return out.ends_with(".csv") ? out.substr(0, out.size() - 4) : out;
}

int RunExport(const GlobalOptions& global, const ExportArgs& args) {
  Result<report::ExportFormat> format = report::ParseExportFormat(args.format);
  if (!format.ok()) return Fail(format.status());
  if (!(args.min_strength >= 0 && args.min_strength <= 1)) {
    return Fail(InvalidArgument(
        fmt::format("--min-strength {}: a tie strength is between 0 and 1", args.min_strength)));
  }
  Result<Scored> scored = OpenAndScore(global, args.as_of);
  if (!scored.ok()) return Fail(scored.status());
  score::ScoreRun& run = scored->run;
  if (args.pseudonymize) {
    Result<std::string> key = scored->store->PseudonymKey();
    if (!key.ok()) return Fail(key.status());
    if (Status renamed = report::PseudonymizeRun(run, *key); !renamed.ok()) return Fail(renamed);
  }
  const report::ExportOptions options{args.min_strength};
  const bool to_stdout = args.out == "-";

  if (*format == report::ExportFormat::kCsv) {
    const std::string people = report::ExportPeopleCsv(run);
    const std::string ties = report::ExportTiesCsv(run, options);
    if (to_stdout) {
      // Both tables, the people first, separated by one empty line.
      fmt::print("{}\n{}", people, ties);
      return kExitOk;
    }
    const std::string base = CsvBase(args.out);
    for (const auto& [path, text] :
         {std::pair{base + "-people.csv", &people}, std::pair{base + "-ties.csv", &ties}}) {
      if (Status written = WriteWholeFile(path, *text); !written.ok()) return Fail(written);
    }
    fmt::print("wrote {}-people.csv and {}-ties.csv\n", base, base);
    return kExitOk;
  }
  const std::string text =
      *format == report::ExportFormat::kGraphMl ? report::ExportGraphMl(run, options)
      : *format == report::ExportFormat::kGexf  ? report::ExportGexf(run, options)
                                                : report::ExportJson(run, options);
  if (to_stdout) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return kExitOk;
  }
  if (Status written = WriteWholeFile(args.out, text); !written.ok()) return Fail(written);
  fmt::print("wrote {}\n", args.out);
  return kExitOk;
}

}  // namespace

void AddExportCommand(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* command = app.add_subcommand(
      "export", "Write people, ties and scores for other tools: GraphML, GEXF, CSV or JSON");
  command->add_option("--format", args->format, "graphml, gexf, csv or json")
      ->capture_default_str();
  command
      ->add_option("--out", args->out,
                   "File to write, - for stdout; csv to a file writes FILE-people.csv and "
                   "FILE-ties.csv")
      ->capture_default_str();
  command->add_option("--as-of", args->as_of,
                      "Score as of this date (YYYY-MM-DD, ISO 8601, epoch seconds or now; "
                      "default: the newest event)");
  command->add_flag("--pseudonymize", args->pseudonymize,
                    "Replace every name with a stable pseudonym (person-<16 hex digits>, keyed "
                    "by a secret kept in the store); no identity is written");
  command
      ->add_option("--min-strength", args->min_strength,
                   "Leave out ties weaker than this (0..1); every person stays")
      ->capture_default_str();
  command->callback([&global, args, exit_code] { *exit_code = RunExport(global, *args); });
}

}  // namespace rapport::cli
