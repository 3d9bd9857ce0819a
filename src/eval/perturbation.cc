// Protocol 4 (perturbation.h): rebuilds a person's history three ways, rescores everyone after
// each, and summarises how far the person's two scores move.
#include "rapport/eval/perturbation.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "rapport/core/time.h"
#include "rapport/score/scorer.h"

namespace rapport::eval {
namespace {

// Appends event e of `from` to `to` with the given targets, all other columns copied.
void CopyEvent(const EventLog& from, size_t e, const PersonIndex* targets, size_t target_count,
               EventLog* to) {
  to->event_id.push_back(from.event_id[e]);
  to->time.push_back(from.time[e]);
  to->channel.push_back(from.channel[e]);
  to->kind.push_back(from.kind[e]);
  to->actor.push_back(from.actor[e]);
  to->is_private.push_back(from.is_private[e]);
  to->duration.push_back(from.duration[e]);
  to->effort_override.push_back(from.effort_override[e]);
  to->valence.push_back(from.valence[e]);
  to->targets.insert(to->targets.end(), targets, targets + target_count);
  to->target_offset.push_back(to->targets.size());
}

EventLog EmptyLogWithPeopleOf(const EventLog& log) {
  EventLog out;
  out.person_id = log.person_id;
  out.person_name = log.person_name;
  return out;
}

void Reserve(EventLog* log, size_t events, size_t targets) {
  log->event_id.reserve(events);
  log->time.reserve(events);
  log->channel.reserve(events);
  log->kind.reserve(events);
  log->actor.reserve(events);
  log->is_private.reserve(events);
  log->duration.reserve(events);
  log->effort_override.reserve(events);
  log->valence.reserve(events);
  log->target_offset.reserve(events + 1);
  log->targets.reserve(targets);
}

uint64_t PairKey(PersonIndex a, PersonIndex b) {
  return (uint64_t{std::min(a, b)} << 32) | std::max(a, b);
}

// The score of `person` in a run, or NaN when the person is not scored.
struct PersonScores {
  double rapport = std::numeric_limits<double>::quiet_NaN();
  double volume = std::numeric_limits<double>::quiet_NaN();
};
PersonScores ScoresOf(const score::ScoreRun& run, PersonIndex person) {
  for (const score::PersonScore& entry : run.people) {
    if (entry.index == person) return {entry.rapport_score, entry.volume_score};
  }
  return {};
}

std::string FormatChange(double change) {
  return std::isnan(change) ? std::string("n/a") : fmt::format("{:+.2f}", change);
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

PerturbationOptions DefaultPerturbationOptions(const Config& config) {
  PerturbationOptions options;
  options.broadcast_window_days = config.volume.window_days;
  return options;
}

std::string PerturbationName(Perturbation perturbation, const PerturbationOptions& options) {
  switch (perturbation) {
    case Perturbation::kSilentWeek:
      return fmt::format("own actions removed for {:g} days", options.silence_days);
    case Perturbation::kTenfoldBroadcast:
      return fmt::format("{} posts added per own action in {:g} days", options.broadcast_factor,
                         options.broadcast_window_days);
    case Perturbation::kHalfYearAbsence:
      return fmt::format("all contact removed for {:g} days", options.absence_days);
  }
  return "unknown perturbation";
}

EventLog RemoveActivity(const EventLog& log, PersonIndex person, double from, double to,
                        bool as_target_too) {
  EventLog out = EmptyLogWithPeopleOf(log);
  Reserve(&out, log.event_count(), log.targets.size());
  std::vector<PersonIndex> kept_targets;
  for (size_t e = 0; e < log.event_count(); ++e) {
    const PersonIndex* targets = log.targets.data() + log.target_offset[e];
    const size_t target_count = log.target_offset[e + 1] - log.target_offset[e];
    const bool in_span = log.time[e] > from && log.time[e] <= to;
    if (!in_span) {
      CopyEvent(log, e, targets, target_count, &out);
      continue;
    }
    if (log.actor[e] == person) continue;
    if (!as_target_too ||
        std::find(targets, targets + target_count, person) == targets + target_count) {
      CopyEvent(log, e, targets, target_count, &out);
      continue;
    }
    kept_targets.clear();
    for (size_t t = 0; t < target_count; ++t) {
      if (targets[t] != person) kept_targets.push_back(targets[t]);
    }
    // An event aimed only at the person goes; it must not turn into a broadcast post.
    if (!kept_targets.empty()) CopyEvent(log, e, kept_targets.data(), kept_targets.size(), &out);
  }
  return out;
}

EventLog AddPosts(const EventLog& log, PersonIndex actor, std::vector<double> times) {
  std::sort(times.begin(), times.end());
  EventLog out = EmptyLogWithPeopleOf(log);
  Reserve(&out, log.event_count() + times.size(), log.targets.size());
  Event post;
  post.channel = Channel::kOther;
  post.kind = Kind::kPost;
  post.is_private = false;
  const std::vector<PersonIndex> no_targets;
  size_t next_post = 0;
  auto append_posts_before = [&](double limit) {
    while (next_post < times.size() && times[next_post] < limit) {
      post.time = times[next_post++];
      out.Append(0, post, actor, no_targets);
    }
  };
  for (size_t e = 0; e < log.event_count(); ++e) {
    append_posts_before(log.time[e]);
    CopyEvent(log, e, log.targets.data() + log.target_offset[e],
              log.target_offset[e + 1] - log.target_offset[e], &out);
  }
  append_posts_before(std::numeric_limits<double>::infinity());
  return out;
}

EventLog Perturb(const EventLog& log, PersonIndex person, Perturbation perturbation, double as_of,
                 const PerturbationOptions& options) {
  switch (perturbation) {
    case Perturbation::kSilentWeek:
      return RemoveActivity(log, person, as_of - options.silence_days * kSecondsPerDay, as_of,
                            /*as_target_too=*/false);
    case Perturbation::kHalfYearAbsence:
      return RemoveActivity(log, person, as_of - options.absence_days * kSecondsPerDay, as_of,
                            /*as_target_too=*/true);
    case Perturbation::kTenfoldBroadcast: {
      // The volume window is [as_of - window, as_of] (score/volume.cc).
      const double window_start = as_of - options.broadcast_window_days * kSecondsPerDay;
      std::vector<double> times;
      for (size_t e = 0; e < log.event_count() && log.time[e] <= as_of; ++e) {
        if (log.actor[e] != person || log.time[e] < window_start) continue;
        times.insert(times.end(), static_cast<size_t>(options.broadcast_factor), log.time[e]);
      }
      return AddPosts(log, person, std::move(times));
    }
  }
  return log;
}

StableChoice ChooseStablePeople(const EventLog& log, double as_of,
                                const PerturbationOptions& options) {
  struct PairContact {
    bool lower_wrote = false, higher_wrote = false;  // an event from the lower / higher index
    bool earlier = false, recent = false;            // contact before / within the recent days
  };
  const double recent_start = as_of - options.recent_days * kSecondsPerDay;
  std::unordered_map<uint64_t, PairContact> contact;
  for (size_t e = 0; e < log.event_count() && log.time[e] <= as_of; ++e) {
    const PersonIndex actor = log.actor[e];
    for (uint64_t t = log.target_offset[e]; t < log.target_offset[e + 1]; ++t) {
      const PersonIndex target = log.targets[t];
      PairContact& pair = contact[PairKey(actor, target)];
      (actor < target ? pair.lower_wrote : pair.higher_wrote) = true;
      (log.time[e] > recent_start ? pair.recent : pair.earlier) = true;
    }
  }
  std::vector<int> stable_ties(log.person_count(), 0);
  for (const auto& [key, pair] : contact) {
    if (pair.lower_wrote && pair.higher_wrote && pair.earlier && pair.recent) {
      ++stable_ties[key >> 32];
      ++stable_ties[key & 0xffffffffu];
    }
  }
  std::vector<PersonIndex> qualifying;
  for (size_t p = 0; p < stable_ties.size(); ++p) {
    if (stable_ties[p] >= options.min_stable_ties)
      qualifying.push_back(static_cast<PersonIndex>(p));
  }
  StableChoice choice;
  choice.qualifying = qualifying.size();
  const size_t wanted = static_cast<size_t>(std::max(0, options.people));
  if (qualifying.size() <= wanted) {
    choice.chosen = std::move(qualifying);
    return choice;
  }
  for (size_t i = 0; i < wanted; ++i)
    choice.chosen.push_back(qualifying[i * qualifying.size() / wanted]);
  return choice;
}

Result<PerturbationTable> RunPerturbations(const EventLog& log, const Config& config,
                                           const std::string& dataset,
                                           const PerturbationOptions& options) {
  const auto protocol_start = std::chrono::steady_clock::now();
  if (log.event_count() == 0) {
    return InvalidArgument(fmt::format("{}: the log has no events to perturb", dataset));
  }
  PerturbationTable table;
  table.dataset = dataset;
  table.options = options;
  table.as_of = log.time.back();
  table.span_days = (log.time.back() - log.time.front()) / kSecondsPerDay;

  const auto scoring_start = std::chrono::steady_clock::now();
  const score::ScoreRun baseline = score::ScoreEvents(log, config, table.as_of);
  table.seconds_per_scoring = SecondsSince(scoring_start);
  table.population = baseline.people.size();
  std::vector<PersonScores> before(log.person_count());
  for (const score::PersonScore& entry : baseline.people) {
    before[entry.index] = {entry.rapport_score, entry.volume_score};
  }

  const StableChoice choice = ChooseStablePeople(log, table.as_of, options);
  table.qualifying = choice.qualifying;
  table.chosen = choice.chosen.size();
  if (choice.chosen.empty()) {
    return NotFound(fmt::format(
        "{}: nobody has {} reciprocated ties with contact both within the {:g} days before {} and "
        "earlier; nothing to perturb",
        dataset, options.min_stable_ties, options.recent_days, FormatTime(table.as_of)));
  }

  const int64_t people = static_cast<int64_t>(choice.chosen.size());
  const int64_t jobs = people * kPerturbationCount;
  std::vector<PersonChange> changes(static_cast<size_t>(jobs));
  // Each job is a whole rescoring of a private copy of the log: independent, so they share
  // nothing but the read-only inputs. ScoreEvents stays serial inside on inputs of this size.
#pragma omp parallel for schedule(dynamic, 1)
  for (int64_t job = 0; job < jobs; ++job) {
    const Perturbation perturbation = static_cast<Perturbation>(job / people);
    const PersonIndex person = choice.chosen[static_cast<size_t>(job % people)];
    PersonChange& change = changes[static_cast<size_t>(job)];
    change.person = person;
    change.rapport_before = before[person].rapport;
    change.volume_before = before[person].volume;
    const EventLog perturbed = Perturb(log, person, perturbation, table.as_of, options);
    const int64_t difference =
        static_cast<int64_t>(perturbed.event_count()) - static_cast<int64_t>(log.event_count());
    change.events_removed = std::max<int64_t>(0, -difference);
    change.posts_added = std::max<int64_t>(0, difference);
    if (difference == 0) {  // nothing to remove or add: the scores cannot move
      change.rapport_after = change.rapport_before;
      change.volume_after = change.volume_before;
      continue;
    }
    const PersonScores after = ScoresOf(score::ScoreEvents(perturbed, config, table.as_of), person);
    change.scored_after = !std::isnan(after.rapport);
    change.rapport_after = change.scored_after ? after.rapport : 1.0;
    change.volume_after = change.scored_after ? after.volume : 1.0;
  }

  for (int p = 0; p < kPerturbationCount; ++p) {
    PerturbationRow row;
    row.perturbation = static_cast<Perturbation>(p);
    row.name = PerturbationName(row.perturbation, options);
    row.people = choice.chosen.size();
    row.changes.assign(changes.begin() + p * people, changes.begin() + (p + 1) * people);
    const bool worst_is_largest = row.perturbation == Perturbation::kTenfoldBroadcast;
    auto worse = [worst_is_largest](double change, double worst) {
      return worst_is_largest ? std::abs(change) > std::abs(worst) : change < worst;
    };
    for (const PersonChange& change : row.changes) {
      const double rapport_change = change.rapport_after - change.rapport_before;
      const double volume_change = change.volume_after - change.volume_before;
      row.mean_rapport_change += rapport_change;
      row.mean_volume_change += volume_change;
      if (worse(rapport_change, row.worst_rapport_change))
        row.worst_rapport_change = rapport_change;
      if (worse(volume_change, row.worst_volume_change)) row.worst_volume_change = volume_change;
      row.unscored_after += change.scored_after ? 0 : 1;
      if (change.events_removed > 0 || change.posts_added > 0) {
        ++row.changed_log;
        row.mean_rapport_change_changed += rapport_change;
        row.mean_volume_change_changed += volume_change;
      }
    }
    row.mean_rapport_change /= static_cast<double>(row.people);
    row.mean_volume_change /= static_cast<double>(row.people);
    row.mean_rapport_change_changed /= static_cast<double>(row.changed_log);  // NaN when 0
    row.mean_volume_change_changed /= static_cast<double>(row.changed_log);
    table.rows.push_back(std::move(row));
  }
  table.seconds = SecondsSince(protocol_start);
  return table;
}

std::string MarkdownTable(const PerturbationTable& table) {
  std::string out =
      "| perturbation | people | log changed | rapport: mean change | rapport: mean where "
      "changed | rapport: worst change | volume: mean change | volume: mean where changed | "
      "volume: worst change | unscored after |\n"
      "|---|---|---|---|---|---|---|---|---|---|\n";
  for (const PerturbationRow& row : table.rows) {
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", row.name,
                       row.people, row.changed_log, FormatChange(row.mean_rapport_change),
                       FormatChange(row.mean_rapport_change_changed),
                       FormatChange(row.worst_rapport_change), FormatChange(row.mean_volume_change),
                       FormatChange(row.mean_volume_change_changed),
                       FormatChange(row.worst_volume_change), row.unscored_after);
  }
  return out;
}

namespace {

const PerturbationRow* RowOf(const PerturbationTable& table, Perturbation perturbation) {
  for (const PerturbationRow& row : table.rows) {
    if (row.perturbation == perturbation) return &row;
  }
  return nullptr;
}

const char* MetOrMissed(bool met) { return met ? "met" : "MISSED"; }

}  // namespace

std::string Reading(const PerturbationTable& table) {
  std::string reading = fmt::format(
      "{} people scored as of {}; {} have at least {} stable ties (reciprocated, with contact both "
      "in the last {:g} days and before)",
      table.population, FormatDate(table.as_of), table.qualifying, table.options.min_stable_ties,
      table.options.recent_days);
  reading += table.chosen < static_cast<size_t>(table.options.people)
                 ? fmt::format(", fewer than {}, so all {} are perturbed.", table.options.people,
                               table.chosen)
                 : fmt::format(", of whom {} evenly spaced ones are perturbed.", table.chosen);
  if (const PerturbationRow* row = RowOf(table, Perturbation::kSilentWeek)) {
    if (row->changed_log == 0) {
      reading += " Nobody chosen acted in the last week, so the silent week changes nothing.";
    } else {
      // Judged over the people who did act that week: the others were silent already.
      const double rapport = row->mean_rapport_change_changed;
      const double volume = row->mean_volume_change_changed;
      reading += fmt::format(
          " {} of the {} acted in the last week; for them a silent week costs {:.2f} rapport "
          "points on average (target: under 1, {}) and {:.2f} volume points (target: more than "
          "the rapport score loses, {}); the worst losses are {:.2f} and {:.2f} points. Counting "
          "the {} already silent (no change), the means are {:.2f} and {:.2f}.",
          row->changed_log, row->people, -rapport, MetOrMissed(rapport > -1.0), -volume,
          MetOrMissed(volume < rapport), -row->worst_rapport_change, -row->worst_volume_change,
          row->people - row->changed_log, -row->mean_rapport_change, -row->mean_volume_change);
    }
  }
  if (const PerturbationRow* row = RowOf(table, Perturbation::kTenfoldBroadcast)) {
    const bool met = std::abs(row->worst_rapport_change) <= 0.5;
    reading += fmt::format(
        " Ten times their volume in posts moves the rapport score by {:+.2f} on average and "
        "{:+.2f} "
        "at worst (target: at most 0.5 points, {}), the volume score by {:+.2f} on average.",
        row->mean_rapport_change, row->worst_rapport_change, MetOrMissed(met),
        row->mean_volume_change);
  }
  if (const PerturbationRow* row = RowOf(table, Perturbation::kHalfYearAbsence)) {
    reading += fmt::format(
        " {:g} days without any contact cost {:.2f} rapport points on average (worst {:.2f}) and "
        "{:.2f} volume points.",
        table.options.absence_days, -row->mean_rapport_change, -row->worst_rapport_change,
        -row->mean_volume_change);
    if (row->unscored_after > 0) {
      reading += fmt::format(
          " {} of {} had no event left (the log spans {:.0f} days), so they are no longer scored "
          "and count at the floor, 1.",
          row->unscored_after, row->people, table.span_days);
    }
  }
  return reading;
}

}  // namespace rapport::eval
