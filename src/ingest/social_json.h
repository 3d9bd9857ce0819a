// Internal to the ingest module: what the X/Twitter and Mastodon archive readers share. Their files
// are one JSON document holding an array of records (X: `window.YTD.tweets.part0 = [ ... ]`,
// Mastodon: an OrderedCollection's "orderedItems"). JsonArrayScanner splits such an array into its
// elements without parsing them, so that each record is parsed on its own, keeps its own line
// number and byte offset for rejects, and a broken record costs only itself.
//
// Thread-safety: a scanner belongs to the single thread running one read.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rapport/ingest/line_reader.h"

namespace rapport::ingest {

// Splits the array that opens at data[open] == '[' into its elements. Strings (with escapes) are
// skipped as units, so brackets and commas inside them do not count.
class JsonArrayScanner {
 public:
  JsonArrayScanner(std::string_view data, size_t open);

  // Fills *record with the next element, trimmed of white space: its text, 1-based line number and
  // byte offset in `data`. Returns false after the last element. An empty element (",,", "[1,]")
  // is returned with empty text, so that the caller can count and reject it. When the data ends
  // before the array is closed, the last element is returned with record->unterminated set.
  bool Next(Line* record);

  // Whether the closing ']' was found, and the offset just after it.
  bool closed() const { return closed_; }
  size_t end() const { return pos_; }

 private:
  void Advance(size_t to);  // moves pos_ to `to`, counting newlines

  std::string_view data_;
  size_t pos_;
  int64_t line_ = 1;
  bool closed_ = false;
  bool done_ = false;
};

// The 1-based line of data[offset] (counts newlines before it; for rejects outside a scanner).
int64_t LineOfOffset(std::string_view data, size_t offset);

// The offset of the value of every top-level key `key` of the JSON object in `data` (a key may
// appear more than once: simdjson's DOM would keep both and its lookups see only the first).
// Stops quietly at the first syntax it cannot follow; the values themselves are not checked.
std::vector<size_t> FindTopLevelValues(std::string_view data, std::string_view key);

// Field access on a parsed record that tolerates missing fields and wrong types: an absent field,
// null or a non-string gives an empty view; a number is not converted.
std::string_view StringField(simdjson::dom::element element, std::string_view key);
// Like StringField, but an integer value is written in decimal into *storage and returned.
std::string_view IdField(simdjson::dom::element element, std::string_view key,
                         std::string* storage);
// The field as an element, or nullopt when absent.
std::optional<simdjson::dom::element> Field(simdjson::dom::element element, std::string_view key);

// The scheme-less, lower-cased host of an http(s) URL and the rest of it ("/@ann/1"); nullopt
// when `url` is not http(s).
struct UrlParts {
  std::string host;
  std::string_view path;
};
std::optional<UrlParts> SplitUrl(std::string_view url);

// Seconds since 1970 of a civil date and time in UTC.
double EpochSeconds(int64_t year, int month, int day, int hour, int minute, int second);

}  // namespace rapport::ingest
