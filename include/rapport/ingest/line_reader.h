// Streaming line splitter under every format reader, and the UTF-8 check every line goes through.
//
// LineReader reads its ByteSource in blocks and yields one line at a time with its 1-based number
// and byte offset. Memory stays constant per record: a line that fits in the current block is
// returned as a view into it, a longer one is copied until it passes the line limit, after which
// only its first kMaxRawBytes are kept and the rest is counted and skipped.
//
// Thread-safety: a LineReader and its ByteSource belong to one thread at a time.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "rapport/core/status.h"
#include "rapport/ingest/reader.h"

namespace rapport::ingest {

// Where a LineReader's bytes come from: a file, a buffer, a fault-injecting test double.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Copies up to `capacity` bytes into `dst`; returns how many (0 at the end of the input).
  virtual Result<size_t> Read(char* dst, size_t capacity) = 0;
};

// Reads an open stdio file; does not own or close it. `name` goes into error messages.
class FileSource final : public ByteSource {
 public:
  FileSource(std::FILE* file, std::string name) : file_(file), name_(std::move(name)) {}
  Result<size_t> Read(char* dst, size_t capacity) override;

 private:
  std::FILE* file_;
  std::string name_;
};

// Hands out a view's bytes; the view must outlive the source.
class BufferSource final : public ByteSource {
 public:
  explicit BufferSource(std::string_view data) : data_(data) {}
  Result<size_t> Read(char* dst, size_t capacity) override;

 private:
  std::string_view data_;
};

struct Line {
  // The line without its terminator (LF or CRLF) or, on the first line, a UTF-8 byte order mark.
  // When too_long, only the first kMaxRawBytes. Valid until the next call to Next().
  std::string_view text;
  int64_t number = 0;         // 1-based
  int64_t byte_offset = 0;    // of text's first byte in the input
  int64_t length = 0;         // full length of the line in bytes, without the terminator
  bool too_long = false;      // length > the reader's max_line_bytes; the line must be rejected
  bool unterminated = false;  // the input ends inside this line (no final newline)
};

class LineReader {
 public:
  using Progress = std::function<void(int64_t bytes_done, int64_t bytes_total)>;
  static constexpr size_t kDefaultBlockBytes = 1024 * 1024;
  static constexpr int64_t kProgressEveryBytes = 4 * 1024 * 1024;

  // `source` must outlive the reader. `total_bytes` is only passed on to `progress` (may be empty).
  LineReader(ByteSource* source, int64_t total_bytes, Progress progress = nullptr,
             int64_t max_line_bytes = kMaxLineBytes, size_t block_bytes = kDefaultBlockBytes);

  // Fills *line with the next line and returns true, or returns false at the end of the input or
  // on a read error (then status() is not ok).
  bool Next(Line* line);
  const Status& status() const { return status_; }
  int64_t bytes_consumed() const { return offset_; }

 private:
  bool Refill();

  ByteSource* source_;
  int64_t total_bytes_;
  Progress progress_;
  int64_t max_line_bytes_;
  size_t block_bytes_;
  std::unique_ptr<char[]> block_;
  size_t pos_ = 0;
  size_t len_ = 0;
  int64_t offset_ = 0;  // input offset of block_[pos_]
  int64_t next_number_ = 1;
  int64_t last_progress_ = 0;
  bool done_ = false;
  std::string line_;  // a line that spans blocks, up to max_line_bytes_ (then kMaxRawBytes)
  Status status_;
};

// Returns the 0-based position of the first byte that is not part of valid UTF-8 (overlong
// forms, surrogates and code points above U+10FFFF are invalid), or npos when all of it is valid.
size_t FindInvalidUtf8(std::string_view text);

}  // namespace rapport::ingest
