// Crash and recovery of federation sync between two real hopd processes: Tartu linn (0793)
// owns the cases, Elva (0171) pulls them (DESIGN.md "Per-peer change feeds", "Sync").
// The suite proves that:
//  - a receiver killed with SIGKILL in the middle of a large pull (6000 consented case
//    summaries) restarts at its last durable batch and resumes from there: nothing is lost,
//    nothing is applied twice, and the digest check agrees without a resync; a receiver
//    asked to stop with SIGTERM in the middle exits cleanly, equally without loss;
//  - an owner whose data directory is copied back from an older copy by hand refuses the
//    receiver's position (it never issued it) without moving its epoch (only hopd --restore
//    does that); the receiver drops its copies and pulls the restored store from zero, so a
//    summary that existed only in the lost life is gone there;
//  - a receiver restored from a backup taken before a tombstone that the owner has since
//    collected still holds the withdrawn summary; the digest check finds the difference and
//    one full resync purges it;
//  - a sync of an unchanged store transfers nothing but the digest check.
#include <stdlib.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "daemon/base/clock.h"
#include "daemon/casework/case_book.h"
#include "daemon/casework/consent_book.h"
#include "daemon/casework/feed_writer.h"
#include "daemon/casework/record_store.h"
#include "daemon/casework/user_registry.h"
#include "daemon/store/store.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "hop/v1/admin.pb.h"
#include "hop/v1/casework.pb.h"
#include "hop/v1/federation.pb.h"
#include "tests/support/harness.h"

namespace hop {
namespace {

using ::hop::testing::CommandResult;
using ::hop::testing::NodeFixture;
using ::hop::testing::NodeOptions;
using ::hop::v1::PeerSyncState;

constexpr char kOwner[] = "0793";                // Tartu linn: owns the cases
constexpr char kReceiver[] = "0171";             // Elva: pulls the owner's feed
constexpr char kCaseManager[] = "tiina";         // at the owner
constexpr char kReceiverCaseManager[] = "mari";  // at the receiver, for lookups
constexpr char kChildA[] = "61604150239";
constexpr char kGuardian[] = "49403136526";
constexpr char kOtherGuardian[] = "37605030299";
constexpr char kPurpose[] = "support in Elva";
constexpr int kBatchEntries = 500;  // entries per streamed batch
constexpr char kFailpoint[] = "HOP_FAILPOINT_PULL_BATCH_SLEEP_MS";

// The isikukood check digit of DOMAIN.md: weights 1..9,1 mod 11; if that gives 10, weights
// 3..9,1,2,3; if that gives 10 again, 0.
int CheckDigit(const std::string& first_ten) {
  static constexpr int kWeights[2][10] = {{1, 2, 3, 4, 5, 6, 7, 8, 9, 1},
                                          {3, 4, 5, 6, 7, 8, 9, 1, 2, 3}};
  for (const auto& weights : kWeights) {
    int sum = 0;
    for (int i = 0; i < 10; ++i) sum += (first_ten[i] - '0') * weights[i];
    if (sum % 11 != 10) return sum % 11;
  }
  return 0;
}

// The i-th generated child, distinct for i < 3,652,000: born on day i % 3652 of 2010-2019
// with serial i / 3652 (boys and girls alternating).
std::string GeneratedChild(int i) {
  constexpr int kDays = 3652;  // 2015-01-01 .. 2024-12-31: minors (consents end at 18)
  const absl::CivilDay born = absl::CivilDay(2015, 1, 1) + i % kDays;
  const std::string first_ten = absl::StrFormat("%d%02d%02d%02d%03d", 5 + i % 2, born.year() % 100,
                                                born.month(), born.day(), i / kDays);
  return absl::StrCat(first_ten, CheckDigit(first_ten));
}

// What an offline fill left in the owner's store.
struct OwnerFill {
  std::vector<std::string> children;  // in opening order
  std::vector<uint64_t> feed_seqs;    // the receiver's feed at the owner, in seq order
  uint64_t directory_entries = 0;     // feed entries that are institutions or contacts
};

// With the casework library on the owner's closed store in `data_dir` (as hopd wires it),
// opens `n` cases of generated children at `institution_id` as the owner's case manager, each
// with a guardian's consent naming the receiver; then reads the receiver's feed.
absl::StatusOr<OwnerFill> FillOwnerOffline(const std::string& data_dir,
                                           const std::string& institution_id, int n) {
  RealClock clock;
  absl::StatusOr<std::unique_ptr<store::Store>> store = store::Store::Open({data_dir});
  if (!store.ok()) return store.status();
  absl::StatusOr<std::unique_ptr<casework::RecordStore>> records =
      casework::RecordStore::Open(store->get(), kOwner, &clock);
  if (!records.ok()) return records.status();
  const casework::FeedWriter feeds(records->get(), {kReceiver});
  const casework::UserRegistry users(records->get());
  casework::CaseBook cases(records->get(), &feeds);
  casework::ConsentBook consents(records->get(), &feeds);

  absl::StatusOr<std::optional<hop::v1::User>> manager = users.Find(kCaseManager);
  if (!manager.ok()) return manager.status();
  if (!manager->has_value() || (*manager)->role() != hop::v1::ROLE_CASE_MANAGER) {
    return absl::FailedPreconditionError("the owner's case manager is not registered");
  }
  domain::Actor actor;
  actor.user_id = kCaseManager;
  actor.role = hop::v1::ROLE_CASE_MANAGER;

  OwnerFill fill;
  for (int i = 0; i < n; ++i) {
    hop::v1::OpenCaseRequest open;
    open.mutable_child()->set_isikukood(GeneratedChild(i));
    open.mutable_child()->set_name(absl::StrCat("Laps ", i));
    open.set_level(hop::v1::LEVEL_SCHOOL);
    open.set_institution_id(institution_id);
    open.add_need_areas("reading");
    open.add_need_areas("writing");
    absl::StatusOr<hop::v1::Case> opened = cases.Open(actor, open);
    if (!opened.ok()) return opened.status();

    hop::v1::GrantConsentRequest grant;
    grant.set_child_isikukood(open.child().isikukood());
    grant.set_granted_by(kGuardian);
    grant.add_recipients(kReceiver);
    grant.add_scopes(hop::v1::SCOPE_CASE_SUMMARY);
    grant.add_scopes(hop::v1::SCOPE_RESPONSIBLE_CONTACT);
    grant.add_scopes(hop::v1::SCOPE_SERVICE_HISTORY);
    grant.set_purpose(kPurpose);
    grant.set_valid_until(absl::ToUnixSeconds(absl::Now() + absl::Hours(24 * 365)));
    absl::StatusOr<hop::v1::Consent> granted = consents.Grant(actor, grant);
    if (!granted.ok()) return granted.status();
    fill.children.push_back(open.child().isikukood());
  }
  absl::Status scanned = records->get()->ScanFeed(kReceiver, 0, [&](const hop::v1::FeedEntry& e) {
    fill.feed_seqs.push_back(e.seq());
    if (e.has_institution() || e.has_contact()) ++fill.directory_entries;
    return true;
  });
  if (!scanned.ok()) return scanned;
  return fill;
}

// Copies the directory tree `from` to `to` (which must not exist).
void CopyTree(const std::string& from, const std::string& to) {
  std::error_code ec;
  std::filesystem::copy(from, to, std::filesystem::copy_options::recursive, ec);
  ASSERT_FALSE(ec) << "copying " << from << " to " << to << ": " << ec.message();
}

class FederationRecoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<testing::Pki> pki = testing::Pki::Create(pki_dir_.Path("pki"));
    ASSERT_TRUE(pki.ok()) << pki.status();
    const std::vector<int> picked = testing::PickFreePorts(2);
    const std::map<std::string, int> ports = {{kOwner, picked[0]}, {kReceiver, picked[1]}};
    for (const auto& [code, port] : ports) {
      const std::string other = code == kOwner ? kReceiver : kOwner;
      NodeOptions options;
      options.ehak = code;
      options.pki_dir = pki_dir_.Path("pki");
      options.federation_port = port;
      options.extra_config = absl::StrCat("peers { municipality: \"", other,
                                          "\" address: \"127.0.0.1:", ports.at(other), "\" }");
      absl::StatusOr<std::unique_ptr<NodeFixture>> node = NodeFixture::Start(options);
      ASSERT_TRUE(node.ok()) << node.status();
      nodes_[code] = *std::move(node);
    }
    Ok(kOwner, "admin", {"user", "add", kCaseManager, "--role", "case-manager", "--name", "Tiina"});
    Ok(kReceiver, "admin",
       {"user", "add", kReceiverCaseManager, "--role", "case-manager", "--name", "Mari"});
    institution_ =
        Json<hop::v1::Institution>(kOwner, kCaseManager,
                                   {"directory", "institution", "add", "--name", "Kool", "--kind",
                                    "school", "--ownership", "municipal", "--municipality", kOwner})
            .id();
    ASSERT_FALSE(institution_.empty());
  }

  NodeFixture& Node(const std::string& code) { return *nodes_.at(code); }
  std::string DataDir(const std::string& code) { return Node(code).dir() + "/data"; }
  std::string BackupDir(const std::string& code) { return Node(code).dir() + "/data-backup"; }

  // Runs hopctl as `user` on node `code`, expects success and returns its stdout.
  std::string Ok(const std::string& code, const std::string& user, std::vector<std::string> args) {
    const CommandResult r = Node(code).Hopctl(user, std::move(args), 180);
    EXPECT_EQ(r.exit_code, 0) << code << " as " << user << ": " << r.err;
    return r.out;
  }
  // As Ok, with --json, parsing the output as a `Message`.
  template <typename Message>
  Message Json(const std::string& code, const std::string& user, std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    const std::string json = Ok(code, user, std::move(args));
    Message message;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &message).ok()) << json;
    return message;
  }
  static PeerSyncState PeerOf(const google::protobuf::RepeatedPtrField<PeerSyncState>& peers,
                              const std::string& peer) {
    for (const PeerSyncState& p : peers) {
      if (p.municipality() == peer) return p;
    }
    ADD_FAILURE() << "no peer " << peer;
    return PeerSyncState();
  }

  // The receiver pulls the owner's feed now; returns its view of the owner.
  PeerSyncState Sync() {
    return PeerOf(Json<hop::v1::SyncNowResponse>(kReceiver, "admin",
                                                 {"--timeout", "120", "sync", "--peer", kOwner})
                      .peers(),
                  kOwner);
  }
  // Node `code`'s view of `peer` (`hopctl peers`), without syncing.
  PeerSyncState PeerState(const std::string& code, const std::string& peer) {
    return PeerOf(Json<hop::v1::NodeStatus>(code, "admin", {"peers"}).peers(), peer);
  }
  std::string OwnerEpoch() {
    return Json<hop::v1::NodeStatus>(kOwner, "admin", {"status"}).epoch();
  }

  // At the owner: a case for `child` and a guardian's consent naming the receiver.
  void OpenCaseWithConsent(const std::string& child) {
    Ok(kOwner, kCaseManager,
       {"case", "open", "--child", child, "--name", "Laps", "--level", "school", "--institution",
        institution_});
    Ok(kOwner, kCaseManager,
       {"consent", "grant", "--child", child, "--guardian", kGuardian, "--to", kReceiver, "--scope",
        "summary,contact,services", "--purpose", kPurpose, "--until",
        hop::testing::DateFromToday(365)});
  }
  // How many held summaries a case manager at the receiver finds for `child` (each must be
  // the owner's summary of that child).
  int HeldSummaries(const std::string& child) {
    const hop::v1::LookupResponse found = Json<hop::v1::LookupResponse>(
        kReceiver, kReceiverCaseManager, {"lookup", "--child", child, "--purpose", kPurpose});
    for (const hop::v1::HeldSummary& held : found.held()) {
      EXPECT_EQ(held.summary().child_isikukood(), child);
      EXPECT_EQ(held.summary().origin(), kOwner);
    }
    return found.held_size();
  }

  // Stops node `code` and copies its data dir to BackupDir(code); starts it again.
  void BackUp(const std::string& code) {
    Node(code).Stop();
    ASSERT_NO_FATAL_FAILURE(CopyTree(DataDir(code), BackupDir(code)));
    absl::Status started = Node(code).Restart();
    ASSERT_TRUE(started.ok()) << started;
  }
  // Stops node `code`, replaces its data dir with BackupDir(code) and starts it again.
  void RestoreBackup(const std::string& code) {
    Node(code).Stop();
    std::error_code ec;
    std::filesystem::remove_all(DataDir(code), ec);
    ASSERT_FALSE(ec) << ec.message();
    ASSERT_NO_FATAL_FAILURE(CopyTree(BackupDir(code), DataDir(code)));
    absl::Status started = Node(code).Restart();
    ASSERT_TRUE(started.ok()) << started;
  }
  // True once node `code`'s log contains `text` (checked for up to 10 s).
  bool LogShows(const std::string& code, const std::string& text) {
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    for (;;) {
      if (absl::StrContains(Node(code).log(), text)) return true;
      if (absl::Now() > deadline) return false;
      absl::SleepFor(absl::Milliseconds(50));
    }
  }

  void InterruptLargePull(const std::function<int(NodeFixture&)>& stop, bool graceful);

  testing::TempDir pki_dir_;
  std::map<std::string, std::unique_ptr<NodeFixture>> nodes_;
  std::string institution_;
};

// Fills the owner with kCases consented cases, starts a slowed-down pull at the receiver and,
// once some batches are applied, stops the receiver with `stop` (returning its exit code);
// then checks that only whole batches were durable, and that the next sync completes with
// nothing lost or applied twice. `graceful`: the node was asked to stop and may finish the
// pull in flight (SIGTERM), else it was killed.
void FederationRecoveryTest::InterruptLargePull(const std::function<int(NodeFixture&)>& stop,
                                                bool graceful) {
  constexpr int kCases = 6000;
  NodeFixture& receiver = Node(kReceiver);

  Node(kOwner).Stop();
  const absl::Time fill_start = absl::Now();
  absl::StatusOr<OwnerFill> fill = FillOwnerOffline(DataDir(kOwner), institution_, kCases);
  ASSERT_TRUE(fill.ok()) << fill.status();
  std::printf("offline fill: %d cases with consents in %.1f s\n", kCases,
              absl::ToDoubleSeconds(absl::Now() - fill_start));
  absl::Status started = Node(kOwner).Restart();
  ASSERT_TRUE(started.ok()) << started;
  const uint64_t feed_entries = fill->feed_seqs.size();
  ASSERT_EQ(feed_entries, kCases + fill->directory_entries);
  ASSERT_GT(feed_entries, 4u * kBatchEntries) << "the pull must span several batches";

  // The receiver pauses after each applied batch, so it can be killed in the middle.
  setenv(kFailpoint, "150", 1);
  started = receiver.Restart();
  unsetenv(kFailpoint);
  ASSERT_TRUE(started.ok()) << started;

  // hopctl sync in a thread (RunCommand is thread-safe); it fails when the node dies.
  const testing::CertPaths admin = receiver.Staff("admin");
  std::vector<std::string> argv = {testing::BinaryDir() + "/client/hopctl",
                                   "--server",
                                   receiver.api_address(),
                                   "--ca",
                                   receiver.pki().ca_cert(),
                                   "--crl",
                                   receiver.pki().crl()};
  argv.insert(argv.end(), {"--cert", admin.cert, "--key", admin.key});
  argv.insert(argv.end(), {"--timeout", "120", "sync", "--peer", kOwner});
  CommandResult interrupted;
  std::thread pull([&argv, &interrupted] { interrupted = testing::RunCommand(argv, {}, 180); });
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (PeerState(kReceiver, kOwner).checkpoint().seq() == 0 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  const int exit_code = stop(receiver);
  pull.join();
  if (graceful) {
    EXPECT_EQ(exit_code, 0) << "a stop request ends hopd cleanly\n" << receiver.log();
  } else {
    EXPECT_NE(interrupted.exit_code, 0) << "the sync should have died with the node:\n"
                                        << interrupted.out;
  }

  // What the killed pull made durable: whole batches, each with its checkpoint.
  started = receiver.Restart();
  ASSERT_TRUE(started.ok()) << started;
  const PeerSyncState mid = PeerState(kReceiver, kOwner);
  const uint64_t applied = mid.checkpoint().records_in();
  ASSERT_GT(applied, 0u) << "nothing was applied before the stop";
  if (!graceful) {
    ASSERT_LT(applied, feed_entries) << "the pull finished before the kill; nothing to resume";
  }
  EXPECT_TRUE(applied % kBatchEntries == 0 || applied == feed_entries)
      << "only whole batches are applied: " << applied;
  EXPECT_EQ(mid.records_held(), applied) << "every entry so far is a distinct record's upsert";
  EXPECT_EQ(mid.checkpoint().seq(), fill->feed_seqs[applied - 1])
      << "the checkpoint is the seq of the last applied entry";
  EXPECT_EQ(mid.checkpoint().full_resyncs(), 0u);
  std::printf("stopped after %llu of %llu entries\n", static_cast<unsigned long long>(applied),
              static_cast<unsigned long long>(feed_entries));

  const PeerSyncState done = Sync();
  EXPECT_TRUE(done.checkpoint().last_error().empty()) << done.checkpoint().last_error();
  EXPECT_EQ(done.records_held(), kCases + fill->directory_entries);
  EXPECT_EQ(done.checkpoint().records_in(), feed_entries) << "an entry was applied twice or lost";
  EXPECT_EQ(done.checkpoint().refused_in(), 0u);
  EXPECT_EQ(done.checkpoint().seq(), fill->feed_seqs.back());
  EXPECT_EQ(done.checkpoint().digest_mismatches(), 0u);
  EXPECT_EQ(done.checkpoint().full_resyncs(), 0u);
  EXPECT_EQ(HeldSummaries(fill->children.front()), 1);
  EXPECT_EQ(HeldSummaries(fill->children.back()), 1);
}

TEST_F(FederationRecoveryTest, KillNineDuringALargePullResumesWithNothingLostOrDoubled) {
  InterruptLargePull([](NodeFixture& node) { return node.process().Kill(); }, false);
}

TEST_F(FederationRecoveryTest, SigtermDuringALargePullStopsCleanlyAndLosesNothing) {
  InterruptLargePull([](NodeFixture& node) { return node.Stop(); }, true);
}

TEST_F(FederationRecoveryTest, AnOwnerCopiedBackByHandRefusesTheLostPositionAndReceiversResync) {
  const std::string child_b = GeneratedChild(0);
  const std::string child_c = GeneratedChild(1);
  OpenCaseWithConsent(kChildA);
  ASSERT_EQ(Sync().records_held(), 2u) << "institution + summary of A";
  ASSERT_NO_FATAL_FAILURE(BackUp(kOwner));

  OpenCaseWithConsent(child_b);
  const PeerSyncState before = Sync();
  ASSERT_EQ(before.records_held(), 3u) << "institution + summaries of A and B";
  const std::string epoch_before = OwnerEpoch();
  EXPECT_EQ(before.checkpoint().epoch(), epoch_before);
  ASSERT_EQ(HeldSummaries(child_b), 1);

  // The owner loses case B: its data directory goes back to the copy taken before it, by hand
  // (not with hopd --restore, which would give it a new epoch).
  ASSERT_NO_FATAL_FAILURE(RestoreBackup(kOwner));
  EXPECT_FALSE(absl::StrContains(Node(kOwner).log(), "never issued"));

  const PeerSyncState after = Sync();
  EXPECT_EQ(OwnerEpoch(), epoch_before) << "a peer's claim moved the owner's epoch";
  EXPECT_EQ(after.checkpoint().epoch(), epoch_before);
  EXPECT_TRUE(after.checkpoint().last_error().empty()) << after.checkpoint().last_error();
  EXPECT_EQ(after.checkpoint().position_refusals(), 1u);
  EXPECT_EQ(after.checkpoint().full_resyncs(), 1u);
  EXPECT_EQ(after.checkpoint().digest_mismatches(), 0u);
  EXPECT_EQ(after.records_held(), 2u) << "institution + summary of A, nothing of the lost life";
  EXPECT_EQ(HeldSummaries(kChildA), 1);
  EXPECT_EQ(HeldSummaries(child_b), 0) << "B existed only in the owner's lost life";
  EXPECT_TRUE(LogShows(kOwner, "claimed a feed position this node never issued"));

  // The restored life goes on normally (its next case may reuse B's id).
  OpenCaseWithConsent(child_c);
  const PeerSyncState later = Sync();
  EXPECT_EQ(later.records_held(), 3u);
  EXPECT_EQ(later.checkpoint().full_resyncs(), 1u);
  EXPECT_EQ(later.checkpoint().position_refusals(), 1u);
  EXPECT_EQ(HeldSummaries(child_c), 1);
  EXPECT_EQ(HeldSummaries(child_b), 0);
}

TEST_F(FederationRecoveryTest, AReceiverRestoredBehindCollectedTombstonesIsRepairedByTheDigest) {
  OpenCaseWithConsent(kChildA);
  ASSERT_EQ(Sync().records_held(), 2u) << "institution + summary";
  ASSERT_NO_FATAL_FAILURE(BackUp(kReceiver));

  Ok(kOwner, kCaseManager,
     {"consent", "withdraw", "--child", kChildA, "--guardian", kOtherGuardian, "--evidence",
      "F-1"});
  // The owner's nudge may already have made the receiver pull the tombstone; either way this
  // sync has it, and the next one acknowledges it.
  ASSERT_EQ(Sync().records_held(), 1u) << "the tombstone purged the summary";
  Sync();  // acknowledges the tombstone: the owner collects it
  ASSERT_TRUE(LogShows(kOwner, "tombstones collected"));

  // The receiver goes back to before the tombstone, which the owner no longer has.
  ASSERT_NO_FATAL_FAILURE(RestoreBackup(kReceiver));
  ASSERT_EQ(PeerState(kReceiver, kOwner).records_held(), 2u);
  EXPECT_FALSE(absl::StrContains(Node(kReceiver).log(), "digest mismatch"));

  const PeerSyncState repaired = Sync();
  EXPECT_TRUE(repaired.checkpoint().last_error().empty()) << repaired.checkpoint().last_error();
  EXPECT_EQ(repaired.checkpoint().digest_mismatches(), 1u);
  EXPECT_EQ(repaired.checkpoint().full_resyncs(), 1u);
  EXPECT_EQ(repaired.records_held(), 1u) << "only the institution";
  EXPECT_EQ(HeldSummaries(kChildA), 0) << "the withdrawn summary survived the restore";
  EXPECT_TRUE(LogShows(kReceiver, "digest mismatch"));

  const PeerSyncState next = Sync();
  EXPECT_EQ(next.checkpoint().digest_mismatches(), 1u) << "the repair holds";
  EXPECT_EQ(next.checkpoint().full_resyncs(), 1u);
  EXPECT_EQ(next.records_held(), 1u);
}

TEST_F(FederationRecoveryTest, AnUnchangedStoreTransfersNothingButTheCheck) {
  OpenCaseWithConsent(kChildA);
  const PeerSyncState first = Sync();
  ASSERT_EQ(first.records_held(), 2u) << "institution + summary";
  EXPECT_EQ(first.checkpoint().records_in(), 2u);
  const PeerSyncState served_first = PeerState(kOwner, kReceiver);
  EXPECT_EQ(served_first.out().records_out(), 2u);
  EXPECT_EQ(served_first.feed_seq(), first.checkpoint().seq());

  const PeerSyncState second = Sync();
  const PeerSyncState served_second = PeerState(kOwner, kReceiver);
  EXPECT_TRUE(second.checkpoint().last_error().empty()) << second.checkpoint().last_error();
  EXPECT_EQ(second.checkpoint().records_in(), first.checkpoint().records_in());
  EXPECT_EQ(second.checkpoint().seq(), first.checkpoint().seq());
  EXPECT_EQ(second.records_held(), 2u);
  EXPECT_EQ(second.checkpoint().digest_mismatches(), 0u);
  EXPECT_EQ(second.checkpoint().full_resyncs(), 0u);
  EXPECT_EQ(served_second.out().records_out(), served_first.out().records_out());
  EXPECT_EQ(served_second.out().acked_seq(), first.checkpoint().seq());
}

}  // namespace
}  // namespace hop
