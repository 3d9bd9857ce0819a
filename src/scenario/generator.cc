#include "rapport/scenario/generator.h"

#include <algorithm>
#include <cmath>
#include <queue>
#include <vector>

#include "rapport/core/time.h"

namespace rapport::scenario {
namespace {

// splitmix64's finaliser: a good 64-bit mix, so hashes of (person, k) are independent draws.
uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}
uint64_t Hash(uint64_t a, uint64_t b, uint64_t seed) { return Mix(Mix(a ^ seed) + b); }
double Unit(uint64_t h) { return static_cast<double>(h >> 11) * 0x1.0p-53; }

// Vose's alias method: draws person p with probability weight[p] / sum, in O(1).
class AliasTable {
 public:
  explicit AliasTable(const std::vector<double>& weight) {
    const size_t n = weight.size();
    probability_.resize(n);
    alias_.resize(n);
    double total = 0;
    for (double w : weight) total += w;
    std::vector<double> scaled(n);
    std::vector<uint32_t> small, large;
    for (size_t i = 0; i < n; ++i) {
      scaled[i] = weight[i] * static_cast<double>(n) / total;
      (scaled[i] < 1 ? small : large).push_back(static_cast<uint32_t>(i));
    }
    while (!small.empty() && !large.empty()) {
      const uint32_t s = small.back(), l = large.back();
      small.pop_back();
      probability_[s] = static_cast<float>(scaled[s]);
      alias_[s] = l;
      scaled[l] -= 1 - scaled[s];
      if (scaled[l] < 1) {
        large.pop_back();
        small.push_back(l);
      }
    }
    for (uint32_t i : large) probability_[i] = 1, alias_[i] = i;
    for (uint32_t i : small) probability_[i] = 1, alias_[i] = i;
  }

  uint32_t Sample(uint64_t h) const {
    const uint32_t slot = static_cast<uint32_t>((h >> 32) % probability_.size());
    return Unit(Mix(h)) < probability_[slot] ? slot : alias_[slot];
  }

 private:
  std::vector<float> probability_;
  std::vector<uint32_t> alias_;
};

constexpr Channel kPairChannels[] = {Channel::kEmail,    Channel::kSms,     Channel::kChat,
                                     Channel::kPhone,    Channel::kTwitter, Channel::kMastodon,
                                     Channel::kFacebook, Channel::kBlog};
constexpr double kSilentBlockDays = 28;
constexpr double kSilentShare = 0.10;
constexpr double kInCommunity = 0.85;
constexpr double kFavourShare = 0.005;
constexpr double kAnswerDelaySeconds = 3 * 3600;

struct Pending {
  ingest::BinaryEvent event;
  bool operator>(const Pending& other) const { return event.time > other.event.time; }
};

class Generator {
 public:
  explicit Generator(const GeneratorOptions& options)
      : options_(options), people_(options.people), rate_(Rates()), actors_(rate_) {
    const uint64_t groups = std::max<uint64_t>(1, people_ / std::max(1u, options.community_size));
    group_start_.assign(groups + 1, 0);
    for (uint64_t p = 0; p < people_; ++p) ++group_start_[GroupOf(p, groups) + 1];
    for (uint64_t g = 0; g < groups; ++g) group_start_[g + 1] += group_start_[g];
    members_.resize(people_);
    std::vector<uint64_t> cursor(group_start_.begin(), group_start_.end() - 1);
    for (uint64_t p = 0; p < people_; ++p) {
      members_[cursor[GroupOf(p, groups)]++] = static_cast<uint32_t>(p);
    }
  }

  Status Run(const std::function<Status(const ingest::BinaryEvent&)>& on_event) {
    const double span = options_.years * 365.25 * kSecondsPerDay;
    const double total = static_cast<double>(options_.events);
    std::priority_queue<Pending, std::vector<Pending>, std::greater<>> answers;
    uint64_t emitted = 0;
    for (uint64_t i = 0; emitted < options_.events; ++i) {
      const uint64_t h = Hash(i, 0x5EED, options_.seed);
      const double time =
          options_.start_time + span * (static_cast<double>(emitted) + Unit(h)) / total;
      while (!answers.empty() && answers.top().event.time <= time && emitted < options_.events) {
        RAPPORT_RETURN_IF_ERROR(on_event(answers.top().event));
        answers.pop();
        ++emitted;
      }
      if (emitted >= options_.events) break;
      ingest::BinaryEvent event = Draw(i, time);
      if (!event.targets.empty() && event.kind != Kind::kLike && event.kind != Kind::kShare &&
          Unit(Hash(i, 0xA45, options_.seed)) < options_.answer_share) {
        answers.push({Answer(event, i)});
      }
      RAPPORT_RETURN_IF_ERROR(on_event(event));
      ++emitted;
    }
    return Status::Ok();
  }

 private:
  std::vector<double> Rates() const {
    std::vector<double> rate(people_);
    for (uint64_t p = 0; p < people_; ++p) {
      // Pareto(alpha 1.5) by inversion, capped so one person cannot take everything.
      rate[p] = std::min(1000.0, std::pow(1 - Unit(Hash(p, 0x7A7E, options_.seed)), -1 / 1.5));
    }
    return rate;
  }

  uint64_t GroupOf(uint64_t person, uint64_t groups) const {
    return Hash(person, 0x6709, options_.seed) % groups;
  }

  // The k-th contact of a person: a fixed draw, so the same contacts recur.
  uint32_t Contact(uint32_t person, uint64_t k) const {
    const uint64_t h = Hash(person, k + 0x100, options_.seed);
    uint32_t other;
    if (Unit(h) < kInCommunity) {
      const uint64_t groups = group_start_.size() - 1;
      const uint64_t g = GroupOf(person, groups);
      const uint64_t size = group_start_[g + 1] - group_start_[g];
      other = members_[group_start_[g] + Mix(h) % size];
    } else {
      other = actors_.Sample(Mix(h ^ 0x600D));
    }
    return other != person ? other : static_cast<uint32_t>((person + 1) % people_);
  }

  // Contact ranks k are log-uniform over [0, K): P(k) ~ 1 / (k + 1), K growing with activity.
  uint64_t ContactRank(uint32_t person, uint64_t h) const {
    const double most = std::clamp(8 * std::sqrt(rate_[person]), 3.0, 500.0);
    return static_cast<uint64_t>(std::exp(Unit(h) * std::log(most + 1))) - 1;
  }

  bool Silent(uint32_t person, double time) const {
    const auto block =
        static_cast<uint64_t>((time - options_.start_time) / (kSilentBlockDays * kSecondsPerDay));
    return Unit(Hash(person, block + 0x51E7, options_.seed)) < kSilentShare;
  }

  ingest::BinaryEvent Draw(uint64_t i, double time) const {
    uint64_t h = Hash(i, 1, options_.seed);
    uint32_t actor = actors_.Sample(h);
    for (int attempt = 0; attempt < 8 && Silent(actor, time); ++attempt) {
      h = Mix(h);
      actor = actors_.Sample(h);
    }
    ingest::BinaryEvent event;
    event.time = time;
    event.actor = actor;
    const double draw = Unit(Mix(h + 2));
    if (draw < options_.broadcast_share) {
      constexpr Channel kBroadcast[] = {Channel::kTwitter, Channel::kMastodon, Channel::kBlog};
      event.channel = kBroadcast[Hash(actor, 0xB0, options_.seed) % 3];
      event.kind = Kind::kPost;
      return event;
    }
    const uint32_t target = Contact(actor, ContactRank(actor, Mix(h + 3)));
    event.targets.push_back(target);
    event.channel = PairChannel(actor, target);
    const double kind_draw = Unit(Mix(h + 4));
    event.kind = KindFor(event.channel, kind_draw);
    if (Unit(Mix(h + 5)) < kFavourShare) event.kind = Kind::kFavour;
    if (event.channel == Channel::kEmail && Unit(Mix(h + 6)) < options_.group_email_share) {
      const uint64_t extra = 1 + Mix(h + 7) % 5;
      for (uint64_t k = 0; k < extra; ++k) {
        const uint32_t other = Contact(actor, k);
        if (std::find(event.targets.begin(), event.targets.end(), other) == event.targets.end()) {
          event.targets.push_back(other);
        }
      }
    }
    if (event.kind == Kind::kCall) {
      event.duration = static_cast<float>(-300 * std::log(1 - Unit(Mix(h + 8))));
    }
    event.is_private = DefaultPrivate(event.channel, event.kind);
    return event;
  }

  Channel PairChannel(uint32_t a, uint32_t b) const {
    return kPairChannels[Hash(std::min(a, b), std::max(a, b), options_.seed ^ 0xC4A) % 8];
  }

  static Kind KindFor(Channel channel, double draw) {
    switch (channel) {
      case Channel::kEmail:
        return Kind::kEmail;
      case Channel::kPhone:
        return Kind::kCall;
      case Channel::kBlog:
        return Kind::kComment;
      case Channel::kTwitter:
      case Channel::kMastodon:
        return draw < 0.4   ? Kind::kReply
               : draw < 0.6 ? Kind::kMention
               : draw < 0.9 ? Kind::kLike
                            : Kind::kShare;
      default:
        return Kind::kMessage;
    }
  }

  ingest::BinaryEvent Answer(const ingest::BinaryEvent& event, uint64_t i) const {
    ingest::BinaryEvent answer;
    answer.time =
        event.time - kAnswerDelaySeconds * std::log(1 - Unit(Hash(i, 0xDE1A, options_.seed)));
    answer.actor = event.targets.front();
    answer.targets = {event.actor};
    answer.channel = event.channel;
    answer.kind =
        event.kind == Kind::kMention || event.kind == Kind::kFavour ? Kind::kReply : event.kind;
    if (answer.channel == Channel::kBlog) answer.kind = Kind::kComment;
    answer.duration = event.duration;
    answer.is_private = DefaultPrivate(answer.channel, answer.kind);
    return answer;
  }

  const GeneratorOptions& options_;
  uint64_t people_;
  std::vector<double> rate_;
  AliasTable actors_;
  std::vector<uint64_t> group_start_;
  std::vector<uint32_t> members_;
};

}  // namespace

Status GenerateEvents(const GeneratorOptions& options,
                      const std::function<Status(const ingest::BinaryEvent&)>& on_event) {
  if (options.people < 2 || options.people > ingest::kMaxBinaryPerson) {
    return InvalidArgument("--people must be between 2 and 4294967294");
  }
  if (!(options.years > 0)) return InvalidArgument("--years must be positive");
  Generator generator(options);
  return generator.Run(on_event);
}

}  // namespace rapport::scenario
