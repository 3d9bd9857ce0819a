// Protocol 3 (influence.h): the graph baselines (in-degree, plain PageRank), the loaders of the
// karate club, the static email-Eu-core edge list and its department labels, the three
// comparisons and their markdown and readings.
#include "rapport/eval/influence.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <string_view>
#include <unordered_map>

#include "rapport/core/time.h"
#include "rapport/eval/metrics.h"
#include "rapport/score/curve.h"
#include "rapport/score/scorer.h"

namespace rapport::eval {
namespace {

std::string FormatValue(double value) {
  return std::isnan(value) ? std::string("n/a") : fmt::format("{:.3f}", value);
}

// Splits at commas when the line has any, else at runs of spaces and tabs.
std::vector<std::string_view> SplitFields(std::string_view line) {
  std::vector<std::string_view> fields;
  const bool commas = line.find(',') != std::string_view::npos;
  size_t i = 0;
  auto separator = [commas](char c) {
    return commas ? c == ',' : (c == ' ' || c == '\t' || c == '\r');
  };
  while (i <= line.size()) {
    if (!commas) {
      while (i < line.size() && separator(line[i])) ++i;
      if (i == line.size()) break;
    }
    size_t start = i;
    while (i < line.size() && !separator(line[i])) ++i;
    std::string_view field = line.substr(start, i - start);
    while (!field.empty() && (field.back() == '\r' || field.back() == ' ')) field.remove_suffix(1);
    while (!field.empty() && field.front() == ' ') field.remove_prefix(1);
    fields.push_back(field);
    ++i;  // past the separator
  }
  return fields;
}

bool ParseInteger(std::string_view text, int64_t* value) {
  if (text.empty()) return false;
  int64_t result = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || result > (std::numeric_limits<int64_t>::max() - 9) / 10) {
      return false;
    }
    result = result * 10 + (c - '0');
  }
  *value = result;
  return true;
}

// Reads the non-empty lines of a file; a first line that does not start with a digit is a header.
// Calls parse(fields, line_number) for each data line; stops at its first error.
template <typename Parse>
Status ForEachDataLine(const std::string& path, const char* what, Parse parse) {
  std::ifstream in(path);
  if (!in) return NotFound(fmt::format("{}: cannot open the {}", path, what));
  std::string line;
  int64_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    const std::vector<std::string_view> fields = SplitFields(line);
    if (fields.empty() || (fields.size() == 1 && fields[0].empty())) continue;
    if (line_number == 1 && !fields[0].empty() && !(fields[0][0] >= '0' && fields[0][0] <= '9')) {
      continue;
    }
    RAPPORT_RETURN_IF_ERROR(parse(fields, line, line_number));
  }
  if (in.bad()) return IoError(fmt::format("{}: read failed after line {}", path, line_number));
  return Status::Ok();
}

// 1 + the number of values strictly above `value`.
int RankOf(const std::vector<double>& values, double value) {
  int above = 0;
  for (double other : values) above += other > value ? 1 : 0;
  return 1 + above;
}

// Positions of values sorted by value, highest first; ties keep the order of the input.
std::vector<size_t> OrderDescending(const std::vector<double>& values) {
  std::vector<size_t> order(values.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&values](size_t a, size_t b) { return values[a] > values[b]; });
  return order;
}

std::string JoinNames(const std::vector<std::string>& names) {
  if (names.empty()) return "none";
  std::string joined;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) joined += i + 1 == names.size() ? " and " : ", ";
    joined += names[i];
  }
  return joined;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

// --- Graph baselines ---

Arcs InteractionArcs(const EventLog& log, double as_of) {
  Arcs arcs;
  for (size_t e = 0; e < log.event_count() && log.time[e] <= as_of; ++e) {
    for (uint64_t t = log.target_offset[e]; t < log.target_offset[e + 1]; ++t) {
      arcs.emplace_back(log.actor[e], log.targets[t]);
    }
  }
  std::sort(arcs.begin(), arcs.end());
  arcs.erase(std::unique(arcs.begin(), arcs.end()), arcs.end());
  return arcs;
}

std::vector<double> InDegree(size_t person_count, const Arcs& arcs) {
  std::vector<double> in_degree(person_count, 0.0);
  for (const auto& [source, target] : arcs) in_degree[target] += 1;
  return in_degree;
}

std::vector<double> PageRank(size_t person_count, const Arcs& arcs, double damping,
                             double tolerance, int max_iterations) {
  const size_t n = person_count;
  if (n == 0) return {};
  // In-arcs by target, for pulling: each v reads its sources' shares.
  std::vector<uint64_t> offset(n + 1, 0);
  std::vector<uint32_t> out_degree(n, 0);
  for (const auto& [source, target] : arcs) {
    ++offset[target + 1];
    ++out_degree[source];
  }
  for (size_t v = 0; v < n; ++v) offset[v + 1] += offset[v];
  std::vector<PersonIndex> in_source(arcs.size());
  std::vector<uint64_t> cursor(offset.begin(), offset.end() - 1);
  for (const auto& [source, target] : arcs) in_source[cursor[target]++] = source;

  const double people = static_cast<double>(n);
  std::vector<double> rank(n, 1.0 / people), share(n), next(n);
  for (int iteration = 0; iteration < max_iterations; ++iteration) {
    double dangling = 0;
    for (size_t u = 0; u < n; ++u) {
      if (out_degree[u] == 0) {
        dangling += rank[u];
        share[u] = 0;
      } else {
        share[u] = rank[u] / out_degree[u];
      }
    }
    const double base = (1.0 - damping) / people + damping * dangling / people;
    double change = 0;
    for (size_t v = 0; v < n; ++v) {
      double pulled = 0;
      for (uint64_t i = offset[v]; i < offset[v + 1]; ++i) pulled += share[in_source[i]];
      next[v] = base + damping * pulled;
      change += std::abs(next[v] - rank[v]);
    }
    rank.swap(next);
    if (change < tolerance) break;
  }
  return rank;
}

// --- The four scores ---

PeopleScores ScorePeople(const EventLog& log, const Config& config, double as_of) {
  const score::ScoreRun run = score::ScoreEvents(log, config, as_of);
  const Arcs arcs = InteractionArcs(log, as_of);
  const std::vector<double> in_degree = InDegree(log.person_count(), arcs);
  const std::vector<double> page_rank = PageRank(log.person_count(), arcs);

  std::vector<const score::PersonScore*> scored;
  for (const score::PersonScore& entry : run.people) scored.push_back(&entry);
  std::sort(
      scored.begin(), scored.end(),
      [](const score::PersonScore* a, const score::PersonScore* b) { return a->index < b->index; });
  PeopleScores people;
  people.as_of = as_of;
  people.columns = {
      {kRapportScoreName, {}}, {kVolumeScoreName, {}}, {kInDegreeName, {}}, {kPageRankName, {}}};
  for (const score::PersonScore* entry : scored) {
    people.person.push_back(entry->index);
    people.columns[0].value.push_back(entry->rapport_score);
    people.columns[1].value.push_back(entry->volume_score);
    people.columns[2].value.push_back(in_degree[entry->index]);
    people.columns[3].value.push_back(page_rank[entry->index]);
    people.rapport_raw.push_back(entry->rapport.raw);
    people.volume_raw.push_back(entry->volume.raw);
  }
  return people;
}

std::vector<double> OnCurve(const std::vector<double>& values, const CurveConfig& curve) {
  if (values.empty()) return {};
  const score::CurveReference reference = score::ReferenceOf(values);
  std::vector<double> scores;
  scores.reserve(values.size());
  for (double value : values) scores.push_back(score::CurveScore(curve, reference, value));
  return scores;
}

// --- (a) Leaders ---

Result<EventLog> LoadKarateLog(const std::string& path) {
  std::vector<Event> events;
  Status status = ForEachDataLine(
      path, "karate edge list",
      [&](const std::vector<std::string_view>& fields, const std::string& line,
          int64_t line_number) {
        int64_t weight = 0;
        if (fields.size() != 3 || fields[0].empty() || fields[1].empty() ||
            !ParseInteger(fields[2], &weight) || weight < 1 || weight > 1000) {
          return DataLoss(fmt::format(
              "{}, line {}: expected \"u,v,weight\" with a whole weight from 1 to 1000, found "
              "\"{}\"",
              path, line_number, line));
        }
        if (fields[0] == fields[1]) {
          return DataLoss(fmt::format("{}, line {}: \"{}\" is a self-loop, not a relationship",
                                      path, line_number, line));
        }
        for (int64_t meeting = 0; meeting < weight; ++meeting) {
          const double time = kKarateLastMeeting -
                              static_cast<double>(meeting) * kKarateMeetingDays * kSecondsPerDay;
          for (int direction = 0; direction < 2; ++direction) {
            Event event;
            event.time = time;
            event.channel = Channel::kInPerson;
            event.kind = Kind::kMeeting;
            event.actor = std::string(fields[direction]);
            event.targets.emplace_back(fields[1 - direction]);
            event.is_private = DefaultPrivate(event.channel, event.kind);
            event.duration = kKarateMeetingSeconds;
            events.push_back(std::move(event));
          }
        }
        return Status::Ok();
      });
  if (!status.ok()) return status;
  if (events.empty()) return DataLoss(fmt::format("{}: no edges", path));
  return EventLogFromEvents(events);
}

Result<LeaderTable> RunLeaders(const EventLog& log, const Config& config,
                               const std::string& dataset,
                               const std::vector<std::string>& leaders) {
  if (log.event_count() == 0) return InvalidArgument(fmt::format("{}: no events", dataset));
  const PeopleScores people = ScorePeople(log, config, log.time.back());
  std::vector<size_t> leader_position;
  for (const std::string& leader : leaders) {
    size_t position = people.person.size();
    for (size_t i = 0; i < people.person.size(); ++i) {
      if (log.person_name[people.person[i]] == leader) position = i;
    }
    if (position == people.person.size()) {
      return NotFound(fmt::format("{}: leader \"{}\" is not a scored person", dataset, leader));
    }
    leader_position.push_back(position);
  }
  LeaderTable table;
  table.dataset = dataset;
  table.leaders = leaders;
  table.people = people.person.size();
  for (const ScoreColumn& column : people.columns) {
    LeaderRow row;
    row.score = column.name;
    row.all_in_top2 = row.all_in_top3 = true;
    for (size_t position : leader_position) {
      const double value = column.value[position];
      const int rank = RankOf(column.value, value);
      row.value.push_back(value);
      row.rank.push_back(rank);
      row.all_in_top2 = row.all_in_top2 && rank <= 2;
      row.all_in_top3 = row.all_in_top3 && rank <= 3;
    }
    const std::vector<size_t> order = OrderDescending(column.value);
    for (size_t i = 0; i < std::min<size_t>(3, order.size()); ++i) {
      row.top.push_back(log.person_name[people.person[order[i]]]);
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

std::string MarkdownTable(const LeaderTable& table) {
  std::string header = "| score |", rule = "|---|";
  for (const std::string& leader : table.leaders) {
    header += fmt::format(" node {} value | node {} rank |", leader, leader);
    rule += "---|---|";
  }
  std::string out =
      header + " all in top 2 | all in top 3 | top three |\n" + rule + "---|---|---|\n";
  for (const LeaderRow& row : table.rows) {
    out += fmt::format("| {} |", row.score);
    for (size_t i = 0; i < row.value.size(); ++i) {
      const bool share = row.score == kPageRankName;
      out += fmt::format(
          " {} | {} of {} |",
          share ? fmt::format("{:.4f}", row.value[i]) : fmt::format("{:.1f}", row.value[i]),
          row.rank[i], table.people);
    }
    out += fmt::format(" {} | {} | {} |\n", row.all_in_top2 ? "yes" : "no",
                       row.all_in_top3 ? "yes" : "no", JoinNames(row.top));
  }
  return out;
}

std::string Reading(const LeaderTable& table) {
  std::vector<std::string> top2, top3;
  const LeaderRow* rapport = nullptr;
  for (const LeaderRow& row : table.rows) {
    if (row.all_in_top2) top2.push_back(row.score);
    if (row.all_in_top3) top3.push_back(row.score);
    if (row.score == kRapportScoreName) rapport = &row;
  }
  std::string leaders;
  for (size_t i = 0; i < table.leaders.size(); ++i) {
    leaders += (i == 0 ? "" : " and ") + ("node " + table.leaders[i]);
  }
  std::string reading =
      fmt::format("{} people. The leaders, {}, are both in the top 2 by {}; in the top 3 by {}.",
                  table.people, leaders, JoinNames(top2), JoinNames(top3));
  if (rapport == nullptr) return reading;
  std::string ranks;
  for (size_t i = 0; i < rapport->rank.size(); ++i) {
    ranks += fmt::format("{}node {} ranks {}", i == 0 ? "" : " and ", table.leaders[i],
                         rapport->rank[i]);
  }
  reading +=
      fmt::format(" By the rapport score {} (top three: {}).", ranks, JoinNames(rapport->top));
  if (!rapport->all_in_top2) {
    std::vector<std::string> better;
    for (const LeaderRow& row : table.rows) {
      if (row.all_in_top2) better.push_back(row.score);
    }
    reading += better.empty()
                   ? " No score puts both leaders in the top 2."
                   : fmt::format(
                         " Here the rapport score does not win: {} put{} both leaders in "
                         "the top 2 and it does not{}.",
                         JoinNames(better), better.size() == 1 ? "s" : "",
                         rapport->all_in_top3 ? " (it does put them in the top 3)" : "");
  } else {
    reading += " The rapport score puts both leaders in the top 2.";
  }
  return reading;
}

// --- (b) Future trust ---

TrustReceived NetTrustReceived(const EventLog& log, double from, double to) {
  TrustReceived trust;
  trust.net.assign(log.person_count(), 0.0);
  trust.ratings.assign(log.person_count(), 0);
  for (size_t e = 0; e < log.event_count() && log.time[e] <= to; ++e) {
    if (log.time[e] <= from || log.kind[e] != Kind::kRating) continue;
    for (uint64_t t = log.target_offset[e]; t < log.target_offset[e + 1]; ++t) {
      // The SNAP reader stores a rating r in -10..10 as valence r / 10.
      trust.net[log.targets[t]] += 10.0 * log.valence[e];
      ++trust.ratings[log.targets[t]];
    }
  }
  return trust;
}

Result<FutureTrustTable> RunFutureTrust(const EventLog& log, const Config& config,
                                        const std::string& dataset) {
  if (log.event_count() == 0) return InvalidArgument(fmt::format("{}: no events", dataset));
  FutureTrustTable table;
  table.dataset = dataset;
  const double first = log.time.front(), last = log.time.back();
  table.cut = first + (last - first) * 2.0 / 3.0;
  const double infinity = std::numeric_limits<double>::infinity();
  const TrustReceived after = NetTrustReceived(log, table.cut, infinity);
  const TrustReceived before = NetTrustReceived(log, -infinity, table.cut);
  const PeopleScores people = ScorePeople(log, config, table.cut);
  table.people = people.person.size();

  std::vector<double> truth_all;
  std::vector<size_t> rated;  // positions in people.person
  for (size_t i = 0; i < people.person.size(); ++i) {
    const PersonIndex p = people.person[i];
    truth_all.push_back(after.net[p]);
    if (after.ratings[p] == 0) continue;
    rated.push_back(i);
    table.positive_after += after.net[p] > 0 ? 1 : 0;
    table.negative_after += after.net[p] < 0 ? 1 : 0;
  }
  table.rated_after = rated.size();
  if (rated.empty()) {
    return NotFound(
        fmt::format("{}: nobody scored before {} is rated after it; there is nothing to predict",
                    dataset, FormatDate(table.cut)));
  }
  std::vector<double> truth_rated;
  for (size_t i : rated) truth_rated.push_back(truth_all[i]);

  // Ranks of the raw rapport and volume scores: the 1-100 curve is monotone, but its tail could
  // round distinct raw values at the very top to one score.
  std::vector<ScoreColumn> columns = people.columns;
  columns[0].value = people.rapport_raw;
  columns[1].value = people.volume_raw;
  ScoreColumn past{kPastTrustName, {}};
  for (PersonIndex p : people.person) past.value.push_back(before.net[p]);
  columns.push_back(std::move(past));
  for (const ScoreColumn& column : columns) {
    std::vector<double> rated_values;
    for (size_t i : rated) rated_values.push_back(column.value[i]);
    table.rows.push_back({column.name, SpearmanRho(column.value, truth_all),
                          SpearmanRho(rated_values, truth_rated)});
  }
  return table;
}

std::string MarkdownTable(const FutureTrustTable& table) {
  std::string out = fmt::format(
      "| score | rho, all {} scored before the cut | rho, the {} rated after the cut |\n"
      "|---|---|---|\n",
      table.people, table.rated_after);
  for (const CorrelationRow& row : table.rows) {
    out += fmt::format("| {} | {} | {} |\n", row.score, FormatValue(row.rho_all),
                       FormatValue(row.rho_rated));
  }
  return out;
}

namespace {

// Where the rapport score stands among the four scores (not the reference) on one variant.
std::string CompareRho(const FutureTrustTable& table, const char* variant,
                       double CorrelationRow::*rho) {
  const CorrelationRow* rapport = nullptr;
  const CorrelationRow* best_other = nullptr;
  int rank = 1, scores = 0;
  for (const CorrelationRow& row : table.rows) {
    if (row.score == kRapportScoreName) rapport = &row;
  }
  if (rapport == nullptr || std::isnan(rapport->*rho))
    return fmt::format("Over {}, rho is undefined.", variant);
  for (const CorrelationRow& row : table.rows) {
    if (row.score == kPastTrustName) continue;
    ++scores;
    if (&row == rapport || std::isnan(row.*rho)) continue;
    if (row.*rho > rapport->*rho) ++rank;
    if (best_other == nullptr || row.*rho > best_other->*rho) best_other = &row;
  }
  if (best_other == nullptr) return "";
  if (rapport->*rho >= best_other->*rho) {
    return fmt::format(
        "Over {}, the rapport score has the highest rho ({:.3f}), {:.3f} ahead of {} ({:.3f}).",
        variant, rapport->*rho, rapport->*rho - best_other->*rho, best_other->score,
        best_other->*rho);
  }
  return fmt::format(
      "Over {}, the rapport score does not win: its rho ({:.3f}) ranks {} of {}, {:.3f} behind {} "
      "({:.3f}).",
      variant, rapport->*rho, rank, scores, best_other->*rho - rapport->*rho, best_other->score,
      best_other->*rho);
}

}  // namespace

std::string Reading(const FutureTrustTable& table) {
  std::string reading = fmt::format(
      "Scores as of {} (two thirds of the span) from the ratings before it; {} people were scored "
      "then, and {} of them were rated after it (net trust positive for {}, negative for {}; "
      "the other {} count as 0 in the first column). ",
      FormatDate(table.cut), table.people, table.rated_after, table.positive_after,
      table.negative_after, table.people - table.rated_after);
  reading += CompareRho(table, "everyone scored", &CorrelationRow::rho_all) + " " +
             CompareRho(table, "the people rated after the cut", &CorrelationRow::rho_rated);
  for (const CorrelationRow& row : table.rows) {
    if (row.score != kPastTrustName) continue;
    reading += fmt::format(
        " For reference, the ratings themselves (net trust received before the cut) reach {} and "
        "{}.",
        FormatValue(row.rho_all), FormatValue(row.rho_rated));
  }
  return reading;
}

// --- (c) Departments ---

Result<StaticEdgeLog> LoadStaticEdgeLog(const std::string& path, double time) {
  StaticEdgeLog result;
  std::vector<Event> events;
  Status status =
      ForEachDataLine(path, "edge list",
                      [&](const std::vector<std::string_view>& fields, const std::string& line,
                          int64_t line_number) {
                        if (fields.size() != 2 || fields[0].empty() || fields[1].empty()) {
                          return DataLoss(fmt::format("{}, line {}: expected \"u v\", found \"{}\"",
                                                      path, line_number, line));
                        }
                        if (fields[0] == fields[1]) {
                          ++result.self_loops;
                          return Status::Ok();
                        }
                        Event event;
                        event.time = time;
                        event.channel = Channel::kEmail;
                        event.kind = Kind::kEmail;
                        event.actor = std::string(fields[0]);
                        event.targets.emplace_back(fields[1]);
                        event.is_private = DefaultPrivate(event.channel, event.kind);
                        events.push_back(std::move(event));
                        ++result.arcs;
                        return Status::Ok();
                      });
  if (!status.ok()) return status;
  if (events.empty()) return DataLoss(fmt::format("{}: no edges between two people", path));
  result.log = EventLogFromEvents(events);
  return result;
}

Result<DepartmentLabels> LoadDepartmentLabels(const std::string& path) {
  DepartmentLabels labels;
  Status status = ForEachDataLine(
      path, "department labels",
      [&](const std::vector<std::string_view>& fields, const std::string& line,
          int64_t line_number) {
        int64_t department = 0;
        if (fields.size() != 2 || fields[0].empty() || !ParseInteger(fields[1], &department) ||
            department > std::numeric_limits<int>::max()) {
          return DataLoss(fmt::format("{}, line {}: expected \"node department\", found \"{}\"",
                                      path, line_number, line));
        }
        labels.emplace_back(std::string(fields[0]), static_cast<int>(department));
        return Status::Ok();
      });
  if (!status.ok()) return status;
  return labels;
}

Result<DepartmentTable> RunDepartments(const EventLog& log, const Config& config,
                                       const std::string& dataset, const DepartmentLabels& labels,
                                       int min_members) {
  if (log.event_count() == 0) return InvalidArgument(fmt::format("{}: no events", dataset));
  const PeopleScores people = ScorePeople(log, config, log.time.back());
  std::unordered_map<std::string, int> department_of;
  for (const auto& [identity, department] : labels) department_of[identity] = department;

  DepartmentTable table;
  table.dataset = dataset;
  table.min_members = min_members;
  std::vector<size_t> labelled;                // positions in people.person
  std::map<int, std::vector<size_t>> members;  // department -> positions in `labelled`
  for (size_t i = 0; i < people.person.size(); ++i) {
    auto it = department_of.find(log.person_name[people.person[i]]);
    if (it == department_of.end()) {
      ++table.unlabelled;
      continue;
    }
    members[it->second].push_back(labelled.size());
    labelled.push_back(i);
  }
  table.people = labelled.size();
  table.departments = members.size();
  if (labelled.empty()) {
    return NotFound(fmt::format(
        "{}: no scored person has a department label; do the labels belong to this file?",
        dataset));
  }

  // Every score on the 1-100 curve over the whole scored population, then the labelled people.
  std::vector<std::vector<double>> curve_scores, raw_scores;
  const std::vector<std::vector<double>> raw_all = {
      people.rapport_raw, people.volume_raw, people.columns[2].value, people.columns[3].value};
  for (size_t c = 0; c < people.columns.size(); ++c) {
    const std::vector<double> on_curve =
        c < 2 ? people.columns[c].value : OnCurve(people.columns[c].value, config.curve);
    std::vector<double> curve_labelled, raw_labelled;
    for (size_t i : labelled) {
      curve_labelled.push_back(on_curve[i]);
      raw_labelled.push_back(raw_all[c][i]);
    }
    curve_scores.push_back(std::move(curve_labelled));
    raw_scores.push_back(std::move(raw_labelled));
  }

  // The top member of each department under each score (first in label order on ties).
  std::vector<std::vector<size_t>> top_member(people.columns.size());
  for (size_t c = 0; c < people.columns.size(); ++c) {
    DepartmentRow row;
    row.score = people.columns[c].name;
    const std::vector<double>& score = curve_scores[c];
    double share_sum = 0;
    for (const auto& [department, positions] : members) {
      std::vector<double> values;
      for (size_t position : positions) values.push_back(score[position]);
      const std::vector<size_t> order = OrderDescending(values);
      top_member[c].push_back(positions[order.front()]);
      const double top = values[order.front()];
      row.mean_top_score += top;
      row.departments_led += top >= 50 ? 1 : 0;
      if (static_cast<int>(positions.size()) < min_members) continue;
      const size_t top_count = (positions.size() + 9) / 10;  // ceil(10%)
      double top_sum = 0, total = 0;
      for (size_t i = 0; i < order.size(); ++i) {
        total += values[order[i]];
        if (i < top_count) top_sum += values[order[i]];
      }
      share_sum += top_sum / total;
      if (c == 0) ++table.measured_departments;
    }
    row.mean_top_score /= static_cast<double>(members.size());
    row.mean_top_share = table.measured_departments > 0
                             ? share_sum / static_cast<double>(table.measured_departments)
                             : std::numeric_limits<double>::quiet_NaN();
    table.rows.push_back(std::move(row));
  }
  for (size_t c = 0; c < table.rows.size(); ++c) {
    for (size_t d = 0; d < members.size(); ++d) {
      table.rows[c].same_top_as_rapport += top_member[c][d] == top_member[0][d] ? 1 : 0;
    }
  }
  table.rho.assign(raw_scores.size(), std::vector<double>(raw_scores.size(), 1.0));
  for (size_t a = 0; a < raw_scores.size(); ++a) {
    for (size_t b = a + 1; b < raw_scores.size(); ++b) {
      table.rho[a][b] = table.rho[b][a] = SpearmanRho(raw_scores[a], raw_scores[b]);
    }
  }
  return table;
}

std::string MarkdownTable(const DepartmentTable& table) {
  std::string out = fmt::format(
      "| score (1-100) | mean share of the top 10% ({} departments of {}+) | departments whose "
      "top member scores >= 50 (of {}) | mean top score | same top member as rapport |\n"
      "|---|---|---|---|---|\n",
      table.measured_departments, table.min_members, table.departments);
  for (const DepartmentRow& row : table.rows) {
    out += fmt::format("| {} | {:.1f}% | {} | {:.1f} | {} |\n", row.score, 100 * row.mean_top_share,
                       row.departments_led, row.mean_top_score, row.same_top_as_rapport);
  }
  out += "\n| Spearman rho |";
  std::string rule = "|---|";
  for (const DepartmentRow& row : table.rows) {
    out += fmt::format(" {} |", row.score);
    rule += "---|";
  }
  out += "\n" + rule + "\n";
  for (size_t a = 0; a < table.rows.size(); ++a) {
    out += fmt::format("| {} |", table.rows[a].score);
    for (size_t b = 0; b < table.rows.size(); ++b)
      out += fmt::format(" {} |", FormatValue(table.rho[a][b]));
    out += "\n";
  }
  return out;
}

std::string Reading(const DepartmentTable& table) {
  if (table.rows.empty()) return "No scores: nothing to compare.";
  const DepartmentRow& rapport = table.rows.front();
  const DepartmentRow* most = &rapport;
  int rank = 1;
  for (const DepartmentRow& row : table.rows) {
    if (row.mean_top_share > most->mean_top_share) most = &row;
    if (&row != &rapport && row.mean_top_share > rapport.mean_top_share) ++rank;
  }
  std::string reading = fmt::format(
      "{} people in {} departments; {} departments have at least {} members. On one 1-100 scale "
      "(in-degree and PageRank put through the same curve, so every score has the same population "
      "median, 20, and 95th percentile, 50), the top 10% of a department hold {:.1f}% of its "
      "rapport score on average (10% if everyone scored alike)",
      table.people, table.departments, table.measured_departments, table.min_members,
      100 * rapport.mean_top_share);
  std::string others;
  for (size_t i = 1; i < table.rows.size(); ++i) {
    others += fmt::format("{}{:.1f}% of the {}", i == 1 ? "" : ", ",
                          100 * table.rows[i].mean_top_share, table.rows[i].score);
  }
  reading += fmt::format(", against {}. ", others);
  if (most == &rapport) {
    reading += "The rapport score singles out the fewest people per department.";
  } else {
    reading += fmt::format(
        "The rapport score does not single out a few people as sharply as {} does: it ranks {} "
        "of {} on this measure.",
        most->score, rank, table.rows.size());
  }
  reading += fmt::format(" Its top member scores 50 or more in {} of {} departments (",
                         rapport.departments_led, table.departments);
  for (size_t i = 1; i < table.rows.size(); ++i) {
    reading += fmt::format("{}{}: {}", i == 1 ? "" : ", ", table.rows[i].score,
                           table.rows[i].departments_led);
  }
  reading += ").";
  if (table.rho.size() == table.rows.size()) {
    reading += " Spearman's rho of the rapport score with ";
    for (size_t i = 1; i < table.rows.size(); ++i) {
      reading += fmt::format("{}{}: {}", i == 1 ? "" : ", ", table.rows[i].score,
                             FormatValue(table.rho[0][i]));
    }
    reading += fmt::format(
        "; the same top member as the rapport score in {} ({}), {} ({}) and {} ({}) of {} "
        "departments.",
        table.rows[1].score, table.rows[1].same_top_as_rapport, table.rows[2].score,
        table.rows[2].same_top_as_rapport, table.rows[3].score, table.rows[3].same_top_as_rapport,
        table.departments);
  }
  return reading;
}

// --- All of protocol 3 ---

Result<InfluenceReport> RunInfluence(const std::string& data_dir, const Config& config) {
  const auto start = std::chrono::steady_clock::now();
  InfluenceReport report;
  Result<EventLog> karate = LoadKarateLog(data_dir + "/networkx-classic/karate_edges_weighted.csv");
  if (!karate.ok()) return karate.status().WithContext("protocol 3, karate club");
  Result<LeaderTable> leaders = RunLeaders(*karate, config, "Zachary's karate club", {"0", "33"});
  if (!leaders.ok()) return leaders.status();
  report.karate = std::move(*leaders);

  Result<EventLog> bitcoin = LoadSnapLog(data_dir + "/bitcoin-otc/soc-sign-bitcoinotc.csv");
  if (!bitcoin.ok()) return bitcoin.status().WithContext("protocol 3, bitcoin-otc");
  Result<FutureTrustTable> trust = RunFutureTrust(*bitcoin, config, "Bitcoin OTC");
  if (!trust.ok()) return trust.status();
  report.bitcoin = std::move(*trust);

  Result<StaticEdgeLog> email = LoadStaticEdgeLog(data_dir + "/email-eu-core/email-Eu-core.txt");
  if (!email.ok()) return email.status().WithContext("protocol 3, email-Eu-core");
  Result<DepartmentLabels> labels =
      LoadDepartmentLabels(data_dir + "/email-eu-core/email-Eu-core-department-labels.txt");
  if (!labels.ok()) return labels.status().WithContext("protocol 3, email-Eu-core");
  report.email_self_loops = email->self_loops;
  Result<DepartmentTable> departments =
      RunDepartments(email->log, config, "email-Eu-core (static)", *labels);
  if (!departments.ok()) return departments.status();
  report.email = std::move(*departments);
  report.seconds = SecondsSince(start);
  return report;
}

}  // namespace rapport::eval
