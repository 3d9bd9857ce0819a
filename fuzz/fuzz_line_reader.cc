// libFuzzer target: the line reader with a tiny block size, checking that lines and their
// terminators add up to the input and that offsets and numbers are consistent.
#include <string_view>

#include "fuzz_reader.h"
#include "rapport/ingest/line_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using rapport::ingest::BufferSource;
  using rapport::ingest::Line;
  using rapport::ingest::LineReader;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t block = size == 0 ? 1 : 1 + data[0] % 16;
  BufferSource source(input);
  LineReader reader(&source, static_cast<int64_t>(size), nullptr, /*max_line_bytes=*/64, block);
  Line line;
  int64_t expected_number = 1;
  int64_t previous_end = 0;
  bool saw_unterminated = false;
  while (reader.Next(&line)) {
    RAPPORT_FUZZ_CHECK(!saw_unterminated);
    RAPPORT_FUZZ_CHECK(line.number == expected_number++);
    RAPPORT_FUZZ_CHECK(line.byte_offset >= previous_end);
    RAPPORT_FUZZ_CHECK(line.byte_offset + line.length <= static_cast<int64_t>(size));
    if (!line.too_long) {
      RAPPORT_FUZZ_CHECK(static_cast<int64_t>(line.text.size()) == line.length);
      RAPPORT_FUZZ_CHECK(input.substr(static_cast<size_t>(line.byte_offset), line.text.size()) ==
                         line.text);
      RAPPORT_FUZZ_CHECK(line.text.find('\n') == std::string_view::npos);
    }
    previous_end = line.byte_offset + line.length;
    saw_unterminated = line.unterminated;
  }
  RAPPORT_FUZZ_CHECK(reader.status().ok());
  RAPPORT_FUZZ_CHECK(reader.bytes_consumed() == static_cast<int64_t>(size));
  return 0;
}
