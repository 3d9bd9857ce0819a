#include "rapport/ingest/binary_events.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <utility>

namespace rapport::ingest {
namespace {

static_assert(std::endian::native == std::endian::little, "the binary format is little-endian");

constexpr size_t kFixedRecordBytes = 8 + 4 + 4 + 4 + 4;  // time, actor, 4 bytes, duration, valence
constexpr size_t kBufferBytes = size_t{16} << 20;

template <typename T>
void Put(std::vector<char>& out, T value) {
  const size_t at = out.size();
  out.resize(at + sizeof(T));
  std::memcpy(out.data() + at, &value, sizeof(T));
}

template <typename T>
T Get(const char* at) {
  T value;
  std::memcpy(&value, at, sizeof(T));
  return value;
}

std::vector<char> Header(uint64_t event_count) {
  std::vector<char> header(sizeof(kBinaryMagic));
  std::memcpy(header.data(), kBinaryMagic, sizeof(kBinaryMagic));
  Put<uint32_t>(header, kBinaryVersion);
  Put<uint32_t>(header, static_cast<uint32_t>(kBinaryHeaderBytes));
  Put<uint64_t>(header, event_count);
  Put<uint64_t>(header, 0);
  return header;
}

// Decodes the record at `at` (with `available` bytes); returns its size, or 0 when cut short.
size_t Decode(const char* at, size_t available, BinaryEvent& event, std::string& problem) {
  if (available < kFixedRecordBytes) return 0;
  event.time = Get<double>(at);
  event.actor = Get<uint32_t>(at + 8);
  const auto channel = static_cast<uint8_t>(at[12]);
  const auto kind = static_cast<uint8_t>(at[13]);
  const auto flags = static_cast<uint8_t>(at[14]);
  const auto target_count = static_cast<uint8_t>(at[15]);
  event.duration = Get<float>(at + 16);
  event.valence = Get<float>(at + 20);
  event.is_private = (flags & 1) != 0;
  event.has_effort = (flags & 2) != 0;
  size_t size = kFixedRecordBytes + (event.has_effort ? 4 : 0) + 4 * size_t{target_count};
  if (available < size) return 0;
  const char* cursor = at + kFixedRecordBytes;
  if (event.has_effort) {
    event.effort = Get<float>(cursor);
    cursor += 4;
  }
  event.targets.resize(target_count);
  for (uint8_t t = 0; t < target_count; ++t) event.targets[t] = Get<uint32_t>(cursor + 4 * t);

  problem.clear();
  if (channel >= kChannelCount) {
    problem = fmt::format("unknown channel number {} (0..{})", channel, kChannelCount - 1);
  } else if (kind >= kKindCount) {
    problem = fmt::format("unknown kind number {} (0..{})", kind, kKindCount - 1);
  } else if ((flags & ~3u) != 0) {
    problem =
        fmt::format("unknown flags {:#x} (only 1 = private and 2 = effort are defined)", flags);
  } else if (!std::isfinite(event.time) || std::abs(event.time) > 253402300799.0) {
    problem = "time is not a finite number of seconds within years 1..9999";
  } else if (!std::isfinite(event.duration) || !std::isfinite(event.valence) ||
             (event.has_effort && !(event.effort >= 0 && std::isfinite(event.effort)))) {
    problem = "duration, valence or effort is not a finite number (effort must be >= 0)";
  } else if (event.actor > kMaxBinaryPerson) {
    problem = "actor number 4294967295 is reserved";
  } else {
    for (uint32_t target : event.targets) {
      if (target == event.actor || target > kMaxBinaryPerson) {
        problem = fmt::format("target {} is the actor or a reserved number", target);
        break;
      }
    }
  }
  event.channel = static_cast<Channel>(channel);
  event.kind = static_cast<Kind>(kind);
  return size;
}

}  // namespace

Result<BinaryEventWriter> BinaryEventWriter::Open(const std::string& path) {
  const bool is_stdout = path == "-";
  std::FILE* file = is_stdout ? stdout : std::fopen(path.c_str(), "wb");
  if (file == nullptr) return IoError(fmt::format("{}: cannot open for writing", path));
  BinaryEventWriter writer(path, file, is_stdout);
  writer.buffer_ = Header(0);
  return writer;
}

BinaryEventWriter::BinaryEventWriter(std::string path, std::FILE* file, bool is_stdout)
    : path_(std::move(path)), file_(file), is_stdout_(is_stdout) {
  buffer_.reserve(kBufferBytes + 1024);
}

BinaryEventWriter::BinaryEventWriter(BinaryEventWriter&& other) noexcept
    : path_(std::move(other.path_)),
      file_(std::exchange(other.file_, nullptr)),
      is_stdout_(other.is_stdout_),
      count_(other.count_),
      buffer_(std::move(other.buffer_)) {}

BinaryEventWriter::~BinaryEventWriter() {
  if (file_ != nullptr) (void)Close();
}

Status BinaryEventWriter::Write(const BinaryEvent& event) {
  Put<double>(buffer_, event.time);
  Put<uint32_t>(buffer_, event.actor);
  buffer_.push_back(static_cast<char>(event.channel));
  buffer_.push_back(static_cast<char>(event.kind));
  buffer_.push_back(static_cast<char>((event.is_private ? 1 : 0) | (event.has_effort ? 2 : 0)));
  buffer_.push_back(static_cast<char>(static_cast<uint8_t>(event.targets.size())));
  Put<float>(buffer_, event.duration);
  Put<float>(buffer_, event.valence);
  if (event.has_effort) Put<float>(buffer_, event.effort);
  for (uint32_t target : event.targets) Put<uint32_t>(buffer_, target);
  ++count_;
  return buffer_.size() >= kBufferBytes ? Flush() : Status::Ok();
}

Status BinaryEventWriter::Flush() {
  if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
    return IoError(fmt::format("{}: write failed (disk full?)", path_));
  }
  buffer_.clear();
  return Status::Ok();
}

Status BinaryEventWriter::Close() {
  if (file_ == nullptr) return Status::Ok();
  Status status = Flush();
  if (status.ok() && !is_stdout_) {
    // Patch the event count into the header.
    const std::vector<char> header = Header(count_);
    if (std::fseek(file_, 0, SEEK_SET) != 0 ||
        std::fwrite(header.data(), 1, header.size(), file_) != header.size()) {
      status = IoError(fmt::format("{}: cannot write the header", path_));
    }
  }
  if (std::fflush(file_) != 0 && status.ok()) status = IoError(path_ + ": flush failed");
  if (!is_stdout_) std::fclose(file_);
  file_ = nullptr;
  return status;
}

namespace {

// `input_bytes` sizes the read buffer (0 = unknown: the full 16 MiB), so small inputs (tests,
// the fuzzer) do not pay for a large allocation.
// Reads the records that start in [begin, end) (begin = 0: from the first record). `begin`, when
// given, must be the offset of a record.
Result<BinaryReadCounts> ReadFrom(std::FILE* file, const std::string& path,
                                  const std::function<Status(const BinaryEvent&)>& on_event,
                                  const std::function<void(BinaryReject&&)>& on_reject,
                                  uint64_t* header_count, size_t input_bytes, uint64_t begin = 0,
                                  uint64_t end = UINT64_MAX) {
  char header[kBinaryHeaderBytes];
  if (file == nullptr || std::fread(header, 1, sizeof(header), file) != sizeof(header) ||
      std::memcmp(header, kBinaryMagic, 8) != 0) {
    return InvalidArgument(fmt::format(
        "{}: not a Rapport binary event file (it must start with RAPBIN01); write one with "
        "`rapport gen --out FILE.bin`",
        path));
  }
  if (Get<uint32_t>(header + 8) != kBinaryVersion) {
    return InvalidArgument(fmt::format("{}: binary format version {} is not supported (only {})",
                                       path, Get<uint32_t>(header + 8), kBinaryVersion));
  }
  if (header_count != nullptr) *header_count = Get<uint64_t>(header + 16);
  BinaryReadCounts counts;
  std::vector<char> buffer(input_bytes == 0 ? kBufferBytes
                                            : std::clamp<size_t>(input_bytes, 4096, kBufferBytes));
  size_t filled = 0;
  uint64_t offset = kBinaryHeaderBytes;  // file offset of buffer[0]
  if (begin > offset) {
    if (std::fseek(file, static_cast<long>(begin), SEEK_SET) != 0) {
      return IoError(fmt::format("{}: cannot seek to byte {}", path, begin));
    }
    offset = begin;
  }
  BinaryEvent event;
  std::string problem;
  bool at_end = false;
  while (!at_end) {
    const size_t got = std::fread(buffer.data() + filled, 1, buffer.size() - filled, file);
    filled += got;
    at_end = got == 0 || std::feof(file);
    size_t position = 0;
    while (position < filled) {
      if (offset + position >= end) {
        at_end = true;
        filled = position;
        break;
      }
      const size_t size = Decode(buffer.data() + position, filled - position, event, problem);
      if (size == 0) break;  // cut short: need more bytes
      event.offset = offset + position;
      ++counts.records;
      if (problem.empty()) {
        ++counts.accepted;
        RAPPORT_RETURN_IF_ERROR(on_event(event));
      } else {
        ++counts.rejected;
        on_reject({offset + position, problem});
      }
      position += size;
    }
    std::memmove(buffer.data(), buffer.data() + position, filled - position);
    filled -= position;
    offset += position;
    if (at_end && filled > 0) {
      ++counts.records;
      ++counts.rejected;
      on_reject({offset, fmt::format("the last record is cut short ({} bytes): the file was "
                                     "truncated; write it again",
                                     filled)});
    }
  }
  if (std::ferror(file) != 0) return IoError(fmt::format("{}: read error", path));
  return counts;
}

}  // namespace

Result<BinaryReadCounts> ReadBinaryEvents(const std::string& path,
                                          const std::function<Status(const BinaryEvent&)>& on_event,
                                          const std::function<void(BinaryReject&&)>& on_reject) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return NotFound(fmt::format("{}: cannot open", path));
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(file, &std::fclose);
  return ReadFrom(file, path, on_event, on_reject, nullptr, 0);
}

Result<BinaryReadCounts> ReadBinaryEventRange(
    const std::string& path, uint64_t begin, uint64_t end,
    const std::function<Status(const BinaryEvent&)>& on_event,
    const std::function<void(BinaryReject&&)>& on_reject) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return NotFound(fmt::format("{}: cannot open", path));
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(file, &std::fclose);
  return ReadFrom(file, path, on_event, on_reject, nullptr, 0, begin, end);
}

Result<BinaryReadCounts> ReadBinaryBuffer(std::string_view data, const std::string& name,
                                          const std::function<Status(const BinaryEvent&)>& on_event,
                                          const std::function<void(BinaryReject&&)>& on_reject) {
  if (data.empty()) return ReadFrom(nullptr, name, on_event, on_reject, nullptr, 0);
  std::FILE* file = fmemopen(const_cast<char*>(data.data()), data.size(), "rb");
  if (file == nullptr) return IoError(name + ": cannot read the buffer");
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(file, &std::fclose);
  return ReadFrom(file, name, on_event, on_reject, nullptr, data.size());
}

void AppendEvent(EventLog& log, const BinaryEvent& event) {
  log.event_id.push_back(static_cast<int64_t>(log.time.size()) + 1);
  log.time.push_back(event.time);
  log.channel.push_back(event.channel);
  log.kind.push_back(event.kind);
  log.actor.push_back(event.actor);
  log.is_private.push_back(event.is_private ? 1 : 0);
  log.duration.push_back(event.duration);
  log.effort_override.push_back(event.has_effort ? static_cast<double>(event.effort)
                                                 : std::numeric_limits<double>::quiet_NaN());
  log.valence.push_back(event.valence);
  log.targets.insert(log.targets.end(), event.targets.begin(), event.targets.end());
  log.target_offset.push_back(log.targets.size());
}

bool LooksBinary(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return false;
  char magic[8];
  const bool ok = std::fread(magic, 1, 8, file) == 8 && std::memcmp(magic, kBinaryMagic, 8) == 0;
  std::fclose(file);
  return ok;
}

}  // namespace rapport::ingest
