// Small text helpers shared by every module. Thread-safety: pure functions.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace rapport {

// `text` with A-Z turned into a-z; every other byte (UTF-8 included) unchanged.
std::string AsciiLower(std::string_view text);

// Stable 64-bit hashing (the same on every run and platform, so hashes can be stored): FNV-1a
// over bytes, continued from `state`, then murmur3's fmix64 avalanche.
inline constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
uint64_t FnvAppend(uint64_t state, std::string_view bytes);
uint64_t Avalanche(uint64_t state);

// Appends `value` as printf's "%.<precision>g" (kGeneral) or "%.<precision>f" (kFixed) writes
// it, and so as fmt's "{:.<precision>g}" and "{:.<precision>f}" do: the same bytes, in about half
// the time of fmt 9's path for a given precision (std::to_chars; docs/BENCHMARKS.md).
enum class NumberStyle { kGeneral, kFixed };
void AppendNumber(std::string& out, double value, int precision, NumberStyle style);

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
