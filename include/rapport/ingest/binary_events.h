// The compact binary event format (.bin) of batch runs: `rapport gen` writes it, `rapport score
// --input` streams it into aggregation without the store (in parallel chunks: see
// ReadBinaryEventRange), and `rapport import` accepts it like any other format. docs/formats.md
// documents the layout:
//
//   header, 32 bytes:  "RAPBIN01"  u32 version = 1  u32 header size = 32
//                      u64 event count (0 = unknown: read to the end)  u64 reserved = 0
//   record:            f64 time  u32 actor  u8 channel  u8 kind  u8 flags  u8 target count n
//                      f32 duration  f32 valence  [f32 effort when flags & 2]  u32 target x n
//   flags:             1 = private, 2 = effort override present
//
// All little-endian. People are numbered 0 .. 2^32 - 2; a single-target event takes 28 bytes.
// Records need not be time-sorted (scoring orders each pair's contacts by time), but the
// generator writes them in order.
//
// Bad input: a record with an unknown channel or kind, a non-finite time, or a target equal to
// the actor is rejected (counted, with its byte offset) and reading goes on with the next record;
// a record cut short by the end of the file is rejected and ends the read. A wrong magic or
// version is an error for the whole file.
//
// Thread-safety: a writer or reader object is used by one thread.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "rapport/core/event.h"
#include "rapport/core/event_log.h"
#include "rapport/core/status.h"

namespace rapport::ingest {

inline constexpr char kBinaryMagic[8] = {'R', 'A', 'P', 'B', 'I', 'N', '0', '1'};
inline constexpr uint32_t kBinaryVersion = 1;
inline constexpr size_t kBinaryHeaderBytes = 32;
inline constexpr uint32_t kMaxBinaryPerson = 0xFFFFFFFEu;

// One event with numeric people, as the binary format stores it.
struct BinaryEvent {
  double time = 0;
  uint32_t actor = 0;
  Channel channel = Channel::kOther;
  Kind kind = Kind::kMessage;
  bool is_private = false;
  float duration = 0;
  float valence = 1;
  bool has_effort = false;
  float effort = 0;
  std::vector<uint32_t> targets;  // at most 255
  uint64_t offset = 0;            // reading: the record's byte offset in its file
};

// Streams records to a file ("-" = standard output) through a large buffer. Close() writes the
// event count into the header when the output is a seekable file.
class BinaryEventWriter {
 public:
  static Result<BinaryEventWriter> Open(const std::string& path);
  BinaryEventWriter(BinaryEventWriter&& other) noexcept;
  BinaryEventWriter& operator=(BinaryEventWriter&&) = delete;
  ~BinaryEventWriter();

  // REQUIRES: event.targets.size() <= 255.
  Status Write(const BinaryEvent& event);
  Status Close();
  uint64_t events_written() const { return count_; }

 private:
  BinaryEventWriter(std::string path, std::FILE* file, bool is_stdout);
  Status Flush();

  std::string path_;
  std::FILE* file_ = nullptr;
  bool is_stdout_ = false;
  uint64_t count_ = 0;
  std::vector<char> buffer_;
};

struct BinaryReject {
  uint64_t offset = 0;  // byte offset of the record in the file
  std::string reason;
};

struct BinaryReadCounts {
  uint64_t records = 0;  // records seen = accepted + rejected
  uint64_t accepted = 0;
  uint64_t rejected = 0;
  // Where reading stopped: the offset of the first record not read (at or past the range's end),
  // or the end of the file.
  uint64_t next_offset = 0;
};

// Reads a binary event file record by record; `on_event` may stop the read by returning an error.
Result<BinaryReadCounts> ReadBinaryEvents(const std::string& path,
                                          const std::function<Status(const BinaryEvent&)>& on_event,
                                          const std::function<void(BinaryReject&&)>& on_reject);

// The records of a file that start at byte offsets in [begin, end), `begin` being the offset of a
// record (BinaryEvent::offset of an earlier read): one stretch of a file read in several.
Result<BinaryReadCounts> ReadBinaryEventRange(
    const std::string& path, uint64_t begin, uint64_t end,
    const std::function<Status(const BinaryEvent&)>& on_event,
    const std::function<void(BinaryReject&&)>& on_reject);

// Where a record starts, at or after byte `offset` (not always the first one), as far as decoding
// can tell: positions from which 64 records in a row decode without a problem (or every record up
// to the end of the file does) are followed, and the first start common to up to eight such
// chains is taken. NotFound when there is none in the next MiB. A guess that lets several threads
// read one file from the middle: a reader of the stretch before must stop exactly there
// (BinaryReadCounts::next_offset) for it to be a record's start.
Result<uint64_t> FindRecordStart(const std::string& path, uint64_t offset);
// The same in bytes in memory holding a whole file (the fuzzer); `name` labels errors.
Result<uint64_t> FindRecordStartInBuffer(std::string_view data, const std::string& name,
                                         uint64_t offset);

// The same from bytes in memory (tests and the fuzzer); `name` labels errors.
Result<BinaryReadCounts> ReadBinaryBuffer(std::string_view data, const std::string& name,
                                          const std::function<Status(const BinaryEvent&)>& on_event,
                                          const std::function<void(BinaryReject&&)>& on_reject);

// Appends one event to the columns of `log` (people untouched; event_id = its position + 1).
void AppendEvent(EventLog& log, const BinaryEvent& event);

// True when the file starts with the binary magic.
bool LooksBinary(const std::string& path);

}  // namespace rapport::ingest
