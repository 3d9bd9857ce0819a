#include "pages.h"

#include <fmt/format.h>

#include "rapport/core/time.h"
#include "rapport/report/html_report.h"
#include "rapport/scenario/demo.h"
#include "rapport/score/cooling.h"

namespace rapport::server {
namespace {

constexpr int kCoolingRows = 50;

std::string Navigation(const std::string& query) {
  return fmt::format(
      "<nav class=\"top\"><a href=\"/\">Rapport</a><a href=\"/#cooling\">Going quiet</a>"
      "<form action=\"/people\" method=\"get\" role=\"search\"><input id=\"search\" name=\"q\" "
      "type=\"search\" placeholder=\"Search people by name or identity\" aria-label=\"Search "
      "people\" value=\"{}\"><button type=\"submit\">Search</button></form></nav>\n",
      report::HtmlEscape(query));
}

std::string PersonHref(int64_t id) { return id < 0 ? "" : fmt::format("/person/{}", id); }

// A page of the dashboard's style around `body_html`, for pages without a scoring run.
std::string PlainPage(const std::string& title, const std::string& body_html,
                      const std::string& query) {
  return report::RenderHtmlPage(title, Navigation(query), body_html);
}

}  // namespace

std::string HomePage(const Snapshot& snapshot) {
  const score::ScoreRun& run = snapshot.run();
  report::HtmlReportInput input;
  input.run = &run;
  input.title = "Rapport";
  // The demo's story, while its two main characters are in the store.
  bool blogger = false, broadcaster = false;
  for (const store::Person& person : snapshot.people()) {
    blogger = blogger || person.name == scenario::kBlogger;
    broadcaster = broadcaster || person.name == scenario::kBroadcaster;
  }
  if (blogger && broadcaster) {
    input.title = std::string(scenario::kDemoTitle);
    input.story = std::string(scenario::kDemoStory);
  }
  input.focus_views = false;
  std::vector<score::CoolingTie> cooling = score::FindCooling(run, std::nullopt);
  if (cooling.size() > static_cast<size_t>(kCoolingRows)) cooling.resize(kCoolingRows);
  input.cooling = std::move(cooling);
  input.link = PersonHref;
  input.navigation_html = Navigation("");
  return report::RenderHtmlReport(input);
}

std::string SearchPage(const Snapshot& snapshot, const std::string& query) {
  const std::vector<const store::Person*> found = snapshot.Search(query, 100);
  std::string body;
  if (found.empty()) {
    body = fmt::format("<p class=\"empty\">No one matches \u201c{}\u201d.</p>\n",
                       report::HtmlEscape(query));
  } else {
    body = "<ul class=\"results\">\n";
    for (const store::Person* person : found) {
      const score::PersonScore* scored = snapshot.Scored(person->id);
      body += fmt::format("<li><a class=\"person\" href=\"{}\">{}</a> {}</li>\n",
                          PersonHref(person->id), report::HtmlEscape(person->name),
                          scored == nullptr
                              ? std::string("(not scored yet)")
                              : fmt::format("&middot; volume {:.1f} &middot; rapport {:.1f}",
                                            scored->volume_score, scored->rapport_score));
    }
    body += "</ul>\n";
  }
  return PlainPage(fmt::format("People matching \u201c{}\u201d", query), body, query);
}

std::string PersonPage(const Snapshot& snapshot, const store::Person& person, int history_points) {
  const score::ScoreRun& run = snapshot.run();
  const score::PersonScore* scored = snapshot.Scored(person.id);
  const std::optional<PersonIndex> index = snapshot.IndexOf(person.id);
  if (scored == nullptr || !index) {
    return PlainPage(person.name,
                     fmt::format("<p class=\"empty\">{} has no interactions at or before {}: "
                                 "nothing to show yet.</p>\n",
                                 report::HtmlEscape(person.name), FormatDate(run.as_of)),
                     "");
  }
  report::HtmlReportInput input;
  input.run = &run;
  input.title = person.name;
  input.story = fmt::format(
      "Volume score {:.1f}, rapport score {:.1f} (rank {} of {} by rapport); {} ties, {} of them "
      "strong.",
      scored->volume_score, scored->rapport_score, snapshot.RankOf(person.id), run.people.size(),
      scored->ties, scored->rapport.strong_ties);
  input.focus = *index;
  input.population = false;
  input.history = snapshot.History(*index, kSecondsPerWeek, history_points);
  input.cooling = score::FindCooling(run, *index);
  input.link = PersonHref;
  input.navigation_html = Navigation("");
  return report::RenderHtmlReport(input);
}

std::string MessagePage(const std::string& title, const std::string& message) {
  return PlainPage(title, fmt::format("<p>{}</p>\n", report::HtmlEscape(message)), "");
}

}  // namespace rapport::server
