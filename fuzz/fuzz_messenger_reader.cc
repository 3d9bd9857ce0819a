// libFuzzer target: the Facebook Messenger reader on one message_N.json file's bytes (see
// fuzz_reader.h for the checks: every message and reaction emitted or rejected, sane keys).
#include "fuzz_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rapport::ingest::fuzz::ReadOne(data, size, rapport::ingest::Format::kMessenger,
                                 "inbox/fuzz_1/message_1.json");
  return 0;
}
