// libFuzzer target: the binary event reader on arbitrary bytes. Checks the reader's contract:
// records seen = accepted + rejected, every accepted event is valid (known channel and kind,
// finite time, no target equal to the actor), and every reject has a reason and an offset
// inside the input.
#include <cmath>
#include <cstdlib>
#include <string_view>

#include "rapport/ingest/binary_events.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rapport;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  uint64_t accepted = 0, rejected = 0;
  Result<ingest::BinaryReadCounts> counts = ingest::ReadBinaryBuffer(
      bytes, "fuzz.bin",
      [&](const ingest::BinaryEvent& event) {
        ++accepted;
        if (static_cast<int>(event.channel) >= kChannelCount ||
            static_cast<int>(event.kind) >= kKindCount || !std::isfinite(event.time)) {
          std::abort();
        }
        for (uint32_t target : event.targets) {
          if (target == event.actor) std::abort();
        }
        return Status::Ok();
      },
      [&](ingest::BinaryReject&& reject) {
        ++rejected;
        if (reject.reason.empty() || reject.offset >= size) std::abort();
      });
  if (!counts.ok()) return 0;  // not a binary file: an error for the whole input
  if (counts->accepted != accepted || counts->rejected != rejected ||
      counts->records != accepted + rejected) {
    std::abort();
  }
  return 0;
}
