// Helpers for tests that run the real `rapport` binary in a fresh temporary directory and compare
// what it prints with golden files (tests/golden/). Set RAPPORT_UPDATE_GOLDEN=1 to rewrite them.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace rapport::cli::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

inline std::string ReadWhole(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           (std::string("rapport_cli_") + info->test_suite_name() + "_" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  // Runs `rapport ARGS` in the test directory; ARGS is a shell fragment.
  RunResult Run(const std::string& args) const {
    const std::string err_path = (dir_ / "stderr.txt").string();
    const std::string command =
        "cd '" + dir_.string() + "' && '" RAPPORT_BINARY "' " + args + " 2>'" + err_path + "'";
    RunResult result;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return result;
    std::array<char, 4096> chunk;
    size_t n;
    while ((n = fread(chunk.data(), 1, chunk.size(), pipe)) > 0) result.out.append(chunk.data(), n);
    int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.err = ReadWhole(err_path);
    return result;
  }

  void CopyIn(const std::string& source, const std::string& name) const {
    std::filesystem::copy_file(source, dir_ / name,
                               std::filesystem::copy_options::overwrite_existing);
  }
  void WriteFile(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  std::string ReadFile(const std::string& name) const { return ReadWhole(dir_ / name); }

  // Compares text with tests/golden/<name>, or rewrites it when RAPPORT_UPDATE_GOLDEN is set.
  void ExpectGolden(const std::string& name, const std::string& text) const {
    const std::filesystem::path path = std::filesystem::path(RAPPORT_GOLDEN_DIR) / name;
    if (std::getenv("RAPPORT_UPDATE_GOLDEN") != nullptr) {
      std::ofstream(path, std::ios::binary) << text;
      return;
    }
    ASSERT_TRUE(std::filesystem::exists(path)) << path << " is missing; run with "
                                               << "RAPPORT_UPDATE_GOLDEN=1 to create it";
    EXPECT_EQ(text, ReadWhole(path)) << "output differs from " << path;
  }

  std::filesystem::path dir_;
};

}  // namespace rapport::cli::testing
