// Helpers for the ingest tests: collect what a read produced, write scratch files.
// Thread-safety: test-only, single-threaded.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "rapport/ingest/reader.h"

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

// A fresh directory per test, removed at the end.
class ScratchDir {
 public:
  ScratchDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            ("rapport_ingest_" + std::to_string(::getpid()) + "_" + info->test_suite_name() + "_" +
             info->name());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string Write(const std::string& name, std::string_view content) const {
    std::string file = (path_ / name).string();
    std::ofstream out(file, std::ios::binary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    return file;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace rapport::ingest::testing
