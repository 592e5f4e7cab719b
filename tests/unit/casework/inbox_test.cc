// hop::casework::Inbox (daemon/casework/inbox.h), the staff notifications of live queries,
// over a real RocksDB store in a temporary directory with a FakeClock: Notify only fills the
// caller's batch; entries per user (duplicates and empty ids skipped) with increasing ids that
// keep increasing after a reopen; acknowledging by id or all at once; unknown ids refused with
// nothing changed; one user's entries never reachable through another user's id.
#include "daemon/casework/inbox.h"

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "daemon/base/clock.h"
#include "daemon/store/store.h"
#include "gtest/gtest.h"
#include "tests/support/harness.h"

namespace hop::casework {
namespace {

constexpr int64_t kNow = 1795000000;  // 2026-11-18

class InboxTest : public ::testing::Test {
 protected:
  void SetUp() override { OpenAll(); }
  void TearDown() override { CloseAll(); }

  void OpenAll() {
    absl::StatusOr<std::unique_ptr<store::Store>> store = store::Store::Open({dir_ + "/db"});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    absl::StatusOr<std::unique_ptr<Inbox>> inbox = Inbox::Open(store_.get(), &clock_);
    ASSERT_TRUE(inbox.ok()) << inbox.status();
    inbox_ = std::move(*inbox);
  }
  void CloseAll() {
    inbox_.reset();
    store_.reset();
  }

  // A query note as QueryAnswerer makes it.
  static hop::v1::InboxEntry Note(const std::string& case_id = "0793-C000001") {
    hop::v1::InboxEntry e;
    e.set_case_id(case_id);
    e.set_child_isikukood("60001019906");
    e.set_asker("spiffe://hop.ee/municipality/0171/staff/anne");
    e.set_asker_role("case-manager");
    e.set_asker_municipality("0171");
    e.set_purpose("school transfer: support plan continuity");
    return e;
  }

  // Notifies `users` of `entry` and writes the batch.
  void NotifyNow(const std::vector<std::string>& users, const hop::v1::InboxEntry& entry = Note()) {
    store::WriteBatch batch = store_->NewBatch();
    inbox_->Notify(batch, users, entry);
    ASSERT_TRUE(store_->Write(batch).ok());
  }

  std::vector<hop::v1::InboxEntry> List(const std::string& user, bool include_acknowledged) {
    absl::StatusOr<std::vector<hop::v1::InboxEntry>> entries =
        inbox_->List(user, include_acknowledged);
    EXPECT_TRUE(entries.ok()) << entries.status();
    return entries.ok() ? *entries : std::vector<hop::v1::InboxEntry>{};
  }
  std::vector<hop::v1::InboxEntry> Open(const std::string& user) { return List(user, false); }
  std::vector<hop::v1::InboxEntry> All(const std::string& user) { return List(user, true); }

  static std::vector<std::string> Ids(const std::vector<hop::v1::InboxEntry>& entries) {
    std::vector<std::string> ids;
    for (const hop::v1::InboxEntry& e : entries) ids.push_back(e.id());
    return ids;
  }

  testing::TempDir temp_{"hop-inbox-test"};  // removed after TearDown
  const std::string dir_ = temp_.path();
  FakeClock clock_{kNow};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Inbox> inbox_;
};

bool IsSixteenHexDigits(const std::string& id) {
  if (id.size() != 16) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

TEST_F(InboxTest, EmptyInboxListsNothing) {
  EXPECT_TRUE(Open("tiina").empty());
  EXPECT_TRUE(All("tiina").empty());
}

TEST_F(InboxTest, NotifyStoresNothingUntilTheBatchIsWritten) {
  store::WriteBatch batch = store_->NewBatch();
  inbox_->Notify(batch, {"tiina", "peeter"}, Note());
  EXPECT_GT(batch.Count(), 0);
  EXPECT_TRUE(All("tiina").empty());
  EXPECT_TRUE(All("peeter").empty());
  ASSERT_TRUE(store_->Write(batch).ok());

  for (const std::string user : {"tiina", "peeter"}) {
    SCOPED_TRACE(user);
    std::vector<hop::v1::InboxEntry> entries = Open(user);
    ASSERT_EQ(entries.size(), 1u);
    const hop::v1::InboxEntry& e = entries[0];
    EXPECT_TRUE(IsSixteenHexDigits(e.id())) << e.id();
    EXPECT_EQ(e.time(), kNow);
    EXPECT_EQ(e.acknowledged_at(), 0);
    EXPECT_EQ(e.case_id(), "0793-C000001");
    EXPECT_EQ(e.child_isikukood(), "60001019906");
    EXPECT_EQ(e.asker(), "spiffe://hop.ee/municipality/0171/staff/anne");
    EXPECT_EQ(e.asker_role(), "case-manager");
    EXPECT_EQ(e.asker_municipality(), "0171");
    EXPECT_EQ(e.purpose(), "school transfer: support plan continuity");
  }
  EXPECT_NE(Open("tiina")[0].id(), Open("peeter")[0].id());
}

TEST_F(InboxTest, NotifySetsIdAndTimeWhateverTheCallerSent) {
  hop::v1::InboxEntry note = Note();
  note.set_id("ffffffffffffffff");
  note.set_time(1);
  note.set_acknowledged_at(0);
  clock_.Advance(90);
  NotifyNow({"tiina"}, note);
  std::vector<hop::v1::InboxEntry> entries = Open("tiina");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_NE(entries[0].id(), "ffffffffffffffff");
  EXPECT_EQ(entries[0].time(), kNow + 90);
}

TEST_F(InboxTest, DuplicateAndEmptyUsersAreSkipped) {
  store::WriteBatch batch = store_->NewBatch();
  inbox_->Notify(batch, {"tiina", "", "tiina", "peeter", ""}, Note());
  EXPECT_EQ(batch.Count(), 2) << "one entry each for tiina and peeter";
  ASSERT_TRUE(store_->Write(batch).ok());
  EXPECT_EQ(All("tiina").size(), 1u);
  EXPECT_EQ(All("peeter").size(), 1u);
  EXPECT_TRUE(All("").empty());

  // A case with neither a responsible user nor a case manager notifies nobody.
  store::WriteBatch none = store_->NewBatch();
  inbox_->Notify(none, {"", ""}, Note());
  inbox_->Notify(none, {}, Note());
  EXPECT_EQ(none.Count(), 0);
}

TEST_F(InboxTest, IdsIncreaseOldestFirstAndContinueAfterReopen) {
  NotifyNow({"tiina", "peeter"}, Note("0793-C000001"));
  clock_.Advance(60);
  NotifyNow({"tiina"}, Note("0793-C000002"));
  clock_.Advance(60);
  NotifyNow({"tiina"}, Note("0793-C000003"));
  std::vector<hop::v1::InboxEntry> before = All("tiina");
  ASSERT_EQ(before.size(), 3u);
  EXPECT_EQ(before[0].case_id(), "0793-C000001");
  EXPECT_EQ(before[1].case_id(), "0793-C000002");
  EXPECT_EQ(before[2].case_id(), "0793-C000003");
  EXPECT_LT(before[0].id(), before[1].id());
  EXPECT_LT(before[1].id(), before[2].id());
  EXPECT_EQ(before[2].time(), kNow + 120);
  const std::string peeter_id = All("peeter").at(0).id();

  CloseAll();
  OpenAll();
  EXPECT_EQ(Ids(All("tiina")), Ids(before)) << "entries survive the reopen";
  NotifyNow({"tiina", "peeter"}, Note("0793-C000004"));
  std::vector<hop::v1::InboxEntry> after = All("tiina");
  ASSERT_EQ(after.size(), 4u);
  EXPECT_LT(before[2].id(), after[3].id()) << "ids are never reused after a reopen";
  EXPECT_EQ(after[3].case_id(), "0793-C000004");
  std::vector<hop::v1::InboxEntry> peeter = All("peeter");
  ASSERT_EQ(peeter.size(), 2u);
  EXPECT_EQ(peeter[0].id(), peeter_id);
  EXPECT_LT(before[2].id(), peeter[1].id());
  EXPECT_NE(peeter[1].id(), after[3].id());
}

TEST_F(InboxTest, MalformedInboxKeyIsDataLoss) {
  CloseAll();
  {
    absl::StatusOr<std::unique_ptr<store::Store>> store = store::Store::Open({dir_ + "/db"});
    ASSERT_TRUE(store.ok()) << store.status();
    store::WriteBatch batch = (*store)->NewBatch();
    batch.Put(store::Family::kUsers, "n/tiina/twelve", "");
    ASSERT_TRUE((*store)->Write(batch).ok());
    EXPECT_EQ(Inbox::Open(store->get(), &clock_).status().code(), absl::StatusCode::kDataLoss);
  }
  std::filesystem::remove_all(dir_ + "/db");
  OpenAll();
}

TEST_F(InboxTest, AcknowledgeByIdHidesTheEntryFromTheOpenList) {
  NotifyNow({"tiina"}, Note("0793-C000001"));
  NotifyNow({"tiina"}, Note("0793-C000002"));
  std::vector<hop::v1::InboxEntry> entries = Open("tiina");
  ASSERT_EQ(entries.size(), 2u);
  clock_.Advance(3600);

  absl::StatusOr<uint32_t> n = inbox_->Acknowledge("tiina", {entries[0].id()}, false);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 1u);
  std::vector<hop::v1::InboxEntry> open = Open("tiina");
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].id(), entries[1].id());
  std::vector<hop::v1::InboxEntry> all = All("tiina");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id(), entries[0].id());
  EXPECT_EQ(all[0].acknowledged_at(), kNow + 3600);
  EXPECT_EQ(all[0].time(), kNow) << "the question's time is kept";
  EXPECT_EQ(all[1].acknowledged_at(), 0);

  // Acknowledging it again changes nothing, and keeps the first time.
  clock_.Advance(60);
  n = inbox_->Acknowledge("tiina", {entries[0].id()}, false);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 0u);
  EXPECT_EQ(All("tiina")[0].acknowledged_at(), kNow + 3600);
}

TEST_F(InboxTest, AcknowledgementSurvivesReopen) {
  NotifyNow({"tiina"});
  const std::string id = Open("tiina").at(0).id();
  ASSERT_TRUE(inbox_->Acknowledge("tiina", {id}, false).ok());
  CloseAll();
  OpenAll();
  EXPECT_TRUE(Open("tiina").empty());
  ASSERT_EQ(All("tiina").size(), 1u);
  EXPECT_EQ(All("tiina")[0].acknowledged_at(), kNow);
}

TEST_F(InboxTest, UnknownIdIsNotFoundAndChangesNothing) {
  NotifyNow({"tiina"}, Note("0793-C000001"));
  NotifyNow({"tiina"}, Note("0793-C000002"));
  std::vector<hop::v1::InboxEntry> entries = Open("tiina");
  ASSERT_EQ(entries.size(), 2u);

  const std::string unknown = "00000000000000ff";
  absl::StatusOr<uint32_t> n = inbox_->Acknowledge("tiina", {unknown}, false);
  EXPECT_EQ(n.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(n.status().message().find(unknown), absl::string_view::npos) << n.status();

  // A valid id before the unknown one is not acknowledged either.
  n = inbox_->Acknowledge("tiina", {entries[0].id(), unknown, entries[1].id()}, false);
  EXPECT_EQ(n.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(n.status().message().find(unknown), absl::string_view::npos) << n.status();
  EXPECT_EQ(n.status().message().find(entries[0].id()), absl::string_view::npos)
      << "names the unknown id, not the valid one: " << n.status();
  EXPECT_EQ(Ids(Open("tiina")), Ids(entries));

  // Ids in another shape are unknown too.
  for (const std::string bad : {"", "1", "not-an-id", "../u/tiina"}) {
    EXPECT_EQ(inbox_->Acknowledge("tiina", {bad}, false).status().code(),
              absl::StatusCode::kNotFound)
        << "\"" << bad << "\"";
  }
  EXPECT_EQ(Ids(Open("tiina")), Ids(entries));
}

TEST_F(InboxTest, AcknowledgeAllMarksEveryOpenEntry) {
  NotifyNow({"tiina"}, Note("0793-C000001"));
  NotifyNow({"tiina"}, Note("0793-C000002"));
  NotifyNow({"tiina"}, Note("0793-C000003"));
  std::vector<hop::v1::InboxEntry> entries = Open("tiina");
  ASSERT_EQ(entries.size(), 3u);
  ASSERT_TRUE(inbox_->Acknowledge("tiina", {entries[1].id()}, false).ok());

  clock_.Advance(120);
  absl::StatusOr<uint32_t> n = inbox_->Acknowledge("tiina", {}, /*all=*/true);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 2u) << "the two still open";
  EXPECT_TRUE(Open("tiina").empty());
  std::vector<hop::v1::InboxEntry> all = All("tiina");
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].acknowledged_at(), kNow + 120);
  EXPECT_EQ(all[1].acknowledged_at(), kNow) << "acknowledged earlier; time kept";
  EXPECT_EQ(all[2].acknowledged_at(), kNow + 120);

  n = inbox_->Acknowledge("tiina", {}, true);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 0u);
  n = inbox_->Acknowledge("nobody", {}, true);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 0u);
}

TEST_F(InboxTest, OneUsersEntriesAreNotAnothers) {
  NotifyNow({"tiina"}, Note("0793-C000001"));
  NotifyNow({"peeter"}, Note("0793-C000002"));
  const std::string tiinas = Open("tiina").at(0).id();
  const std::string peeters = Open("peeter").at(0).id();

  std::vector<hop::v1::InboxEntry> peeter = All("peeter");
  ASSERT_EQ(peeter.size(), 1u);
  EXPECT_EQ(peeter[0].case_id(), "0793-C000002");
  // User ids that share a prefix with "tiina" see nothing of hers.
  EXPECT_TRUE(All("tiin").empty());
  EXPECT_TRUE(All("tiina2").empty());
  EXPECT_TRUE(All("t").empty());

  absl::StatusOr<uint32_t> n = inbox_->Acknowledge("peeter", {tiinas}, false);
  EXPECT_EQ(n.status().code(), absl::StatusCode::kNotFound);
  n = inbox_->Acknowledge("tiin", {tiinas}, false);
  EXPECT_EQ(n.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(inbox_->Acknowledge("peeter", {"../tiina/" + tiinas}, false).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Open("tiina").size(), 1u);

  n = inbox_->Acknowledge("peeter", {}, true);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 1u);
  EXPECT_TRUE(Open("peeter").empty());
  ASSERT_EQ(Open("tiina").size(), 1u) << "peeter's acknowledge-all leaves tiina's inbox alone";
  EXPECT_EQ(Open("tiina")[0].id(), tiinas);
  EXPECT_NE(tiinas, peeters);
}

// Regression test for a bug this suite found.
TEST_F(InboxTest, DuplicateIdsInOneAcknowledgeCountOnce) {
  NotifyNow({"tiina"});
  const std::string id = Open("tiina").at(0).id();
  absl::StatusOr<uint32_t> n = inbox_->Acknowledge("tiina", {id, id}, false);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 1u) << "one entry changed";
}

// Regression test for a bug this suite found.
TEST_F(InboxTest, IdsAreNotReusedWhenBatchesAreWrittenOutOfOrder) {
  // Two queries answered at once: each Notify fills its own batch; the second is written first.
  store::WriteBatch first = store_->NewBatch();
  store::WriteBatch second = store_->NewBatch();
  inbox_->Notify(first, {"tiina"}, Note("0793-C000001"));
  inbox_->Notify(second, {"tiina"}, Note("0793-C000002"));
  ASSERT_TRUE(store_->Write(second).ok());
  ASSERT_TRUE(store_->Write(first).ok());
  ASSERT_EQ(All("tiina").size(), 2u);

  CloseAll();
  OpenAll();
  NotifyNow({"tiina"}, Note("0793-C000003"));
  std::vector<hop::v1::InboxEntry> all = All("tiina");
  ASSERT_EQ(all.size(), 3u) << "the new entry must not overwrite an old one";
}

}  // namespace
}  // namespace hop::casework
