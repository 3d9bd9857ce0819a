// `gen` and the batch path end to end: the same generated log scored through the store (import,
// then score) and straight from the file (score --input) gives the same scores for every person;
// the CSV and the binary output of `gen` hold the same events.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <vector>

#include "cli_test_util.h"
#include "rapport/ingest/binary_events.h"

namespace rapport::cli::testing {
namespace {

using ::testing::HasSubstr;

// The score CSV without its first column (the person id: the store numbers people itself),
// sorted by name.
std::vector<std::string> WithoutIds(const std::string& csv) {
  std::vector<std::string> rows;
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) rows.push_back(line.substr(line.find(',') + 1));
  std::sort(rows.begin(), rows.end());
  return rows;
}

class CliBatchTest : public CliTest {};

TEST_F(CliBatchTest, ScoringTheFileEqualsScoringTheStore) {
  RunResult gen = Run("gen --people 400 --events 20000 --seed 11 --out log.bin");
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  EXPECT_THAT(gen.out, HasSubstr("wrote 20000 events among 400 people"));
  RunResult imported = Run("import log.bin");
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_THAT(imported.out, HasSubstr("read 20000 = accepted 20000 + rejected 0 + duplicate 0"));
  RunResult from_store = Run("score --format csv");
  RunResult from_file = Run("score --input log.bin --format csv");
  ASSERT_EQ(from_store.exit_code, 0) << from_store.err;
  ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
  EXPECT_THAT(from_file.err, HasSubstr("read 20000 events"));
  const std::vector<std::string> store_rows = WithoutIds(from_store.out);
  EXPECT_GT(store_rows.size(), 300u);
  EXPECT_EQ(store_rows, WithoutIds(from_file.out));
}

TEST_F(CliBatchTest, GenCsvAndBinaryHoldTheSameEvents) {
  ASSERT_EQ(Run("gen --people 50 --events 3000 --seed 2 --out log.bin").exit_code, 0);
  ASSERT_EQ(Run("gen --people 50 --events 3000 --seed 2 --out log.csv").exit_code, 0);
  RunResult a = Run("score --input log.bin --format csv");
  RunResult b = Run("score --input log.csv --format csv");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(WithoutIds(a.out), WithoutIds(b.out));
  RunResult mixed = Run("score --input log.bin log.csv");
  EXPECT_EQ(mixed.exit_code, 2);
  EXPECT_THAT(mixed.err, HasSubstr("mixes binary event files with text formats"));
}

TEST_F(CliBatchTest, ReadingABinaryFileInParallelChunksChangesNoScore) {
  // 300,000 events: the binary file is scanned in a stretch a thread, then read in chunks of
  // 2^16 events by parallel threads; the CSV of the same events goes through the serial text
  // path.
  ASSERT_EQ(Run("gen --people 3000 --events 300000 --seed 4 --out log.bin").exit_code, 0);
  ASSERT_EQ(Run("gen --people 3000 --events 300000 --seed 4 --out log.csv").exit_code, 0);
  RunResult chunked = Run("score --input log.bin --format csv");
  RunResult serial = Run("score --input log.csv --format csv");
  ASSERT_EQ(chunked.exit_code, 0) << chunked.err;
  ASSERT_EQ(serial.exit_code, 0) << serial.err;
  // Five chunks of 2^16 events, one more where the scan's two stretches meet with two threads.
  EXPECT_THAT(chunked.err, ::testing::ContainsRegex("\\([56] chunk\\(s\\) in parallel\\)"));
  const std::vector<std::string> rows = WithoutIds(serial.out);
  EXPECT_GT(rows.size(), 2900u);
  EXPECT_EQ(rows, WithoutIds(chunked.out));
}

TEST_F(CliBatchTest, SplitFilesHoldTheSameLogInTimeOrder) {
  ASSERT_EQ(Run("gen --people 80 --events 4000 --seed 3 --out whole.bin").exit_code, 0);
  ASSERT_EQ(Run("gen --people 80 --events 4000 --seed 3 --split 12 --out part.bin").exit_code, 0);
  // Zero-padded numbers: the shell's glob lists part-00 .. part-11 in time order.
  EXPECT_TRUE(std::filesystem::exists(dir_ / "part-00.bin"));
  EXPECT_TRUE(std::filesystem::exists(dir_ / "part-11.bin"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "part-12.bin"));
  RunResult whole = Run("score --input whole.bin --format csv --out whole-scores");
  RunResult split = Run("score --input part-*.bin --format csv --out split-scores");
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  ASSERT_EQ(split.exit_code, 0) << split.err;
  EXPECT_EQ(whole.out, split.out);
  EXPECT_EQ(ReadFile("whole-scores/ties-00000.csv"), ReadFile("split-scores/ties-00000.csv"));
  EXPECT_FALSE(ReadFile("split-scores/summary.json").empty());
  RunResult csv_split = Run("gen --people 80 --events 400 --split 2 --out part.csv");
  EXPECT_NE(csv_split.exit_code, 0);
  EXPECT_THAT(csv_split.err, HasSubstr("--split writes binary files"));
  RunResult out_without_input = Run("score --out somewhere");
  EXPECT_NE(out_without_input.exit_code, 0);
  EXPECT_THAT(out_without_input.err, HasSubstr("--input"));
}

// The parallel scan's guess of where a stretch starts can be wrong: a record whose targets, read
// as bytes, are records too. The file is then scanned again by one thread, and nothing changes.
TEST_F(CliBatchTest, AWrongGuessOfARecordStartIsCaughtAndTheFileScannedAgain) {
  // 75,000 records, one whose 252 targets spell 42 records of 24 bytes, 75,002 more: 4.2 MB, so
  // that two threads each scan half, and the half falls on the 22nd record of the 42.
  constexpr uint32_t kBefore = 75000, kAfter = 75002;
  std::vector<uint32_t> spelled;
  for (int i = 0; i < 42; ++i) {
    // Time, actor, channel 2 with kind 0 and no target, duration, valence. Every word is a
    // small number (a person, as a target of the record that holds them), and a word of 0xff
    // where a record read from another multiple of 4 bytes would find its channel.
    spelled.insert(spelled.end(), {0xff, 0xff, 0xff, 2, 0xff, 0xff});
  }
  const std::string path = (dir_ / "tricky.bin").string();
  uint64_t holder_offset = 0;
  {
    Result<ingest::BinaryEventWriter> writer = ingest::BinaryEventWriter::Open(path);
    ASSERT_TRUE(writer.ok()) << writer.status().message();
    ingest::BinaryEvent event;
    event.channel = Channel::kEmail;
    event.kind = Kind::kEmail;
    for (uint32_t i = 0; i < kBefore + 1 + kAfter; ++i) {
      event.time = 1.5e9 + i * 60.0;
      event.actor = i == kBefore ? 999 : i % 300;
      event.targets = i == kBefore ? spelled : std::vector<uint32_t>{(i * 7 + 1) % 300};
      if (i == kBefore) holder_offset = 32 + 28 * uint64_t{kBefore};
      ASSERT_TRUE(writer->Write(event).ok());
    }
    ASSERT_TRUE(writer->Close().ok());
  }
  const uint64_t size = std::filesystem::file_size(path);
  ASSERT_EQ(size, 32 + 28 * uint64_t{kBefore + kAfter} + 24 + 4 * spelled.size());
  // The precondition: the search is fooled. It finds a spelled record, inside the holder.
  const Result<uint64_t> guess = ingest::FindRecordStart(path, size / 2);
  ASSERT_TRUE(guess.ok()) << guess.status().message();
  ASSERT_GT(*guess, holder_offset);
  ASSERT_LT(*guess, holder_offset + 24 + 4 * spelled.size())
      << "the file no longer fools the search; craft another to test the fallback";

  setenv("OMP_NUM_THREADS", "2", 1);
  const RunResult two = Run("score --input tricky.bin --format csv --top 0");
  setenv("OMP_NUM_THREADS", "1", 1);
  const RunResult one = Run("score --input tricky.bin --format csv --top 0");
  unsetenv("OMP_NUM_THREADS");
  ASSERT_EQ(two.exit_code, 0) << two.err;
  ASSERT_EQ(one.exit_code, 0) << one.err;
  // Read as they are: none of the spelled records is an event.
  EXPECT_THAT(two.err, HasSubstr(fmt::format("read {} events", kBefore + 1 + kAfter)));
  EXPECT_THAT(one.err, HasSubstr(fmt::format("read {} events", kBefore + 1 + kAfter)));
  EXPECT_GT(WithoutIds(two.out).size(), 290u);
  EXPECT_EQ(two.out, one.out);
}

TEST_F(CliBatchTest, ContactsSpilledToATemporaryFileChangeNoScore) {
  // 20,000 people: 8 partitions; 5 chunks read in parallel, each writing its buffers out.
  ASSERT_EQ(Run("gen --people 20000 --events 300000 --seed 6 --out log.bin").exit_code, 0);
  std::filesystem::create_directory(dir_ / "spill");
  RunResult spilled =
      Run("score --input log.bin --spill always --spill-dir spill --format csv "
          "--out spilled-scores");
  RunResult in_memory = Run("score --input log.bin --spill never --format csv --out scores");
  ASSERT_EQ(spilled.exit_code, 0) << spilled.err;
  ASSERT_EQ(in_memory.exit_code, 0) << in_memory.err;
  EXPECT_THAT(spilled.err, HasSubstr("wait in a temporary file in spill"));
  EXPECT_THAT(in_memory.err, ::testing::Not(HasSubstr("temporary file")));
  EXPECT_GT(WithoutIds(in_memory.out).size(), 19000u);
  EXPECT_EQ(spilled.out, in_memory.out);
  EXPECT_EQ(ReadFile("spilled-scores/ties-00000.csv"), ReadFile("scores/ties-00000.csv"));
  // The file had no name, and is gone.
  EXPECT_TRUE(std::filesystem::is_empty(dir_ / "spill"));

  RunResult no_directory = Run("score --input log.bin --spill always --spill-dir nowhere");
  EXPECT_EQ(no_directory.exit_code, 2) << no_directory.err;
  EXPECT_THAT(no_directory.err, HasSubstr("cannot create a file for the contacts in nowhere"));
  EXPECT_THAT(no_directory.err, HasSubstr("--spill-dir"));
  RunResult bad_mode = Run("score --input log.bin --spill sometimes");
  EXPECT_NE(bad_mode.exit_code, 0);
  EXPECT_THAT(bad_mode.err, HasSubstr("--spill"));
}

}  // namespace
}  // namespace rapport::cli::testing
