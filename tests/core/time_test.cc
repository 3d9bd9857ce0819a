// Tests of ParseTime, FormatTime and FormatDate: every accepted form against values computed by
// hand, the exact rejection message, and round trips on both sides of 1970.
#include "rapport/core/time.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace rapport {
namespace {

using ::testing::HasSubstr;

// 2024-03-01 is day 19783 since 1970-01-01: 19783 * 86400.
constexpr double kMarch1 = 1709251200;

struct Accepted {
  std::string text;
  double expected;
};

TEST(CoreTimeTest, ParsesEveryAcceptedForm) {
  const std::vector<Accepted> cases = {
      {"1082040961", 1082040961},
      {"0", 0},
      {"-86400", -86400},
      {"1289241911.72836", 1289241911.72836},
      {"2024-03-01", kMarch1},
      {"2024-02-29", kMarch1 - 86400},  // leap day
      {"2000-01-01", 946684800},
      {"2024-03-01T00:00:00Z", kMarch1},
      {"2024-03-01T12:30:00Z", kMarch1 + 12 * 3600 + 30 * 60},
      {"2024-03-01t12:30:00z", kMarch1 + 12 * 3600 + 30 * 60},
      {"2024-03-01T12:30Z", kMarch1 + 12 * 3600 + 30 * 60},
      {"2024-03-01T12:30:00", kMarch1 + 12 * 3600 + 30 * 60},  // no offset: UTC
      {"2024-03-01 12:30:00", kMarch1 + 12 * 3600 + 30 * 60},
      {"2024-03-01T12:30:00+02:00", kMarch1 + 10 * 3600 + 30 * 60},
      {"2024-03-01 12:30:00+0200", kMarch1 + 10 * 3600 + 30 * 60},
      {"2024-03-01T12:30:00-0530", kMarch1 + 18 * 3600},
      {"2024-03-01T12:30:00-05:30", kMarch1 + 18 * 3600},
      {"2024-03-01T00:30:00+01:00", kMarch1 - 30 * 60},  // offset crosses into the day before
      {"2024-03-01T00:00:00.5Z", kMarch1 + 0.5},
      {"2024-03-01T12:30:00.250+02:00", kMarch1 + 10 * 3600 + 30 * 60 + 0.25},
      {"2024-03-01T23:59:59,75Z", kMarch1 + 86399.75},
      {"  2024-03-01\t", kMarch1},  // surrounding blanks are trimmed
      {"1969-12-31T23:59:59Z", -1},
      {"1900-01-01", -2208988800},
  };
  for (const Accepted& c : cases) {
    SCOPED_TRACE(c.text);
    Result<double> parsed = ParseTime(c.text);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_DOUBLE_EQ(*parsed, c.expected);
  }
}

TEST(CoreTimeTest, RejectsWithAMessageNamingTheTextAndTheAcceptedForms) {
  const std::vector<std::string> cases = {
      "yesterday",
      "",
      "   ",
      "2024-13-01",
      "2024-02-30",
      "2023-02-29",
      "2024-03-01T25:00",
      "2024-03-01T12:60",
      "2024-03-01T12:30:61",
      "2024-03-01T",
      "2024-03-01T12",
      "2024-03-01T12:30:00.Z",
      "2024-03-01T12:30:00Zjunk",
      "2024-03-01T12:30:00 junk",
      "2024-03-01T12:30:00+2",
      "2024-03-01T12:30:00+02:",
      "2024-03-01T12:30:00+02:0x",
      "2024-03-01T12:30:00+25:00",
      "2024-03-01T12:30:00+02:75",
      "2024-03-01x",
      "2024/03/01",
      "1709251200abc",
      "1.2.3",
      "--5",
  };
  for (const std::string& text : cases) {
    SCOPED_TRACE(text);
    Result<double> parsed = ParseTime(text);
    ASSERT_FALSE(parsed.ok()) << "parsed as " << *parsed;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(parsed.status().message(), HasSubstr("unparsable time"));
    EXPECT_THAT(parsed.status().message(), HasSubstr("use epoch seconds"));
  }
}

TEST(CoreTimeTest, RejectionSaysWhatIsWrong) {
  EXPECT_EQ(ParseTime("2024-02-30").status().message(),
            "unparsable time \"2024-02-30\" (no such date); use epoch seconds (1082040961) or "
            "ISO 8601 (2024-03-01, 2024-03-01T12:30:00Z, 2024-03-01 12:30:00+02:00)");
  EXPECT_THAT(ParseTime("2024-03-01T25:00").status().message(),
              HasSubstr("\"2024-03-01T25:00\" (time of day out of range)"));
  EXPECT_THAT(ParseTime("yesterday").status().message(),
              HasSubstr("\"yesterday\" (expected YYYY-MM-DD)"));
  EXPECT_THAT(ParseTime("2024-03-01T12:30:00Zjunk").status().message(),
              HasSubstr("(unexpected characters after the time)"));
  EXPECT_THAT(ParseTime("1.2.3").status().message(), HasSubstr("(not a number)"));
}

TEST(CoreTimeTest, FormatsUtcAndDropsFractions) {
  EXPECT_EQ(FormatTime(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatTime(kMarch1 + 45000), "2024-03-01T12:30:00Z");
  EXPECT_EQ(FormatTime(kMarch1 + 45000.999), "2024-03-01T12:30:00Z");
  EXPECT_EQ(FormatTime(kMarch1 - 1), "2024-02-29T23:59:59Z");
  EXPECT_EQ(FormatDate(kMarch1 + 86399), "2024-03-01");
  EXPECT_EQ(FormatDate(kMarch1 - 1), "2024-02-29");
}

TEST(CoreTimeTest, FormatsInstantsBefore1970) {
  EXPECT_EQ(FormatTime(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatTime(-0.5), "1969-12-31T23:59:59Z");  // floor, not truncation toward zero
  EXPECT_EQ(FormatTime(-86400), "1969-12-31T00:00:00Z");
  EXPECT_EQ(FormatTime(-86401), "1969-12-30T23:59:59Z");
  EXPECT_EQ(FormatTime(-2208988800), "1900-01-01T00:00:00Z");
  EXPECT_EQ(FormatDate(-2208988800 + 43200), "1900-01-01");
  EXPECT_EQ(FormatDate(-1), "1969-12-31");
}

TEST(CoreTimeTest, FormatThenParseRoundTripsOnBothSidesOf1970) {
  // Odd steps so that every hour, minute and second field takes many values.
  for (double t = -3.0e9; t < 3.0e9; t += 7777777.7) {
    SCOPED_TRACE(t);
    const double whole = std::floor(t);
    Result<double> parsed = ParseTime(FormatTime(t));
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(*parsed, whole);

    Result<double> day = ParseTime(FormatDate(t));
    ASSERT_TRUE(day.ok()) << day.status().ToString();
    EXPECT_EQ(*day, std::floor(whole / kSecondsPerDay) * kSecondsPerDay);
  }
}

TEST(CoreTimeTest, ParseThenFormatRoundTrips) {
  for (const char* text : {"2024-03-01T12:30:00Z", "1969-07-20T20:17:40Z", "1900-02-28T23:59:59Z",
                           "2100-12-31T00:00:01Z", "0001-01-01T00:00:00Z"}) {
    SCOPED_TRACE(text);
    Result<double> parsed = ParseTime(text);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(FormatTime(*parsed), text);
  }
}

}  // namespace
}  // namespace rapport
