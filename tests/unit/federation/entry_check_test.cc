// Every received feed entry is checked: a peer may send only its own records, with a valid
// isikukood; anything else is refused.
#include "daemon/federation/puller.h"
#include "gtest/gtest.h"

namespace hop::federation {
namespace {

hop::v1::FeedEntry CaseEntry(const std::string& id, const std::string& origin,
                             const std::string& child) {
  hop::v1::FeedEntry e;
  e.set_record_key("case/" + id);
  e.mutable_case_summary()->set_case_id(id);
  e.mutable_case_summary()->set_origin(origin);
  e.mutable_case_summary()->set_child_isikukood(child);
  return e;
}

TEST(EntryCheckTest, OwnRecordsAreAccepted) {
  EXPECT_TRUE(Puller::CheckEntry("0793", CaseEntry("0793-C000001", "0793", "60001019906")).ok());
  hop::v1::FeedEntry tombstone;
  tombstone.set_record_key("case/0793-C000001");
  tombstone.set_tombstone(true);
  EXPECT_TRUE(Puller::CheckEntry("0793", tombstone).ok());
  hop::v1::FeedEntry contact;
  contact.set_record_key("contact/0793-P000001");
  contact.mutable_contact()->set_id("0793-P000001");
  contact.mutable_contact()->set_municipality("0793");
  EXPECT_TRUE(Puller::CheckEntry("0793", contact).ok());
}

TEST(EntryCheckTest, AnotherMunicipalitysRecordsAreRefused) {
  EXPECT_EQ(Puller::CheckEntry("0171", CaseEntry("0793-C000001", "0793", "60001019906")).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Puller::CheckEntry("0171", CaseEntry("0171-C000001", "0793", "60001019906")).code(),
            absl::StatusCode::kPermissionDenied)
      << "claims another origin";
  hop::v1::FeedEntry tombstone;
  tombstone.set_record_key("case/0793-C000001");
  tombstone.set_tombstone(true);
  EXPECT_FALSE(Puller::CheckEntry("0171", tombstone).ok()) << "may not delete others' copies";
  hop::v1::FeedEntry institution;
  institution.set_record_key("institution/0171-I000001");
  institution.mutable_institution()->set_id("0171-I000001");
  institution.mutable_institution()->set_municipality("0793");
  EXPECT_FALSE(Puller::CheckEntry("0171", institution).ok());
}

TEST(EntryCheckTest, InvalidContentIsRefused) {
  EXPECT_EQ(Puller::CheckEntry("0793", CaseEntry("0793-C000001", "0793", "60001019907")).code(),
            absl::StatusCode::kInvalidArgument);
  hop::v1::FeedEntry empty;
  empty.set_record_key("case/0793-C000001");
  EXPECT_FALSE(Puller::CheckEntry("0793", empty).ok());
  hop::v1::FeedEntry unknown;
  unknown.set_record_key("note/0793-X1");
  unknown.set_tombstone(true);
  EXPECT_FALSE(Puller::CheckEntry("0793", unknown).ok());
}

}  // namespace
}  // namespace hop::federation
