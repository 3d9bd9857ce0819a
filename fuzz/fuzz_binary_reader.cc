// libFuzzer target: the binary event reader on arbitrary bytes. Checks the reader's contract:
// records seen = accepted + rejected, every accepted event is valid (known channel and kind,
// finite time, no target equal to the actor), and every reject has a reason and an offset
// inside the input. Then the search for a record start from the middle of the input: what it
// finds is a record that decodes without a problem.
#include <cmath>
#include <cstdlib>
#include <string>
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
      counts->records != accepted + rejected || counts->next_offset > size) {
    std::abort();
  }
  // A record start found from the middle: inside the input, at or after where the search began,
  // and a record that decodes without a problem (read after the header, it is accepted).
  for (const uint64_t from : {uint64_t{0}, uint64_t{size / 2}}) {
    const Result<uint64_t> start = ingest::FindRecordStartInBuffer(bytes, "fuzz.bin", from);
    if (!start.ok()) continue;
    if (*start < from || *start >= size) std::abort();
    std::string from_start(bytes.substr(0, ingest::kBinaryHeaderBytes));
    from_start.append(bytes.substr(*start));
    bool first_seen = false, first_accepted = false;
    const Result<ingest::BinaryReadCounts> rest = ingest::ReadBinaryBuffer(
        from_start, "fuzz.bin",
        [&](const ingest::BinaryEvent&) {
          if (!first_seen) first_accepted = true;
          first_seen = true;
          return Status::Ok();
        },
        [&](ingest::BinaryReject&&) { first_seen = true; });
    if (!rest.ok() || !first_accepted) std::abort();
  }
  return 0;
}
