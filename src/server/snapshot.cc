#include "snapshot.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "rapport/core/text.h"
#include "rapport/core/time.h"

namespace rapport::server {
namespace {

// Histories kept per snapshot; past this the cache starts over (each is a few hundred bytes, but
// each costs `points` scoring runs to compute).
constexpr size_t kMaxCachedHistories = 4096;

}  // namespace

Result<std::shared_ptr<const Snapshot>> Snapshot::Build(store::Store& store, const Config& config,
                                                        const std::string& as_of_text,
                                                        int64_t generation) {
  const auto begin = std::chrono::steady_clock::now();
  double as_of = 0;
  if (!as_of_text.empty()) {
    Result<double> parsed = ParseTime(as_of_text);
    if (!parsed.ok()) return parsed.status().WithContext("as_of");
    as_of = *parsed;
  } else {
    RAPPORT_ASSIGN_OR_RETURN(std::optional<double> latest, store.LatestEventTime());
    as_of = latest
                ? *latest
                : std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
                      .count();
  }
  std::shared_ptr<Snapshot> snapshot(new Snapshot());
  snapshot->generation_ = generation;
  snapshot->config_ = config;
  RAPPORT_ASSIGN_OR_RETURN(snapshot->log_, store.LoadEventLog(as_of));
  snapshot->run_ = score::ScoreEvents(snapshot->log_, config, as_of);
  RAPPORT_ASSIGN_OR_RETURN(snapshot->people_, store.ListPeople());
  for (size_t i = 0; i < snapshot->people_.size(); ++i) {
    snapshot->person_at_[snapshot->people_[i].id] = i;
  }
  for (size_t i = 0; i < snapshot->run_.people.size(); ++i) {
    snapshot->rank_[snapshot->run_.people[i].id] = static_cast<int>(i + 1);
  }
  for (PersonIndex i = 0; i < snapshot->log_.person_count(); ++i) {
    snapshot->index_[snapshot->log_.person_id[i]] = i;
  }
  // Every scoring is recorded, as `rapport score` records its runs.
  std::vector<store::ScoreRecord> records;
  records.reserve(snapshot->run_.people.size());
  for (const score::PersonScore& person : snapshot->run_.people) {
    records.push_back({as_of, person.id, person.volume_score, person.rapport_score,
                       person.volume.raw, person.rapport.raw});
  }
  RAPPORT_RETURN_IF_ERROR(store.SaveScores(records));
  snapshot->seconds_to_build_ =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  return std::shared_ptr<const Snapshot>(std::move(snapshot));
}

const store::Person* Snapshot::FindPerson(int64_t id) const {
  auto it = person_at_.find(id);
  return it == person_at_.end() ? nullptr : &people_[it->second];
}

int Snapshot::RankOf(int64_t id) const {
  auto it = rank_.find(id);
  return it == rank_.end() ? 0 : it->second;
}

const score::PersonScore* Snapshot::Scored(int64_t id) const {
  const int rank = RankOf(id);
  return rank == 0 ? nullptr : &run_.people[static_cast<size_t>(rank - 1)];
}

std::optional<PersonIndex> Snapshot::IndexOf(int64_t id) const {
  auto it = index_.find(id);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

std::vector<const store::Person*> Snapshot::Search(const std::string& query, size_t limit) const {
  const std::string needle = AsciiLower(query);
  std::vector<const store::Person*> found;
  for (const store::Person& person : people_) {
    bool match = needle.empty() || AsciiLower(person.name).find(needle) != std::string::npos;
    for (size_t i = 0; !match && i < person.identities.size(); ++i) {
      match = AsciiLower(person.identities[i]).find(needle) != std::string::npos;
    }
    if (match) found.push_back(&person);
  }
  // Scored people by rank, then the unscored by id.
  auto key = [&](const store::Person* person) {
    const int rank = RankOf(person->id);
    return std::pair{rank == 0 ? std::numeric_limits<int>::max() : rank, person->id};
  };
  const size_t kept = std::min(limit, found.size());
  std::partial_sort(
      found.begin(), found.begin() + static_cast<std::ptrdiff_t>(kept), found.end(),
      [&](const store::Person* a, const store::Person* b) { return key(a) < key(b); });
  found.resize(kept);
  return found;
}

std::vector<score::HistoryPoint> Snapshot::History(PersonIndex person, double step_seconds,
                                                   int points) const {
  const auto key = std::tuple{person, step_seconds, points};
  {
    std::lock_guard lock(history_mutex_);
    auto it = histories_.find(key);
    if (it != histories_.end()) return it->second;
  }
  // Computed outside the lock: two requests for the same history may both compute it.
  const double to = run_.as_of;
  const double from = to - step_seconds * (points - 1);
  std::vector<score::HistoryPoint> history =
      score::PersonHistory(log_, config_, person, from, to, step_seconds);
  std::lock_guard lock(history_mutex_);
  if (histories_.size() >= kMaxCachedHistories) histories_.clear();
  histories_.emplace(key, history);
  return history;
}

}  // namespace rapport::server
