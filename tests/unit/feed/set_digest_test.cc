// SetDigest: order-independent, adding and removing cancel out, and members differing in
// record or seq give different digests.
#include "daemon/feed/set_digest.h"

#include "gtest/gtest.h"

namespace hop::feed {
namespace {

TEST(SetDigestTest, OrderDoesNotMatterAndRemoveUndoesAdd) {
  hop::v1::SetDigest a, b, empty;
  DigestAdd(a, "case/0793-C000001", 4);
  DigestAdd(a, "institution/0793-I000001", 1);
  DigestAdd(b, "institution/0793-I000001", 1);
  DigestAdd(b, "case/0793-C000001", 4);
  EXPECT_TRUE(DigestEqual(a, b));
  EXPECT_EQ(a.count(), 2u);
  DigestRemove(a, "case/0793-C000001", 4);
  DigestRemove(a, "institution/0793-I000001", 1);
  EXPECT_TRUE(DigestEqual(a, empty)) << "an emptied digest equals the empty one";
}

TEST(SetDigestTest, ADifferentSeqOrRecordDiffers) {
  hop::v1::SetDigest a, b, c;
  DigestAdd(a, "case/0793-C000001", 4);
  DigestAdd(b, "case/0793-C000001", 5);
  DigestAdd(c, "case/0793-C000002", 4);
  EXPECT_FALSE(DigestEqual(a, b));
  EXPECT_FALSE(DigestEqual(a, c));
  EXPECT_NE(DigestShort(a), DigestShort(b));
}

}  // namespace
}  // namespace hop::feed
