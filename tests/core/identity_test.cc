#include "rapport/core/identity.h"

#include <gtest/gtest.h>

namespace rapport {
namespace {

TEST(CoreIdentityTest, KindsAndNormalForms) {
  struct Case {
    const char* raw;
    IdentityKind kind;
    const char* normal;
  };
  const Case cases[] = {
      {" Maya@Example.ORG ", IdentityKind::kEmail, "maya@example.org"},
      {"@Maya", IdentityKind::kHandle, "@maya"},
      {"@Maya@Mastodon.Social", IdentityKind::kFediverse, "@maya@mastodon.social"},
      {"twitter:12345", IdentityKind::kAccountId, "twitter:12345"},
      {"HTTPS://Mastodon.Social/@Maya/", IdentityKind::kUrl, "https://mastodon.social/@Maya"},
      {"tel:+1 (555) 010-2000", IdentityKind::kPhone, "tel:+15550102000"},
      {"tel:555.010.2000", IdentityKind::kPhone, "tel:5550102000"},
      {"facebook:Maya Lin", IdentityKind::kName, "facebook:Maya Lin"},
      {"wordpress:maya", IdentityKind::kName, "wordpress:maya"},
      {"1624", IdentityKind::kOther, "1624"},
      {"me", IdentityKind::kOther, "me"},
      {"not an@email", IdentityKind::kOther, "not an@email"},
      {"a@b", IdentityKind::kOther, "a@b"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(KindOfIdentity(c.raw), c.kind) << c.raw;
    EXPECT_EQ(NormalizeIdentity(c.raw), c.normal) << c.raw;
    EXPECT_EQ(NormalizeIdentity(NormalizeIdentity(c.raw)), c.normal) << "idempotent: " << c.raw;
  }
}

}  // namespace
}  // namespace rapport
