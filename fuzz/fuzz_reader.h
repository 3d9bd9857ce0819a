// Shared body of the reader fuzz targets: reads the input in one format and checks that every
// record was either emitted or rejected, with sane keys and bounded rejects.
// Thread-safety: libFuzzer calls one input at a time.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "rapport/ingest/reader.h"

namespace rapport::ingest::fuzz {

#define RAPPORT_FUZZ_CHECK(condition)                                                    \
  do {                                                                                   \
    if (!(condition)) {                                                                  \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

inline void ReadOne(const uint8_t* data, size_t size, Format format, const char* name) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  ReadOptions options;
  options.format = format;
  options.keep_text = true;
  // A small line limit so that inputs within -max_len reach the long-line path.
  options.max_line_bytes = 512;
  options.undated_time = 1;
  int64_t events = 0;
  int64_t rejects = 0;
  Result<ReadCounts> counts = ReadBuffer(
      input, name, options,
      [&](Event&& event) {
        RAPPORT_FUZZ_CHECK(!event.source.empty() && !event.native_id.empty());
        RAPPORT_FUZZ_CHECK(!event.actor.empty());
        RAPPORT_FUZZ_CHECK(event.kind == Kind::kPost || !event.targets.empty());
        RAPPORT_FUZZ_CHECK(event.valence >= -1 && event.valence <= 1);
        ++events;
        return Status::Ok();
      },
      [&](Reject&& reject) {
        RAPPORT_FUZZ_CHECK(!reject.reason.empty());
        RAPPORT_FUZZ_CHECK(reject.line >= 1);
        RAPPORT_FUZZ_CHECK(reject.byte_offset >= 0 &&
                           reject.byte_offset <= static_cast<int64_t>(size));
        RAPPORT_FUZZ_CHECK(reject.raw.size() <= kMaxRawBytes);
        ++rejects;
      });
  if (!counts.ok()) {
    // Only a bad CSV header may fail a whole read of in-memory data.
    RAPPORT_FUZZ_CHECK(format == Format::kCsv);
    RAPPORT_FUZZ_CHECK(counts.status().code() == StatusCode::kInvalidArgument);
    return;
  }
  RAPPORT_FUZZ_CHECK(counts->records == counts->emitted + counts->rejected);
  RAPPORT_FUZZ_CHECK(counts->emitted == events);
  RAPPORT_FUZZ_CHECK(counts->rejected == rejects);
}

// Reads an archive format's buffer (mbox, WXR) and checks the reader contract; such a reader
// may fail the whole read with InvalidArgument (not that format) or DataLoss (malformed).
inline void ReadArchiveOne(const uint8_t* data, size_t size, Format format, const char* name) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  ReadOptions options;
  options.format = format;
  options.keep_text = true;
  options.on_identity = [](IdentityHint&& hint) { RAPPORT_FUZZ_CHECK(!hint.identity.empty()); };
  int64_t events = 0;
  int64_t rejects = 0;
  Result<ReadCounts> counts = ReadBuffer(
      input, name, options,
      [&](Event&& event) {
        RAPPORT_FUZZ_CHECK(!event.source.empty() && !event.native_id.empty());
        RAPPORT_FUZZ_CHECK(!event.actor.empty());
        RAPPORT_FUZZ_CHECK(event.kind == Kind::kPost || !event.targets.empty());
        RAPPORT_FUZZ_CHECK(event.target_names.empty() ||
                           event.target_names.size() == event.targets.size());
        for (const std::string& target : event.targets) RAPPORT_FUZZ_CHECK(target != event.actor);
        ++events;
        return Status::Ok();
      },
      [&](Reject&& reject) {
        RAPPORT_FUZZ_CHECK(!reject.reason.empty());
        RAPPORT_FUZZ_CHECK(reject.line >= 1);
        RAPPORT_FUZZ_CHECK(reject.byte_offset >= 0 &&
                           reject.byte_offset <= static_cast<int64_t>(size));
        RAPPORT_FUZZ_CHECK(reject.raw.size() <= kMaxRawBytes);
        ++rejects;
      });
  if (!counts.ok()) {
    RAPPORT_FUZZ_CHECK(counts.status().code() == StatusCode::kInvalidArgument ||
                       counts.status().code() == StatusCode::kDataLoss);
    return;
  }
  RAPPORT_FUZZ_CHECK(counts->records == counts->emitted + counts->rejected);
  RAPPORT_FUZZ_CHECK(counts->emitted == events);
  RAPPORT_FUZZ_CHECK(counts->rejected == rejects);
}

}  // namespace rapport::ingest::fuzz
