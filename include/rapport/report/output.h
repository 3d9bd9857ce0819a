// Text outputs of a scoring run: terminal tables, JSON documents and CSV, one function per view.
// The JSON documents are the stable interface for scripts (docs/output.md documents them).
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rapport/score/cooling.h"
#include "rapport/score/history.h"
#include "rapport/score/scorer.h"
#include "rapport/store/store.h"

namespace rapport::report {

enum class OutputFormat { kTable, kJson, kCsv };
Result<OutputFormat> ParseOutputFormat(std::string_view name);

// `score`: {"as_of": "...", "people": [{"id", "name", "volume_score", "rapport_score",
// "components": {...}}]}. top <= 0 means everyone.
std::string RenderScores(const score::ScoreRun& run, OutputFormat format, int top);

// One person (GET /api/people/{id}): id, name, identities, and when scored (`scored`, their
// entry in run.people, not null) their rank (1 = the highest rapport score), both scores and
// their components, as in RenderScores.
std::string RenderPerson(const score::ScoreRun& run, const store::Person& person,
                         const score::PersonScore* scored, int rank);

// `ties PERSON` (person set) or `ties --all` (person nullopt: every pair once).
std::string RenderTies(const score::ScoreRun& run, std::optional<PersonIndex> person,
                       OutputFormat format, int top);

// `explain PERSON`: both scores' components and contributions, the top ties with their features
// and contributions, and the interactions behind each (`interactions` maps a pair index to its
// most recent events).
std::string RenderExplain(const score::ScoreRun& run, PersonIndex person,
                          const std::map<uint32_t, std::vector<store::StoredEvent>>& interactions,
                          OutputFormat format, int top_ties);

std::string RenderCooling(const score::ScoreRun& run, const std::vector<score::CoolingTie>& ties,
                          OutputFormat format);

std::string RenderHistory(const std::string& name, const std::vector<score::HistoryPoint>& points,
                          OutputFormat format);

// The channel names of a channel mask, "email+phone".
std::string ChannelList(uint32_t channel_mask);

}  // namespace rapport::report
