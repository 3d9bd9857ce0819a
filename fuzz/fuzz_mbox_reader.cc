// libFuzzer target: the mbox reader (GMime) on arbitrary bytes. Checks that every message was
// emitted or rejected, that events have keys and targets, and that rejects point into the input.
// Input that holds no "From " line at all may fail the read as a whole (InvalidArgument).
#include "fuzz_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rapport::ingest::fuzz::ReadArchiveOne(data, size, rapport::ingest::Format::kMbox, "fuzz.mbox");
  return 0;
}
