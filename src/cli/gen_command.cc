// `rapport gen --people N --events M [--seed S] [--out FILE|-]`: writes a generated interaction
// log (scenario/generator.h) as the binary event format when FILE ends in .bin, as event CSV
// otherwise (standard output with "-"). Streams: memory does not grow with --events. Progress
// goes to standard error every 10 million events.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <cstdio>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "context.h"
#include "rapport/cli/app.h"
#include "rapport/core/text.h"
#include "rapport/core/time.h"
#include "rapport/ingest/binary_events.h"
#include "rapport/scenario/generator.h"

namespace rapport::cli {
namespace {

struct GenArgs {
  scenario::GeneratorOptions options;
  std::string out = "-";
  std::string start = "2015-01-01";
  int split = 1;  // binary output in this many files, one after another in time
};

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Event CSV in the documented format (docs/formats.md): people are their numbers.
class CsvEventWriter {
 public:
  static Result<std::unique_ptr<CsvEventWriter>> Open(const std::string& path) {
    std::FILE* file = path == "-" ? stdout : std::fopen(path.c_str(), "wb");
    if (file == nullptr) return IoError(fmt::format("{}: cannot open for writing", path));
    auto writer = std::unique_ptr<CsvEventWriter>(new CsvEventWriter(path, file));
    writer->buffer_ = "time,channel,kind,actor,targets,private,duration\n";
    return writer;
  }
  ~CsvEventWriter() { (void)Close(); }

  Status Write(const ingest::BinaryEvent& event) {
    // Shortest round-trip forms: reading the CSV back gives the same doubles as the binary file.
    AppendFormat(buffer_, "{},{},{},{},{},{},", event.time, ChannelName(event.channel),
                 KindName(event.kind), event.actor, fmt::join(event.targets, ";"),
                 event.is_private ? "true" : "false");
    if (event.duration > 0) AppendFormat(buffer_, "{}", static_cast<double>(event.duration));
    buffer_ += '\n';
    return buffer_.size() >= (size_t{4} << 20) ? Flush() : Status::Ok();
  }

  Status Close() {
    if (file_ == nullptr) return Status::Ok();
    Status status = Flush();
    if (std::fflush(file_) != 0 && status.ok()) status = IoError(path_ + ": flush failed");
    if (file_ != stdout) std::fclose(file_);
    file_ = nullptr;
    return status;
  }

 private:
  CsvEventWriter(std::string path, std::FILE* file) : path_(std::move(path)), file_(file) {}
  Status Flush() {
    if (!buffer_.empty() &&
        std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
      return IoError(fmt::format("{}: write failed (disk full?)", path_));
    }
    buffer_.clear();
    return Status::Ok();
  }

  std::string path_;
  std::FILE* file_ = nullptr;
  std::string buffer_;
};

int RunGen(const GenArgs& args) {
  GenArgs settings = args;
  Result<double> start = ParseTime(args.start);
  if (!start.ok()) return Fail(start.status(), "--start takes a date such as 2015-01-01");
  settings.options.start_time = *start;
  const bool binary = EndsWith(args.out, ".bin");
  if (args.split > 1 && !binary) {
    return Fail(InvalidArgument("--split writes binary files: give an --out ending in .bin"));
  }
  std::unique_ptr<CsvEventWriter> csv;
  std::vector<ingest::BinaryEventWriter> bin;  // one per file of --split
  std::vector<std::string> paths;
  if (binary) {
    const std::string stem = args.out.substr(0, args.out.size() - 4);
    for (int k = 0; k < args.split; ++k) {
      // Zero-padded so that a shell glob (log-*.bin) lists the files in time order.
      const int width = static_cast<int>(std::to_string(args.split - 1).size());
      paths.push_back(args.split == 1 ? args.out : fmt::format("{}-{:0{}}.bin", stem, k, width));
      Result<ingest::BinaryEventWriter> opened = ingest::BinaryEventWriter::Open(paths.back());
      if (!opened.ok()) return Fail(opened.status());
      bin.push_back(std::move(*opened));
    }
  } else {
    Result<std::unique_ptr<CsvEventWriter>> opened = CsvEventWriter::Open(args.out);
    if (!opened.ok()) return Fail(opened.status());
    csv = std::move(*opened);
  }
  const auto begin = std::chrono::steady_clock::now();
  uint64_t written = 0;
  Status status =
      scenario::GenerateEvents(settings.options, [&](const ingest::BinaryEvent& event) -> Status {
        if (binary) {
          // Equal shares of the events, in time order: file k holds the k-th share.
          const auto file = static_cast<size_t>(static_cast<unsigned __int128>(written) *
                                                bin.size() / settings.options.events);
          RAPPORT_RETURN_IF_ERROR(bin[file].Write(event));
        } else {
          RAPPORT_RETURN_IF_ERROR(csv->Write(event));
        }
        if (++written % 10'000'000 == 0) {
          const double seconds =
              std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
          fmt::print(stderr, "gen: {} of {} events ({:.1f} M events/s)\n", written,
                     settings.options.events, static_cast<double>(written) / seconds / 1e6);
        }
        return Status::Ok();
      });
  for (ingest::BinaryEventWriter& writer : bin) {
    if (status.ok()) status = writer.Close();
  }
  if (status.ok() && csv) status = csv->Close();
  if (!status.ok()) return Fail(status);
  if (args.out != "-") {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    fmt::print("wrote {} events among {} people to {} ({}, {:.1f} s)\n", written,
               settings.options.people,
               paths.size() > 1 ? fmt::format("{}", fmt::join(paths, " ")) : args.out,
               binary ? "binary" : "CSV", seconds);
  }
  return kExitOk;
}

}  // namespace

void AddGenCommand(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<GenArgs>();
  CLI::App* command = app.add_subcommand(
      "gen", "Generate a realistic multi-channel interaction log of any size (deterministic)");
  command->add_option("--people", args->options.people, "how many people")
      ->check(CLI::Range(uint64_t{2}, uint64_t{ingest::kMaxBinaryPerson}))
      ->capture_default_str();
  command->add_option("--events", args->options.events, "how many events")->capture_default_str();
  command->add_option("--seed", args->options.seed, "random seed: the same seed, the same log")
      ->capture_default_str();
  command
      ->add_option("--out", args->out,
                   "output file: binary event format when it ends in .bin, event CSV "
                   "otherwise; - for standard output (CSV)")
      ->capture_default_str();
  command
      ->add_option(
          "--split", args->split,
          "binary output in N files cut by time: FILE-0.bin to FILE-3.bin for 4, FILE-00.bin to "
          "FILE-15.bin for 16 "
          "(inputs for rapport-mpi, which gives whole files to ranks)")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  command->add_option("--start", args->start, "the first day of the log")->capture_default_str();
  command->add_option("--years", args->options.years, "how many years the log spans")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command
      ->add_option("--community-size", args->options.community_size,
                   "people per community (most contacts are within one)")
      ->check(CLI::Range(2u, 1000000u))
      ->capture_default_str();
  command->callback([args, exit_code] { *exit_code = RunGen(*args); });
}

}  // namespace rapport::cli
