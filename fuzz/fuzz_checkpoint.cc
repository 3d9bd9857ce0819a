// libFuzzer target: the score checkpoint parser on arbitrary bytes (a damaged or foreign
// <db>.checkpoint file). Checks its contract: it refuses with DataLoss or accepts, and what it
// accepts is well formed (pairs in (u, v) order, every person named, as many pairs as the header
// says to CheckpointPairCount) and, copied out of the bytes, serialises back to the very bytes
// it came from.
#include <cstdlib>
#include <string>
#include <string_view>

#include "rapport/score/incremental.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rapport;
  // In a std::string: the parser reads in place and needs 8-byte alignment, as a mapping has.
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const uint64_t pair_count = score::CheckpointPairCount(bytes);
  Result<score::ScoreCheckpointView> parsed = score::ParseCheckpoint(bytes);
  if (!parsed.ok()) {
    if (parsed.status().code() != StatusCode::kDataLoss) std::abort();
    return 0;
  }
  const size_t people = parsed->person_id.size();
  if (parsed->active.size() != people) std::abort();
  const auto pairs = parsed->pairs.pairs;
  if (pair_count != pairs.size()) std::abort();
  for (size_t i = 0; i < pairs.size(); ++i) {
    const graph::PairRecord& record = pairs[i].record;
    if (record.u >= record.v || record.v >= people) std::abort();
    if (i > 0 &&
        std::pair(pairs[i - 1].record.u, pairs[i - 1].record.v) >= std::pair(record.u, record.v)) {
      std::abort();
    }
  }
  const score::VolumeEventsView& window = parsed->window;
  for (size_t i = 0; i < window.size(); ++i) {
    for (const PersonIndex target : window.targets_of(i)) {
      if (target >= people) std::abort();
    }
  }
  score::ScoreCheckpoint copy;
  copy.pairs = {parsed->anchor(), {pairs.begin(), pairs.end()}};
  copy.person_id.assign(parsed->person_id.begin(), parsed->person_id.end());
  copy.active.assign(parsed->active.begin(), parsed->active.end());
  copy.window.time.assign(window.time.begin(), window.time.end());
  copy.window.actor.assign(window.actor.begin(), window.actor.end());
  copy.window.kind.assign(window.kind.begin(), window.kind.end());
  copy.window.target_offset.assign(window.target_offset.begin(), window.target_offset.end());
  copy.window.targets.assign(window.targets.begin(), window.targets.end());
  if (score::SerializedCheckpoint(copy).Join() != bytes) std::abort();
  return 0;
}
