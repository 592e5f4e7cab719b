// Lookup from held copies across real hopd processes over mTLS (Tartu linn 0793 owns the
// case; Elva 0171 and Kambja 0283 pull). This suite proves that:
//  - a consented summary reaches only the named peer, and `hopctl lookup` there shows it to a
//    case manager with its origin, need areas, services, the responsible person's contact and
//    its freshness, and never a note or other free text; other roles are refused; a purpose
//    is required;
//  - under the child-protection basis only the fact of the case and the responsible
//    specialist's contact reach the related municipality, readable by its child-protection
//    specialists only, and nothing reaches an unrelated one;
//  - a copy whose consent has expired is hidden and purged by the receiver on its own, while
//    the owner is down;
//  - a peer that is down is retried by the scheduler with backoff until it is back;
//  - the directories of all eight Tartu County municipalities reach every node.
#include <stdlib.h>
#include <time.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "hop/v1/admin.pb.h"
#include "hop/v1/casework.pb.h"
#include "hop/v1/records.pb.h"
#include "tests/federation/federation_fixture.h"
#include "tests/support/harness.h"

namespace hop {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kPurpose[] = "new pupil: earlier support?";
constexpr char kTiinaPhone[] = "+37251234567";
constexpr char kTiinaEmail[] = "tiina.tamm@tartu.ee";
constexpr char kKaiePhone[] = "+37255667788";
constexpr char kKaieEmail[] = "kaie.kuusk@tartu.ee";
// Free text of the owner's case that must never cross the wire.
constexpr char kNote[] = "mother called about the divorce";
constexpr char kTransportNote[] = "taxi paid by Tartu linn";
constexpr char kReason[] = "reading difficulties noticed";

// The scheduler's retry backoff for 0171 (AFailedPeerIsRetriedWithBackoffUntilItIsBack).
constexpr char kFastRetry[] = "sync { retry_initial_seconds: 1 retry_max_seconds: 2 }\n";

// Tartu linn 0793 owns a case of kChild; Elva 0171 and Kambja 0283 pull.
// Cast: 0793 case manager tiina (with phone and e-mail); 0171 case manager elle,
// child-protection specialist kadri, network leader juht; 0283 case manager kalle and
// child-protection specialist kristi.
class FederationLookupTest : public Federation {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StartNodes({"0793", "0171", "0283"}, {{"0171", kFastRetry}}));
    Ok("0793", "admin",
       {"user", "add", "tiina", "--role", "case-manager", "--name", "Tiina Tamm", "--phone",
        kTiinaPhone, "--email", kTiinaEmail});
    Ok("0171", "admin", {"user", "add", "elle", "--role", "case-manager", "--name", "Elle Ees"});
    Ok("0171", "admin",
       {"user", "add", "kadri", "--role", "child-protection", "--name", "Kadri Kask"});
    Ok("0171", "admin", {"user", "add", "juht", "--role", "network-leader", "--name", "Juta"});
    Ok("0283", "admin", {"user", "add", "kalle", "--role", "case-manager", "--name", "Kalle"});
    Ok("0283", "admin",
       {"user", "add", "kristi", "--role", "child-protection", "--name", "Kristi"});
    school_ = Json<hop::v1::Institution>(
                  "0793", "tiina",
                  {"directory", "institution", "add", "--name", "Tartu Kesklinna Kool", "--kind",
                   "school", "--ownership", "municipal", "--municipality", "0793"})
                  .id();
    ASSERT_FALSE(school_.empty());
  }

  // tiina opens a case of kChild at the school (stage I); its id.
  std::string OpenCase() {
    const std::string id =
        Json<hop::v1::Case>("0793", "tiina",
                            {"case", "open", "--child", kChild, "--name", "Mari Maasikas",
                             "--level", "school", "--institution", school_, "--reason", kReason})
            .id();
    EXPECT_FALSE(id.empty());
    return id;
  }
  // A guardian's consent naming 0171 for summary, contact and services; the consent's id.
  std::string GrantConsentTo0171(const std::string& until) {
    return Json<hop::v1::Consent>("0793", "tiina",
                                  {"consent", "grant", "--child", kChild, "--guardian", kGuardian,
                                   "--to", "0171", "--scope", "summary,contact,services",
                                   "--purpose", "support in Elva", "--until", until})
        .id();
  }
  std::vector<std::string> LookupArgs() const {
    return {"lookup", "--child", kChild, "--purpose", kPurpose};
  }
  hop::v1::LookupResponse Lookup(const std::string& node, const std::string& user) {
    return Json<hop::v1::LookupResponse>(node, user, LookupArgs());
  }
  // `hopctl --json lookup` as printed.
  std::string LookupJsonText(const std::string& node, const std::string& user) {
    std::vector<std::string> args = LookupArgs();
    args.insert(args.begin(), "--json");
    return Ok(node, user, args);
  }

  std::string school_;
};

TEST_F(FederationLookupTest, LookupShowsTheConsentedSummaryWithOriginContactAndFreshness) {
  const std::string case_id = OpenCase();
  Ok("0793", "tiina", {"case", "escalate", case_id, "--to", "II", "--reason", kReason});
  Ok("0793", "tiina", {"case", "escalate", case_id, "--to", "III", "--reason", kReason});
  Ok("0793", "tiina", {"case", "need", case_id, "speech"});
  Ok("0793", "tiina",
     {"case", "service", case_id, "--type", "speech-therapy", "--provider", school_,
      "--municipality", "0793", "--start", "2025-09-01", "--transport-payment", kTransportNote});
  Ok("0793", "tiina", {"case", "note", case_id, kNote});
  const std::string consent_id = GrantConsentTo0171(LocalDate(365));

  EXPECT_EQ(Sync("0171")["0793"].records_held(), 2u) << "the school and the case summary";
  EXPECT_EQ(Sync("0283")["0793"].records_held(), 1u) << "the school only: no consent names 0283";

  const std::string json = LookupJsonText("0171", "elle");
  hop::v1::LookupResponse elle;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &elle).ok()) << json;
  EXPECT_EQ(elle.local_cases_size(), 0);
  ASSERT_EQ(elle.held_size(), 1) << json;
  const hop::v1::HeldSummary& held = elle.held(0);
  const hop::v1::CaseSummary& s = held.summary();
  EXPECT_EQ(s.case_id(), case_id);
  EXPECT_EQ(s.origin(), "0793");
  EXPECT_EQ(s.child_isikukood(), kChild);
  EXPECT_EQ(s.basis(), hop::v1::SHARE_BASIS_CONSENT);
  EXPECT_EQ(s.consent_id(), consent_id);
  EXPECT_GT(s.expires_at(), time(nullptr));
  EXPECT_EQ(s.level(), hop::v1::LEVEL_SCHOOL);
  EXPECT_EQ(s.stage(), hop::v1::STAGE_III);
  EXPECT_FALSE(s.child_protection());
  ASSERT_EQ(s.need_areas_size(), 1) << json;
  EXPECT_EQ(s.need_areas(0), "speech");
  ASSERT_EQ(s.services_size(), 1) << json;
  EXPECT_EQ(s.services(0).type(), "speech-therapy");
  EXPECT_EQ(s.services(0).provider(), school_);
  EXPECT_EQ(s.services(0).municipality(), "0793");
  EXPECT_EQ(s.services(0).start_date(), "2025-09-01");
  EXPECT_EQ(s.responsible().name(), "Tiina Tamm");
  EXPECT_EQ(s.responsible().role(), "case-manager");
  EXPECT_EQ(s.responsible().municipality(), "0793");
  EXPECT_EQ(s.responsible().phone(), kTiinaPhone);
  EXPECT_EQ(s.responsible().email(), kTiinaEmail);
  EXPECT_GT(held.received_at(), 0);
  EXPECT_GT(held.origin_synced_at(), 0);
  EXPECT_GE(held.origin_synced_at(), held.received_at()) << "synced after receiving it";
  // Free text of the case stays at the owner.
  EXPECT_THAT(json, Not(HasSubstr(kNote)));
  EXPECT_THAT(json, Not(HasSubstr(kTransportNote)));
  EXPECT_THAT(json, Not(HasSubstr(kReason)));
  EXPECT_THAT(json, Not(HasSubstr("Mari Maasikas"))) << "the child's name stays at the owner";

  // The owner answers from its own case, and holds nothing of its own.
  const hop::v1::LookupResponse tiina = Lookup("0793", "tiina");
  EXPECT_EQ(tiina.local_cases_size(), 1);
  EXPECT_EQ(tiina.held_size(), 0);

  EXPECT_EQ(Lookup("0283", "kalle").held_size(), 0) << "no consent names 0283";

  const std::string denied = Refused("0171", "juht", LookupArgs());
  EXPECT_THAT(denied, HasSubstr("PERMISSION_DENIED"));
  EXPECT_THAT(denied, HasSubstr("network-leader"));

  const std::string no_purpose =
      Refused("0171", "elle", {"lookup", "--child", kChild, "--purpose", ""});
  EXPECT_THAT(no_purpose, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(no_purpose, HasSubstr("purpose"));

  const std::string human = Ok("0171", "elle", LookupArgs());
  EXPECT_THAT(human, HasSubstr("0793 Tartu linn"));
  EXPECT_THAT(human, HasSubstr(kTiinaPhone));
  EXPECT_THAT(human, HasSubstr("Tiina Tamm"));
  EXPECT_THAT(human, Not(HasSubstr(kNote)));
}

TEST_F(FederationLookupTest, ChildProtectionBasisIsReadableByChildProtectionOnly) {
  Ok("0793", "admin",
     {"user", "add", "kaie", "--role", "child-protection", "--name", "Kaie Kuusk", "--phone",
      kKaiePhone, "--email", kKaieEmail});
  const std::string case_id = OpenCase();
  Ok("0793", "tiina", {"case", "need", case_id, "speech"});
  Ok("0793", "tiina", {"case", "relate", case_id, "--registered", "0171"});
  Ok("0793", "kaie", {"case", "protect", case_id, "--reason", "child in danger"});

  EXPECT_EQ(Sync("0171")["0793"].records_held(), 2u) << "the school and the fact of the case";
  EXPECT_EQ(Sync("0283")["0793"].records_held(), 1u) << "the school only: 0283 is not related";

  const hop::v1::LookupResponse kadri = Lookup("0171", "kadri");
  ASSERT_EQ(kadri.held_size(), 1);
  const hop::v1::CaseSummary& s = kadri.held(0).summary();
  EXPECT_EQ(s.case_id(), case_id);
  EXPECT_EQ(s.origin(), "0793");
  EXPECT_EQ(s.basis(), hop::v1::SHARE_BASIS_CHILD_PROTECTION);
  EXPECT_TRUE(s.child_protection());
  EXPECT_EQ(s.responsible().name(), "Kaie Kuusk");
  EXPECT_EQ(s.responsible().role(), "child-protection");
  EXPECT_EQ(s.responsible().municipality(), "0793");
  EXPECT_EQ(s.responsible().phone(), kKaiePhone);
  EXPECT_EQ(s.responsible().email(), kKaieEmail);
  // Only the fact: no content of the case.
  EXPECT_EQ(s.need_areas_size(), 0);
  EXPECT_EQ(s.services_size(), 0);
  EXPECT_EQ(s.level(), hop::v1::LEVEL_UNSPECIFIED);
  EXPECT_EQ(s.stage(), hop::v1::STAGE_UNSPECIFIED);
  EXPECT_EQ(s.consent_id(), "");
  EXPECT_GT(kadri.held(0).origin_synced_at(), 0);

  EXPECT_EQ(Lookup("0171", "elle").held_size(), 0) << "case managers do not read the CP basis";
  EXPECT_EQ(Lookup("0283", "kristi").held_size(), 0) << "0283 is not related to the case";
}

TEST_F(FederationLookupTest, AnExpiredCopyIsHiddenAndPurgedWhileTheOwnerIsDown) {
  OpenCase();
  // Tomorrow's local midnight (the day after, if tomorrow begins within 10 minutes).
  GrantConsentTo0171(LocalDate(1, 600));
  EXPECT_EQ(Sync("0171")["0793"].records_held(), 2u);
  ASSERT_EQ(Lookup("0171", "elle").held_size(), 1);

  nodes_["0793"]->Stop();
  {
    ScopedClockOffset three_days_later(259200);
    ASSERT_TRUE(nodes_["0171"]->Restart().ok());
  }
  EXPECT_EQ(Lookup("0171", "elle").held_size(), 0) << "an expired copy is not shown";
  uint64_t held = 0;
  auto purged = [&] {
    held = Peers("0171")["0793"].records_held();
    return held == 1;
  };
  EXPECT_TRUE(Eventually(std::chrono::seconds(20), purged))
      << "the start-up housekeeping purges the expired copy; copies held from 0793: " << held
      << " (expected 1, the school)";

  // Purged, not only hidden: with the right time again the copy does not come back.
  ASSERT_TRUE(nodes_["0171"]->Restart().ok());
  EXPECT_EQ(Lookup("0171", "elle").held_size(), 0);
  EXPECT_EQ(Peers("0171")["0793"].records_held(), 1u);
}

TEST_F(FederationLookupTest, AFailedPeerIsRetriedWithBackoffUntilItIsBack) {
  // Something new at 0283 that 0171 can only get by pulling after 0283 is back.
  Ok("0283", "admin", {"user", "add", "kjuht", "--role", "network-leader", "--name", "Kaja"});
  Ok("0283", "kjuht",
     {"directory", "institution", "add", "--name", "Kambja Lasteaed", "--kind", "kindergarten",
      "--ownership", "municipal", "--municipality", "0283"});
  nodes_["0283"]->Stop();

  PeerStates states = Sync("0171");
  const hop::v1::SyncCheckpoint& failed = states["0283"].checkpoint();
  EXPECT_FALSE(failed.last_error().empty());
  EXPECT_GE(failed.failures_in_row(), 1u);
  EXPECT_GT(failed.next_retry(), 0);
  EXPECT_EQ(failed.last_success(), 0);
  EXPECT_TRUE(states["0793"].checkpoint().last_error().empty()) << "the others go on";

  ASSERT_TRUE(nodes_["0283"]->Restart().ok());
  hop::v1::PeerSyncState kambja;
  auto caught_up = [&] {
    kambja = Peers("0171")["0283"];
    const hop::v1::SyncCheckpoint& cp = kambja.checkpoint();
    return cp.last_success() > 0 && cp.last_error().empty() && cp.failures_in_row() == 0;
  };
  EXPECT_TRUE(Eventually(std::chrono::seconds(30), caught_up))
      << "no automatic retry succeeded: " << kambja.DebugString() << "0171's log ends with:\n"
      << testing::FileTail(nodes_["0171"]->log_path(), 1500);
  EXPECT_EQ(kambja.checkpoint().next_retry(), 0);
  EXPECT_EQ(kambja.records_held(), 1u) << "the retry pulled 0283's kindergarten";
}

// All eight Tartu County municipalities, each listing the seven others as peers.
class AllEightDirectoriesTest : public Federation {};

TEST_F(AllEightDirectoriesTest, DirectoriesOfAllEightReachEveryNode) {
  const std::vector<std::string> codes = {"0793", "0171", "0283", "0291",
                                          "0432", "0528", "0586", "0796"};
  ASSERT_NO_FATAL_FAILURE(StartNodes(codes));
  const int n = static_cast<int>(codes.size());
  // Each node's network leader adds an institution of its own and a contact person there.
  Parallel(n, [&](int i) {
    const std::string& code = codes[i];
    Ok(code, "admin", {"user", "add", "juht", "--role", "network-leader", "--name", "Juht"});
    const std::string institution =
        Json<hop::v1::Institution>(
            code, "juht",
            {"directory", "institution", "add", "--name", "Kool " + code, "--kind", "school",
             "--ownership", "municipal", "--municipality", code})
            .id();
    Ok(code, "juht",
       {"directory", "contact", "add", "--institution", institution, "--name", "Kontakt " + code,
        "--role", "HEVKO", "--phone", "+372555" + code, "--email", "hevko" + code + "@example.ee"});
  });
  Parallel(n, [&](int i) {
    for (const auto& [peer, state] : Sync(codes[i])) {
      EXPECT_TRUE(state.checkpoint().last_error().empty()) << codes[i] << " <- " << peer;
    }
  });
  const std::set<std::string> all(codes.begin(), codes.end());
  for (const std::string& code : codes) {
    SCOPED_TRACE("at " + code);
    const auto found =
        Json<hop::v1::SearchDirectoryResponse>(code, "juht", {"directory", "search"});
    std::set<std::string> institutions, contacts;
    for (const hop::v1::Institution& i : found.institutions()) {
      institutions.insert(i.municipality());
    }
    for (const hop::v1::Contact& c : found.contacts()) {
      contacts.insert(c.municipality());
      EXPECT_EQ(c.phone(), "+372555" + c.municipality());
      EXPECT_EQ(c.email(), "hevko" + c.municipality() + "@example.ee");
    }
    EXPECT_EQ(found.institutions_size(), 8);
    EXPECT_EQ(found.contacts_size(), 8);
    EXPECT_EQ(institutions, all);
    EXPECT_EQ(contacts, all);
  }
}

}  // namespace
}  // namespace hop
