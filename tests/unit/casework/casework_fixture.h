// Test fixture: the casework books over a real RocksDB store in a temporary directory, with
// a fixed clock, two schools and an actor of every role.
#ifndef HOP_TESTS_UNIT_CASEWORK_CASEWORK_FIXTURE_H_
#define HOP_TESTS_UNIT_CASEWORK_CASEWORK_FIXTURE_H_

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "daemon/casework/case_book.h"
#include "daemon/casework/consent_book.h"
#include "daemon/casework/directory_book.h"
#include "daemon/casework/feed_writer.h"
#include "daemon/casework/user_registry.h"
#include "gtest/gtest.h"

namespace hop::casework {

using domain::Actor;
inline constexpr char kChild[] = "61604150239";  // born 2016-04-15
inline constexpr char kMother[] = "49403136526";
inline constexpr char kFather[] = "37605030299";
inline constexpr int64_t kNow = 1795000000;  // 2026-11-18

class CaseworkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/hop-casework-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    store_ = *store::Store::Open({dir_ + "/db"});
    records_ = *RecordStore::Open(store_.get(), "0793", &clock_, Listener());
    feeds_ = std::make_unique<FeedWriter>(records_.get(), Peers());
    cases_ = std::make_unique<CaseBook>(records_.get(), feeds_.get());
    consents_ = std::make_unique<ConsentBook>(records_.get(), feeds_.get());
    directory_ = std::make_unique<DirectoryBook>(records_.get(), feeds_.get());
    users_ = std::make_unique<UserRegistry>(records_.get());
    school_ = AddInstitution("Tartu Kesklinna Kool");
    other_school_ = AddInstitution("Tartu Annelinna Gümnaasium");
    teacher_ = {"mari", hop::v1::ROLE_TEACHER, school_};
    other_teacher_ = {"juta", hop::v1::ROLE_TEACHER, other_school_};
    coordinator_ = {"kati", hop::v1::ROLE_INSTITUTION_COORDINATOR, school_};
    manager_ = {"tiina", hop::v1::ROLE_CASE_MANAGER, ""};
    protection_ = {"peeter", hop::v1::ROLE_CHILD_PROTECTION, ""};
    leader_ = {"juhan", hop::v1::ROLE_NETWORK_LEADER, ""};
  }
  void TearDown() override {
    users_.reset();
    directory_.reset();
    consents_.reset();
    cases_.reset();
    feeds_.reset();
    records_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string AddInstitution(const std::string& name) {
    hop::v1::Institution i;
    i.set_name(name);
    i.set_kind(hop::v1::INSTITUTION_SCHOOL);
    i.set_ownership(hop::v1::OWNERSHIP_MUNICIPAL);
    absl::StatusOr<hop::v1::Institution> put = directory_->PutInstitution(leader_, i);
    EXPECT_TRUE(put.ok()) << put.status();
    return put.ok() ? put->id() : "";
  }

  absl::StatusOr<hop::v1::Case> Open(const Actor& actor, const std::string& institution,
                                     const std::string& child = kChild) {
    hop::v1::OpenCaseRequest req;
    req.mutable_child()->set_isikukood(child);
    req.mutable_child()->set_name("Laps Lapsike");
    req.set_level(hop::v1::LEVEL_SCHOOL);
    req.set_institution_id(institution);
    req.add_need_areas("reading");
    return cases_->Open(actor, req);
  }

  absl::StatusOr<hop::v1::Case> Escalate(const Actor& actor, const std::string& id,
                                         hop::v1::Stage to) {
    hop::v1::EscalateRequest req;
    req.set_case_id(id);
    req.set_to_stage(to);
    req.set_reason("needs more support");
    return cases_->Escalate(actor, req);
  }

  // The peers whose feeds are kept; none here (feed_writer_test has peers).
  virtual std::vector<std::string> Peers() const { return {}; }
  // Hears of tombstones written into the peers' feeds; none here (retention_test has one).
  virtual FeedListener* Listener() { return nullptr; }

  FakeClock clock_{kNow};
  std::string dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<RecordStore> records_;
  std::unique_ptr<FeedWriter> feeds_;
  std::unique_ptr<CaseBook> cases_;
  std::unique_ptr<ConsentBook> consents_;
  std::unique_ptr<DirectoryBook> directory_;
  std::unique_ptr<UserRegistry> users_;
  std::string school_, other_school_;
  Actor teacher_, other_teacher_, coordinator_, manager_, protection_, leader_;
};

}  // namespace hop::casework

#endif  // HOP_TESTS_UNIT_CASEWORK_CASEWORK_FIXTURE_H_
