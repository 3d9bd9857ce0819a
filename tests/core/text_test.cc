// Tests of AppendNumber: the same bytes as fmt's "{:.Ng}" and "{:.Nf}" (and so printf's), which
// the score files and outputs were written with before, for values of every size and sign, exact
// halves that round either way, and precisions from 0 to 17.
#include "rapport/core/text.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace rapport {
namespace {

std::string Appended(double value, int precision, NumberStyle style) {
  std::string out = "x";  // appends, does not replace
  AppendNumber(out, value, precision, style);
  return out;
}

std::string Expected(double value, int precision, NumberStyle style) {
  return "x" + (style == NumberStyle::kGeneral ? fmt::format("{:.{}g}", value, precision)
                                               : fmt::format("{:.{}f}", value, precision));
}

TEST(AppendNumberTest, WritesWhatFmtWrites) {
  std::vector<double> values = {0.0,     -0.0,    1.0,      -1.0,     0.125,    0.375,
                                12.125,  12.625,  2.5,      1.005,    2.675,    99.995,
                                100.0,   1e-7,    1e-300,   5e-324,   1e15,     123456789.0,
                                1.5e300, -2.5e-9, 0.099999, 0.999999, 9.9999995};
  values.push_back(std::numeric_limits<double>::max());
  values.push_back(std::numeric_limits<double>::min());
  std::mt19937_64 random(7);
  for (int i = 0; i < 20000; ++i) {
    // Mantissas of every length, exponents from 2^-70 to 2^70, both signs.
    const double magnitude =
        std::ldexp(static_cast<double>(random() >> 11), static_cast<int>(random() % 140) - 123);
    values.push_back(random() % 2 == 0 ? magnitude : -magnitude);
    // Hundredths and their halves, where fixed rounding decides the last digit.
    values.push_back(static_cast<double>(random() % 1000000) / 1000.0 + 0.005);
  }
  for (const double value : values) {
    for (const int precision : {0, 1, 2, 6, 17}) {
      for (const NumberStyle style : {NumberStyle::kGeneral, NumberStyle::kFixed}) {
        if (style == NumberStyle::kFixed && std::fabs(value) > 1e20)
          continue;  // long, tested below
        ASSERT_EQ(Appended(value, precision, style), Expected(value, precision, style))
            << fmt::format("{:.17g} precision {}", value, precision);
      }
    }
  }
}

TEST(AppendNumberTest, WritesHugeFixedNumbersAndNonFiniteOnes) {
  for (const double value : {1.5e300, -std::numeric_limits<double>::max()}) {
    EXPECT_EQ(Appended(value, 2, NumberStyle::kFixed), Expected(value, 2, NumberStyle::kFixed));
  }
  // More digits after the point than the buffer holds beside the largest number: still right.
  EXPECT_EQ(Appended(std::numeric_limits<double>::max(), 120, NumberStyle::kFixed),
            Expected(std::numeric_limits<double>::max(), 120, NumberStyle::kFixed));
  EXPECT_EQ(Appended(std::numeric_limits<double>::infinity(), 6, NumberStyle::kGeneral), "xinf");
  EXPECT_EQ(Appended(-std::numeric_limits<double>::infinity(), 2, NumberStyle::kFixed), "x-inf");
  EXPECT_EQ(Appended(std::numeric_limits<double>::quiet_NaN(), 6, NumberStyle::kGeneral), "xnan");
}

}  // namespace
}  // namespace rapport
