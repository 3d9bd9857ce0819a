// libFuzzer target: the JSONL reader on arbitrary bytes (see fuzz_reader.h for the checks).
#include "fuzz_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rapport::ingest::fuzz::ReadOne(data, size, rapport::ingest::Format::kJsonl, "fuzz.jsonl");
  return 0;
}
