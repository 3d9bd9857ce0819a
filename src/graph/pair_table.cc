#include "rapport/graph/pair_table.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cassert>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <utility>

#include "rapport/core/time.h"

namespace rapport::graph {

ContactFacts ContactOf(const EventLog& log, const EffortConfig& effort, size_t e, PersonIndex u) {
  const uint64_t targets = log.target_offset[e + 1] - log.target_offset[e];
  const double override_value = log.effort_override[e];
  const double base = EventEffort(effort, log.kind[e], log.duration[e], override_value,
                                  !std::isnan(override_value), log.valence[e]);
  ContactFacts facts;
  facts.time = log.time[e];
  facts.per_target = base / std::sqrt(static_cast<double>(targets));
  facts.duration = log.duration[e];
  facts.kind = log.kind[e];
  facts.channel = log.channel[e];
  facts.from_u = log.actor[e] == u;
  facts.negative = log.valence[e] < 0;
  facts.is_private = log.is_private[e] != 0;
  return facts;
}

// In the order of the members: each factor uses the rates and dates before it.
PairFolder::Rates::Rates(const Decay& decay, double date, double resume_anchor, double pause_anchor)
    : as_of(date),
      decay_rate(std::log(2.0) / (decay.half_life_days * kSecondsPerDay)),
      recent_decay_rate(std::log(2.0) / (decay.recent_half_life_days * kSecondsPerDay)),
      hold_start(as_of - decay.recent_hold_days * kSecondsPerDay),
      hold_carry(std::exp(recent_decay_rate * (as_of - hold_start))),
      resume_decayed(std::exp(-decay_rate * (as_of - resume_anchor))),
      resume_recent(std::exp(-recent_decay_rate * (as_of - resume_anchor))),
      pause_decayed(std::exp(decay_rate * (as_of - pause_anchor))),
      pause_recent(std::exp(recent_decay_rate * (as_of - pause_anchor))) {}

PairFolder::PairFolder(const Rates& rates, PersonIndex u, PersonIndex v) : rates_(rates) {
  record_.u = u;
  record_.v = v;
}

void PairFolder::Add(const ContactFacts& c) {
  PairRecord& record = record_;
  if (empty_) {
    record.first = c.time;
    empty_ = false;
  }
  const double decay_factor = std::exp(-rates_.decay_rate * (rates_.as_of - c.time));
  const int direction = c.from_u ? 0 : 1;
  record.count[direction] += 1;
  record.last = c.time;
  record.channel_mask |= 1u << static_cast<int>(c.channel);
  if (c.negative) {
    record.negative_effort += c.per_target * decay_factor;
  } else {
    record.effort[direction] += c.per_target * decay_factor;
    record.raw_effort[direction] += c.per_target;
    const double recent_decay = std::exp(-rates_.recent_decay_rate * (rates_.as_of - c.time));
    recent_sum_ += c.per_target * recent_decay;
    if (c.time < rates_.hold_start) {
      recent_before_hold_ = recent_sum_;
    } else {
      // R just after this contact, undecayed back to its own time.
      record.recent_effort = std::max(record.recent_effort, recent_sum_ / recent_decay);
    }
    if (c.is_private) record.private_effort += c.per_target * decay_factor;
    if (c.kind == Kind::kFavour) record.favour_effort += c.per_target * decay_factor;
  }
  if (c.kind == Kind::kCall || c.kind == Kind::kMeeting) record.contact_seconds += c.duration;

  const auto day = static_cast<int64_t>(std::floor(c.time / kSecondsPerDay));
  const auto week = static_cast<int64_t>(std::floor(c.time / kSecondsPerWeek));
  if (day != last_day_) {
    last_day_ = day;
    ++record.active_days;
  }
  if (week != last_week_) {
    last_week_ = week;
    week_effort_ = 0;
  }
  // Counts the week once, at the contact that brings it to the threshold. Distrust is contact
  // but not a regular relationship: it adds no effort toward an active week.
  const double before = week_effort_;
  if (!c.negative) week_effort_ += c.per_target;
  if (before < kActiveWeekEffort && week_effort_ >= kActiveWeekEffort) ++record.active_weeks;
}

PairFolder PairFolder::Resume(const PairState& state, const Rates& rates) {
  PairFolder folder(rates, state.record.u, state.record.v);
  folder.record_ = state.record;
  folder.ScaleDecayedSums(rates.resume_decayed);
  folder.record_.recent_effort = 0;
  // Every earlier contact is before the hold window: R at its start comes from them and the
  // contacts added before it.
  folder.recent_sum_ = state.recent_sum * rates.resume_recent;
  folder.recent_before_hold_ = folder.recent_sum_;
  folder.empty_ = false;
  folder.last_day_ = state.last_day;
  folder.last_week_ = state.last_week;
  folder.week_effort_ = state.week_effort;
  return folder;
}

PairState PairFolder::Pause() const {
  PairFolder paused = *this;
  paused.ScaleDecayedSums(rates_.pause_decayed);
  PairState state;
  state.record = paused.record_;
  state.record.recent_effort = 0;
  state.recent_sum = recent_sum_ * rates_.pause_recent;
  state.last_day = last_day_;
  state.last_week = last_week_;
  state.week_effort = week_effort_;
  return state;
}

void PairFolder::ScaleDecayedSums(double factor) {
  record_.effort[0] *= factor;
  record_.effort[1] *= factor;
  record_.negative_effort *= factor;
  record_.private_effort *= factor;
  record_.favour_effort *= factor;
}

PairRecord PairFolder::Finish() {
  // R at the start of the hold window, when the contacts before it outweigh those in it.
  record_.recent_effort = std::max(record_.recent_effort, recent_before_hold_ * rates_.hold_carry);
  return record_;
}

PairTable AggregatePairs(const EventLog& log, const EffortConfig& effort, const Decay& decay,
                         double as_of, IncrementalFold incremental) {
  // Events are time-sorted: those at or before as_of (and after the resumed anchor) are one
  // stretch, read as one chunk.
  const auto event_end = static_cast<size_t>(
      std::upper_bound(log.time.begin(), log.time.end(), as_of) - log.time.begin());
  const size_t event_begin =
      incremental.resume == nullptr
          ? 0
          : static_cast<size_t>(std::upper_bound(log.time.begin(), log.time.begin() + event_end,
                                                 incremental.resume->anchor) -
                                log.time.begin());
  auto targets_of = [&log](size_t e) {
    const uint64_t first = log.target_offset[e], end = log.target_offset[e + 1];
    return std::span(log.targets).subspan(first, end - first);
  };
  PairAggregator::Census census;
  for (size_t e = event_begin; e < event_end; ++e) census.Add(log.actor[e], targets_of(e));
  PairAggregator aggregator(log.person_count(), effort, decay, as_of, {&census, 1});
  for (size_t e = event_begin; e < event_end; ++e) {
    aggregator.Add(0,
                   {log.time[e], log.actor[e], log.kind[e], log.channel[e], log.is_private[e] != 0,
                    log.duration[e], log.effort_override[e], log.valence[e], targets_of(e)});
  }
  // In memory: Finish cannot fail.
  return std::move(aggregator).Finish(incremental).value();
}

Result<PairAggregator::ContactSpill> PairAggregator::ContactSpill::Create(
    const std::string& directory, uint64_t keep_in_memory_bytes) {
  int fd = ::open(directory.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR)) {
    // A file system without unnamed files: a named one, unlinked at once.
    std::string name = directory + "/rapport-contacts-XXXXXX";
    fd = ::mkstemp(name.data());
    if (fd >= 0) ::unlink(name.c_str());
  }
  if (fd < 0) {
    return IoError(fmt::format("cannot create a file for the contacts in {}: {}", directory,
                               std::strerror(errno)));
  }
  return ContactSpill(fd, directory, keep_in_memory_bytes);
}

PairAggregator::ContactSpill::ContactSpill(ContactSpill&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      directory_(std::move(other.directory_)),
      keep_in_memory_bytes_(other.keep_in_memory_bytes_) {}

PairAggregator::ContactSpill& PairAggregator::ContactSpill::operator=(
    ContactSpill&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    directory_ = std::move(other.directory_);
    keep_in_memory_bytes_ = other.keep_in_memory_bytes_;
  }
  return *this;
}

PairAggregator::ContactSpill::~ContactSpill() {
  if (fd_ >= 0) ::close(fd_);
}

uint64_t PairAggregator::Census::contacts() const {
  uint64_t total = 0;
  for (const uint64_t count : contacts_by_block_) total += count;
  return total;
}

void PairAggregator::Census::Add(PersonIndex actor, std::span<const PersonIndex> targets) {
  for (const PersonIndex target : targets) {
    if (target == actor) continue;
    const size_t block = std::min(actor, target) >> kBlockBits;
    if (block >= contacts_by_block_.size()) contacts_by_block_.resize(block + 1, 0);
    ++contacts_by_block_[block];
  }
}

PairAggregator::PairAggregator(size_t person_count, const EffortConfig& effort, const Decay& decay,
                               double as_of, std::span<const Census> chunks,
                               std::optional<ContactSpill> spill)
    : person_count_(person_count),
      effort_(effort),
      decay_(decay),
      as_of_(as_of),
      spill_(std::move(spill)) {
  person_bits_ =
      person_count <= 1 ? 1 : static_cast<int>(std::bit_width(uint64_t{person_count - 1}));
  // Up to 256 partitions by the high bits of u, 4,096 people or more each (a whole number of
  // census blocks), so that small inputs stay in one partition and large ones sort in
  // cache-sized pieces.
  const int partition_bits = std::clamp(person_bits_ - 12, 0, 8);
  partition_shift_ = 2 * person_bits_ - partition_bits;
  partitions_.resize(size_t{1} << partition_bits);
  const int people_shift = person_bits_ - partition_bits - Census::kBlockBits;
  for (Partition& partition : partitions_) partition.slice_begin.assign(chunks.size() + 1, 0);
  for (size_t c = 0; c < chunks.size(); ++c) {
    const std::vector<uint64_t>& by_block = chunks[c].contacts_by_block_;
    for (size_t block = 0; block < by_block.size(); ++block) {
      const size_t p =
          std::min(partitions_.size() - 1, people_shift >= 0 ? block >> people_shift : size_t{0});
      partitions_[p].slice_begin[c + 1] += by_block[block];
    }
  }
  uint64_t in_memory = 0;
  for (Partition& partition : partitions_) {
    for (size_t c = 0; c < chunks.size(); ++c) {
      partition.slice_begin[c + 1] += partition.slice_begin[c];
    }
    const uint64_t slots = partition.slice_begin.back();
    if (spilling()) spill_partition_begin_.push_back(spill_capacity_);
    // The partitions in memory are the first ones: once one spills, so do the rest.
    const bool spill_this =
        spilling() && (spill_capacity_ > 0 ||
                       (in_memory + slots) * kContactBytes > spill_->keep_in_memory_bytes_);
    if (spill_this) {
      spill_capacity_ += slots;
    } else {
      // Not initialised: every contact is written before it is read.
      partition.contacts.reset(new PackedContact[slots]);
      in_memory += slots;
    }
  }
  if (spilling()) {
    spill_buffer_.resize(chunks.size());
    spill_error_.resize(chunks.size());
  }
  next_.assign(chunks.size(), std::vector<uint64_t>(partitions_.size()));
  for (size_t c = 0; c < chunks.size(); ++c) {
    for (size_t p = 0; p < partitions_.size(); ++p) next_[c][p] = partitions_[p].slice_begin[c];
  }
}

void PairAggregator::Add(size_t chunk, const EventContacts& event) {
  if (!(event.time <= as_of_)) return;
  const size_t targets = event.targets.size();
  const double base = EventEffort(effort_, event.kind, event.duration, event.effort_override,
                                  !std::isnan(event.effort_override), event.valence);
  PackedContact contact;
  contact.time = event.time;
  contact.per_target = base / std::sqrt(static_cast<double>(targets));
  contact.duration = static_cast<float>(event.duration);
  contact.kind = event.kind;
  contact.channel = event.channel;
  const uint8_t common = (event.valence < 0 ? kNegative : 0) | (event.is_private ? kPrivate : 0);
  for (const PersonIndex target : event.targets) {
    if (target == event.actor) continue;
    const PersonIndex u = std::min(event.actor, target), v = std::max(event.actor, target);
    contact.key = (uint64_t{u} << person_bits_) | v;
    contact.flags = common | (event.actor == u ? kFromU : 0);
    const size_t p = contact.key >> partition_shift_;
    Partition& partition = partitions_[p];
    const uint64_t at = next_[chunk][p]++;
    if (at >= partition.slice_begin[chunk + 1]) {
      std::fprintf(stderr, "PairAggregator: chunk %zu adds more contacts than its census\n", chunk);
      std::abort();
    }
    if (partition.contacts != nullptr) {
      partition.contacts[at] = contact;
      continue;
    }
    // The buffer holds the slots since the last whole multiple of kSpillBufferContacts.
    std::unique_ptr<PackedContact[]>& buffer = spill_buffer_[chunk];
    if (buffer == nullptr) {
      buffer.reset(new PackedContact[partitions_.size() * kSpillBufferContacts]);
    }
    const uint64_t filled = at + 1 - partition.slice_begin[chunk];
    buffer[p * kSpillBufferContacts + (filled - 1) % kSpillBufferContacts] = contact;
    if (filled % kSpillBufferContacts == 0 && spill_error_[chunk].ok()) {
      spill_error_[chunk] = WriteSpillBuffer(chunk, p);
    }
  }
}

Status PairAggregator::WriteSpillBuffer(size_t chunk, size_t p) {
  const uint64_t filled = next_[chunk][p] - partitions_[p].slice_begin[chunk];
  const uint64_t count = filled % kSpillBufferContacts == 0 && filled > 0
                             ? kSpillBufferContacts
                             : filled % kSpillBufferContacts;
  const auto* bytes =
      reinterpret_cast<const char*>(spill_buffer_[chunk].get() + p * kSpillBufferContacts);
  uint64_t offset = SpillOffset(p, next_[chunk][p] - count);
  for (size_t left = count * sizeof(PackedContact); left > 0;) {
    const ssize_t wrote = ::pwrite(spill_->fd_, bytes, left, static_cast<off_t>(offset));
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) {
      return IoError(fmt::format("cannot write the contacts to a file in {}: {}",
                                 spill_->directory(), std::strerror(errno)));
    }
    bytes += wrote;
    offset += static_cast<uint64_t>(wrote);
    left -= static_cast<size_t>(wrote);
  }
  return Status::Ok();
}

Status PairAggregator::EndChunk(size_t chunk) {
  if (!spilling()) return Status::Ok();
  if (spill_buffer_[chunk] != nullptr) {
    for (size_t p = 0; p < partitions_.size() && spill_error_[chunk].ok(); ++p) {
      if (partitions_[p].contacts == nullptr &&
          (next_[chunk][p] - partitions_[p].slice_begin[chunk]) % kSpillBufferContacts != 0) {
        spill_error_[chunk] = WriteSpillBuffer(chunk, p);
      }
    }
    spill_buffer_[chunk].reset();
  }
  return spill_error_[chunk];
}

uint64_t PairAggregator::contact_count() const {
  uint64_t count = 0;
  for (size_t c = 0; c < next_.size(); ++c) {
    for (size_t p = 0; p < partitions_.size(); ++p) {
      count += next_[c][p] - partitions_[p].slice_begin[c];
    }
  }
  return count;
}

uint64_t PairAggregator::Compact(size_t p) {
  Partition& partition = partitions_[p];
  uint64_t end = 0;
  for (size_t c = 0; c < next_.size(); ++c) {
    const uint64_t filled = next_[c][p] - partition.slice_begin[c];
    PackedContact* from = partition.contacts.get() + partition.slice_begin[c];
    if (partition.contacts.get() + end != from) {
      std::memmove(partition.contacts.get() + end, from, filled * sizeof(PackedContact));
    }
    end += filled;
  }
  return end;
}

// Stable LSD radix sort by key, 16 bits a pass, over the key bits that differ within the
// partition: equal keys keep their input order.
void PairAggregator::SortByKey(std::span<PackedContact> contacts,
                               std::vector<PackedContact>& scratch) {
  if (contacts.size() < 2) return;
  uint64_t differing = 0;
  for (const PackedContact& c : contacts) differing |= c.key ^ contacts.front().key;
  const int key_bits = static_cast<int>(std::bit_width(differing));
  constexpr int kDigitBits = 16;
  constexpr size_t kBuckets = size_t{1} << kDigitBits;
  scratch.resize(contacts.size());
  std::vector<size_t> start(kBuckets);
  PackedContact* from = contacts.data();
  PackedContact* to = scratch.data();
  for (int shift = 0; shift < key_bits; shift += kDigitBits) {
    std::fill(start.begin(), start.end(), 0);
    for (size_t i = 0; i < contacts.size(); ++i) ++start[(from[i].key >> shift) & (kBuckets - 1)];
    size_t sum = 0;
    for (size_t& count : start) sum += std::exchange(count, sum);
    for (size_t i = 0; i < contacts.size(); ++i) {
      to[start[(from[i].key >> shift) & (kBuckets - 1)]++] = from[i];
    }
    std::swap(from, to);
  }
  if (from != contacts.data()) std::copy(from, from + contacts.size(), contacts.data());
}

ContactFacts PairAggregator::Unpack(const PackedContact& contact) {
  ContactFacts facts;
  facts.time = contact.time;
  facts.per_target = contact.per_target;
  facts.duration = contact.duration;
  facts.kind = contact.kind;
  facts.channel = contact.channel;
  facts.from_u = (contact.flags & kFromU) != 0;
  facts.negative = (contact.flags & kNegative) != 0;
  facts.is_private = (contact.flags & kPrivate) != 0;
  return facts;
}

Result<PairTable> PairAggregator::Finish(IncrementalFold incremental) && {
  if (!spilling()) return FinishInMemory(incremental);
  assert(incremental.resume == nullptr && incremental.pause == nullptr);
  return FinishSpilled();
}

size_t PairAggregator::CountPairs(std::span<const PackedContact> sorted) {
  size_t count = 0;
  for (size_t i = 0; i < sorted.size(); ++i) {
    count += i == 0 || sorted[i].key != sorted[i - 1].key ? 1 : 0;
  }
  return count;
}

void PairAggregator::SortByTime(std::span<PackedContact> group) {
  const auto by_time = [](const PackedContact& a, const PackedContact& b) {
    return a.time < b.time;
  };
  if (!std::is_sorted(group.begin(), group.end(), by_time)) {
    std::stable_sort(group.begin(), group.end(), by_time);
  }
}

Status PairAggregator::ReadSpilledPartition(size_t p, std::vector<PackedContact>& contacts) const {
  const Partition& partition = partitions_[p];
  uint64_t total = 0;
  for (size_t c = 0; c < next_.size(); ++c) total += next_[c][p] - partition.slice_begin[c];
  contacts.resize(total);
  auto* into = reinterpret_cast<char*>(contacts.data());
  for (size_t c = 0; c < next_.size(); ++c) {
    uint64_t offset = SpillOffset(p, partition.slice_begin[c]);
    for (size_t left = (next_[c][p] - partition.slice_begin[c]) * sizeof(PackedContact);
         left > 0;) {
      const ssize_t got = ::pread(spill_->fd_, into, left, static_cast<off_t>(offset));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        return IoError(fmt::format("cannot read back the contacts written in {}: {}",
                                   spill_->directory(),
                                   got < 0 ? std::strerror(errno) : "the file is shorter"));
      }
      into += got;
      offset += static_cast<uint64_t>(got);
      left -= static_cast<size_t>(got);
    }
  }
  return Status::Ok();
}

namespace {

// The records of one partition, in pages mapped for them alone: unmapping gives them back to the
// system at once, so the partitions not yet copied into the table and the table never hold the
// pairs twice (freed heap blocks of this size would stay in the process).
class MappedRecords {
 public:
  MappedRecords() = default;
  MappedRecords(MappedRecords&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)) {}
  MappedRecords& operator=(MappedRecords&& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
    return *this;
  }
  ~MappedRecords() {
    if (data_ != nullptr) ::munmap(data_, capacity_ * sizeof(PairRecord));
  }
  // False when the system has no memory for them.
  bool Reserve(size_t capacity) {
    if (capacity == 0) return true;
    void* pages = ::mmap(nullptr, capacity * sizeof(PairRecord), PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (pages == MAP_FAILED) return false;
    data_ = static_cast<PairRecord*>(pages);
    capacity_ = capacity;
    return true;
  }
  void PushBack(const PairRecord& record) { data_[size_++] = record; }  // REQUIRES: room
  std::span<const PairRecord> records() const { return {data_, size_}; }

 private:
  PairRecord* data_ = nullptr;
  size_t size_ = 0, capacity_ = 0;
};

}  // namespace

// One partition a thread (those in memory first): read back if spilled, sorted by pair, each
// pair folded into the partition's records. Then the partitions' records one after another, each
// freed once copied.
Result<PairTable> PairAggregator::FinishSpilled() {
  for (size_t c = 0; c < next_.size(); ++c) RAPPORT_RETURN_IF_ERROR(EndChunk(c));
  const auto partition_count = static_cast<int64_t>(partitions_.size());
  std::vector<MappedRecords> folded(partitions_.size());
  std::vector<Status> read(partitions_.size());
  const uint64_t v_mask = (uint64_t{1} << person_bits_) - 1;
  const PairFolder::Rates rates(decay_, as_of_);
#pragma omp parallel
  {
    std::vector<PackedContact> read_back, scratch;
#pragma omp for schedule(dynamic, 1)
    for (int64_t p = 0; p < partition_count; ++p) {
      std::span<PackedContact> contacts;
      if (partitions_[p].contacts != nullptr) {
        contacts = {partitions_[p].contacts.get(), Compact(static_cast<size_t>(p))};
      } else {
        read[p] = ReadSpilledPartition(static_cast<size_t>(p), read_back);
        if (!read[p].ok()) continue;
        contacts = read_back;
      }
      SortByKey(contacts, scratch);
      const size_t pair_count = CountPairs(contacts);
      if (!folded[p].Reserve(pair_count)) {
        read[p] = Aborted(fmt::format("no memory for the {} pairs of a partition", pair_count));
        continue;
      }
      for (size_t begin = 0, end = 0; begin < contacts.size(); begin = end) {
        while (end < contacts.size() && contacts[end].key == contacts[begin].key) ++end;
        const std::span group(contacts.data() + begin, end - begin);
        SortByTime(group);
        PairFolder folder(rates, static_cast<PersonIndex>(group[0].key >> person_bits_),
                          static_cast<PersonIndex>(group[0].key & v_mask));
        for (const PackedContact& contact : group) folder.Add(Unpack(contact));
        folded[p].PushBack(folder.Finish());
      }
      partitions_[p].contacts.reset();
    }
  }
  for (const Status& status : read) RAPPORT_RETURN_IF_ERROR(status);
  PairTable table;
  table.person_count = person_count_;
  size_t total = 0;
  for (const MappedRecords& partition : folded) total += partition.records().size();
  table.pairs.reserve(total);
  for (MappedRecords& partition : folded) {
    table.pairs.insert(table.pairs.end(), partition.records().begin(), partition.records().end());
    partition = MappedRecords();
  }
  return table;
}

PairTable PairAggregator::FinishInMemory(IncrementalFold incremental) {
  PairTable table;
  table.person_count = person_count_;
  // 1. Each partition's slices closed up, then grouped by pair, partitions in parallel; count
  // the pairs.
  const auto partition_count = static_cast<int64_t>(partitions_.size());
  std::vector<uint64_t> contact_count(partitions_.size(), 0), pair_count(partitions_.size(), 0);
#pragma omp parallel if (this->contact_count() > 100000)
  {
    std::vector<PackedContact> scratch;
#pragma omp for schedule(dynamic, 1)
    for (int64_t p = 0; p < partition_count; ++p) {
      contact_count[p] = Compact(static_cast<size_t>(p));
      const std::span contacts(partitions_[p].contacts.get(), contact_count[p]);
      SortByKey(contacts, scratch);
      pair_count[p] = CountPairs(contacts);
    }
  }
  size_t total = 0;
  for (const size_t count : pair_count) total += count;
  if (incremental.resume != nullptr) total += incremental.resume->pairs.size();
  table.pairs.reserve(total);

  // 2. Partition after partition (their pairs follow one another in (u, v) order), each pair
  // folded independently in parallel; the partition is freed once folded. A pair is a group of
  // contacts, a state of the checkpoint resumed, or both.
  const uint64_t v_mask = (uint64_t{1} << person_bits_) - 1;
  const auto key_of = [this](const PairRecord& record) {
    return (uint64_t{record.u} << person_bits_) | record.v;
  };
  static constexpr size_t kNone = std::numeric_limits<size_t>::max();
  struct Pair {
    size_t group = kNone;   // index into group_start
    size_t state = kNone;   // index into the resumed checkpoint's pairs
    size_t paused = kNone;  // index of its paused fold, when it has one
  };
  const std::span<const PairState> resumed =
      incremental.resume != nullptr ? incremental.resume->pairs : std::span<const PairState>();
  constexpr double kNotGiven = std::numeric_limits<double>::quiet_NaN();
  const PairFolder::Rates rates(
      decay_, as_of_, incremental.resume != nullptr ? incremental.resume->anchor : kNotGiven,
      incremental.pause != nullptr ? incremental.pause->anchor : kNotGiven);
  size_t resumed_end = 0, paused_count = 0;
  std::vector<size_t> group_start;
  std::vector<Pair> pairs;
  // The paused folds, in pair order: a pair has one when it resumes a state or has a contact at
  // or before the pause's anchor (the fold is not empty when paused). Their places are known
  // before the folds, so only those states are made (at most `total`).
  if (incremental.pause != nullptr) {
    incremental.pause->pairs.clear();
    incremental.pause->pairs.reserve(total);
  }
  for (size_t p = 0; p < partitions_.size(); ++p) {
    const std::span contacts(partitions_[p].contacts.get(), contact_count[p]);
    group_start.clear();
    for (size_t i = 0; i < contacts.size(); ++i) {
      if (i == 0 || contacts[i].key != contacts[i - 1].key) group_start.push_back(i);
    }
    group_start.push_back(contacts.size());
    // The union of this partition's groups and checkpoint states, in key order.
    const size_t resumed_begin = resumed_end;
    while (resumed_end < resumed.size() &&
           key_of(resumed[resumed_end].record) >> partition_shift_ == p) {
      ++resumed_end;
    }
    pairs.clear();
    for (size_t g = 0, s = resumed_begin; g + 1 < group_start.size() || s < resumed_end;) {
      const uint64_t group_key =
          g + 1 < group_start.size() ? contacts[group_start[g]].key : UINT64_MAX;
      const uint64_t state_key = s < resumed_end ? key_of(resumed[s].record) : UINT64_MAX;
      Pair pair;
      if (group_key <= state_key) pair.group = g++;
      if (state_key <= group_key) pair.state = s++;
      if (incremental.pause != nullptr) {
        bool paused = pair.state != kNone;
        if (!paused && pair.group != kNone) {
          const auto group = contacts.subspan(
              group_start[pair.group], group_start[pair.group + 1] - group_start[pair.group]);
          paused = std::any_of(group.begin(), group.end(), [&](const PackedContact& contact) {
            return contact.time <= incremental.pause->anchor;
          });
        }
        if (paused) pair.paused = paused_count++;
      }
      pairs.push_back(pair);
    }
    if (incremental.pause != nullptr) incremental.pause->pairs.resize(paused_count);
    const size_t first_pair = table.pairs.size();
    const auto count = static_cast<int64_t>(pairs.size());
    table.pairs.resize(first_pair + pairs.size());
#pragma omp parallel for schedule(dynamic, 512) if (count > 1024)
    for (int64_t i = 0; i < count; ++i) {
      const Pair pair = pairs[static_cast<size_t>(i)];
      auto begin = contacts.begin(), end = contacts.begin();
      if (pair.group != kNone) {
        begin = contacts.begin() + static_cast<int64_t>(group_start[pair.group]);
        end = contacts.begin() + static_cast<int64_t>(group_start[pair.group + 1]);
      }
      SortByTime({begin, end});
      PairFolder folder =
          pair.state != kNone
              ? PairFolder::Resume(resumed[pair.state], rates)
              : PairFolder(rates, static_cast<PersonIndex>(begin->key >> person_bits_),
                           static_cast<PersonIndex>(begin->key & v_mask));
      bool pause_pending = incremental.pause != nullptr;
      const auto pause = [&] {
        assert(folder.empty() == (pair.paused == kNone));
        if (pair.paused != kNone) incremental.pause->pairs[pair.paused] = folder.Pause();
        pause_pending = false;
      };
      for (auto c = begin; c != end; ++c) {
        if (pause_pending && c->time > incremental.pause->anchor) pause();
        folder.Add(Unpack(*c));
      }
      if (pause_pending) pause();
      table.pairs[first_pair + static_cast<size_t>(i)] = folder.Finish();
    }
    partitions_[p] = Partition();
  }
  return table;
}

std::optional<uint32_t> FindPair(const PairTable& table, PersonIndex a, PersonIndex b) {
  const PersonIndex u = std::min(a, b), v = std::max(a, b);
  auto it = std::lower_bound(
      table.pairs.begin(), table.pairs.end(), std::pair{u, v},
      [](const PairRecord& record, const std::pair<PersonIndex, PersonIndex>& key) {
        return std::pair{record.u, record.v} < key;
      });
  if (it == table.pairs.end() || it->u != u || it->v != v) return std::nullopt;
  return static_cast<uint32_t>(it - table.pairs.begin());
}

}  // namespace rapport::graph
