// End-to-end runs of `rapport export` on tests/data/cli/small.csv: each format to a file and to
// stdout, row counts equal to `score` and `ties --all`, --pseudonymize (no name or identity in
// any byte, the same pseudonyms across runs and formats, distinct per person, another store's
// key giving other ones), bad options, and a NetworkX round trip when python3-networkx is there.
#include <gmock/gmock.h>

#include <regex>
#include <set>

#include "cli_test_util.h"

namespace rapport::cli::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const char* const kIdentities[] = {
    "me@home.example", "alice@mail.example", "@bob", "carol@blog.example",
    "@erin",           "dave@chat.example"};

int CountLines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

std::set<std::string> PseudonymsIn(const std::string& text) {
  static const std::regex kPseudonym("person-[0-9a-f]{16}");
  std::set<std::string> found;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kPseudonym);
       it != std::sregex_iterator(); ++it) {
    found.insert(it->str());
  }
  return found;
}

class CliExportTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    CopyIn(RAPPORT_TEST_DATA "/cli/small.csv", "small.csv");
    RunResult imported = Run("import small.csv");
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
  }
};

TEST_F(CliExportTest, EveryFormatToAFileHoldsEveryPersonAndTie) {
  const int people = CountLines(Run("score --format csv").out) - 1;
  const int ties = CountLines(Run("ties --all --format csv").out) - 1;
  ASSERT_EQ(people, 6);
  ASSERT_GT(ties, 3);

  RunResult csv = Run("export --format csv --out graph.csv");
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_THAT(csv.out, HasSubstr("wrote graph-people.csv and graph-ties.csv"));
  EXPECT_EQ(CountLines(ReadFile("graph-people.csv")), people + 1);
  EXPECT_EQ(CountLines(ReadFile("graph-ties.csv")), ties + 1);

  RunResult graphml = Run("export --format graphml --out graph.graphml");
  ASSERT_EQ(graphml.exit_code, 0) << graphml.err;
  const std::string graphml_text = ReadFile("graph.graphml");
  EXPECT_THAT(graphml_text, HasSubstr("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\""));
  EXPECT_THAT(graphml_text, HasSubstr("<graph id=\"rapport\" edgedefault=\"undirected\">"));
  EXPECT_EQ(static_cast<int>(PseudonymsIn(graphml_text).size()), 0);
  size_t nodes = 0, edges = 0;
  for (size_t at = 0; (at = graphml_text.find("<node ", at)) != std::string::npos; ++at) ++nodes;
  for (size_t at = 0; (at = graphml_text.find("<edge ", at)) != std::string::npos; ++at) ++edges;
  EXPECT_EQ(static_cast<int>(nodes), people);
  EXPECT_EQ(static_cast<int>(edges), ties);

  RunResult gexf = Run("export --format gexf --out graph.gexf");
  ASSERT_EQ(gexf.exit_code, 0) << gexf.err;
  EXPECT_THAT(ReadFile("graph.gexf"), HasSubstr("<gexf xmlns=\"http://www.gexf.net/1.2draft\""));

  RunResult json = Run("export --format json");  // stdout
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr("\"as_of\": \"2024-10-06T19:00:00Z\""));
  EXPECT_THAT(json.out, HasSubstr("\"alice@mail.example\""));

  // CSV to stdout: the people table, an empty line, the ties table.
  RunResult csv_out = Run("export --format csv");
  ASSERT_EQ(csv_out.exit_code, 0) << csv_out.err;
  EXPECT_EQ(CountLines(csv_out.out), people + 1 + 1 + ties + 1);
  EXPECT_THAT(csv_out.out, HasSubstr("\n\nperson_id,person,other_id,other,strength,"));
}

TEST_F(CliExportTest, PseudonymizedExportsNameNoOneAndAreStable) {
  std::set<std::string> first_run;
  for (const char* format : {"graphml", "gexf", "csv", "json"}) {
    RunResult result = Run(std::string("export --pseudonymize --format ") + format);
    ASSERT_EQ(result.exit_code, 0) << result.err;
    for (const char* identity : kIdentities) {
      EXPECT_THAT(result.out, Not(HasSubstr(identity))) << format;
    }
    for (const char* part : {"alice", "carol", "dave", "erin", "home.example", "bob"}) {
      EXPECT_THAT(result.out, Not(HasSubstr(part))) << format;
    }
    const std::set<std::string> pseudonyms = PseudonymsIn(result.out);
    EXPECT_EQ(pseudonyms.size(), 6u) << format;  // one per person, all different
    if (first_run.empty()) first_run = pseudonyms;
    EXPECT_EQ(pseudonyms, first_run) << format << ": the same people, the same pseudonyms";
    // The same bytes again: pseudonyms do not change from run to run.
    EXPECT_EQ(Run(std::string("export --pseudonymize --format ") + format).out, result.out);
  }
  // Another store has another key, hence other pseudonyms for the same identities.
  ASSERT_EQ(Run("--db other.db import small.csv").exit_code, 0);
  RunResult other = Run("--db other.db export --pseudonymize --format json");
  ASSERT_EQ(other.exit_code, 0) << other.err;
  const std::set<std::string> other_pseudonyms = PseudonymsIn(other.out);
  EXPECT_EQ(other_pseudonyms.size(), 6u);
  for (const std::string& pseudonym : other_pseudonyms) EXPECT_EQ(first_run.count(pseudonym), 0u);
}

TEST_F(CliExportTest, MinStrengthKeepsStrongTiesOnly) {
  RunResult all = Run("export --format csv --out all");
  RunResult strong = Run("export --format csv --out strong --min-strength 0.5");
  ASSERT_EQ(strong.exit_code, 0) << strong.err;
  const int all_ties = CountLines(ReadFile("all-ties.csv"));
  const int strong_ties = CountLines(ReadFile("strong-ties.csv"));
  EXPECT_LT(strong_ties, all_ties);
  EXPECT_GE(strong_ties, 2);  // the header and the email-and-phone friend at least
  EXPECT_EQ(ReadFile("strong-people.csv"), ReadFile("all-people.csv"));
}

TEST_F(CliExportTest, BadOptionsFailWithExitTwo) {
  RunResult format = Run("export --format dot");
  EXPECT_EQ(format.exit_code, 2);
  EXPECT_THAT(format.err,
              HasSubstr("unknown export format \"dot\"; use graphml, gexf, csv or json"));
  RunResult strength = Run("export --min-strength 1.5");
  EXPECT_EQ(strength.exit_code, 2);
  EXPECT_THAT(strength.err, HasSubstr("--min-strength 1.5: a tie strength is between 0 and 1"));
  RunResult unwritable = Run("export --format json --out no-such-dir/x.json");
  EXPECT_EQ(unwritable.exit_code, 2);
  EXPECT_THAT(unwritable.err, HasSubstr("cannot write no-such-dir/x.json"));
}

TEST_F(CliExportTest, NetworkXReadsGraphMlAndGexf) {
  if (std::system("python3 -c 'import networkx' >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "python3 with networkx is not installed";
  }
  ASSERT_EQ(Run("export --format graphml --out g.graphml").exit_code, 0);
  ASSERT_EQ(Run("export --format gexf --out g.gexf").exit_code, 0);
  const int ties = CountLines(Run("ties --all --format csv").out) - 1;
  WriteFile("check.py",
            "import networkx as nx\n"
            "for g in (nx.read_graphml('g.graphml'), nx.read_gexf('g.gexf')):\n"
            "    assert not g.is_directed()\n"
            "    w = [d['weight'] for _, _, d in g.edges(data=True)]\n"
            "    assert all(0 <= x <= 1 for x in w), w\n"
            "    s = {d['rapport_score'] for _, d in g.nodes(data=True)}\n"
            "    assert all(1 <= x <= 100 for x in s), s\n"
            "    print(g.number_of_nodes(), g.number_of_edges())\n");
  RunResult python;
  {
    const std::string command = "cd '" + dir_.string() + "' && python3 check.py 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, pipe)) > 0) python.out.append(chunk, n);
    python.exit_code = pclose(pipe);
  }
  ASSERT_EQ(python.exit_code, 0) << python.out;
  const std::string expected = "6 " + std::to_string(ties) + "\n";
  EXPECT_EQ(python.out, expected + expected);
}

}  // namespace
}  // namespace rapport::cli::testing
