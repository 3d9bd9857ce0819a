#include "exchange.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>

namespace rapport::distributed {
namespace {

// The line a rank prints when the job is torn down around it (mpirun sends SIGTERM to the
// survivors when a rank dies), built in advance because a signal handler may only write(2).
char g_abort_message[512];
volatile std::sig_atomic_t g_abort_message_length = 0;

extern "C" void OnTerminate(int) {
  if (g_abort_message_length > 0) {
    [[maybe_unused]] ssize_t written =
        write(STDERR_FILENO, g_abort_message, static_cast<size_t>(g_abort_message_length));
  }
  _exit(128 + SIGTERM);
}

void SetAbortMessage(int rank, const std::string& phase) {
  g_abort_message_length = 0;
  const std::string message = fmt::format(
      "rapport-mpi: rank {} stopped in phase \"{}\": the job was aborted, because another rank "
      "failed (mpirun names it) or the job was cancelled; no result was published\n",
      rank, phase);
  const size_t length = std::min(message.size(), sizeof g_abort_message);
  std::memcpy(g_abort_message, message.data(), length);
  g_abort_message_length = static_cast<std::sig_atomic_t>(length);
}

constexpr uint64_t kMaxMessageBytes = uint64_t{1} << 30;

}  // namespace

Communicator::Communicator(MPI_Comm comm) : comm_(comm) {
  MPI_Comm_rank(comm_, &rank_);
  MPI_Comm_size(comm_, &size_);
  if (const char* fail = std::getenv("RAPPORT_MPI_FAIL")) {
    const std::string spec = fail;
    const size_t colon = spec.find(':');
    if (colon != std::string::npos && spec.substr(0, colon) == std::to_string(rank_)) {
      fail_phase_ = spec.substr(colon + 1);
    }
  }
  std::signal(SIGTERM, OnTerminate);
  SetAbortMessage(rank_, kStart);
}

void Communicator::BeginPhase(const std::string& name) {
  EndPhases();
  phases_.push_back({name, 0, 0});
  SetAbortMessage(rank_, name);
  if (name == fail_phase_) std::raise(SIGKILL);  // a crash, as tests inject it
}

const std::vector<PhaseTotals>& Communicator::EndPhases() {
  const auto now = std::chrono::steady_clock::now();
  if (!phases_.empty()) {
    phases_.back().seconds += std::chrono::duration<double>(now - phase_start_).count();
  }
  phase_start_ = now;
  return phases_;
}

std::vector<std::byte> Communicator::ExchangeBytes(
    const std::vector<std::span<const std::byte>>& outgoing, std::vector<uint64_t>* source_start) {
  std::vector<std::byte> received;
  ExchangeInto(
      outgoing,
      [&received](uint64_t total) {
        received.resize(total);
        return received.data();
      },
      source_start);
  return received;
}

void Communicator::ExchangeInto(const std::vector<std::span<const std::byte>>& outgoing,
                                const std::function<std::byte*(uint64_t)>& receive_buffer,
                                std::vector<uint64_t>* source_start) {
  std::vector<uint64_t> send_counts(size_), receive_counts(size_);
  for (int d = 0; d < size_; ++d) send_counts[d] = outgoing[d].size();
  MPI_Alltoall(send_counts.data(), 1, MPI_UINT64_T, receive_counts.data(), 1, MPI_UINT64_T, comm_);
  std::vector<uint64_t> start(size_ + 1, 0);
  for (int s = 0; s < size_; ++s) start[s + 1] = start[s] + receive_counts[s];
  std::byte* received = receive_buffer(start[size_]);
  std::vector<MPI_Request> requests;
  for (int s = 0; s < size_; ++s) {
    if (s == rank_) continue;
    for (uint64_t at = 0; at < receive_counts[s]; at += kMaxMessageBytes) {
      const auto count = static_cast<int>(std::min(kMaxMessageBytes, receive_counts[s] - at));
      requests.emplace_back();
      MPI_Irecv(received + start[s] + at, count, MPI_BYTE, s, 0, comm_, &requests.back());
    }
  }
  for (int d = 0; d < size_; ++d) {
    if (d == rank_) {
      if (!outgoing[d].empty()) {
        std::memcpy(received + start[d], outgoing[d].data(), outgoing[d].size());
      }
      continue;
    }
    CountSent(send_counts[d]);
    for (uint64_t at = 0; at < send_counts[d]; at += kMaxMessageBytes) {
      const auto count = static_cast<int>(std::min(kMaxMessageBytes, send_counts[d] - at));
      requests.emplace_back();
      MPI_Isend(outgoing[d].data() + at, count, MPI_BYTE, d, 0, comm_, &requests.back());
    }
  }
  MPI_Waitall(static_cast<int>(requests.size()), requests.data(), MPI_STATUSES_IGNORE);
  if (source_start != nullptr) *source_start = std::move(start);
}

template <typename T>
T Communicator::Reduce(T value, MPI_Op op) {
  const MPI_Datatype type = std::is_same_v<T, double> ? MPI_DOUBLE : MPI_UINT64_T;
  T result{};
  MPI_Allreduce(&value, &result, 1, type, op, comm_);
  return result;
}

double Communicator::Sum(double value) { return Reduce(value, MPI_SUM); }
uint64_t Communicator::Sum(uint64_t value) { return Reduce(value, MPI_SUM); }
double Communicator::Max(double value) { return Reduce(value, MPI_MAX); }
uint64_t Communicator::Max(uint64_t value) { return Reduce(value, MPI_MAX); }

void Communicator::SumInPlace(std::vector<uint64_t>& values) {
  MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_UINT64_T, MPI_SUM,
                comm_);
}

std::vector<double> Communicator::GatherToRoot(double value) {
  std::vector<double> all(rank_ == 0 ? size_ : 0);
  MPI_Gather(&value, 1, MPI_DOUBLE, all.data(), 1, MPI_DOUBLE, 0, comm_);
  return all;
}

void Communicator::Barrier() { MPI_Barrier(comm_); }

}  // namespace rapport::distributed
