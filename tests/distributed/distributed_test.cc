// The distributed path against the single process: `rapport-mpi score` under mpirun with 2 and 4
// ranks on loopback must write the score directory that `rapport score --input --out` writes,
// counts exactly and every floating value within 1e-9; a rank killed mid-run must fail the job
// with a message naming the rank and the phase and leave the previous result in place.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>

#include "../cli/cli_test_util.h"
#include "rapport/ingest/binary_events.h"
#include "rapport/scenario/generator.h"

namespace rapport::distributed {
namespace {

namespace fs = std::filesystem;
using cli::testing::CliTest;
using cli::testing::ReadWhole;
using cli::testing::RunResult;

// One CSV file set: rows by key (the id, or "u,v"), each row's fields by column name.
using Rows = std::map<std::string, std::map<std::string, std::string>>;

std::vector<std::string> SplitCsvLine(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"') {
      if (quoted && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back().push_back('"');
        ++i;
      } else {
        quoted = !quoted;
      }
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else {
      fields.back().push_back(c);
    }
  }
  return fields;
}

// Every part of `kind` ("people" or "ties") in a score directory.
Rows ReadParts(const fs::path& dir, const std::string& kind, int* parts) {
  Rows rows;
  *parts = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(kind + "-", 0) != 0) continue;
    ++*parts;
    std::istringstream in(ReadWhole(entry.path()));
    std::string line;
    std::getline(in, line);
    const std::vector<std::string> header = SplitCsvLine(line);
    while (std::getline(in, line)) {
      const std::vector<std::string> fields = SplitCsvLine(line);
      EXPECT_EQ(fields.size(), header.size()) << name << ": " << line;
      std::map<std::string, std::string> row;
      for (size_t i = 0; i < header.size() && i < fields.size(); ++i) row[header[i]] = fields[i];
      const std::string key = kind == "people" ? row["id"] : row["u"] + "," + row["v"];
      EXPECT_TRUE(rows.emplace(key, row).second) << "duplicate row " << key << " in " << name;
    }
  }
  return rows;
}

// Exact for integers and names, within 1e-9 for every other number.
void ExpectSameRows(const Rows& expected, const Rows& actual, const std::string& what) {
  ASSERT_EQ(expected.size(), actual.size()) << what;
  int mismatches = 0;
  for (const auto& [key, row] : expected) {
    auto found = actual.find(key);
    ASSERT_NE(found, actual.end()) << what << ": " << key << " is missing";
    for (const auto& [column, value] : row) {
      const std::string& other = found->second.at(column);
      const bool integer = value.find_first_of(".eE") == std::string::npos &&
                           other.find_first_of(".eE") == std::string::npos;
      if (column == "name" || integer) {
        if (value != other && ++mismatches < 5) {
          ADD_FAILURE() << what << " " << key << " " << column << ": " << value << " vs " << other;
        }
        continue;
      }
      const double a = std::stod(value), b = std::stod(other);
      if (!(std::fabs(a - b) <= 1e-9) && ++mismatches < 5) {
        ADD_FAILURE() << what << " " << key << " " << column << ": " << value << " vs " << other;
      }
    }
  }
  EXPECT_EQ(mismatches, 0) << what;
}

class DistributedTest : public CliTest {
 protected:
  // Runs `mpirun -np RANKS rapport-mpi ARGS` in the test directory.
  RunResult RunMpi(int ranks, const std::string& args, const std::string& env = "") const {
    const std::string err_path = (dir_ / "mpi_stderr.txt").string();
    // mpirun refuses root unless told; CI runs as root. One OpenMP thread per rank.
    const std::string root = geteuid() == 0 ? "--allow-run-as-root " : "";
    const std::string command = "cd '" + dir_.string() + "' && OMP_NUM_THREADS=1 " + env + " '" +
                                MPIEXEC "' " + root + "--oversubscribe -np " +
                                std::to_string(ranks) + " '" RAPPORT_MPI_BINARY "' " + args +
                                " 2>'" + err_path + "' >/dev/null";
    RunResult result;
    const int status = std::system(command.c_str());
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.err = ReadWhole(err_path);
    return result;
  }

  // Writes `events` generated events among `people` people, cut by time into `files` files.
  std::string Generate(uint64_t people, uint64_t events, int files) const {
    scenario::GeneratorOptions options;
    options.people = people;
    options.events = events;
    options.seed = 11;
    options.years = 2;
    std::vector<Result<ingest::BinaryEventWriter>> writers;
    std::string names;
    for (int f = 0; f < files; ++f) {
      const std::string name = "part" + std::to_string(f) + ".bin";
      writers.push_back(ingest::BinaryEventWriter::Open((dir_ / name).string()));
      EXPECT_TRUE(writers.back().ok());
      names += " " + name;
    }
    uint64_t written = 0;
    const Status generated = scenario::GenerateEvents(options, [&](const ingest::BinaryEvent& e) {
      const auto file = static_cast<size_t>(written++ * files / events);
      return writers[file]->Write(e);
    });
    EXPECT_TRUE(generated.ok()) << generated.message();
    for (auto& writer : writers) EXPECT_TRUE(writer->Close().ok());
    return names;
  }

  // Scores `inputs` in one process and with each rank count; the directories must agree.
  void ExpectSameAsSingleProcess(const std::string& inputs, const std::vector<int>& rank_counts,
                                 const std::string& extra = "") {
    const RunResult single = Run("score --input" + inputs + " " + extra + " --out single");
    ASSERT_EQ(single.exit_code, 0) << single.err;
    int parts = 0;
    const Rows people = ReadParts(dir_ / "single", "people", &parts);
    const Rows ties = ReadParts(dir_ / "single", "ties", &parts);
    ASSERT_GT(people.size(), 100u);
    ASSERT_GT(ties.size(), 100u);
    const std::string summary = ReadWhole(dir_ / "single" / "summary.json");
    for (int ranks : rank_counts) {
      SCOPED_TRACE(std::to_string(ranks) + " ranks");
      const std::string out = "mpi" + std::to_string(ranks);
      const RunResult mpi = RunMpi(ranks, "score --input" + inputs + " " + extra + " --out " + out);
      ASSERT_EQ(mpi.exit_code, 0) << mpi.err;
      ExpectSameRows(people, ReadParts(dir_ / out, "people", &parts), "people");
      EXPECT_EQ(parts, ranks);
      ExpectSameRows(ties, ReadParts(dir_ / out, "ties", &parts), "ties");
      // The counts in the summaries agree too.
      const std::string distributed = ReadWhole(dir_ / out / "summary.json");
      for (const char* key :
           {"\"events\"", "\"people\"", "\"pairs\"", "\"propagation_iterations\""}) {
        auto line_of = [key](const std::string& text) {
          const size_t at = text.find(key);
          return at == std::string::npos ? std::string()
                                         : text.substr(at, text.find('\n', at) - at);
        };
        EXPECT_FALSE(line_of(summary).empty()) << key;
        EXPECT_EQ(line_of(summary), line_of(distributed)) << key;
      }
    }
  }
};

TEST_F(DistributedTest, GeneratedEventsOneFileMatchTheSingleProcess) {
  // One file: every rank reads it and keeps every ranks-th event.
  ExpectSameAsSingleProcess(Generate(2500, 120000, 1), {2, 4});
}

TEST_F(DistributedTest, GeneratedEventsInSeveralFilesMatchTheSingleProcess) {
  // Four files: whole files per rank; as_of inside the span leaves later events out.
  ExpectSameAsSingleProcess(Generate(2000, 100000, 4), {2, 4}, "--as-of 2015-09-01");
}

TEST_F(DistributedTest, FewEventsAmongManyPeopleMatchTheSingleProcess) {
  // 100,000 people, 30,000 events: with 2 ranks each rank's per-person sums are a dense array,
  // with 4 ranks a hash table of the people its events touch (more than 4 people a contact).
  ExpectSameAsSingleProcess(Generate(100000, 30000, 1), {2, 4});
}

TEST_F(DistributedTest, CollegeMsgMatchesTheSingleProcess) {
  ExpectSameAsSingleProcess(" '" RAPPORT_SHARED_DATA "/collegemsg/CollegeMsg.txt'", {2, 4});
}

TEST_F(DistributedTest, SharedAttentionMatchesTheSingleProcess) {
  // Top partners on and weighted, so that the strengths compared depend on them: every pair's
  // effort goes to both people's owners and the lists travel with the neighbour lists.
  std::ofstream(dir_ / "shared.toml") << "[tie]\ntop_partners = 16\n"
                                         "[tie.coefficient]\nshared_attention = 0.5\n";
  ExpectSameAsSingleProcess(Generate(2500, 120000, 1), {2, 4},
                            "--config " + (dir_ / "shared.toml").string());
}

TEST_F(DistributedTest, AKilledRankFailsTheJobAndKeepsThePreviousResult) {
  const std::string inputs = Generate(1500, 50000, 1);
  ASSERT_EQ(RunMpi(2, "score --input" + inputs + " --out scores").exit_code, 0);
  const std::string before = ReadWhole(dir_ / "scores" / "people-00001.csv");
  ASSERT_FALSE(before.empty());
  for (const char* phase : {"embeddedness", "propagation", "write"}) {
    SCOPED_TRACE(phase);
    const RunResult killed = RunMpi(4, "score --input" + inputs + " --out scores",
                                    std::string("RAPPORT_MPI_FAIL=2:") + phase);
    EXPECT_NE(killed.exit_code, 0);
    EXPECT_NE(killed.err.find("rank 2"), std::string::npos) << killed.err;
    EXPECT_NE(killed.err.find(std::string("phase \"") + phase + "\""), std::string::npos)
        << killed.err;
    // The previous complete result (2 parts) is still there, untouched.
    EXPECT_EQ(ReadWhole(dir_ / "scores" / "people-00001.csv"), before);
    EXPECT_FALSE(fs::exists(dir_ / "scores" / "people-00003.csv"));
  }
}

TEST_F(DistributedTest, RejectedRecordsAreCountedByTheRankThatReadThem) {
  const std::string inputs = Generate(500, 20000, 1);
  // A later file with one good event and one aimed at its own actor (rejected).
  {
    Result<ingest::BinaryEventWriter> writer =
        ingest::BinaryEventWriter::Open((dir_ / "late.bin").string());
    ASSERT_TRUE(writer.ok());
    ingest::BinaryEvent event;
    event.time = 1420070400 + 3 * 365 * 86400.0;
    event.actor = 7;
    event.targets = {8};
    ASSERT_TRUE(writer->Write(event).ok());
    event.targets = {7};
    ASSERT_TRUE(writer->Write(event).ok());
    ASSERT_TRUE(writer->Close().ok());
  }
  ExpectSameAsSingleProcess(inputs + " late.bin", {2});
  const std::string err = ReadWhole(dir_ / "mpi_stderr.txt");
  EXPECT_NE(err.find("[rank 1] 1 records rejected; the first: late.bin, byte 60"),
            std::string::npos)
      << err;
}

TEST_F(DistributedTest, AMissingInputFailsEveryRankWithItsName) {
  const RunResult result = RunMpi(2, "score --input nowhere.bin --out scores");
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("nowhere.bin"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(dir_ / "scores"));
}

}  // namespace
}  // namespace rapport::distributed
