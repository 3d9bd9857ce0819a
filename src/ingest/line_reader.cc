// LineReader, the byte sources and the UTF-8 validator (see rapport/ingest/line_reader.h).
// Thread-safety: no shared state; each reader belongs to one thread.
#include "rapport/ingest/line_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace rapport::ingest {

Result<size_t> FileSource::Read(char* dst, size_t capacity) {
  size_t got = std::fread(dst, 1, capacity, file_);
  if (got == 0 && std::ferror(file_)) {
    return IoError(fmt::format("{}: read failed: {}", name_, std::strerror(errno)));
  }
  return got;
}

Result<size_t> BufferSource::Read(char* dst, size_t capacity) {
  size_t count = std::min(capacity, data_.size());
  if (count > 0) std::memcpy(dst, data_.data(), count);
  data_.remove_prefix(count);
  return count;
}

LineReader::LineReader(ByteSource* source, int64_t total_bytes, Progress progress,
                       int64_t max_line_bytes, size_t block_bytes)
    : source_(source),
      total_bytes_(total_bytes),
      progress_(std::move(progress)),
      max_line_bytes_(std::max<int64_t>(max_line_bytes, 0)),
      block_bytes_(std::max<size_t>(block_bytes, 1)),
      block_(new char[block_bytes_]) {}

bool LineReader::Refill() {
  Result<size_t> got = source_->Read(block_.get(), block_bytes_);
  if (!got.ok()) {
    status_ = got.status();
    return false;
  }
  pos_ = 0;
  len_ = *got;
  if (progress_ && (len_ == 0 || offset_ - last_progress_ >= kProgressEveryBytes)) {
    last_progress_ = offset_;
    progress_(offset_, total_bytes_);
  }
  return len_ > 0;
}

bool LineReader::Next(Line* line) {
  if (done_) return false;
  const int64_t start = offset_;
  const size_t keep_limit = static_cast<size_t>(max_line_bytes_) + 1;
  int64_t length = 0;  // bytes of the line seen so far, terminator excluded
  bool too_long = false;
  bool copied = false;  // the text is in line_ rather than a view into block_
  bool unterminated = false;
  char last = '\0';
  std::string_view view;
  line_.clear();
  for (;;) {
    if (pos_ == len_ && !Refill()) {
      if (!status_.ok() || length == 0) {
        done_ = true;
        return false;
      }
      unterminated = true;
      break;
    }
    const char* begin = block_.get() + pos_;
    const size_t available = len_ - pos_;
    const char* newline = static_cast<const char*>(std::memchr(begin, '\n', available));
    const size_t chunk = newline != nullptr ? static_cast<size_t>(newline - begin) : available;
    const size_t step = chunk + (newline != nullptr ? 1 : 0);
    if (newline != nullptr && length == 0 && chunk <= keep_limit) {
      // The common case: the whole line is inside the block; no copy.
      view = std::string_view(begin, chunk);
      length = static_cast<int64_t>(chunk);
      if (chunk > 0) last = begin[chunk - 1];
      pos_ += step;
      offset_ += static_cast<int64_t>(step);
      break;
    }
    copied = true;
    if (chunk > 0) last = begin[chunk - 1];
    length += static_cast<int64_t>(chunk);
    if (!too_long) {
      // One byte of slack so that a line of exactly the limit plus its CR is not cut.
      if (length > max_line_bytes_ + 1) {
        // Keep only what a reject can show; the rest of the line is counted, not stored.
        too_long = true;
        size_t room = line_.size() < kMaxRawBytes ? kMaxRawBytes - line_.size() : 0;
        line_.append(begin, std::min(room, chunk));
        if (line_.size() > kMaxRawBytes) line_.resize(kMaxRawBytes);
      } else {
        line_.append(begin, chunk);
      }
    }
    pos_ += step;
    offset_ += static_cast<int64_t>(step);
    if (newline != nullptr) break;
  }
  if (copied) view = line_;
  if (last == '\r' && length > 0) {
    --length;
    if (!too_long || view.size() > static_cast<size_t>(length)) view.remove_suffix(1);
  }
  int64_t text_offset = start;
  if (next_number_ == 1 && view.size() >= 3 && std::memcmp(view.data(), "\xEF\xBB\xBF", 3) == 0) {
    view.remove_prefix(3);
    length -= 3;
    text_offset += 3;
  }
  line->text = view;
  line->number = next_number_++;
  line->byte_offset = text_offset;
  line->length = length;
  line->too_long = too_long || length > max_line_bytes_;
  line->unterminated = unterminated;
  if (line->too_long && line->text.size() > kMaxRawBytes) {
    line->text = line->text.substr(0, kMaxRawBytes);
  }
  return true;
}

size_t FindInvalidUtf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const size_t size = text.size();
  size_t i = 0;
  while (i < size) {
    // Fast path: skip ASCII eight bytes at a time.
    while (i + 8 <= size) {
      uint64_t word;
      std::memcpy(&word, bytes + i, 8);
      if ((word & 0x8080808080808080ULL) != 0) break;
      i += 8;
    }
    if (i >= size) break;
    const unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    size_t need;
    unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
      need = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      need = 2;
      if (lead == 0xE0) low = 0xA0;   // overlong
      if (lead == 0xED) high = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      need = 3;
      if (lead == 0xF0) low = 0x90;   // overlong
      if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
    } else {
      return i;
    }
    for (size_t k = 1; k <= need; ++k) {
      if (i + k >= size) return i;
      const unsigned char next = bytes[i + k];
      const unsigned char lo = k == 1 ? low : 0x80;
      const unsigned char hi = k == 1 ? high : 0xBF;
      if (next < lo || next > hi) return i;
    }
    i += need + 1;
  }
  return std::string_view::npos;
}

}  // namespace rapport::ingest
