// rapport-mpi: the distributed scorer (docs/DISTRIBUTED.md). Run under mpirun:
//   mpirun -np 4 rapport-mpi score --input events.bin --out scores/
// Every rank parses the same arguments; rank 0 prints help, progress and the summary.
#include <fmt/format.h>
#include <mpi.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "rapport/core/huge_pages.h"
#include "rapport/core/time.h"
#include "rapport/distributed/distributed_score.h"

namespace {

constexpr int kExitOk = 0, kExitFailure = 1, kExitUsage = 2;

int Run(int argc, char** argv, int rank) {
  CLI::App app{
      "rapport-mpi: the rapport scores of very large inputs on the ranks of an MPI job.\n"
      "It computes what `rapport score --input FILE... --out DIR` computes, spread over the\n"
      "ranks, and writes the same score directory (one part per rank)."};
  app.require_subcommand(1);
  std::string config_path, as_of;
  rapport::distributed::ScoreOptions options;
  app.add_option("--config", config_path, "Scoring configuration (TOML; default: built in)");
  CLI::App* score = app.add_subcommand(
      "score", "Both scores of every person and every tie's strength, into a score directory");
  score->fallthrough();  // --config may also follow the subcommand, as with `rapport`
  score
      ->add_option("--input", options.inputs,
                   "Event files: binary (.bin from `rapport gen`, split between the ranks) or "
                   "any format `rapport import` reads (every rank parses them)")
      ->required();
  score
      ->add_option("--input-format", options.input_format,
                   "Format of text inputs (as `rapport import --format`)")
      ->capture_default_str();
  score->add_option("--as-of", as_of, "Score as of this date (default: the newest event)");
  score
      ->add_option("--out", options.out_dir,
                   "The score directory to write (on a file system every rank can reach); it "
                   "is replaced only when the whole result is written")
      ->required();
  app.footer("See docs/DISTRIBUTED.md for hostfiles, output layout and failures.");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (rank != 0) return error.get_exit_code() == 0 ? kExitOk : kExitUsage;
    const int code = app.exit(error);
    return code == 0 ? kExitOk : kExitUsage;
  }
  if (!config_path.empty()) {
    rapport::Result<rapport::Config> config = rapport::LoadConfig(config_path);
    if (!config.ok()) {
      if (rank == 0) fmt::print(stderr, "error: {}\n", config.status().message());
      return kExitFailure;
    }
    options.config = *config;
  }
  if (!as_of.empty()) {
    rapport::Result<double> parsed = rapport::ParseTime(as_of);
    if (!parsed.ok()) {
      if (rank == 0) fmt::print(stderr, "error: --as-of: {}\n", parsed.status().message());
      return kExitFailure;
    }
    options.as_of = *parsed;
  }
  const rapport::Status status = rapport::distributed::ScoreDistributed(options);
  if (status.ok()) return kExitOk;
  // A rank's own failure is reported by that rank (its message starts "rank R,"); a failure
  // every rank shares (bad options, no events) and the news that the job stopped, by rank 0.
  const bool own = status.message().rfind(fmt::format("rank {},", rank), 0) == 0;
  if (own || rank == 0) fmt::print(stderr, "error: {}\n", status.message());
  return kExitFailure;
}

}  // namespace

int main(int argc, char** argv) {
  rapport::ReexecWithHugePageMalloc(argv);  // before MPI starts: the process is replaced
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  const int code = Run(argc, argv, rank);
  // A failure on one rank is a failure of the job: every rank returns the same code.
  int worst = code;
  MPI_Allreduce(&code, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  MPI_Finalize();
  return worst;
}
