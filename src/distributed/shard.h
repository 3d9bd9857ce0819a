// The read phase of the distributed path: this rank's share of the input events.
//
// Binary files: with at least as many files as ranks, rank r reads whole files r*F/R to
// (r+1)*F/R - 1; with fewer, every rank reads every file and keeps every R-th event. Text formats:
// every rank parses every file (people must be numbered alike on every rank) and keeps every R-th
// event. Either way the events come out time-sorted, ties broken by their place in the
// single-process log.
//
// Thread-safety: called by one thread per rank.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "exchange.h"
#include "rapport/core/event_log.h"
#include "rapport/core/status.h"
#include "rapport/distributed/distributed_score.h"

namespace rapport::distributed {

// This rank's events, time-sorted, with global person numbers. `order` is each event's place in
// the single-process log (file, then record), which breaks ties in time as that log does.
struct Shard {
  EventLog log;  // person columns unused
  std::vector<uint64_t> order;
  uint64_t person_count = 0;
  std::vector<int64_t> person_id;  // text inputs: every person's id and name; binary: empty
  std::vector<std::string> person_name;
  uint64_t rejected = 0;
  std::string first_reject;

  int64_t IdOf(PersonIndex p) const { return person_id.empty() ? p : person_id[p]; }
  std::string NameOf(PersonIndex p) const {
    return person_name.empty() ? std::to_string(p) : person_name[p];
  }
};

// Reads this rank's share. Collective only in what the callers do with the result: a rank that
// fails returns its error, and the caller must agree with the others before going on.
// person_count is this rank's (the largest person number it saw, plus one); the job's is the
// maximum over ranks.
Status ReadShare(const ScoreOptions& options, const Communicator& comm, Shard& shard);

}  // namespace rapport::distributed
