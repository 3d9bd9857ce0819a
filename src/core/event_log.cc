#include "rapport/core/event_log.h"

#include <limits>

namespace rapport {

void EventLog::Append(int64_t id, const Event& event, PersonIndex actor_index,
                      const std::vector<PersonIndex>& target_indices) {
  event_id.push_back(id);
  time.push_back(event.time);
  channel.push_back(event.channel);
  kind.push_back(event.kind);
  actor.push_back(actor_index);
  is_private.push_back(event.is_private ? 1 : 0);
  duration.push_back(event.duration);
  effort_override.push_back(event.effort ? *event.effort
                                         : std::numeric_limits<double>::quiet_NaN());
  valence.push_back(event.valence);
  targets.insert(targets.end(), target_indices.begin(), target_indices.end());
  target_offset.push_back(targets.size());
}

void EventLog::AppendFrom(const EventLog& from, size_t e) {
  event_id.push_back(from.event_id[e]);
  time.push_back(from.time[e]);
  channel.push_back(from.channel[e]);
  kind.push_back(from.kind[e]);
  actor.push_back(from.actor[e]);
  is_private.push_back(from.is_private[e]);
  duration.push_back(from.duration[e]);
  effort_override.push_back(from.effort_override[e]);
  valence.push_back(from.valence[e]);
  targets.insert(targets.end(), from.targets.begin() + from.target_offset[e],
                 from.targets.begin() + from.target_offset[e + 1]);
  target_offset.push_back(targets.size());
}

}  // namespace rapport

#include <algorithm>
#include <numeric>
#include <unordered_map>

namespace rapport {

EventLog EventLogFromEvents(const std::vector<Event>& events) {
  EventLog log;
  std::unordered_map<std::string, PersonIndex> index_of;
  auto person = [&](const std::string& identity) {
    auto [it, inserted] = index_of.try_emplace(identity, static_cast<PersonIndex>(index_of.size()));
    if (inserted) {
      log.person_id.push_back(static_cast<int64_t>(it->second) + 1);
      log.person_name.push_back(identity);
    }
    return it->second;
  };
  std::vector<size_t> order(events.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return events[a].time < events[b].time; });
  std::vector<PersonIndex> targets;
  for (size_t i : order) {
    const Event& event = events[i];
    PersonIndex actor = person(event.actor);
    targets.clear();
    for (const std::string& target : event.targets) {
      PersonIndex index = person(target);
      if (index != actor && std::find(targets.begin(), targets.end(), index) == targets.end()) {
        targets.push_back(index);
      }
    }
    std::sort(targets.begin(), targets.end());
    log.Append(static_cast<int64_t>(i) + 1, event, actor, targets);
  }
  return log;
}

}  // namespace rapport
