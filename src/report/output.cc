#include "rapport/report/output.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <string>
#include <vector>

#include "rapport/core/json_writer.h"
#include "rapport/core/text.h"
#include "rapport/core/time.h"

namespace rapport::report {
namespace {

std::string Clip(const std::string& text, size_t width) {
  if (text.size() <= width) return text;
  return text.substr(0, width - 1) + "~";
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

// Everything a view needs about one tie, oriented from `person`'s side.
struct TieRow {
  uint32_t pair;
  PersonIndex person, other;
  double strength;
};

TieRow Orient(const score::ScoreRun& run, uint32_t pair, PersonIndex person) {
  const graph::PairRecord& record = run.pairs.pairs[pair];
  return TieRow{pair, person, record.u == person ? record.v : record.u, run.ties.strength[pair]};
}

// Names and ids by person index, from the scored people (every tie's ends are scored).
struct Directory {
  std::vector<std::string> name;
  std::vector<int64_t> id;
};

Directory MakeDirectory(const score::ScoreRun& run) {
  Directory directory;
  directory.name.resize(run.pairs.person_count);
  directory.id.resize(run.pairs.person_count);
  for (const score::PersonScore& person : run.people) {
    directory.name[person.index] = person.name;
    directory.id[person.index] = person.id;
  }
  return directory;
}

void WriteFeatures(JsonWriter& json, const score::ScoreRun& run, uint32_t pair) {
  json.Key("features").BeginObject();
  for (int f = 0; f < kFeatureCount; ++f) {
    json.Key(FeatureName(f)).Number(run.ties.features[pair][f]);
  }
  json.EndObject();
}

void WriteTieJson(JsonWriter& json, const score::ScoreRun& run, const Directory& directory,
                  const TieRow& row) {
  const graph::PairRecord& record = run.pairs.pairs[row.pair];
  const int out = record.u == row.person ? 0 : 1;
  json.BeginObject();
  json.Key("person_id").Int(directory.id[row.person]);
  json.Key("person").String(directory.name[row.person]);
  json.Key("other_id").Int(directory.id[row.other]);
  json.Key("other").String(directory.name[row.other]);
  json.Key("strength").Number(row.strength);
  json.Key("warmth").Number(run.warmth[row.pair]);
  json.Key("channels").String(ChannelList(record.channel_mask));
  json.Key("first_contact").String(FormatTime(record.first));
  json.Key("last_contact").String(FormatTime(record.last));
  json.Key("events_out").Int(record.count[out]);
  json.Key("events_in").Int(record.count[1 - out]);
  WriteFeatures(json, run, row.pair);
  json.EndObject();
}

}  // namespace

Result<OutputFormat> ParseOutputFormat(std::string_view name) {
  if (name == "table") return OutputFormat::kTable;
  if (name == "json") return OutputFormat::kJson;
  if (name == "csv") return OutputFormat::kCsv;
  return InvalidArgument(fmt::format("unknown output format \"{}\"; use table, json or csv", name));
}

std::string ChannelList(uint32_t channel_mask) {
  std::string out;
  for (int c = 0; c < kChannelCount; ++c) {
    if (channel_mask & (1u << c)) {
      if (!out.empty()) out += '+';
      out += ChannelName(static_cast<Channel>(c));
    }
  }
  return out;
}

namespace {

// The fields of one person's scores (inside an object): scores and components.
void WriteScoreFields(JsonWriter& json, const score::PersonScore& p) {
  json.Key("volume_score").Number(std::round(p.volume_score * 100) / 100);
  json.Key("rapport_score").Number(std::round(p.rapport_score * 100) / 100);
  json.Key("components").BeginObject();
  json.Key("volume").BeginObject();
  json.Key("activity").Number(p.volume.activity);
  json.Key("amplification").Number(p.volume.amplification);
  json.Key("engagers").Number(p.volume.engagers);
  json.Key("mentions").Number(p.volume.mentions);
  json.Key("raw").Number(p.volume.raw);
  json.EndObject();
  json.Key("rapport").BeginObject();
  json.Key("standing").Number(p.rapport.standing);
  json.Key("propagation").Number(p.rapport.propagation);
  json.Key("depth").Number(p.rapport.depth);
  json.Key("strong_ties").Int(p.rapport.strong_ties);
  json.Key("breadth").Number(p.rapport.breadth);
  json.Key("raw").Number(p.rapport.raw);
  json.EndObject();
  json.Key("ties").Int(p.ties);
  json.EndObject();
}

}  // namespace

std::string RenderScores(const score::ScoreRun& run, OutputFormat format, int top) {
  const size_t count =
      top > 0 ? std::min(run.people.size(), static_cast<size_t>(top)) : run.people.size();
  std::string out;
  if (format == OutputFormat::kJson) {
    JsonWriter json;
    json.BeginObject().Key("as_of").String(FormatTime(run.as_of));
    json.Key("people_scored").Int(static_cast<int64_t>(run.people.size()));
    json.Key("people").BeginArray();
    for (size_t i = 0; i < count; ++i) {
      const score::PersonScore& p = run.people[i];
      json.BeginObject();
      json.Key("id").Int(p.id).Key("name").String(p.name);
      WriteScoreFields(json, p);
      json.EndObject();
    }
    json.EndArray().EndObject();
    return json.str() + "\n";
  }
  if (format == OutputFormat::kCsv) {
    out =
        "id,name,volume_score,rapport_score,activity,amplification,engagers,mentions,volume_raw,"
        "standing,propagation,depth,strong_ties,breadth,rapport_raw,ties\n";
    // Blocks of rows formatted in parallel, then joined in order: formatting 13 numbers a
    // person took longer than recording everyone's scores (docs/BENCHMARKS.md).
    constexpr size_t kBlockRows = 4096;
    const auto blocks = static_cast<int64_t>((count + kBlockRows - 1) / kBlockRows);
    std::vector<std::string> formatted(static_cast<size_t>(blocks));
#pragma omp parallel for schedule(dynamic) if (blocks > 1)
    for (int64_t block = 0; block < blocks; ++block) {
      std::string& text = formatted[static_cast<size_t>(block)];
      const size_t end = std::min(count, static_cast<size_t>(block + 1) * kBlockRows);
      for (size_t i = static_cast<size_t>(block) * kBlockRows; i < end; ++i) {
        const score::PersonScore& p = run.people[i];
        // "{:.2f}" for the scores, "{:.6g}" for the components, in AppendNumber's faster way.
        AppendFormat(text, "{},{}", p.id, CsvField(p.name));
        for (const double score : {p.volume_score, p.rapport_score}) {
          text += ',';
          AppendNumber(text, score, 2, NumberStyle::kFixed);
        }
        for (const double component :
             {p.volume.activity, p.volume.amplification, p.volume.engagers, p.volume.mentions,
              p.volume.raw, p.rapport.standing, p.rapport.propagation, p.rapport.depth}) {
          text += ',';
          AppendNumber(text, component, 6, NumberStyle::kGeneral);
        }
        AppendFormat(text, ",{}", p.rapport.strong_ties);
        for (const double component : {p.rapport.breadth, p.rapport.raw}) {
          text += ',';
          AppendNumber(text, component, 6, NumberStyle::kGeneral);
        }
        AppendFormat(text, ",{}\n", p.ties);
      }
    }
    size_t bytes = out.size();
    for (const std::string& text : formatted) bytes += text.size();
    out.reserve(bytes);
    for (const std::string& text : formatted) out += text;
    return out;
  }
  out = fmt::format("Scores as of {} ({} people scored{})\n\n", FormatDate(run.as_of),
                    run.people.size(),
                    count < run.people.size() ? fmt::format(", top {} by rapport", count) : "");
  out += fmt::format("{:>5}  {:<24} {:>7} {:>7}  {:>5} {:>6} {:>6}\n", "rank", "name", "volume",
                     "rapport", "ties", "strong", "depth");
  for (size_t i = 0; i < count; ++i) {
    const score::PersonScore& p = run.people[i];
    out += fmt::format("{:>5}  {:<24} {:>7.1f} {:>7.1f}  {:>5} {:>6} {:>6.2f}\n", i + 1,
                       Clip(p.name, 24), p.volume_score, p.rapport_score, p.ties,
                       p.rapport.strong_ties, p.rapport.depth);
  }
  return out;
}

std::string RenderTies(const score::ScoreRun& run, std::optional<PersonIndex> person,
                       OutputFormat format, int top) {
  const Directory directory = MakeDirectory(run);
  std::vector<TieRow> rows;
  if (person) {
    for (const score::TieView& view : score::TiesOf(run, *person)) {
      rows.push_back(Orient(run, view.pair, *person));
    }
  } else {
    for (uint32_t i = 0; i < run.pairs.pairs.size(); ++i) {
      rows.push_back(Orient(run, i, run.pairs.pairs[i].u));
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [](const TieRow& a, const TieRow& b) { return a.strength > b.strength; });
  }
  if (top > 0 && rows.size() > static_cast<size_t>(top)) rows.resize(static_cast<size_t>(top));

  if (format == OutputFormat::kJson) {
    JsonWriter json;
    json.BeginObject().Key("as_of").String(FormatTime(run.as_of));
    if (person) {
      json.Key("person_id").Int(directory.id[*person]);
      json.Key("person").String(directory.name[*person]);
    }
    json.Key("ties").BeginArray();
    for (const TieRow& row : rows) WriteTieJson(json, run, directory, row);
    json.EndArray().EndObject();
    return json.str() + "\n";
  }
  if (format == OutputFormat::kCsv) {
    std::string out =
        "person_id,person,other_id,other,strength,warmth,channels,first_contact,"
        "last_contact,events_out,events_in";
    for (int f = 0; f < kFeatureCount; ++f) out += fmt::format(",{}", FeatureName(f));
    out += "\n";
    for (const TieRow& row : rows) {
      const graph::PairRecord& record = run.pairs.pairs[row.pair];
      const int dir = record.u == row.person ? 0 : 1;
      out += fmt::format("{},{},{},{},{:.6f},{:.6f},{},{},{},{},{}", directory.id[row.person],
                         CsvField(directory.name[row.person]), directory.id[row.other],
                         CsvField(directory.name[row.other]), row.strength, run.warmth[row.pair],
                         ChannelList(record.channel_mask), FormatTime(record.first),
                         FormatTime(record.last), record.count[dir], record.count[1 - dir]);
      for (int f = 0; f < kFeatureCount; ++f) {
        out += ',';
        AppendNumber(out, run.ties.features[row.pair][f], 6, NumberStyle::kGeneral);
      }
      out += "\n";
    }
    return out;
  }
  std::string out;
  if (person) {
    out = fmt::format("Ties of {} as of {} ({} shown)\n\n", directory.name[*person],
                      FormatDate(run.as_of), rows.size());
  } else {
    out = fmt::format("All ties as of {} ({} shown)\n\n", FormatDate(run.as_of), rows.size());
  }
  out += fmt::format("{:<20} {:<20} {:>8}  {:<10} {:<24} {:>9} {:>9} {:>7} {:>7} {:>7}\n", "person",
                     "other", "strength", "", "channels", "last", "out/in", "intens.", "recip.",
                     "regul.");
  for (const TieRow& row : rows) {
    const graph::PairRecord& record = run.pairs.pairs[row.pair];
    const int dir = record.u == row.person ? 0 : 1;
    const int bar = static_cast<int>(std::lround(row.strength * 10));
    out += fmt::format(
        "{:<20} {:<20} {:>8.3f}  {:<10} {:<24} {:>9} {:>9} {:>7.2f} {:>7.2f} {:>7.2f}\n",
        Clip(directory.name[row.person], 20), Clip(directory.name[row.other], 20), row.strength,
        std::string(static_cast<size_t>(bar), '#'), Clip(ChannelList(record.channel_mask), 24),
        FormatDate(record.last), fmt::format("{}/{}", record.count[dir], record.count[1 - dir]),
        run.ties.features[row.pair][static_cast<int>(Feature::kIntensity)],
        run.ties.features[row.pair][static_cast<int>(Feature::kReciprocity)],
        run.ties.features[row.pair][static_cast<int>(Feature::kRegularity)]);
  }
  return out;
}

std::string RenderExplain(const score::ScoreRun& run, PersonIndex person,
                          const std::map<uint32_t, std::vector<store::StoredEvent>>& interactions,
                          OutputFormat format, int top_ties) {
  const Directory directory = MakeDirectory(run);
  const score::PersonScore* score = nullptr;
  for (const score::PersonScore& p : run.people) {
    if (p.index == person) score = &p;
  }
  std::vector<score::TieView> ties = score::TiesOf(run, person);
  if (ties.size() > static_cast<size_t>(std::max(0, top_ties))) {
    ties.resize(static_cast<size_t>(std::max(0, top_ties)));
  }
  const Config& config = run.config;
  const RapportConfig& rc = config.rapport;
  const VolumeConfig& vc = config.volume;
  const double n = static_cast<double>(run.pairs.person_count);
  if (score == nullptr) {
    return fmt::format("{} has no events at or before {}: nothing to explain.\n",
                       directory.name[person], FormatDate(run.as_of));
  }
  const score::RapportComponents& r = score->rapport;
  const score::VolumeComponents& v = score->volume;
  struct Part {
    const char* name;
    const char* formula;
    double input, value, weight;
  };
  const std::vector<Part> rapport_parts = {
      {"propagation", "log(1 + N x standing)", r.standing * n, r.propagation, rc.w_propagation},
      {"depth", "sum of the strongest live tie strengths", r.depth, r.depth, rc.w_depth},
      {"breadth", "log(1 + strong ties, counted smoothly)", r.strong_tie_count, r.breadth,
       rc.w_breadth}};
  const std::vector<Part> volume_parts = {
      {"activity", "log(1 + own actions, decayed)", v.activity, std::log1p(v.activity),
       vc.w_activity},
      {"amplification", "log(1 + shares and likes received)", v.amplification,
       std::log1p(v.amplification), vc.w_amplification},
      {"engagers", "log(1 + distinct people engaging)", v.engagers, std::log1p(v.engagers),
       vc.w_engagers},
      {"mentions", "log(1 + mentions, replies, comments received)", v.mentions,
       std::log1p(v.mentions), vc.w_mentions}};

  if (format == OutputFormat::kJson) {
    JsonWriter json;
    json.BeginObject().Key("as_of").String(FormatTime(run.as_of));
    json.Key("id").Int(score->id).Key("name").String(score->name);
    auto write_score = [&](const char* key, double value, double raw,
                           const score::CurveReference& ref, const std::vector<Part>& parts) {
      json.Key(key).BeginObject();
      json.Key("score").Number(std::round(value * 100) / 100);
      json.Key("raw").Number(raw);
      json.Key("population").BeginObject();
      json.Key("min_raw").Number(ref.lo).Key("median_raw").Number(ref.median);
      json.Key("p95_raw").Number(ref.p95).EndObject();
      json.Key("components").BeginArray();
      for (const Part& part : parts) {
        json.BeginObject().Key("name").String(part.name).Key("formula").String(part.formula);
        json.Key("input").Number(part.input).Key("value").Number(part.value);
        json.Key("weight").Number(part.weight).Key("contribution").Number(part.value * part.weight);
        json.EndObject();
      }
      json.EndArray().EndObject();
    };
    write_score("rapport", score->rapport_score, r.raw, run.rapport_reference, rapport_parts);
    write_score("volume", score->volume_score, v.raw, run.volume_reference, volume_parts);
    json.Key("ties").BeginArray();
    for (const score::TieView& view : ties) {
      const TieRow row = Orient(run, view.pair, person);
      json.BeginObject();
      json.Key("other_id")
          .Int(directory.id[row.other])
          .Key("other")
          .String(directory.name[row.other]);
      json.Key("strength").Number(row.strength);
      json.Key("channels").String(ChannelList(run.pairs.pairs[row.pair].channel_mask));
      json.Key("logit_bias").Number(config.tie.bias);
      json.Key("features").BeginArray();
      for (int f = 0; f < kFeatureCount; ++f) {
        const double x = run.ties.features[row.pair][f];
        json.BeginObject().Key("name").String(FeatureName(f)).Key("value").Number(x);
        json.Key("contribution").Number(score::FeatureContribution(config.tie, f, x));
        json.EndObject();
      }
      json.EndArray();
      json.Key("interactions").BeginArray();
      if (auto it = interactions.find(row.pair); it != interactions.end()) {
        for (const store::StoredEvent& stored : it->second) {
          json.BeginObject().Key("event_id").Int(stored.id);
          json.Key("time").String(FormatTime(stored.event.time));
          json.Key("channel").String(ChannelName(stored.event.channel));
          json.Key("kind").String(KindName(stored.event.kind));
          json.Key("actor").String(stored.event.actor);
          json.Key("target").String(stored.event.targets.empty() ? "" : stored.event.targets[0]);
          if (!stored.event.text.empty()) json.Key("text").String(stored.event.text);
          json.EndObject();
        }
      }
      json.EndArray();
      json.EndObject();
    }
    json.EndArray().EndObject();
    return json.str() + "\n";
  }

  std::string out =
      fmt::format("{} (#{}), as of {}\n\n", score->name, score->id, FormatDate(run.as_of));
  auto write_parts = [&](const char* title, double value, double raw,
                         const score::CurveReference& ref, const std::vector<Part>& parts) {
    out += fmt::format(
        "{} {:.1f}  (raw {:.3f}; population raw: median {:.3f} -> {}, "
        "95th percentile {:.3f} -> {})\n",
        title, value, raw, ref.median, config.curve.median_score, ref.p95, config.curve.p95_score);
    for (const Part& part : parts) {
      out +=
          fmt::format("  {:<14} {:<46} {:>9.3f} -> {:>7.3f} x {:<4} = {:>7.3f}\n", part.name,
                      part.formula, part.input, part.value, part.weight, part.value * part.weight);
    }
    out += "\n";
  };
  write_parts("Rapport score", score->rapport_score, r.raw, run.rapport_reference, rapport_parts);
  write_parts("Volume score", score->volume_score, v.raw, run.volume_reference, volume_parts);
  out += fmt::format(
      "Strongest ties ({} of {}); strength = 1 / (1 + e^-z), z = {:+.2f} (bias) + "
      "the contributions below\n",
      ties.size(), score->ties, config.tie.bias);
  int rank = 0;
  for (const score::TieView& view : ties) {
    const TieRow row = Orient(run, view.pair, person);
    const graph::PairRecord& record = run.pairs.pairs[row.pair];
    const int dir = record.u == person ? 0 : 1;
    out += fmt::format("\n{:>3}. {}  strength {:.3f}  via {}  ({} out, {} in; {} .. {})\n", ++rank,
                       directory.name[row.other], row.strength, ChannelList(record.channel_mask),
                       record.count[dir], record.count[1 - dir], FormatDate(record.first),
                       FormatDate(record.last));
    std::string line = "     ";
    for (int f = 0; f < kFeatureCount; ++f) {
      const double x = run.ties.features[row.pair][f];
      line += fmt::format("{} {:.2f} ({:+.2f})", FeatureName(f), x,
                          score::FeatureContribution(config.tie, f, x));
      line += f + 1 < kFeatureCount ? (f % 4 == 3 ? "\n     " : ", ") : "\n";
    }
    out += line;
    if (auto it = interactions.find(row.pair); it != interactions.end()) {
      for (const store::StoredEvent& stored : it->second) {
        const Event& e = stored.event;
        out += fmt::format("       {} {:<9} {:<8} {} -> {}{}\n", FormatDate(e.time),
                           ChannelName(e.channel), KindName(e.kind), e.actor,
                           e.targets.empty() ? "" : e.targets[0],
                           e.text.empty() ? "" : fmt::format("  \"{}\"", Clip(e.text, 60)));
      }
    }
  }
  return out;
}

std::string RenderCooling(const score::ScoreRun& run, const std::vector<score::CoolingTie>& ties,
                          OutputFormat format) {
  const Directory directory = MakeDirectory(run);
  if (format == OutputFormat::kJson) {
    JsonWriter json;
    json.BeginObject().Key("as_of").String(FormatTime(run.as_of));
    json.Key("cooling").BeginArray();
    for (const score::CoolingTie& tie : ties) {
      json.BeginObject();
      json.Key("person_id")
          .Int(directory.id[tie.person])
          .Key("person")
          .String(directory.name[tie.person]);
      json.Key("other_id")
          .Int(directory.id[tie.other])
          .Key("other")
          .String(directory.name[tie.other]);
      json.Key("strength_then").Number(tie.strength_then);
      json.Key("strength_now").Number(tie.strength_now);
      json.Key("last_contact").String(FormatTime(tie.last_contact));
      json.Key("usual_gap_days").Number(tie.usual_gap_days);
      json.Key("silence_days").Number(tie.silence_days);
      json.EndObject();
    }
    json.EndArray().EndObject();
    return json.str() + "\n";
  }
  if (format == OutputFormat::kCsv) {
    std::string out =
        "person_id,person,other_id,other,strength_then,strength_now,last_contact,"
        "usual_gap_days,silence_days\n";
    for (const score::CoolingTie& tie : ties) {
      out += fmt::format("{},{},{},{},{:.4f},{:.4f},{},{:.1f},{:.1f}\n", directory.id[tie.person],
                         CsvField(directory.name[tie.person]), directory.id[tie.other],
                         CsvField(directory.name[tie.other]), tie.strength_then, tie.strength_now,
                         FormatTime(tie.last_contact), tie.usual_gap_days, tie.silence_days);
    }
    return out;
  }
  if (ties.empty()) {
    return fmt::format("No cooling ties as of {}: no strong relationship has gone quiet.\n",
                       FormatDate(run.as_of));
  }
  std::string out = fmt::format(
      "Cooling ties as of {}: strong relationships silent far beyond their usual gap\n\n",
      FormatDate(run.as_of));
  out += fmt::format("{:<20} {:<20} {:>9} {:>9} {:<12} {:>10} {:>10}\n", "person", "other",
                     "strength", "now", "last contact", "usual gap", "silence");
  for (const score::CoolingTie& tie : ties) {
    out += fmt::format("{:<20} {:<20} {:>9.2f} {:>9.2f} {:<12} {:>9.0f}d {:>9.0f}d\n",
                       Clip(directory.name[tie.person], 20), Clip(directory.name[tie.other], 20),
                       tie.strength_then, tie.strength_now, FormatDate(tie.last_contact),
                       tie.usual_gap_days, tie.silence_days);
  }
  return out;
}

std::string RenderHistory(const std::string& name, const std::vector<score::HistoryPoint>& points,
                          OutputFormat format) {
  if (format == OutputFormat::kJson) {
    JsonWriter json;
    json.BeginObject().Key("name").String(name).Key("history").BeginArray();
    for (const score::HistoryPoint& p : points) {
      json.BeginObject().Key("as_of").String(FormatTime(p.as_of));
      if (p.scored) {
        json.Key("volume_score").Number(std::round(p.volume_score * 100) / 100);
        json.Key("rapport_score").Number(std::round(p.rapport_score * 100) / 100);
        json.Key("strong_ties").Int(p.strong_ties);
      } else {
        json.Key("volume_score").Null().Key("rapport_score").Null().Key("strong_ties").Null();
      }
      json.EndObject();
    }
    json.EndArray().EndObject();
    return json.str() + "\n";
  }
  if (format == OutputFormat::kCsv) {
    std::string out = "as_of,volume_score,rapport_score,strong_ties\n";
    for (const score::HistoryPoint& p : points) {
      out += p.scored ? fmt::format("{},{:.2f},{:.2f},{}\n", FormatDate(p.as_of), p.volume_score,
                                    p.rapport_score, p.strong_ties)
                      : fmt::format("{},,,\n", FormatDate(p.as_of));
    }
    return out;
  }
  std::string out = fmt::format("History of {}\n\n{:<12} {:>7} {:>7} {:>7}\n", name, "as of",
                                "volume", "rapport", "strong");
  for (const score::HistoryPoint& p : points) {
    if (!p.scored) {
      out += fmt::format("{:<12} {:>7} {:>7} {:>7}\n", FormatDate(p.as_of), "-", "-", "-");
      continue;
    }
    const int bar = static_cast<int>(std::lround(p.rapport_score / 5));
    out += fmt::format("{:<12} {:>7.1f} {:>7.1f} {:>7}  {}\n", FormatDate(p.as_of), p.volume_score,
                       p.rapport_score, p.strong_ties, std::string(static_cast<size_t>(bar), '#'));
  }
  return out;
}

std::string RenderPerson(const score::ScoreRun& run, const store::Person& person,
                         const score::PersonScore* scored, int rank) {
  JsonWriter json;
  json.BeginObject().Key("as_of").String(FormatTime(run.as_of));
  json.Key("id").Int(person.id).Key("name").String(person.name);
  json.Key("identities").BeginArray();
  for (const std::string& identity : person.identities) json.String(identity);
  json.EndArray();
  json.Key("scored").Bool(scored != nullptr);
  if (scored != nullptr) {
    json.Key("rank").Int(rank);
    json.Key("people_scored").Int(static_cast<int64_t>(run.people.size()));
    WriteScoreFields(json, *scored);
  }
  json.EndObject();
  return json.str() + "\n";
}

}  // namespace rapport::report
