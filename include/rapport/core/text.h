// Small text helpers shared by every module. Thread-safety: pure functions.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <utility>

namespace rapport {

// `text` with A-Z turned into a-z; every other byte (UTF-8 included) unchanged.
std::string AsciiLower(std::string_view text);

// Appends fmt::format(format, args...) to `out`, in one append. (fmt 9's back_inserter into a
// std::string resizes the string for every piece of the format: on a score CSV of 200,000 rows
// that took longer than formatting the numbers, docs/BENCHMARKS.md.)
template <typename... Args>
void AppendFormat(std::string& out, fmt::format_string<Args...> format, Args&&... args) {
  fmt::memory_buffer piece;
  fmt::format_to(fmt::appender(piece), format, std::forward<Args>(args)...);
  out.append(piece.data(), piece.size());
}

}  // namespace rapport
