// The audit trail (daemon/audit/audit_log.h) on a real RocksDB store in a temporary directory:
// the hash chain Commit builds (seq, time, prev_hash, hash), atomicity with the caller's
// batch, continuation across reopen, Verify on intact and tampered logs (altered, missing,
// re-hashed, truncated and unparseable entries, bad head), and the per-child index OfSubject.
#include "daemon/audit/audit_log.h"

#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "daemon/base/clock.h"
#include "daemon/store/store.h"
#include "gtest/gtest.h"
#include "hop/v1/audit.pb.h"
#include "tests/support/harness.h"

namespace hop::audit {
namespace {

using hop::v1::AuditEntry;
using hop::v1::AuditHead;
using hop::v1::VerifyAuditResponse;
using store::Family;
using store::Store;
using store::WriteBatch;

constexpr int64_t kStart = 1700000000;
// The prev_hash of the first entry.
std::string ZeroHash() { return std::string(32, '\0'); }
constexpr char kAnna[] = "60001019906";
constexpr char kBert[] = "50001010006";
constexpr char kCarl[] = "50102030405";

const security::NodeSecret& TestSecret() {
  static const security::NodeSecret* secret =
      new security::NodeSecret(*security::NodeSecret::FromBytes(std::string(32, 's')));
  return *secret;
}

std::string EntryKey(uint64_t seq) { return absl::StrFormat("e/%016x", seq); }

AuditEntry Entry(const std::string& action, std::vector<std::string> subjects = {},
                 const std::string& outcome = "ok") {
  AuditEntry e;
  e.set_actor("spiffe://hop.test/staff/0171/mari");
  e.set_actor_role("case-manager");
  e.set_actor_municipality("0171");
  e.set_action(action);
  e.set_object("0171-C1");
  for (std::string& s : subjects) e.add_subjects(std::move(s));
  e.set_purpose("assessment");
  e.set_outcome(outcome);
  return e;
}

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override { OpenAll(); }
  void TearDown() override { CloseAll(); }

  void OpenAll() {
    absl::StatusOr<std::unique_ptr<Store>> s = Store::Open({dir_ + "/db"});
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = std::move(*s);
    absl::StatusOr<std::unique_ptr<AuditLog>> log = AuditLog::Open(store_.get(), &clock_, &secret_);
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = std::move(*log);
  }
  void CloseAll() {
    log_.reset();
    store_.reset();
  }

  // Records `n` entries, one Record call each, the clock advancing 10 s between them.
  void RecordN(int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(log_->Record({Entry(absl::StrFormat("CaseWork.GetCase#%d", i), {kAnna})}).ok());
      clock_.Advance(10);
    }
  }

  // RecordN, then checks the log is intact, so that what a tampering test finds is its doing.
  void RecordIntact(int n) {
    ASSERT_NO_FATAL_FAILURE(RecordN(n));
    absl::StatusOr<VerifyAuditResponse> v = log_->Verify();
    ASSERT_TRUE(v.ok()) << v.status();
    ASSERT_TRUE(v->intact()) << v->problem();
    ASSERT_EQ(v->entries(), static_cast<uint64_t>(n));
  }

  std::optional<AuditEntry> ReadEntry(uint64_t seq) {
    absl::StatusOr<std::optional<std::string>> raw = store_->Get(Family::kAudit, EntryKey(seq));
    EXPECT_TRUE(raw.ok()) << raw.status();
    if (!raw.ok() || !raw->has_value()) return std::nullopt;
    AuditEntry e;
    EXPECT_TRUE(e.ParseFromString(**raw));
    return e;
  }
  // The entry / head, which the test expects to be there (a failure, not a crash, if not).
  AuditEntry MustReadEntry(uint64_t seq) {
    std::optional<AuditEntry> e = ReadEntry(seq);
    if (!e.has_value()) ADD_FAILURE() << "no entry " << seq;
    return e.value_or(AuditEntry());
  }
  AuditHead MustReadHead() {
    std::optional<AuditHead> h = ReadHead();
    if (!h.has_value()) ADD_FAILURE() << "no head";
    return h.value_or(AuditHead());
  }
  std::vector<AuditEntry> ReadAll() {
    std::vector<AuditEntry> all;
    absl::Status s =
        store_->Scan(Family::kAudit, "e/", "", [&](absl::string_view, absl::string_view value) {
          AuditEntry e;
          EXPECT_TRUE(e.ParseFromArray(value.data(), static_cast<int>(value.size())));
          all.push_back(std::move(e));
          return true;
        });
    EXPECT_TRUE(s.ok()) << s;
    return all;
  }
  std::optional<AuditHead> ReadHead() {
    absl::StatusOr<std::optional<std::string>> raw = store_->Get(Family::kAudit, "head");
    EXPECT_TRUE(raw.ok()) << raw.status();
    if (!raw.ok() || !raw->has_value()) return std::nullopt;
    AuditHead h;
    EXPECT_TRUE(h.ParseFromString(**raw));
    return h;
  }

  // Raw writes to the audit family, bypassing AuditLog: what an intruder with disk access does.
  void RawPut(const std::string& key, const std::string& value) {
    WriteBatch batch = store_->NewBatch();
    batch.Put(Family::kAudit, key, value);
    ASSERT_TRUE(store_->Write(batch).ok());
  }
  void RawDelete(const std::string& key) {
    WriteBatch batch = store_->NewBatch();
    batch.Delete(Family::kAudit, key);
    ASSERT_TRUE(store_->Write(batch).ok());
  }

  VerifyAuditResponse VerifyOk() {
    absl::StatusOr<VerifyAuditResponse> v = log_->Verify();
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? *v : VerifyAuditResponse();
  }

  testing::TempDir temp_{"hop-audit-test"};  // removed after TearDown
  const std::string dir_ = temp_.path();
  FakeClock clock_{kStart};
  const security::NodeSecret& secret_ = TestSecret();
  std::unique_ptr<Store> store_;
  std::unique_ptr<AuditLog> log_;
};

// --- The chain -------------------------------------------------------------------------------

TEST_F(AuditLogTest, EmptyLogVerifiesIntactWithNoEntries) {
  VerifyAuditResponse v = VerifyOk();
  EXPECT_TRUE(v.intact()) << v.problem();
  EXPECT_EQ(v.entries(), 0u);
  EXPECT_EQ(v.first_broken_seq(), 0u);
  EXPECT_FALSE(ReadHead().has_value()) << "nothing written before the first entry";
}

TEST_F(AuditLogTest, CommitAssignsSeqTimeAndHashChain) {
  RecordN(5);
  std::vector<AuditEntry> all = ReadAll();
  ASSERT_EQ(all.size(), 5u);
  for (size_t i = 0; i < all.size(); ++i) {
    const AuditEntry& e = all[i];
    SCOPED_TRACE(absl::StrFormat("entry %d", i + 1));
    EXPECT_EQ(e.seq(), i + 1) << "seq 1, 2, 3, ... without gaps";
    EXPECT_EQ(e.time(), kStart + 10 * static_cast<int64_t>(i)) << "time from the clock";
    EXPECT_EQ(e.action(), absl::StrFormat("CaseWork.GetCase#%d", i)) << "in commit order";
    EXPECT_EQ(e.hash().size(), 32u);
    EXPECT_EQ(e.hash(), AuditLog::HashOf(e));
    EXPECT_EQ(e.prev_hash(), i == 0 ? ZeroHash() : all[i - 1].hash());
  }
  std::set<std::string> distinct;
  for (const AuditEntry& e : all) distinct.insert(e.hash());
  EXPECT_EQ(distinct.size(), all.size()) << "every entry has its own hash";

  std::optional<AuditHead> head = ReadHead();
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->seq(), 5u);
  EXPECT_EQ(head->hash(), all.back().hash());

  VerifyAuditResponse v = VerifyOk();
  EXPECT_TRUE(v.intact()) << v.problem();
  EXPECT_EQ(v.entries(), 5u);
  EXPECT_EQ(v.head_hash(), all.back().hash());
}

TEST_F(AuditLogTest, CommitOfSeveralEntriesChainsThemInOrder) {
  ASSERT_TRUE(log_->Record({Entry("first")}).ok());
  ASSERT_TRUE(log_->Record({Entry("a"), Entry("b"), Entry("c")}).ok());
  std::vector<AuditEntry> all = ReadAll();
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[1].action(), "a");
  EXPECT_EQ(all[2].action(), "b");
  EXPECT_EQ(all[3].action(), "c");
  for (size_t i = 1; i < all.size(); ++i) {
    EXPECT_EQ(all[i].seq(), i + 1);
    EXPECT_EQ(all[i].prev_hash(), all[i - 1].hash());
    EXPECT_EQ(all[i].hash(), AuditLog::HashOf(all[i]));
  }
  EXPECT_EQ(MustReadHead().seq(), 4u);
  EXPECT_EQ(MustReadHead().hash(), all[3].hash());
  EXPECT_TRUE(VerifyOk().intact());
}

TEST_F(AuditLogTest, CommitKeepsAGivenTimeAndIgnoresCallerSeqAndHashes) {
  AuditEntry e = Entry("CaseWork.GetCase");
  e.set_time(1234);
  e.set_seq(99);
  e.set_prev_hash("forged");
  e.set_hash("forged");
  ASSERT_TRUE(log_->Record({e}).ok());
  std::optional<AuditEntry> stored = ReadEntry(1);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->time(), 1234);
  EXPECT_EQ(stored->seq(), 1u);
  EXPECT_EQ(stored->prev_hash(), ZeroHash());
  EXPECT_EQ(stored->hash(), AuditLog::HashOf(*stored));
  EXPECT_FALSE(ReadEntry(99).has_value());
  EXPECT_TRUE(VerifyOk().intact());
}

TEST_F(AuditLogTest, RecordOfNothingWritesNothing) {
  ASSERT_TRUE(log_->Record({}).ok());
  EXPECT_TRUE(ReadAll().empty());
  EXPECT_FALSE(ReadHead().has_value());
  ASSERT_TRUE(log_->Record({Entry("x")}).ok());
  EXPECT_EQ(MustReadEntry(1).prev_hash(), ZeroHash());
}

TEST_F(AuditLogTest, HashOfIgnoresHashButCoversEveryOtherField) {
  AuditEntry e = Entry("CaseWork.GetCase", {kAnna});
  e.set_seq(7);
  e.set_time(kStart);
  e.set_prev_hash(ZeroHash());
  const std::string h = AuditLog::HashOf(e);
  EXPECT_EQ(h.size(), 32u);

  AuditEntry with_hash = e;
  with_hash.set_hash("anything");
  EXPECT_EQ(AuditLog::HashOf(with_hash), h);

  AuditEntry other = e;
  other.set_prev_hash(std::string(32, '\1'));
  EXPECT_NE(AuditLog::HashOf(other), h) << "prev_hash is chained in";
  other = e;
  other.set_outcome("refused: no consent");
  EXPECT_NE(AuditLog::HashOf(other), h);
  other = e;
  other.add_subjects(kBert);
  EXPECT_NE(AuditLog::HashOf(other), h);
  other = e;
  other.set_seq(8);
  EXPECT_NE(AuditLog::HashOf(other), h);
  other = e;
  other.set_time(kStart + 1);
  EXPECT_NE(AuditLog::HashOf(other), h);
}

// --- Atomicity and durability ----------------------------------------------------------------

TEST_F(AuditLogTest, CommitWritesTheCallersBatchTogetherWithTheEntries) {
  WriteBatch batch = store_->NewBatch();
  batch.Put(Family::kCases, "c/0171-C1", "the case");
  batch.Put(Family::kFeeds, "f/0172/1", "the feed record");
  ASSERT_TRUE(log_->Commit(batch, {Entry("CaseWork.OpenCase", {kAnna})}).ok());

  EXPECT_EQ(store_->Get(Family::kCases, "c/0171-C1")->value_or(""), "the case");
  EXPECT_EQ(store_->Get(Family::kFeeds, "f/0172/1")->value_or(""), "the feed record");
  std::optional<AuditEntry> e = ReadEntry(1);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->action(), "CaseWork.OpenCase");
  EXPECT_EQ(MustReadHead().seq(), 1u);
  EXPECT_TRUE(VerifyOk().intact());
}

TEST_F(AuditLogTest, ReopenContinuesTheChain) {
  RecordN(3);
  const std::string third_hash = MustReadEntry(3).hash();
  CloseAll();
  OpenAll();
  RecordN(2);

  std::optional<AuditEntry> fourth = ReadEntry(4);
  ASSERT_TRUE(fourth.has_value());
  EXPECT_EQ(fourth->seq(), 4u);
  EXPECT_EQ(fourth->prev_hash(), third_hash);
  EXPECT_EQ(ReadAll().size(), 5u);
  VerifyAuditResponse v = VerifyOk();
  EXPECT_TRUE(v.intact()) << v.problem();
  EXPECT_EQ(v.entries(), 5u);
  EXPECT_EQ(v.head_hash(), MustReadEntry(5).hash());
}

TEST_F(AuditLogTest, OpenRefusesAnUnparseableHead) {
  RecordN(2);
  RawPut("head", std::string("\xff\xff\xff\xff", 4));
  CloseAll();
  absl::StatusOr<std::unique_ptr<Store>> s = Store::Open({dir_ + "/db"});
  ASSERT_TRUE(s.ok()) << s.status();
  store_ = std::move(*s);
  absl::StatusOr<std::unique_ptr<AuditLog>> log = AuditLog::Open(store_.get(), &clock_, &secret_);
  EXPECT_EQ(log.status().code(), absl::StatusCode::kDataLoss) << log.status();
}

TEST_F(AuditLogTest, ConcurrentRecordsFormOneChain) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 8;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < kPerThread; ++i) {
        EXPECT_TRUE(log_->Record({Entry(absl::StrFormat("t%d#%d", t, i))}).ok());
      }
    });
  }
  for (std::thread& th : threads) th.join();
  VerifyAuditResponse v = VerifyOk();
  EXPECT_TRUE(v.intact()) << v.first_broken_seq() << ": " << v.problem();
  EXPECT_EQ(v.entries(), static_cast<uint64_t>(kThreads * kPerThread));
}

// --- Tampering -------------------------------------------------------------------------------

TEST_F(AuditLogTest, AlteredEntryIsFound) {
  ASSERT_NO_FATAL_FAILURE(RecordIntact(5));
  AuditEntry e = MustReadEntry(3);
  ASSERT_EQ(e.outcome(), "ok");
  e.set_outcome("refused: no consent");
  RawPut(EntryKey(3), e.SerializeAsString());

  VerifyAuditResponse v = VerifyOk();
  EXPECT_FALSE(v.intact());
  EXPECT_EQ(v.first_broken_seq(), 3u);
  EXPECT_NE(v.problem().find("altered"), std::string::npos) << v.problem();
  EXPECT_EQ(v.entries(), 2u) << "entries before the broken one checked out";
  EXPECT_TRUE(v.head_hash().empty());
}

TEST_F(AuditLogTest, AlteredSubjectsAreFound) {
  ASSERT_NO_FATAL_FAILURE(RecordIntact(5));
  AuditEntry e = MustReadEntry(2);
  e.clear_subjects();
  RawPut(EntryKey(2), e.SerializeAsString());
  VerifyAuditResponse v = VerifyOk();
  EXPECT_FALSE(v.intact());
  EXPECT_EQ(v.first_broken_seq(), 2u);
}

TEST_F(AuditLogTest, MissingEntryIsFound) {
  ASSERT_NO_FATAL_FAILURE(RecordIntact(5));
  RawDelete(EntryKey(3));
  VerifyAuditResponse v = VerifyOk();
  EXPECT_FALSE(v.intact());
  EXPECT_EQ(v.first_broken_seq(), 3u);
  EXPECT_NE(v.problem().find("missing"), std::string::npos) << v.problem();
}

TEST_F(AuditLogTest, MissingFirstEntryIsFound) {
  ASSERT_NO_FATAL_FAILURE(RecordIntact(3));
  RawDelete(EntryKey(1));
  VerifyAuditResponse v = VerifyOk();
  EXPECT_FALSE(v.intact());
  EXPECT_EQ(v.first_broken_seq(), 1u);
  EXPECT_NE(v.problem().find("missing"), std::string::npos) << v.problem();
}

TEST_F(AuditLogTest, RehashedAlteredEntryBreaksTheNextLink) {
  ASSERT_NO_FATAL_FAILURE(RecordIntact(5));
  AuditEntry e = MustReadEntry(3);
  e.set_outcome("refused: no consent");
  e.set_hash(AuditLog::HashOf(e));
  RawPut(EntryKey(3), e.SerializeAsString());

  VerifyAuditResponse v = VerifyOk();
  EXPECT_FALSE(v.intact());
  EXPECT_EQ(v.first_broken_seq(), 4u);
  EXPECT_NE(v.problem().find("previous-entry hash"), std::string::npos) << v.problem();
}

TEST_F(AuditLogTest, EntryMovedToAnotherSeqIsFound) {
  ASSERT_NO_FATAL_FAILURE(RecordIntact(5));
  // Entry 4's content under key 3 (entry 3 replaced by a copy of 4): seq does not match key.
  RawPut(EntryKey(3), MustReadEntry(4).SerializeAsString());
  VerifyAuditResponse v = VerifyOk();
  EXPECT_FALSE(v.intact());
  EXPECT_EQ(v.first_broken_seq(), 3u);
}

TEST_F(AuditLogTest, EntryUnderAnotherKeyIsFound) {
  ASSERT_NO_FATAL_FAILURE(RecordIntact(5));
  // Entry 3, unchanged, moved to key 4 (replacing entry 4): its own seq still says 3.
  const std::string third = MustReadEntry(3).SerializeAsString();
  RawDelete(EntryKey(3));
  RawPut(EntryKey(4), third);
  VerifyAuditResponse v = VerifyOk();
  EXPECT_FALSE(v.intact());
  EXPECT_EQ(v.first_broken_seq(), 3u);
  EXPECT_NE(v.problem().find("missing"), std::string::npos) << v.problem();
}

TEST_F(AuditLogTest, EntriesRemovedFromTheEndAreFound) {
  ASSERT_NO_FATAL_FAILURE(RecordIntact(5));
  RawDelete(EntryKey(5));
  VerifyAuditResponse v = VerifyOk();
  EXPECT_FALSE(v.intact());
  EXPECT_EQ(v.first_broken_seq(), 5u);
  EXPECT_NE(v.problem().find("removed from the end"), std::string::npos) << v.problem();
  EXPECT_TRUE(v.head_hash().empty());
}

TEST_F(AuditLogTest, AllEntriesRemovedIsFound) {
  ASSERT_NO_FATAL_FAILURE(RecordIntact(3));
  for (uint64_t seq = 1; seq <= 3; ++seq) RawDelete(EntryKey(seq));
  VerifyAuditResponse v = VerifyOk();
  EXPECT_FALSE(v.intact()) << "the head still says 3 entries";
  EXPECT_EQ(v.first_broken_seq(), 1u);
}

TEST_F(AuditLogTest, HeadHashNotMatchingTheLastEntryIsFound) {
  ASSERT_NO_FATAL_FAILURE(RecordIntact(3));
  AuditHead head = MustReadHead();
  head.set_hash(std::string(32, '\7'));
  RawPut("head", head.SerializeAsString());
  VerifyAuditResponse v = VerifyOk();
  EXPECT_FALSE(v.intact());
}

TEST_F(AuditLogTest, EntriesWithoutAHeadAreFound) {
  ASSERT_NO_FATAL_FAILURE(RecordIntact(3));
  RawDelete("head");
  VerifyAuditResponse v = VerifyOk();
  EXPECT_FALSE(v.intact());
}

TEST_F(AuditLogTest, UnparseableEntryIsFound) {
  ASSERT_NO_FATAL_FAILURE(RecordIntact(5));
  RawPut(EntryKey(3), std::string("\xff\xff\xff\xff\xff", 5));
  VerifyAuditResponse v = VerifyOk();
  EXPECT_FALSE(v.intact());
  EXPECT_EQ(v.first_broken_seq(), 3u);
  EXPECT_NE(v.problem().find("cannot be parsed"), std::string::npos) << v.problem();
}

// --- The per-child index ---------------------------------------------------------------------

TEST_F(AuditLogTest, OfSubjectReturnsExactlyTheChildsEntriesOldestFirst) {
  ASSERT_TRUE(log_->Record({Entry("read anna 1", {kAnna})}).ok());       // 1
  ASSERT_TRUE(log_->Record({Entry("read bert", {kBert})}).ok());         // 2
  ASSERT_TRUE(log_->Record({Entry("no subject")}).ok());                 // 3
  ASSERT_TRUE(log_->Record({Entry("read both", {kBert, kAnna})}).ok());  // 4
  WriteBatch batch = store_->NewBatch();
  batch.Put(Family::kCases, "c/x", "x");
  std::vector<AuditEntry> changes = {Entry("change anna", {kAnna}), Entry("change bert", {kBert})};
  ASSERT_TRUE(log_->Commit(batch, std::move(changes)).ok());  // 5, 6
  // Enough entries for seq to need more than one hex digit, so ordering is by number.
  for (int i = 0; i < 12; ++i) ASSERT_TRUE(log_->Record({Entry("filler")}).ok());  // 7..18
  ASSERT_TRUE(log_->Record({Entry("read anna 2", {kAnna})}).ok());                 // 19

  absl::StatusOr<std::vector<AuditEntry>> anna = log_->OfSubject(kAnna);
  ASSERT_TRUE(anna.ok()) << anna.status();
  std::vector<uint64_t> seqs;
  std::vector<std::string> actions;
  for (const AuditEntry& e : *anna) {
    seqs.push_back(e.seq());
    actions.push_back(e.action());
  }
  EXPECT_EQ(seqs, (std::vector<uint64_t>{1, 4, 5, 19}));
  EXPECT_EQ(actions,
            (std::vector<std::string>{"read anna 1", "read both", "change anna", "read anna 2"}));
  for (const AuditEntry& e : *anna) {
    EXPECT_EQ(e.hash(), AuditLog::HashOf(e)) << "whole entries, as stored";
  }

  absl::StatusOr<std::vector<AuditEntry>> bert = log_->OfSubject(kBert);
  ASSERT_TRUE(bert.ok()) << bert.status();
  seqs.clear();
  for (const AuditEntry& e : *bert) seqs.push_back(e.seq());
  EXPECT_EQ(seqs, (std::vector<uint64_t>{2, 4, 6}));

  absl::StatusOr<std::vector<AuditEntry>> carl = log_->OfSubject(kCarl);
  ASSERT_TRUE(carl.ok()) << carl.status();
  EXPECT_TRUE(carl->empty());

  // A prefix of an isikukood is not a subject.
  absl::StatusOr<std::vector<AuditEntry>> prefix = log_->OfSubject("6000101");
  ASSERT_TRUE(prefix.ok()) << prefix.status();
  EXPECT_TRUE(prefix->empty());
}

TEST_F(AuditLogTest, OfSubjectSurvivesReopen) {
  ASSERT_TRUE(log_->Record({Entry("read anna", {kAnna})}).ok());
  CloseAll();
  OpenAll();
  ASSERT_TRUE(log_->Record({Entry("read anna again", {kAnna})}).ok());
  absl::StatusOr<std::vector<AuditEntry>> anna = log_->OfSubject(kAnna);
  ASSERT_TRUE(anna.ok()) << anna.status();
  ASSERT_EQ(anna->size(), 2u);
  EXPECT_EQ((*anna)[0].seq(), 1u);
  EXPECT_EQ((*anna)[1].seq(), 2u);
}

TEST_F(AuditLogTest, OfSubjectReportsAMissingIndexedEntry) {
  RecordN(3);  // all name kAnna
  RawDelete(EntryKey(2));
  absl::StatusOr<std::vector<AuditEntry>> anna = log_->OfSubject(kAnna);
  EXPECT_EQ(anna.status().code(), absl::StatusCode::kDataLoss) << anna.status();
}

// --- The access-report index and concurrent commits ---------------------------------------

// The index key of `child` (an isikukood, stored by its pseudonym under kSecret).
std::string SubjectKey(const std::string& child, uint64_t seq) {
  return absl::StrFormat("s/%s/%016x", TestSecret().ChildPseudonym(child), seq);
}

TEST_F(AuditLogTest, RemovedIndexKeyIsFound) {
  ASSERT_NO_FATAL_FAILURE(RecordIntact(5));  // all name kAnna
  RawDelete(SubjectKey(kAnna, 4));
  VerifyAuditResponse v = VerifyOk();
  EXPECT_FALSE(v.intact()) << "the family's report would silently miss entry 4";
  EXPECT_EQ(v.first_broken_seq(), 4u);
  EXPECT_NE(v.problem().find("index"), std::string::npos) << v.problem();
}

TEST_F(AuditLogTest, ForgedIndexKeyIsFound) {
  ASSERT_NO_FATAL_FAILURE(RecordIntact(5));  // all name kAnna, none kBert
  RawPut(SubjectKey(kBert, 2), "");
  VerifyAuditResponse v = VerifyOk();
  EXPECT_FALSE(v.intact()) << "kBert's report would list an access that never concerned him";
  EXPECT_EQ(v.first_broken_seq(), 2u);
  EXPECT_NE(v.problem().find("index"), std::string::npos) << v.problem();
}

TEST_F(AuditLogTest, VerifyDuringCommitsIsAlwaysIntact) {
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; !stop.load(); ++i) {
      ASSERT_TRUE(log_->Record({Entry("CaseWork.GetCase", {kAnna, kBert})}).ok());
    }
  });
  for (int i = 0; i < 50; ++i) {
    VerifyAuditResponse v = VerifyOk();
    EXPECT_TRUE(v.intact()) << "at round " << i << ": " << v.problem();
  }
  stop.store(true);
  writer.join();
}

// --- Pseudonyms (issue 11) ------------------------------------------------------------------

// Every key and value of the audit family, concatenated.
std::string AllAuditBytes(const Store& store) {
  std::string all;
  EXPECT_TRUE(store
                  .Scan(Family::kAudit, "", "",
                        [&](absl::string_view k, absl::string_view v) {
                          absl::StrAppend(&all, k, "=", v, "\n");
                          return true;
                        })
                  .ok());
  return all;
}

TEST_F(AuditLogTest, SubjectsAndIsikukoodsInTextsAreStoredAsPseudonyms) {
  constexpr char kGuardian[] = "37605030299";
  AuditEntry e = Entry("CaseWork.Lookup", {kAnna, kBert});
  e.set_object(kAnna);  // what a call on child_isikukood names
  e.set_purpose(absl::StrCat("guardian ", kGuardian, " asked; ref 12345678901234 50102030405"));
  e.set_outcome(absl::StrCat("ok; about ", kAnna));
  ASSERT_TRUE(log_->Record({e}).ok());
  const std::string stored = AllAuditBytes(*store_);
  for (const char* code : {kAnna, kBert, kGuardian}) {
    EXPECT_EQ(stored.find(code), std::string::npos) << code << " stored in the audit family";
  }
  std::vector<AuditEntry> all = ReadAll();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].subjects(0), secret_.ChildPseudonym(kAnna));
  EXPECT_EQ(all[0].subjects(1), secret_.ChildPseudonym(kBert));
  EXPECT_EQ(all[0].object(), secret_.ChildPseudonym(kAnna));
  EXPECT_EQ(all[0].purpose(), absl::StrCat("guardian ", secret_.ChildPseudonym(kGuardian),
                                           " asked; ref 12345678901234 50102030405"))
      << "only valid isikukoods are replaced (not a longer number, not a bad check digit)";
  EXPECT_EQ(all[0].outcome(), absl::StrCat("ok; about ", secret_.ChildPseudonym(kAnna)));
  EXPECT_TRUE(VerifyOk().intact());

  absl::StatusOr<std::vector<AuditEntry>> anna = log_->OfSubject(kAnna);
  ASSERT_TRUE(anna.ok()) << anna.status();
  ASSERT_EQ(anna->size(), 1u) << "found by the isikukood";
  EXPECT_EQ((*anna)[0].action(), "CaseWork.Lookup");

  // Another node's secret gives other pseudonyms: the log cannot be searched without it.
  const security::NodeSecret other = *security::NodeSecret::FromBytes(std::string(32, 'o'));
  EXPECT_NE(other.ChildPseudonym(kAnna), secret_.ChildPseudonym(kAnna));
}

TEST_F(AuditLogTest, EntriesWrittenBeforePseudonymsAreStillFoundAndVerified) {
  // An entry as written before issue 11: the isikukood itself in subjects and in the index.
  AuditEntry old = Entry("CaseWork.GetCase", {kAnna});
  old.set_seq(1);
  old.set_time(kStart);
  old.set_prev_hash(ZeroHash());
  old.set_hash(AuditLog::HashOf(old));
  AuditHead head;
  head.set_seq(1);
  head.set_hash(old.hash());
  RawPut(EntryKey(1), old.SerializeAsString());
  RawPut(absl::StrFormat("s/%s/%016x", kAnna, 1), "");
  RawPut("head", head.SerializeAsString());
  CloseAll();
  OpenAll();
  ASSERT_TRUE(log_->Record({Entry("CaseWork.UpdateCase", {kAnna})}).ok());
  absl::StatusOr<std::vector<AuditEntry>> anna = log_->OfSubject(kAnna);
  ASSERT_TRUE(anna.ok()) << anna.status();
  ASSERT_EQ(anna->size(), 2u);
  EXPECT_EQ((*anna)[0].action(), "CaseWork.GetCase");
  EXPECT_EQ((*anna)[1].action(), "CaseWork.UpdateCase");
  VerifyAuditResponse v = VerifyOk();
  EXPECT_TRUE(v.intact()) << v.problem();
  EXPECT_EQ(v.entries(), 2u);
}

}  // namespace
}  // namespace hop::audit
