// The distributed path (`rapport-mpi score`, docs/DISTRIBUTED.md): the computation of
// score::ScoreEvents spread over the ranks of an MPI job, with the same results.
//
// Ownership: person p belongs to rank p / ceil(N / ranks) (blocks of person numbers); the pair
// {u, v} to rank hash(u, v) mod ranks. Phases, each rank doing its share:
//   read          binary files: whole files per rank when there are at least as many files as
//                 ranks, else every rank reads every file and keeps every ranks-th event; text
//                 formats: every rank parses every file (people must be numbered alike) and keeps
//                 every ranks-th event
//   contacts      each (event, target) contact goes to its pair's owner (all-to-all)
//   fold          each owner sorts its contacts by pair and time and folds them (graph::PairFolder)
//   people        per-person sums (volume, efforts, who is scored) go to the person's owner
//   neighbours    reciprocated pairs go to both people's owners, which build sorted neighbour lists
//   embeddedness  the owner of u sends N(u) once to each rank owning some v of u's pairs, which
//                 intersects it with N(v) and returns the overlap to the pair's owner
//   ties          features, strength and warmth per pair, at the pair's owner
//   graph         weighted in-edges go to the target's owner; out-weights and live strengths to
//                 each person's owner
//   propagation   pull iterations over the local in-edges; each iteration sends every rank only
//                 the standing of the people whose edges cross into it (boundary values)
//   rapport       depth and breadth per person at its owner
//   normalise     exact distributed quantiles (bisection on the bits of the doubles) for the curve
//   write         every rank writes its people and pairs as one part of the score directory
//                 (report/score_files.h); rank 0 publishes it when all parts are written
//
// Equal to the single process: counts exactly; sums may be added in another order, so floating
// values agree to rounding (the tests hold them within 1e-9).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "rapport/core/config.h"
#include "rapport/core/status.h"

namespace rapport::distributed {

struct ScoreOptions {
  std::vector<std::string> inputs;
  std::string input_format = "auto";  // for text inputs, as `import --format`
  std::optional<double> as_of;        // default: the newest event
  std::string out_dir;
  Config config = DefaultConfig();
};

// Collective: every rank of MPI_COMM_WORLD calls it with the same options. Progress and the
// summary go to standard error from rank 0. An error on any rank ends the job on every rank with
// that error (rank 0 reports it); nothing is published then.
Status ScoreDistributed(const ScoreOptions& options);

}  // namespace rapport::distributed
