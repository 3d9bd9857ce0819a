// libFuzzer target: the score checkpoint parser on arbitrary bytes (a damaged or foreign
// <db>.checkpoint file). Checks its contract: it refuses with DataLoss or accepts, and what it
// accepts is well formed (pairs in (u, v) order, every person named) and serialises back to the
// very bytes it came from.
#include <cstdlib>
#include <string_view>

#include "rapport/score/incremental.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rapport;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  Result<score::ScoreCheckpoint> parsed = score::ParseCheckpoint(bytes);
  if (!parsed.ok()) {
    if (parsed.status().code() != StatusCode::kDataLoss) std::abort();
    return 0;
  }
  const size_t people = parsed->person_id.size();
  if (parsed->active.size() != people) std::abort();
  for (size_t i = 0; i < parsed->pairs.pairs.size(); ++i) {
    const graph::PairRecord& record = parsed->pairs.pairs[i].record;
    if (record.u >= record.v || record.v >= people) std::abort();
    if (i > 0) {
      const graph::PairRecord& before = parsed->pairs.pairs[i - 1].record;
      if (std::pair(before.u, before.v) >= std::pair(record.u, record.v)) std::abort();
    }
  }
  if (score::SerializeCheckpoint(*parsed) != bytes) std::abort();
  return 0;
}
