// End-to-end tests of the dashboard in real headless Chromium (Debian's chromium and
// chromium-driver, driven over WebDriver by webdriver.h) against a real `rapport serve` on the
// demo data: the dashboard loads, searching finds the blogger, the history chart and the ego
// network render (checked in the DOM and by screenshots that are not blank), hovering and
// clicking in the ego network work, and the cooling list shows what the API says.
#include <gmock/gmock.h>
#include <unistd.h>

#include <set>

#include "server_test_util.h"
#include "webdriver.h"

namespace rapport::server::testing {
namespace {

using ::rapport::testing::AnalysePng;
using ::rapport::testing::Browser;
using ::rapport::testing::kEnterKey;
using ::rapport::testing::PixelStats;
using ::testing::HasSubstr;

class DashboardTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                     ("rapport_dashboard_" + std::to_string(getpid())));
    std::filesystem::remove_all(*dir_);
    std::filesystem::create_directories(*dir_);
    ImportCsv(*dir_ / "rapport.db", DemoCsv());
    server_ = RunningServer::Start(*dir_ / "rapport.db").release();
    std::string error;
    browser_ = Browser::Start(&error).release();
    start_error_ = new std::string(error);
  }
  static void TearDownTestSuite() {
    delete browser_;
    delete server_;
    delete start_error_;
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }
  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(browser_, nullptr) << "headless Chromium did not start: " << *start_error_;
  }

  Browser& browser() { return *browser_; }
  std::string Url(const std::string& path) const { return server_->url() + path; }
  // The JSON the API gives for `path`.
  simdjson::dom::element Api(const std::string& path) {
    auto res = server_->Client()->Get(path.c_str());
    EXPECT_TRUE(res && res->status == 200) << path;
    body_ = res ? res->body : "";
    return ParseJson(parser_, body_);
  }
  int64_t MayaId() { return int64_t(Api("/api/people?q=maya")["people"].at(0)["id"]); }
  int Count(const std::string& css) { return static_cast<int>(browser().FindElements(css).size()); }
  // The screenshot of the first element matching `css`, decoded.
  PixelStats Picture(const std::string& css) {
    std::optional<std::string> element = browser().FindElement(css);
    EXPECT_TRUE(element) << css << ": " << browser().last_error();
    if (!element) return {};
    return AnalysePng(browser().ElementScreenshot(*element));
  }

  static std::filesystem::path* dir_;
  static RunningServer* server_;
  static Browser* browser_;
  static std::string* start_error_;
  simdjson::dom::parser parser_;
  std::string body_;
};
std::filesystem::path* DashboardTest::dir_ = nullptr;
RunningServer* DashboardTest::server_ = nullptr;
Browser* DashboardTest::browser_ = nullptr;
std::string* DashboardTest::start_error_ = nullptr;

TEST_F(DashboardTest, LoadsOnTheDemoDataWithTheStoryAndTheScatter) {
  ASSERT_TRUE(browser().Navigate(Url("/"))) << browser().last_error();
  auto title = browser().FindElement("h1");
  ASSERT_TRUE(title);
  EXPECT_EQ(browser().Text(*title), "Rapport demo: the blogger and the broadcaster");
  EXPECT_THAT(browser().Text(*browser().FindElement("p.story")), HasSubstr("maya blogs weekly"));
  // Every scored person is a point of the scatter (the second chart).
  const int64_t scored = int64_t(Api("/api/health")["people_scored"]);
  EXPECT_EQ(browser().Execute("return document.querySelectorAll('svg')[1]"
                              ".querySelectorAll('circle').length;"),
            std::to_string(scored));
  const PixelStats page = AnalysePng(browser().Screenshot());
  ASSERT_TRUE(page.ok);
  EXPECT_GT(page.non_background_fraction, 0.05);
  EXPECT_GT(page.distinct_colours, 20u);
}

TEST_F(DashboardTest, SearchingFindsTheBloggerAndOpensHerPage) {
  ASSERT_TRUE(browser().Navigate(Url("/")));
  auto search = browser().FindElement("#search");
  ASSERT_TRUE(search) << browser().last_error();
  ASSERT_TRUE(browser().SendKeys(*search, std::string("MAY") + kEnterKey));
  ASSERT_TRUE(browser().WaitFor("a.person")) << browser().last_error();
  const std::vector<std::string> results = browser().FindElements("a.person");
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(browser().Text(results[0]), "maya");
  ASSERT_TRUE(browser().Click(results[0]));
  ASSERT_TRUE(browser().WaitFor("svg.history"));
  EXPECT_THAT(browser().CurrentUrl(), ::testing::EndsWith("/person/" + std::to_string(MayaId())));
  EXPECT_EQ(browser().Text(*browser().FindElement("h1")), "maya");
}

TEST_F(DashboardTest, PersonPageDrawsTheHistoryChartAndTheEgoNetwork) {
  const int64_t maya = MayaId();
  ASSERT_TRUE(browser().Navigate(Url("/person/" + std::to_string(maya))));
  // History: both scores, one point per week scored, as many as the API's history has.
  EXPECT_EQ(Count("svg.history polyline.series"), 2);
  simdjson::dom::array history = Api("/api/people/" + std::to_string(maya) + "/history")["history"];
  EXPECT_EQ(Count("svg.history circle"), 2 * static_cast<int>(history.size()));
  const PixelStats chart = Picture("svg.history");
  ASSERT_TRUE(chart.ok);
  EXPECT_GT(chart.non_background_fraction, 0.01);
  EXPECT_GE(chart.distinct_colours, 3u);  // background, orange and blue at least

  // Ego network: maya and each of her ties (at most 24).
  simdjson::dom::array ties = Api("/api/people/" + std::to_string(maya) + "/ties")["ties"];
  const int shown = std::min<int>(24, static_cast<int>(ties.size()));
  ASSERT_GT(shown, 2);
  EXPECT_EQ(Count("svg.ego .node"), shown + 1);
  EXPECT_EQ(Count("svg.ego .edge.tie"), shown);
  const PixelStats graph = Picture("svg.ego");
  ASSERT_TRUE(graph.ok);
  EXPECT_GT(graph.non_background_fraction, 0.01);
  EXPECT_GE(graph.distinct_colours, 3u);
}

TEST_F(DashboardTest, EgoNetworkHighlightsOnHoverAndOpensPeopleOnClick) {
  ASSERT_TRUE(browser().Navigate(Url("/person/" + std::to_string(MayaId()))));
  EXPECT_EQ(Count("svg.ego .edge.hl"), 0);
  // Hovering the first neighbour highlights its tie to maya (and its ties among her friends).
  EXPECT_EQ(browser().Execute(
                "document.querySelector('svg.ego .node[data-i=\"0\"]')"
                ".dispatchEvent(new MouseEvent('mouseenter'));"
                "return document.querySelectorAll('svg.ego .edge.hl[data-b=\"0\"]').length;"),
            "1");
  EXPECT_GE(Count("svg.ego .edge.hl"), 1);
  const std::string name =
      browser().Text(*browser().FindElement("svg.ego .node[data-i=\"0\"] text"));
  ASSERT_FALSE(name.empty());
  auto link = browser().FindElement("svg.ego .node[data-i=\"0\"] a");
  ASSERT_TRUE(link) << browser().last_error();
  ASSERT_TRUE(browser().Click(*link));
  ASSERT_TRUE(browser().WaitFor("svg.ego"));
  EXPECT_EQ(browser().Text(*browser().FindElement("h1")), name);
}

TEST_F(DashboardTest, CoolingListMatchesTheApi) {
  simdjson::dom::array cooling = Api("/api/cooling")["cooling"];
  std::vector<std::string> expected;
  for (simdjson::dom::element tie : cooling) {
    expected.push_back(std::string(std::string_view(tie["person"])) + "|" +
                       std::string(std::string_view(tie["other"])) + "|" +
                       std::string(std::string_view(tie["last_contact"])).substr(0, 10));
  }
  ASSERT_FALSE(expected.empty()) << "the demo has ties going quiet";
  ASSERT_TRUE(browser().Navigate(Url("/")));
  const std::string rows = browser().Execute(
      "return Array.from(document.querySelectorAll('table.cooling tbody tr')).map(r => "
      "[r.cells[0].innerText, r.cells[1].innerText, r.cells[4].innerText].join('|'));");
  simdjson::dom::array shown = ParseJson(parser_, rows);
  std::vector<std::string> actual;
  for (simdjson::dom::element row : shown) actual.emplace_back(std::string_view(row));
  EXPECT_EQ(actual, expected);
}

}  // namespace
}  // namespace rapport::server::testing
