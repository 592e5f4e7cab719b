// Live federated queries, the audit trail, owner notification and the family's access report
// across real hopd processes over mTLS (issue 4). Elva 0171 asks; Tartu linn 0793, Kambja
// 0283 and Luunja 0432 answer; Nõo 0528 is stopped or frozen. This suite proves that:
//  - `hopctl query` asks every peer in parallel: the consented summary comes back from its
//    owner, a peer whose consent names someone else answers exactly as a peer with no case,
//    a stopped peer is reported unreachable and a frozen one timed out, within the deadline;
//  - the child-protection basis is answered to child-protection specialists only;
//  - a query leaves an audit entry at both ends and an inbox entry for the owner's case
//    manager, which `hopctl inbox` lists and acknowledges;
//  - `hopctl audit subject` lists, for the child, a sync, a query and a refused query;
//  - `hopctl audit verify` passes, then names the entry altered directly in RocksDB;
//  - per-user and per-peer query limits refuse the excess with a clear message;
//  - a chain rewritten consistently on disk (an entry altered, every later hash recomputed)
//    still checks out alone, but `hopctl audit verify` catches it against the audit head a
//    peer witnessed on its last pull.
#include <signal.h>

#include <string>
#include <vector>

#include "daemon/audit/audit_log.h"
#include "daemon/base/clock.h"
#include "daemon/store/store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hop/v1/audit.pb.h"
#include "hop/v1/casework.pb.h"
#include "tests/federation/federation_fixture.h"

namespace hop {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kPurpose[] = "moved to Elva: earlier support?";
constexpr char kTiinaPhone[] = "+37251234567";

class FederationQueryTest : public Federation {
 protected:
  // Starts the five nodes (`extra` adds config per code) and the cast: case managers tiina
  // (0793), elle (0171), kalle (0283), lauri (0432); child-protection specialists kaie (0793)
  // and kadri (0171); network leader juht (0171).
  void Start(const std::map<std::string, std::string>& extra = {}) {
    ASSERT_NO_FATAL_FAILURE(StartNodes({"0793", "0171", "0283", "0432", "0528"}, extra));
    Ok("0793", "admin",
       {"user", "add", "tiina", "--role", "case-manager", "--name", "Tiina Tamm", "--phone",
        kTiinaPhone});
    Ok("0793", "admin", {"user", "add", "kaie", "--role", "child-protection", "--name", "Kaie"});
    Ok("0171", "admin", {"user", "add", "elle", "--role", "case-manager", "--name", "Elle Ees"});
    Ok("0171", "admin", {"user", "add", "kadri", "--role", "child-protection", "--name", "Kadri"});
    Ok("0171", "admin", {"user", "add", "juht", "--role", "network-leader", "--name", "Juta"});
    Ok("0283", "admin", {"user", "add", "kalle", "--role", "case-manager", "--name", "Kalle"});
    Ok("0432", "admin", {"user", "add", "lauri", "--role", "case-manager", "--name", "Lauri"});
  }

  // `user` of `node` opens a case of kChild at a new school of that municipality; its id.
  std::string OpenCase(const std::string& node, const std::string& user) {
    const std::string school =
        Json<hop::v1::Institution>(
            node, user,
            {"directory", "institution", "add", "--name", "Kool " + node, "--kind", "school",
             "--ownership", "municipal", "--municipality", node})
            .id();
    const std::string id = OpenSchoolCase(node, user, school);
    Ok(node, user, {"case", "assign", id, "--responsible", user, "--case-manager", user});
    return id;
  }
  void Consent(const std::string& node, const std::string& user, const std::string& to) {
    Ok(node, user,
       {"consent", "grant", "--child", kChild, "--guardian", kGuardian, "--to", to, "--scope",
        "summary,contact", "--purpose", "support across municipalities", "--until",
        LocalDate(365)});
  }

  std::vector<std::string> QueryArgs(const std::string& deadline = "3") const {
    return {"--timeout", "20",     "query",      "--child", kChild,
            "--purpose", kPurpose, "--deadline", deadline};
  }
  std::map<std::string, hop::v1::PeerAnswer> Query(const std::string& node, const std::string& user,
                                                   std::vector<std::string> args) {
    std::map<std::string, hop::v1::PeerAnswer> by_peer;
    hop::v1::QueryPeersResponse response =
        Json<hop::v1::QueryPeersResponse>(node, user, std::move(args));
    for (hop::v1::PeerAnswer& a : *response.mutable_answers()) {
      by_peer[a.municipality()] = std::move(a);
    }
    return by_peer;
  }
  std::vector<hop::v1::AuditEntry> Report(const std::string& node, const std::string& user) {
    hop::v1::SubjectReportResponse r =
        Json<hop::v1::SubjectReportResponse>(node, user, {"audit", "subject", "--child", kChild});
    return {r.entries().begin(), r.entries().end()};
  }
  static const hop::v1::AuditEntry* Find(const std::vector<hop::v1::AuditEntry>& entries,
                                         const std::string& action,
                                         const std::string& outcome_prefix = "") {
    for (const hop::v1::AuditEntry& e : entries) {
      if (e.action() == action && e.outcome().rfind(outcome_prefix, 0) == 0) return &e;
    }
    return nullptr;
  }
};

// The answer as the asker sees it, without who answered and how fast.
std::string Anonymous(hop::v1::PeerAnswer a) {
  a.clear_municipality();
  a.clear_latency_ms();
  return a.SerializeAsString();
}

TEST_F(FederationQueryTest, AsksEveryPeerInParallelAndReportsEachOutcome) {
  ASSERT_NO_FATAL_FAILURE(Start());
  const std::string tartu_case = OpenCase("0793", "tiina");
  Consent("0793", "tiina", "0171");
  OpenCase("0283", "kalle");
  Consent("0283", "kalle", "0793");  // Kambja's consent names Tartu linn, not Elva
  nodes_.at("0528")->Stop();

  std::map<std::string, hop::v1::PeerAnswer> answers = Query("0171", "elle", QueryArgs());
  ASSERT_EQ(answers.size(), 4u);
  const hop::v1::PeerAnswer& tartu = answers["0793"];
  EXPECT_EQ(tartu.outcome(), hop::v1::PEER_OUTCOME_ANSWERED) << tartu.DebugString();
  ASSERT_EQ(tartu.summaries_size(), 1);
  EXPECT_EQ(tartu.summaries(0).case_id(), tartu_case);
  EXPECT_EQ(tartu.summaries(0).origin(), "0793");
  EXPECT_EQ(tartu.summaries(0).basis(), hop::v1::SHARE_BASIS_CONSENT);
  EXPECT_EQ(tartu.summaries(0).responsible().phone(), kTiinaPhone);
  EXPECT_EQ(answers["0283"].outcome(), hop::v1::PEER_OUTCOME_NO_VISIBLE_RECORDS);
  EXPECT_EQ(answers["0432"].outcome(), hop::v1::PEER_OUTCOME_NO_VISIBLE_RECORDS);
  EXPECT_EQ(Anonymous(answers["0283"]), Anonymous(answers["0432"]))
      << "a case without consent for the asker must look exactly like no case";
  EXPECT_EQ(answers["0528"].outcome(), hop::v1::PEER_OUTCOME_UNREACHABLE)
      << answers["0528"].DebugString();

  // Tartu linn's consent names Elva only: to Kambja it looks exactly like Luunja's no case.
  std::vector<std::string> tartu_and_luunja = QueryArgs();
  tartu_and_luunja.insert(tartu_and_luunja.end(), {"--peers", "0793,0432"});
  std::map<std::string, hop::v1::PeerAnswer> kambja = Query("0283", "kalle", tartu_and_luunja);
  EXPECT_EQ(kambja["0793"].outcome(), hop::v1::PEER_OUTCOME_NO_VISIBLE_RECORDS);
  EXPECT_EQ(Anonymous(kambja["0793"]), Anonymous(kambja["0432"]));

  // Only the peers asked for are asked; an unknown or unconfigured code is refused by name.
  answers = Query("0171", "elle", [&] {
    std::vector<std::string> args = QueryArgs();
    args.insert(args.end(), {"--peers", "0793"});
    return args;
  }());
  EXPECT_EQ(answers.size(), 1u);
  std::vector<std::string> bad = QueryArgs();
  bad.insert(bad.end(), {"--peers", "0793,0796"});
  EXPECT_THAT(Refused("0171", "elle", bad), HasSubstr("peers[1]: 0796 is not a peer of this node"));
  bad.back() = "0791";
  EXPECT_THAT(Refused("0171", "elle", bad), HasSubstr("peers[0]: unknown municipality code"));

  // A stopped peer is answered again once it is back.
  ASSERT_TRUE(nodes_.at("0528")->Restart().ok());
  std::vector<std::string> only_0528 = QueryArgs();
  only_0528.insert(only_0528.end(), {"--peers", "0528"});
  EXPECT_TRUE(Eventually(std::chrono::seconds(10), [&] {
    return Query("0171", "elle", only_0528)["0528"].outcome() ==
           hop::v1::PEER_OUTCOME_NO_VISIBLE_RECORDS;
  }));

  // A frozen peer (accepts connections, never answers) times out; the others still answer.
  const pid_t frozen = nodes_.at("0432")->process().pid();
  ASSERT_EQ(kill(frozen, SIGSTOP), 0);
  answers = Query("0171", "elle", QueryArgs("2"));
  kill(frozen, SIGCONT);
  EXPECT_EQ(answers["0432"].outcome(), hop::v1::PEER_OUTCOME_TIMED_OUT)
      << answers["0432"].DebugString();
  EXPECT_EQ(answers["0793"].outcome(), hop::v1::PEER_OUTCOME_ANSWERED);
  EXPECT_EQ(answers["0528"].outcome(), hop::v1::PEER_OUTCOME_NO_VISIBLE_RECORDS);

  const std::string human = Ok("0171", "elle", QueryArgs());
  EXPECT_THAT(human, HasSubstr("0793 Tartu linn: answered: 1 case"));
  EXPECT_THAT(human, HasSubstr("0283 Kambja vald: no visible records"));
  EXPECT_THAT(human, Not(HasSubstr("Mari Maasikas"))) << "the child's name stays at the owner";
}

TEST_F(FederationQueryTest, ChildProtectionBasisIsAnsweredToChildProtectionOnly) {
  ASSERT_NO_FATAL_FAILURE(Start());
  const std::string id = OpenCase("0793", "tiina");
  Ok("0793", "tiina", {"case", "relate", id, "--registered", "0171"});
  Ok("0793", "tiina", {"case", "protect", id, "--reason", "neglect reported"});

  std::vector<std::string> only_tartu = QueryArgs();
  only_tartu.insert(only_tartu.end(), {"--peers", "0793"});
  EXPECT_EQ(Query("0171", "elle", only_tartu)["0793"].outcome(),
            hop::v1::PEER_OUTCOME_NO_VISIBLE_RECORDS)
      << "a case manager may not read the child-protection basis";
  const hop::v1::PeerAnswer kadri = Query("0171", "kadri", only_tartu)["0793"];
  ASSERT_EQ(kadri.outcome(), hop::v1::PEER_OUTCOME_ANSWERED) << kadri.DebugString();
  ASSERT_EQ(kadri.summaries_size(), 1);
  EXPECT_EQ(kadri.summaries(0).basis(), hop::v1::SHARE_BASIS_CHILD_PROTECTION);
  EXPECT_TRUE(kadri.summaries(0).child_protection());
  EXPECT_TRUE(kadri.summaries(0).need_areas().empty()) << "the fact of the case only";
  // An unrelated municipality gets nothing, whatever the role.
  EXPECT_EQ(Query("0283", "kalle", only_tartu)["0793"].outcome(),
            hop::v1::PEER_OUTCOME_NO_VISIBLE_RECORDS);
}

TEST_F(FederationQueryTest, QueriesAreAuditedAtBothEndsNotifyTheOwnerAndAreReportedToTheFamily) {
  ASSERT_NO_FATAL_FAILURE(Start());
  const std::string case_id = OpenCase("0793", "tiina");
  Consent("0793", "tiina", "0171");
  Sync("0171");  // the summary reaches Elva by sync too
  std::vector<std::string> only_tartu = QueryArgs();
  only_tartu.insert(only_tartu.end(), {"--peers", "0793"});
  ASSERT_EQ(Query("0171", "elle", only_tartu)["0793"].outcome(), hop::v1::PEER_OUTCOME_ANSWERED);
  EXPECT_THAT(Refused("0171", "juht", only_tartu), HasSubstr("PERMISSION_DENIED"));

  // The owner's end: an audit entry naming the asker, and an inbox entry for the case manager.
  const std::vector<hop::v1::AuditEntry> owner = Report("0793", "tiina");
  const hop::v1::AuditEntry* answered = Find(owner, "Federation.Query: answered");
  ASSERT_NE(answered, nullptr);
  EXPECT_EQ(answered->actor_municipality(), "0171");
  EXPECT_EQ(answered->actor_role(), "case-manager");
  EXPECT_THAT(answered->actor(), HasSubstr("/municipality/0171/staff/elle"));
  EXPECT_EQ(answered->purpose(), kPurpose);
  EXPECT_THAT(answered->outcome(), HasSubstr("1 summaries shared"));
  EXPECT_NE(Find(owner, "Federation.Pull: feed served"), nullptr) << "the sync, at the owner";

  hop::v1::ListInboxResponse inbox = Json<hop::v1::ListInboxResponse>("0793", "tiina", {"inbox"});
  ASSERT_EQ(inbox.entries_size(), 1);
  EXPECT_EQ(inbox.entries(0).case_id(), case_id);
  EXPECT_EQ(inbox.entries(0).asker_municipality(), "0171");
  EXPECT_EQ(inbox.entries(0).purpose(), kPurpose);
  EXPECT_THAT(Ok("0793", "tiina", {"inbox"}),
              HasSubstr("case-manager elle of Elva vald (0171) asked about child"));
  EXPECT_EQ(Json<hop::v1::ListInboxResponse>("0793", "kaie", {"inbox"}).entries_size(), 0)
      << "only the case's responsible person and case manager are told";
  EXPECT_THAT(Ok("0793", "tiina", {"inbox", "--ack", inbox.entries(0).id()}),
              HasSubstr("1 entry acknowledged"));
  EXPECT_EQ(Json<hop::v1::ListInboxResponse>("0793", "tiina", {"inbox"}).entries_size(), 0);
  EXPECT_EQ(Json<hop::v1::ListInboxResponse>("0793", "tiina", {"inbox", "--all"}).entries_size(),
            1);
  EXPECT_THAT(Refused("0793", "tiina", {"inbox", "--ack", "00000000000000ff"}),
              HasSubstr("not in your inbox"));

  // The asker's end: the family's access report lists the sync, the query and the refusal.
  const std::vector<hop::v1::AuditEntry> asker = Report("0171", "elle");
  EXPECT_NE(Find(asker, "Federation.Pull: copies received"), nullptr) << "the sync";
  const hop::v1::AuditEntry* asked = Find(asker, "CaseWork.QueryPeers", "ok");
  ASSERT_NE(asked, nullptr);
  EXPECT_EQ(asked->purpose(), kPurpose);
  EXPECT_THAT(asked->outcome(), HasSubstr("0793 answered (1)"));
  const hop::v1::AuditEntry* refused = Find(asker, "CaseWork.QueryPeers", "refused");
  ASSERT_NE(refused, nullptr) << "the network leader's refused query";
  EXPECT_EQ(refused->actor_role(), "network-leader");
  const std::string text = Ok("0171", "elle", {"audit", "subject", "--child", kChild});
  EXPECT_THAT(text, HasSubstr("case summaries were received from another municipality's node"));
  EXPECT_THAT(text, HasSubstr("REFUSED"));
  EXPECT_THAT(text, HasSubstr(kPurpose));

  // The consent is withdrawn and Elva's copy purged: the audit entries about it stay.
  Ok("0793", "tiina",
     {"consent", "withdraw", "--child", kChild, "--guardian", kGuardian, "--evidence", "F-1"});
  Sync("0171");
  const std::vector<hop::v1::AuditEntry> after = Report("0171", "elle");
  EXPECT_NE(Find(after, "Federation.Pull: copies received", "ok; 1 case summary received"),
            nullptr);
  EXPECT_NE(Find(after, "Federation.Pull: copies received", "ok; 1 copy deleted"), nullptr);
  EXPECT_NE(Find(after, "CaseWork.QueryPeers", "ok"), nullptr);

  // Verify, then alter the query's entry in RocksDB with the node stopped: verify names it.
  EXPECT_THAT(Ok("0171", "admin", {"audit", "verify"}), HasSubstr("audit trail intact"));
  NodeFixture& elva = *nodes_.at("0171");
  elva.Stop();
  {
    absl::StatusOr<std::unique_ptr<store::Store>> db = store::Store::Open({elva.dir() + "/data"});
    ASSERT_TRUE(db.ok()) << db.status();
    std::string key;
    hop::v1::AuditEntry e;
    ASSERT_TRUE((*db)
                    ->Scan(store::Family::kAudit, "e/", "",
                           [&](absl::string_view k, absl::string_view v) {
                             e.ParseFromArray(v.data(), static_cast<int>(v.size()));
                             if (e.seq() != asked->seq()) return true;
                             key = std::string(k);
                             return false;
                           })
                    .ok());
    ASSERT_FALSE(key.empty());
    e.set_purpose("nothing to see here");
    store::WriteBatch batch = (*db)->NewBatch();
    batch.Put(store::Family::kAudit, key, e.SerializeAsString());
    ASSERT_TRUE((*db)->Write(batch).ok());
  }
  ASSERT_TRUE(elva.Restart().ok()) << elva.log();
  CommandResult broken = elva.Hopctl("admin", {"audit", "verify"});
  EXPECT_EQ(broken.exit_code, 1) << broken.out << broken.err;
  EXPECT_THAT(broken.out, HasSubstr("BROKEN at entry " + std::to_string(asked->seq())));
  EXPECT_THAT(broken.err, HasSubstr("entry " + std::to_string(asked->seq())));
}

TEST_F(FederationQueryTest, ARewrittenAuditChainIsCaughtByTheHeadAPeerWitnessed) {
  ASSERT_NO_FATAL_FAILURE(Start());
  OpenCase("0793", "tiina");
  Consent("0793", "tiina", "0171");
  Sync("0171");  // Elva witnesses Tartu linn's audit head
  const std::string before = Ok("0793", "admin", {"audit", "verify"});
  EXPECT_THAT(before, HasSubstr("audit trail intact"));
  EXPECT_THAT(before, HasSubstr("confirmed by the heads 1 peer witnessed"));
  EXPECT_THAT(before, HasSubstr("not checked against 0283: has not pulled from this node yet"));

  // With the node stopped, entry 2 is altered and every later hash recomputed.
  NodeFixture& tartu = *nodes_.at("0793");
  tartu.Stop();
  {
    absl::StatusOr<std::unique_ptr<store::Store>> db = store::Store::Open({tartu.dir() + "/data"});
    ASSERT_TRUE(db.ok()) << db.status();
    std::vector<std::pair<std::string, hop::v1::AuditEntry>> entries;
    ASSERT_TRUE((*db)
                    ->Scan(store::Family::kAudit, "e/", "",
                           [&](absl::string_view k, absl::string_view v) {
                             hop::v1::AuditEntry e;
                             e.ParseFromArray(v.data(), static_cast<int>(v.size()));
                             entries.emplace_back(std::string(k), std::move(e));
                             return true;
                           })
                    .ok());
    ASSERT_GT(entries.size(), 3u);
    store::WriteBatch batch = (*db)->NewBatch();
    std::string prev;
    for (size_t i = 0; i < entries.size(); ++i) {
      hop::v1::AuditEntry& e = entries[i].second;
      if (i == 1) e.set_purpose("nothing happened here");
      if (i >= 1) {
        e.set_prev_hash(prev);
        e.set_hash(audit::AuditLog::HashOf(e));
        batch.Put(store::Family::kAudit, entries[i].first, e.SerializeAsString());
      }
      prev = e.hash();
    }
    hop::v1::AuditHead head;
    head.set_seq(entries.back().second.seq());
    head.set_hash(prev);
    batch.Put(store::Family::kAudit, "head", head.SerializeAsString());
    ASSERT_TRUE((*db)->Write(batch).ok());
    // On its own, the rewritten chain checks out.
    FakeClock clock(0);
    const security::NodeSecret secret = *security::NodeSecret::FromBytes(std::string(32, 'q'));
    absl::StatusOr<std::unique_ptr<audit::AuditLog>> log =
        audit::AuditLog::Open(db->get(), &clock, &secret);
    ASSERT_TRUE(log.ok()) << log.status();
    absl::StatusOr<hop::v1::VerifyAuditResponse> alone = (*log)->Verify();
    ASSERT_TRUE(alone.ok());
    EXPECT_TRUE(alone->intact()) << alone->problem();
  }
  ASSERT_TRUE(tartu.Restart().ok()) << tartu.log();
  CommandResult caught = tartu.Hopctl("admin", {"audit", "verify"});
  EXPECT_EQ(caught.exit_code, 1) << caught.out << caught.err;
  EXPECT_THAT(caught.out, HasSubstr("audit trail BROKEN at entry"));
  EXPECT_THAT(caught.out, HasSubstr("differs from what 0171 witnessed"));
}

TEST_F(FederationQueryTest, LimitsRefuseTheExcessPerUserAndPerPeer) {
  ASSERT_NO_FATAL_FAILURE(Start({{"0171", "limits { queries_per_user_per_minute: 3 }\n"},
                                 {"0793", "limits { queries_per_peer_per_minute: 2 }\n"}}));
  std::vector<std::string> only_0432 = QueryArgs();
  only_0432.insert(only_0432.end(), {"--peers", "0432"});
  for (int i = 0; i < 3; ++i) Query("0171", "elle", only_0432);
  const std::string refused = Refused("0171", "elle", only_0432);
  EXPECT_THAT(refused, HasSubstr("RESOURCE_EXHAUSTED"));
  EXPECT_THAT(refused, HasSubstr("at most 3 per minute"));
  EXPECT_EQ(Query("0171", "kadri", only_0432)["0432"].outcome(),
            hop::v1::PEER_OUTCOME_NO_VISIBLE_RECORDS)
      << "another user of the same node is not limited by elle's queries";

  std::vector<std::string> only_tartu = QueryArgs();
  only_tartu.insert(only_tartu.end(), {"--peers", "0793"});
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(Query("0283", "kalle", only_tartu)["0793"].outcome(),
              hop::v1::PEER_OUTCOME_NO_VISIBLE_RECORDS);
  }
  const hop::v1::PeerAnswer limited = Query("0283", "kalle", only_tartu)["0793"];
  EXPECT_EQ(limited.outcome(), hop::v1::PEER_OUTCOME_REFUSED) << limited.DebugString();
  EXPECT_THAT(limited.detail(), HasSubstr("queries from 0283: at most 2 per minute"));
  EXPECT_EQ(Query("0432", "lauri", only_tartu)["0793"].outcome(),
            hop::v1::PEER_OUTCOME_NO_VISIBLE_RECORDS)
      << "the limit is per peer";
  // An oversized purpose is refused by name and asks no one.
  std::vector<std::string> long_purpose = only_tartu;
  long_purpose[6] = std::string(600, 'x');
  EXPECT_THAT(Refused("0432", "lauri", long_purpose), HasSubstr("purpose: is 600 bytes long"));
}

}  // namespace
}  // namespace hop
