// libFuzzer target: the calls and SMS reader (the calls CSV or an SMS Backup & Restore XML) on
// arbitrary bytes. The checks are fuzz_reader.h's, except that a bad CSV header may fail the read
// (as in the CSV reader); an XML input never fails, it is read or rejected.
#include <string_view>

#include "fuzz_reader.h"

namespace rapport::ingest::fuzz {
namespace {

bool StartsLikeXml(std::string_view input) {
  if (input.starts_with("\xEF\xBB\xBF")) input.remove_prefix(3);
  size_t start = input.find_first_not_of(" \t\r\n");
  return start != std::string_view::npos && start < 512 && input[start] == '<';
}

}  // namespace
}  // namespace rapport::ingest::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rapport;
  using namespace rapport::ingest;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  ReadOptions options;
  options.format = Format::kCallLog;
  options.keep_text = true;
  options.max_line_bytes = 512;
  int64_t events = 0;
  int64_t rejects = 0;
  int64_t owners = 0;
  options.on_identity = [&](IdentityHint&& hint) {
    RAPPORT_FUZZ_CHECK(!hint.identity.empty());
    if (hint.is_owner) ++owners;
  };
  Result<ReadCounts> counts = ReadBuffer(
      input, "fuzz_calls", options,
      [&](Event&& event) {
        RAPPORT_FUZZ_CHECK(event.source == "phone" || event.source == "sms");
        RAPPORT_FUZZ_CHECK(!event.native_id.empty());
        RAPPORT_FUZZ_CHECK(!event.actor.empty() && !event.targets.empty());
        RAPPORT_FUZZ_CHECK(event.actor == "me" || event.targets.front() == "me");
        RAPPORT_FUZZ_CHECK(event.duration >= 0);
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
    RAPPORT_FUZZ_CHECK(!fuzz::StartsLikeXml(input));
    RAPPORT_FUZZ_CHECK(counts.status().code() == StatusCode::kInvalidArgument);
    return 0;
  }
  RAPPORT_FUZZ_CHECK(counts->records == counts->emitted + counts->rejected);
  RAPPORT_FUZZ_CHECK(counts->emitted == events);
  RAPPORT_FUZZ_CHECK(counts->rejected == rejects);
  RAPPORT_FUZZ_CHECK(owners == (events > 0 ? 1 : 0));
  return 0;
}
