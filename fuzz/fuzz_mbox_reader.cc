// libFuzzer target: the mbox reader (GMime) on arbitrary bytes. Checks that every message was
// emitted or rejected, that events have keys and targets, and that rejects point into the input.
// Input that holds no "From " line at all may fail the read as a whole (InvalidArgument).
#include "fuzz_reader.h"

namespace rapport::ingest::fuzz {
namespace {

void ReadArchiveOne(const uint8_t* data, size_t size, Format format, const char* name) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  ReadOptions options;
  options.format = format;
  options.keep_text = true;
  options.on_identity = [](IdentityHint&& hint) { RAPPORT_FUZZ_CHECK(!hint.identity.empty()); };
  int64_t events = 0;
  int64_t rejects = 0;
  Result<ReadCounts> counts = ReadBuffer(
      input, name, options,
      [&](Event&& event) {
        RAPPORT_FUZZ_CHECK(!event.source.empty() && !event.native_id.empty());
        RAPPORT_FUZZ_CHECK(!event.actor.empty());
        RAPPORT_FUZZ_CHECK(event.kind == Kind::kPost || !event.targets.empty());
        RAPPORT_FUZZ_CHECK(event.target_names.empty() ||
                           event.target_names.size() == event.targets.size());
        for (const std::string& target : event.targets) RAPPORT_FUZZ_CHECK(target != event.actor);
        ++events;
        return Status::Ok();
      },
      [&](Reject&& reject) {
        RAPPORT_FUZZ_CHECK(!reject.reason.empty());
        RAPPORT_FUZZ_CHECK(reject.line >= 1);
        RAPPORT_FUZZ_CHECK(reject.byte_offset >= 0 &&
                           reject.byte_offset <= static_cast<int64_t>(size));
        RAPPORT_FUZZ_CHECK(reject.raw.size() <= kMaxRawBytes);
        ++rejects;
      });
  if (!counts.ok()) {
    RAPPORT_FUZZ_CHECK(counts.status().code() == StatusCode::kInvalidArgument ||
                       counts.status().code() == StatusCode::kDataLoss);
    return;
  }
  RAPPORT_FUZZ_CHECK(counts->records == counts->emitted + counts->rejected);
  RAPPORT_FUZZ_CHECK(counts->emitted == events);
  RAPPORT_FUZZ_CHECK(counts->rejected == rejects);
}

}  // namespace
}  // namespace rapport::ingest::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rapport::ingest::fuzz::ReadArchiveOne(data, size, rapport::ingest::Format::kMbox, "fuzz.mbox");
  return 0;
}
