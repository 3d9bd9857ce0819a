// Tests of the HTML report: the sections it must contain, the order of the focus person's ties,
// the direction of event counts, escaping of names, the absence of any URL or foreign script, the
// optional changes table, sampling of large populations, the empty run, and one person's views
// (history chart, ego network, cooling ties, links to people's pages).
#include "rapport/report/html_report.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "rapport/core/config.h"
#include "rapport/core/event_log.h"
#include "rapport/score/tie_strength.h"

namespace rapport::report {
namespace {

constexpr double kStart = 1704067200;  // 2024-01-01T00:00:00Z
constexpr double kHour = 3600;
constexpr double kDay = 86400;

const char kScriptName[] = "<script>alert(1)</script>";

// People of the small log, by index.
enum : PersonIndex { kAlice, kBob, kCarol, kDave, kScript, kEve };

struct TimedEvent {
  double time;
  Channel channel;
  Kind kind;
  PersonIndex actor;
  std::vector<PersonIndex> targets;
};

EventLog MakeLog(const std::vector<std::string>& names, std::vector<TimedEvent> events) {
  std::stable_sort(events.begin(), events.end(),
                   [](const TimedEvent& a, const TimedEvent& b) { return a.time < b.time; });
  EventLog log;
  for (size_t i = 0; i < names.size(); ++i) {
    log.person_id.push_back(static_cast<int64_t>(i + 1));
    log.person_name.push_back(names[i]);
  }
  int64_t id = 1;
  for (const TimedEvent& timed : events) {
    Event event;
    event.time = timed.time;
    event.channel = timed.channel;
    event.kind = timed.kind;
    event.is_private = DefaultPrivate(timed.channel, timed.kind);
    log.Append(id++, event, timed.actor, timed.targets);
  }
  return log;
}

// Alice's ties, strongest first by construction: Bob (email and phone, weekly, both ways),
// Carol (a few chats both ways), the script-named person (a couple of replies), Dave (one like).
// Eve only broadcasts posts and likes Alice's, so she has a weak tie to Alice too.
EventLog SmallLog() {
  std::vector<TimedEvent> events;
  for (int week = 0; week < 8; ++week) {
    const double t = kStart + week * 7 * kDay;
    events.push_back({t, Channel::kEmail, Kind::kEmail, kAlice, {kBob}});
    events.push_back({t + kHour, Channel::kEmail, Kind::kEmail, kBob, {kAlice}});
    events.push_back({t + 2 * kHour, Channel::kPhone, Kind::kCall, kAlice, {kBob}});
    events.push_back({t + 3 * kHour, Channel::kEmail, Kind::kEmail, kAlice, {kBob}});
    for (int post = 0; post < 5; ++post) {
      events.push_back({t + 4 * kHour + post, Channel::kTwitter, Kind::kPost, kEve, {}});
    }
  }
  for (int chat = 0; chat < 3; ++chat) {
    const double t = kStart + (10 + chat * 12) * kDay;
    events.push_back({t, Channel::kChat, Kind::kMessage, kCarol, {kAlice}});
    events.push_back({t + kHour, Channel::kChat, Kind::kMessage, kAlice, {kCarol}});
  }
  events.push_back({kStart + 20 * kDay, Channel::kTwitter, Kind::kReply, kScript, {kAlice}});
  events.push_back({kStart + 21 * kDay, Channel::kTwitter, Kind::kReply, kAlice, {kScript}});
  events.push_back({kStart + 30 * kDay, Channel::kTwitter, Kind::kLike, kDave, {kAlice}});
  events.push_back({kStart + 31 * kDay, Channel::kTwitter, Kind::kLike, kEve, {kAlice}});
  return MakeLog({"Alice", "Bob", "Carol", "Dave", kScriptName, "Eve"}, std::move(events));
}

constexpr double kAsOf = kStart + 60 * kDay;

score::ScoreRun SmallRun() { return score::ScoreEvents(SmallLog(), DefaultConfig(), kAsOf); }

// The part of `html` from the ties section on.
std::string TiesSection(const std::string& html) {
  const size_t start = html.find("Strongest ties of");
  return start == std::string::npos ? std::string() : html.substr(start);
}

size_t CountOf(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

TEST(ReportHtmlEscape, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(HtmlEscape("a & b < c > d \"e\" 'f'"),
            "a &amp; b &lt; c &gt; d &quot;e&quot; &#39;f&#39;");
  EXPECT_EQ(HtmlEscape("plain Zoë"), "plain Zoë");
  EXPECT_EQ(HtmlEscape(""), "");
}

TEST(ReportHtml, IsOneHtml5DocumentWithHeaderAndFooter) {
  const score::ScoreRun run = SmallRun();
  HtmlReportInput input;
  input.run = &run;
  input.title = "Team & friends";
  input.story = "A story <with> markup.";
  const std::string html = RenderHtmlReport(input);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<style>"), std::string::npos);
  EXPECT_NE(html.find("<h1>Team &amp; friends</h1>"), std::string::npos);
  EXPECT_NE(html.find("As of 2024-03-01"), std::string::npos);
  EXPECT_NE(html.find(fmt::format("{} people scored", run.people.size())), std::string::npos);
  EXPECT_NE(html.find("A story &lt;with&gt; markup."), std::string::npos);
  EXPECT_NE(html.find("Generated by Rapport on this machine; nothing was sent anywhere."),
            std::string::npos);
  EXPECT_NE(html.find("</html>"), std::string::npos);
}

TEST(ReportHtml, SectionsAppearInOrder) {
  const score::ScoreRun run = SmallRun();
  HtmlReportInput input;
  input.run = &run;
  input.changes = {{"Alice", 40, 35, 60, 59.8}};
  const std::string html = RenderHtmlReport(input);
  const std::vector<std::string> headings = {"Two scores side by side", "Volume against rapport",
                                             "What one week off does", "Strongest ties of Alice",
                                             "Generated by Rapport"};
  size_t previous = 0;
  for (const std::string& heading : headings) {
    const size_t at = html.find(heading);
    ASSERT_NE(at, std::string::npos) << heading;
    EXPECT_GT(at, previous) << heading;
    previous = at;
  }
}

TEST(ReportHtml, ContainsBarChartAndScatterAsInlineSvg) {
  const score::ScoreRun run = SmallRun();
  HtmlReportInput input;
  input.run = &run;
  input.focus_views = false;  // the ego network is an SVG with circles of its own
  const std::string html = RenderHtmlReport(input);
  const size_t bars = html.find("Two scores side by side");
  const size_t scatter = html.find("Volume against rapport");
  ASSERT_NE(bars, std::string::npos);
  ASSERT_NE(scatter, std::string::npos);
  const size_t bar_svg = html.find("<svg", bars);
  ASSERT_NE(bar_svg, std::string::npos);
  EXPECT_LT(bar_svg, scatter);
  EXPECT_NE(html.find("<svg", scatter), std::string::npos);
  EXPECT_EQ(CountOf(html, "<svg"), 2u);
  // One point with a tooltip per scored person; both scores with one decimal.
  EXPECT_EQ(CountOf(html, "<circle"), run.people.size());
  const score::PersonScore& top = run.people.front();
  EXPECT_NE(html.find(fmt::format("<title>{}: volume {:.1f}, rapport {:.1f}</title>", top.name,
                                  top.volume_score, top.rapport_score)),
            std::string::npos);
}

TEST(ReportHtml, ListsFocusTiesInOrderOfStrength) {
  const score::ScoreRun run = SmallRun();
  HtmlReportInput input;
  input.run = &run;
  input.focus = kAlice;
  const std::string ties = TiesSection(RenderHtmlReport(input));
  ASSERT_FALSE(ties.empty());
  EXPECT_EQ(ties.rfind("Strongest ties of Alice", 0), 0u);

  // The expected order by construction, which must also be the scorer's order.
  const std::vector<std::string> expected = {"Bob", "Carol", kScriptName};
  const std::vector<score::TieView> scored = score::TiesOf(run, kAlice);
  ASSERT_EQ(scored.size(), 5u);  // Bob, Carol, the script name, Dave and Eve
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(SmallLog().person_name[scored[i].other], expected[i]);
  }
  size_t previous = 0;
  for (const score::TieView& tie : scored) {
    const std::string name = HtmlEscape(SmallLog().person_name[tie.other]);
    const size_t at = ties.find("<td>" + name + "</td>");
    ASSERT_NE(at, std::string::npos) << name;
    EXPECT_GT(at, previous) << name;
    previous = at;
  }
  EXPECT_LT(ties.find("<td>Bob</td>"), ties.find("<td>Carol</td>"));
  EXPECT_LT(ties.find("<td>Carol</td>"), ties.find("<td>Dave</td>"));
  // Strength with two decimals, the channels and the last contact of the strongest tie.
  EXPECT_NE(ties.find(fmt::format("{:.2f}", scored.front().strength)), std::string::npos);
  EXPECT_NE(ties.find("<td>email, phone</td>"), std::string::npos);
  EXPECT_NE(ties.find("2024-02-19"), std::string::npos);  // week 7: day 49
}

TEST(ReportHtml, FocusDefaultsToTheTopPerson) {
  const score::ScoreRun run = SmallRun();
  HtmlReportInput input;
  input.run = &run;
  const std::string html = RenderHtmlReport(input);
  EXPECT_NE(html.find("Strongest ties of " + HtmlEscape(run.people.front().name) + "</h2>"),
            std::string::npos);
}

TEST(ReportHtml, OrientsEventCountsFromTheFocusPerson) {
  const score::ScoreRun run = SmallRun();
  HtmlReportInput input;
  input.run = &run;
  // Alice sent Bob 8 weeks x (email, call, email) = 24 events and received 8 emails.
  input.focus = kAlice;
  std::string ties = TiesSection(RenderHtmlReport(input));
  size_t bob_row = ties.find("<td>Bob</td>");
  ASSERT_NE(bob_row, std::string::npos);
  EXPECT_NE(ties.find("<td class=\"num\">24 / 8</td>", bob_row), std::string::npos);
  // Seen from Bob, Alice is on the other side and the counts swap.
  input.focus = kBob;
  ties = TiesSection(RenderHtmlReport(input));
  ASSERT_EQ(ties.rfind("Strongest ties of Bob", 0), 0u);
  const size_t alice_row = ties.find("<td>Alice</td>");
  ASSERT_NE(alice_row, std::string::npos);
  EXPECT_NE(ties.find("<td class=\"num\">8 / 24</td>", alice_row), std::string::npos);
}

TEST(ReportHtml, ShowsTheTwoLargestFeatureContributions) {
  const score::ScoreRun run = SmallRun();
  HtmlReportInput input;
  input.run = &run;
  input.focus = kAlice;
  input.top_ties = 1;
  const std::string ties = TiesSection(RenderHtmlReport(input));
  const score::TieView strongest = score::TiesOf(run, kAlice).front();
  std::vector<std::pair<double, int>> contributions;
  for (int f = 0; f < kFeatureCount; ++f) {
    contributions.push_back(
        {score::FeatureContribution(run.config.tie, f,
                                    run.ties.features[strongest.pair][static_cast<size_t>(f)]),
         f});
  }
  std::stable_sort(contributions.begin(), contributions.end(), [](const auto& a, const auto& b) {
    return std::fabs(a.first) > std::fabs(b.first);
  });
  const std::string first =
      fmt::format("{} {:+.1f}", FeatureName(contributions[0].second), contributions[0].first);
  const std::string second = fmt::format("{} ", FeatureName(contributions[1].second));
  const size_t at = ties.find(first + ", " + second);
  EXPECT_NE(at, std::string::npos) << first << ", " << second;
  // top_ties = 1: only Bob's row.
  EXPECT_EQ(ties.find("<td>Carol</td>"), std::string::npos);
  EXPECT_EQ(CountOf(ties, "<tr><td class=\"num\">"), 1u);
}

TEST(ReportHtml, EscapesEveryName) {
  const score::ScoreRun run = SmallRun();
  HtmlReportInput input;
  input.run = &run;
  input.focus = kScript;
  input.title = kScriptName;
  input.story = kScriptName;
  input.changes = {{kScriptName, 1, 2, 3, 4}};
  const std::string html = RenderHtmlReport(input);
  EXPECT_EQ(html.find(kScriptName), std::string::npos);
  // No script but the ego network's own hover script.
  EXPECT_EQ(CountOf(html, "<script"), 1u);
  EXPECT_NE(html.find("<script>\ndocument.querySelectorAll('svg.ego')"), std::string::npos);
  EXPECT_NE(html.find("Strongest ties of &lt;script&gt;alert(1)&lt;/script&gt;"),
            std::string::npos);
  // Title, heading, story, bar chart, scatter, changes and ties heading all carry it escaped.
  EXPECT_GE(CountOf(html, "&lt;script&gt;alert(1)&lt;/script&gt;"), 6u);
}

TEST(ReportHtml, ContainsNoUrlAtAll) {
  const score::ScoreRun run = SmallRun();
  HtmlReportInput input;
  input.run = &run;
  input.changes = {{"Alice", 40, 35, 60, 59.8}};
  const std::string html = RenderHtmlReport(input);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("//"), std::string::npos);  // not even a protocol-relative URL
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find("xmlns"), std::string::npos);
}

TEST(ReportHtml, ChangesTableOnlyWhenChangesAreGiven) {
  const score::ScoreRun run = SmallRun();
  HtmlReportInput input;
  input.run = &run;
  std::string html = RenderHtmlReport(input);
  EXPECT_EQ(html.find("What one week off does"), std::string::npos);
  EXPECT_EQ(html.find("class=\"changes\""), std::string::npos);

  input.changes = {{"Alice", 42.0, 35.5, 61.3, 61.0}, {"Bob", 10, 10, 20, 20}};
  html = RenderHtmlReport(input);
  EXPECT_NE(html.find("What one week off does"), std::string::npos);
  EXPECT_NE(html.find("42.0 &rarr; 35.5 <span class=\"neg\">(-6.5)</span>"), std::string::npos);
  EXPECT_NE(html.find("61.3 &rarr; 61.0 <span class=\"neg\">(-0.3)</span>"), std::string::npos);
  EXPECT_NE(html.find("10.0 &rarr; 10.0 <span class=\"\">(+0.0)</span>"), std::string::npos);
}

TEST(ReportHtml, BarChartShowsTopPeopleOnly) {
  const score::ScoreRun run = SmallRun();
  ASSERT_GE(run.people.size(), 3u);
  HtmlReportInput input;
  input.run = &run;
  input.top_people = 2;
  const std::string html = RenderHtmlReport(input);
  const size_t start = html.find("Two scores side by side");
  const size_t end = html.find("Volume against rapport");
  const std::string chart = html.substr(start, end - start);
  EXPECT_NE(chart.find(HtmlEscape(run.people[0].name)), std::string::npos);
  EXPECT_NE(chart.find(HtmlEscape(run.people[1].name)), std::string::npos);
  EXPECT_EQ(chart.find(">3. "), std::string::npos);
  // Two bars per row, each with its numeric label.
  EXPECT_NE(chart.find(fmt::format(">{:.1f}</text>", run.people[1].rapport_score)),
            std::string::npos);
  EXPECT_NE(chart.find(fmt::format(">{:.1f}</text>", run.people[1].volume_score)),
            std::string::npos);
}

TEST(ReportHtml, SamplesLargePopulationsDeterministically) {
  // A ring of 12,000 people, each replying to the next.
  constexpr PersonIndex kPeople = 12000;
  std::vector<std::string> names;
  std::vector<TimedEvent> events;
  for (PersonIndex p = 0; p < kPeople; ++p) {
    names.push_back(fmt::format("P{}", p));
    events.push_back({kStart + p, Channel::kTwitter, Kind::kReply, p, {(p + 1) % kPeople}});
  }
  const score::ScoreRun run =
      score::ScoreEvents(MakeLog(names, std::move(events)), DefaultConfig(), kAsOf);
  ASSERT_EQ(run.people.size(), kPeople);
  HtmlReportInput input;
  input.run = &run;
  const std::string html = RenderHtmlReport(input);
  const size_t circles = CountOf(html, "<circle");
  EXPECT_LE(circles, 5000u + 11u);  // the sample plus at most 11 named people
  EXPECT_GE(circles, 4000u);
  EXPECT_NE(html.find("one in every 3 people"), std::string::npos);
  EXPECT_EQ(html, RenderHtmlReport(input));
  EXPECT_LT(html.size(), 1500000u);
}

TEST(ReportHtml, EmptyRunSaysThereIsNothingToShow) {
  const score::ScoreRun run = score::ScoreEvents(EventLog{}, DefaultConfig(), kAsOf);
  ASSERT_TRUE(run.people.empty());
  HtmlReportInput input;
  input.run = &run;
  const std::string html = RenderHtmlReport(input);
  EXPECT_NE(html.find("Nothing to show"), std::string::npos);
  EXPECT_NE(html.find("0 people scored"), std::string::npos);
  EXPECT_EQ(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("</html>"), std::string::npos);
}

TEST(ReportHtml, RunWithPeopleButNoEventsYetIsEmpty) {
  // Every event is after as_of: the people exist but none is scored.
  const score::ScoreRun run = score::ScoreEvents(SmallLog(), DefaultConfig(), kStart - kDay);
  ASSERT_TRUE(run.people.empty());
  HtmlReportInput input;
  input.run = &run;
  input.focus = kAlice;
  const std::string html = RenderHtmlReport(input);
  EXPECT_NE(html.find("Nothing to show"), std::string::npos);
}

TEST(ReportHtml, FocusWithoutTiesSaysSo) {
  const score::ScoreRun run = SmallRun();
  HtmlReportInput input;
  input.run = &run;
  input.focus = 999;  // nobody
  const std::string html = RenderHtmlReport(input);
  EXPECT_NE(html.find("has no ties to show"), std::string::npos);
}

TEST(ReportHtml, HistoryChartDrawsBothScoresAtEveryScoredDate) {
  const score::ScoreRun run = SmallRun();
  HtmlReportInput input;
  input.run = &run;
  input.focus = kAlice;
  input.population = false;
  input.history = {{kStart - kDay, false, 0, 0, 0},  // before her first event: a gap
                   {kStart + 10 * kDay, true, 40, 30, 1},
                   {kStart + 20 * kDay, true, 45, 35, 1},
                   {kStart + 30 * kDay, true, 50, 40, 2}};
  const std::string html = RenderHtmlReport(input);
  const size_t history = html.find("<svg class=\"history\"");
  ASSERT_NE(history, std::string::npos);
  const std::string chart = html.substr(history, html.find("</svg>", history) - history);
  EXPECT_EQ(CountOf(chart, "<polyline"), 2u);  // volume and rapport
  EXPECT_EQ(CountOf(chart, "<circle"), 6u);    // three scored dates, two scores each
  EXPECT_NE(chart.find("<title>2024-01-31: rapport 40.0</title>"), std::string::npos);
  EXPECT_NE(chart.find("<title>2024-01-11: volume 40.0</title>"), std::string::npos);
}

TEST(ReportHtml, EgoNetworkDrawsTheFocusAndEachTieWithLinks) {
  const score::ScoreRun run = SmallRun();
  HtmlReportInput input;
  input.run = &run;
  input.focus = kAlice;
  input.link = [](int64_t id) { return fmt::format("/person/{}", id); };
  const std::string html = RenderHtmlReport(input);
  const size_t ego = html.find("<svg class=\"ego\"");
  ASSERT_NE(ego, std::string::npos);
  const std::string graph = html.substr(ego, html.find("</svg>", ego) - ego);
  const size_t ties = score::TiesOf(run, kAlice).size();
  ASSERT_GT(ties, 2u);
  EXPECT_EQ(CountOf(graph, "class=\"node\""), ties + 1);
  EXPECT_EQ(CountOf(graph, "class=\"edge tie\""), ties);
  // Bob and Carol are both Alice's friends but never met: no edge among them.
  EXPECT_EQ(CountOf(graph, "class=\"edge among\""), 0u);
  EXPECT_NE(graph.find("<a href=\"/person/2\">"), std::string::npos);  // Bob
  EXPECT_NE(TiesSection(html).find("<a href=\"/person/2\">Bob</a>"), std::string::npos);
}

TEST(ReportHtml, WithoutALinkNoNameIsALink) {
  const score::ScoreRun run = SmallRun();
  HtmlReportInput input;
  input.run = &run;
  input.focus = kAlice;
  EXPECT_EQ(RenderHtmlReport(input).find("<a href"), std::string::npos);
}

TEST(ReportHtml, CoolingTableListsEachQuietTie) {
  const score::ScoreRun run = SmallRun();
  HtmlReportInput input;
  input.run = &run;
  input.cooling = std::vector<score::CoolingTie>{};
  EXPECT_NE(RenderHtmlReport(input).find("No strong relationship has been silent"),
            std::string::npos);
  score::CoolingTie tie;
  tie.person = kAlice;
  tie.other = kCarol;
  tie.strength_then = 0.8;
  tie.strength_now = 0.5;
  tie.last_contact = kStart + 34 * kDay;
  tie.usual_gap_days = 12;
  tie.silence_days = 26;
  input.cooling = std::vector<score::CoolingTie>{tie};
  const std::string html = RenderHtmlReport(input);
  EXPECT_NE(html.find("<tr><td>Alice</td><td>Carol</td><td class=\"num\">0.80</td><td "
                      "class=\"num\">0.50</td><td class=\"last-contact\">2024-02-04</td><td "
                      "class=\"num\">12</td><td class=\"num\">26</td></tr>"),
            std::string::npos);
}

}  // namespace
}  // namespace rapport::report
