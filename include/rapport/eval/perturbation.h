// Protocol 4, "Klout's failures, measured on real people" (docs/EVALUATION.md): on a real log,
// choose people with stable relationships, change their own history in three ways that Klout's
// score punished or rewarded for the wrong reasons, rescore the whole population, and measure how
// far each person's rapport score and volume score (1-100) move.
//
//   silent week        the person's own actions (events they are the actor of) in the 7 days
//                      before the scoring date are removed; what others sent them stays.
//   tenfold broadcast  ten target-less public posts are added at the time of each event the
//                      person acted in during the volume window (90 days): ten times their own
//                      volume, spread over the window as their activity is, with no engagement.
//   half-year absence  every event the person took part in (actor or target) in the 180 days
//                      before the scoring date is removed.
//
// The scoring date is the log's last event, and stays that date after a perturbation (removing
// the last event does not move it). Each perturbation of each person is a full
// score::ScoreEvents run over everyone, because propagation spreads the change; the runs are
// independent and go in parallel over people (OpenMP).
//
// Thread-safety: pure functions over their arguments; RunPerturbations runs OpenMP loops.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rapport/core/config.h"
#include "rapport/core/event_log.h"
#include "rapport/core/status.h"

namespace rapport::eval {

enum class Perturbation : uint8_t {
  kSilentWeek,
  kTenfoldBroadcast,
  kHalfYearAbsence,
};
inline constexpr int kPerturbationCount = 3;

struct PerturbationOptions {
  int people = 200;           // how many stable people to perturb (all when fewer qualify)
  double recent_days = 30;    // a stable tie has contact in this many days before the scoring date
  int min_stable_ties = 2;    // and a person needs this many stable ties to qualify
  double silence_days = 7;    // silent week: own actions removed over this many days
  int broadcast_factor = 10;  // tenfold broadcast: posts added per own action in the window
  double broadcast_window_days = 90;  // the volume window (VolumeConfig::window_days by default)
  double absence_days = 180;          // half-year absence: all contact removed over this many days
};

// Defaults with the broadcast window taken from the configuration's volume window.
PerturbationOptions DefaultPerturbationOptions(const Config& config);

// "own actions removed for 7 days", "10 posts added per own action in 90 days", "all contact
// removed for 180 days", with the numbers of the options.
std::string PerturbationName(Perturbation perturbation, const PerturbationOptions& options);

// --- Building blocks (each returns a new log; the input is not changed) ---

// The log without the events of `person` in (from, to]: as actor only, or also as target. When
// the person is one of several targets, only that target is removed; an event left with no target
// is removed (it was aimed at someone, so it does not become a broadcast post). People are kept
// as they are, so person indices stay valid.
EventLog RemoveActivity(const EventLog& log, PersonIndex person, double from, double to,
                        bool as_target_too);

// The log with one target-less public post (Kind::kPost, not private, default effort) by `actor`
// at each of `times`, merged in time order (a post sorts after the log's events at the same time).
// Event ids of the added posts are 0 (no store event behind them).
EventLog AddPosts(const EventLog& log, PersonIndex actor, std::vector<double> times);

// The perturbed log of one person as of `as_of`.
EventLog Perturb(const EventLog& log, PersonIndex person, Perturbation perturbation, double as_of,
                 const PerturbationOptions& options);

// --- Choosing people ---

// A tie {p, q} is stable as of `as_of` when the two wrote to each other (an event each way at or
// before as_of) and had contact, either way, both in the `recent_days` before as_of and before
// that. A person qualifies with at least `min_stable_ties` stable ties.
struct StableChoice {
  size_t qualifying = 0;            // how many people qualify
  std::vector<PersonIndex> chosen;  // ascending; all of them when at most options.people
};
// The choice is deterministic: the qualifying people in index order (first appearance in the
// log), of which `options.people` evenly spaced ones are taken (positions floor(i * Q / K)).
StableChoice ChooseStablePeople(const EventLog& log, double as_of,
                                const PerturbationOptions& options);

// --- The protocol ---

// One person's scores before and after one perturbation. A person who is no longer scored after
// it (no event left at or before as_of) counts as 1 on both scales, the floor of the curve.
struct PersonChange {
  PersonIndex person = 0;
  double rapport_before = 0, rapport_after = 0;
  double volume_before = 0, volume_after = 0;
  bool scored_after = true;
  int64_t events_removed = 0;  // events gone from the log (0 for the broadcast)
  int64_t posts_added = 0;     // posts added (broadcast only)
};

struct PerturbationRow {
  Perturbation perturbation = Perturbation::kSilentWeek;
  std::string name;
  size_t people = 0;
  double mean_rapport_change = 0, worst_rapport_change = 0;  // over all `people`
  double mean_volume_change = 0, worst_volume_change = 0;
  // People whose log this perturbation changed (the others, e.g. silent anyway in the last
  // week, keep their scores exactly), and the mean changes over them alone (NaN when none).
  size_t changed_log = 0;
  double mean_rapport_change_changed = 0, mean_volume_change_changed = 0;
  size_t unscored_after = 0;          // people with no event left (counted at the floor, 1)
  std::vector<PersonChange> changes;  // per chosen person, in the order of StableChoice::chosen
};

struct PerturbationTable {
  std::string dataset;
  double as_of = 0;       // the scoring date: the log's last event
  double span_days = 0;   // from the log's first event to its last
  size_t population = 0;  // people scored as of as_of
  size_t qualifying = 0;
  size_t chosen = 0;
  PerturbationOptions options;
  std::vector<PerturbationRow> rows;  // one per Perturbation, in enum order
  double seconds_per_scoring = 0;     // one ScoreEvents of the whole log, measured
  double seconds = 0;                 // the whole protocol on this data set, wall clock
};

// "Worst" is the most negative change for the silent week and the half-year absence, and the
// change of largest magnitude (sign kept) for the tenfold broadcast. Scoring date: the log's last
// event. Returns an error when the log is empty or nobody qualifies.
Result<PerturbationTable> RunPerturbations(const EventLog& log, const Config& config,
                                           const std::string& dataset,
                                           const PerturbationOptions& options);

// A markdown table: rows = perturbations; columns = people, people whose log changed, the mean
// change of each score over all and over those whose log changed, the worst change, and the
// people left unscored.
std::string MarkdownTable(const PerturbationTable& table);
// A plain-language reading against the targets, saying plainly which are missed: a silent
// week costs under 1 rapport point on average and more volume points than rapport points (judged
// over the people who did act that week); a tenfold broadcast moves the rapport score by at most
// 0.5 points (judged on the worst person).
std::string Reading(const PerturbationTable& table);

}  // namespace rapport::eval
