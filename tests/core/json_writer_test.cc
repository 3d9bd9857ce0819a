// Tests of JsonWriter and JsonQuote: the output is valid JSON (parsed back with simdjson) in both
// layouts, strings are escaped exactly, UTF-8 is kept, non-finite numbers become null.
#include "rapport/core/json_writer.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace rapport {
namespace {

// Parses `json` with simdjson; fails the test when it is not valid JSON.
simdjson::dom::element Parse(simdjson::dom::parser& parser, const std::string& json) {
  simdjson::dom::element root;
  auto error = parser.parse(json).get(root);
  EXPECT_EQ(error, simdjson::SUCCESS) << simdjson::error_message(error) << " in:\n" << json;
  return root;
}

std::string StringField(simdjson::dom::element object, std::string_view key) {
  std::string_view value;
  auto error = object[key].get_string().get(value);
  EXPECT_EQ(error, simdjson::SUCCESS) << key;
  return std::string(value);
}

TEST(CoreJsonWriterTest, QuotesExactly) {
  EXPECT_EQ(JsonQuote(""), "\"\"");
  EXPECT_EQ(JsonQuote("plain"), "\"plain\"");
  EXPECT_EQ(JsonQuote("say \"hi\""), "\"say \\\"hi\\\"\"");
  EXPECT_EQ(JsonQuote("C:\\dir"), "\"C:\\\\dir\"");
  EXPECT_EQ(JsonQuote("a\nb\rc\td"), "\"a\\nb\\rc\\td\"");
  EXPECT_EQ(JsonQuote(std::string_view("\x01\x1f\0", 3)), "\"\\u0001\\u001f\\u0000\"");
  EXPECT_EQ(JsonQuote("caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80"),
            "\"caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80\"");  // UTF-8 passes unchanged
  EXPECT_EQ(JsonQuote("</script>"), "\"</script>\"");
}

TEST(CoreJsonWriterTest, EscapedStringsParseBackToTheOriginal) {
  std::string tricky = "quote \" backslash \\ slash / newline \n cr \r tab \t bell \x07 ";
  tricky += std::string("nul ") + '\0' + " unit-sep \x1f del \x7f";
  tricky += " utf8 \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
  for (bool indent : {true, false}) {
    SCOPED_TRACE(indent);
    JsonWriter writer(indent);
    writer.BeginObject().Key(tricky).String(tricky).Key("k").String("").EndObject();
    simdjson::dom::parser parser;
    simdjson::dom::element root = Parse(parser, writer.str());
    simdjson::dom::object object;
    ASSERT_EQ(root.get_object().get(object), simdjson::SUCCESS);
    EXPECT_EQ(object.size(), 2u);
    EXPECT_EQ(StringField(root, tricky), tricky);
    EXPECT_EQ(StringField(root, "k"), "");
  }
}

TEST(CoreJsonWriterTest, CompactLayout) {
  JsonWriter writer(false);
  writer.BeginObject()
      .Key("name")
      .String("ann")
      .Key("n")
      .Int(-42)
      .Key("x")
      .Number(0.25)
      .Key("ok")
      .Bool(true)
      .Key("no")
      .Bool(false)
      .Key("none")
      .Null()
      .Key("list")
      .BeginArray()
      .Int(1)
      .Int(2)
      .EndArray()
      .EndObject();
  EXPECT_EQ(writer.str(),
            R"({"name":"ann","n":-42,"x":0.25,"ok":true,"no":false,"none":null,"list":[1,2]})");
}

TEST(CoreJsonWriterTest, IndentedLayout) {
  JsonWriter writer;
  writer.BeginObject().Key("a").Int(1).Key("b").BeginArray().String("x").EndArray().EndObject();
  EXPECT_EQ(writer.str(), "{\n  \"a\": 1,\n  \"b\": [\n    \"x\"\n  ]\n}");
}

TEST(CoreJsonWriterTest, NestedEmptyContainers) {
  for (bool indent : {true, false}) {
    SCOPED_TRACE(indent);
    JsonWriter writer(indent);
    writer.BeginObject()
        .Key("empty_object")
        .BeginObject()
        .EndObject()
        .Key("empty_array")
        .BeginArray()
        .EndArray()
        .Key("nested")
        .BeginArray()
        .BeginObject()
        .EndObject()
        .BeginArray()
        .BeginArray()
        .EndArray()
        .EndArray()
        .EndArray()
        .EndObject();
    simdjson::dom::parser parser;
    simdjson::dom::element root = Parse(parser, writer.str());
    simdjson::dom::object empty_object;
    ASSERT_EQ(root["empty_object"].get_object().get(empty_object), simdjson::SUCCESS);
    EXPECT_EQ(empty_object.size(), 0u);
    simdjson::dom::array empty_array;
    ASSERT_EQ(root["empty_array"].get_array().get(empty_array), simdjson::SUCCESS);
    EXPECT_EQ(empty_array.size(), 0u);
    simdjson::dom::array nested;
    ASSERT_EQ(root["nested"].get_array().get(nested), simdjson::SUCCESS);
    EXPECT_EQ(nested.size(), 2u);
    if (!indent) {
      EXPECT_EQ(writer.str(), R"({"empty_object":{},"empty_array":[],"nested":[{},[[]]]})");
    }
  }
}

TEST(CoreJsonWriterTest, TopLevelArrayAndScalars) {
  JsonWriter array(false);
  array.BeginArray().EndArray();
  EXPECT_EQ(array.str(), "[]");
  JsonWriter scalar(false);
  scalar.String("x");
  EXPECT_EQ(scalar.str(), "\"x\"");
}

TEST(CoreJsonWriterTest, NonFiniteNumbersBecomeNull) {
  JsonWriter writer(false);
  writer.BeginArray()
      .Number(std::numeric_limits<double>::quiet_NaN())
      .Number(std::numeric_limits<double>::infinity())
      .Number(-std::numeric_limits<double>::infinity())
      .Number(1.5)
      .EndArray();
  EXPECT_EQ(writer.str(), "[null,null,null,1.5]");
  simdjson::dom::parser parser;
  simdjson::dom::element root = Parse(parser, writer.str());
  EXPECT_TRUE(root.at(0).is_null());
  EXPECT_TRUE(root.at(2).is_null());
}

TEST(CoreJsonWriterTest, NumbersKeepSixSignificantDigitsAndParse) {
  JsonWriter writer(false);
  writer.BeginArray()
      .Number(3)
      .Number(-0.0)
      .Number(1.0 / 3.0)
      .Number(123456789.25)
      .Number(1e20)
      .Number(-2.5e-7)
      .Int(std::numeric_limits<int64_t>::min())
      .EndArray();
  EXPECT_EQ(writer.str(), "[3,0,0.333333,1.23457e+08,1e+20,-2.5e-07,-9223372036854775808]");
  simdjson::dom::parser parser;
  simdjson::dom::element root = Parse(parser, writer.str());
  double value = 0;
  ASSERT_EQ(root.at(4).get_double().get(value), simdjson::SUCCESS);
  EXPECT_EQ(value, 1e20);
  ASSERT_EQ(root.at(5).get_double().get(value), simdjson::SUCCESS);
  EXPECT_DOUBLE_EQ(value, -2.5e-7);
  int64_t min = 0;
  ASSERT_EQ(root.at(6).get_int64().get(min), simdjson::SUCCESS);
  EXPECT_EQ(min, std::numeric_limits<int64_t>::min());
}

}  // namespace
}  // namespace rapport
