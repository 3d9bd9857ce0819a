// Protocol 3, "influence against ground truth" (docs/EVALUATION.md): the rapport score of people
// side by side with the volume score and two graph baselines, in-degree and plain PageRank,
// against what is known about the people.
//
//   (a) leaders     Zachary's karate club: the two leaders (nodes 0 and 33) should rank at the top.
//   (b) future trust  bitcoin-otc: scores as of two thirds of the time span, from the events
//                   before it only, ranked against the net trust each person receives afterwards
//                   (Spearman's rho).
//   (c) departments email-Eu-core (static edge list, the file the department labels match): does
//                   a score single out a few people per department?
//
// The four scores of a person, all as of the same date from the events at or before it:
//   rapport score  ScoreRun people[].rapport_score (1-100)
//   volume score   ScoreRun people[].volume_score (1-100)
//   in-degree      distinct people who directed at least one event at the person
//   PageRank       plain PageRank (Page et al. 1999), damping 0.85, on the directed graph with an
//                  arc u -> v when u directed at least one event at v, every arc weight 1;
//                  the standing of people with no arc out (dangling) is spread over everyone.
// Nothing is fitted: the rapport and volume scores use the configuration given.
//
// Thread-safety: pure functions over their arguments (ScoreEvents runs OpenMP loops inside).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "rapport/core/config.h"
#include "rapport/core/event_log.h"
#include "rapport/core/status.h"
#include "rapport/eval/protocol.h"

namespace rapport::eval {

// --- Graph baselines ---

// Directed arcs (source, target), distinct and sorted.
using Arcs = std::vector<std::pair<PersonIndex, PersonIndex>>;

// Who directed at least one event at whom, among the events at or before as_of.
Arcs InteractionArcs(const EventLog& log, double as_of);

// Distinct sources per target. REQUIRES: arcs distinct, indices < person_count.
std::vector<double> InDegree(size_t person_count, const Arcs& arcs);

// Plain PageRank by power iteration over all person_count people, starting uniform:
//   r'(v) = (1 - d) / N + d (sum_{u -> v} r(u) / out(u) + D / N),  D = sum_{out(u) = 0} r(u)
// until the L1 change is below `tolerance` or after `max_iterations`. Sums to 1.
// REQUIRES: arcs distinct, indices < person_count.
std::vector<double> PageRank(size_t person_count, const Arcs& arcs, double damping = 0.85,
                             double tolerance = 1e-12, int max_iterations = 1000);

// --- The four scores ---

inline constexpr const char* kRapportScoreName = "rapport score";
inline constexpr const char* kVolumeScoreName = "volume score";
inline constexpr const char* kInDegreeName = "in-degree";
inline constexpr const char* kPageRankName = "PageRank";

struct PeopleScores {
  double as_of = 0;
  std::vector<PersonIndex> person;  // the scored people (ScoreRun::people), ascending index
  // rapport score, volume score, in-degree, PageRank, each parallel to `person`.
  std::vector<ScoreColumn> columns;
  // The raw rapport and volume scores before the 1-100 curve, parallel to `person`.
  std::vector<double> rapport_raw, volume_raw;
};

// Scores everyone as of `as_of` from the events at or before it.
PeopleScores ScorePeople(const EventLog& log, const Config& config, double as_of);

// A column put through the 1-100 curve over its own values (score/curve.h), so that in-degree and
// PageRank can be compared with the two scores on one scale: on every score the population's
// median maps to 20 and its 95th percentile to 50.
std::vector<double> OnCurve(const std::vector<double>& values, const CurveConfig& curve);

// --- (a) Leaders: Zachary's karate club ---

// Zachary's weighted edge list (CSV "u,v,weight" with a header line; weight = the number of
// contexts in which the two members interacted, 1..7) as interactions: an edge of weight w
// becomes w monthly meetings, the last on kKarateLastMeeting and one every 30 days before it, so
// a pair's duration, active days and effort grow with w and every pair is current. Each meeting
// is two in_person meeting events of one hour, u -> v and v -> u, with the default meeting effort.
// Errors name the file and line.
inline constexpr double kKarateLastMeeting = 63072000;  // 1972-01-01, the end of the study
inline constexpr double kKarateMeetingDays = 30;
inline constexpr double kKarateMeetingSeconds = 3600;
Result<EventLog> LoadKarateLog(const std::string& path);

struct LeaderRow {
  std::string score;
  std::vector<double> value;  // of each leader, in the order given
  std::vector<int> rank;      // 1 + people with a strictly higher value; 0 when unscored
  bool all_in_top2 = false, all_in_top3 = false;
  std::vector<std::string> top;  // the three highest, best first (ties by identity order)
};

struct LeaderTable {
  std::string dataset;
  std::vector<std::string> leaders;  // identities
  size_t people = 0;                 // scored people
  std::vector<LeaderRow> rows;       // one per score
};

// Scores as of the log's last event and ranks each leader under each score. A leader who is not
// scored is an error (a wrong identity, or the wrong file).
Result<LeaderTable> RunLeaders(const EventLog& log, const Config& config,
                               const std::string& dataset, const std::vector<std::string>& leaders);

// --- (b) Future trust: bitcoin-otc ---

struct CorrelationRow {
  std::string score;
  double rho_all = 0;    // over every person scored before the cut (NaN when undefined)
  double rho_rated = 0;  // over those of them rated at least once after the cut
};

struct FutureTrustTable {
  std::string dataset;
  double cut = 0;                    // first + 2/3 (last - first)
  size_t people = 0;                 // scored before the cut
  size_t rated_after = 0;            // of them, rated at least once after the cut
  size_t positive_after = 0;         // of them, with net trust > 0 after the cut
  size_t negative_after = 0;         // of them, with net trust < 0 after the cut
  std::vector<CorrelationRow> rows;  // the four scores, then the reference
};

// The name of the reference row: net trust received before the cut, the score that simply
// extrapolates the ratings themselves.
inline constexpr const char* kPastTrustName = "net trust received before the cut (reference)";

// Net trust received by each person from the rating events in (from, to]: the sum of the ratings
// (valence x 10, so -10..10 each), over the events of Kind::kRating only. Also counts the ratings.
struct TrustReceived {
  std::vector<double> net;        // per person index
  std::vector<uint32_t> ratings;  // per person index
};
TrustReceived NetTrustReceived(const EventLog& log, double from, double to);

// Scores as of the cut from the events at or before it; ground truth = net trust received after
// the cut. People with no rating after the cut count with net trust 0 in rho_all and are left
// out of rho_rated; people who first appear after the cut are not scored and not counted. Rho
// of the rapport and volume scores is computed on their raw values (the same order as 1-100).
// Returns an error when nobody scored before the cut is rated after it.
Result<FutureTrustTable> RunFutureTrust(const EventLog& log, const Config& config,
                                        const std::string& dataset);

// --- (c) Departments: email-Eu-core ---

// A static directed edge list ("u v" per line, no time) as one email per arc, all at one instant
// `time` (the time features are then equal for every pair: tie strength varies only with
// intensity, reciprocity and shared neighbours). Self-loops are skipped and counted; repeated
// arcs are kept (each is an email). Errors name the file and line.
struct StaticEdgeLog {
  EventLog log;
  int64_t arcs = 0;        // lines read as emails
  int64_t self_loops = 0;  // lines skipped because u == v
};
inline constexpr double kStaticEmailTime = 1064966400;  // 2003-10-01, the start of the collection
Result<StaticEdgeLog> LoadStaticEdgeLog(const std::string& path, double time = kStaticEmailTime);

// "node dept" per line (tab or spaces). Errors name the file and line.
using DepartmentLabels = std::vector<std::pair<std::string, int>>;
Result<DepartmentLabels> LoadDepartmentLabels(const std::string& path);

// Per score, on the 1-100 scale (OnCurve for in-degree and PageRank, so that every score has the
// same population quantiles and they differ only in who gets the high values):
struct DepartmentRow {
  std::string score;
  // Mean over the measured departments (at least min_members scored members) of the share of the
  // department's total score held by its top 10% (ceil) of members. Uniform scores give 10%.
  double mean_top_share = 0;
  // Departments (of all with a scored member) whose top-scoring member scores at least 50, i.e.
  // ranks around the institution's top 5%.
  size_t departments_led = 0;
  double mean_top_score = 0;  // the mean over departments of the top member's score
  // Departments whose top member by this score is also the top member by the rapport score.
  size_t same_top_as_rapport = 0;
};

struct DepartmentTable {
  std::string dataset;
  size_t people = 0;                // scored people with a department label
  size_t unlabelled = 0;            // scored people without a label (left out)
  size_t departments = 0;           // departments with at least one scored member
  size_t measured_departments = 0;  // of them, with at least min_members scored members
  int min_members = 10;
  std::vector<DepartmentRow> rows;  // one per score
  // Spearman's rho between the scores over the labelled people, rows and columns in the order of
  // `rows` (on the raw values: rapport and volume raw, in-degree, PageRank).
  std::vector<std::vector<double>> rho;
};

// Scores as of the log's last event. Returns an error when no scored person has a label.
Result<DepartmentTable> RunDepartments(const EventLog& log, const Config& config,
                                       const std::string& dataset, const DepartmentLabels& labels,
                                       int min_members = 10);

// --- All of protocol 3 ---

struct InfluenceReport {
  LeaderTable karate;
  FutureTrustTable bitcoin;
  DepartmentTable email;
  int64_t email_self_loops = 0;  // skipped by LoadStaticEdgeLog
  double seconds = 0;
};

// Loads the three data sets from `data_dir` (networkx-classic/karate_edges_weighted.csv,
// bitcoin-otc/soc-sign-bitcoinotc.csv, email-eu-core/email-Eu-core.txt and
// email-eu-core/email-Eu-core-department-labels.txt) and runs (a), (b) and (c).
Result<InfluenceReport> RunInfluence(const std::string& data_dir, const Config& config);

// Markdown tables and plain-language readings; each reading says plainly where the rapport score
// does not win.
std::string MarkdownTable(const LeaderTable& table);
std::string Reading(const LeaderTable& table);
std::string MarkdownTable(const FutureTrustTable& table);
std::string Reading(const FutureTrustTable& table);
// Two tables: concentration per score, then the rho matrix.
std::string MarkdownTable(const DepartmentTable& table);
std::string Reading(const DepartmentTable& table);

}  // namespace rapport::eval
