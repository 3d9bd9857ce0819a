// A scratch directory for one test: fresh under the system's temporary directory (TMPDIR), named
// after the process and the test, and removed with everything in it when the test ends, files
// that SQLite or a reader left beside the ones written included.
// Thread-safety: test-only, single-threaded.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace rapport::test {

class ScratchDir {
 public:
  ScratchDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            ("rapport_test_" + std::to_string(::getpid()) + "_" + info->test_suite_name() + "_" +
             info->name());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  // The path of `name` in the directory, whether or not it exists.
  std::string Path(std::string_view name) const { return (path_ / name).string(); }
  // Writes `content` to `name` in the directory; returns its path.
  std::string Write(std::string_view name, std::string_view content) const {
    std::string file = Path(name);
    std::ofstream out(file, std::ios::binary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    return file;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace rapport::test
