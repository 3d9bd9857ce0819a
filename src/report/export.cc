// The export formats (export.h). One view of the run (people in score order, ties strongest
// first, each tie oriented from the person with the smaller id) is flattened into named, typed
// fields, which each writer lays out its own way, so that the formats cannot drift apart.
#include "rapport/report/export.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <pugixml.hpp>
#include <sstream>
#include <vector>

#include "rapport/core/json_writer.h"
#include "rapport/core/text.h"
#include "rapport/core/time.h"
#include "rapport/ingest/line_reader.h"
#include "rapport/report/output.h"

namespace rapport::report {
namespace {

enum class ValueType { kString, kInt, kDouble };

struct Field {
  std::string_view name;
  ValueType type = ValueType::kDouble;
  double number = 0;  // kInt and kDouble
  std::string text;   // kString
};

Field NumberField(std::string_view name, double value) {
  return {name, ValueType::kDouble, value, {}};
}
Field IntField(std::string_view name, int64_t value) {
  return {name, ValueType::kInt, static_cast<double>(value), {}};
}
Field TextField(std::string_view name, std::string value) {
  return {name, ValueType::kString, 0, std::move(value)};
}

double RoundScore(double score) { return std::round(score * 100) / 100; }

// A person's fields after id and name, in the column order of `score --format csv`.
std::vector<Field> PersonFields(const score::PersonScore& p) {
  return {NumberField("volume_score", RoundScore(p.volume_score)),
          NumberField("rapport_score", RoundScore(p.rapport_score)),
          NumberField("activity", p.volume.activity),
          NumberField("amplification", p.volume.amplification),
          NumberField("engagers", p.volume.engagers),
          NumberField("mentions", p.volume.mentions),
          NumberField("volume_raw", p.volume.raw),
          NumberField("standing", p.rapport.standing),
          NumberField("propagation", p.rapport.propagation),
          NumberField("depth", p.rapport.depth),
          IntField("strong_ties", p.rapport.strong_ties),
          NumberField("breadth", p.rapport.breadth),
          NumberField("rapport_raw", p.rapport.raw),
          IntField("ties", p.ties)};
}

// A tie's fields after the two people and the strength, in the column order of `ties --all
// --format csv`. `out` is 0 when the first person is the pair's u, 1 when it is v.
std::vector<Field> TieFields(const graph::PairRecord& record, double warmth,
                             const score::FeatureVector& features, int out) {
  std::vector<Field> fields = {NumberField("warmth", warmth),
                               TextField("channels", ChannelList(record.channel_mask)),
                               TextField("first_contact", FormatTime(record.first)),
                               TextField("last_contact", FormatTime(record.last)),
                               IntField("events_out", record.count[out]),
                               IntField("events_in", record.count[1 - out])};
  for (int f = 0; f < kFeatureCount; ++f)
    fields.push_back(NumberField(FeatureName(f), features[f]));
  return fields;
}

// The field lists with their names and types only, for headers and declarations.
std::vector<Field> PersonSchema() { return PersonFields(score::PersonScore{}); }
std::vector<Field> TieSchema() { return TieFields(graph::PairRecord{}, 0, {}, 0); }

struct ExportedTie {
  uint32_t pair = 0;
  const score::PersonScore* first = nullptr;  // the one with the smaller id
  const score::PersonScore* second = nullptr;
  int out = 0;  // 0 when `first` is the pair's u
};

struct View {
  std::vector<const score::PersonScore*> people;  // as in run.people: by rapport score
  std::vector<ExportedTie> ties;                  // strongest first
};

View MakeView(const score::ScoreRun& run, const ExportOptions& options) {
  View view;
  std::vector<const score::PersonScore*> by_index(run.pairs.person_count, nullptr);
  for (const score::PersonScore& person : run.people) {
    view.people.push_back(&person);
    if (person.index < by_index.size()) by_index[person.index] = &person;
  }
  for (uint32_t i = 0; i < run.pairs.pairs.size(); ++i) {
    if (run.ties.strength[i] < options.min_strength) continue;
    const graph::PairRecord& record = run.pairs.pairs[i];
    const score::PersonScore* u = by_index[record.u];
    const score::PersonScore* v = by_index[record.v];
    if (u == nullptr || v == nullptr) continue;  // every tie's ends are scored; be safe anyway
    view.ties.push_back(u->id <= v->id ? ExportedTie{i, u, v, 0} : ExportedTie{i, v, u, 1});
  }
  std::stable_sort(view.ties.begin(), view.ties.end(),
                   [&](const ExportedTie& a, const ExportedTie& b) {
                     return run.ties.strength[a.pair] > run.ties.strength[b.pair];
                   });
  return view;
}

std::vector<Field> FieldsOf(const score::ScoreRun& run, const ExportedTie& tie) {
  return TieFields(run.pairs.pairs[tie.pair], run.warmth[tie.pair], run.ties.features[tie.pair],
                   tie.out);
}

// Six significant digits; NaN and infinities in the spelling both Java and Python parse.
std::string FormatNumber(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  std::string out;
  AppendNumber(out, value, 6, NumberStyle::kGeneral);
  return out;
}

std::string FormatValue(const Field& field) {
  switch (field.type) {
    case ValueType::kString:
      return field.text;
    case ValueType::kInt:
      return fmt::format("{}", static_cast<int64_t>(field.number));
    case ValueType::kDouble:
      break;
  }
  return FormatNumber(field.number);
}

std::string CsvField(std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// XML helpers. Every value goes through XmlSafe; pugixml escapes what needs escaping.
void SetAttribute(pugi::xml_node node, const char* name, std::string_view value) {
  node.append_attribute(name).set_value(XmlSafe(value).c_str());
}

void AddDeclaration(pugi::xml_document& document) {
  pugi::xml_node declaration = document.append_child(pugi::node_declaration);
  declaration.append_attribute("version").set_value("1.0");
  declaration.append_attribute("encoding").set_value("UTF-8");
}

std::string Serialize(const pugi::xml_document& document) {
  std::ostringstream out;
  document.save(out, "  ", pugi::format_indent, pugi::encoding_utf8);
  return out.str();
}

const char* GraphMlType(ValueType type) {
  switch (type) {
    case ValueType::kString:
      return "string";
    case ValueType::kInt:
      return "int";
    case ValueType::kDouble:
      break;
  }
  return "double";
}

const char* GexfType(ValueType type) {
  switch (type) {
    case ValueType::kString:
      return "string";
    case ValueType::kInt:
      return "integer";
    case ValueType::kDouble:
      break;
  }
  return "double";
}

// GraphML key ids are unique over graph, node and edge keys: "g_as_of", "n_depth", "e_weight".
std::string GraphMlKeyId(std::string_view domain, std::string_view name) {
  return fmt::format("{}_{}", domain.front(), name);
}

}  // namespace

Result<ExportFormat> ParseExportFormat(std::string_view name) {
  if (name == "graphml") return ExportFormat::kGraphMl;
  if (name == "gexf") return ExportFormat::kGexf;
  if (name == "csv") return ExportFormat::kCsv;
  if (name == "json") return ExportFormat::kJson;
  return InvalidArgument(
      fmt::format("unknown export format \"{}\"; use graphml, gexf, csv or json", name));
}

std::string XmlSafe(std::string_view text) {
  constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const size_t invalid = ingest::FindInvalidUtf8(text);
    const std::string_view valid = text.substr(0, invalid);
    for (size_t i = 0; i < valid.size(); ++i) {
      const auto byte = static_cast<unsigned char>(valid[i]);
      if (byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r') {
        out += kReplacement;  // C0 controls are not XML 1.0 characters, not even as &#N;
        continue;
      }
      // Nor are U+FFFE and U+FFFF (EF BF BE, EF BF BF).
      if (byte == 0xEF && i + 2 < valid.size() &&
          static_cast<unsigned char>(valid[i + 1]) == 0xBF &&
          (static_cast<unsigned char>(valid[i + 2]) & 0xFE) == 0xBE) {
        out += kReplacement;
        i += 2;
        continue;
      }
      out += valid[i];
    }
    if (invalid == std::string_view::npos) break;
    out += kReplacement;
    text.remove_prefix(invalid + 1);
  }
  return out;
}

std::string ExportGraphMl(const score::ScoreRun& run, const ExportOptions& options) {
  const View view = MakeView(run, options);
  pugi::xml_document document;
  AddDeclaration(document);
  pugi::xml_node root = document.append_child("graphml");
  SetAttribute(root, "xmlns", "http://graphml.graphdrawing.org/xmlns");
  SetAttribute(root, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
  SetAttribute(root, "xsi:schemaLocation",
               "http://graphml.graphdrawing.org/xmlns "
               "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd");
  auto add_key = [&](std::string_view domain, std::string_view name, ValueType type) {
    pugi::xml_node key = root.append_child("key");
    SetAttribute(key, "id", GraphMlKeyId(domain, name));
    SetAttribute(key, "for", domain);
    SetAttribute(key, "attr.name", name);
    SetAttribute(key, "attr.type", GraphMlType(type));
  };
  add_key("graph", "as_of", ValueType::kString);
  add_key("graph", "min_strength", ValueType::kDouble);
  add_key("node", "label", ValueType::kString);
  for (const Field& field : PersonSchema()) add_key("node", field.name, field.type);
  add_key("edge", "weight", ValueType::kDouble);
  for (const Field& field : TieSchema()) add_key("edge", field.name, field.type);

  pugi::xml_node graph = root.append_child("graph");
  SetAttribute(graph, "id", "rapport");
  SetAttribute(graph, "edgedefault", "undirected");
  auto add_data = [](pugi::xml_node element, std::string_view domain, std::string_view name,
                     std::string_view value) {
    pugi::xml_node data = element.append_child("data");
    SetAttribute(data, "key", GraphMlKeyId(domain, name));
    data.text().set(XmlSafe(value).c_str());
  };
  add_data(graph, "graph", "as_of", FormatTime(run.as_of));
  add_data(graph, "graph", "min_strength", FormatNumber(options.min_strength));
  for (const score::PersonScore* person : view.people) {
    pugi::xml_node node = graph.append_child("node");
    SetAttribute(node, "id", std::to_string(person->id));
    add_data(node, "node", "label", person->name);
    for (const Field& field : PersonFields(*person)) {
      add_data(node, "node", field.name, FormatValue(field));
    }
  }
  for (size_t i = 0; i < view.ties.size(); ++i) {
    const ExportedTie& tie = view.ties[i];
    pugi::xml_node edge = graph.append_child("edge");
    SetAttribute(edge, "id", fmt::format("e{}", i));
    SetAttribute(edge, "source", std::to_string(tie.first->id));
    SetAttribute(edge, "target", std::to_string(tie.second->id));
    add_data(edge, "edge", "weight", FormatNumber(run.ties.strength[tie.pair]));
    for (const Field& field : FieldsOf(run, tie)) {
      add_data(edge, "edge", field.name, FormatValue(field));
    }
  }
  return Serialize(document);
}

std::string ExportGexf(const score::ScoreRun& run, const ExportOptions& options) {
  const View view = MakeView(run, options);
  pugi::xml_document document;
  AddDeclaration(document);
  pugi::xml_node root = document.append_child("gexf");
  SetAttribute(root, "xmlns", "http://www.gexf.net/1.2draft");
  SetAttribute(root, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
  SetAttribute(root, "xsi:schemaLocation",
               "http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd");
  SetAttribute(root, "version", "1.2");
  pugi::xml_node meta = root.append_child("meta");
  SetAttribute(meta, "lastmodifieddate", FormatDate(run.as_of));
  meta.append_child("creator").text().set("rapport");
  meta.append_child("description")
      .text()
      .set(fmt::format("Relationships and scores as of {}; ties at least {} strong",
                       FormatTime(run.as_of), FormatNumber(options.min_strength))
               .c_str());

  pugi::xml_node graph = root.append_child("graph");
  SetAttribute(graph, "mode", "static");
  SetAttribute(graph, "defaultedgetype", "undirected");
  auto declare = [&](const char* element_class, const std::vector<Field>& schema) {
    pugi::xml_node attributes = graph.append_child("attributes");
    SetAttribute(attributes, "class", element_class);
    SetAttribute(attributes, "mode", "static");
    for (const Field& field : schema) {
      pugi::xml_node attribute = attributes.append_child("attribute");
      SetAttribute(attribute, "id", field.name);
      SetAttribute(attribute, "title", field.name);
      SetAttribute(attribute, "type", GexfType(field.type));
    }
  };
  declare("node", PersonSchema());
  declare("edge", TieSchema());
  auto add_values = [](pugi::xml_node element, const std::vector<Field>& fields) {
    pugi::xml_node values = element.append_child("attvalues");
    for (const Field& field : fields) {
      pugi::xml_node value = values.append_child("attvalue");
      SetAttribute(value, "for", field.name);
      SetAttribute(value, "value", FormatValue(field));
    }
  };
  pugi::xml_node nodes = graph.append_child("nodes");
  for (const score::PersonScore* person : view.people) {
    pugi::xml_node node = nodes.append_child("node");
    SetAttribute(node, "id", std::to_string(person->id));
    SetAttribute(node, "label", person->name);
    add_values(node, PersonFields(*person));
  }
  pugi::xml_node edges = graph.append_child("edges");
  for (size_t i = 0; i < view.ties.size(); ++i) {
    const ExportedTie& tie = view.ties[i];
    pugi::xml_node edge = edges.append_child("edge");
    SetAttribute(edge, "id", std::to_string(i));
    SetAttribute(edge, "source", std::to_string(tie.first->id));
    SetAttribute(edge, "target", std::to_string(tie.second->id));
    SetAttribute(edge, "weight", FormatNumber(run.ties.strength[tie.pair]));
    add_values(edge, FieldsOf(run, tie));
  }
  return Serialize(document);
}

std::string ExportJson(const score::ScoreRun& run, const ExportOptions& options) {
  const View view = MakeView(run, options);
  JsonWriter json;
  json.BeginObject().Key("as_of").String(FormatTime(run.as_of));
  json.Key("min_strength").Number(options.min_strength);
  json.Key("people").BeginArray();
  for (const score::PersonScore* p : view.people) {
    json.BeginObject();
    json.Key("id").Int(p->id).Key("name").String(p->name);
    json.Key("volume_score").Number(RoundScore(p->volume_score));
    json.Key("rapport_score").Number(RoundScore(p->rapport_score));
    json.Key("components").BeginObject();
    json.Key("volume").BeginObject();
    json.Key("activity").Number(p->volume.activity);
    json.Key("amplification").Number(p->volume.amplification);
    json.Key("engagers").Number(p->volume.engagers);
    json.Key("mentions").Number(p->volume.mentions);
    json.Key("raw").Number(p->volume.raw);
    json.EndObject();
    json.Key("rapport").BeginObject();
    json.Key("standing").Number(p->rapport.standing);
    json.Key("propagation").Number(p->rapport.propagation);
    json.Key("depth").Number(p->rapport.depth);
    json.Key("strong_ties").Int(p->rapport.strong_ties);
    json.Key("breadth").Number(p->rapport.breadth);
    json.Key("raw").Number(p->rapport.raw);
    json.EndObject();
    json.EndObject();
    json.Key("ties").Int(p->ties);
    json.EndObject();
  }
  json.EndArray();
  json.Key("ties").BeginArray();
  for (const ExportedTie& tie : view.ties) {
    const graph::PairRecord& record = run.pairs.pairs[tie.pair];
    json.BeginObject();
    json.Key("person_id").Int(tie.first->id).Key("person").String(tie.first->name);
    json.Key("other_id").Int(tie.second->id).Key("other").String(tie.second->name);
    json.Key("strength").Number(run.ties.strength[tie.pair]);
    json.Key("warmth").Number(run.warmth[tie.pair]);
    json.Key("channels").String(ChannelList(record.channel_mask));
    json.Key("first_contact").String(FormatTime(record.first));
    json.Key("last_contact").String(FormatTime(record.last));
    json.Key("events_out").Int(record.count[tie.out]);
    json.Key("events_in").Int(record.count[1 - tie.out]);
    json.Key("features").BeginObject();
    for (int f = 0; f < kFeatureCount; ++f) {
      json.Key(FeatureName(f)).Number(run.ties.features[tie.pair][f]);
    }
    json.EndObject();
    json.EndObject();
  }
  json.EndArray().EndObject();
  return json.str() + "\n";
}

std::string ExportPeopleCsv(const score::ScoreRun& run) {
  const View view = MakeView(run, ExportOptions{});
  std::string out = "id,name";
  for (const Field& field : PersonSchema()) out += fmt::format(",{}", field.name);
  out += "\n";
  for (const score::PersonScore* person : view.people) {
    out += fmt::format("{},{}", person->id, CsvField(person->name));
    for (const Field& field : PersonFields(*person)) {
      out += ',';
      out += CsvField(FormatValue(field));
    }
    out += "\n";
  }
  return out;
}

std::string ExportTiesCsv(const score::ScoreRun& run, const ExportOptions& options) {
  const View view = MakeView(run, options);
  std::string out = "person_id,person,other_id,other,strength";
  for (const Field& field : TieSchema()) out += fmt::format(",{}", field.name);
  out += "\n";
  for (const ExportedTie& tie : view.ties) {
    out += fmt::format("{},{},{},{},{}", tie.first->id, CsvField(tie.first->name), tie.second->id,
                       CsvField(tie.second->name), FormatNumber(run.ties.strength[tie.pair]));
    for (const Field& field : FieldsOf(run, tie)) {
      out += ',';
      out += CsvField(FormatValue(field));
    }
    out += "\n";
  }
  return out;
}

}  // namespace rapport::report
