// libFuzzer target: the WordPress WXR reader (pugixml) on arbitrary bytes. Checks that every post
// and comment was emitted or rejected, that events have keys and targets, and that rejects point
// into the input.
// Malformed XML (DataLoss) or XML that is not WXR (InvalidArgument) may fail the whole read.
#include "fuzz_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rapport::ingest::fuzz::ReadArchiveOne(data, size, rapport::ingest::Format::kWxr, "fuzz.xml");
  return 0;
}
