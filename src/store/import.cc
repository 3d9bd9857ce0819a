#include "rapport/store/import.h"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <span>
#include <thread>

#include "rapport/core/text.h"

namespace rapport::store {
namespace {

// A file at least this large, holding about a quarter or more of the events already stored
// (estimated at kBulkImportBytesPerEvent bytes an event), is imported without the read-only
// indexes, which are built again at the end.
constexpr uintmax_t kBulkImportMinBytes = 8 << 20;
constexpr uintmax_t kBulkImportBytesPerEvent = 50;

// What the reader thread hands to the storing thread: events in file order, and the identity
// hints read among them, each with the number of events read before it.
struct Chunk {
  std::vector<Event> events;
  std::vector<std::pair<size_t, ingest::IdentityHint>> hints;
  bool empty() const { return events.empty() && hints.empty(); }
  void clear() {
    events.clear();
    hints.clear();
  }
};
constexpr size_t kChunkEvents = 2048;

// A bounded queue of chunks between one reader and one storer.
class ChunkQueue {
 public:
  // Waits while the queue is full; false when the storer has abandoned the import.
  bool Push(Chunk&& chunk) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return chunks_.size() < kMaxChunks || abandoned_; });
    if (abandoned_) return false;
    chunks_.push_back(std::move(chunk));
    changed_.notify_all();
    return true;
  }
  // Waits for a chunk; false when the reader has closed the queue and it is empty.
  bool Pop(Chunk& chunk) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !chunks_.empty() || closed_; });
    if (chunks_.empty()) return false;
    chunk = std::move(chunks_.front());
    chunks_.pop_front();
    changed_.notify_all();
    return true;
  }
  // The storer hands back a chunk it has stored, so that the reader frees its events (the
  // thread that allocated them frees them fastest) and refills its array.
  void Recycle(Chunk&& chunk) {
    std::lock_guard lock(mutex_);
    if (recycled_.size() < kMaxChunks) recycled_.push_back(std::move(chunk));
  }
  // An emptied chunk to fill, when one has come back.
  void TakeRecycled(Chunk& chunk) {
    {
      std::lock_guard lock(mutex_);
      if (recycled_.empty()) return;
      chunk = std::move(recycled_.back());
      recycled_.pop_back();
    }
    chunk.clear();
  }
  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    changed_.notify_all();
  }
  void Abandon() {
    std::lock_guard lock(mutex_);
    abandoned_ = true;
    chunks_.clear();
    changed_.notify_all();
  }

 private:
  static constexpr size_t kMaxChunks = 8;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Chunk> chunks_;
  std::vector<Chunk> recycled_;
  bool closed_ = false, abandoned_ = false;
};

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

  // A large file relative to the store: drop the read-only indexes now, build them at the end.
  // Into an empty store, the dedupe key too: only the file's own repeats can clash, and they are
  // rare, so they are found once at the end rather than looked up for every event.
  std::error_code size_error;
  const auto file_bytes = std::filesystem::file_size(path, size_error);
  const bool large_file = !size_error && file_bytes >= kBulkImportMinBytes;
  bool rebuild_indexes = options.indexes == IndexPolicy::kRebuild;
  if (rebuild_indexes || (options.indexes == IndexPolicy::kAuto && large_file)) {
    RAPPORT_ASSIGN_OR_RETURN(const int64_t stored, store.CountEvents());
    rebuild_indexes = rebuild_indexes ||
                      static_cast<int64_t>(file_bytes / kBulkImportBytesPerEvent) >= stored / 4;
    if (rebuild_indexes) {
      RAPPORT_RETURN_IF_ERROR(store.DropReadIndexes());
      if (stored == 0) RAPPORT_RETURN_IF_ERROR(store.DropDedupeIndex());
    }
  }

  // Parsing and storing overlap: a reader thread parses the file into chunks, this thread stores
  // them (the store is used from this thread only). Identity hints travel in the same chunks as
  // the events around them, so they land in the same transaction. Rejects are written by the
  // reader thread, the only one that touches them until it is joined.
  ChunkQueue queue;
  Result<ingest::ReadCounts> counts = ingest::ReadCounts{};
  std::thread reader([&] {
    Chunk chunk;
    auto flush = [&]() -> Status {
      if (chunk.empty()) return Status::Ok();
      const bool taken = queue.Push(std::move(chunk));
      chunk = Chunk();
      queue.TakeRecycled(chunk);
      return taken ? Status::Ok() : Internal("the import stopped");
    };
    read_options.on_identity = [&](ingest::IdentityHint&& hint) {
      chunk.hints.emplace_back(chunk.events.size(), std::move(hint));
    };
    auto on_event = [&](Event&& event) -> Status {
      chunk.events.push_back(std::move(event));
      return chunk.events.size() >= kChunkEvents ? flush() : Status::Ok();
    };
    counts = ingest::ReadFile(path, read_options, on_event, on_reject);
    if (counts.ok()) {
      if (Status flushed = flush(); !flushed.ok()) counts = flushed;
    }
    queue.Close();
  });

  // The rows below reference only identities and events this loop has just found or inserted.
  Status stored = store.SetReferenceChecks(false);
  if (stored.ok()) stored = store.BeginBatch();
  int64_t in_batch = 0;
  // Stores `events`, committing every options.batch_size events.
  const auto store_events = [&](std::span<const Event> events) -> Status {
    while (!events.empty()) {
      const size_t room = static_cast<size_t>(std::max<int64_t>(options.batch_size - in_batch, 1));
      const std::span<const Event> part = events.first(std::min(room, events.size()));
      RAPPORT_ASSIGN_OR_RETURN(const int64_t inserted, store.InsertEvents(part));
      report.accepted += inserted;
      report.duplicate += static_cast<int64_t>(part.size()) - inserted;
      in_batch += static_cast<int64_t>(part.size());
      events = events.subspan(part.size());
      if (in_batch >= options.batch_size) {
        RAPPORT_RETURN_IF_ERROR(store.CommitBatch());
        RAPPORT_RETURN_IF_ERROR(store.BeginBatch());
        in_batch = 0;
      }
    }
    return Status::Ok();
  };
  for (Chunk chunk; stored.ok() && queue.Pop(chunk);) {
    const std::span<const Event> events(chunk.events);
    size_t done = 0;
    for (const auto& [events_before, hint] : chunk.hints) {
      stored = store_events(events.subspan(done, events_before - done));
      if (stored.ok()) stored = store.ApplyHint(hint);
      if (!stored.ok()) break;
      done = events_before;
    }
    if (stored.ok()) stored = store_events(events.subspan(done));
    queue.Recycle(std::move(chunk));
  }
  queue.Abandon();  // on failure, lets the reader stop at its next chunk
  reader.join();
  if (stored.ok() && !counts.ok()) stored = counts.status();
  if (stored.ok()) {
    stored = store.CommitBatch();
  } else {
    (void)store.RollbackBatch();
  }
  // On again before the indexes: deleting repeated events deletes their targets by cascade.
  if (Status checks = store.SetReferenceChecks(true); stored.ok()) stored = checks;
  if (rebuild_indexes) {
    // Without the dedupe key, repeated events were stored and counted as new: they go now.
    Result<int64_t> repeated = store.BuildIndexes();
    if (repeated.ok()) {
      report.accepted -= *repeated;
      report.duplicate += *repeated;
    } else if (stored.ok()) {
      stored = repeated.status();
    }
  }
  RAPPORT_RETURN_IF_ERROR(stored);
  RAPPORT_RETURN_IF_ERROR(reject_status);
  report.read = counts->records;
  report.rejected = counts->rejected;
  RAPPORT_RETURN_IF_ERROR(
      store.RecordImport(report.path, std::string(ingest::FormatName(report.format)), report.read,
                         report.accepted, report.rejected, report.duplicate));
  return report;
}

Result<int64_t> ScrubRejectsFile(const std::string& path, const std::vector<std::string>& needles,
                                 bool remove) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return int64_t{0};
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError(fmt::format("cannot read {}", path));
  std::vector<std::string> lowered;
  for (const std::string& needle : needles) lowered.push_back(AsciiLower(needle));
  std::string kept;
  std::string line;
  int64_t dropped = 0;
  bool header = true;
  while (std::getline(in, line)) {
    const std::string lower = AsciiLower(line);
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
