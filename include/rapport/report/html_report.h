// The HTML report: one self-contained page (inline CSS, SVG and one small inline script; nothing
// fetched from anywhere) that opens offline and shows a scored population (the two scores side by
// side, the scatter of volume against rapport that makes Klout's failure visible) and one focus
// person (their history, strongest ties, ego network and cooling ties). `rapport report` writes it
// to a file; the dashboard of `rapport serve` serves the same page with links between people.
// Thread-safety: pure function.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "rapport/score/cooling.h"
#include "rapport/score/history.h"
#include "rapport/score/scorer.h"

namespace rapport::report {

// A before/after comparison to show in the report (the demo's "one week off").
struct ScoreChange {
  std::string name;
  double volume_before = 0, volume_after = 0;
  double rapport_before = 0, rapport_after = 0;
};

// The address of a person's page (from their store id), or "" for no link.
using PersonLink = std::function<std::string(int64_t person_id)>;

struct HtmlReportInput {
  const score::ScoreRun* run = nullptr;  // REQUIRES: not null
  std::string title = "Rapport report";
  std::string story;                         // optional paragraph of plain text, shown first
  std::optional<PersonIndex> focus;          // whose strongest ties to show; none: the top person
  int top_people = 20;                       // rows of the comparison chart
  int top_ties = 15;                         // rows of the focus person's ties
  std::vector<ScoreChange> changes;          // optional "what a week off does" table
  bool population = true;                    // the bar chart and the scatter
  bool focus_views = true;                   // the focus person's ties and ego network
  int ego_neighbours = 24;                   // people around the focus person in the ego network
  std::vector<score::HistoryPoint> history;  // the focus person's history; empty: no chart
  // Cooling ties to list (the focus person's or everyone's); nullopt: no section.
  std::optional<std::vector<score::CoolingTie>> cooling;
  PersonLink link;              // when set, names and points link to people's pages
  std::string navigation_html;  // trusted HTML above the title (the dashboard's search bar)
};

std::string RenderHtmlReport(const HtmlReportInput& input);

// A page in the report's style holding `body_html` under an <h1> of `title`, with the trusted
// `navigation_html` above it (the dashboard's pages that have no scoring run to show).
std::string RenderHtmlPage(const std::string& title, const std::string& navigation_html,
                           const std::string& body_html);

// `text` with &, <, >, " and ' escaped for HTML.
std::string HtmlEscape(std::string_view text);

}  // namespace rapport::report
