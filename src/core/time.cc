#include "rapport/core/time.h"

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>

namespace rapport {
namespace {

constexpr std::string_view kAcceptedForms =
    "use epoch seconds (1082040961) or ISO 8601 (2024-03-01, 2024-03-01T12:30:00Z, "
    "2024-03-01 12:30:00+02:00)";

bool ParseDigits(std::string_view text, size_t pos, size_t count, int& out) {
  if (pos + count > text.size()) return false;
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  return true;
}

Status Malformed(std::string_view text, std::string_view why) {
  return InvalidArgument(fmt::format("unparsable time \"{}\" ({}); {}", text, why, kAcceptedForms));
}

}  // namespace

Result<double> ParseTime(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty()) return Malformed(text, "empty");

  // Plain number: epoch seconds.
  bool numeric = true;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+')) numeric = false;
  }
  if (numeric) {
    if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
      // "2024-03-01" is a date, handled below.
    } else {
      double value = 0;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(value)) {
        return Malformed(text, "not a number");
      }
      // Years 1 to 9999; a larger number is usually milliseconds.
      if (value < -62135596800.0 || value >= 253402300800.0) {
        return Malformed(text, "outside the years 1 to 9999; milliseconds? divide by 1000");
      }
      return value;
    }
  }

  int year = 0, month = 0, day = 0;
  if (!ParseDigits(text, 0, 4, year) || text.size() < 10 || text[4] != '-' ||
      !ParseDigits(text, 5, 2, month) || text[7] != '-' || !ParseDigits(text, 8, 2, day)) {
    return Malformed(text, "expected YYYY-MM-DD");
  }
  std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{unsigned(month)},
                                   std::chrono::day{unsigned(day)}};
  if (!date.ok()) return Malformed(text, "no such date");
  double seconds = 0;
  size_t pos = 10;
  if (pos < text.size()) {
    if (text[pos] != 'T' && text[pos] != ' ' && text[pos] != 't') {
      return Malformed(text, "expected 'T' or a space after the date");
    }
    int hour = 0, minute = 0, second = 0;
    if (!ParseDigits(text, pos + 1, 2, hour) || text.size() < pos + 6 || text[pos + 3] != ':' ||
        !ParseDigits(text, pos + 4, 2, minute)) {
      return Malformed(text, "expected HH:MM after the date");
    }
    pos += 6;
    if (pos < text.size() && text[pos] == ':') {
      if (!ParseDigits(text, pos + 1, 2, second)) return Malformed(text, "expected seconds");
      pos += 3;
    }
    if (hour > 23 || minute > 59 || second > 60) return Malformed(text, "time of day out of range");
    seconds = hour * 3600.0 + minute * 60.0 + second;
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
      size_t start = ++pos;
      double scale = 0.1;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        seconds += (text[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
      if (pos == start) return Malformed(text, "expected digits after the decimal point");
    }
    if (pos < text.size()) {
      char c = text[pos];
      if ((c == 'Z' || c == 'z') && pos + 1 == text.size()) {
        pos += 1;
      } else if (c == '+' || c == '-') {
        int off_hour = 0, off_minute = 0;
        if (!ParseDigits(text, pos + 1, 2, off_hour)) return Malformed(text, "bad UTC offset");
        size_t next = pos + 3;
        bool colon = next < text.size() && text[next] == ':';
        if (colon) ++next;
        if (colon || next < text.size()) {  // "+02:" alone is not an offset
          if (!ParseDigits(text, next, 2, off_minute) || next + 2 != text.size()) {
            return Malformed(text, "bad UTC offset");
          }
        }
        if (off_hour > 23 || off_minute > 59) return Malformed(text, "bad UTC offset");
        double offset = off_hour * 3600.0 + off_minute * 60.0;
        seconds -= (c == '+' ? offset : -offset);
        pos = text.size();
      } else {
        return Malformed(text, "unexpected characters after the time");
      }
    }
  }
  auto days = std::chrono::sys_days(date).time_since_epoch().count();
  return static_cast<double>(days) * kSecondsPerDay + seconds;
}

std::string FormatTime(double epoch_seconds) {
  auto whole = static_cast<int64_t>(std::floor(epoch_seconds));
  int64_t days = whole >= 0 ? whole / 86400 : -((-whole + 86399) / 86400);
  int64_t rest = whole - days * 86400;
  std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{days}}};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", int(date.year()),
                     unsigned(date.month()), unsigned(date.day()), rest / 3600, rest / 60 % 60,
                     rest % 60);
}

std::string FormatDate(double epoch_seconds) { return FormatTime(epoch_seconds).substr(0, 10); }

}  // namespace rapport
