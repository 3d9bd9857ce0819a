// Internal to the server module: the dashboard's pages, drawn from a snapshot by the report
// module's HTML report (the same views `rapport report` writes to a file), with a search bar and
// links between people. Thread-safety: pure functions.
#pragma once

#include <string>

#include "rapport/store/store.h"
#include "snapshot.h"

namespace rapport::server {

// The population: the demo story when the store holds the demo, both scores of the top people,
// volume against rapport for everyone, and every cooling tie.
std::string HomePage(const Snapshot& snapshot);
// People matching `query`, linked to their pages.
std::string SearchPage(const Snapshot& snapshot, const std::string& query);
// One person: both scores, their history, ties, ego network and cooling ties.
std::string PersonPage(const Snapshot& snapshot, const store::Person& person, int history_points);
// A page saying what went wrong (404 and the like), with the search bar.
std::string MessagePage(const std::string& title, const std::string& message);

}  // namespace rapport::server
