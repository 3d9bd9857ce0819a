#include "rapport/distributed/distributed_score.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/resource.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "exchange.h"
#include "rapport/core/time.h"
#include "rapport/graph/pair_table.h"
#include "rapport/report/score_files.h"
#include "rapport/score/curve.h"
#include "rapport/score/scorer.h"
#include "rapport/score/tie_strength.h"
#include "rapport/score/volume.h"
#include "shard.h"

namespace rapport::distributed {
namespace {

// ---- ownership ------------------------------------------------------------------------------

// People in blocks of consecutive numbers; pairs by a hash of both numbers.
class Owners {
 public:
  Owners(uint64_t person_count, int ranks)
      : ranks_(ranks),
        block_(std::max<uint64_t>(1, (person_count + ranks - 1) / ranks)),
        person_count_(person_count) {}

  int OfPerson(PersonIndex p) const { return static_cast<int>(p / block_); }
  int OfPair(PersonIndex u, PersonIndex v) const {
    // splitmix64's finaliser: neighbouring pairs land on unrelated ranks.
    uint64_t x = (uint64_t{u} << 32) | v;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return static_cast<int>((x ^ (x >> 31)) % static_cast<uint64_t>(ranks_));
  }
  // The first person of `rank` and how many it owns.
  PersonIndex First(int rank) const {
    return static_cast<PersonIndex>(std::min<uint64_t>(person_count_, rank * block_));
  }
  size_t Count(int rank) const {
    return std::min<uint64_t>(person_count_, (rank + 1) * block_) - First(rank);
  }

 private:
  int ranks_;
  uint64_t block_;
  uint64_t person_count_;
};

// ---- messages -------------------------------------------------------------------------------

struct ContactMessage {
  PersonIndex u, v;
  uint64_t order;
  graph::ContactFacts facts;
};

// What a person's owner gathers about them, summed over every rank's events and pairs.
struct PersonPartial {
  double activity = 0, amplification = 0, mentions = 0, engagers = 0;
  double out_effort = 0;       // decayed effort the person gave, over their pairs
  score::PersonTotals totals;  // effort and recent effort both ways, over their pairs
  uint32_t active = 0;         // acted or was targeted at or before as_of
  uint32_t touched = 0;

  void Add(const PersonPartial& other) {
    activity += other.activity;
    amplification += other.amplification;
    mentions += other.mentions;
    engagers += other.engagers;
    out_effort += other.out_effort;
    totals.Add(other.totals);
    active |= other.active;
  }
};

// This rank's partial sums by person. A dense array when the job's people are few next to this
// rank's contacts (then it is the fastest and costs at most 4 x 64 bytes a contact); otherwise an
// open-addressing hash table, so that memory follows the people this rank's events touch rather
// than everyone (750 million people would take 48 GB a rank densely). A reference from
// operator[] lasts until the next lookup (which may grow the table).
class PartialTable {
 public:
  PartialTable(uint64_t person_count, uint64_t local_contacts)
      : dense_(person_count <= 4 * local_contacts) {
    if (dense_) {
      values_.resize(person_count);
    } else {
      Rehash(16);
    }
  }
  bool dense() const { return dense_; }

  PersonPartial& operator[](PersonIndex p) {
    if (dense_) return values_[p];
    uint64_t slot = Slot(p);
    while (keys_[slot] != p) {
      if (keys_[slot] == kFree) {
        if (2 * (used_ + 1) > keys_.size()) {
          Rehash(bits_ + 1);
          return (*this)[p];
        }
        keys_[slot] = p;
        ++used_;
        break;
      }
      slot = (slot + 1) & (keys_.size() - 1);
    }
    return values_[slot];
  }

  // f(person, partial) for every person touched, in no particular order.
  template <typename F>
  void ForEach(F f) const {
    for (size_t i = 0; i < values_.size(); ++i) {
      if (dense_ ? values_[i].touched != 0 : keys_[i] != kFree) {
        f(dense_ ? static_cast<PersonIndex>(i) : keys_[i], values_[i]);
      }
    }
  }

 private:
  static constexpr PersonIndex kFree = std::numeric_limits<PersonIndex>::max();

  uint64_t Slot(PersonIndex p) const { return (p * 0x9E3779B97F4A7C15ULL) >> (64 - bits_); }

  void Rehash(int bits) {
    std::vector<PersonIndex> keys = std::move(keys_);
    std::vector<PersonPartial> values = std::move(values_);
    bits_ = bits;
    keys_.assign(size_t{1} << bits, kFree);
    values_.assign(size_t{1} << bits, PersonPartial{});
    used_ = 0;
    for (size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] != kFree) (*this)[keys[i]] = values[i];
    }
  }

  bool dense_;
  int bits_ = 0;
  size_t used_ = 0;
  std::vector<PersonIndex> keys_;  // hashed: the person in each slot, or kFree
  std::vector<PersonPartial> values_;
};

struct PersonMessage {
  PersonIndex person;
  PersonPartial partial;
};
// The sizes docs/DISTRIBUTED.md quotes.
static_assert(sizeof(PersonPartial) == 64 && sizeof(PersonMessage) == 72);

struct Edge {
  PersonIndex from, to;
};

struct NeighbourRequest {
  PersonIndex u, v;
  int32_t origin;  // the rank owning the pair
  uint32_t pair;   // its index there
};

// Sent by the owner of u to the owner of v, once per (u, destination): u's neighbours and facts,
// then the pairs of u whose v that rank owns.
struct NeighbourHeader {
  PersonIndex u;
  uint32_t neighbours, partners, pairs;
  score::PersonTotals totals;
  double out_effort;
};
struct PairOfU {
  PersonIndex v;
  int32_t origin;
  uint32_t pair;
};

struct NeighbourReply {
  uint32_t pair;
  double embeddedness, shared_attention;
  score::PersonTotals totals_u, totals_v;
  double out_effort_u, out_effort_v;
};

static_assert(sizeof(NeighbourHeader) == 40 && sizeof(PairOfU) == 12 &&
              sizeof(NeighbourReply) == 72 && sizeof(score::PartnerShare) == 16);

// A pair's undecayed effort, sent to the owner of `person` (top partners).
struct PartnerMessage {
  PersonIndex person, partner;
  double effort;
};
static_assert(sizeof(PartnerMessage) == 16);

struct InEdge {
  PersonIndex target, source;
  double weight;
};

struct TieShare {
  PersonIndex person;
  double live;        // the tie's live strength
  double out_weight;  // the weight of the person's edge along it (0 when none)
};

// ---- helpers --------------------------------------------------------------------------------

// Every rank learns whether any failed; a failing rank keeps its own error.
Status Agree(Communicator& comm, const Status& local) {
  const std::string& phase = comm.phase();
  const uint64_t failed = comm.Sum(uint64_t{local.ok() ? 0u : 1u});
  if (!local.ok()) {
    return Status(local.code(),
                  fmt::format("rank {}, {}: {}", comm.rank(), phase, local.message()));
  }
  if (failed > 0) {
    return Aborted(fmt::format("stopped in {}: {} other rank(s) failed", phase, failed));
  }
  return Status::Ok();
}

// Doubles as unsigned keys in the same order (negatives reversed below the positives).
uint64_t OrderedKey(double x) {
  const auto bits = std::bit_cast<uint64_t>(x);
  return (bits >> 63) != 0 ? ~bits : bits | (uint64_t{1} << 63);
}
double FromOrderedKey(uint64_t key) {
  return std::bit_cast<double>((key >> 63) != 0 ? key & ~(uint64_t{1} << 63) : ~key);
}

// The k-th smallest (0-based) of all ranks' values, for every k in `ranks`, exactly: bisection
// on the 64-bit keys, one all-reduce of counts per bit. `sorted_keys` is this rank's keys, sorted.
std::vector<double> SelectOrderStatistics(Communicator& comm,
                                          const std::vector<uint64_t>& sorted_keys,
                                          const std::vector<size_t>& ranks) {
  const size_t m = ranks.size();
  std::vector<uint64_t> low(m, 0), high(m, std::numeric_limits<uint64_t>::max());
  std::vector<uint64_t> counts(m);
  for (int bit = 0; bit < 64; ++bit) {
    for (size_t i = 0; i < m; ++i) {
      const uint64_t middle = low[i] + (high[i] - low[i]) / 2;
      counts[i] = static_cast<uint64_t>(
          std::upper_bound(sorted_keys.begin(), sorted_keys.end(), middle) - sorted_keys.begin());
    }
    comm.SumInPlace(counts);
    for (size_t i = 0; i < m; ++i) {
      const uint64_t middle = low[i] + (high[i] - low[i]) / 2;
      // The answer is the smallest key with more than ranks[i] values at or below it.
      if (counts[i] > ranks[i]) {
        high[i] = middle;
      } else {
        low[i] = middle + 1;
      }
    }
  }
  std::vector<double> values(m);
  for (size_t i = 0; i < m; ++i) values[i] = FromOrderedKey(high[i]);
  return values;
}

score::CurveReference DistributedReference(Communicator& comm, const std::vector<double>& raw,
                                           uint64_t total) {
  std::vector<uint64_t> keys(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) keys[i] = OrderedKey(raw[i]);
  std::sort(keys.begin(), keys.end());
  const std::vector<size_t> ranks = score::ReferenceRanks(total);
  const std::vector<double> values = SelectOrderStatistics(comm, keys, ranks);
  return score::ReferenceFromOrderStatistics(total, [&](size_t k) {
    return values[std::find(ranks.begin(), ranks.end(), k) - ranks.begin()];
  });
}

std::string Bytes(uint64_t bytes) {
  const auto value = static_cast<double>(bytes);
  if (bytes >= (uint64_t{1} << 30)) return fmt::format("{:.2f} GiB", value / (1 << 30));
  if (bytes >= (uint64_t{1} << 20)) return fmt::format("{:.1f} MiB", value / (1 << 20));
  return fmt::format("{} B", bytes);
}

// ---- phases --------------------------------------------------------------------------------

// Every (event, target) contact to its pair's owner; the events' own share of the volume score
// and of who is scored into `partial`. Frees the shard's events (they live on in the contacts).
std::vector<ContactMessage> SendContacts(Shard& shard, size_t event_end, double as_of,
                                         const Config& config, const Owners& owners,
                                         Communicator& comm, PartialTable& partial) {
  const EventLog& log = shard.log;
  std::vector<std::vector<ContactMessage>> outgoing(comm.size());
  // Pairs spread evenly by hash: each destination gets about its share of the contacts.
  for (auto& to : outgoing) {
    to.reserve(log.target_offset[event_end] / comm.size() * 21 / 20 + 64);
  }
  const double window_start = as_of - config.volume.window_days * kSecondsPerDay;
  const double volume_rate = std::log(2.0) / (config.volume.half_life_days * kSecondsPerDay);
  for (size_t e = 0; e < event_end; ++e) {
    const PersonIndex actor = log.actor[e];
    const Kind kind = log.kind[e];
    const bool in_window = log.time[e] >= window_start;
    const double weight = in_window ? std::exp(-volume_rate * (as_of - log.time[e])) : 0;
    PersonPartial& by_actor = partial[actor];
    by_actor.active = by_actor.touched = 1;
    if (in_window) by_actor.activity += weight;
    for (uint64_t t = log.target_offset[e]; t < log.target_offset[e + 1]; ++t) {
      const PersonIndex target = log.targets[t];
      PersonPartial& by_target = partial[target];
      by_target.active = by_target.touched = 1;
      if (in_window && (kind == Kind::kShare || kind == Kind::kLike)) {
        by_target.amplification += weight;
      }
      if (in_window && (kind == Kind::kMention || kind == Kind::kReply || kind == Kind::kComment)) {
        by_target.mentions += weight;
      }
      const PersonIndex u = std::min(actor, target), v = std::max(actor, target);
      outgoing[owners.OfPair(u, v)].push_back(
          {u, v, shard.order[e], graph::ContactOf(log, config.effort, e, u)});
    }
  }
  // The events are in the contacts now: free them before the exchange doubles the memory.
  shard.log = EventLog{};
  std::vector<uint64_t>().swap(shard.order);
  return comm.Exchange(outgoing);
}

// Folds the contacts this rank received into its pairs, sorted by (u, v), as the single process
// does (same order of contacts: time, then place in the log); the pairs' shares of volume's
// engagers and of each person's effort go into `partial`.
std::vector<graph::PairRecord> FoldPairs(std::vector<ContactMessage> contacts, double as_of,
                                         const Config& config, PartialTable& partial) {
  std::sort(contacts.begin(), contacts.end(), [](const ContactMessage& a, const ContactMessage& b) {
    if (a.u != b.u) return a.u < b.u;
    if (a.v != b.v) return a.v < b.v;
    if (a.facts.time != b.facts.time) return a.facts.time < b.facts.time;
    return a.order < b.order;
  });
  const graph::PairFolder::Rates rates(score::DecayOf(config.tie), as_of);
  const double window_start = as_of - config.volume.window_days * kSecondsPerDay;
  const double volume_rate = std::log(2.0) / (config.volume.half_life_days * kSecondsPerDay);
  std::vector<graph::PairRecord> pairs;
  for (size_t begin = 0; begin < contacts.size();) {
    const PersonIndex u = contacts[begin].u, v = contacts[begin].v;
    graph::PairFolder folder(rates, u, v);
    double latest[2] = {-1, -1};  // time of the latest engagement each way, in the window
    size_t end = begin;
    for (; end < contacts.size() && contacts[end].u == u && contacts[end].v == v; ++end) {
      const graph::ContactFacts& facts = contacts[end].facts;
      folder.Add(facts);
      if (facts.time >= window_start) latest[facts.from_u ? 0 : 1] = facts.time;
    }
    pairs.push_back(folder.Finish());
    const graph::PairRecord& record = pairs.back();
    // Volume's engagers: each engager counts once, at their latest engagement's weight.
    if (latest[0] >= 0) partial[v].engagers += std::exp(-volume_rate * (as_of - latest[0]));
    if (latest[1] >= 0) partial[u].engagers += std::exp(-volume_rate * (as_of - latest[1]));
    partial[u].out_effort += record.effort[0];
    partial[v].out_effort += record.effort[1];
    partial[u].totals.Add(record);
    partial[v].totals.Add(record);
    partial[u].touched = partial[v].touched = 1;
    begin = end;
  }
  return pairs;
}

// The owned people's reciprocated neighbours, each list sorted, and their top partners: CSR over
// the owner's block.
struct NeighbourLists {
  PersonIndex first = 0;
  std::vector<uint64_t> offset;
  std::vector<PersonIndex> neighbours;
  score::TopPartners top;  // indexed by p - first

  std::span<const PersonIndex> Of(PersonIndex p) const {
    const size_t local = p - first;
    return {neighbours.data() + offset[local], neighbours.data() + offset[local + 1]};
  }
  std::span<const score::PartnerShare> TopOf(PersonIndex p) const {
    return top.Of(static_cast<PersonIndex>(p - first));
  }
};

// Every pair's effort goes to both people's owners, which keep each person's top partners
// (score::AppendTopPartners, as the single process).
score::TopPartners BuildTopPartners(const std::vector<graph::PairRecord>& pairs,
                                    const std::vector<PersonPartial>& person, const Owners& owners,
                                    PersonIndex first, size_t keep, Communicator& comm) {
  score::TopPartners top;
  top.offset.assign(person.size() + 1, 0);
  if (keep == 0) return top;  // shared attention off: no exchange
  std::vector<std::vector<PartnerMessage>> outgoing(comm.size());
  for (const graph::PairRecord& record : pairs) {
    const double effort = record.raw_effort[0] + record.raw_effort[1];
    outgoing[owners.OfPerson(record.u)].push_back({record.u, record.v, effort});
    outgoing[owners.OfPerson(record.v)].push_back({record.v, record.u, effort});
  }
  std::vector<PartnerMessage> received = comm.Exchange(outgoing);
  outgoing.clear();
  std::sort(received.begin(), received.end(),
            [](const PartnerMessage& a, const PartnerMessage& b) { return a.person < b.person; });
  for (const PartnerMessage& message : received) ++top.offset[message.person - first + 1];
  for (size_t local = 0; local < person.size(); ++local) {
    top.offset[local + 1] = top.offset[local] + std::min<uint64_t>(keep, top.offset[local + 1]);
  }
  top.entries.reserve(top.offset.back());
  std::vector<score::PartnerEffort> candidates;
  for (size_t begin = 0, end = 0; begin < received.size(); begin = end) {
    const PersonIndex p = received[begin].person;
    candidates.clear();
    for (end = begin; end < received.size() && received[end].person == p; ++end) {
      candidates.push_back({received[end].partner, received[end].effort});
    }
    score::AppendTopPartners(candidates, person[p - first].totals.effort, keep, top.entries);
  }
  return top;
}

NeighbourLists BuildNeighbourLists(const std::vector<graph::PairRecord>& pairs,
                                   const TieConfig& config,
                                   const std::vector<PersonPartial>& person, const Owners& owners,
                                   PersonIndex first, size_t owned, Communicator& comm) {
  const double min_effort = config.neighbour_min_effort;
  std::vector<std::vector<Edge>> outgoing(comm.size());
  for (const graph::PairRecord& record : pairs) {
    if (record.effort[0] >= min_effort && record.effort[1] >= min_effort) {
      outgoing[owners.OfPerson(record.u)].push_back({record.u, record.v});
      outgoing[owners.OfPerson(record.v)].push_back({record.v, record.u});
    }
  }
  std::vector<Edge> edges = comm.Exchange(outgoing);
  std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) {
    return a.from != b.from ? a.from < b.from : a.to < b.to;
  });
  NeighbourLists lists;
  lists.first = first;
  lists.offset.assign(owned + 1, 0);
  lists.neighbours.resize(edges.size());
  for (size_t i = 0; i < edges.size(); ++i) {
    ++lists.offset[edges[i].from - first + 1];
    lists.neighbours[i] = edges[i].to;
  }
  for (size_t p = 0; p < owned; ++p) lists.offset[p + 1] += lists.offset[p];
  lists.top = BuildTopPartners(pairs, person, owners, first,
                               static_cast<size_t>(config.top_partners), comm);
  return lists;
}

// For every pair of this rank: the embeddedness of u and v and both people's effort sums. The
// owner of u sends N(u) once to each rank owning some v of u's pairs; that rank intersects it
// with N(v) and answers the pair's owner.
std::vector<NeighbourReply> ExchangeNeighbourFacts(const std::vector<graph::PairRecord>& pairs,
                                                   const NeighbourLists& lists,
                                                   const std::vector<PersonPartial>& person,
                                                   const Owners& owners, Communicator& comm) {
  const int ranks = comm.size();
  std::vector<std::vector<NeighbourRequest>> requests(ranks);
  for (uint32_t i = 0; i < pairs.size(); ++i) {
    requests[owners.OfPerson(pairs[i].u)].push_back(
        {pairs[i].u, pairs[i].v, static_cast<int32_t>(comm.rank()), i});
  }
  std::vector<NeighbourRequest> asked = comm.Exchange(requests);
  requests.clear();
  std::sort(asked.begin(), asked.end(), [&](const NeighbourRequest& a, const NeighbourRequest& b) {
    const int da = owners.OfPerson(a.v), db = owners.OfPerson(b.v);
    return da != db ? da < db : a.u < b.u;
  });
  std::vector<std::vector<std::byte>> blobs(ranks);
  auto append = [](std::vector<std::byte>& blob, const auto& value) {
    const auto bytes = std::as_bytes(std::span(&value, 1));
    blob.insert(blob.end(), bytes.begin(), bytes.end());
  };
  for (size_t begin = 0; begin < asked.size();) {
    const PersonIndex u = asked[begin].u;
    const int destination = owners.OfPerson(asked[begin].v);
    size_t end = begin;
    while (end < asked.size() && asked[end].u == u &&
           owners.OfPerson(asked[end].v) == destination) {
      ++end;
    }
    const std::span<const PersonIndex> list = lists.Of(u);
    const std::span<const score::PartnerShare> top = lists.TopOf(u);
    const PersonPartial& of_u = person[u - lists.first];
    std::vector<std::byte>& blob = blobs[destination];
    append(blob,
           NeighbourHeader{u, static_cast<uint32_t>(list.size()), static_cast<uint32_t>(top.size()),
                           static_cast<uint32_t>(end - begin), of_u.totals, of_u.out_effort});
    const auto list_bytes = std::as_bytes(list);
    blob.insert(blob.end(), list_bytes.begin(), list_bytes.end());
    const auto top_bytes = std::as_bytes(top);
    blob.insert(blob.end(), top_bytes.begin(), top_bytes.end());
    for (size_t i = begin; i < end; ++i) {
      append(blob, PairOfU{asked[i].v, asked[i].origin, asked[i].pair});
    }
    begin = end;
  }
  std::vector<std::span<const std::byte>> views(ranks);
  for (int d = 0; d < ranks; ++d) views[d] = blobs[d];
  const std::vector<std::byte> received = comm.ExchangeBytes(views);
  blobs.clear();
  std::vector<std::vector<NeighbourReply>> replies(ranks);
  std::vector<PersonIndex> list;
  std::vector<score::PartnerShare> top;
  for (size_t at = 0; at < received.size();) {
    NeighbourHeader header;
    std::memcpy(&header, received.data() + at, sizeof header);
    at += sizeof header;
    list.resize(header.neighbours);
    std::memcpy(list.data(), received.data() + at, header.neighbours * sizeof(PersonIndex));
    at += header.neighbours * sizeof(PersonIndex);
    top.resize(header.partners);
    std::memcpy(top.data(), received.data() + at, header.partners * sizeof(score::PartnerShare));
    at += header.partners * sizeof(score::PartnerShare);
    for (uint32_t i = 0; i < header.pairs; ++i) {
      PairOfU pair;
      std::memcpy(&pair, received.data() + at, sizeof pair);
      at += sizeof pair;
      const PersonPartial& of_v = person[pair.v - lists.first];
      replies[pair.origin].push_back(
          {pair.pair, score::Embeddedness(list, lists.Of(pair.v), header.u, pair.v),
           score::SharedAttention(top, lists.TopOf(pair.v), header.u, pair.v), header.totals,
           of_v.totals, header.out_effort, of_v.out_effort});
    }
  }
  std::vector<NeighbourReply> facts(pairs.size());
  for (const NeighbourReply& reply : comm.Exchange(replies)) facts[reply.pair] = reply;
  return facts;
}

// The owned people's in-edges as CSR by local target, with sources renumbered: owned people
// first (their local index), then the remote ones (ghosts) grouped by owner, in the order their
// owners will send their standing each iteration.
struct LocalInGraph {
  std::vector<uint64_t> offset;
  std::vector<uint32_t> source;
  std::vector<double> weight;
  uint64_t ghosts = 0;
  std::vector<std::vector<PersonIndex>> send_lists;  // per rank: whose standing it needs from us
  uint64_t boundary_minimum = 0;  // all ranks' distinct (source, other rank): the least to send
};

LocalInGraph BuildLocalInGraph(std::vector<InEdge> in_edges, const Owners& owners,
                               PersonIndex first, size_t owned, Communicator& comm) {
  const int ranks = comm.size(), rank = comm.rank();
  LocalInGraph graph;
  std::sort(in_edges.begin(), in_edges.end(), [](const InEdge& a, const InEdge& b) {
    return a.target != b.target ? a.target < b.target : a.source < b.source;
  });
  graph.offset.assign(owned + 1, 0);
  std::vector<PersonIndex> ghosts;
  for (const InEdge& edge : in_edges) {
    ++graph.offset[edge.target - first + 1];
    if (owners.OfPerson(edge.source) != rank) ghosts.push_back(edge.source);
  }
  for (size_t p = 0; p < owned; ++p) graph.offset[p + 1] += graph.offset[p];
  std::sort(ghosts.begin(), ghosts.end());  // block ownership: sorted ids are grouped by owner
  ghosts.erase(std::unique(ghosts.begin(), ghosts.end()), ghosts.end());
  graph.ghosts = ghosts.size();
  graph.boundary_minimum = comm.Sum(uint64_t{ghosts.size()});
  graph.source.resize(in_edges.size());
  graph.weight.resize(in_edges.size());
  for (size_t i = 0; i < in_edges.size(); ++i) {
    const PersonIndex source = in_edges[i].source;
    graph.source[i] = owners.OfPerson(source) == rank
                          ? source - first
                          : static_cast<uint32_t>(
                                owned + (std::lower_bound(ghosts.begin(), ghosts.end(), source) -
                                         ghosts.begin()));
    graph.weight[i] = in_edges[i].weight;
  }
  // Tell each owner whom we need; learn whom each rank needs from us.
  std::vector<std::vector<PersonIndex>> wanted(ranks);
  for (PersonIndex g : ghosts) wanted[owners.OfPerson(g)].push_back(g);
  std::vector<uint64_t> from;
  std::vector<std::span<const std::byte>> views(ranks);
  for (int r = 0; r < ranks; ++r) views[r] = std::as_bytes(std::span(wanted[r]));
  const std::vector<std::byte> asked = comm.ExchangeBytes(views, &from);
  graph.send_lists.resize(ranks);
  for (int r = 0; r < ranks; ++r) {
    graph.send_lists[r].resize((from[r + 1] - from[r]) / sizeof(PersonIndex));
    if (!graph.send_lists[r].empty()) {
      std::memcpy(graph.send_lists[r].data(), asked.data() + from[r], from[r + 1] - from[r]);
    }
  }
  return graph;
}

// The propagation of score::Propagate over the owned people (standing starts at 1 / N); each
// iteration first receives the boundary standings it reads. Returns the iterations run.
int PropagateOwned(const LocalInGraph& graph, const std::vector<double>& out_weight,
                   const RapportConfig& rc, uint64_t person_count, PersonIndex first,
                   Communicator& comm, std::vector<double>& standing) {
  const int ranks = comm.size();
  const size_t owned = standing.size();
  const double n = static_cast<double>(person_count);
  std::vector<double> next(owned), values(owned + graph.ghosts);
  std::vector<std::vector<double>> outgoing(ranks);
  std::vector<std::span<const std::byte>> views(ranks);
  const auto local = static_cast<int64_t>(owned);
  int iterations = 0;
  for (int iteration = 0; iteration < rc.max_iterations; ++iteration) {
    for (int r = 0; r < ranks; ++r) {
      const std::vector<PersonIndex>& wanted = graph.send_lists[r];
      outgoing[r].resize(wanted.size());
      for (size_t i = 0; i < wanted.size(); ++i) outgoing[r][i] = standing[wanted[i] - first];
      views[r] = std::as_bytes(std::span(outgoing[r]));
    }
    const std::vector<std::byte> ghost_values = comm.ExchangeBytes(views);
    std::copy(standing.begin(), standing.end(), values.begin());
    if (!ghost_values.empty()) {
      std::memcpy(values.data() + owned, ghost_values.data(), ghost_values.size());
    }
    double leak = 0;
    for (size_t p = 0; p < owned; ++p) leak += standing[p] * (1.0 - out_weight[p]);
    leak = comm.Sum(leak);
    const double base = (1.0 - rc.damping) / n + rc.damping * leak / n;
    double change = 0;
#pragma omp parallel for reduction(+ : change) schedule(dynamic, 4096) if (local > 50000)
    for (int64_t v = 0; v < local; ++v) {
      double incoming = 0;
      for (uint64_t i = graph.offset[v]; i < graph.offset[v + 1]; ++i) {
        incoming += values[graph.source[i]] * graph.weight[i];
      }
      next[v] = base + rc.damping * incoming;
      change += std::fabs(next[v] - standing[v]);
    }
    standing.swap(next);
    iterations = iteration + 1;
    if (comm.Sum(change) < rc.tolerance) break;
  }
  return iterations;
}

}  // namespace

Status ScoreDistributed(const ScoreOptions& options) {
  Communicator comm(MPI_COMM_WORLD);
  const int rank = comm.rank(), ranks = comm.size();
  const Config& config = options.config;
  auto begin_phase = [&](const std::string& name) {
    comm.BeginPhase(name);
    if (rank == 0) fmt::print(stderr, "[rank 0] {}\n", name);
  };

  // read
  begin_phase("read");
  Shard shard;
  RAPPORT_RETURN_IF_ERROR(Agree(comm, ReadShare(options, comm, shard)));
  const uint64_t person_count = comm.Max(shard.person_count);
  const uint64_t events_read = comm.Sum(uint64_t{shard.log.event_count()});
  // Rejected records: each rank that read some names its first, as `score --input` does.
  if (shard.rejected > 0) {
    fmt::print(stderr, "[rank {}] {} records rejected; the first: {}\n", rank, shard.rejected,
               shard.first_reject);
  }
  if (events_read == 0) return InvalidArgument("--input holds no events");
  const double as_of =
      options.as_of ? *options.as_of
                    : comm.Max(shard.log.time.empty() ? -std::numeric_limits<double>::infinity()
                                                      : shard.log.time.back());
  const EventLog& log = shard.log;
  const auto event_end = static_cast<size_t>(
      std::upper_bound(log.time.begin(), log.time.end(), as_of) - log.time.begin());
  const uint64_t events = comm.Sum(uint64_t{event_end});
  const Owners owners(person_count, ranks);
  const PersonIndex first_owned = owners.First(rank);
  const size_t owned = owners.Count(rank);
  if (rank == 0) {
    fmt::print(stderr, "[rank 0] {} events ({} at or before as_of) among {} people, {} ranks\n",
               events_read, events, person_count, ranks);
  }

  // contacts; the events' own share of the volume score and of who is scored
  begin_phase("contacts");
  PartialTable partial(person_count, log.target_offset[event_end] + event_end);
  std::vector<ContactMessage> contacts =
      SendContacts(shard, event_end, as_of, config, owners, comm, partial);

  // fold: this rank's pairs, sorted by (u, v)
  begin_phase("fold");
  const std::vector<graph::PairRecord> pairs =
      FoldPairs(std::move(contacts), as_of, config, partial);

  // people: every partial to its person's owner
  begin_phase("people");
  std::vector<PersonPartial> person(owned);
  {
    std::vector<std::vector<PersonMessage>> outgoing(ranks);
    partial.ForEach([&](PersonIndex p, const PersonPartial& sums) {
      outgoing[owners.OfPerson(p)].push_back({p, sums});
    });
    partial = PartialTable(0, 0);
    for (const PersonMessage& message : comm.Exchange(outgoing)) {
      person[message.person - first_owned].Add(message.partial);
    }
  }

  std::vector<NeighbourReply> facts;
  {
    // neighbours: sorted neighbour lists of the owned people (reciprocated pairs only) and their
    // top partners
    begin_phase("neighbours");
    const NeighbourLists neighbours =
        BuildNeighbourLists(pairs, config.tie, person, owners, first_owned, owned, comm);

    // embeddedness, and the people's sums each pair's features need; the lists go after it
    begin_phase("embeddedness");
    facts = ExchangeNeighbourFacts(pairs, neighbours, person, owners, comm);
  }

  // ties
  begin_phase("ties");
  std::vector<double> strength(pairs.size()), warmth(pairs.size()), live(pairs.size());
  {
    const auto count = static_cast<int64_t>(pairs.size());
#pragma omp parallel for schedule(dynamic, 1024) if (count > 20000)
    for (int64_t i = 0; i < count; ++i) {
      const graph::PairRecord& record = pairs[i];
      const NeighbourReply& f = facts[i];
      const score::FeatureVector x = score::PairFeatures(
          record, config.tie, as_of,
          score::ContextOf(record, f.embeddedness, f.shared_attention, f.totals_u, f.totals_v));
      strength[i] = score::StrengthFromFeatures(config.tie, x);
      warmth[i] = score::Warmth(record, config, as_of);
      live[i] = strength[i] * warmth[i];
    }
  }

  // graph: w(u->v) = live * effort(u->v) / out_effort(u), at the owner of v
  begin_phase("graph");
  std::vector<InEdge> in_edges;
  std::vector<double> out_weight(owned, 0.0);
  std::vector<uint64_t> tie_offset(owned + 1, 0);
  std::vector<double> tie_strengths;
  {
    std::vector<std::vector<InEdge>> edges(ranks);
    std::vector<std::vector<TieShare>> shares(ranks);
    for (size_t i = 0; i < pairs.size(); ++i) {
      const graph::PairRecord& record = pairs[i];
      double w_uv = 0, w_vu = 0;
      if (record.effort[0] > 0) {
        w_uv = live[i] * record.effort[0] / facts[i].out_effort_u;
        edges[owners.OfPerson(record.v)].push_back({record.v, record.u, w_uv});
      }
      if (record.effort[1] > 0) {
        w_vu = live[i] * record.effort[1] / facts[i].out_effort_v;
        edges[owners.OfPerson(record.u)].push_back({record.u, record.v, w_vu});
      }
      shares[owners.OfPerson(record.u)].push_back({record.u, live[i], w_uv});
      shares[owners.OfPerson(record.v)].push_back({record.v, live[i], w_vu});
    }
    in_edges = comm.Exchange(edges);
    const std::vector<TieShare> received = comm.Exchange(shares);
    for (const TieShare& share : received) {
      out_weight[share.person - first_owned] += share.out_weight;
      ++tie_offset[share.person - first_owned + 1];
    }
    for (size_t p = 0; p < owned; ++p) tie_offset[p + 1] += tie_offset[p];
    tie_strengths.resize(received.size());
    std::vector<uint64_t> cursor(tie_offset.begin(), tie_offset.end() - 1);
    for (const TieShare& share : received) {
      tie_strengths[cursor[share.person - first_owned]++] = share.live;
    }
  }

  const LocalInGraph in_graph =
      BuildLocalInGraph(std::move(in_edges), owners, first_owned, owned, comm);

  // propagation
  begin_phase("propagation");
  const RapportConfig& rc = config.rapport;
  std::vector<double> standing(owned, 1.0 / static_cast<double>(person_count));
  const int iterations =
      PropagateOwned(in_graph, out_weight, rc, person_count, first_owned, comm, standing);

  // rapport: depth and breadth, and both raw scores, of the scored people this rank owns
  begin_phase("rapport");
  std::vector<PersonIndex> scored;
  std::vector<score::RapportComponents> rapport;
  std::vector<score::VolumeComponents> volume;
  std::vector<double> volume_raw, rapport_raw;
  for (size_t p = 0; p < owned; ++p) {
    if (!person[p].active) continue;
    scored.push_back(static_cast<PersonIndex>(first_owned + p));
    score::VolumeComponents v{person[p].activity, person[p].amplification, person[p].engagers,
                              person[p].mentions, 0};
    v.raw = score::VolumeRaw(config.volume, v);
    volume.push_back(v);
    rapport.push_back(score::RapportOf(
        rc, standing[p], person_count,
        {tie_strengths.data() + tie_offset[p], tie_strengths.data() + tie_offset[p + 1]}));
    volume_raw.push_back(v.raw);
    rapport_raw.push_back(rapport.back().raw);
  }

  // normalise
  begin_phase("normalise");
  const uint64_t scored_total = comm.Sum(uint64_t{scored.size()});
  score::CurveReference volume_reference, rapport_reference;
  if (scored_total > 0) {
    volume_reference = DistributedReference(comm, volume_raw, scored_total);
    rapport_reference = DistributedReference(comm, rapport_raw, scored_total);
  }

  // write: one part per rank under the staging directory, published by rank 0
  begin_phase("write");
  std::string staging = options.out_dir + ".incomplete";
  {
    Status prepared = Status::Ok();
    if (rank == 0) {
      Result<std::string> made = report::PrepareStaging(options.out_dir);
      prepared = made.status();
    }
    RAPPORT_RETURN_IF_ERROR(Agree(comm, prepared));
    std::string text(report::PeopleCsvHeader());
    for (size_t j = 0; j < scored.size(); ++j) {
      const PersonIndex p = scored[j];
      const std::string name = shard.NameOf(p);
      report::AppendPeopleRow(
          text,
          {shard.IdOf(p), name, score::CurveScore(config.curve, volume_reference, volume_raw[j]),
           score::CurveScore(config.curve, rapport_reference, rapport_raw[j]), volume_raw[j],
           rapport_raw[j], rapport[j].standing,
           static_cast<int64_t>(tie_offset[p - first_owned + 1] - tie_offset[p - first_owned]),
           rapport[j].strong_ties});
    }
    Status written =
        report::WriteTextFile(staging + "/" + report::PartFileName("people", rank), text);
    if (written.ok()) {
      text.assign(report::TiesCsvHeader());
      for (size_t i = 0; i < pairs.size(); ++i) {
        const graph::PairRecord& record = pairs[i];
        report::AppendTieRow(text, {shard.IdOf(record.u), shard.IdOf(record.v), record.count[0],
                                    record.count[1], strength[i], warmth[i]});
      }
      written = report::WriteTextFile(staging + "/" + report::PartFileName("ties", rank), text);
    }
    RAPPORT_RETURN_IF_ERROR(Agree(comm, written));
  }
  const uint64_t pair_total = comm.Sum(uint64_t{pairs.size()});

  // Timings and traffic of every phase, gathered on rank 0 with the summary.
  const std::vector<PhaseTotals>& phases = comm.EndPhases();
  report::ScoreSummary summary;
  summary.as_of = as_of;
  summary.events = static_cast<int64_t>(events);
  summary.people = static_cast<int64_t>(scored_total);
  summary.pairs = static_cast<int64_t>(pair_total);
  summary.propagation_iterations = iterations;
  summary.parts = ranks;
  summary.volume_reference = volume_reference;
  summary.rapport_reference = rapport_reference;
  summary.boundary_standings = static_cast<int64_t>(in_graph.boundary_minimum);
  summary.edges = static_cast<int64_t>(comm.Sum(uint64_t{in_graph.source.size()}));
  for (const PhaseTotals& totals : phases) {
    report::PhaseRecord record;
    record.name = totals.name;
    record.seconds_by_rank = comm.GatherToRoot(totals.seconds);
    record.bytes_sent = comm.Sum(totals.bytes_sent);
    summary.phases.push_back(std::move(record));
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  summary.peak_rss_mib_by_rank = comm.GatherToRoot(static_cast<double>(usage.ru_maxrss) / 1024);
  Status published = Status::Ok();
  if (rank == 0) {
    published = report::WriteTextFile(staging + "/summary.json", report::SummaryJson(summary));
    if (published.ok()) published = report::PublishStaging(staging, options.out_dir);
  }
  RAPPORT_RETURN_IF_ERROR(Agree(comm, published));
  if (rank == 0) {
    fmt::print(stderr, "scored {} people and {} pairs on {} ranks; {} propagation iterations\n",
               scored_total, pair_total, ranks, iterations);
    fmt::print(stderr, "{:<14} {:>10} {:>10} {:>12}\n", "phase", "max s", "min s", "sent");
    for (const report::PhaseRecord& record : summary.phases) {
      const auto [least, most] =
          std::minmax_element(record.seconds_by_rank.begin(), record.seconds_by_rank.end());
      fmt::print(stderr, "{:<14} {:>10.2f} {:>10.2f} {:>12}\n", record.name, *most, *least,
                 Bytes(record.bytes_sent));
    }
    for (const report::PhaseRecord& record : summary.phases) {
      if (record.name != "propagation" || iterations == 0) continue;
      // The least any scheme can send: each boundary standing once to each rank that reads it.
      fmt::print(stderr,
                 "propagation sent {} per iteration; the boundary minimum is {} ({} standings "
                 "of 8 bytes)\n",
                 Bytes(record.bytes_sent / iterations), Bytes(in_graph.boundary_minimum * 8),
                 in_graph.boundary_minimum);
    }
    fmt::print(stderr, "peak memory by rank (MiB): {:.0f}\n",
               fmt::join(summary.peak_rss_mib_by_rank, " "));
    fmt::print(stderr, "wrote {}\n", options.out_dir);
  }
  return Status::Ok();
}

}  // namespace rapport::distributed
