// Splitting archive JSON into records, and the field helpers the social archive readers share
// (see social_json.h). Thread-safety: pure functions; a scanner belongs to one thread.
#include "social_json.h"

#include <algorithm>

namespace rapport::ingest {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// The offset just after the string that opens at data[pos] == '"', or npos when it is not closed.
size_t SkipString(std::string_view data, size_t pos) {
  for (size_t i = pos + 1; i < data.size(); ++i) {
    if (data[i] == '\\') {
      ++i;
    } else if (data[i] == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// The offset just after the value that starts at data[pos], or npos when the data ends inside it.
size_t SkipValue(std::string_view data, size_t pos) {
  if (pos >= data.size()) return std::string_view::npos;
  if (data[pos] == '"') return SkipString(data, pos);
  if (data[pos] == '{' || data[pos] == '[') {
    int64_t depth = 0;
    for (size_t i = pos; i < data.size(); ++i) {
      char c = data[i];
      if (c == '"') {
        i = SkipString(data, i);
        if (i == std::string_view::npos) return i;
        --i;  // the loop's increment steps past the closing quote
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) return i + 1;
      }
    }
    return std::string_view::npos;
  }
  size_t i = pos;
  while (i < data.size() && !IsSpace(data[i]) && data[i] != ',' && data[i] != '}' &&
         data[i] != ']') {
    ++i;
  }
  return i;
}

size_t SkipSpace(std::string_view data, size_t pos) {
  while (pos < data.size() && IsSpace(data[pos])) ++pos;
  return pos;
}

}  // namespace

JsonArrayScanner::JsonArrayScanner(std::string_view data, size_t open) : data_(data), pos_(0) {
  Advance(std::min(open + 1, data.size()));
}

void JsonArrayScanner::Advance(size_t to) {
  line_ += std::count(data_.begin() + static_cast<std::ptrdiff_t>(pos_),
                      data_.begin() + static_cast<std::ptrdiff_t>(to), '\n');
  pos_ = to;
}

bool JsonArrayScanner::Next(Line* record) {
  if (done_) return false;
  Advance(SkipSpace(data_, pos_));
  if (pos_ >= data_.size()) {
    done_ = true;
    return false;
  }
  if (data_[pos_] == ']') {  // "[]" or a trailing comma: the array ends
    Advance(pos_ + 1);
    closed_ = true;
    done_ = true;
    return false;
  }
  const size_t start = pos_;
  *record = Line{};
  record->number = line_;
  record->byte_offset = static_cast<int64_t>(start);
  int64_t depth = 0;
  size_t i = start;
  for (; i < data_.size(); ++i) {
    char c = data_[i];
    if (c == '"') {
      size_t after = SkipString(data_, i);
      if (after == std::string_view::npos) {
        i = data_.size();
        break;
      }
      i = after - 1;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth > 0) {
        --depth;
      } else if (c == ']') {
        break;  // the array's closing bracket
      }
      // A stray '}' stays in the element, which then fails to parse: the record is rejected.
    } else if (c == ',' && depth == 0) {
      break;
    }
  }
  size_t stop = i;
  while (stop > start && IsSpace(data_[stop - 1])) --stop;
  record->text = data_.substr(start, stop - start);
  record->length = static_cast<int64_t>(record->text.size());
  if (i >= data_.size()) {
    record->unterminated = true;
    done_ = true;
    Advance(data_.size());
    return true;
  }
  if (data_[i] == ']') {
    closed_ = true;
    done_ = true;
  }
  Advance(i + 1);
  return true;
}

int64_t LineOfOffset(std::string_view data, size_t offset) {
  offset = std::min(offset, data.size());
  return 1 + std::count(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
}

std::vector<size_t> FindTopLevelValues(std::string_view data, std::string_view key) {
  std::vector<size_t> found;
  size_t pos = SkipSpace(data, 0);
  if (pos >= data.size() || data[pos] != '{') return found;
  ++pos;
  while (true) {
    pos = SkipSpace(data, pos);
    if (pos >= data.size() || data[pos] != '"') return found;
    size_t key_end = SkipString(data, pos);
    if (key_end == std::string_view::npos) return found;
    std::string_view name = data.substr(pos + 1, key_end - pos - 2);
    pos = SkipSpace(data, key_end);
    if (pos >= data.size() || data[pos] != ':') return found;
    pos = SkipSpace(data, pos + 1);
    if (pos >= data.size()) return found;
    if (name == key) found.push_back(pos);
    pos = SkipValue(data, pos);
    if (pos == std::string_view::npos) return found;
    pos = SkipSpace(data, pos);
    if (pos >= data.size() || data[pos] != ',') return found;
    ++pos;
  }
}

std::optional<simdjson::dom::element> Field(simdjson::dom::element element, std::string_view key) {
  simdjson::dom::object object;
  if (element.get_object().get(object) != simdjson::SUCCESS) return std::nullopt;
  simdjson::dom::element value;
  if (object.at_key(key).get(value) != simdjson::SUCCESS) return std::nullopt;
  return value;
}

std::string_view StringField(simdjson::dom::element element, std::string_view key) {
  std::optional<simdjson::dom::element> value = Field(element, key);
  std::string_view text;
  if (!value || value->get_string().get(text) != simdjson::SUCCESS) return {};
  return text;
}

std::string_view IdField(simdjson::dom::element element, std::string_view key,
                         std::string* storage) {
  std::optional<simdjson::dom::element> value = Field(element, key);
  if (!value) return {};
  std::string_view text;
  if (value->get_string().get(text) == simdjson::SUCCESS) return text;
  int64_t signed_number = 0;
  uint64_t number = 0;
  if (value->get_uint64().get(number) == simdjson::SUCCESS) {
    *storage = std::to_string(number);
    return *storage;
  }
  if (value->get_int64().get(signed_number) == simdjson::SUCCESS) {
    *storage = std::to_string(signed_number);
    return *storage;
  }
  return {};
}

std::optional<UrlParts> SplitUrl(std::string_view url) {
  size_t scheme = 0;
  auto starts_with_ci = [&](std::string_view prefix) {
    if (url.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i) {
      char c = url[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != prefix[i]) return false;
    }
    return true;
  };
  if (starts_with_ci("https://")) {
    scheme = 8;
  } else if (starts_with_ci("http://")) {
    scheme = 7;
  } else {
    return std::nullopt;
  }
  std::string_view rest = url.substr(scheme);
  size_t host_end = rest.find_first_of("/?#");
  if (host_end == std::string_view::npos) host_end = rest.size();
  UrlParts parts;
  parts.host = std::string(rest.substr(0, host_end));
  for (char& c : parts.host) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (parts.host.empty()) return std::nullopt;
  parts.path = rest.substr(host_end);
  return parts;
}

double EpochSeconds(int64_t year, int month, int day, int hour, int minute, int second) {
  // Days from 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "days_from_civil").
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  const int64_t days = era * 146097 + day_of_era - 719468;
  return static_cast<double>(days * 86400 + hour * 3600 + minute * 60 + second);
}

}  // namespace rapport::ingest
