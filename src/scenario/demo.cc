#include "rapport/scenario/demo.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "rapport/core/time.h"

namespace rapport::scenario {
namespace {

// splitmix64: small, fast and identical on every platform.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  double Between(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  size_t Below(size_t n) { return static_cast<size_t>(Uniform() * static_cast<double>(n)); }
  bool Chance(double p) { return Uniform() < p; }
  // Gap to the next event of a Poisson process with `rate` events per second.
  double Gap(double rate) { return -std::log(1.0 - Uniform()) / rate; }

 private:
  uint64_t state_;
};

constexpr std::array<const char*, 9> kBloggerFriends = {"ben",  "chloe", "dev",  "erin", "finn",
                                                        "gina", "hugo",  "iris", "jack"};
constexpr std::array<const char*, 60> kOrdinaryNames = {
    "alba", "arlo", "bruno", "cleo",  "dara",  "eli",    "faye", "gus",   "hana",  "ivo",
    "jade", "kofi", "lena",  "milo",  "nia",   "oscar",  "pia",  "quinn", "rosa",  "sami",
    "tara", "udo",  "vera",  "wes",   "xena",  "yuri",   "zoe",  "amir",  "bella", "cyrus",
    "dina", "emil", "flora", "gabe",  "hedda", "ines",   "joel", "kira",  "leon",  "maja",
    "nils", "olga", "pavel", "rhea",  "silas", "thea",   "uma",  "vito",  "wanda", "xavi",
    "yara", "zane", "anke",  "boris", "carla", "dmitri", "edda", "felix", "greta", "henri"};
constexpr std::array<const char*, 2> kBroadcasterFriends = {"kai", "noor"};

class Builder {
 public:
  Builder(const DemoOptions& options)
      : options_(options),
        random_(options.seed),
        end_(options.end_time),
        start_(options.end_time - options.weeks * kSecondsPerWeek) {}

  std::vector<Event>& events() { return events_; }
  Random& random() { return random_; }
  double start() const { return start_; }
  double end() const { return end_; }

  void Add(double time, Channel channel, Kind kind, const std::string& actor,
           std::vector<std::string> targets, double duration = 0, std::string text = {}) {
    Event event;
    event.time = std::floor(time);
    event.channel = channel;
    event.kind = kind;
    event.actor = actor;
    event.targets = std::move(targets);
    event.is_private = DefaultPrivate(channel, kind);
    event.duration = duration;
    event.source = "demo";
    event.native_id = fmt::format("demo-{}", events_.size() + 1);
    event.text = std::move(text);
    events_.push_back(std::move(event));
  }

  // Events of one kind from `actor` to `target` as a Poisson process of `per_week` events a
  // week between `from` and the end.
  void Stream(double from, double per_week, Channel channel, Kind kind, const std::string& actor,
              const std::string& target, double min_minutes = 0, double max_minutes = 0) {
    if (per_week <= 0) return;
    const double rate = per_week / kSecondsPerWeek;
    for (double t = from + random_.Gap(rate); t < end_; t += random_.Gap(rate)) {
      double duration = max_minutes > 0 ? 60 * random_.Between(min_minutes, max_minutes) : 0;
      Add(t, channel, kind, actor,
          target.empty() ? std::vector<std::string>{} : std::vector<std::string>{target}, duration);
    }
  }

  // A two-way relationship: the same stream in both directions.
  void Both(double from, double per_week, Channel channel, Kind kind, const std::string& a,
            const std::string& b, double min_minutes = 0, double max_minutes = 0) {
    Stream(from, per_week / 2, channel, kind, a, b, min_minutes, max_minutes);
    Stream(from, per_week / 2, channel, kind, b, a, min_minutes, max_minutes);
  }

  double WeeksIn(double weeks) const { return start_ + weeks * kSecondsPerWeek; }

 private:
  const DemoOptions& options_;
  Random random_;
  double end_, start_;
  std::vector<Event> events_;
};

void AddBlogger(Builder& b) {
  Random& random = b.random();
  const std::string maya = kBlogger;
  // Her broadcasts: a blog post a week, a few tweets.
  b.Stream(b.start(), 1, Channel::kBlog, Kind::kPost, maya, "");
  b.Stream(b.start(), 3, Channel::kTwitter, Kind::kPost, maya, "");
  // Close friends: email, blog comments, calls, favours; a little Twitter.
  for (size_t i = 0; i < kBloggerFriends.size(); ++i) {
    const std::string friend_name = kBloggerFriends[i];
    const double from = b.WeeksIn(random.Between(0, 50));
    b.Both(from, random.Between(1.5, 3), Channel::kEmail, Kind::kEmail, maya, friend_name);
    b.Both(from, random.Between(0.3, 0.8), Channel::kPhone, Kind::kCall, maya, friend_name, 5, 45);
    b.Stream(from, random.Between(0.4, 1.0), Channel::kBlog, Kind::kComment, friend_name, maya);
    b.Stream(from, random.Between(0.2, 0.5), Channel::kBlog, Kind::kReply, maya, friend_name);
    b.Stream(from, 0.3, Channel::kTwitter, Kind::kLike, friend_name, maya);
    // Favours, both ways: reading a draft, promoting an e-book, checking in.
    b.Stream(from, 1.0 / 8, Channel::kEmail, Kind::kFavour, friend_name, maya);
    b.Stream(from, 1.0 / 10, Channel::kInPerson, Kind::kFavour, maya, friend_name);
    // Her friends know each other too.
    if (i > 0) {
      b.Both(from, 0.5, Channel::kEmail, Kind::kEmail, friend_name, kBloggerFriends[i - 1]);
    }
  }
  // sam: never on Twitter; email and phone only.
  const std::string sam = kEmailPhoneFriend;
  b.Both(b.WeeksIn(10), 2, Channel::kEmail, Kind::kEmail, maya, sam);
  b.Both(b.WeeksIn(10), 0.6, Channel::kPhone, Kind::kCall, maya, sam, 10, 50);
  // lou: likes her tweets, nothing else.
  b.Stream(b.WeeksIn(20), 1.5, Channel::kTwitter, Kind::kLike, kLikeOnlyAcquaintance, maya);
}

void AddBroadcaster(Builder& b, const DemoOptions& options) {
  Random& random = b.random();
  const std::string blaze = kBroadcaster;
  std::vector<std::string> fans;
  for (int i = 1; i <= options.fans; ++i) fans.push_back(fmt::format("fan{:03}", i));
  // Posts, each liked by a few fans, sometimes shared or replied to.
  const double rate = options.broadcaster_posts_per_day / kSecondsPerDay;
  for (double t = b.start() + random.Gap(rate); t < b.end(); t += random.Gap(rate)) {
    b.Add(t, Channel::kTwitter, Kind::kPost, blaze, {});
    const int likes = 2 + static_cast<int>(random.Below(5));
    for (int l = 0; l < likes; ++l) {
      b.Add(t + random.Between(60, 6 * 3600), Channel::kTwitter, Kind::kLike,
            fans[random.Below(fans.size())], {blaze});
    }
    if (random.Chance(0.5)) {
      b.Add(t + random.Between(60, 6 * 3600), Channel::kTwitter, Kind::kShare,
            fans[random.Below(fans.size())], {blaze});
    }
    if (random.Chance(0.3)) {
      b.Add(t + random.Between(60, 6 * 3600), Channel::kTwitter, Kind::kMention,
            fans[random.Below(fans.size())], {blaze});
    }
    if (random.Chance(0.05)) {
      b.Add(t + random.Between(60, 3600), Channel::kTwitter, Kind::kReply, blaze,
            {fans[random.Below(fans.size())]});
    }
  }
  for (const char* friend_name : kBroadcasterFriends) {
    b.Both(b.WeeksIn(5), 1.5, Channel::kTwitter, Kind::kMessage, blaze, friend_name);
  }
}

void AddOrdinaryPeople(Builder& b, const DemoOptions& options) {
  Random& random = b.random();
  std::vector<std::string> people;
  for (int i = 0; i < options.ordinary_people; ++i) {
    people.push_back(i < static_cast<int>(kOrdinaryNames.size())
                         ? std::string(kOrdinaryNames[i])
                         : fmt::format("person{:03}", i + 1));
  }
  // Circles of six: each pair in a circle is friends with probability one half.
  constexpr size_t kCircle = 6;
  for (size_t i = 0; i < people.size(); ++i) {
    const size_t circle_end = std::min(people.size(), (i / kCircle + 1) * kCircle);
    for (size_t j = i + 1; j < circle_end; ++j) {
      if (!random.Chance(0.5)) continue;
      const double from = b.WeeksIn(random.Between(0, 80));
      b.Both(from, random.Between(0.5, 3), Channel::kChat, Kind::kMessage, people[i], people[j]);
      b.Both(from, random.Between(0.05, 0.3), Channel::kPhone, Kind::kCall, people[i], people[j], 2,
             30);
      if (random.Chance(0.3)) {
        b.Both(from, random.Between(0.1, 0.5), Channel::kInPerson, Kind::kMeeting, people[i],
               people[j], 60, 180);
      }
    }
    // Their own posts, and weak ties across circles: a few likes and mentions.
    b.Stream(b.start(), random.Between(0, 4), Channel::kTwitter, Kind::kPost, people[i], "");
    for (int k = 0; k < 2; ++k) {
      const std::string& other = people[random.Below(people.size())];
      if (other == people[i]) continue;
      b.Stream(b.start(), random.Between(0.1, 0.6), Channel::kTwitter, Kind::kLike, people[i],
               other);
    }
    if (random.Chance(0.3)) {
      b.Stream(b.start(), 0.2, Channel::kTwitter, Kind::kMention, people[i],
               people[random.Below(people.size())]);
    }
  }
  // The blogger's and the broadcaster's friends belong to circles too.
  for (size_t i = 0; i < kBloggerFriends.size() && i < people.size(); ++i) {
    b.Both(b.WeeksIn(random.Between(0, 60)), 1, Channel::kChat, Kind::kMessage, kBloggerFriends[i],
           people[i * 5 % people.size()]);
  }
  for (size_t i = 0; i < kBroadcasterFriends.size() && i < people.size(); ++i) {
    b.Both(b.start(), 1, Channel::kChat, Kind::kMessage, kBroadcasterFriends[i],
           people[(i * 7 + 3) % people.size()]);
  }
}

}  // namespace

std::vector<Event> BuildDemoEvents(const DemoOptions& options) {
  Builder builder(options);
  AddBlogger(builder);
  AddBroadcaster(builder, options);
  AddOrdinaryPeople(builder, options);
  std::vector<Event>& events = builder.events();
  // Drop self-directed events that random picks may produce.
  std::erase_if(events, [](const Event& e) {
    return std::find(e.targets.begin(), e.targets.end(), e.actor) != e.targets.end();
  });

  if (!options.extra_posts_person.empty() && options.extra_posts_multiple > 0) {
    size_t own_posts = 0;
    for (const Event& e : events) {
      own_posts += e.actor == options.extra_posts_person && e.kind == Kind::kPost ? 1 : 0;
    }
    const size_t extra = static_cast<size_t>(
        std::llround(static_cast<double>(own_posts) * options.extra_posts_multiple));
    Random& random = builder.random();
    for (size_t i = 0; i < extra; ++i) {
      builder.Add(random.Between(builder.start(), builder.end()), Channel::kTwitter, Kind::kPost,
                  options.extra_posts_person, {});
    }
  }

  if (!options.silent_person.empty() && options.silent_days > 0) {
    const double quiet_from = options.end_time - options.silent_days * kSecondsPerDay;
    const std::string& who = options.silent_person;
    std::erase_if(events, [&](Event& e) {
      if (e.time < quiet_from) return false;
      if (e.actor == who) return true;
      if (!options.silent_both_ways) return false;
      std::erase(e.targets, who);
      return e.targets.empty() && e.kind != Kind::kPost;
    });
  }
  std::erase_if(events, [&](const Event& e) { return e.time >= options.end_time; });
  std::stable_sort(events.begin(), events.end(),
                   [](const Event& a, const Event& b) { return a.time < b.time; });
  return events;
}

std::string DemoEventsCsv(const std::vector<Event>& events) {
  std::string out = "time,channel,kind,actor,targets,private,duration,native_id\n";
  for (const Event& e : events) {
    std::string targets;
    for (const std::string& target : e.targets) {
      if (!targets.empty()) targets += ';';
      targets += target;
    }
    out += fmt::format("{},{},{},{},{},{},{},{}\n", FormatTime(e.time), ChannelName(e.channel),
                       KindName(e.kind), e.actor, targets, e.is_private ? "true" : "false",
                       e.duration, e.native_id);
  }
  return out;
}

}  // namespace rapport::scenario
