// Case work, complete across the federation (issue 13), with real hopd processes over mTLS:
// Tartu linn (0793) owns the records; Elva (0171) and Kambja (0283) hold copies.
//  - a retired contact, then its retired institution, disappear from every peer's directory
//    (a tombstone in every feed), stay at the owner for --include-retired, and change no more;
//  - a user's new phone and e-mail (hopctl user update) reach the peer's copy of a consented
//    case summary as its responsible contact;
//  - leaving the child-protection track takes the child-protection fact away from the related
//    municipality; reopening a closed consented case brings its summary back.
// Peers pull with `hopctl sync` (SyncNow): nothing waits on time.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hop/v1/casework.pb.h"
#include "hop/v1/records.pb.h"
#include "tests/federation/federation_fixture.h"

namespace hop {
namespace {

using ::testing::HasSubstr;

constexpr char kPurpose[] = "new pupil: earlier support?";

class FederationRetireTest : public Federation {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StartNodes({"0793", "0171", "0283"}));
    Ok("0793", "admin",
       {"user", "add", "tiina", "--role", "case-manager", "--name", "Tiina Tamm", "--phone",
        "+372 5550 0001", "--email", "tiina@tartu.ee"});
    Ok("0793", "admin", {"user", "add", "kaie", "--role", "child-protection", "--name", "Kaie"});
    Ok("0171", "admin", {"user", "add", "elle", "--role", "case-manager", "--name", "Elle"});
    Ok("0283", "admin",
       {"user", "add", "kristi", "--role", "child-protection", "--name", "Kristi"});
    school_ = AddSchool("0793", "tiina");
  }

  // `node`'s directory entries of Tartu linn, as `user` searches them.
  hop::v1::SearchDirectoryResponse Directory(const std::string& node, const std::string& user,
                                             bool include_retired = false) {
    std::vector<std::string> args = {"directory", "search", "--municipality", "0793"};
    if (include_retired) args.push_back("--include-retired");
    return Json<hop::v1::SearchDirectoryResponse>(node, user, args);
  }
  static bool HasContact(const hop::v1::SearchDirectoryResponse& r, const std::string& id) {
    for (const auto& c : r.contacts()) {
      if (c.id() == id) return true;
    }
    return false;
  }
  static bool HasInstitution(const hop::v1::SearchDirectoryResponse& r, const std::string& id) {
    for (const auto& i : r.institutions()) {
      if (i.id() == id) return true;
    }
    return false;
  }
  std::string OpenCase() { return OpenSchoolCase("0793", "tiina", school_); }
  hop::v1::LookupResponse Lookup(const std::string& node, const std::string& user) {
    return Json<hop::v1::LookupResponse>(node, user,
                                         {"lookup", "--child", kChild, "--purpose", kPurpose});
  }

  std::string school_;
};

TEST_F(FederationRetireTest, TheRetiredContactDisappearsAtEveryPeer) {
  const std::string contact =
      Json<hop::v1::Contact>("0793", "tiina",
                             {"directory", "contact", "add", "--institution", school_, "--name",
                              "Kati Kask", "--role", "HEVKO", "--phone", "+3725550000"})
          .id();
  ASSERT_FALSE(contact.empty());
  for (const char* peer : {"0171", "0283"}) {
    Sync(peer);
    const auto held = Directory(peer, peer == std::string("0171") ? "elle" : "kristi");
    ASSERT_TRUE(HasContact(held, contact)) << peer;
    ASSERT_TRUE(HasInstitution(held, school_)) << peer;
  }

  // The institution cannot go while a contact is active; the refusal says what to do.
  std::string refused =
      Refused("0793", "tiina", {"directory", "retire-institution", school_, "--reason", "merged"});
  EXPECT_THAT(refused, HasSubstr("1 active contact(s)"));
  EXPECT_THAT(refused, HasSubstr("retire-contact"));

  const auto retired = Json<hop::v1::Contact>(
      "0793", "tiina", {"directory", "retire-contact", contact, "--reason", "left in June"});
  EXPECT_NE(retired.retired_at(), 0);
  EXPECT_EQ(retired.retired_by(), "tiina");
  for (const auto& [peer, user] : {std::pair{"0171", "elle"}, std::pair{"0283", "kristi"}}) {
    Sync(peer);
    EXPECT_FALSE(HasContact(Directory(peer, user), contact)) << "still at " << peer;
    EXPECT_FALSE(HasContact(Directory(peer, user, true), contact))
        << "a peer's --include-retired never shows another node's retired entries";
  }
  EXPECT_FALSE(HasContact(Directory("0793", "tiina"), contact));
  EXPECT_TRUE(HasContact(Directory("0793", "tiina", true), contact)) << "kept at the owner";

  // Retired once: not again, and not changed.
  EXPECT_THAT(
      Refused("0793", "tiina", {"directory", "retire-contact", contact, "--reason", "again"}),
      HasSubstr("FAILED_PRECONDITION"));
  EXPECT_THAT(Refused("0793", "tiina",
                      {"directory", "contact", "update", "--id", contact, "--institution", school_,
                       "--name", "Kati Kask", "--role", "HEVKO", "--phone", "+3725550000"}),
              HasSubstr("is retired"));

  // Now the institution goes too, from every peer.
  Json<hop::v1::Institution>("0793", "tiina",
                             {"directory", "retire-institution", school_, "--reason", "merged"});
  for (const auto& [peer, user] : {std::pair{"0171", "elle"}, std::pair{"0283", "kristi"}}) {
    Sync(peer);
    EXPECT_FALSE(HasInstitution(Directory(peer, user), school_)) << "still at " << peer;
  }
  EXPECT_TRUE(HasInstitution(Directory("0793", "tiina", true), school_));
  EXPECT_THAT(Refused("0793", "tiina",
                      {"case", "open", "--child", kChild, "--name", "Mari", "--level", "school",
                       "--institution", school_}),
              HasSubstr("is retired"));
}

TEST_F(FederationRetireTest, AUsersNewPhoneReachesThePeersCopyAsTheResponsibleContact) {
  const std::string case_id = OpenCase();
  Ok("0793", "tiina", {"case", "assign", case_id, "--responsible", "tiina"});
  Ok("0793", "tiina",
     {"consent", "grant", "--child", kChild, "--guardian", kGuardian, "--to", "0171", "--scope",
      "summary,contact", "--purpose", "support in Elva", "--until", LocalDate(365)});
  Sync("0171");
  hop::v1::LookupResponse held = Lookup("0171", "elle");
  ASSERT_EQ(held.held_size(), 1);
  EXPECT_EQ(held.held(0).summary().responsible().phone(), "+372 5550 0001");

  const auto updated = Json<hop::v1::User>(
      "0793", "admin",
      {"user", "update", "tiina", "--phone", "+372 5550 0099", "--email", "tiina.tamm@tartu.ee"});
  EXPECT_EQ(updated.phone(), "+372 5550 0099");
  EXPECT_EQ(updated.name(), "Tiina Tamm") << "fields not given stay";
  EXPECT_EQ(updated.updated_by(), "admin");
  Sync("0171");
  held = Lookup("0171", "elle");
  ASSERT_EQ(held.held_size(), 1);
  EXPECT_EQ(held.held(0).summary().responsible().phone(), "+372 5550 0099");
  EXPECT_EQ(held.held(0).summary().responsible().email(), "tiina.tamm@tartu.ee");
  EXPECT_EQ(held.held(0).summary().responsible().name(), "Tiina Tamm");
}

TEST_F(FederationRetireTest, LeavingTheTrackAndReopeningChangeWhatPeersHold) {
  // Child protection, related to Kambja by actual residence: Kambja holds the fact.
  const std::string case_id = OpenCase();
  Ok("0793", "tiina", {"case", "relate", case_id, "--actual", "0283"});
  Ok("0793", "kaie", {"case", "protect", case_id, "--reason", "child in danger"});
  Sync("0283");
  ASSERT_EQ(Lookup("0283", "kristi").held_size(), 1);

  EXPECT_THAT(
      Refused("0793", "tiina", {"case", "leave-protection", case_id, "--reason", "safe again"}),
      HasSubstr("PERMISSION_DENIED"));
  const auto left = Json<hop::v1::Case>(
      "0793", "kaie", {"case", "leave-protection", case_id, "--reason", "safe again"});
  EXPECT_FALSE(left.child_protection());
  EXPECT_EQ(left.history(left.history_size() - 1).event(),
            hop::v1::CASE_EVENT_LEFT_CHILD_PROTECTION);
  Sync("0283");
  EXPECT_EQ(Lookup("0283", "kristi").held_size(), 0) << "the child-protection fact is gone";

  // A consented summary at Elva goes with the closing and comes back with the reopening.
  Ok("0793", "tiina",
     {"consent", "grant", "--child", kChild, "--guardian", kGuardian, "--to", "0171", "--scope",
      "summary", "--purpose", "support in Elva", "--until", LocalDate(365)});
  Sync("0171");
  ASSERT_EQ(Lookup("0171", "elle").held_size(), 1);
  Ok("0793", "tiina", {"case", "close", case_id, "--reason", "support no longer needed"});
  Sync("0171");
  ASSERT_EQ(Lookup("0171", "elle").held_size(), 0);
  const auto reopened = Json<hop::v1::Case>(
      "0793", "tiina", {"case", "reopen", case_id, "--reason", "difficulties returned"});
  EXPECT_EQ(reopened.status(), hop::v1::CASE_OPEN);
  Sync("0171");
  const hop::v1::LookupResponse back = Lookup("0171", "elle");
  ASSERT_EQ(back.held_size(), 1) << "the reopened case's summary is back at the peer";
  EXPECT_EQ(back.held(0).summary().case_id(), case_id);
}

}  // namespace
}  // namespace hop
