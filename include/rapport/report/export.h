// Exports of one scoring run for other tools (docs/output.md, "rapport export"): GraphML and
// GEXF 1.2 for graph tools (Gephi, NetworkX, Cytoscape), CSV as two tables (people, ties) and
// JSON as one document. Every format carries the same data: each scored person (store id, name,
// both scores and their components, number of ties) and each tie at least `min_strength` strong
// (the two people, the one with the smaller id first; strength, warmth, channels, first and last
// contact, events each way, the features). In GraphML and GEXF the graph is undirected and an
// edge's weight is the tie's strength.
//
// XML is written with pugixml, so names are escaped; bytes that XML 1.0 cannot hold (control
// characters, invalid UTF-8) become U+FFFD. Outputs take names from run.people only, so a run
// passed through PseudonymizeRun (pseudonym.h) exports no name.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "rapport/core/status.h"
#include "rapport/score/scorer.h"

namespace rapport::report {

enum class ExportFormat { kGraphMl, kGexf, kCsv, kJson };
// "graphml", "gexf", "csv" or "json"; InvalidArgument naming the four otherwise.
Result<ExportFormat> ParseExportFormat(std::string_view name);

struct ExportOptions {
  double min_strength = 0;  // ties weaker than this are left out; every scored person stays
};

// <graphml xmlns="http://graphml.graphdrawing.org/xmlns">: <key>s for the graph (as_of,
// min_strength), nodes (label = name, scores, components, ties) and edges (weight = strength,
// ...), then <graph edgedefault="undirected"> with node ids = store ids.
std::string ExportGraphMl(const score::ScoreRun& run, const ExportOptions& options);

// <gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">, static undirected graph, the same
// attributes declared in <attributes class="node"> and <attributes class="edge">.
std::string ExportGexf(const score::ScoreRun& run, const ExportOptions& options);

// {"as_of", "min_strength", "people": [as in `score --format json`], "ties": [as in `ties --all
// --format json`]}.
std::string ExportJson(const score::ScoreRun& run, const ExportOptions& options);

// The people table: the columns of `score --format csv`, one row per scored person.
std::string ExportPeopleCsv(const score::ScoreRun& run);
// The ties table: the columns of `ties --all --format csv`, one row per exported tie.
std::string ExportTiesCsv(const score::ScoreRun& run, const ExportOptions& options);

// `text` with every byte sequence that XML 1.0 cannot hold replaced by U+FFFD.
std::string XmlSafe(std::string_view text);

}  // namespace rapport::report
