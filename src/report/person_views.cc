// One person's views in the HTML report (html_parts.h): the history chart, the ego network and
// the cooling-ties table. Drawn as inline SVG and HTML; every name goes through HtmlEscape.
#include <cmath>
#include <numbers>

#include "html_parts.h"
#include "rapport/core/time.h"
#include "rapport/report/output.h"

namespace rapport::report::internal {
namespace {

// Hovering a person of an ego network highlights their ties (edges carry data-a and data-b).
constexpr std::string_view kEgoScript = R"(<script>
document.querySelectorAll('svg.ego').forEach(function (svg) {
  svg.querySelectorAll('.node').forEach(function (node) {
    node.addEventListener('mouseenter', function () {
      svg.querySelectorAll('.edge').forEach(function (edge) {
        edge.classList.toggle('hl', edge.dataset.a === node.dataset.i ||
                                    edge.dataset.b === node.dataset.i);
      });
    });
    node.addEventListener('mouseleave', function () {
      svg.querySelectorAll('.edge.hl').forEach(function (edge) { edge.classList.remove('hl'); });
    });
  });
});
</script>
)";

}  // namespace

void AppendHistoryChart(const HtmlReportInput& input, const NameBook& names, PersonIndex focus,
                        std::string& out) {
  const std::vector<score::HistoryPoint>& points = input.history;
  out += fmt::format("<section id=\"history\">\n<h2>History of {}</h2>\n<figure>\n",
                     HtmlEscape(names.Name(focus)));
  constexpr double kLeft = 48, kTop = 34, kWidth = 820, kHeight = 260, kBottom = 40;
  const double first = points.front().as_of, last = points.back().as_of;
  const double span = std::max(last - first, 1.0);
  auto x_of = [&](double t) { return kLeft + kWidth * (t - first) / span; };
  auto y_of = [&](double score) {
    return kTop + kHeight * (1.0 - std::clamp(score, 0.0, 100.0) / 100.0);
  };
  out += fmt::format(
      "<svg class=\"history\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"Volume and rapport "
      "score of {} over time\">\n",
      kLeft + kWidth + 20, kTop + kHeight + kBottom, HtmlEscape(names.Name(focus)));
  out += fmt::format(
      "<rect x=\"{}\" y=\"8\" width=\"14\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"18\" "
      "font-size=\"13\">Volume score</text><rect x=\"{}\" y=\"8\" width=\"14\" height=\"12\" "
      "fill=\"{}\"/><text x=\"{}\" y=\"18\" font-size=\"13\">Rapport score</text>\n",
      kLeft, kVolumeColour, kLeft + 20, kLeft + 140, kRapportColour, kLeft + 160);
  for (int tick = 0; tick <= 100; tick += 25) {
    out += fmt::format(
        "<line x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke=\"#e6e8eb\"/><text x=\"{3}\" "
        "y=\"{4}\" font-size=\"11\" text-anchor=\"end\">{5}</text>\n",
        kLeft, kLeft + kWidth, Coord(y_of(tick)), kLeft - 6, Coord(y_of(tick) + 4), tick);
  }
  // About five date labels, at points so that they name real dates of the series.
  const size_t label_every = std::max<size_t>(1, (points.size() + 4) / 5);
  for (size_t i = 0; i < points.size(); i += label_every) {
    out +=
        fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{}</text>\n",
                    Coord(x_of(points[i].as_of)), kTop + kHeight + 18, FormatDate(points[i].as_of));
  }
  // One polyline per score and per run of scored points (none before the first event).
  auto draw = [&](auto score_of, std::string_view colour, std::string_view name) {
    std::string line;
    auto flush = [&] {
      if (!line.empty()) {
        out += fmt::format(
            "<polyline class=\"series\" points=\"{}\" fill=\"none\" stroke=\"{}\" "
            "stroke-width=\"2.5\" stroke-linejoin=\"round\"/>\n",
            line, colour);
      }
      line.clear();
    };
    for (const score::HistoryPoint& point : points) {
      if (!point.scored) {
        flush();
        continue;
      }
      if (!line.empty()) line += ' ';
      line += Coord(x_of(point.as_of)) + "," + Coord(y_of(score_of(point)));
    }
    flush();
    for (const score::HistoryPoint& point : points) {
      if (!point.scored) continue;
      out += fmt::format(
          "<circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"{}\"><title>{}: {} {}</title></circle>\n",
          Coord(x_of(point.as_of)), Coord(y_of(score_of(point))), colour, FormatDate(point.as_of),
          name, OneDecimal(score_of(point)));
    }
  };
  draw([](const score::HistoryPoint& p) { return p.volume_score; }, kVolumeColour, "volume");
  draw([](const score::HistoryPoint& p) { return p.rapport_score; }, kRapportColour, "rapport");
  out += "</svg>\n";
  out += fmt::format(
      "<figcaption>Both scores as of each of {} dates from {} to {}, each computed from the "
      "events known on that date. Hover a point for its value.</figcaption>\n</figure>\n"
      "</section>\n",
      points.size(), FormatDate(first), FormatDate(last));
}

void AppendEgoGraph(const HtmlReportInput& input, const NameBook& names, PersonIndex focus,
                    std::string& out) {
  const score::ScoreRun& run = *input.run;
  const std::string focus_name = HtmlEscape(names.Name(focus));
  out += fmt::format("<section id=\"ego\">\n<h2>{}'s network</h2>\n", focus_name);
  std::vector<score::TieView> ties;
  if (focus < run.pairs.person_count) ties = score::TiesOf(run, focus);
  if (ties.size() > static_cast<size_t>(std::max(input.ego_neighbours, 0))) {
    ties.resize(static_cast<size_t>(std::max(input.ego_neighbours, 0)));
  }
  if (ties.empty()) {
    out += fmt::format("<p class=\"empty\">{} has no ties to draw.</p>\n</section>\n", focus_name);
    return;
  }
  const size_t k = ties.size();
  // Ties among the neighbours, so that friends of each other can sit side by side.
  struct Edge {
    size_t a, b;
    double strength;
  };
  std::vector<Edge> among;
  std::vector<std::vector<size_t>> adjacent(k);
  for (size_t a = 0; a < k; ++a) {
    for (size_t b = a + 1; b < k; ++b) {
      const std::optional<uint32_t> pair = graph::FindPair(run.pairs, ties[a].other, ties[b].other);
      if (!pair) continue;
      among.push_back({a, b, run.ties.strength[*pair]});
      adjacent[a].push_back(b);
      adjacent[b].push_back(a);
    }
  }
  // Order around the circle: start with the strongest tie, then always the unplaced person with
  // most ties to the last few placed (strongest first on equal counts).
  std::vector<size_t> order = {0};
  std::vector<bool> placed(k, false);
  placed[0] = true;
  while (order.size() < k) {
    size_t best = k;
    int best_links = -1;
    for (size_t candidate = 0; candidate < k; ++candidate) {
      if (placed[candidate]) continue;
      int links = 0;
      for (size_t back = 0; back < std::min<size_t>(3, order.size()); ++back) {
        const size_t recent = order[order.size() - 1 - back];
        links += static_cast<int>(
            std::count(adjacent[candidate].begin(), adjacent[candidate].end(), recent));
      }
      if (links > best_links) best = candidate, best_links = links;
    }
    placed[best] = true;
    order.push_back(best);
  }
  constexpr double kSize = 640, kCentre = kSize / 2, kInner = 140, kOuter = 250;
  std::vector<double> x(k), y(k);
  for (size_t slot = 0; slot < k; ++slot) {
    const size_t i = order[slot];
    const double angle = 2 * std::numbers::pi * static_cast<double>(slot) / static_cast<double>(k) -
                         std::numbers::pi / 2;
    const double radius =
        kInner + (kOuter - kInner) * (1.0 - std::clamp(ties[i].strength, 0.0, 1.0));
    x[i] = kCentre + radius * std::cos(angle);
    y[i] = kCentre + radius * std::sin(angle);
  }
  auto node_radius = [&](PersonIndex index) {
    const score::PersonScore* person = names.Find(index);
    return 5.0 + (person == nullptr ? 0.0 : person->rapport_score / 12.0);
  };
  out += "<figure>\n";
  out += fmt::format(
      "<svg class=\"ego\" viewBox=\"0 0 {0} {0}\" role=\"img\" aria-label=\"{1}'s strongest ties "
      "and the ties among those people\" style=\"max-width:640px;margin:0 auto\">\n",
      kSize, focus_name);
  for (const Edge& edge : among) {
    out += fmt::format(
        "<line class=\"edge among\" data-a=\"{}\" data-b=\"{}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" "
        "y2=\"{}\" stroke-width=\"{:.1f}\"/>\n",
        edge.a, edge.b, Coord(x[edge.a]), Coord(y[edge.a]), Coord(x[edge.b]), Coord(y[edge.b]),
        0.5 + 2 * edge.strength);
  }
  for (size_t i = 0; i < k; ++i) {
    out += fmt::format(
        "<line class=\"edge tie\" data-a=\"c\" data-b=\"{}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" "
        "y2=\"{}\" stroke-width=\"{:.1f}\"/>\n",
        i, kCentre, kCentre, Coord(x[i]), Coord(y[i]), 1 + 5 * ties[i].strength);
  }
  auto node = [&](const std::string& index_attr, PersonIndex person, double cx, double cy,
                  std::string_view fill, const std::string& tooltip) {
    const std::string name = HtmlEscape(ChartLabel(names.Name(person)));
    const bool left = cx < kCentre - 1;
    const std::string inner = fmt::format(
        "<circle cx=\"{}\" cy=\"{}\" r=\"{:.1f}\" fill=\"{}\" stroke=\"#fff\" "
        "stroke-width=\"1.5\"/>"
        "<text x=\"{}\" y=\"{}\" font-size=\"12\"{}>{}</text><title>{}</title>",
        Coord(cx), Coord(cy), node_radius(person), fill,
        Coord(cx + (left ? -1 : 1) * (node_radius(person) + 4)), Coord(cy + 4),
        left ? " text-anchor=\"end\"" : "", name, tooltip);
    out += fmt::format("<g class=\"node\" data-i=\"{}\">{}</g>\n", index_attr,
                       Linked(input.link, names.Id(person), inner));
  };
  for (size_t i = 0; i < k; ++i) {
    const graph::PairRecord& record = run.pairs.pairs[ties[i].pair];
    node(std::to_string(i), ties[i].other, x[i], y[i], kRapportColour,
         fmt::format("{}: tie strength {:.2f}, {}, last contact {}",
                     HtmlEscape(names.Name(ties[i].other)), ties[i].strength,
                     ChannelList(record.channel_mask), FormatDate(record.last)));
  }
  node("c", focus, kCentre, kCentre, kFocusColour, focus_name);
  out += "</svg>\n";
  out += fmt::format(
      "<figcaption>{}'s {} strongest ties: the closer and thicker the line, the stronger the tie; "
      "grey lines join people who are tied to each other; a larger dot is a higher rapport score. "
      "Hover a person to see their ties{}.</figcaption>\n</figure>\n",
      focus_name, k, input.link ? ", click to open their page" : "");
  out += kEgoScript;
  out += "</section>\n";
}

void AppendCooling(const HtmlReportInput& input, const NameBook& names, std::string& out) {
  const std::vector<score::CoolingTie>& ties = *input.cooling;
  out += "<section id=\"cooling\">\n<h2>Relationships going quiet</h2>\n";
  if (ties.empty()) {
    out +=
        "<p class=\"empty\">No strong relationship has been silent far beyond its usual gap."
        "</p>\n</section>\n";
    return;
  }
  out += fmt::format(
      "<p class=\"note\">{} strong {} silent far longer than usual, longest silence relative to "
      "the usual gap first: a reason to get in touch.</p>\n",
      ties.size(), ties.size() == 1 ? "relationship" : "relationships");
  out +=
      "<table class=\"cooling\">\n<thead><tr><th>Person</th><th>With</th><th>Strength then"
      "</th><th>Strength now</th><th>Last contact</th><th>Usual gap (days)</th><th>Silence "
      "(days)</th></tr></thead>\n<tbody>\n";
  for (const score::CoolingTie& tie : ties) {
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td class=\"num\">{:.2f}</td><td class=\"num\">{:.2f}</td>"
        "<td class=\"last-contact\">{}</td><td class=\"num\">{:.0f}</td>"
        "<td class=\"num\">{:.0f}</td></tr>\n",
        Linked(input.link, names.Id(tie.person), HtmlEscape(names.Name(tie.person))),
        Linked(input.link, names.Id(tie.other), HtmlEscape(names.Name(tie.other))),
        tie.strength_then, tie.strength_now, FormatDate(tie.last_contact), tie.usual_gap_days,
        tie.silence_days);
  }
  out += "</tbody>\n</table>\n</section>\n";
}

}  // namespace rapport::report::internal
