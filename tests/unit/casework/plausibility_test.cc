// Plausibility of what the books store (issue 10), over a real RocksDB store: children born in
// the future, guardians who are no adults, consent validity outside the node's policy,
// withdrawals without a guardian or evidence, text with control or bidirectional formatting
// characters; each refused with the field named and nothing written. Text is stored in NFC.
#include <limits>

#include "absl/strings/str_format.h"
#include "daemon/audit/audit_log.h"
#include "daemon/audit/call_audit.h"
#include "daemon/domain/isikukood.h"
#include "gmock/gmock.h"
#include "tests/unit/casework/casework_fixture.h"

namespace hop::casework {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kRlo[] = "\xE2\x80\xAE";                // U+202E RIGHT-TO-LEFT OVERRIDE
constexpr char kNfdO[] = "o\xCC\x83";                  // o + U+0303 COMBINING TILDE
constexpr char kNfcO[] = "\xC3\xB5";                   // õ
constexpr char kBornIn2099[] = "69912310002";          // the child of the issue
constexpr char kGuardianBornIn2020[] = "52003130007";  // a "guardian" born 2020-03-13

std::string BornOn(absl::CivilDay day) {
  const int century = day.year() >= 2000 ? 6 : 4;
  const std::string ten =
      absl::StrFormat("%d%02d%02d%02d002", century, day.year() % 100, day.month(), day.day());
  return ten + std::to_string(domain::IsikukoodCheckDigit(ten));
}

void ExpectInvalid(const absl::Status& s, absl::string_view prefix) {
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(std::string(s.message()), StartsWith(std::string(prefix))) << s;
}

class PlausibilityTest : public CaseworkTest {
 protected:
  std::string AllCases() { return cases_->List(manager_, {})->SerializeAsString(); }
  std::string AllConsents() { return consents_->List(manager_, {})->SerializeAsString(); }

  hop::v1::GrantConsentRequest Grant() {
    hop::v1::GrantConsentRequest g;
    g.set_child_isikukood(kChild);
    g.set_granted_by(kMother);
    g.add_recipients("0171");
    g.add_scopes(hop::v1::SCOPE_CASE_SUMMARY);
    g.set_purpose("school transfer");
    g.set_valid_until(kNow + 86400 * 365);
    return g;
  }
  hop::v1::WithdrawConsentRequest Withdrawal() {
    hop::v1::WithdrawConsentRequest w;
    w.set_child_isikukood(kChild);
    w.set_withdrawn_by(kFather);
    w.set_evidence_ref("DHS-2026-31");
    return w;
  }
};

TEST_F(PlausibilityTest, ChildBornInTheFutureIsRefusedWherever) {
  const std::string before = AllCases();
  ExpectInvalid(Open(teacher_, school_, kBornIn2099).status(),
                "child.isikukood: the birth date in the code (digits 2-7) is 2099-12-31, after "
                "today 2026-11-18");
  const absl::CivilDay today = domain::EstonianToday(kNow);
  ExpectInvalid(Open(teacher_, school_, BornOn(today + 1)).status(), "child.isikukood: ");
  EXPECT_EQ(AllCases(), before);
  EXPECT_EQ(records_->IssuedCount(IdKind::kCase), 0u);
  EXPECT_TRUE(Open(teacher_, school_, BornOn(today)).ok()) << "born today is fine";

  hop::v1::GrantConsentRequest g = Grant();
  g.set_child_isikukood(kBornIn2099);
  ExpectInvalid(consents_->Grant(manager_, g).status(), "child_isikukood: the birth date");
  hop::v1::WithdrawConsentRequest w = Withdrawal();
  w.set_child_isikukood(kBornIn2099);
  ExpectInvalid(consents_->Withdraw(manager_, w).status(), "child_isikukood: the birth date");
  hop::v1::ListCasesRequest list;
  list.set_child_isikukood(kBornIn2099);
  ExpectInvalid(cases_->List(manager_, list).status(), "child_isikukood: the birth date");
  hop::v1::ListConsentsRequest consents;
  consents.set_child_isikukood(kBornIn2099);
  ExpectInvalid(consents_->List(manager_, consents).status(), "child_isikukood: the birth date");
  EXPECT_EQ(records_->IssuedCount(IdKind::kConsent), 0u);
}

TEST_F(PlausibilityTest, ImplausibleConsentsChangeNothing) {
  ASSERT_TRUE(Open(teacher_, school_).ok());
  const std::string before = AllConsents();
  struct Bad {
    const char* prefix;
    void (*breaker)(hop::v1::GrantConsentRequest*);
  };
  for (const Bad& b : std::initializer_list<Bad>{
           {"granted_by: the person was born 2020-03-13 and is 6",
            [](hop::v1::GrantConsentRequest* g) { g->set_granted_by(kGuardianBornIn2020); }},
           {"granted_by: is the child's own isikukood",
            [](hop::v1::GrantConsentRequest* g) { g->set_granted_by(kChild); }},
           {"valid_from: -31536000 (1969-01-01T00:00:00Z) is before the child's birth",
            [](hop::v1::GrantConsentRequest* g) { g->set_valid_from(-31536000); }},
           {"valid_until: 9223372036854775807",
            [](hop::v1::GrantConsentRequest* g) {
              g->set_valid_until(std::numeric_limits<int64_t>::max());
            }},
           {"valid_until: ",  // past the 18th birthday (2034-04-15) and 3 years
            [](hop::v1::GrantConsentRequest* g) { g->set_valid_until(kNow + 86400 * 365 * 8); }},
           {"valid_from: ",  // two months back
            [](hop::v1::GrantConsentRequest* g) { g->set_valid_from(kNow - 86400 * 60); }},
           {"purpose: character 7 is U+202E",
            [](hop::v1::GrantConsentRequest* g) { g->set_purpose(std::string("school") + kRlo); }},
           {"evidence_ref: character 3 is U+001B",
            [](hop::v1::GrantConsentRequest* g) { g->set_evidence_ref("F-\x1B[2J"); }},
       }) {
    hop::v1::GrantConsentRequest g = Grant();
    b.breaker(&g);
    ExpectInvalid(consents_->Grant(manager_, g).status(), b.prefix);
  }
  EXPECT_EQ(AllConsents(), before);
  EXPECT_EQ(records_->IssuedCount(IdKind::kConsent), 0u);
}

TEST_F(PlausibilityTest, ConfiguredMaximumValidity) {
  ASSERT_TRUE(Open(teacher_, school_).ok());
  domain::ConsentPolicy policy;
  policy.max_validity_years = 1;
  ConsentBook strict(records_.get(), feeds_.get(), policy);
  hop::v1::GrantConsentRequest g = Grant();
  g.set_valid_until(kNow + 86400 * 366);
  absl::Status s = strict.Grant(manager_, g).status();
  ExpectInvalid(s, "valid_until: ");
  EXPECT_THAT(std::string(s.message()), HasSubstr("more than 1 years after valid_from"));
  EXPECT_TRUE(consents_->Grant(manager_, g).ok()) << "the default allows 3 years";
}

TEST_F(PlausibilityTest, WithdrawalNeedsAnAdultGuardianAndEvidenceAndRecordsBoth) {
  const security::NodeSecret secret = *security::NodeSecret::FromBytes(std::string(32, 'n'));
  auto audit = audit::AuditLog::Open(store_.get(), &clock_, &secret);
  ASSERT_TRUE(audit.ok()) << audit.status();
  records_->SetAuditLog(audit->get());
  ASSERT_TRUE(Open(teacher_, school_).ok());
  ASSERT_TRUE(consents_->Grant(manager_, Grant()).ok());
  const std::string before = AllConsents();
  hop::v1::WithdrawConsentRequest w = Withdrawal();
  w.clear_evidence_ref();
  ExpectInvalid(consents_->Withdraw(manager_, w).status(), "evidence_ref: is empty");
  w = Withdrawal();
  w.set_withdrawn_by(kGuardianBornIn2020);
  ExpectInvalid(consents_->Withdraw(manager_, w).status(), "withdrawn_by: the person was born");
  w = Withdrawal();
  w.set_withdrawn_by("37605030291");  // not an isikukood at all
  ExpectInvalid(consents_->Withdraw(manager_, w).status(), "withdrawn_by: check digit");
  w = Withdrawal();
  w.set_withdrawn_by(kChild);
  ExpectInvalid(consents_->Withdraw(manager_, w).status(), "withdrawn_by: is the child's own");
  EXPECT_EQ(AllConsents(), before) << "refusals change nothing";

  w = Withdrawal();
  w.set_evidence_ref(std::string("DHS-2026-31 P") + kNfdO + "lva");
  hop::v1::AuditEntry base;
  base.set_action("CaseWork.WithdrawConsent");
  absl::StatusOr<hop::v1::WithdrawConsentResponse> done;
  {
    audit::ScopedCallAudit scope(base);
    done = consents_->Withdraw(manager_, w);
  }
  ASSERT_TRUE(done.ok()) << done.status();
  const std::string evidence = std::string("DHS-2026-31 P") + kNfcO + "lva";
  hop::v1::ListConsentsRequest of_child;
  of_child.set_child_isikukood(kChild);
  const hop::v1::Consent stored = consents_->List(manager_, of_child)->consents(0);
  EXPECT_EQ(stored.withdrawn_by(), kFather);
  EXPECT_EQ(stored.withdrawal_evidence_ref(), evidence);
  absl::StatusOr<std::vector<hop::v1::AuditEntry>> entries = (*audit)->OfSubject(kChild);
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_FALSE(entries->empty());
  EXPECT_EQ(entries->back().action(), "CaseWork.WithdrawConsent");
  // The guardian is named by a keyed pseudonym: the log holds no isikukood.
  EXPECT_THAT(entries->back().purpose(), HasSubstr(secret.ChildPseudonym(kFather)));
  EXPECT_THAT(entries->back().purpose(), Not(HasSubstr(kFather)));
  EXPECT_THAT(entries->back().purpose(), HasSubstr(evidence));
  records_->SetAuditLog(nullptr);
}

TEST_F(PlausibilityTest, ControlAndBidiCharactersAreRefusedEverywhere) {
  const std::string bad = std::string("Mari") + kRlo + "gpj.exe";
  hop::v1::OpenCaseRequest open;
  open.mutable_child()->set_isikukood(kChild);
  open.mutable_child()->set_name(bad);
  open.set_level(hop::v1::LEVEL_SCHOOL);
  open.set_institution_id(school_);
  ExpectInvalid(cases_->Open(teacher_, open).status(), "child.name: character 5 is U+202E");
  open.mutable_child()->set_name("Mari\nMaasikas");
  ExpectInvalid(cases_->Open(teacher_, open).status(), "child.name: character 5 is U+000A");
  open.mutable_child()->set_name("Mari");
  open.add_need_areas("reading\t");
  ExpectInvalid(cases_->Open(teacher_, open).status(),
                "need_areas[0]: the value given is not a need area code");
  EXPECT_EQ(records_->IssuedCount(IdKind::kCase), 0u);

  const std::string id = Open(teacher_, school_)->id();
  const std::string case_before = cases_->Get(manager_, id)->SerializeAsString();
  hop::v1::AddNoteRequest note;
  note.set_case_id(id);
  note.set_text(
      "phoned \xC2\x9B"
      "2J");  // U+009B: the C1 control sequence introducer
  ExpectInvalid(cases_->AddNote(teacher_, note).status(), "text: character 8 is U+009B");
  hop::v1::AddServiceRequest service;
  service.set_case_id(id);
  service.mutable_service()->set_type("speech therapy");
  service.mutable_service()->set_municipality("0793");
  service.mutable_service()->set_start_date("2026-09-01");
  ExpectInvalid(cases_->AddService(teacher_, service).status(),
                "service.type: \"speech therapy\" is not a service type code");
  service.mutable_service()->set_type("speech-therapy");
  service.mutable_service()->set_provider(bad);
  ExpectInvalid(cases_->AddService(teacher_, service).status(),
                "service.provider: not an institution id");
  hop::v1::CloseCaseRequest close;
  close.set_case_id(id);
  close.set_reason("moved\rback");
  ExpectInvalid(cases_->Close(teacher_, close).status(), "reason: character 6 is U+000D");
  EXPECT_EQ(cases_->Get(manager_, id)->SerializeAsString(), case_before);

  hop::v1::Institution institution;
  institution.set_name(bad);
  institution.set_kind(hop::v1::INSTITUTION_SCHOOL);
  institution.set_ownership(hop::v1::OWNERSHIP_MUNICIPAL);
  ExpectInvalid(directory_->PutInstitution(leader_, institution).status(),
                "institution.name: character 5 is U+202E");
  hop::v1::Contact contact;
  contact.set_institution_id(school_);
  contact.set_name("Kati Kask");
  contact.set_role("HEVKO");
  contact.set_phone("+372 5555 1234");
  contact.add_topics(std::string("speech") + "\xE2\x81\xA6");  // U+2066
  ExpectInvalid(directory_->PutContact(leader_, contact).status(),
                "contact.topics[0]: the value given is not a topic code");
  EXPECT_EQ(records_->IssuedCount(IdKind::kContact), 0u);
  EXPECT_EQ(records_->IssuedCount(IdKind::kInstitution), 2u) << "the fixture's two schools";
  hop::v1::User user;
  user.set_user_id("malle");
  user.set_name(bad);
  user.set_role(hop::v1::ROLE_CASE_MANAGER);
  ExpectInvalid(users_->Add("admin", user).status(), "user.name: character 5 is U+202E");
  EXPECT_EQ(users_->List()->size(), 0u);
}

TEST_F(PlausibilityTest, TextIsStoredInNfcAndMultiLineFieldsKeepTheirLines) {
  hop::v1::OpenCaseRequest open;
  open.mutable_child()->set_isikukood(kChild);
  open.mutable_child()->set_name(std::string("T") + kNfdO + "nu");
  open.set_level(hop::v1::LEVEL_SCHOOL);
  open.set_institution_id(school_);
  open.set_reason("noticed in class\r\nby the teacher");
  absl::StatusOr<hop::v1::Case> c = cases_->Open(teacher_, open);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->child().name(), std::string("T") + kNfcO + "nu");
  EXPECT_EQ(c->history(0).reason(), "noticed in class\nby the teacher");

  hop::v1::AddNoteRequest note;
  note.set_case_id(c->id());
  note.set_text(std::string("1. phoned the mother\n2. P") + kNfdO + "lva\tschool");
  absl::StatusOr<hop::v1::Case> noted = cases_->AddNote(teacher_, note);
  ASSERT_TRUE(noted.ok()) << noted.status();
  EXPECT_EQ(noted->notes(0).text(),
            std::string("1. phoned the mother\n2. P") + kNfcO + "lva\tschool");
  EXPECT_EQ(cases_->Get(manager_, c->id())->notes(0).text(), noted->notes(0).text());

  hop::v1::Contact contact;
  contact.set_institution_id(school_);
  contact.set_name(std::string("J") + kNfdO + "e");
  contact.set_role("HEVKO");
  contact.set_email("kati@tartu.ee");
  contact.add_topics("speech");
  absl::StatusOr<hop::v1::Contact> put = directory_->PutContact(leader_, contact);
  ASSERT_TRUE(put.ok()) << put.status();
  EXPECT_EQ(put->name(), std::string("J") + kNfcO + "e");
  EXPECT_EQ(directory_->Search({})->contacts(0).name(), put->name());
}

}  // namespace
}  // namespace hop::casework
