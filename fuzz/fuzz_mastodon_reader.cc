// libFuzzer target: the Mastodon archive reader on arbitrary bytes read as outbox.json (see
// fuzz_reader.h for the checks).
#include "fuzz_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rapport::ingest::fuzz::ReadOne(data, size, rapport::ingest::Format::kMastodonArchive,
                                 "outbox.json");
  return 0;
}
