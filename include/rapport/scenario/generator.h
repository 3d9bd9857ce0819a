// A deterministic generator of realistic multi-channel interaction logs at any size (`rapport
// gen`): the input of the scale benchmarks and of tests that need more than the demo. It streams
// events in time order through a callback and holds O(people) state, never the events, so it can
// produce 10^9 events in bounded memory.
//
// The model (docs/formats.md, "Generated logs"):
//   - activity: each person's rate is Pareto-distributed (alpha 1.5, capped at 1000 times the
//     minimum), so a few people do much of the talking; actors are drawn by rate (alias table);
//   - communities: people belong to groups of about `community_size` (a hash, not index order);
//     a person's contacts are a fixed sequence of people, 85% from their community and 15% drawn
//     by rate from everyone (popular people are everyone's acquaintance), and the k-th contact is
//     chosen with probability ~ 1/(k + 1)^1.2: a few close ties, a long tail of weak ones;
//   - reciprocity: a share of messages gets an answer from the target within hours;
//   - bursts and silences: each person is silent in 10% of their 4-week blocks;
//   - channels: each pair keeps to one channel (email, sms, chat, phone, twitter, mastodon,
//     facebook, blog), with the kinds of that channel; some emails go to several people;
//     a share of events are broadcast posts with no target; favours are rare.
//   - time: events spread evenly over `years`, from `start_time`, in order.
//
// Thread-safety: GenerateEvents is a pure function of its options (it may be called from several
// threads with different options).
#pragma once

#include <cstdint>
#include <functional>

#include "rapport/core/status.h"
#include "rapport/ingest/binary_events.h"

namespace rapport::scenario {

struct GeneratorOptions {
  uint64_t people = 1000;
  uint64_t events = 100000;
  uint64_t seed = 1;
  double start_time = 1420070400;  // 2015-01-01T00:00:00Z
  double years = 3;
  uint32_t community_size = 100;
  double broadcast_share = 0.08;  // posts with no target
  double answer_share = 0.45;     // messages answered by their target
  double group_email_share = 0.05;
};

// Calls on_event for every event, in time order; stops early with on_event's error.
// REQUIRES: people >= 2.
Status GenerateEvents(const GeneratorOptions& options,
                      const std::function<Status(const ingest::BinaryEvent&)>& on_event);

}  // namespace rapport::scenario
