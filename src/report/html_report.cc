// The HTML report (html_report.h): one self-contained HTML5 page with inline CSS and inline SVG
// charts drawn here, so the file opens offline and fetches nothing. Sections, in order: header
// (navigation when given, title, as-of date, people scored, story), the two scores side by side
// (bar chart) and volume against rapport (scatter) unless population is off, the optional
// before/after table, the focus person's history, strongest ties and ego network, the cooling
// ties when given (history, ego network and cooling are drawn in person_views.cc), and a footer.
// Every name goes through HtmlEscape. Thread-safety: pure functions.
#include "rapport/report/html_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "html_parts.h"
#include "rapport/core/time.h"

namespace rapport::report {
namespace {

using internal::ChartLabel;
using internal::CodePoints;
using internal::Coord;
using internal::kFocusColour;
using internal::kRapportColour;
using internal::kVolumeColour;
using internal::Linked;
using internal::NameBook;
using internal::OneDecimal;

// Why a point of the scatter is named.
constexpr uint8_t kTopRapport = 1, kTopVolume = 2, kFocus = 4;

// Above this many scored people the scatter shows every k-th person (plus the labelled ones), so
// a million-person run still gives a file of a few hundred kilobytes.
constexpr size_t kMaxScatterPoints = 5000;

constexpr std::string_view kStyle = R"(
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f7f7f5; color: #1f2933;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  line-height: 1.5; }
main { max-width: 960px; margin: 0 auto; padding: 2rem 1.25rem 3rem; }
h1 { font-size: 1.9rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2.5rem 0 .5rem; padding-bottom: .25rem;
  border-bottom: 1px solid #d9dde1; }
p.meta { color: #52606d; margin: 0 0 1rem; }
p.story { font-size: 1.05rem; background: #fff; border-left: 4px solid #2b6cb0;
  padding: .75rem 1rem; margin: 1rem 0; }
p.note, p.empty { color: #52606d; }
p.empty { background: #fff; padding: 1rem; border: 1px dashed #bcc5cc; }
figure { margin: 0; background: #fff; border: 1px solid #e1e4e8; border-radius: 6px;
  padding: .75rem; }
figcaption { color: #52606d; font-size: .9rem; margin-top: .25rem; }
svg { display: block; width: 100%; height: auto; }
svg text { font-family: inherit; fill: #1f2933; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: .95rem; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #e6e8eb;
  vertical-align: middle; }
th { background: #eef1f4; font-weight: 600; }
tbody tr:nth-child(even) { background: #fafbfc; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.pos { color: #2f855a; }
.neg { color: #c53030; }
.bar { display: inline-block; width: 90px; height: .7rem; background: #e6e8eb;
  border-radius: 3px; vertical-align: middle; margin-left: .5rem; }
.bar > span { display: block; height: 100%; background: #2b6cb0; border-radius: 3px; }
a { color: #2b6cb0; }
nav.top { background: #1f2933; color: #fff; padding: .5rem 1.25rem; display: flex; gap: 1.25rem;
  align-items: center; flex-wrap: wrap; }
nav.top a { color: #fff; text-decoration: none; font-weight: 600; }
nav.top form { margin-left: auto; display: flex; gap: .4rem; }
nav.top input { padding: .3rem .5rem; border-radius: 4px; border: 0; width: 16rem; }
ul.results { background: #fff; padding: .5rem 1.5rem; border: 1px solid #e1e4e8; }
svg.ego .edge { stroke: #2b6cb0; stroke-opacity: .55; }
svg.ego .edge.among { stroke: #9aa5b1; stroke-opacity: .6; }
svg.ego .edge.hl { stroke: #c53030; stroke-opacity: 1; }
svg.ego .node { cursor: pointer; }
svg.ego .node:hover circle { stroke: #c53030; stroke-width: 2.5; }
footer { margin-top: 3rem; padding-top: 1rem; border-top: 1px solid #d9dde1; color: #52606d;
  font-size: .9rem; }
footer p { margin: .3rem 0; }
)";

// "+1.2" / "-0.4"; a change that rounds to zero reads "+0.0" whatever its sign.
std::string SignedOneDecimal(double value) {
  if (std::fabs(value) < 0.05) return "+0.0";
  return fmt::format("{:+.1f}", value);
}

// The box a scatter label takes, to keep labels from overprinting each other.
struct LabelBox {
  double left, top, width, height;
  bool Overlaps(const LabelBox& other) const {
    return left < other.left + other.width && other.left < left + width &&
           top < other.top + other.height && other.top < top + height;
  }
};

void AppendHeader(const HtmlReportInput& input, std::string& out) {
  const score::ScoreRun& run = *input.run;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>{}</title>\n", HtmlEscape(input.title));
  out += "<style>";
  out += kStyle;
  out += "</style>\n</head>\n<body>\n";
  out += input.navigation_html;
  out += "<main>\n<header>\n";
  out += fmt::format("<h1>{}</h1>\n", HtmlEscape(input.title));
  out +=
      fmt::format("<p class=\"meta\">As of {} &middot; {} {} scored</p>\n", FormatDate(run.as_of),
                  run.people.size(), run.people.size() == 1 ? "person" : "people");
  if (!input.story.empty()) {
    out += fmt::format("<p class=\"story\">{}</p>\n", HtmlEscape(input.story));
  }
  out += "</header>\n";
}

// Section 2: the top people by rapport score, each with a volume bar and a rapport bar.
void AppendBarChart(const HtmlReportInput& input, std::string& out) {
  const std::vector<score::PersonScore>& people = input.run->people;
  const size_t rows = std::min(people.size(), static_cast<size_t>(std::max(input.top_people, 0)));
  out += "<section>\n<h2>Two scores side by side</h2>\n";
  if (rows == 0) {
    out += "<p class=\"empty\">No rows requested for this chart.</p>\n</section>\n";
    return;
  }
  constexpr double kWidth = 900, kLabelWidth = 200, kBarArea = 620, kLegendHeight = 30;
  constexpr double kRowHeight = 36, kBarHeight = 13, kBarGap = 3;
  const double height = kLegendHeight + static_cast<double>(rows) * kRowHeight + 6;
  out += "<figure>\n";
  out += fmt::format(
      "<svg viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"Volume and rapport score of the top "
      "{} people by rapport score\">\n",
      kWidth, Coord(height), rows);
  // Legend.
  out += fmt::format(
      "<rect x=\"{}\" y=\"8\" width=\"14\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"18\" "
      "font-size=\"13\">Volume score (Klout-style)</text>\n",
      kLabelWidth, kVolumeColour, kLabelWidth + 20);
  out += fmt::format(
      "<rect x=\"{}\" y=\"8\" width=\"14\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"18\" "
      "font-size=\"13\">Rapport score</text>\n",
      kLabelWidth + 220, kRapportColour, kLabelWidth + 240);
  // Faint guides at 25, 50, 75 and 100 behind the bars.
  for (int tick = 25; tick <= 100; tick += 25) {
    const double x = kLabelWidth + kBarArea * tick / 100.0;
    out += fmt::format(
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#e6e8eb\" "
        "stroke-width=\"1\"/>\n",
        Coord(x), kLegendHeight, Coord(height - 4));
  }
  for (size_t row = 0; row < rows; ++row) {
    const score::PersonScore& person = people[row];
    const double top = kLegendHeight + static_cast<double>(row) * kRowHeight + 4;
    const std::string name = HtmlEscape(person.name);
    out += fmt::format("<g><title>{}: volume {}, rapport {}</title>\n", name,
                       OneDecimal(person.volume_score), OneDecimal(person.rapport_score));
    out +=
        fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"13\" text-anchor=\"end\">{}. {}</text>\n",
                    kLabelWidth - 10, Coord(top + kBarHeight + 4), row + 1,
                    HtmlEscape(ChartLabel(person.name)));
    const std::array<std::pair<double, std::string_view>, 2> bars = {
        std::pair{person.volume_score, kVolumeColour},
        std::pair{person.rapport_score, kRapportColour}};
    for (size_t bar = 0; bar < bars.size(); ++bar) {
      const double score = std::clamp(bars[bar].first, 0.0, 100.0);
      const double y = top + static_cast<double>(bar) * (kBarHeight + kBarGap);
      const double length = std::max(kBarArea * score / 100.0, 1.0);
      out += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"2\" fill=\"{}\"/>"
          "<text x=\"{}\" y=\"{}\" font-size=\"11\">{}</text>\n",
          kLabelWidth, Coord(y), Coord(length), kBarHeight, bars[bar].second,
          Coord(kLabelWidth + length + 4), Coord(y + kBarHeight - 2), OneDecimal(bars[bar].first));
    }
    out += "</g>\n";
  }
  out += "</svg>\n";
  out += fmt::format(
      "<figcaption>The top {} of {} people by rapport score. The volume score measures how much "
      "noise someone makes; the rapport score, how much relationship stands behind them."
      "</figcaption>\n",
      rows, people.size());
  out += "</figure>\n</section>\n";
}

// Section 3: volume (x) against rapport (y) for everyone, sampled above kMaxScatterPoints.
void AppendScatter(const HtmlReportInput& input, PersonIndex focus, std::string& out) {
  const std::vector<score::PersonScore>& people = input.run->people;
  const size_t n = people.size();

  // Who gets a name on the chart: the focus person and the top five by each score.
  std::vector<uint8_t> labelled(n, 0);  // kTopRapport | kTopVolume | kFocus
  for (size_t i = 0; i < std::min<size_t>(5, n); ++i) labelled[i] |= kTopRapport;  // by rapport
  std::vector<size_t> by_volume(n);
  for (size_t i = 0; i < n; ++i) by_volume[i] = i;
  const size_t top_volume = std::min<size_t>(5, n);
  std::partial_sort(by_volume.begin(), by_volume.begin() + static_cast<std::ptrdiff_t>(top_volume),
                    by_volume.end(), [&](size_t a, size_t b) {
                      if (people[a].volume_score != people[b].volume_score) {
                        return people[a].volume_score > people[b].volume_score;
                      }
                      return a < b;
                    });
  for (size_t i = 0; i < top_volume; ++i) labelled[by_volume[i]] |= kTopVolume;
  for (size_t i = 0; i < n; ++i) {
    if (people[i].index == focus) labelled[i] |= kFocus;
  }

  // Every k-th person in rapport order: a deterministic sample spread over the whole range.
  const size_t stride = n > kMaxScatterPoints ? (n + kMaxScatterPoints - 1) / kMaxScatterPoints : 1;

  constexpr double kLeft = 64, kTop = 16, kPlot = 480, kRight = 150, kBottom = 56;
  auto x_of = [&](double volume) { return kLeft + kPlot * std::clamp(volume, 0.0, 100.0) / 100.0; };
  auto y_of = [&](double rapport) {
    return kTop + kPlot * (1.0 - std::clamp(rapport, 0.0, 100.0) / 100.0);
  };

  out += "<section>\n<h2>Volume against rapport</h2>\n<figure>\n";
  out += fmt::format(
      "<svg viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"Scatter plot of volume score against "
      "rapport score\" style=\"max-width:700px\">\n",
      kLeft + kPlot + kRight, kTop + kPlot + kBottom);
  out += fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#fcfcfb\" stroke=\"#9aa5b1\"/>\n",
      kLeft, kTop, kPlot, kPlot);
  for (int tick = 0; tick <= 100; tick += 25) {
    const double x = x_of(tick), y = y_of(tick);
    out += fmt::format(
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#e6e8eb\"/>"
        "<line x1=\"{0}\" y1=\"{2}\" x2=\"{0}\" y2=\"{3}\" stroke=\"#52606d\"/>"
        "<text x=\"{0}\" y=\"{4}\" font-size=\"12\" text-anchor=\"middle\">{5}</text>\n",
        Coord(x), kTop, kTop + kPlot, kTop + kPlot + 5, kTop + kPlot + 19, tick);
    out += fmt::format(
        "<line x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke=\"#e6e8eb\"/>"
        "<line x1=\"{3}\" y1=\"{2}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#52606d\"/>"
        "<text x=\"{4}\" y=\"{5}\" font-size=\"12\" text-anchor=\"end\">{6}</text>\n",
        kLeft, kLeft + kPlot, Coord(y), kLeft - 5, kLeft - 8, Coord(y + 4), tick);
  }
  out += fmt::format(
      "<text x=\"{}\" y=\"{}\" font-size=\"13\" text-anchor=\"middle\">Volume score</text>\n",
      kLeft + kPlot / 2, kTop + kPlot + 44);
  out += fmt::format(
      "<text x=\"{0}\" y=\"{1}\" font-size=\"13\" text-anchor=\"middle\" "
      "transform=\"rotate(-90 {0} {1})\">Rapport score</text>\n",
      18, kTop + kPlot / 2);
  // Where the two scores agree; points far from it are what volume alone gets wrong.
  out += fmt::format(
      "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#9aa5b1\" stroke-dasharray=\"6 4\"/>"
      "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#7b8794\" text-anchor=\"end\" "
      "transform=\"rotate(-45 {} {})\">equal scores</text>\n",
      x_of(0), y_of(0), x_of(100), y_of(100), Coord(x_of(88)), Coord(y_of(88) - 6), Coord(x_of(88)),
      Coord(y_of(88) - 6));

  // Unlabelled points first, so the labelled ones are drawn on top.
  size_t shown = 0;
  for (size_t i = 0; i < n; ++i) {
    if (labelled[i] || i % stride != 0) continue;
    const score::PersonScore& person = people[i];
    out += Linked(input.link, person.id,
                  fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"{}\" "
                              "fill-opacity=\"0.55\"><title>{}: volume {}, rapport {}</title>"
                              "</circle>",
                              Coord(x_of(person.volume_score)), Coord(y_of(person.rapport_score)),
                              kRapportColour, HtmlEscape(person.name),
                              OneDecimal(person.volume_score), OneDecimal(person.rapport_score))) +
           "\n";
    ++shown;
  }
  // Named points: the focus person first so that their label gets the best place, then the rest
  // in rapport order. Each label takes the first free slot beside its point, stepping up and down
  // a line at a time, with a leader line when it had to move (the top people often cluster).
  std::vector<size_t> named;
  for (size_t i = 0; i < n; ++i) {
    if (labelled[i] && people[i].index == focus) named.push_back(i);
  }
  for (size_t i = 0; i < n; ++i) {
    if (labelled[i] && people[i].index != focus) named.push_back(i);
  }
  auto colour_of = [&](size_t i) {
    if (people[i].index == focus) return kFocusColour;
    return labelled[i] == kTopVolume ? kVolumeColour : kRapportColour;
  };
  // All named points first, so that no point covers a label, and so that labels avoid them.
  std::vector<LabelBox> placed;
  for (size_t i : named) {
    const score::PersonScore& person = people[i];
    const double x = x_of(person.volume_score), y = y_of(person.rapport_score);
    const bool is_focus = person.index == focus;
    out += Linked(input.link, person.id,
                  fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\" stroke=\"#fff\" "
                              "stroke-width=\"1\"><title>{}: volume {}, rapport {}</title>"
                              "</circle>",
                              Coord(x), Coord(y), is_focus ? 6 : 5, colour_of(i),
                              HtmlEscape(person.name), OneDecimal(person.volume_score),
                              OneDecimal(person.rapport_score))) +
           "\n";
    placed.push_back({x - 5, y - 5, 10, 10});
    ++shown;
  }
  for (size_t i : named) {
    const score::PersonScore& person = people[i];
    const double x = x_of(person.volume_score), y = y_of(person.rapport_score);
    const bool is_focus = person.index == focus;
    const std::string label = ChartLabel(person.name);
    const double width = 6.5 * static_cast<double>(CodePoints(label)) + 2;
    const bool left = x > kLeft + kPlot * 0.8;  // near the right edge: label on the left
    LabelBox box{};
    for (int step = 0; step < 13; ++step) {
      const double dy = (step % 2 == 0 ? 1 : -1) * 14.0 * ((step + 1) / 2);
      const double baseline = std::clamp(y + 4 + dy, kTop + 12, kTop + kPlot - 2);
      box = {left ? x - 9 - width : x + 9, baseline - 11, width, 14};
      const bool free = std::none_of(placed.begin(), placed.end(),
                                     [&](const LabelBox& other) { return box.Overlaps(other); });
      if (free) break;
    }
    placed.push_back(box);
    const double baseline = box.top + 11;
    if (std::fabs(baseline - (y + 4)) > 1) {
      out += fmt::format(
          "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#9aa5b1\" "
          "stroke-width=\"0.8\"/>",
          Coord(x), Coord(y), Coord(left ? x - 8 : x + 8), Coord(baseline - 4));
    }
    out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\"{}{}>{}</text>\n",
                       Coord(left ? x - 9 : x + 9), Coord(baseline),
                       left ? " text-anchor=\"end\"" : "", is_focus ? " font-weight=\"700\"" : "",
                       HtmlEscape(label));
  }
  out += "</svg>\n<figcaption>";
  if (stride > 1) {
    out += fmt::format(
        "Showing {} of {} people: one in every {} people in rapport order, plus everyone "
        "named. ",
        shown, n, stride);
  } else {
    out += fmt::format("Everyone scored ({}). ", n);
  }
  out +=
      "Named: the focus person (red), the top five by rapport score (blue) and by volume score "
      "(orange). Hover a point for its "
      "scores. Above the dashed line, relationships count for more than noise; below it, noise "
      "counts for more than relationships.</figcaption>\n</figure>\n</section>\n";
}

void AppendChanges(const HtmlReportInput& input, std::string& out) {
  auto cell = [](double before, double after) {
    const double delta = after - before;
    const char* tone = delta >= 0.05 ? "pos" : delta <= -0.05 ? "neg" : "";
    return fmt::format("<td class=\"num\">{} &rarr; {} <span class=\"{}\">({})</span></td>",
                       OneDecimal(before), OneDecimal(after), tone, SignedOneDecimal(delta));
  };
  out += "<section>\n<h2>What one week off does</h2>\n<table class=\"changes\">\n";
  out += "<thead><tr><th>Person</th><th>Volume score</th><th>Rapport score</th></tr></thead>\n";
  out += "<tbody>\n";
  for (const ScoreChange& change : input.changes) {
    out += fmt::format("<tr><td>{}</td>{}{}</tr>\n", HtmlEscape(change.name),
                       cell(change.volume_before, change.volume_after),
                       cell(change.rapport_before, change.rapport_after));
  }
  out += "</tbody>\n</table>\n</section>\n";
}

std::string ChannelList(uint32_t mask) {
  std::string out;
  for (int channel = 0; channel < kChannelCount; ++channel) {
    if ((mask & (1u << channel)) == 0) continue;
    if (!out.empty()) out += ", ";
    out += ChannelName(static_cast<Channel>(channel));
  }
  return out.empty() ? "&ndash;" : out;
}

// The two features with the largest contribution to the logit, e.g. "intensity +1.2, recency -0.4".
std::string TopFeatures(const score::ScoreRun& run, uint32_t pair) {
  std::array<std::pair<double, int>, kFeatureCount> contributions;
  for (int feature = 0; feature < kFeatureCount; ++feature) {
    contributions[static_cast<size_t>(feature)] = {
        score::FeatureContribution(run.config.tie, feature,
                                   run.ties.features[pair][static_cast<size_t>(feature)]),
        feature};
  }
  std::stable_sort(contributions.begin(), contributions.end(), [](const auto& a, const auto& b) {
    return std::fabs(a.first) > std::fabs(b.first);
  });
  return fmt::format("{} {}, {} {}", FeatureName(contributions[0].second),
                     SignedOneDecimal(contributions[0].first), FeatureName(contributions[1].second),
                     SignedOneDecimal(contributions[1].first));
}

void AppendTies(const HtmlReportInput& input, PersonIndex focus, const NameBook& names,
                std::string& out) {
  const score::ScoreRun& run = *input.run;
  const std::string focus_name = HtmlEscape(names.Name(focus));
  out += fmt::format("<section>\n<h2>Strongest ties of {}</h2>\n", focus_name);
  std::vector<score::TieView> ties;
  if (focus < run.pairs.person_count) ties = score::TiesOf(run, focus);
  const size_t rows = std::min(ties.size(), static_cast<size_t>(std::max(input.top_ties, 0)));
  if (rows == 0) {
    out += fmt::format("<p class=\"empty\">{} has no ties to show.</p>\n</section>\n", focus_name);
    return;
  }
  if (rows == ties.size()) {
    out += fmt::format("<p class=\"note\">All {} of {}'s {}, strongest first.</p>\n", rows,
                       focus_name, rows == 1 ? "tie" : "ties");
  } else {
    out += fmt::format("<p class=\"note\">The {} strongest of {}'s {} ties.</p>\n", rows,
                       focus_name, ties.size());
  }
  out += fmt::format(
      "<table class=\"ties\">\n<thead><tr><th>#</th><th>Person</th><th>Strength</th>"
      "<th>Channels</th><th>Last contact</th><th title=\"Events from {0} to them / from them to "
      "{0}\">Events sent / received</th><th title=\"The two largest contributions to the tie's "
      "logit\">Main features</th></tr></thead>\n<tbody>\n",
      focus_name);
  for (size_t row = 0; row < rows; ++row) {
    const score::TieView& tie = ties[row];
    const graph::PairRecord& record = run.pairs.pairs[tie.pair];
    // count[0] is u->v; seen from the focus person, "sent" is their own direction.
    const bool focus_is_u = record.u == focus;
    const uint32_t sent = focus_is_u ? record.count[0] : record.count[1];
    const uint32_t received = focus_is_u ? record.count[1] : record.count[0];
    const double percent = std::clamp(tie.strength, 0.0, 1.0) * 100.0;
    out += fmt::format(
        "<tr><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{:.2f}<span class=\"bar\">"
        "<span style=\"width:{:.1f}%\"></span></span></td><td>{}</td><td>{}</td>"
        "<td class=\"num\">{} / {}</td><td>{}</td></tr>\n",
        row + 1, Linked(input.link, names.Id(tie.other), HtmlEscape(names.Name(tie.other))),
        tie.strength, percent, ChannelList(record.channel_mask), FormatDate(record.last), sent,
        received, TopFeatures(run, tie.pair));
  }
  out += "</tbody>\n</table>\n</section>\n";
}

void AppendFooter(const score::ScoreRun& run, std::string& out) {
  out += "<footer>\n<p>Generated by Rapport on this machine; nothing was sent anywhere.</p>\n";
  out += fmt::format(
      "<p><strong>Volume score</strong>: Klout-style activity and attention over the last {:g} "
      "days (own actions, amplification, distinct engagers, mentions), graded 1-100 on a curve; "
      "it rises with noise and falls after a week off.</p>\n",
      run.config.volume.window_days);
  out +=
      "<p><strong>Rapport score</strong>: standing passed along strong relationships, plus the "
      "depth and breadth of a person's own ties, graded 1-100 on the same curve; it barely moves "
      "when someone steps away.</p>\n</footer>\n";
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string RenderHtmlReport(const HtmlReportInput& input) {
  const score::ScoreRun& run = *input.run;
  std::string out;
  out.reserve(16384 + run.people.size() * 160);
  AppendHeader(input, out);
  if (run.people.empty()) {
    out +=
        "<p class=\"empty\">Nothing to show: no one has an interaction at or before this date, so "
        "there are no scores, charts or ties.</p>\n";
    if (!input.changes.empty()) AppendChanges(input, out);
  } else {
    const NameBook names(run);
    const PersonIndex focus = input.focus.value_or(run.people.front().index);
    if (input.population) {
      AppendBarChart(input, out);
      AppendScatter(input, focus, out);
    }
    if (!input.changes.empty()) AppendChanges(input, out);
    if (!input.history.empty()) internal::AppendHistoryChart(input, names, focus, out);
    if (input.focus_views) {
      AppendTies(input, focus, names, out);
      internal::AppendEgoGraph(input, names, focus, out);
    }
    if (input.cooling) internal::AppendCooling(input, names, out);
  }
  AppendFooter(run, out);
  out += "</main>\n</body>\n</html>\n";
  return out;
}

std::string RenderHtmlPage(const std::string& title, const std::string& navigation_html,
                           const std::string& body_html) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta "
      "name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{0}</title>\n"
      "<style>{1}</style>\n</head>\n<body>\n{2}<main>\n<h1>{0}</h1>\n{3}</main>\n</body>\n"
      "</html>\n",
      HtmlEscape(title), kStyle, navigation_html, body_html);
}

}  // namespace rapport::report
