// A small streaming JSON writer for output documents (scores, ties, explanations). It produces
// compact or indented JSON with correctly escaped strings; numbers are written with up to 6
// significant decimals, non-finite numbers as null. Thread-safety: one writer per thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rapport {

class JsonWriter {
 public:
  explicit JsonWriter(bool indent = true) : indent_(indent) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Number(double value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();

  // The document so far; complete once every Begin has its End.
  const std::string& str() const { return out_; }

 private:
  void BeforeValue();
  void NewLine();

  bool indent_;
  std::string out_;
  std::vector<bool> first_in_scope_;  // one entry per open object or array
  bool after_key_ = false;
};

// `text` as a JSON string literal, quotes included.
std::string JsonQuote(std::string_view text);

}  // namespace rapport
