// Retention of closed cases (casework/retention.h) as a function of time, over a real RocksDB
// store with a fake clock: nothing before closed_case_days, everything of the case after, one
// audit entry per purge without personal data in its object or purpose; the child's consents
// only with the child's last case; the inbox entries of the purged case only. Also the
// FeedListener: which peers hear of tombstones (withdrawal, closing, ended relation).
#include "daemon/casework/retention.h"

#include <map>
#include <set>

#include "absl/synchronization/mutex.h"
#include "daemon/audit/audit_log.h"
#include "daemon/casework/inbox.h"
#include "daemon/security/node_secret.h"
#include "tests/unit/casework/casework_fixture.h"

namespace hop::casework {
namespace {

constexpr int64_t kDay = 86400;

// Records every TombstonesCommitted call.
class RecordingListener final : public FeedListener {
 public:
  void TombstonesCommitted(const std::set<std::string>& peers) override {
    absl::MutexLock lock(&mu_);
    for (const std::string& p : peers) ++calls_[p];
  }
  std::map<std::string, int> TakeCalls() {
    absl::MutexLock lock(&mu_);
    std::map<std::string, int> calls;
    calls.swap(calls_);
    return calls;
  }

 private:
  absl::Mutex mu_;
  std::map<std::string, int> calls_;
};

class RetentionTest : public CaseworkTest {
 protected:
  void SetUp() override {
    CaseworkTest::SetUp();
    audit_ = *audit::AuditLog::Open(store_.get(), &clock_, &secret_);
    records_->SetAuditLog(audit_.get());
    inbox_ = *Inbox::Open(store_.get(), &clock_);
    retention_ = std::make_unique<Retention>(records_.get(), feeds_.get(), inbox_.get(), 30);
  }
  void TearDown() override {
    retention_.reset();
    inbox_.reset();
    records_->SetAuditLog(nullptr);
    audit_.reset();
    CaseworkTest::TearDown();
  }
  std::vector<std::string> Peers() const override { return {"0171", "0283"}; }
  FeedListener* Listener() override { return &listener_; }

  const security::NodeSecret secret_ = *security::NodeSecret::FromBytes(std::string(32, 'r'));

  std::string OpenCase(const std::string& child = kChild) {
    absl::StatusOr<hop::v1::Case> c = Open(teacher_, school_, child);
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? c->id() : "";
  }
  void Close(const std::string& id) {
    hop::v1::CloseCaseRequest req;
    req.set_case_id(id);
    req.set_reason("support no longer needed");
    absl::StatusOr<hop::v1::Case> closed = cases_->Close(coordinator_, req);
    ASSERT_TRUE(closed.ok()) << closed.status();
  }
  void Grant(const std::string& recipient) {
    hop::v1::GrantConsentRequest req;
    req.set_child_isikukood(kChild);
    req.set_granted_by(kMother);
    req.add_recipients(recipient);
    req.add_scopes(hop::v1::SCOPE_CASE_SUMMARY);
    req.set_purpose("school transfer");
    req.set_valid_until(clock_.NowUnix() + 365 * kDay);
    absl::StatusOr<hop::v1::Consent> c = consents_->Grant(manager_, req);
    ASSERT_TRUE(c.ok()) << c.status();
  }
  void Notify(const std::string& case_id) {
    hop::v1::InboxEntry e;
    e.set_case_id(case_id);
    e.set_child_isikukood(kChild);
    e.set_asker_municipality("0171");
    e.set_purpose("is the child known?");
    store::WriteBatch batch = store_->NewBatch();
    inbox_->Notify(batch, {"tiina"}, e);
    ASSERT_TRUE(store_->Write(batch).ok());
  }
  bool Exists(const std::string& case_id) {
    absl::StatusOr<std::optional<hop::v1::Case>> c = records_->GetCase(case_id);
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() && c->has_value();
  }
  int Sweep() {
    absl::StatusOr<int> n = retention_->Sweep();
    EXPECT_TRUE(n.ok()) << n.status();
    return n.ok() ? *n : -1;
  }
  std::vector<hop::v1::AuditEntry> Purges() {
    std::vector<hop::v1::AuditEntry> purges;
    absl::StatusOr<std::vector<hop::v1::AuditEntry>> all = audit_->OfSubject(kChild);
    EXPECT_TRUE(all.ok()) << all.status();
    for (const hop::v1::AuditEntry& e : all.value_or(std::vector<hop::v1::AuditEntry>{})) {
      if (e.action() == "case purged after retention") purges.push_back(e);
    }
    return purges;
  }

  RecordingListener listener_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<Inbox> inbox_;
  std::unique_ptr<Retention> retention_;
};

TEST_F(RetentionTest, ClosedCaseIsPurgedOnlyAfterClosedCaseDays) {
  const std::string id = OpenCase();
  clock_.Advance(10 * kDay);
  Close(id);
  const int64_t closed_at = clock_.NowUnix();
  EXPECT_EQ(Sweep(), 0);
  clock_.Set(closed_at + 30 * kDay - 1);
  EXPECT_EQ(Sweep(), 0) << "one second before closed_case_days the case stays";
  EXPECT_TRUE(Exists(id));
  clock_.Set(closed_at + 30 * kDay);
  EXPECT_EQ(Sweep(), 1);
  EXPECT_FALSE(Exists(id));
  absl::StatusOr<std::vector<hop::v1::Case>> left = records_->CasesOfChild(kChild);
  ASSERT_TRUE(left.ok());
  EXPECT_TRUE(left->empty()) << "the child index goes with the case";
  EXPECT_EQ(Sweep(), 0) << "a purge happens once";

  const std::vector<hop::v1::AuditEntry> purges = Purges();
  ASSERT_EQ(purges.size(), 1u) << "one audited write per purged case";
  EXPECT_EQ(purges[0].object(), id);
  EXPECT_EQ(purges[0].actor(), "hopd");
  EXPECT_EQ(purges[0].purpose().find(kChild), std::string::npos);
  EXPECT_EQ(purges[0].object().find(kChild), std::string::npos);
  EXPECT_EQ(purges[0].purpose().find("Laps"), std::string::npos);
  absl::StatusOr<hop::v1::VerifyAuditResponse> verified = audit_->Verify();
  ASSERT_TRUE(verified.ok()) << verified.status();
}

TEST_F(RetentionTest, OpenCasesAndZeroDaysAreKept) {
  const std::string open = OpenCase();
  const std::string closed = OpenCase();
  Close(closed);
  Retention keep_for_ever(records_.get(), feeds_.get(), inbox_.get(), 0);
  clock_.Advance(3650 * kDay);
  absl::StatusOr<int> none = keep_for_ever.Sweep();
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(*none, 0);
  EXPECT_TRUE(Exists(closed)) << "closed_case_days 0 keeps closed cases for ever";
  EXPECT_EQ(Sweep(), 1);
  EXPECT_TRUE(Exists(open)) << "an open case is never purged, however old";
  EXPECT_FALSE(Exists(closed));
}

TEST_F(RetentionTest, ConsentsGoWithTheChildsLastCaseOnly) {
  const std::string first = OpenCase();
  const std::string second = OpenCase();
  Grant("0171");
  Close(first);
  clock_.Advance(31 * kDay);
  EXPECT_EQ(Sweep(), 1);
  absl::StatusOr<std::vector<hop::v1::Consent>> consents = records_->ConsentsOfChild(kChild);
  ASSERT_TRUE(consents.ok());
  EXPECT_EQ(consents->size(), 1u) << "another case of the child still needs the consent";

  Close(second);
  clock_.Advance(31 * kDay);
  EXPECT_EQ(Sweep(), 1);
  consents = records_->ConsentsOfChild(kChild);
  ASSERT_TRUE(consents.ok());
  EXPECT_TRUE(consents->empty()) << "the consents go with the child's last case";
  absl::StatusOr<std::vector<std::string>> due =
      records_->ConsentsChangingIn(0, clock_.NowUnix() + 3650 * kDay);
  ASSERT_TRUE(due.ok());
  EXPECT_TRUE(due->empty()) << "and so do their expiry-index entries";
}

TEST_F(RetentionTest, InboxEntriesOfThePurgedCaseOnly) {
  const std::string purged = OpenCase();
  const std::string kept = OpenCase();
  Notify(purged);
  Notify(kept);
  Notify(purged);
  Close(purged);
  clock_.Advance(30 * kDay);
  EXPECT_EQ(Sweep(), 1);
  absl::StatusOr<std::vector<hop::v1::InboxEntry>> left = inbox_->List("tiina", true);
  ASSERT_TRUE(left.ok()) << left.status();
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].case_id(), kept);
}

TEST_F(RetentionTest, ListenerHearsOfEveryTombstoneOnlyAfterCommit) {
  const std::string id = OpenCase();
  Grant("0171");
  EXPECT_TRUE(listener_.TakeCalls().empty()) << "upserts are not tombstones";
  hop::v1::WithdrawConsentRequest withdraw;
  withdraw.set_child_isikukood(kChild);
  withdraw.set_withdrawn_by(kMother);
  withdraw.set_evidence_ref("DHS-2026-31");
  ASSERT_TRUE(consents_->Withdraw(manager_, withdraw).ok());
  EXPECT_EQ(listener_.TakeCalls(), (std::map<std::string, int>{{"0171", 1}}))
      << "only the peer that held a copy gets a tombstone";

  Grant("0283");
  listener_.TakeCalls();
  // A refused change writes nothing and is not heard of.
  hop::v1::CloseCaseRequest bad;
  bad.set_case_id(id);
  bad.set_reason("");
  EXPECT_FALSE(cases_->Close(coordinator_, bad).ok());
  EXPECT_TRUE(listener_.TakeCalls().empty());
  Close(id);
  EXPECT_EQ(listener_.TakeCalls(), (std::map<std::string, int>{{"0283", 1}}));
}

// Issue 13: a reopened case leaves the closed index and is not purged while open; closed
// again, its retention starts from the new closing.
TEST_F(RetentionTest, AReopenedCaseIsNotPurged) {
  const std::string id = OpenCase();
  Close(id);
  clock_.Advance(10 * kDay);
  hop::v1::ReopenCaseRequest reopen;
  reopen.set_case_id(id);
  reopen.set_reason("difficulties returned");
  absl::StatusOr<hop::v1::Case> reopened = cases_->Reopen(coordinator_, reopen);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  absl::StatusOr<std::vector<std::string>> indexed = records_->CasesClosedBy(clock_.NowUnix());
  ASSERT_TRUE(indexed.ok());
  EXPECT_TRUE(indexed->empty()) << "reopening takes the case out of the closed index";
  clock_.Advance(60 * kDay);
  EXPECT_EQ(Sweep(), 0);
  EXPECT_TRUE(Exists(id));

  Close(id);
  const int64_t closed_again = clock_.NowUnix();
  clock_.Set(closed_again + 30 * kDay - 1);
  EXPECT_EQ(Sweep(), 0) << "retention counts from the new closing";
  clock_.Set(closed_again + 30 * kDay);
  EXPECT_EQ(Sweep(), 1);
  EXPECT_FALSE(Exists(id));
}

}  // namespace
}  // namespace hop::casework
