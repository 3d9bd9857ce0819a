// JSONL event reader: one JSON object per line with the CSV column names as fields (matched
// case-insensitively; unknown fields are ignored). Parsed with simdjson's DOM API through error
// codes, so no exception leaves the module. Format reference: docs/formats.md.
//
// Thread-safety: one read per thread; the simdjson parser is owned by the read.
#include <fmt/format.h>
#include <simdjson.h>

#include <cstdint>
#include <string>

#include "rapport/core/text.h"
#include "record.h"

namespace rapport::ingest {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

constexpr std::string_view kTargetsHint =
    "list the identities it was addressed to in \"targets\", as a JSON array of strings";

std::string_view TypeName(element_type type) {
  switch (type) {
    case element_type::ARRAY:
      return "an array";
    case element_type::OBJECT:
      return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
      return "a number";
    case element_type::STRING:
      return "a string";
    case element_type::BOOL:
      return "a boolean";
    case element_type::NULL_VALUE:
      return "null";
  }
  return "a value";
}

Problem WrongType(std::string_view field, std::string_view expected, element value) {
  return Problem{
      fmt::format("\"{}\" must be {}, found {}", field, expected, TypeName(value.type())),
      "see docs/formats.md, JSONL events"};
}

// Whether the line stops inside a string or with brackets left open: then it was cut short.
bool LooksTruncated(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return in_string || depth > 0;
}

// An identity: a string, or an integer written as a number (SNAP-style ids).
std::optional<Problem> GetIdentity(std::string_view field, element value, std::string* out) {
  switch (value.type()) {
    case element_type::STRING: {
      std::string_view text;
      if (value.get_string().get(text) == simdjson::SUCCESS) *out = std::string(Trim(text));
      return std::nullopt;
    }
    case element_type::INT64: {
      int64_t number = 0;
      if (value.get_int64().get(number) == simdjson::SUCCESS) *out = std::to_string(number);
      return std::nullopt;
    }
    case element_type::UINT64: {
      uint64_t number = 0;
      if (value.get_uint64().get(number) == simdjson::SUCCESS) *out = std::to_string(number);
      return std::nullopt;
    }
    default:
      return WrongType(field, "a string", value);
  }
}

std::optional<Problem> GetNumber(std::string_view field, element value, double* out) {
  if (!value.is_number()) return WrongType(field, "a number", value);
  double number = 0;
  if (value.get_double().get(number) != simdjson::SUCCESS)
    return WrongType(field, "a number", value);
  *out = number;
  return std::nullopt;
}

std::optional<Problem> GetString(std::string_view field, element value, std::string_view* out) {
  if (value.get_string().get(*out) != simdjson::SUCCESS) return WrongType(field, "a string", value);
  return std::nullopt;
}

class JsonlReader {
 public:
  JsonlReader(LineReader& lines, ReadContext& context) : lines_(lines), context_(context) {}

  Status Run() {
    Line line;
    while (lines_.Next(&line)) {
      if (!line.too_long && Trim(line.text).empty()) continue;
      if (!context_.BeginRecord(line)) continue;
      Event event;
      if (std::optional<Problem> problem = Parse(line, &event)) {
        context_.RejectLine(line, std::move(*problem));
        continue;
      }
      content_.clear();
      AppendEventContent(event, &content_);
      RAPPORT_RETURN_IF_ERROR(context_.Emit(line, std::move(event), content_));
    }
    return lines_.status();
  }

 private:
  std::optional<Problem> Parse(const Line& line, Event* event) {
    element root;
    simdjson::error_code error = parser_.parse(line.text.data(), line.text.size()).get(root);
    if (error != simdjson::SUCCESS) {
      if (LooksTruncated(line.text)) {
        std::string reason = "truncated JSON object: the line ends before the object is closed";
        if (line.unterminated) {
          reason += "; the file ends without a newline, so the last line looks truncated";
        }
        return Problem{std::move(reason), "write one complete JSON object per line"};
      }
      return Problem{fmt::format("malformed JSON: {}", simdjson::error_message(error)),
                     "write one complete JSON object per line"};
    }
    simdjson::dom::object object;
    if (root.get_object().get(object) != simdjson::SUCCESS) {
      return Problem{fmt::format("expected a JSON object, found {}", TypeName(root.type())),
                     "write one JSON object per line"};
    }
    bool have_time = false, have_channel = false, have_kind = false, have_actor = false;
    std::optional<bool> is_private;
    for (simdjson::dom::key_value_pair field : object) {
      element value = field.value;
      if (value.is_null()) continue;  // null means "not given"
      std::string key = AsciiLower(field.key);
      if (key == "time") {
        std::string_view text;
        if (value.get_string().get(text) == simdjson::SUCCESS) {
          if (auto problem = ParseTimeField(text, &event->time)) return problem;
        } else if (value.is_number()) {
          if (auto problem = GetNumber("time", value, &event->time)) return problem;
        } else {
          return WrongType("time", "a number (epoch seconds) or a string", value);
        }
        have_time = true;
      } else if (key == "channel") {
        std::string_view text;
        if (auto problem = GetString("channel", value, &text)) return problem;
        if (auto problem = ParseChannelField(text, &event->channel)) return problem;
        have_channel = true;
      } else if (key == "kind") {
        std::string_view text;
        if (auto problem = GetString("kind", value, &text)) return problem;
        if (auto problem = ParseKindField(text, &event->kind)) return problem;
        have_kind = true;
      } else if (key == "actor") {
        if (auto problem = GetIdentity("actor", value, &event->actor)) return problem;
        have_actor = true;
      } else if (key == "targets") {
        event->targets.clear();
        simdjson::dom::array items;
        std::string_view text;
        if (value.get_array().get(items) == simdjson::SUCCESS) {
          for (element item : items) {
            std::string target;
            if (auto problem = GetIdentity("targets", item, &target)) {
              problem->reason =
                  fmt::format("\"targets\" must hold strings, found {}", TypeName(item.type()));
              return problem;
            }
            SplitTargets(target, &event->targets);
          }
        } else if (value.get_string().get(text) == simdjson::SUCCESS) {
          SplitTargets(text, &event->targets);
        } else {
          return WrongType("targets", "an array of strings", value);
        }
      } else if (key == "private") {
        bool flag = false;
        if (value.get_bool().get(flag) != simdjson::SUCCESS) {
          return WrongType("private", "true or false", value);
        }
        is_private = flag;
      } else if (key == "duration") {
        if (auto problem = GetNumber("duration", value, &event->duration)) return problem;
        if (auto problem = CheckDuration(event->duration)) return problem;
      } else if (key == "effort") {
        double effort = 0;
        if (auto problem = GetNumber("effort", value, &effort)) return problem;
        if (auto problem = CheckEffort(effort)) return problem;
        event->effort = effort;
      } else if (key == "valence") {
        if (auto problem = GetNumber("valence", value, &event->valence)) return problem;
        if (auto problem = CheckValence(event->valence)) return problem;
      } else if (key == "native_id") {
        if (auto problem = GetIdentity("native_id", value, &event->native_id)) return problem;
      } else if (key == "text") {
        std::string_view text;
        if (auto problem = GetString("text", value, &text)) return problem;
        if (context_.options().keep_text) event->text = std::string(text);
      }
    }
    for (auto [have, name] : {std::pair{have_time, "time"}, std::pair{have_channel, "channel"},
                              std::pair{have_kind, "kind"}, std::pair{have_actor, "actor"}}) {
      if (!have) {
        return Problem{fmt::format("missing field \"{}\"", name),
                       "every object needs time, channel, kind and actor"};
      }
    }
    if (auto problem = CheckEventRules(*event, kTargetsHint)) return problem;
    event->is_private = is_private.value_or(DefaultPrivate(event->channel, event->kind));
    return std::nullopt;
  }

  LineReader& lines_;
  ReadContext& context_;
  simdjson::dom::parser parser_;
  std::string content_;
};

}  // namespace

Status ReadJsonl(LineReader& lines, ReadContext& context) {
  return JsonlReader(lines, context).Run();
}

}  // namespace rapport::ingest
