// Per-peer change feeds, written in the same batch as the change: directory entries reach
// every peer; a case summary reaches only the peers a consent (or the child-protection basis)
// lets see it; withdrawal, closing and leaving a relation leave a tombstone; a record
// appears once per feed; refused input writes no feed entry.
#include "tests/unit/casework/casework_fixture.h"

namespace hop::casework {
namespace {

class FeedWriterTest : public CaseworkTest {
 protected:
  std::vector<std::string> Peers() const override { return {"0171", "0283"}; }

  // The feed of `peer` after `after_seq`.
  std::vector<hop::v1::FeedEntry> Feed(const std::string& peer, uint64_t after_seq = 0) {
    std::vector<hop::v1::FeedEntry> entries;
    EXPECT_TRUE(records_
                    ->ScanFeed(peer, after_seq,
                               [&](const hop::v1::FeedEntry& e) {
                                 entries.push_back(e);
                                 return true;
                               })
                    .ok());
    return entries;
  }
  std::vector<hop::v1::FeedEntry> CaseEntries(const std::string& peer) {
    std::vector<hop::v1::FeedEntry> out;
    for (auto& e : Feed(peer)) {
      if (e.record_key().rfind("case/", 0) == 0) out.push_back(e);
    }
    return out;
  }
  // A case related to `registered` (may be empty) and `actual`, moved to child protection.
  std::string OpenChildProtectionCase(const std::string& registered, const std::string& actual) {
    const std::string id = Open(teacher_, school_)->id();
    hop::v1::SetRelatedMunicipalitiesRequest related;
    related.set_case_id(id);
    related.mutable_related()->set_registered_residence(registered);
    related.mutable_related()->add_actual_residences(actual);
    EXPECT_TRUE(cases_->SetRelated(manager_, related).ok());
    hop::v1::MoveToChildProtectionRequest protect;
    protect.set_case_id(id);
    protect.set_reason("child in danger");
    EXPECT_TRUE(cases_->MoveToChildProtection(protection_, protect).ok());
    return id;
  }
  absl::StatusOr<hop::v1::Consent> GrantTo(const std::string& peer) {
    hop::v1::GrantConsentRequest grant;
    grant.set_child_isikukood(kChild);
    grant.set_granted_by(kMother);
    grant.add_recipients(peer);
    grant.add_scopes(hop::v1::SCOPE_CASE_SUMMARY);
    grant.set_purpose("school transfer");
    grant.set_valid_until(kNow + 86400 * 30);
    return consents_->Grant(manager_, grant);
  }
};

TEST_F(FeedWriterTest, DirectoryReachesEveryPeerOncePerRecord) {
  // SetUp added two institutions.
  for (const char* peer : {"0171", "0283"}) {
    std::vector<hop::v1::FeedEntry> feed = Feed(peer);
    ASSERT_EQ(feed.size(), 2u) << peer;
    EXPECT_EQ(feed[0].record_key(), "institution/" + school_);
    EXPECT_TRUE(feed[0].has_institution());
    EXPECT_LT(feed[0].seq(), feed[1].seq());
  }
  hop::v1::Institution renamed = *records_->GetInstitution(school_).value();
  renamed.set_name("Tartu Kesklinna Kool (renamed)");
  ASSERT_TRUE(directory_->PutInstitution(leader_, renamed).ok());
  std::vector<hop::v1::FeedEntry> feed = Feed("0171");
  ASSERT_EQ(feed.size(), 2u) << "the old entry is replaced, not repeated";
  EXPECT_EQ(feed.back().institution().name(), "Tartu Kesklinna Kool (renamed)");
  EXPECT_EQ(Feed("0171", feed.front().seq()).size(), 1u) << "incremental read from a position";
}

TEST_F(FeedWriterTest, ConsentDecidesWhichPeerSeesTheSummary) {
  const std::string id = Open(teacher_, school_)->id();
  EXPECT_TRUE(CaseEntries("0171").empty()) << "no consent, nothing, not even a tombstone";
  ASSERT_TRUE(GrantTo("0171").ok());
  std::vector<hop::v1::FeedEntry> in_elva = CaseEntries("0171");
  ASSERT_EQ(in_elva.size(), 1u);
  EXPECT_EQ(in_elva[0].record_key(), "case/" + id);
  EXPECT_EQ(in_elva[0].case_summary().basis(), hop::v1::SHARE_BASIS_CONSENT);
  EXPECT_EQ(in_elva[0].case_summary().child_isikukood(), kChild);
  EXPECT_TRUE(CaseEntries("0283").empty());

  hop::v1::WithdrawConsentRequest withdraw;
  withdraw.set_child_isikukood(kChild);
  withdraw.set_withdrawn_by(kFather);
  withdraw.set_evidence_ref("DHS-2026-31");
  ASSERT_TRUE(consents_->Withdraw(manager_, withdraw).ok());
  std::vector<hop::v1::FeedEntry> after = CaseEntries("0171");
  ASSERT_EQ(after.size(), 1u);
  EXPECT_TRUE(after[0].tombstone());
  EXPECT_FALSE(after[0].has_case_summary());
  EXPECT_GT(after[0].seq(), in_elva[0].seq());
}

TEST_F(FeedWriterTest, ClosingLeavesATombstoneAndRefusedInputWritesNothing) {
  const std::string id = Open(teacher_, school_)->id();
  ASSERT_TRUE(GrantTo("0171").ok());
  const size_t before = Feed("0171").size();
  hop::v1::CloseCaseRequest close;
  close.set_case_id(id);  // no reason: refused
  ASSERT_FALSE(cases_->Close(manager_, close).ok());
  EXPECT_EQ(Feed("0171").size(), before);
  EXPECT_FALSE(CaseEntries("0171")[0].tombstone());
  close.set_reason("goals met");
  ASSERT_TRUE(cases_->Close(manager_, close).ok());
  EXPECT_TRUE(CaseEntries("0171")[0].tombstone());
}

TEST_F(FeedWriterTest, ChildProtectionFactGoesToRelatedMunicipalitiesOnly) {
  hop::v1::User peeter;
  peeter.set_user_id("peeter");
  peeter.set_name("Peeter Pihlakas");
  peeter.set_role(hop::v1::ROLE_CHILD_PROTECTION);
  ASSERT_TRUE(users_->Add("admin", peeter).ok());
  ASSERT_NO_FATAL_FAILURE(OpenChildProtectionCase("", "0283"));
  std::vector<hop::v1::FeedEntry> in_kambja = CaseEntries("0283");
  ASSERT_EQ(in_kambja.size(), 1u);
  EXPECT_EQ(in_kambja[0].case_summary().basis(), hop::v1::SHARE_BASIS_CHILD_PROTECTION);
  EXPECT_EQ(in_kambja[0].case_summary().responsible().name(), "Peeter Pihlakas");
  EXPECT_EQ(in_kambja[0].case_summary().responsible().role(), "child-protection");
  EXPECT_TRUE(in_kambja[0].case_summary().need_areas().empty());
  EXPECT_TRUE(CaseEntries("0171").empty());
}

TEST_F(FeedWriterTest, EndingARelationLeavesATombstoneAndBadEndsChangeNothing) {
  std::string id;
  ASSERT_NO_FATAL_FAILURE(id = OpenChildProtectionCase("0171", "0283"));
  ASSERT_EQ(CaseEntries("0283").size(), 1u);
  ASSERT_FALSE(CaseEntries("0283")[0].tombstone());
  const uint64_t seq = records_->LastSeq();

  auto refused = [&](const hop::v1::SetRelatedMunicipalitiesRequest& req,
                     const std::string& field) {
    absl::StatusOr<hop::v1::Case> r = cases_->SetRelated(protection_, req);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(absl::IsInvalidArgument(r.status())) << r.status();
    EXPECT_NE(r.status().message().find(field), std::string::npos) << r.status();
    EXPECT_EQ(records_->LastSeq(), seq) << "a refused end changes nothing";
  };
  hop::v1::SetRelatedMunicipalitiesRequest bad;
  bad.set_case_id(id);
  bad.add_end_actual_residences("0528");
  refused(bad, "end_actual_residences[0]: case " + id + " has no actual residence 0528");
  bad.clear_end_actual_residences();
  bad.add_end_actual_residences("0283");
  bad.mutable_related()->add_actual_residences("0283");
  refused(bad, "end_actual_residences[0]");
  bad.Clear();
  bad.set_case_id(id);
  bad.set_end_registered_residence(true);
  bad.mutable_related()->set_registered_residence("0528");
  refused(bad, "end_registered_residence");
  bad.Clear();
  bad.set_case_id(id);
  bad.add_end_actual_residences("12");
  refused(bad, "end_actual_residences[0]");

  hop::v1::SetRelatedMunicipalitiesRequest end;
  end.set_case_id(id);
  end.add_end_actual_residences("0283");
  absl::StatusOr<hop::v1::Case> ended = cases_->SetRelated(protection_, end);
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_TRUE(ended->related().actual_residences().empty());
  EXPECT_EQ(ended->related().registered_residence(), "0171") << "other relations stay";
  std::vector<hop::v1::FeedEntry> in_kambja = CaseEntries("0283");
  ASSERT_EQ(in_kambja.size(), 1u);
  EXPECT_TRUE(in_kambja[0].tombstone()) << "the relation ended: the copy must go";
  EXPECT_FALSE(CaseEntries("0171")[0].tombstone()) << "0171 is still the registered residence";

  end.Clear();
  end.set_case_id(id);
  end.set_end_registered_residence(true);
  ended = cases_->SetRelated(protection_, end);
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_TRUE(ended->related().registered_residence().empty());
  EXPECT_TRUE(CaseEntries("0171")[0].tombstone());
  end.set_end_registered_residence(true);
  absl::StatusOr<hop::v1::Case> again = cases_->SetRelated(protection_, end);
  EXPECT_FALSE(again.ok());
  EXPECT_NE(again.status().message().find("has no registered residence"), std::string::npos)
      << again.status();
}

}  // namespace
}  // namespace hop::casework
