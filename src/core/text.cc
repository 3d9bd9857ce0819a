#include "rapport/core/text.h"

#include <charconv>

namespace rapport {

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

uint64_t FnvAppend(uint64_t state, std::string_view bytes) {
  for (const char c : bytes) {
    state ^= static_cast<unsigned char>(c);
    state *= 0x100000001b3ULL;
  }
  return state;
}

uint64_t Avalanche(uint64_t state) {
  state ^= state >> 33;
  state *= 0xff51afd7ed558ccdULL;
  state ^= state >> 33;
  state *= 0xc4ceb9fe1a85ec53ULL;
  state ^= state >> 33;
  return state;
}

void AppendNumber(std::string& out, double value, int precision, NumberStyle style) {
  // Room for 309 digits before the point and 64 after it.
  char digits[400];
  const std::to_chars_result written = std::to_chars(
      digits, digits + sizeof digits, value,
      style == NumberStyle::kGeneral ? std::chars_format::general : std::chars_format::fixed,
      precision);
  if (written.ec == std::errc()) {
    out.append(digits, written.ptr);
  } else {  // a precision too large for the buffer
    out += style == NumberStyle::kGeneral ? fmt::format("{:.{}g}", value, precision)
                                          : fmt::format("{:.{}f}", value, precision);
  }
}

}  // namespace rapport
