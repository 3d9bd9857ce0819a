// Pseudonyms from a keyed hash (HMAC-SHA-256 through GLib); see pseudonym.h.
#include "rapport/report/pseudonym.h"

#include <fmt/format.h>
#include <glib.h>

#include <memory>
#include <unordered_map>

namespace rapport::report {

std::string Pseudonym(std::string_view key, int64_t person_id) {
  const std::string message = std::to_string(person_id);
  std::unique_ptr<gchar, decltype(&g_free)> digest(
      g_compute_hmac_for_data(G_CHECKSUM_SHA256, reinterpret_cast<const guchar*>(key.data()),
                              key.size(), reinterpret_cast<const guchar*>(message.data()),
                              message.size()),
      &g_free);
  return "person-" + std::string(digest.get(), kPseudonymHexDigits);
}

Status PseudonymizeRun(score::ScoreRun& run, std::string_view key) {
  if (key.empty()) return InvalidArgument("pseudonyms need a key (the store's pseudonym_key)");
  std::unordered_map<std::string, int64_t> owner_of;
  for (score::PersonScore& person : run.people) {
    std::string pseudonym = Pseudonym(key, person.id);
    auto [it, inserted] = owner_of.emplace(pseudonym, person.id);
    if (!inserted) {
      return Internal(fmt::format("people #{} and #{} share the pseudonym {}; report this",
                                  it->second, person.id, pseudonym));
    }
    person.name = std::move(pseudonym);
  }
  return Status::Ok();
}

}  // namespace rapport::report
