// Case, consent, directory and user operations against a real RocksDB store: the access
// rules per role, the stage rules, and that refused input writes nothing.
#include "tests/unit/casework/casework_fixture.h"

namespace hop::casework {
namespace {

TEST_F(CaseworkTest, TeacherOpensForOwnInstitutionOnly) {
  absl::StatusOr<hop::v1::Case> c = Open(teacher_, school_);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->id(), "0793-C000001");
  EXPECT_EQ(c->stage(), hop::v1::STAGE_I);
  EXPECT_EQ(c->responsible_user(), "mari");
  ASSERT_EQ(c->history_size(), 1);
  EXPECT_EQ(c->history(0).by_user(), "mari");
  EXPECT_EQ(c->history(0).at(), kNow);
  EXPECT_EQ(Open(teacher_, other_school_).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(records_->IssuedCount(IdKind::kCase), 1u);
}

TEST_F(CaseworkTest, InvalidIsikukoodIsRefusedAndNothingIsWritten) {
  absl::StatusOr<hop::v1::Case> c = Open(teacher_, school_, "60001019907");
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(c.status().message().find("child.isikukood"), std::string::npos) << c.status();
  EXPECT_EQ(records_->IssuedCount(IdKind::kCase), 0u);
  EXPECT_TRUE(cases_->List(manager_, {})->cases().empty());
}

TEST_F(CaseworkTest, StagePathAndVisibilityPerRole) {
  const std::string id = Open(teacher_, school_)->id();
  EXPECT_EQ(cases_->Get(other_teacher_, id).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(cases_->Get(leader_, id).status().code(), absl::StatusCode::kPermissionDenied);

  // Skipping a stage is illegal and changes nothing.
  EXPECT_EQ(Escalate(coordinator_, id, hop::v1::STAGE_III).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(cases_->Get(teacher_, id)->stage(), hop::v1::STAGE_I);

  ASSERT_TRUE(Escalate(teacher_, id, hop::v1::STAGE_II).ok());
  // Teachers work on stage I only; the one who opened it keeps its stage and needs (issue 13).
  absl::StatusOr<hop::v1::Case> read = cases_->Get(teacher_, id);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->stage(), hop::v1::STAGE_II);
  EXPECT_EQ(read->history_size(), 0) << "a read-limited reader gets stage, status and needs";
  EXPECT_EQ(Escalate(teacher_, id, hop::v1::STAGE_III).status().code(),
            absl::StatusCode::kPermissionDenied);
  absl::StatusOr<hop::v1::Case> iii = Escalate(coordinator_, id, hop::v1::STAGE_III);
  ASSERT_TRUE(iii.ok()) << iii.status();
  ASSERT_EQ(iii->history_size(), 3);
  EXPECT_EQ(iii->history(2).from_stage(), hop::v1::STAGE_II);
  EXPECT_EQ(iii->history(2).by_user(), "kati");
  EXPECT_EQ(iii->history(2).reason(), "needs more support");
  EXPECT_EQ(Escalate(manager_, id, hop::v1::STAGE_II).status().code(),
            absl::StatusCode::kFailedPrecondition)
      << "never backwards";
}

TEST_F(CaseworkTest, ChildProtectionTrackIsForChildProtectionOnly) {
  const std::string id = Open(teacher_, school_)->id();
  hop::v1::MoveToChildProtectionRequest req;
  req.set_case_id(id);
  req.set_reason("child in danger");
  ASSERT_TRUE(cases_->MoveToChildProtection(teacher_, req).ok());
  EXPECT_EQ(cases_->Get(teacher_, id).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(cases_->Get(manager_, id).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(cases_->Get(protection_, id).ok());
  EXPECT_EQ(cases_->List(manager_, {})->cases_size(), 0);
  EXPECT_EQ(cases_->List(protection_, {})->cases_size(), 1);
  EXPECT_EQ(cases_->MoveToChildProtection(protection_, req).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(CaseworkTest, ClosedCaseChangesNoMore) {
  const std::string id = Open(teacher_, school_)->id();
  hop::v1::CloseCaseRequest close;
  close.set_case_id(id);
  EXPECT_EQ(cases_->Close(manager_, close).status().code(), absl::StatusCode::kInvalidArgument)
      << "a reason is required";
  close.set_reason("support goals met");
  ASSERT_TRUE(cases_->Close(manager_, close).ok());
  hop::v1::AddNoteRequest note;
  note.set_case_id(id);
  note.set_text("late note");
  EXPECT_EQ(cases_->AddNote(manager_, note).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(cases_->Get(manager_, id)->notes_size(), 0);
}

TEST_F(CaseworkTest, ServicesRelationsAndListPaging) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Open(teacher_, school_).ok());
  hop::v1::AddServiceRequest service;
  service.set_case_id("0793-C000001");
  service.mutable_service()->set_type("speech-therapy");
  service.mutable_service()->set_provider(school_);
  service.mutable_service()->set_municipality("0171");
  service.mutable_service()->set_start_date("2026-09-01");
  service.mutable_service()->set_end_date("2026-08-01");
  EXPECT_EQ(cases_->AddService(manager_, service).status().code(),
            absl::StatusCode::kInvalidArgument)
      << "end before start";
  service.mutable_service()->set_end_date("2026-12-20");
  absl::StatusOr<hop::v1::Case> with_service = cases_->AddService(manager_, service);
  ASSERT_TRUE(with_service.ok()) << with_service.status();
  EXPECT_EQ(with_service->services(0).id(), "S1");

  hop::v1::SetRelatedMunicipalitiesRequest related;
  related.set_case_id("0793-C000001");
  related.mutable_related()->set_registered_residence("0171");
  related.mutable_related()->add_actual_residences("0171");
  related.mutable_related()->add_actual_residences("9999");
  absl::Status bad = cases_->SetRelated(manager_, related).status();
  EXPECT_NE(bad.message().find("related.actual_residences[1]"), std::string::npos) << bad;

  hop::v1::ListCasesRequest page;
  page.set_limit(2);
  std::vector<std::string> ids;
  do {
    absl::StatusOr<hop::v1::ListCasesResponse> r = cases_->List(manager_, page);
    ASSERT_TRUE(r.ok()) << r.status();
    for (const auto& c : r->cases()) ids.push_back(c.id());
    page.set_page_token(r->next_page_token());
  } while (!page.page_token().empty());
  EXPECT_EQ(ids.size(), 5u);
  EXPECT_EQ(cases_->Count()->total(), 5u);
}

TEST_F(CaseworkTest, AnyGuardiansWithdrawalWins) {
  ASSERT_TRUE(Open(teacher_, school_).ok());
  hop::v1::GrantConsentRequest grant;
  grant.set_child_isikukood(kChild);
  grant.set_granted_by(kMother);
  grant.add_recipients("0171");
  grant.add_scopes(hop::v1::SCOPE_CASE_SUMMARY);
  grant.set_purpose("school transfer");
  grant.set_valid_until(kNow + 86400 * 365);
  absl::StatusOr<hop::v1::Consent> consent = consents_->Grant(coordinator_, grant);
  ASSERT_TRUE(consent.ok()) << consent.status();
  EXPECT_EQ(consents_->Grant(other_teacher_, grant).status().code(),
            absl::StatusCode::kPermissionDenied);

  hop::v1::ListConsentsRequest active;
  active.set_child_isikukood(kChild);
  active.set_active_only(true);
  EXPECT_EQ(consents_->List(manager_, active)->consents_size(), 1);

  hop::v1::WithdrawConsentRequest withdraw;
  withdraw.set_child_isikukood(kChild);
  withdraw.set_withdrawn_by(kFather);  // the other guardian
  withdraw.set_evidence_ref("DHS-2026-31");
  clock_.Advance(60);
  absl::StatusOr<hop::v1::WithdrawConsentResponse> w = consents_->Withdraw(manager_, withdraw);
  ASSERT_TRUE(w.ok()) << w.status();
  ASSERT_EQ(w->withdrawn_size(), 1);
  EXPECT_EQ(w->withdrawn(0).withdrawn_by(), kFather);
  EXPECT_EQ(consents_->List(manager_, active)->consents_size(), 0);
  EXPECT_EQ(consents_->Withdraw(manager_, withdraw).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(CaseworkTest, DirectorySearchFilters) {
  hop::v1::Contact c;
  c.set_institution_id(school_);
  c.set_name("Kati Kask");
  c.set_role("HEVKO");
  c.set_email("kati@kool.example");
  c.add_age_levels(hop::v1::LEVEL_SCHOOL);
  c.add_topics("learning-support");
  ASSERT_TRUE(directory_->PutContact(coordinator_, c).ok());
  c.set_institution_id(other_school_);
  EXPECT_EQ(directory_->PutContact(coordinator_, c).status().code(),
            absl::StatusCode::kPermissionDenied);
  c.set_email("not-an-email");
  EXPECT_NE(directory_->PutContact(leader_, c).status().message().find("contact.email"),
            std::string::npos);

  hop::v1::SearchDirectoryRequest q;
  q.set_topic("LEARNING");
  EXPECT_EQ(directory_->Search(q)->contacts_size(), 1);
  EXPECT_EQ(directory_->Search(q)->institutions_size(), 1);
  q.set_age_level(hop::v1::LEVEL_KINDERGARTEN);
  EXPECT_EQ(directory_->Search(q)->contacts_size(), 0);
  hop::v1::SearchDirectoryRequest by_municipality;
  by_municipality.set_municipality("0793");
  EXPECT_EQ(directory_->Search(by_municipality)->institutions_size(), 2);
}

TEST_F(CaseworkTest, UsersBootstrapOnceAndKeepOneAdmin) {
  EXPECT_EQ(users_->Bootstrap({"admin"})->size(), 1u);
  EXPECT_TRUE(users_->Bootstrap({"intruder"})->empty());
  EXPECT_EQ(users_->Remove("admin").code(), absl::StatusCode::kFailedPrecondition);
  hop::v1::User teacher;
  teacher.set_user_id("mari");
  teacher.set_name("Mari Maasikas");
  teacher.set_role(hop::v1::ROLE_TEACHER);
  EXPECT_NE(users_->Add("admin", teacher).status().message().find("user.institution_id"),
            std::string::npos);
  teacher.set_institution_id(school_);
  ASSERT_TRUE(users_->Add("admin", teacher).ok());
  EXPECT_EQ(users_->Add("admin", teacher).status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(users_->List()->size(), 2u);
}

}  // namespace
}  // namespace hop::casework
