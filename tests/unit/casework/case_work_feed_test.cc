// Issue 13, case work complete, as the peers' feeds see it (real RocksDB, fixed clock): a
// retired contact or institution is a tombstone in every feed; a user update re-projects the
// responsible contact of the user's consented cases in the same write; an action item's
// evaluation never enters a feed.
#include "absl/strings/match.h"
#include "tests/unit/casework/casework_fixture.h"

namespace hop::casework {
namespace {

class CaseWorkFeedTest : public CaseworkTest {
 protected:
  std::vector<std::string> Peers() const override { return {"0171", "0283"}; }

  std::optional<hop::v1::FeedEntry> EntryOf(const std::string& peer, const std::string& key) {
    absl::StatusOr<std::optional<hop::v1::FeedEntry>> e = records_->FeedEntryOf(peer, key);
    EXPECT_TRUE(e.ok()) << e.status();
    return e.ok() ? *e : std::nullopt;
  }
  void GrantTo(const std::string& peer, std::initializer_list<hop::v1::ConsentScope> scopes) {
    hop::v1::GrantConsentRequest grant;
    grant.set_child_isikukood(kChild);
    grant.set_granted_by(kMother);
    grant.add_recipients(peer);
    for (hop::v1::ConsentScope s : scopes) grant.add_scopes(s);
    grant.set_purpose("school transfer");
    grant.set_valid_until(kNow + 86400 * 30);
    absl::StatusOr<hop::v1::Consent> c = consents_->Grant(manager_, grant);
    ASSERT_TRUE(c.ok()) << c.status();
  }
};

TEST_F(CaseWorkFeedTest, RetiredEntriesAreTombstonesInEveryFeed) {
  hop::v1::Contact contact;
  contact.set_institution_id(other_school_);
  contact.set_name("Kati Kask");
  contact.set_role("HEVKO");
  contact.set_phone("+3725550000");
  absl::StatusOr<hop::v1::Contact> added = directory_->PutContact(leader_, contact);
  ASSERT_TRUE(added.ok()) << added.status();
  const std::string key = "contact/" + added->id();
  ASSERT_TRUE(EntryOf("0171", key)->has_contact());

  hop::v1::RetireInstitutionRequest institution;
  institution.set_institution_id(other_school_);
  institution.set_reason("merged");
  EXPECT_EQ(directory_->RetireInstitution(leader_, institution).status().code(),
            absl::StatusCode::kFailedPrecondition)
      << "its contact is active";

  hop::v1::RetireContactRequest retire;
  retire.set_contact_id(added->id());
  retire.set_reason("left the school");
  absl::StatusOr<hop::v1::Contact> retired = directory_->RetireContact(leader_, retire);
  ASSERT_TRUE(retired.ok()) << retired.status();
  EXPECT_EQ(retired->retired_at(), kNow);
  EXPECT_EQ(retired->retired_by(), "juhan");
  ASSERT_TRUE(directory_->RetireInstitution(leader_, institution).ok());
  for (const std::string peer : {"0171", "0283"}) {
    EXPECT_TRUE(EntryOf(peer, key)->tombstone()) << peer;
    EXPECT_TRUE(EntryOf(peer, "institution/" + other_school_)->tombstone()) << peer;
  }
  absl::StatusOr<std::optional<hop::v1::Contact>> kept = records_->GetContact(added->id());
  ASSERT_TRUE(kept.ok() && kept->has_value()) << "kept locally";
  EXPECT_NE((*kept)->retired_at(), 0);
}

TEST_F(CaseWorkFeedTest, AUserUpdateReprojectsTheResponsibleContact) {
  UserRegistry users(records_.get(), feeds_.get());
  hop::v1::User tiina;
  tiina.set_user_id("tiina");
  tiina.set_name("Tiina Tamm");
  tiina.set_role(hop::v1::ROLE_CASE_MANAGER);
  tiina.set_phone("+3725550001");
  ASSERT_TRUE(users.Add("admin", tiina).ok());
  const std::string id = Open(teacher_, school_)->id();
  hop::v1::AssignRequest assign;
  assign.set_case_id(id);
  assign.set_responsible_user("tiina");
  ASSERT_TRUE(cases_->Assign(manager_, assign).ok());
  GrantTo("0171", {hop::v1::SCOPE_CASE_SUMMARY, hop::v1::SCOPE_RESPONSIBLE_CONTACT});
  ASSERT_EQ(EntryOf("0171", "case/" + id)->case_summary().responsible().phone(), "+3725550001");

  hop::v1::UpdateUserRequest update;
  update.set_user_id("tiina");
  update.set_phone("+3725550099");
  int reprojected = -1;
  absl::StatusOr<hop::v1::User> updated = users.Update("admin", update, &reprojected);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(reprojected, 1);
  EXPECT_EQ(updated->name(), "Tiina Tamm");
  EXPECT_EQ(EntryOf("0171", "case/" + id)->case_summary().responsible().phone(), "+3725550099");
  const std::optional<hop::v1::FeedEntry> other = EntryOf("0283", "case/" + id);
  EXPECT_TRUE(!other.has_value() || other->tombstone()) << "no consent names 0283";
}

TEST_F(CaseWorkFeedTest, AnEvaluationNeverEntersAFeed) {
  const std::string id = Open(teacher_, school_)->id();
  GrantTo("0171", {hop::v1::SCOPE_CASE_SUMMARY, hop::v1::SCOPE_RESPONSIBLE_CONTACT,
                   hop::v1::SCOPE_SERVICE_HISTORY});
  hop::v1::AddActionItemRequest plan;
  plan.set_case_id(id);
  plan.mutable_item()->set_description("reading with a tutor");
  ASSERT_TRUE(cases_->AddActionItem(coordinator_, plan).ok());
  hop::v1::CompleteActionItemRequest done;
  done.set_case_id(id);
  done.set_item_id("A1");
  done.set_evaluation("EVALUATION-TEXT mother relieved");
  absl::StatusOr<hop::v1::Case> c = cases_->CompleteActionItem(coordinator_, done);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->action_plan(0).done_date(), "2026-11-18") << "today, Estonian date";
  const std::optional<hop::v1::FeedEntry> entry = EntryOf("0171", "case/" + id);
  ASSERT_TRUE(entry.has_value() && entry->has_case_summary());
  EXPECT_FALSE(absl::StrContains(entry->SerializeAsString(), "EVALUATION-TEXT"));
}

}  // namespace
}  // namespace hop::casework
