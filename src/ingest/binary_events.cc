#include "rapport/ingest/binary_events.h"

#include <fcntl.h>
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
constexpr uint64_t kReadAheadBuffers = 4;

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
  // The next buffers' worth of the file is asked for ahead, so that the disk reads while the
  // records are decoded (a file larger than memory comes from the disk on every pass).
  const int fd = fileno(file);
  while (!at_end) {
    const size_t got = std::fread(buffer.data() + filled, 1, buffer.size() - filled, file);
    filled += got;
    const uint64_t read_to = offset + filled;
    if (fd >= 0 && got > 0 && read_to < end) {
      const uint64_t ahead = std::min<uint64_t>(kReadAheadBuffers * buffer.size(), end - read_to);
      posix_fadvise(fd, static_cast<off_t>(read_to), static_cast<off_t>(ahead),
                    POSIX_FADV_WILLNEED);
    }
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
  counts.next_offset = offset;
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

namespace {

constexpr size_t kSearchBytes = size_t{1} << 20;
constexpr size_t kChainBytes = 4096;  // chains are started within this of the first one
constexpr size_t kChains = 8;
constexpr size_t kRecordsInARow = 64;
constexpr size_t kLongestRecord = kFixedRecordBytes + 4 + 4 * 255;
constexpr size_t kSearchWindow = kSearchBytes + kChainBytes + 2 * kRecordsInARow * kLongestRecord;

// FindRecordStart within `window`, the bytes of the file from `offset` on (up to kSearchWindow of
// them; fewer when the file ends).
Result<uint64_t> FindRecordStartIn(std::string_view window, bool window_ends_the_file,
                                   const std::string& name, uint64_t offset) {
  // The record starts that decoding from `start` finds, when at least kRecordsInARow records in a
  // row decode without a problem (or all up to the end of the file do).
  BinaryEvent event;
  std::string problem;
  const auto chain_from = [&](size_t start) {
    std::vector<size_t> chain;
    size_t position = start;
    while (chain.size() < 2 * kRecordsInARow) {
      const size_t size =
          Decode(window.data() + position, window.size() - position, event, problem);
      if (size == 0 || !problem.empty()) break;
      chain.push_back(position);
      position += size;
    }
    const bool whole =
        chain.size() >= kRecordsInARow || (window_ends_the_file && position == window.size());
    if (!whole) chain.clear();
    return chain;
  };
  // A position inside a record can decode as a record that ends where a real one starts, and
  // from there on its chain is the real one: the start common to the chains from several
  // positions is a real record's.
  std::vector<std::vector<size_t>> chains;
  for (size_t start = 0; start < std::min(window.size(), kSearchBytes) && chains.size() < kChains;
       ++start) {
    if (!chains.empty() && start >= chains.front().front() + kChainBytes) break;
    std::vector<size_t> chain = chain_from(start);
    if (!chain.empty()) chains.push_back(std::move(chain));
  }
  for (const size_t candidate : chains.empty() ? std::vector<size_t>() : chains.front()) {
    const bool in_every_chain = std::all_of(chains.begin(), chains.end(), [&](const auto& chain) {
      return std::binary_search(chain.begin(), chain.end(), candidate);
    });
    if (in_every_chain) return offset + candidate;
  }
  return NotFound(
      fmt::format("{}: no record found to start from within 1 MiB of byte {}", name, offset));
}

}  // namespace

Result<uint64_t> FindRecordStart(const std::string& path, uint64_t offset) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return NotFound(fmt::format("{}: cannot open", path));
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(file, &std::fclose);
  offset = std::max<uint64_t>(offset, kBinaryHeaderBytes);
  std::string window(kSearchWindow, '\0');
  if (std::fseek(file, static_cast<long>(offset), SEEK_SET) != 0) {
    return IoError(fmt::format("{}: cannot seek to byte {}", path, offset));
  }
  window.resize(std::fread(window.data(), 1, window.size(), file));
  const bool window_ends_the_file = window.size() < kSearchWindow;
  return FindRecordStartIn(window, window_ends_the_file, path, offset);
}

Result<uint64_t> FindRecordStartInBuffer(std::string_view data, const std::string& name,
                                         uint64_t offset) {
  offset = std::max<uint64_t>(offset, kBinaryHeaderBytes);
  if (offset >= data.size()) {
    return NotFound(fmt::format("{}: byte {} is past the end", name, offset));
  }
  const std::string_view window = data.substr(offset, kSearchWindow);
  return FindRecordStartIn(window, offset + window.size() == data.size(), name, offset);
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
