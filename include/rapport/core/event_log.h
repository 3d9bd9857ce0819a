// EventLog: every event of a data set in flat, time-sorted columns with dense 32-bit person
// indices, the form in which events travel from the store (or a batch input) to aggregation.
// Targets are stored CSR-style: the targets of event i are
// targets[target_offset[i] .. target_offset[i + 1]). Thread-safety: plain value; concurrent
// reads are safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rapport/core/event.h"

namespace rapport {

using PersonIndex = uint32_t;

struct EventLog {
  // People, indexed by PersonIndex.
  std::vector<int64_t> person_id;  // the store's id (or a batch input's), for output
  std::vector<std::string> person_name;

  // Events, sorted by time.
  std::vector<int64_t> event_id;  // the store's id, for explanations (0 when none)
  std::vector<double> time;
  std::vector<Channel> channel;
  std::vector<Kind> kind;
  std::vector<PersonIndex> actor;
  std::vector<uint8_t> is_private;
  std::vector<double> duration;
  std::vector<double> effort_override;  // NaN when the kind's default applies
  std::vector<double> valence;
  std::vector<uint64_t> target_offset{0};
  std::vector<PersonIndex> targets;

  size_t person_count() const { return person_id.size(); }
  size_t event_count() const { return time.size(); }

  // Appends one event; `targets` are person indices. REQUIRES: time >= the last event's time.
  void Append(int64_t id, const Event& event, PersonIndex actor_index,
              const std::vector<PersonIndex>& target_indices);
  // Appends event e of `from` (same person numbering), e.g. to reorder or split a log.
  void AppendFrom(const EventLog& from, size_t e);
};

}  // namespace rapport

namespace rapport {

// Builds an EventLog from events in any order: identities become people one to one (in order of
// first appearance), events are sorted by time, targets equal to the actor are dropped. Event ids
// are positions in the input plus one. For tests, the demo and batch inputs without a store.
EventLog EventLogFromEvents(const std::vector<Event>& events);

}  // namespace rapport
