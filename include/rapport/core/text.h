// Small text helpers shared by every module. Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace rapport {

// `text` with A-Z turned into a-z; every other byte (UTF-8 included) unchanged.
std::string AsciiLower(std::string_view text);

}  // namespace rapport
