#include "rapport/store/import.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace rapport::store {
namespace {

std::string EscapeTsv(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string RejectsPathFor(const std::string& db_path) { return db_path + ".rejects.tsv"; }

Result<RejectWriter> RejectWriter::Open(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "ab");
  if (file == nullptr) {
    return IoError(fmt::format("cannot open rejects file {} for writing", path));
  }
  if (std::ftell(file) == 0) {
    std::fputs("file\tline\tbyte_offset\treason\thint\traw\n", file);
  }
  return RejectWriter(file);
}

RejectWriter::RejectWriter(RejectWriter&& other) noexcept : file_(other.file_) {
  other.file_ = nullptr;
}

RejectWriter::~RejectWriter() {
  if (file_ != nullptr) std::fclose(file_);
}

Status RejectWriter::Write(const ingest::Reject& reject) {
  std::string line = fmt::format("{}\t{}\t{}\t{}\t{}\t{}\n", EscapeTsv(reject.file), reject.line,
                                 reject.byte_offset, EscapeTsv(reject.reason),
                                 EscapeTsv(reject.hint), EscapeTsv(reject.raw));
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size()) {
    return IoError("cannot write to the rejects file (disk full?)");
  }
  return Status::Ok();
}

Result<FileImportReport> ImportFile(Store& store, const std::string& path,
                                    const ImportOptions& options) {
  FileImportReport report;
  report.path = options.label.empty() ? path : options.label;
  if (options.read.format == ingest::Format::kAuto) {
    RAPPORT_ASSIGN_OR_RETURN(report.format, ingest::DetectFormat(path));
  } else {
    report.format = options.read.format;
  }
  ingest::ReadOptions read_options = options.read;
  read_options.format = report.format;

  std::optional<RejectWriter> rejects;
  if (!options.rejects_path.empty()) {
    RAPPORT_ASSIGN_OR_RETURN(RejectWriter writer, RejectWriter::Open(options.rejects_path));
    rejects.emplace(std::move(writer));
  }
  Status reject_status;
  auto on_reject = [&](ingest::Reject&& reject) {
    if (!options.label.empty()) reject.file = options.label;
    if (!report.first_reject) report.first_reject = reject;
    if (rejects && reject_status.ok()) reject_status = rejects->Write(reject);
  };

  // Identity hints land in the same transaction as the events around them.
  Status hint_status;
  read_options.on_identity = [&](ingest::IdentityHint&& hint) {
    if (hint_status.ok()) hint_status = store.ApplyHint(hint);
  };

  int in_batch = 0;
  RAPPORT_RETURN_IF_ERROR(store.BeginBatch());
  auto on_event = [&](Event&& event) -> Status {
    RAPPORT_RETURN_IF_ERROR(hint_status);
    RAPPORT_ASSIGN_OR_RETURN(bool inserted, store.InsertEvent(event));
    ++(inserted ? report.accepted : report.duplicate);
    if (++in_batch >= options.batch_size) {
      RAPPORT_RETURN_IF_ERROR(store.CommitBatch());
      RAPPORT_RETURN_IF_ERROR(store.BeginBatch());
      in_batch = 0;
    }
    return Status::Ok();
  };
  Result<ingest::ReadCounts> counts = ingest::ReadFile(path, read_options, on_event, on_reject);
  if (!counts.ok()) {
    (void)store.RollbackBatch();
    return counts.status();
  }
  if (!hint_status.ok()) {
    (void)store.RollbackBatch();
    return hint_status;
  }
  RAPPORT_RETURN_IF_ERROR(store.CommitBatch());
  RAPPORT_RETURN_IF_ERROR(reject_status);
  report.read = counts->records;
  report.rejected = counts->rejected;
  RAPPORT_RETURN_IF_ERROR(
      store.RecordImport(report.path, std::string(ingest::FormatName(report.format)), report.read,
                         report.accepted, report.rejected, report.duplicate));
  return report;
}

namespace {

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

Result<int64_t> ScrubRejectsFile(const std::string& path, const std::vector<std::string>& needles,
                                 bool remove) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return int64_t{0};
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError(fmt::format("cannot read {}", path));
  std::vector<std::string> lowered;
  for (const std::string& needle : needles) lowered.push_back(Lower(needle));
  std::string kept;
  std::string line;
  int64_t dropped = 0;
  bool header = true;
  while (std::getline(in, line)) {
    const std::string lower = Lower(line);
    const bool names_them =
        !header && std::any_of(lowered.begin(), lowered.end(), [&](const std::string& needle) {
          return lower.find(needle) != std::string::npos;
        });
    header = false;
    if (names_them) {
      ++dropped;
    } else {
      kept += line + "\n";
    }
  }
  if (!remove || dropped == 0) return dropped;
  const std::string temporary = path + ".forget.tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << kept;
    out.close();
    if (!out) return IoError(fmt::format("cannot write {}", temporary));
  }
  std::filesystem::rename(temporary, path, error);
  if (error) return IoError(fmt::format("cannot replace {}: {}", path, error.message()));
  return dropped;
}

}  // namespace rapport::store
