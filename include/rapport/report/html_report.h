// The HTML report: one self-contained file (inline CSS and SVG, no scripts or fonts fetched from
// anywhere) that opens offline and shows a scored population: the two scores side by side, the
// scatter of volume against rapport that makes Klout's failure visible, and the strongest ties of
// one focus person. Thread-safety: pure function.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "rapport/score/scorer.h"

namespace rapport::report {

// A before/after comparison to show in the report (the demo's "one week off").
struct ScoreChange {
  std::string name;
  double volume_before = 0, volume_after = 0;
  double rapport_before = 0, rapport_after = 0;
};

struct HtmlReportInput {
  const score::ScoreRun* run = nullptr;  // REQUIRES: not null
  std::string title = "Rapport report";
  std::string story;                 // optional paragraph of plain text, shown first
  std::optional<PersonIndex> focus;  // whose strongest ties to show; none: the top person
  int top_people = 20;               // rows of the comparison chart
  int top_ties = 15;                 // rows of the focus person's ties
  std::vector<ScoreChange> changes;  // optional "what a week off does" table
};

std::string RenderHtmlReport(const HtmlReportInput& input);

// `text` with &, <, >, " and ' escaped for HTML.
std::string HtmlEscape(std::string_view text);

}  // namespace rapport::report
