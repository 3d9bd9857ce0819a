// Internal to the report module: what the HTML report's sections share (colours, number and
// label formatting, names by person index) and the sections of one person's views drawn in
// person_views.cc. Thread-safety: pure functions; NameBook is immutable after construction.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rapport/report/html_report.h"

namespace rapport::report::internal {

inline constexpr std::string_view kVolumeColour = "#dd6b20";
inline constexpr std::string_view kRapportColour = "#2b6cb0";
inline constexpr std::string_view kFocusColour = "#c53030";

// Names longer than this are cut (at a UTF-8 boundary) in chart labels; tooltips keep them whole.
inline constexpr size_t kMaxChartLabelBytes = 26;

inline std::string OneDecimal(double value) { return fmt::format("{:.1f}", value); }

// A coordinate in an SVG attribute: one decimal is finer than a pixel.
inline std::string Coord(double value) { return fmt::format("{:.1f}", value); }

// `name` cut to at most kMaxChartLabelBytes bytes without splitting a UTF-8 sequence, with an
// ellipsis when cut. Not escaped.
inline std::string ChartLabel(std::string_view name) {
  if (name.size() <= kMaxChartLabelBytes) return std::string(name);
  size_t end = kMaxChartLabelBytes - 1;
  // Back up over continuation bytes (10xxxxxx) to the start of a code point.
  while (end > 0 && (static_cast<unsigned char>(name[end]) & 0xC0) == 0x80) --end;
  return std::string(name.substr(0, end)) + "\u2026";
}

// Code points in UTF-8 text (bytes that do not continue a sequence), to size chart labels.
inline size_t CodePoints(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// Names of people by person index, for the other side of a tie.
class NameBook {
 public:
  explicit NameBook(const score::ScoreRun& run) {
    for (const score::PersonScore& person : run.people) by_index_.emplace(person.index, &person);
  }
  const score::PersonScore* Find(PersonIndex index) const {
    auto it = by_index_.find(index);
    return it == by_index_.end() ? nullptr : it->second;
  }
  int64_t Id(PersonIndex index) const {
    const score::PersonScore* person = Find(index);
    return person == nullptr ? -1 : person->id;
  }
  std::string Name(PersonIndex index) const {
    const score::PersonScore* person = Find(index);
    if (person == nullptr) return fmt::format("person #{}", index);
    if (person->name.empty()) return fmt::format("person {}", person->id);
    return person->name;
  }

 private:
  std::unordered_map<PersonIndex, const score::PersonScore*> by_index_;
};

// `inner` wrapped in a link to the person's page when `link` gives one.
inline std::string Linked(const PersonLink& link, int64_t person_id, const std::string& inner) {
  if (!link) return inner;
  const std::string href = link(person_id);
  if (href.empty()) return inner;
  return fmt::format("<a href=\"{}\">{}</a>", HtmlEscape(href), inner);
}

// A person's two scores over time, on one chart (input.history, oldest first).
void AppendHistoryChart(const HtmlReportInput& input, const NameBook& names, PersonIndex focus,
                        std::string& out);
// The focus person's ego network: their strongest ties around them (closer is stronger), and the
// ties among those people; hovering a person highlights their ties, clicking opens their page.
void AppendEgoGraph(const HtmlReportInput& input, const NameBook& names, PersonIndex focus,
                    std::string& out);
// Ties gone quiet (input.cooling): who, strength then and now, last contact, usual gap, silence.
void AppendCooling(const HtmlReportInput& input, const NameBook& names, std::string& out);

}  // namespace rapport::report::internal
