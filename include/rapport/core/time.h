// Parsing and formatting of instants. Every instant in Rapport is seconds since 1970-01-01 UTC as
// a double (sub-second kept where the source has it). Thread-safe: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "rapport/core/status.h"

namespace rapport {

inline constexpr double kSecondsPerDay = 86400.0;
inline constexpr double kSecondsPerWeek = 7 * kSecondsPerDay;

// Accepts: epoch seconds ("1082040961", "1289241911.72836"); ISO 8601 dates and date-times
// ("2024-03-01", "2024-03-01T12:30:00Z", "2024-03-01 12:30:00", "2024-03-01T12:30:00.250+02:00").
// A date-time without an offset is taken as UTC. The message of an error says which forms work.
Result<double> ParseTime(std::string_view text);

// "2024-03-01T12:30:00Z" (fractions dropped).
std::string FormatTime(double epoch_seconds);
// "2024-03-01".
std::string FormatDate(double epoch_seconds);

}  // namespace rapport
