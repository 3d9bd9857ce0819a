// The JSON API of `rapport serve` over real HTTP: every endpoint's answer checked against the
// same computation done directly on the store, and every bad request (malformed JSON, unknown
// person, oversized upload, missing or wrong token, path traversal in file names) answered with
// the right 4xx and a JSON error, with nothing changed in the store.
#include <gmock/gmock.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cmath>
#include <fstream>

#include "rapport/score/cooling.h"
#include "rapport/score/scorer.h"
#include "server_test_util.h"

namespace rapport::server::testing {
namespace {

using ::testing::HasSubstr;

// Read-only endpoints share one served demo store.
class ApiReadTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // One directory per process: CTest runs the tests of this suite in parallel processes.
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                     ("rapport_api_read_" + std::to_string(getpid())));
    std::filesystem::remove_all(*dir_);
    std::filesystem::create_directories(*dir_);
    ImportCsv(*dir_ / "rapport.db", DemoCsv());
    server_ = RunningServer::Start(*dir_ / "rapport.db").release();
    // The reference: the store scored directly, as `rapport score` does.
    auto store = store::Store::Open((*dir_ / "rapport.db").string());
    auto latest = (*store)->LatestEventTime();
    log_ = new EventLog(*(*store)->LoadEventLog(**latest));
    run_ = new score::ScoreRun(score::ScoreEvents(*log_, DefaultConfig(), **latest));
    maya_ = (*store)->FindPerson("maya")->id;
  }
  static void TearDownTestSuite() {
    delete server_;
    delete run_;
    delete log_;
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  httplib::Result Get(const std::string& path) { return server_->Client()->Get(path.c_str()); }

  static std::filesystem::path* dir_;
  static RunningServer* server_;
  static EventLog* log_;
  static score::ScoreRun* run_;
  static int64_t maya_;
  simdjson::dom::parser parser_;
};
std::filesystem::path* ApiReadTest::dir_ = nullptr;
RunningServer* ApiReadTest::server_ = nullptr;
EventLog* ApiReadTest::log_ = nullptr;
score::ScoreRun* ApiReadTest::run_ = nullptr;
int64_t ApiReadTest::maya_ = 0;

double Rounded(double value) { return std::round(value * 100) / 100; }

TEST_F(ApiReadTest, HealthCountsTheStore) {
  auto res = Get("/api/health");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  auto json = ParseJson(parser_, res->body);
  EXPECT_EQ(int64_t(json["events"]), static_cast<int64_t>(log_->event_count()));
  EXPECT_EQ(int64_t(json["people_scored"]), static_cast<int64_t>(run_->people.size()));
}

TEST_F(ApiReadTest, SearchFindsTheBloggerByAnyCase) {
  for (const char* query : {"may", "MAYA", "aya"}) {
    auto res = Get(std::string("/api/people?q=") + query);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200);
    simdjson::dom::array people = ParseJson(parser_, res->body)["people"];
    bool found = false;
    for (simdjson::dom::element person : people) found = found || int64_t(person["id"]) == maya_;
    EXPECT_TRUE(found) << query << ": " << res->body;
  }
  auto none = Get("/api/people?q=nobody-is-called-this");
  ASSERT_TRUE(none);
  EXPECT_EQ(ParseJson(parser_, none->body)["people"].get_array().size(), 0u);
}

TEST_F(ApiReadTest, SearchWithoutQueryListsTheTopPeopleInRapportOrder) {
  auto res = Get("/api/people?limit=3");
  ASSERT_TRUE(res);
  simdjson::dom::array people = ParseJson(parser_, res->body)["people"];
  ASSERT_EQ(people.size(), 3u);
  size_t i = 0;
  for (simdjson::dom::element person : people)
    EXPECT_EQ(int64_t(person["id"]), run_->people[i++].id);
}

TEST_F(ApiReadTest, PersonHasTheScoresOfADirectScoring) {
  auto res = Get("/api/people/" + std::to_string(maya_));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  auto json = ParseJson(parser_, res->body);
  const score::PersonScore* expected = run_->Find(maya_);
  ASSERT_NE(expected, nullptr);
  EXPECT_EQ(std::string_view(json["name"]), "maya");
  EXPECT_DOUBLE_EQ(double(json["rapport_score"]), Rounded(expected->rapport_score));
  EXPECT_DOUBLE_EQ(double(json["volume_score"]), Rounded(expected->volume_score));
  EXPECT_EQ(int64_t(json["components"]["rapport"]["strong_ties"]), expected->rapport.strong_ties);
  EXPECT_EQ(int64_t(json["rank"]), (expected - run_->people.data()) + 1);
}

TEST_F(ApiReadTest, TiesAreTheStrongestFirstAsScored) {
  auto res = Get("/api/people/" + std::to_string(maya_) + "/ties?top=3");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  simdjson::dom::array ties = ParseJson(parser_, res->body)["ties"];
  ASSERT_EQ(ties.size(), 3u);
  const std::optional<PersonIndex> index = [&]() -> std::optional<PersonIndex> {
    for (PersonIndex i = 0; i < log_->person_count(); ++i) {
      if (log_->person_id[i] == maya_) return i;
    }
    return std::nullopt;
  }();
  ASSERT_TRUE(index);
  const std::vector<score::TieView> expected = score::TiesOf(*run_, *index);
  size_t i = 0;
  for (simdjson::dom::element tie : ties) {
    EXPECT_NEAR(double(tie["strength"]), expected[i].strength, 1e-4);
    EXPECT_EQ(int64_t(tie["other_id"]), log_->person_id[expected[i].other]);
    ++i;
  }
}

TEST_F(ApiReadTest, HistoryHasThePointsAskedFor) {
  auto res = Get("/api/people/" + std::to_string(maya_) + "/history?points=4&every=week");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  simdjson::dom::array history = ParseJson(parser_, res->body)["history"];
  ASSERT_EQ(history.size(), 4u);
  // The last point is the snapshot's own scoring.
  double last = 0;
  for (simdjson::dom::element point : history) last = double(point["rapport_score"]);
  EXPECT_NEAR(last, Rounded(run_->Find(maya_)->rapport_score), 0.011);
}

TEST_F(ApiReadTest, ExplainGraphAndCoolingAnswer) {
  auto explain = Get("/api/people/" + std::to_string(maya_) + "/explain?top=2");
  ASSERT_TRUE(explain);
  EXPECT_EQ(explain->status, 200);
  EXPECT_THAT(explain->body, HasSubstr("\"interactions\""));

  auto graph = Get("/api/people/" + std::to_string(maya_) + "/graph?neighbours=5");
  ASSERT_TRUE(graph);
  ASSERT_EQ(graph->status, 200);
  auto json = ParseJson(parser_, graph->body);
  EXPECT_EQ(json["nodes"].get_array().size(), 6u);  // maya and five neighbours
  size_t ego_edges = 0;
  simdjson::dom::array edges = json["edges"];
  for (simdjson::dom::element edge : edges) {
    ego_edges += int64_t(edge["source"]) == maya_ ? 1 : 0;
  }
  EXPECT_EQ(ego_edges, 5u);

  auto cooling = Get("/api/cooling");
  ASSERT_TRUE(cooling);
  ASSERT_EQ(cooling->status, 200);
  EXPECT_EQ(ParseJson(parser_, cooling->body)["cooling"].get_array().size(),
            score::FindCooling(*run_, std::nullopt).size());
}

TEST_F(ApiReadTest, BadReadsAreAnsweredWithJsonErrors) {
  struct Case {
    std::string path;
    int status;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"/api/people/999999", 404, "no person has id 999999"},
      {"/api/people/maya", 400, "is not a person id"},
      {"/api/people/..%2F..%2Fetc%2Fpasswd", 404, "nothing at GET /api/people/../../etc"},
      {"/api/people/999999/ties", 404, "no person"},
      {"/api/people/1/history?every=year", 400, "use day, week or month"},
      {"/api/people/1/history?points=1", 400, "points=1"},
      {"/api/people?limit=zero", 400, "limit=zero"},
      {"/api/cooling?person=999999", 404, "no person"},
      {"/api/nothing-here", 404, "nothing at GET /api/nothing-here"},
      {"/../../etc/passwd", 404, "nothing at"},
  };
  for (const Case& c : cases) {
    auto res = Get(c.path);
    ASSERT_TRUE(res) << c.path;
    EXPECT_EQ(res->status, c.status) << c.path;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json") << c.path;
    auto json = ParseJson(parser_, res->body);
    EXPECT_EQ(int64_t(json["status"]), c.status);
    EXPECT_THAT(std::string(std::string_view(json["error"])), HasSubstr(c.message)) << c.path;
  }
}

// Every path and method of docs/openapi.yaml is a route of the server (writes, sent without the
// token, get 401 rather than "nothing at").
TEST_F(ApiReadTest, EveryDocumentedEndpointIsServed) {
  std::ifstream spec(RAPPORT_SOURCE_DIR "/docs/openapi.yaml");
  ASSERT_TRUE(spec) << "docs/openapi.yaml is missing";
  std::string line, path;
  int checked = 0;
  while (std::getline(spec, line)) {
    if (line.starts_with("  /api/")) {
      path = line.substr(2, line.rfind(':') - 2);
      const size_t id = path.find("{id}");
      if (id != std::string::npos) path.replace(id, 4, std::to_string(maya_));
      continue;
    }
    for (const char* method : {"get", "post", "delete"}) {
      if (path.empty() || line != std::string("    ") + method + ":") continue;
      auto client = server_->Client();
      httplib::Result res = std::string(method) == "get" ? client->Get(path.c_str())
                            : std::string(method) == "post"
                                ? client->Post(path.c_str(), "", "text/plain")
                                : client->Delete(path.c_str());
      ASSERT_TRUE(res) << method << " " << path;
      EXPECT_THAT(res->body, ::testing::Not(HasSubstr("nothing at"))) << method << " " << path;
      EXPECT_EQ(res->status, std::string(method) == "get" ? 200 : 401) << method << " " << path;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 12);  // 9 reads, import, rescore, forget
}

// Writes: each test serves a small store of its own.
class ApiWriteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TestDirectory("rapport_api_");
    db_ = dir_ / "rapport.db";
    ImportCsv(db_,
              "time,channel,kind,actor,targets\n"
              "2024-01-01,email,email,ann@example.org,bob@example.org\n"
              "2024-01-02,email,email,bob@example.org,ann@example.org\n"
              "2024-01-03,phone,call,ann@example.org,cat@example.org\n"
              "2024-01-04,sms,message,cat@example.org,ann@example.org\n");
    server_ = RunningServer::Start(db_, [](ServerOptions& options) {
      options.max_upload_bytes = 4096;
      options.max_json_bytes = 256;
    });
    ASSERT_NE(server_, nullptr);
    client_ = server_->Client();
  }
  void TearDown() override {
    server_.reset();
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  // What the store holds, counted through its own connection.
  std::pair<int64_t, size_t> StoreCounts() const {
    auto store = store::Store::Open(db_.string());
    return {*(*store)->CountEvents(), (*store)->ListPeople()->size()};
  }
  httplib::Headers Token(const std::string& token = kToken) const {
    return {{"Authorization", "Bearer " + token}};
  }
  int64_t Generation() {
    simdjson::dom::parser parser;
    return int64_t(ParseJson(parser, client_->Get("/api/health")->body)["generation"]);
  }
  // The request must fail with `status` and a JSON error containing `message`, and leave the
  // store and the scores as they were.
  void ExpectRefused(const httplib::Result& res, int status, const std::string& message) {
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, status) << res->body;
    simdjson::dom::parser parser;
    auto json = ParseJson(parser, res->body);
    EXPECT_THAT(std::string(std::string_view(json["error"])), HasSubstr(message));
    EXPECT_EQ(StoreCounts(), before_);
    EXPECT_EQ(Generation(), 1);
  }

  std::filesystem::path dir_, db_;
  std::unique_ptr<RunningServer> server_;
  std::unique_ptr<httplib::Client> client_;
  std::pair<int64_t, size_t> before_{4, 3};
};

TEST_F(ApiWriteTest, WritesWithoutTheRightTokenChangeNothing) {
  const std::string csv = "time,channel,kind,actor,targets\n2024-02-01,email,email,dan,ann\n";
  ExpectRefused(client_->Post("/api/import?name=a.csv", csv, "text/csv"), 401, "needs the token");
  ExpectRefused(client_->Post("/api/import?name=a.csv", Token("wrong"), csv, "text/csv"), 403,
                "wrong token");
  ExpectRefused(client_->Post("/api/rescore", "", "application/json"), 401, "needs the token");
  ExpectRefused(client_->Delete("/api/people/1"), 401, "needs the token");
  ExpectRefused(client_->Delete("/api/people/1", Token("test-token-012345678")), 403,
                "wrong token");
}

TEST_F(ApiWriteTest, MalformedRescoreBodiesAreRefused) {
  ExpectRefused(client_->Post("/api/rescore", Token(), "{\"as_of\": ", "application/json"), 400,
                "JSON object");
  ExpectRefused(client_->Post("/api/rescore", Token(), "[1, 2]", "application/json"), 400,
                "JSON object");
  ExpectRefused(
      client_->Post("/api/rescore", Token(), "{\"when\": \"2024-01-01\"}", "application/json"), 400,
      "JSON object");
  ExpectRefused(
      client_->Post("/api/rescore", Token(), "{\"as_of\": \"yesterday\"}", "application/json"), 400,
      "as_of");
  ExpectRefused(client_->Post("/api/rescore", Token(), std::string(300, ' '), "application/json"),
                413, "at most 256");
}

TEST_F(ApiWriteTest, RescoreAtADateScoresThatDate) {
  auto res =
      client_->Post("/api/rescore", Token(), "{\"as_of\": \"2024-01-02\"}", "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  simdjson::dom::parser parser;
  auto json = ParseJson(parser, res->body);
  EXPECT_EQ(int64_t(json["generation"]), 2);
  EXPECT_EQ(int64_t(json["events"]), 2);  // the two events up to 2024-01-02
  EXPECT_EQ(Generation(), 2);
}

TEST_F(ApiWriteTest, ImportAddsEventsAndRescores) {
  const std::string csv =
      "time,channel,kind,actor,targets\n"
      "2024-02-01,email,email,dan@example.org,ann@example.org\n"
      "2024-02-02,email,email,ann@example.org,dan@example.org\n";
  auto res = client_->Post("/api/import?name=more.csv", Token(), csv, "text/csv");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  simdjson::dom::parser parser;
  auto json = ParseJson(parser, res->body);
  EXPECT_EQ(int64_t(json["import"]["accepted"]), 2);
  EXPECT_EQ(int64_t(json["rescored"]["events"]), 6);
  EXPECT_EQ(StoreCounts(), (std::pair<int64_t, size_t>{6, 4}));
  // The same file again adds nothing.
  auto again = client_->Post("/api/import?name=more.csv", Token(), csv, "text/csv");
  ASSERT_TRUE(again);
  EXPECT_EQ(int64_t(ParseJson(parser, again->body)["import"]["duplicate"]), 2);
  EXPECT_EQ(StoreCounts(), (std::pair<int64_t, size_t>{6, 4}));
  // Searching finds the new person.
  EXPECT_THAT(client_->Get("/api/people?q=dan")->body, HasSubstr("dan@example.org"));
}

TEST_F(ApiWriteTest, MultipartUploadsWork) {
  httplib::MultipartFormDataItems items = {
      {"file", "time,channel,kind,actor,targets\n2024-02-01,sms,message,eve,ann@example.org\n",
       "sms.csv", "text/csv"}};
  auto res = client_->Post("/api/import", Token(), items);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(StoreCounts().first, 5);
  EXPECT_EQ(StoreCounts().second, 4u);  // eve joined
}

TEST_F(ApiWriteTest, BadUploadsAreRefused) {
  const std::string csv = "time,channel,kind,actor,targets\n2024-02-01,email,email,dan,ann\n";
  for (const char* name :
       {"..%2F..%2Fetc%2Fpasswd", "%2Ftmp%2Fx.csv", "..", ".hidden.csv", "a%5Cb.csv", "x%0A.csv"}) {
    ExpectRefused(
        client_->Post((std::string("/api/import?name=") + name).c_str(), Token(), csv, "text/csv"),
        400, "not a plain file name");
  }
  httplib::MultipartFormDataItems traversal = {{"file", csv, "../../x.csv", "text/csv"}};
  ExpectRefused(client_->Post("/api/import", Token(), traversal), 400, "not a plain file name");
  ExpectRefused(client_->Post("/api/import", Token(), csv, "text/csv"), 400, "name the upload");
  ExpectRefused(client_->Post("/api/import?name=a.csv&format=excel", Token(), csv, "text/csv"), 400,
                "excel");
  ExpectRefused(
      client_->Post("/api/import?name=a.csv", Token(), std::string(5000, 'x'), "text/csv"), 413,
      "larger than this server accepts");
  // Nothing readable: 422, the records counted as rejected, no event stored.
  ExpectRefused(
      client_->Post("/api/import?name=bad.csv", Token(),
                    "time,channel,kind,actor,targets\n2024-02-01,email,poke,dan,ann\n", "text/csv"),
      422, "no record of bad.csv could be read");
}

TEST_F(ApiWriteTest, DeleteForgetsThePersonEverywhere) {
  simdjson::dom::parser parser;
  auto found = ParseJson(parser, client_->Get("/api/people?q=cat@example.org")->body);
  ASSERT_EQ(found["people"].get_array().size(), 1u);
  const int64_t cat = int64_t(found["people"].at(0)["id"]);
  ExpectRefused(client_->Delete("/api/people/999999", Token()), 404, "no person has id");
  ExpectRefused(client_->Delete("/api/people/cat", Token()), 400, "is not a person id");

  auto res = client_->Delete(("/api/people/" + std::to_string(cat)).c_str(), Token());
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  // cat's sms to ann, and ann's call to cat alone.
  EXPECT_EQ(int64_t(ParseJson(parser, res->body)["forget"]["deleted"]["events"]), 2);
  EXPECT_EQ(client_->Get(("/api/people/" + std::to_string(cat)).c_str())->status, 404);
  EXPECT_THAT(client_->Get("/api/people?q=cat")->body, ::testing::Not(HasSubstr("cat@")));
  auto store = store::Store::Open(db_.string());
  EXPECT_FALSE((*store)->FindPerson("cat@example.org").ok());
  EXPECT_EQ(*(*store)->CountEvents(), 2);
  store.value().reset();
  // No text of any row of any table names her, and after the VACUUM neither do the file's bytes.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  std::vector<std::string> tables;
  sqlite3_exec(
      db, "SELECT name FROM sqlite_master WHERE type = 'table'",
      [](void* out, int, char** values, char**) {
        static_cast<std::vector<std::string>*>(out)->emplace_back(values[0]);
        return 0;
      },
      &tables, nullptr);
  EXPECT_GE(tables.size(), 8u);
  int texts = 0, traces = 0;
  for (const std::string& table : tables) {
    sqlite3_stmt* rows = nullptr;
    ASSERT_EQ(
        sqlite3_prepare_v2(db, ("SELECT * FROM \"" + table + "\"").c_str(), -1, &rows, nullptr),
        SQLITE_OK);
    while (sqlite3_step(rows) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(rows); ++c) {
        if (sqlite3_column_type(rows, c) != SQLITE_TEXT) continue;
        ++texts;
        const std::string text(reinterpret_cast<const char*>(sqlite3_column_text(rows, c)));
        if (text.find("cat@example.org") != std::string::npos) {
          ADD_FAILURE() << table << "." << sqlite3_column_name(rows, c) << ": " << text;
          ++traces;
        }
      }
    }
    sqlite3_finalize(rows);
  }
  sqlite3_close(db);
  EXPECT_GT(texts, 5);  // the scan saw the others' identities and events
  EXPECT_EQ(traces, 0);
  std::ifstream file(db_, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_NE(bytes.find("ann@example.org"), std::string::npos);
  EXPECT_EQ(bytes.find("cat@example.org"), std::string::npos);
}

TEST_F(ApiWriteTest, ASecondServerOnTheSamePortFailsToStart) {
  ServerOptions options;
  options.db_path = db_.string();
  options.port = server_->port();
  options.token = kToken;
  auto second = Server::Create(options);
  ASSERT_TRUE(second.ok()) << second.status().message();
  auto bound = (*second)->Bind();
  ASSERT_FALSE(bound.ok());
  EXPECT_THAT(bound.status().message(), HasSubstr("cannot listen on 127.0.0.1:"));
  EXPECT_EQ(client_->Get("/api/health")->status, 200);  // the first one still answers
}

TEST_F(ApiWriteTest, ScoresListEveryoneScored) {
  simdjson::dom::parser parser;
  auto json = ParseJson(parser, client_->Get("/api/scores")->body);
  EXPECT_EQ(int64_t(json["people_scored"]), 3);
  EXPECT_EQ(json["people"].get_array().size(), 3u);
  EXPECT_EQ(client_->Get("/api/scores?top=-1")->status, 400);
}

}  // namespace
}  // namespace rapport::server::testing
