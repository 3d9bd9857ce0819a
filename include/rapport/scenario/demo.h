// The built-in demo scenario: the story of the blog post behind Rapport, as events.
//
//  - maya, a blogger whose real relationships live in email, blog comments, phone calls and
//    favours (reading drafts, promoting a friend's e-book), and who tweets little;
//  - blaze, a high-volume broadcaster: many posts a day, liked and shared by many fans he barely
//    knows, and only a couple of real friends;
//  - ordinary people in small circles of friends who message and call each other;
//  - sam, maya's friend who is never on Twitter: email and phone only;
//  - lou, who only ever likes maya's tweets.
//
// Deterministic: the same options give the same events, byte for byte (own RNG, no
// std::*_distribution). Knobs let tests and the demo change one thing at a time.
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rapport/core/event.h"

namespace rapport::scenario {

// The demo's title and story, as the report and the dashboard show them.
inline constexpr std::string_view kDemoTitle = "Rapport demo: the blogger and the broadcaster";
inline constexpr std::string_view kDemoStory =
    "maya blogs weekly and keeps her friendships alive by email, blog comments, phone calls and "
    "favours (reading drafts, promoting a friend's e-book). blaze posts eight times a day to fans "
    "he barely knows. The volume score, built like Klout's, rewards blaze's noise; the rapport "
    "score, built from the strength of real relationships, sees maya.";

struct DemoOptions {
  uint64_t seed = 2009;
  double end_time = 1795204800;  // 2026-11-20T00:00:00Z: the scenario's "now"
  int weeks = 104;               // how far back the story starts
  int ordinary_people = 60;
  int fans = 150;
  double broadcaster_posts_per_day = 8;

  // One person goes quiet: their own actions in the last `silent_days` days are removed (and,
  // when silent_both_ways, everything aimed at them too: no contact at all).
  std::string silent_person;
  double silent_days = 0;
  bool silent_both_ways = false;

  // Extra broadcast posts (no targets, so no engagement) by `extra_posts_person`, as a multiple
  // of that person's own posts in the scenario: 9 makes ten times the broadcast volume.
  std::string extra_posts_person;
  double extra_posts_multiple = 0;
};

inline constexpr const char* kBlogger = "maya";
inline constexpr const char* kBroadcaster = "blaze";
inline constexpr const char* kEmailPhoneFriend = "sam";
inline constexpr const char* kLikeOnlyAcquaintance = "lou";

std::vector<Event> BuildDemoEvents(const DemoOptions& options);

// The scenario's events as CSV in the documented event schema (docs/formats.md), header first.
std::string DemoEventsCsv(const std::vector<Event>& events);

}  // namespace rapport::scenario
