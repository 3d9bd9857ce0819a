// Helpers for the ingest tests: collect what a read produced, write scratch files.
// Thread-safety: test-only, single-threaded.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "rapport/ingest/reader.h"
#include "scratch_dir.h"

namespace rapport::ingest::testing {

struct Collected {
  Status status;
  ReadCounts counts;
  std::vector<Event> events;
  std::vector<Reject> rejects;
};

inline void Finish(Collected& out, Result<ReadCounts> result) {
  if (result.ok()) {
    out.counts = *result;
    EXPECT_EQ(out.counts.records, out.counts.emitted + out.counts.rejected);
    EXPECT_EQ(out.counts.emitted, static_cast<int64_t>(out.events.size()));
    EXPECT_EQ(out.counts.rejected, static_cast<int64_t>(out.rejects.size()));
  } else {
    out.status = result.status();
  }
}

inline Collected ReadText(std::string_view text, Format format, const std::string& name,
                          ReadOptions options = {}) {
  Collected out;
  options.format = format;
  Finish(out, ReadBuffer(
                  text, name, options,
                  [&](Event&& event) {
                    out.events.push_back(std::move(event));
                    return Status::Ok();
                  },
                  [&](Reject&& reject) { out.rejects.push_back(std::move(reject)); }));
  return out;
}

inline Collected ReadPath(const std::string& path, ReadOptions options = {}) {
  Collected out;
  Finish(out, ReadFile(
                  path, options,
                  [&](Event&& event) {
                    out.events.push_back(std::move(event));
                    return Status::Ok();
                  },
                  [&](Reject&& reject) { out.rejects.push_back(std::move(reject)); }));
  return out;
}

inline ReadOptions WithFormat(Format format) {
  ReadOptions options;
  options.format = format;
  return options;
}

inline ReadOptions KeepText() {
  ReadOptions options;
  options.keep_text = true;
  return options;
}

using test::ScratchDir;

}  // namespace rapport::ingest::testing
