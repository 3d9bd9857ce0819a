// Identities: how a person appears on one channel (an email address, a handle, a phone number,
// a profile URL, a Messenger name). docs/formats.md, "Identities", gives the forms; this file
// gives their normal form, so that "Maya@Example.org" and "maya@example.org" are one identity.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace rapport {

enum class IdentityKind {
  kEmail,      // maya@example.org
  kHandle,     // @maya (Twitter/X)
  kFediverse,  // @maya@mastodon.social
  kAccountId,  // twitter:12345
  kUrl,        // https://mastodon.social/@maya
  kPhone,      // tel:+15551234567
  kName,       // facebook:Maya Lin, wordpress:Maya (a name on one service)
  kOther,      // anything else (SNAP node ids, free text)
};
std::string_view IdentityKindName(IdentityKind kind);

IdentityKind KindOfIdentity(std::string_view identity);

// The normal form: surrounding blanks trimmed; email addresses, handles and fediverse accounts
// lower-cased; a URL's scheme and host lower-cased and a trailing '/' dropped; a phone number
// reduced to "tel:" + an optional '+' and its digits. Names and other identities keep their case.
std::string NormalizeIdentity(std::string_view identity);

}  // namespace rapport
