// Tests of the export writers and of pseudonyms on a scored in-memory log: GraphML and GEXF parse
// back with pugixml into the structure NetworkX and Gephi read (namespaces, declared keys and
// attributes with their types, an undirected graph, every data value naming a declared key, edges
// between declared nodes with weight = strength), the same people and ties in every format,
// --min-strength, escaping of hostile names, CSV and JSON row counts, and the keyed hash.
#include "rapport/report/export.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <pugixml.hpp>
#include <set>
#include <string>
#include <vector>

#include "rapport/core/config.h"
#include "rapport/core/event_log.h"
#include "rapport/report/output.h"
#include "rapport/report/pseudonym.h"

namespace rapport::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr double kStart = 1704067200;  // 2024-01-01T00:00:00Z
constexpr double kDay = 86400;
const char kHostileName[] = "Ann \"<&>\" \x01 Lee";

Event MakeEvent(double time, Channel channel, Kind kind, std::string actor,
                std::vector<std::string> targets) {
  Event event;
  event.time = time;
  event.channel = channel;
  event.kind = kind;
  event.is_private = DefaultPrivate(channel, kind);
  event.actor = std::move(actor);
  event.targets = std::move(targets);
  return event;
}

// Six people: a strong email-and-phone pair, a chat pair, a group email, a like, and a person
// whose name is made of XML's special characters and a control character.
score::ScoreRun ScoredRun() {
  std::vector<Event> events;
  for (int week = 0; week < 20; ++week) {
    const double t = kStart + week * 7 * kDay;
    events.push_back(
        MakeEvent(t, Channel::kEmail, Kind::kEmail, "ann@x.example", {"bob@x.example"}));
    events.push_back(
        MakeEvent(t + 3600, Channel::kEmail, Kind::kEmail, "bob@x.example", {"ann@x.example"}));
    events.push_back(
        MakeEvent(t + 7200, Channel::kPhone, Kind::kCall, "bob@x.example", {"ann@x.example"}));
    if (week % 4 == 0) {
      events.push_back(
          MakeEvent(t + kDay, Channel::kChat, Kind::kMessage, "cat@x.example", {"dan@x.example"}));
      events.push_back(MakeEvent(t + kDay + 60, Channel::kChat, Kind::kMessage, "dan@x.example",
                                 {"cat@x.example"}));
    }
  }
  events.push_back(MakeEvent(kStart + 30 * kDay, Channel::kEmail, Kind::kEmail, "ann@x.example",
                             {"cat@x.example", "dan@x.example", kHostileName}));
  events.push_back(
      MakeEvent(kStart + 40 * kDay, Channel::kTwitter, Kind::kLike, "@eve", {"ann@x.example"}));
  events.push_back(MakeEvent(kStart + 41 * kDay, Channel::kEmail, Kind::kEmail, kHostileName,
                             {"bob@x.example"}));
  const EventLog log = EventLogFromEvents(events);
  return score::ScoreEvents(log, DefaultConfig(), kStart + 20 * 7 * kDay);
}

struct ParsedXml {
  pugi::xml_document document;
  pugi::xml_parse_result result;
};

void Parse(const std::string& text, ParsedXml& parsed) {
  parsed.result = parsed.document.load_buffer(text.data(), text.size(),
                                              pugi::parse_default | pugi::parse_declaration);
}

std::set<std::string> NamesOf(const score::ScoreRun& run) {
  std::set<std::string> names;
  for (const score::PersonScore& person : run.people) names.insert(person.name);
  return names;
}

int CountLines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

class ExportReportTest : public ::testing::Test {
 protected:
  void SetUp() override { run_ = ScoredRun(); }
  score::ScoreRun run_;
};

TEST_F(ExportReportTest, GraphMlIsWhatNetworkXAndGephiRead) {
  ASSERT_EQ(run_.people.size(), 6u);
  ASSERT_GE(run_.pairs.pairs.size(), 5u);
  const std::string text = ExportGraphMl(run_, ExportOptions{});
  ParsedXml parsed;
  Parse(text, parsed);
  ASSERT_TRUE(parsed.result) << parsed.result.description();
  EXPECT_TRUE(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
  pugi::xml_node root = parsed.document.child("graphml");
  ASSERT_TRUE(root);
  EXPECT_STREQ(root.attribute("xmlns").value(), "http://graphml.graphdrawing.org/xmlns");

  // Keys: unique ids, for graph/node/edge, a name and one of GraphML's types.
  std::map<std::string, std::string> key_domain;                // id -> for
  std::map<std::string, std::string> node_key_of, edge_key_of;  // attr.name -> id
  for (pugi::xml_node key : root.children("key")) {
    const std::string id = key.attribute("id").value();
    const std::string domain = key.attribute("for").value();
    const std::string name = key.attribute("attr.name").value();
    const std::string type = key.attribute("attr.type").value();
    EXPECT_TRUE(key_domain.emplace(id, domain).second) << "duplicate key id " << id;
    EXPECT_THAT(domain, ::testing::AnyOf("graph", "node", "edge"));
    EXPECT_FALSE(name.empty());
    EXPECT_THAT(type, ::testing::AnyOf("string", "int", "long", "double", "float", "boolean"));
    if (domain == "node") node_key_of[name] = id;
    if (domain == "edge") edge_key_of[name] = id;
  }
  for (const char* name : {"label", "volume_score", "rapport_score", "activity", "standing",
                           "depth", "strong_ties", "rapport_raw", "ties"}) {
    EXPECT_TRUE(node_key_of.count(name)) << name;
  }
  for (const char* name : {"weight", "warmth", "channels", "first_contact", "last_contact",
                           "events_out", "events_in", "intensity", "reciprocity", "attention"}) {
    EXPECT_TRUE(edge_key_of.count(name)) << name;
  }

  pugi::xml_node graph = root.child("graph");
  ASSERT_TRUE(graph);
  EXPECT_STREQ(graph.attribute("edgedefault").value(), "undirected");
  // Every <data> names a declared key of its element's kind.
  for (pugi::xpath_node data : root.select_nodes("//data")) {
    const std::string key = data.node().attribute("key").value();
    ASSERT_TRUE(key_domain.count(key)) << "undeclared key " << key;
    EXPECT_EQ(key_domain[key], data.node().parent().name());
  }
  std::map<std::string, std::string> label_of;
  for (pugi::xml_node node : graph.children("node")) {
    const std::string id = node.attribute("id").value();
    label_of[id] =
        node.find_child_by_attribute("data", "key", node_key_of["label"].c_str()).text().get();
  }
  ASSERT_EQ(label_of.size(), run_.people.size());
  for (const score::PersonScore& person : run_.people) {
    ASSERT_TRUE(label_of.count(std::to_string(person.id))) << person.id;
    EXPECT_EQ(label_of[std::to_string(person.id)], XmlSafe(person.name));
  }
  size_t edges = 0;
  std::vector<double> weights;
  for (pugi::xml_node edge : graph.children("edge")) {
    ++edges;
    EXPECT_TRUE(label_of.count(edge.attribute("source").value()));
    EXPECT_TRUE(label_of.count(edge.attribute("target").value()));
    EXPECT_LT(std::stoll(edge.attribute("source").value()),
              std::stoll(edge.attribute("target").value()));
    weights.push_back(edge.find_child_by_attribute("data", "key", edge_key_of["weight"].c_str())
                          .text()
                          .as_double(-1));
  }
  EXPECT_EQ(edges, run_.pairs.pairs.size());
  // Weights are the strengths, strongest first.
  std::vector<double> strengths = run_.ties.strength;
  std::sort(strengths.rbegin(), strengths.rend());
  ASSERT_EQ(weights.size(), strengths.size());
  for (size_t i = 0; i < weights.size(); ++i) EXPECT_NEAR(weights[i], strengths[i], 1e-5);
}

TEST_F(ExportReportTest, GexfIsWhatNetworkXAndGephiRead) {
  const std::string text = ExportGexf(run_, ExportOptions{});
  ParsedXml parsed;
  Parse(text, parsed);
  ASSERT_TRUE(parsed.result) << parsed.result.description();
  pugi::xml_node root = parsed.document.child("gexf");
  ASSERT_TRUE(root);
  EXPECT_STREQ(root.attribute("xmlns").value(), "http://www.gexf.net/1.2draft");
  EXPECT_STREQ(root.attribute("version").value(), "1.2");
  pugi::xml_node graph = root.child("graph");
  EXPECT_STREQ(graph.attribute("defaultedgetype").value(), "undirected");
  EXPECT_STREQ(graph.attribute("mode").value(), "static");
  std::map<std::string, std::set<std::string>> declared;  // class -> attribute ids
  for (pugi::xml_node attributes : graph.children("attributes")) {
    for (pugi::xml_node attribute : attributes.children("attribute")) {
      declared[attributes.attribute("class").value()].insert(attribute.attribute("id").value());
      EXPECT_THAT(std::string(attribute.attribute("type").value()),
                  ::testing::AnyOf("string", "integer", "double"));
    }
  }
  EXPECT_TRUE(declared["node"].count("rapport_score"));
  EXPECT_TRUE(declared["edge"].count("warmth"));
  std::set<std::string> node_ids;
  for (pugi::xml_node node : graph.child("nodes").children("node")) {
    node_ids.insert(node.attribute("id").value());
    EXPECT_STRNE(node.attribute("label").value(), "");
    for (pugi::xml_node value : node.child("attvalues").children("attvalue")) {
      EXPECT_TRUE(declared["node"].count(value.attribute("for").value()));
    }
  }
  EXPECT_EQ(node_ids.size(), run_.people.size());
  size_t edges = 0;
  for (pugi::xml_node edge : graph.child("edges").children("edge")) {
    ++edges;
    EXPECT_TRUE(node_ids.count(edge.attribute("source").value()));
    EXPECT_TRUE(node_ids.count(edge.attribute("target").value()));
    const double weight = edge.attribute("weight").as_double(-1);
    EXPECT_GE(weight, 0);
    EXPECT_LE(weight, 1);
    for (pugi::xml_node value : edge.child("attvalues").children("attvalue")) {
      EXPECT_TRUE(declared["edge"].count(value.attribute("for").value()));
    }
  }
  EXPECT_EQ(edges, run_.pairs.pairs.size());
}

TEST_F(ExportReportTest, MinStrengthDropsWeakTiesAndKeepsEveryone) {
  std::vector<double> strengths = run_.ties.strength;
  std::sort(strengths.begin(), strengths.end());
  const double threshold = strengths[strengths.size() / 2];
  const size_t kept = static_cast<size_t>(
      std::count_if(strengths.begin(), strengths.end(), [&](double s) { return s >= threshold; }));
  ASSERT_LT(kept, strengths.size());
  const ExportOptions options{threshold};
  ParsedXml graphml, gexf;
  Parse(ExportGraphMl(run_, options), graphml);
  Parse(ExportGexf(run_, options), gexf);
  ASSERT_TRUE(graphml.result && gexf.result);
  EXPECT_EQ(graphml.document.select_nodes("/graphml/graph/edge").size(), kept);
  EXPECT_EQ(graphml.document.select_nodes("/graphml/graph/node").size(), run_.people.size());
  EXPECT_EQ(gexf.document.select_nodes("/gexf/graph/edges/edge").size(), kept);
  EXPECT_EQ(gexf.document.select_nodes("/gexf/graph/nodes/node").size(), run_.people.size());
  EXPECT_EQ(CountLines(ExportTiesCsv(run_, options)), static_cast<int>(kept) + 1);
}

TEST_F(ExportReportTest, HostileNamesAreEscapedAndControlCharactersReplaced) {
  for (const std::string& text : {ExportGraphMl(run_, {}), ExportGexf(run_, {})}) {
    EXPECT_EQ(text.find('\x01'), std::string::npos);
    EXPECT_THAT(text, HasSubstr("&lt;&amp;"));
    ParsedXml parsed;
    Parse(text, parsed);
    ASSERT_TRUE(parsed.result) << parsed.result.description();
  }
  EXPECT_EQ(XmlSafe("a\x01z"), "a\xEF\xBF\xBDz");
  EXPECT_EQ(XmlSafe("tab\tline\n"), "tab\tline\n");
  EXPECT_EQ(XmlSafe("bad \xC3 utf8"), "bad \xEF\xBF\xBD utf8");
  EXPECT_EQ(XmlSafe("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(XmlSafe("not a char \xEF\xBF\xBF"), "not a char \xEF\xBF\xBD");
}

TEST_F(ExportReportTest, CsvTablesHaveTheScoreAndTiesColumnsAndRows) {
  const std::string people = ExportPeopleCsv(run_);
  const std::string ties = ExportTiesCsv(run_, ExportOptions{});
  const std::string score_csv = RenderScores(run_, OutputFormat::kCsv, 0);
  const std::string ties_csv = RenderTies(run_, std::nullopt, OutputFormat::kCsv, 0);
  EXPECT_EQ(CountLines(people), CountLines(score_csv));
  EXPECT_EQ(CountLines(ties), CountLines(ties_csv));
  EXPECT_EQ(people.substr(0, people.find('\n')), score_csv.substr(0, score_csv.find('\n')));
  EXPECT_EQ(ties.substr(0, ties.find('\n')), ties_csv.substr(0, ties_csv.find('\n')));
  EXPECT_THAT(people, HasSubstr("\"Ann \"\"<&>\"\" \x01 Lee\""));  // RFC 4180 quoting
}

TEST_F(ExportReportTest, JsonHoldsAsOfPeopleAndTies) {
  const std::string text = ExportJson(run_, ExportOptions{});
  simdjson::dom::parser parser;
  simdjson::dom::element document;
  ASSERT_EQ(parser.parse(text).get(document), simdjson::SUCCESS);
  std::string_view as_of;
  ASSERT_EQ(document["as_of"].get(as_of), simdjson::SUCCESS);
  EXPECT_EQ(as_of, "2024-05-20T00:00:00Z");
  simdjson::dom::array people, ties;
  ASSERT_EQ(document["people"].get(people), simdjson::SUCCESS);
  ASSERT_EQ(document["ties"].get(ties), simdjson::SUCCESS);
  EXPECT_EQ(people.size(), run_.people.size());
  EXPECT_EQ(ties.size(), run_.pairs.pairs.size());
  for (simdjson::dom::element tie : ties) {
    int64_t person_id = 0, other_id = 0;
    double strength = -1;
    ASSERT_EQ(tie["person_id"].get(person_id), simdjson::SUCCESS);
    ASSERT_EQ(tie["other_id"].get(other_id), simdjson::SUCCESS);
    ASSERT_EQ(tie["strength"].get(strength), simdjson::SUCCESS);
    EXPECT_LT(person_id, other_id);
    simdjson::dom::object features;
    EXPECT_EQ(tie["features"].get(features), simdjson::SUCCESS);
  }
}

TEST_F(ExportReportTest, PseudonymsAreKeyedStableAndDistinct) {
  const std::string key(std::string("0123456789abcdef") + "0123456789abcdef" + "0123456789abcdef" +
                        "0123456789abcdef");
  // HMAC-SHA-256(key, "42"), first 16 hex digits (Python: hmac.new(key, b"42", sha256)).
  EXPECT_EQ(Pseudonym(key, 42), "person-5203556f2f35a065");
  EXPECT_EQ(Pseudonym(key, 7), "person-6ffed9406e2053db");
  EXPECT_EQ(Pseudonym(key, 42), Pseudonym(key, 42));
  EXPECT_NE(Pseudonym(key, 42), Pseudonym("another key", 42));

  const std::set<std::string> names = NamesOf(run_);
  score::ScoreRun pseudonymized = run_;
  ASSERT_TRUE(PseudonymizeRun(pseudonymized, key).ok());
  std::set<std::string> pseudonyms = NamesOf(pseudonymized);
  EXPECT_EQ(pseudonyms.size(), run_.people.size());  // distinct
  for (const score::PersonScore& person : pseudonymized.people) {
    EXPECT_EQ(person.name, Pseudonym(key, person.id));
  }
  // No export of the pseudonymized run holds a name.
  for (const std::string& text : {ExportGraphMl(pseudonymized, {}), ExportGexf(pseudonymized, {}),
                                  ExportJson(pseudonymized, {}), ExportPeopleCsv(pseudonymized),
                                  ExportTiesCsv(pseudonymized, {})}) {
    for (const std::string& name : names) EXPECT_THAT(text, Not(HasSubstr(name)));
    EXPECT_THAT(text, Not(HasSubstr("x.example")));
    EXPECT_THAT(text, Not(HasSubstr("@eve")));
    EXPECT_THAT(text, Not(HasSubstr("Lee")));
  }
  score::ScoreRun no_key = run_;
  EXPECT_EQ(PseudonymizeRun(no_key, "").code(), StatusCode::kInvalidArgument);
}

TEST_F(ExportReportTest, UnknownFormatNamesTheFour) {
  Result<ExportFormat> format = ParseExportFormat("dot");
  ASSERT_FALSE(format.ok());
  EXPECT_THAT(format.status().message(), HasSubstr("use graphml, gexf, csv or json"));
  EXPECT_EQ(*ParseExportFormat("gexf"), ExportFormat::kGexf);
}

}  // namespace
}  // namespace rapport::report
