// Pseudonyms: stable stand-ins for people's names in outputs that leave the machine (`export
// --pseudonymize`). A person's pseudonym is "person-" followed by the first 16 hex digits of
// HMAC-SHA-256(key, the person's id in decimal), the key being the store's secret
// (Store::PseudonymKey). So the same person has the same pseudonym in every run and format, two
// people have different ones (a 64-bit prefix; a collision is reported, never written), and
// without the store's key there is no way back from a pseudonym to a person.
// HMAC-SHA-256 is GLib's (g_compute_hmac_for_data), which GMime already brings in.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "rapport/core/status.h"
#include "rapport/score/scorer.h"

namespace rapport::report {

inline constexpr size_t kPseudonymHexDigits = 16;

// "person-" + kPseudonymHexDigits hex digits. REQUIRES: key not empty.
std::string Pseudonym(std::string_view key, int64_t person_id);

// Replaces the name of every scored person of `run` by their pseudonym (outputs take names from
// run.people only). InvalidArgument for an empty key; Internal if two people would share a
// pseudonym.
Status PseudonymizeRun(score::ScoreRun& run, std::string_view key);

}  // namespace rapport::report
