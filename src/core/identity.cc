#include "rapport/core/identity.h"

#include <algorithm>
#include <cctype>

#include "rapport/core/text.h"

namespace rapport {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

bool IsEmail(std::string_view text) {
  const size_t at = text.find('@');
  if (at == 0 || at == std::string_view::npos || text.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  if (text.find_first_of(" \t<>:/") != std::string_view::npos) return false;
  const std::string_view domain = text.substr(at + 1);
  const size_t dot = domain.find('.');
  return dot != std::string_view::npos && dot > 0 && dot + 1 < domain.size();
}

}  // namespace

std::string_view IdentityKindName(IdentityKind kind) {
  switch (kind) {
    case IdentityKind::kEmail:
      return "email";
    case IdentityKind::kHandle:
      return "handle";
    case IdentityKind::kFediverse:
      return "fediverse";
    case IdentityKind::kAccountId:
      return "account id";
    case IdentityKind::kUrl:
      return "url";
    case IdentityKind::kPhone:
      return "phone";
    case IdentityKind::kName:
      return "name";
    case IdentityKind::kOther:
      return "other";
  }
  return "other";
}

IdentityKind KindOfIdentity(std::string_view identity) {
  identity = Trim(identity);
  const std::string lower = AsciiLower(identity.substr(0, 12));
  if (lower.starts_with("tel:")) return IdentityKind::kPhone;
  if (lower.starts_with("http://") || lower.starts_with("https://")) return IdentityKind::kUrl;
  if (lower.starts_with("twitter:")) return IdentityKind::kAccountId;
  if (lower.starts_with("facebook:") || lower.starts_with("wordpress:")) return IdentityKind::kName;
  if (identity.starts_with('@')) {
    return identity.find('@', 1) == std::string_view::npos ? IdentityKind::kHandle
                                                           : IdentityKind::kFediverse;
  }
  if (IsEmail(identity)) return IdentityKind::kEmail;
  return IdentityKind::kOther;
}

std::string NormalizeIdentity(std::string_view identity) {
  identity = Trim(identity);
  switch (KindOfIdentity(identity)) {
    case IdentityKind::kEmail:
    case IdentityKind::kHandle:
    case IdentityKind::kFediverse:
    case IdentityKind::kAccountId:
      return AsciiLower(identity);
    case IdentityKind::kUrl: {
      const size_t scheme_end = identity.find("://") + 3;
      const size_t host_end = std::min(identity.find('/', scheme_end), identity.size());
      std::string out = AsciiLower(identity.substr(0, host_end));
      out += identity.substr(host_end);
      while (out.size() > host_end && out.back() == '/') out.pop_back();
      return out;
    }
    case IdentityKind::kPhone: {
      std::string out = "tel:";
      std::string_view number = identity.substr(4);
      for (char c : number) {
        if ((c == '+' && out.size() == 4) || std::isdigit(static_cast<unsigned char>(c))) {
          out += c;
        }
      }
      return out;
    }
    case IdentityKind::kName:
    case IdentityKind::kOther:
      break;
  }
  return std::string(identity);
}

}  // namespace rapport
