// libFuzzer target: the X/Twitter archive reader on arbitrary bytes read as tweets.js (the
// "window.YTD.<name>" prefix may redirect it to the likes, follows or direct messages code; see
// fuzz_reader.h for the checks).
#include "fuzz_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rapport::ingest::fuzz::ReadOne(data, size, rapport::ingest::Format::kTwitterArchive, "tweets.js");
  return 0;
}
