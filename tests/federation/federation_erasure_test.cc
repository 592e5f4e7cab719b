// Erasure you can grep (issue 11), with real hopd processes over mTLS: an owner (Tartu linn)
// shares a child's summary with a receiver (Elva) that backs up, looks the child up and asks
// about it; the owner withdraws the consent and the receiver purges its copy at the next sync.
// Within retention.erase_within_seconds (2 s here) every file of the receiver's data directory
// and backup directory, read raw and (SST files) decompressed by sst_dump, holds neither the
// child's isikukood nor the summary's need-area text. Also: a receiver restored from a backup
// that held a copy shows none until it has pulled the origin again; a question about a child
// a node has no case of leaves neither the isikukood nor the purpose there.
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "daemon/store/store.h"
#include "gmock/gmock.h"
#include "hop/v1/audit.pb.h"
#include "hop/v1/casework.pb.h"
#include "tests/federation/federation_fixture.h"

namespace hop {
namespace {

using ::testing::HasSubstr;

constexpr char kOwner[] = "0793";     // Tartu linn
constexpr char kReceiver[] = "0171";  // Elva
// A need area code that appears in the shared summary and nowhere else in the receiver.
constexpr char kNeedArea[] = "substance-use";
constexpr char kPurpose[] = "Xv9 support planning in Elva";
constexpr char kSstDump[] = "/usr/bin/sst_dump";

// Where `needle` occurs under `dir`: each file read raw, and each SST file also as sst_dump
// prints its decompressed keys and values. "path (raw)" / "path (sst_dump)" per finding.
std::vector<std::string> Occurrences(const std::string& dir, const std::string& needle) {
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (!entry.is_regular_file()) continue;
    const std::string path = entry.path().string();
    // The node is live: a compaction may delete a file between the listing and the read. A
    // file that is gone holds nothing; any other failure to read it is one.
    auto gone = [&path] { return !std::filesystem::exists(path); };
    absl::StatusOr<std::string> bytes = testing::ReadFile(path);
    if (!bytes.ok() && gone()) continue;
    EXPECT_TRUE(bytes.ok()) << bytes.status();
    if (bytes.ok() && absl::StrContains(*bytes, needle)) found.push_back(path + " (raw)");
    if (!absl::EndsWith(path, ".sst")) continue;
    const testing::CommandResult dump =
        testing::RunCommand({kSstDump, "--file=" + path, "--command=scan"});
    if (dump.exit_code != 0 && gone()) continue;
    EXPECT_EQ(dump.exit_code, 0) << path << ": " << dump.err;
    if (absl::StrContains(dump.out, needle)) found.push_back(path + " (sst_dump)");
  }
  EXPECT_FALSE(ec) << dir << ": " << ec.message();
  return found;
}

class FederationErasureTest : public Federation {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(kSstDump))
        << kSstDump << " is missing: install Debian's rocksdb-tools (deploy/install-deps.sh "
        << "does) to read the SST files decompressed";
    ASSERT_NO_FATAL_FAILURE(
        StartNodes({kOwner, kReceiver},
                   {{kReceiver, absl::StrCat("backup_dir: \"", backups_.Path("0171"),
                                             "\"\nretention { erase_within_seconds: 2 }\n")}}));
    Ok(kOwner, "admin", {"user", "add", "tiina", "--role", "case-manager", "--name", "Tiina"});
    Ok(kReceiver, "admin", {"user", "add", "mari", "--role", "case-manager", "--name", "Mari"});
    const std::string institution =
        Json<hop::v1::Institution>(kOwner, "tiina",
                                   {"directory", "institution", "add", "--name", "Kool", "--kind",
                                    "school", "--ownership", "municipal", "--municipality", kOwner})
            .id();
    Ok(kOwner, "tiina",
       {"case", "open", "--child", kChild, "--name", "Laps", "--level", "school", "--institution",
        institution, "--need", kNeedArea});
  }
  void Grant() {
    Ok(kOwner, "tiina",
       {"consent", "grant", "--child", kChild, "--guardian", kGuardian, "--to", kReceiver,
        "--scope", "summary,contact,services", "--purpose", "support", "--until",
        testing::DateFromToday(365)});
  }
  int Held() {
    return Json<hop::v1::LookupResponse>(kReceiver, "mari",
                                         {"lookup", "--child", kChild, "--purpose", kPurpose})
        .held_size();
  }
  std::string ReceiverData() { return nodes_.at(kReceiver)->dir() + "/data"; }

  testing::TempDir backups_{"hop-erasure-backups"};
};

TEST_F(FederationErasureTest, AWithdrawnCopyLeavesNoByteInTheReceiversDataAndBackups) {
  Grant();
  ASSERT_EQ(Sync(kReceiver)[kOwner].records_held(), 2u) << "institution + summary";
  Ok(kReceiver, "admin", {"admin", "backup"});
  ASSERT_EQ(Held(), 1) << "the lookup shows the copy (and is audited)";
  Ok(kReceiver, "mari",
     {"--timeout", "20", "query", "--child", kChild, "--purpose", kPurpose, "--peers", kOwner});
  // Control: while the copy is held, the scan finds it.
  EXPECT_FALSE(Occurrences(ReceiverData(), kChild).empty());
  EXPECT_FALSE(Occurrences(ReceiverData(), kNeedArea).empty());
  EXPECT_TRUE(Occurrences(backups_.Path("0171"), kChild).empty())
      << "a backup holds no copy from another municipality";

  Ok(kOwner, "tiina",
     {"consent", "withdraw", "--child", kChild, "--guardian", kGuardian, "--evidence", "F-1"});
  ASSERT_EQ(Sync(kReceiver)[kOwner].records_held(), 1u) << "the tombstone purged the summary";
  ASSERT_EQ(Held(), 0);
  Ok(kReceiver, "admin", {"admin", "backup"});

  // The erasure runs within 2 s of the purge; poll its mark (no timed assertion).
  hop::v1::NodeStatus status;
  ASSERT_TRUE(Eventually(std::chrono::seconds(30), [&] {
    status = Json<hop::v1::NodeStatus>(kReceiver, "admin", {"status"});
    return status.erasure_pending_since() == 0 && status.last_erasure_at() != 0;
  })) << status.DebugString();
  EXPECT_THAT(Ok(kReceiver, "admin", {"status"}), HasSubstr("nothing pending"));
  for (const std::string& dir : {ReceiverData(), backups_.Path("0171")}) {
    EXPECT_THAT(Occurrences(dir, kChild), ::testing::IsEmpty()) << "the isikukood in " << dir;
    EXPECT_THAT(Occurrences(dir, kNeedArea), ::testing::IsEmpty()) << "the summary in " << dir;
  }
  // The family's access report still finds every entry by the isikukood.
  const auto report = Json<hop::v1::SubjectReportResponse>(kReceiver, "mari",
                                                           {"audit", "subject", "--child", kChild});
  std::vector<std::string> actions;
  for (const hop::v1::AuditEntry& e : report.entries()) actions.push_back(e.action());
  EXPECT_THAT(actions, ::testing::IsSupersetOf({"Federation.Pull: copies received",
                                                "CaseWork.Lookup", "CaseWork.QueryPeers"}));
  EXPECT_THAT(Ok(kReceiver, "admin", {"audit", "verify"}), HasSubstr("audit trail intact"));

  // A clean stop and start brings nothing back.
  ASSERT_TRUE(nodes_.at(kReceiver)->Restart().ok()) << nodes_.at(kReceiver)->log();
  EXPECT_THAT(Occurrences(ReceiverData(), kChild), ::testing::IsEmpty());
  EXPECT_THAT(Occurrences(ReceiverData(), kNeedArea), ::testing::IsEmpty());
}

TEST_F(FederationErasureTest, ARestoredReceiverShowsNoCopyUntilItHasPulledAgain) {
  Grant();
  ASSERT_EQ(Sync(kReceiver)[kOwner].records_held(), 2u);
  // A backup that holds the copy and the pull position (as one taken before issue 11 did).
  NodeFixture& receiver = *nodes_.at(kReceiver);
  ASSERT_EQ(receiver.Stop(), 0);
  {
    absl::StatusOr<std::unique_ptr<store::Store>> store = store::Store::Open({ReceiverData()});
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)->Backup(backups_.Path("0171"), 7).ok());
  }
  std::filesystem::rename(ReceiverData(), ReceiverData() + ".lost");
  const testing::CommandResult restored = testing::RunCommand(
      {testing::BinaryDir() + "/daemon/hopd", "--config", receiver.config_path(), "--restore"});
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  ASSERT_TRUE(receiver.Restart().ok()) << receiver.log();

  EXPECT_EQ(Held(), 0) << "a copy the restored node cannot vouch for is not shown";
  EXPECT_EQ(Peers(kReceiver)[kOwner].checkpoint().seq(), 0u) << "the pull position is gone";
  EXPECT_EQ(Peers(kReceiver)[kOwner].records_held(), 0u);
  const auto report = Json<hop::v1::SubjectReportResponse>(kReceiver, "mari",
                                                           {"audit", "subject", "--child", kChild});
  EXPECT_GE(report.entries_size(), 1) << "the copy's audit entries stay";
  EXPECT_THAT(Ok(kReceiver, "admin", {"audit", "verify"}), HasSubstr("audit trail intact"));

  const PeerStates pulled = Sync(kReceiver);
  EXPECT_EQ(pulled.at(kOwner).records_held(), 2u) << "pulled again from zero";
  EXPECT_EQ(Held(), 1);
}

TEST_F(FederationErasureTest, AQuestionWhereThereIsNothingLeavesNoIsikukoodOrPurpose) {
  // The receiver has no case of the child; the owner's case manager asks it.
  Ok(kOwner, "tiina",
     {"--timeout", "20", "query", "--child", kChild, "--purpose", kPurpose, "--peers", kReceiver});
  const auto report = Json<hop::v1::SubjectReportResponse>(kReceiver, "mari",
                                                           {"audit", "subject", "--child", kChild});
  ASSERT_EQ(report.entries_size(), 1) << "the question is recorded under the pseudonym";
  const hop::v1::AuditEntry& asked = report.entries(0);
  EXPECT_EQ(asked.action(), "Federation.Query: answered");
  EXPECT_THAT(asked.actor(), HasSubstr("/municipality/0793/staff/tiina"));
  EXPECT_EQ(asked.actor_municipality(), kOwner);
  EXPECT_GT(asked.time(), 0);
  EXPECT_EQ(asked.purpose(), "") << "the purpose is not kept where there is nothing";
  EXPECT_THAT(Occurrences(ReceiverData(), kChild), ::testing::IsEmpty());
  EXPECT_THAT(Occurrences(ReceiverData(), kPurpose), ::testing::IsEmpty());

  // Where there is a case, the full question is kept (and the case manager's inbox has it).
  Ok(kReceiver, "mari",
     {"--timeout", "20", "query", "--child", kChild, "--purpose", kPurpose, "--peers", kOwner});
  const auto owner_report = Json<hop::v1::SubjectReportResponse>(
      kOwner, "tiina", {"audit", "subject", "--child", kChild});
  bool with_purpose = false;
  for (const hop::v1::AuditEntry& e : owner_report.entries()) {
    with_purpose |= e.action() == "Federation.Query: answered" && e.purpose() == kPurpose;
  }
  EXPECT_TRUE(with_purpose);
}

}  // namespace
}  // namespace hop
