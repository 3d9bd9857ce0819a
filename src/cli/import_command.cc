// `rapport import FILE...`: reads files into the store, prints read = accepted + rejected +
// duplicate per file, the first reject with how to fix it, and sets the exit code from
// --max-rejects.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

#include "context.h"
#include "rapport/cli/app.h"
#include "rapport/core/time.h"
#include "rapport/store/import.h"

namespace rapport::cli {
namespace {

struct ImportArgs {
  std::vector<std::string> files;
  std::string format = "auto";
  int64_t max_rejects = 0;
  bool keep_text = false;
  std::string channel, kind;
  std::string owner;
  std::string undated_at;
  bool quiet = false;
};

int RunImport(const GlobalOptions& global, const ImportArgs& args) {
  store::ImportOptions options;
  Result<ingest::Format> format = ingest::ParseFormat(args.format);
  if (!format.ok()) return Fail(format.status());
  options.read.format = *format;
  options.read.keep_text = args.keep_text;
  if (!args.undated_at.empty()) {
    Result<double> undated = ParseTime(args.undated_at);
    if (!undated.ok()) return Fail(undated.status().WithContext("--undated-at"));
    options.read.undated_time = *undated;
  }
  if (!args.channel.empty()) {
    options.read.channel = ParseChannel(args.channel);
    if (!options.read.channel) {
      return Fail(InvalidArgument(fmt::format("unknown channel \"{}\"", args.channel)),
                  "use one of: " + AllChannelNames());
    }
  }
  if (!args.kind.empty()) {
    options.read.kind = ParseKind(args.kind);
    if (!options.read.kind) {
      return Fail(InvalidArgument(fmt::format("unknown kind \"{}\"", args.kind)),
                  "use one of: " + AllKindNames());
    }
  }
  Result<std::unique_ptr<store::Store>> store = OpenStore(global);
  if (!store.ok()) return Fail(store.status());
  if (!args.owner.empty()) {
    // Like an archive's own owner: the first becomes "me", later ones join that person.
    ingest::IdentityHint owner;
    owner.identity = args.owner;
    owner.is_owner = true;
    owner.reason = "import --owner " + args.owner;
    Status status = (*store)->ApplyHint(owner);
    if (!status.ok()) return Fail(status);
  }
  options.rejects_path = store::RejectsPathFor(global.db);

  const bool show_progress = !args.quiet && isatty(fileno(stderr));
  int64_t total_read = 0, total_accepted = 0, total_rejected = 0, total_duplicate = 0;
  std::optional<ingest::Reject> first_reject;
  int64_t files_failed = 0;
  for (const std::string& path : args.files) {
    if (show_progress) {
      options.read.progress = [&path](int64_t done, int64_t total) {
        if (total <= 0) return;
        fmt::print(stderr, "\r  reading {}: {:3}% ({:.1f} of {:.1f} MB)", path, done * 100 / total,
                   static_cast<double>(done) / 1e6, static_cast<double>(total) / 1e6);
        std::fflush(stderr);
      };
    }
    Result<store::FileImportReport> report = store::ImportFile(**store, path, options);
    if (show_progress) fmt::print(stderr, "\r\033[K");
    if (!report.ok()) {
      Fail(report.status().WithContext(path),
           "check the path and the format (--format csv|jsonl|snap); docs/formats.md has "
           "examples");
      ++files_failed;
      continue;
    }
    if (!args.quiet) {
      fmt::print("{} ({}): read {} = accepted {} + rejected {} + duplicate {}\n", path,
                 ingest::FormatName(report->format), report->read, report->accepted,
                 report->rejected, report->duplicate);
    }
    total_read += report->read;
    total_accepted += report->accepted;
    total_rejected += report->rejected;
    total_duplicate += report->duplicate;
    if (!first_reject && report->first_reject) first_reject = report->first_reject;
  }
  if (args.files.size() > 1 && !args.quiet) {
    fmt::print("total: read {} = accepted {} + rejected {} + duplicate {}\n", total_read,
               total_accepted, total_rejected, total_duplicate);
  }
  if (first_reject) {
    fmt::print(stderr, "error: {}:{}: {}\n", first_reject->file, first_reject->line,
               first_reject->reason);
    if (!first_reject->hint.empty()) fmt::print(stderr, "  fix: {}\n", first_reject->hint);
    fmt::print(stderr, "  {} record{} rejected in all; each is in {} (file, line, reason, raw)\n",
               total_rejected, total_rejected == 1 ? "" : "s", options.rejects_path);
  }
  if (files_failed > 0) return kExitFailure;
  if (total_rejected > args.max_rejects) {
    fmt::print(stderr, "  {} rejects exceed --max-rejects {}; the accepted records are stored\n",
               total_rejected, args.max_rejects);
    return kExitRejects;
  }
  return kExitOk;
}

}  // namespace

void AddImportCommand(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  auto args = std::make_shared<ImportArgs>();
  CLI::App* command = app.add_subcommand(
      "import",
      "Read events into the database: CSV, JSONL, SNAP edge lists, and personal archives (X, "
      "Mastodon, mbox, WordPress, Messenger, calls and SMS)");
  command->add_option("files", args->files, "Files or archive folders to import")->required();
  command
      ->add_option(
          "--format", args->format,
          "auto, csv, jsonl, snap, twitter, mastodon, mbox, wxr, messenger, calls or binary")
      ->capture_default_str();
  command
      ->add_option("--max-rejects", args->max_rejects,
                   "Rejected records tolerated before the exit code is 1")
      ->capture_default_str();
  command->add_flag("--keep-text", args->keep_text,
                    "Keep the optional text column (off by default, for privacy)");
  command->add_option("--channel", args->channel,
                      "SNAP only: channel of the edges (default other; trade for ratings)");
  command->add_option("--kind", args->kind,
                      "SNAP only: kind of the edges (default message; rating for ratings)");
  command->add_option("--owner", args->owner,
                      "The identity that is you in these files (answers to `me`)");
  command->add_option("--undated-at", args->undated_at,
                      "Date for records without one (SNAP pairs, X follows); default: the "
                      "file's modification time");
  command->add_flag("-q,--quiet", args->quiet, "Print only errors");
  command->callback([&global, args, exit_code] { *exit_code = RunImport(global, *args); });
}

}  // namespace rapport::cli
