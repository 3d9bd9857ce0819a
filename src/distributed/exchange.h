// The communication layer of the distributed path: a thin wrapper over an MPI communicator that
// names the phase each rank is in (for timings, byte counts and the message when a job dies) and
// moves per-destination vectors of trivially copyable records between all ranks.
//
// Exchange is an all-to-all: counts first (MPI_Alltoall), then the data as point-to-point
// messages of at most 1 GiB each (MPI_Isend / MPI_Irecv), so that no count or displacement
// overflows MPI's int; what a rank sends itself is copied. Received records come grouped by
// source rank, in rank order, each group in the order it was sent.
//
// Thread-safety: one thread per rank calls these (MPI_THREAD_FUNNELED).
#pragma once

#include <mpi.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace rapport::distributed {

struct PhaseTotals {
  std::string name;
  double seconds = 0;       // this rank's wall time in the phase
  uint64_t bytes_sent = 0;  // what this rank sent to other ranks in the phase
};

class Communicator {
 public:
  explicit Communicator(MPI_Comm comm);

  int rank() const { return rank_; }
  int size() const { return size_; }
  // The phase this rank is in ("start" before the first).
  const std::string& phase() const { return phases_.empty() ? kStart : phases_.back().name; }

  // Ends the current phase and starts `name`. Exchanges happen inside a phase. Also where a fault
  // can be injected for tests: RAPPORT_MPI_FAIL=RANK:PHASE makes that rank kill itself as it enters
  // that phase.
  void BeginPhase(const std::string& name);
  // Ends the current phase; returns every phase of this rank.
  const std::vector<PhaseTotals>& EndPhases();

  // Sends outgoing[d] to rank d for every d; returns what every rank sent to this one.
  template <typename T>
  std::vector<T> Exchange(const std::vector<std::vector<T>>& outgoing) {
    static_assert(std::is_trivially_copyable_v<T>);
    std::vector<std::span<const std::byte>> bytes(outgoing.size());
    for (size_t d = 0; d < outgoing.size(); ++d) bytes[d] = std::as_bytes(std::span(outgoing[d]));
    std::vector<T> records;
    ExchangeInto(bytes, [&records](uint64_t total) {
      records.resize(total / sizeof(T));
      return reinterpret_cast<std::byte*>(records.data());
    });
    return records;
  }
  // The same for byte streams; also returns where each source's bytes start.
  std::vector<std::byte> ExchangeBytes(const std::vector<std::span<const std::byte>>& outgoing,
                                       std::vector<uint64_t>* source_start = nullptr);

  double Sum(double value);
  uint64_t Sum(uint64_t value);
  double Max(double value);
  uint64_t Max(uint64_t value);
  // Element-wise sums of `values` over all ranks, in place.
  void SumInPlace(std::vector<uint64_t>& values);
  // Gathers one value from every rank on rank 0 (empty elsewhere).
  std::vector<double> GatherToRoot(double value);
  void Barrier();
  MPI_Comm comm() const { return comm_; }

 private:
  static inline const std::string kStart = "start";

  // One value of every rank combined with `op` (double or uint64_t).
  template <typename T>
  T Reduce(T value, MPI_Op op);
  // The exchange itself; `receive_buffer(total)` returns where the total bytes received go.
  void ExchangeInto(const std::vector<std::span<const std::byte>>& outgoing,
                    const std::function<std::byte*(uint64_t)>& receive_buffer,
                    std::vector<uint64_t>* source_start = nullptr);
  void CountSent(uint64_t bytes) { phases_.back().bytes_sent += bytes; }

  MPI_Comm comm_;
  int rank_ = 0, size_ = 1;
  std::vector<PhaseTotals> phases_;
  std::chrono::steady_clock::time_point phase_start_;
  std::string fail_phase_;  // from RAPPORT_MPI_FAIL, when it names this rank
};

}  // namespace rapport::distributed
