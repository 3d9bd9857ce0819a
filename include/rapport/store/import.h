// Import: reads files with the ingest readers and inserts their events into the store in
// batches (one transaction per batch), writing every rejected record to the rejects file.
// Parsing (a reader thread) and storing (the calling thread) overlap.
// A batch that fails to commit is rolled back whole; earlier batches stay. Thread-safety: as Store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rapport/ingest/reader.h"
#include "rapport/store/store.h"

namespace rapport::store {

// What an import does with the store's indexes (Store::DropReadIndexes).
enum class IndexPolicy {
  kAuto,  // rebuild when the file is at least 8 MiB and adds about a quarter of the store or more
  kKeep,  // keep them up row by row
  kRebuild,  // drop them first, build them again at the end
};

struct ImportOptions {
  ingest::ReadOptions read;
  // Events per transaction. Each commit writes every index page its rows touched, so into a
  // large store (indexes kept, random inserts) fewer, larger commits write less: 100,000 took
  // 10^5 events into a 10^7-event store in 6.0 s, 10,000 in 8.7 s (docs/BENCHMARKS.md).
  int batch_size = 100000;
  std::string rejects_path;  // appended to; empty disables writing (rejects are still counted)
  std::string label;  // the name recorded in the imports table and the rejects file; empty: path
  IndexPolicy indexes = IndexPolicy::kAuto;
};

struct FileImportReport {
  std::string path;
  ingest::Format format = ingest::Format::kAuto;
  int64_t read = 0;       // records seen
  int64_t accepted = 0;   // new events stored
  int64_t rejected = 0;   // records that could not be read (in the rejects file)
  int64_t duplicate = 0;  // events already in the store
  std::optional<ingest::Reject> first_reject;
};

// The rejects file that belongs to a database: "<db>.rejects.tsv".
std::string RejectsPathFor(const std::string& db_path);

// Imports one file. Returns an error only when the file cannot be read at all or the store
// fails; bad records are counted and written to the rejects file.
Result<FileImportReport> ImportFile(Store& store, const std::string& path,
                                    const ImportOptions& options);

// Counts the lines of the rejects file at `path` that contain a needle (ASCII case-insensitively;
// the header line never counts); with `remove`, rewrites the file without them (a temporary file,
// then a rename). A missing file counts 0. Used by `forget` (ForgetCounts::needles).
Result<int64_t> ScrubRejectsFile(const std::string& path, const std::vector<std::string>& needles,
                                 bool remove);

// Writes rejects as TSV lines: file, line, byte_offset, reason, hint, raw (tabs, newlines and
// backslashes escaped as \t, \n, \r, \\). Writes the header when the file is new or empty.
class RejectWriter {
 public:
  static Result<RejectWriter> Open(const std::string& path);
  RejectWriter(RejectWriter&& other) noexcept;
  ~RejectWriter();
  Status Write(const ingest::Reject& reject);

 private:
  explicit RejectWriter(std::FILE* file) : file_(file) {}
  std::FILE* file_ = nullptr;
};

}  // namespace rapport::store
