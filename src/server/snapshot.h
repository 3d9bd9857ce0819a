// Internal to the server module: a snapshot is one scoring of the store (server.h): the event
// log, the scores and ties, every person with their identities for search, and a cache of
// histories computed on demand. A snapshot never changes once built, except for the history
// cache, which has its own lock. Thread-safety: safe to share between threads.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "rapport/core/config.h"
#include "rapport/core/event_log.h"
#include "rapport/score/history.h"
#include "rapport/score/scorer.h"
#include "rapport/store/store.h"

namespace rapport::server {

class Snapshot {
 public:
  // Loads and scores every event at or before as_of ("" = the newest event; an empty store
  // scores as of now), and records the scores in the store's scores table.
  static Result<std::shared_ptr<const Snapshot>> Build(store::Store& store, const Config& config,
                                                       const std::string& as_of_text,
                                                       int64_t generation);

  int64_t generation() const { return generation_; }
  int64_t event_count() const { return static_cast<int64_t>(log_.event_count()); }
  double seconds_to_build() const { return seconds_to_build_; }
  const EventLog& log() const { return log_; }
  const score::ScoreRun& run() const { return run_; }
  const std::vector<store::Person>& people() const { return people_; }

  const store::Person* FindPerson(int64_t id) const;
  // 1 for the highest rapport score; 0 when not scored.
  int RankOf(int64_t id) const;
  // The person's scores, or nullptr when not scored (ScoreRun::Find in constant time).
  const score::PersonScore* Scored(int64_t id) const;
  std::optional<PersonIndex> IndexOf(int64_t id) const;
  // People whose name or an identity contains `query` (ASCII case-insensitive), scored people
  // first by rapport score; an empty query matches everyone.
  std::vector<const store::Person*> Search(const std::string& query, size_t limit) const;
  // The person's scores at `points` dates `step` apart, ending at the snapshot's as_of (cached).
  std::vector<score::HistoryPoint> History(PersonIndex person, double step_seconds,
                                           int points) const;

 private:
  Snapshot() = default;

  int64_t generation_ = 0;
  double seconds_to_build_ = 0;
  Config config_;
  EventLog log_;
  score::ScoreRun run_;
  std::vector<store::Person> people_;
  std::unordered_map<int64_t, size_t> person_at_;   // id -> index in people_
  std::unordered_map<int64_t, int> rank_;           // id -> rank among the scored
  std::unordered_map<int64_t, PersonIndex> index_;  // id -> index in log_

  mutable std::mutex history_mutex_;
  mutable std::map<std::tuple<PersonIndex, double, int>, std::vector<score::HistoryPoint>>
      histories_;
};

}  // namespace rapport::server
