// The per-call audit record (daemon/audit/call_audit.h): ScopedCallAudit's thread-local
// current call, CollectSubjects over real hop.v1 messages (child_isikukood fields and
// hop.v1.Child isikukood at any depth, nothing else), and ObjectOf / PurposeOf.
#include "daemon/audit/call_audit.h"

#include <memory>
#include <set>
#include <string>
#include <thread>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "hop/v1/admin.pb.h"
#include "hop/v1/audit.pb.h"
#include "hop/v1/casework.pb.h"
#include "hop/v1/federation.pb.h"
#include "hop/v1/records.pb.h"

namespace hop::audit {
namespace {

using Subjects = std::set<std::string>;

constexpr char kAnna[] = "60001019906";
constexpr char kBert[] = "50001010006";
constexpr char kCarl[] = "50102030405";
constexpr char kGuardian[] = "48001010008";

hop::v1::AuditEntry Base(const std::string& action) {
  hop::v1::AuditEntry e;
  e.set_actor("spiffe://hop.test/staff/0171/mari");
  e.set_action(action);
  return e;
}

// --- ScopedCallAudit -------------------------------------------------------------------------

TEST(ScopedCallAuditTest, CurrentIsTheScopesCallOnlyWhileItLives) {
  EXPECT_EQ(ScopedCallAudit::Current(), nullptr);
  {
    ScopedCallAudit scope(Base("CaseWork.GetCase"));
    ASSERT_NE(ScopedCallAudit::Current(), nullptr);
    EXPECT_EQ(ScopedCallAudit::Current(), &scope.call());
    EXPECT_EQ(ScopedCallAudit::Current()->entry.action(), "CaseWork.GetCase");
    EXPECT_EQ(ScopedCallAudit::Current()->entry.actor(), "spiffe://hop.test/staff/0171/mari");
    EXPECT_EQ(ScopedCallAudit::Current()->changes_recorded, 0);
    // Changes through Current() are the scope's.
    ScopedCallAudit::Current()->entry.add_subjects(kAnna);
    ScopedCallAudit::Current()->changes_recorded++;
    EXPECT_EQ(scope.call().entry.subjects_size(), 1);
    EXPECT_EQ(scope.call().changes_recorded, 1);
  }
  EXPECT_EQ(ScopedCallAudit::Current(), nullptr);
}

TEST(ScopedCallAuditTest, SuccessiveScopesEachStartFresh) {
  {
    ScopedCallAudit first(Base("first"));
    first.call().changes_recorded = 3;
  }
  EXPECT_EQ(ScopedCallAudit::Current(), nullptr);
  ScopedCallAudit second(Base("second"));
  ASSERT_EQ(ScopedCallAudit::Current(), &second.call());
  EXPECT_EQ(second.call().entry.action(), "second");
  EXPECT_EQ(second.call().changes_recorded, 0);
}

TEST(ScopedCallAuditTest, TheCallIsPerThread) {
  ScopedCallAudit scope(Base("main thread"));
  CallAudit* seen_elsewhere = &scope.call();
  CallAudit* inner_elsewhere = nullptr;
  CallAudit* after_elsewhere = &scope.call();
  std::thread other([&] {
    seen_elsewhere = ScopedCallAudit::Current();
    {
      ScopedCallAudit inner(Base("other thread"));
      inner_elsewhere = ScopedCallAudit::Current();
      EXPECT_EQ(inner_elsewhere, &inner.call());
    }
    after_elsewhere = ScopedCallAudit::Current();
  });
  other.join();
  EXPECT_EQ(seen_elsewhere, nullptr) << "another thread does not see this thread's call";
  EXPECT_NE(inner_elsewhere, nullptr);
  EXPECT_EQ(after_elsewhere, nullptr);
  EXPECT_EQ(ScopedCallAudit::Current(), &scope.call()) << "unchanged by the other thread";
}

// --- CollectSubjects -------------------------------------------------------------------------

TEST(CollectSubjectsTest, TopLevelChildIsikukood) {
  hop::v1::LookupRequest req;
  req.set_child_isikukood(kAnna);
  req.set_purpose("assessment");
  Subjects s;
  CollectSubjects(req, s);
  EXPECT_EQ(s, Subjects({kAnna}));
}

TEST(CollectSubjectsTest, IsikukoodOfANestedChild) {
  hop::v1::OpenCaseRequest req;
  req.mutable_child()->set_isikukood(kAnna);
  req.mutable_child()->set_name("Anna");
  req.set_institution_id("0171-school-1");
  Subjects s;
  CollectSubjects(req, s);
  EXPECT_EQ(s, Subjects({kAnna}));
}

TEST(CollectSubjectsTest, TheChildMessageItself) {
  hop::v1::Child child;
  child.set_isikukood(kBert);
  Subjects s;
  CollectSubjects(child, s);
  EXPECT_EQ(s, Subjects({kBert}));
}

TEST(CollectSubjectsTest, RepeatedAndDeeplyNestedMessages) {
  // LookupResponse.local_cases[].child.isikukood and held[].summary.child_isikukood.
  hop::v1::LookupResponse resp;
  resp.add_local_cases()->mutable_child()->set_isikukood(kAnna);
  resp.add_local_cases()->mutable_child()->set_isikukood(kBert);
  resp.add_local_cases()->mutable_child()->set_isikukood(kAnna);  // duplicates collapse
  hop::v1::HeldSummary* held = resp.add_held();
  held->mutable_summary()->set_child_isikukood(kCarl);
  held->mutable_summary()->set_case_id("0172-C9");
  Subjects s;
  CollectSubjects(resp, s);
  EXPECT_EQ(s, Subjects({kAnna, kBert, kCarl}));
}

TEST(CollectSubjectsTest, GuardiansAndOtherIsikukoodFieldsAreNotSubjects) {
  hop::v1::GrantConsentRequest grant;
  grant.set_child_isikukood(kAnna);
  grant.set_granted_by(kGuardian);
  Subjects s;
  CollectSubjects(grant, s);
  EXPECT_EQ(s, Subjects({kAnna}));

  hop::v1::WithdrawConsentResponse withdrawn;
  hop::v1::Consent* c = withdrawn.add_withdrawn();
  c->set_child_isikukood(kBert);
  c->set_granted_by(kGuardian);
  c->set_withdrawn_by(kGuardian);
  s.clear();
  CollectSubjects(withdrawn, s);
  EXPECT_EQ(s, Subjects({kBert}));
}

// A message outside hop.v1 with an "isikukood" field (a guardian's, say): only hop.v1.Child's
// isikukood names a child. Built at run time, as no hop.v1 message other than Child has one.
TEST(CollectSubjectsTest, IsikukoodOfOtherMessagesIsNotASubject) {
  google::protobuf::FileDescriptorProto file;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(
      R"pb(
        name: "hoptest/guardian.proto"
        package: "hoptest"
        syntax: "proto3"
        message_type {
          name: "Guardian"
          field { name: "isikukood" number: 1 type: TYPE_STRING label: LABEL_OPTIONAL }
          field { name: "child_isikukood" number: 2 type: TYPE_STRING label: LABEL_OPTIONAL }
        }
        message_type {
          name: "Child"
          field { name: "isikukood" number: 1 type: TYPE_STRING label: LABEL_OPTIONAL }
        }
      )pb",
      &file));
  google::protobuf::DescriptorPool pool;
  const google::protobuf::FileDescriptor* fd = pool.BuildFile(file);
  ASSERT_NE(fd, nullptr);
  google::protobuf::DynamicMessageFactory factory(&pool);

  const google::protobuf::Descriptor* guardian_type = fd->FindMessageTypeByName("Guardian");
  std::unique_ptr<google::protobuf::Message> guardian(factory.GetPrototype(guardian_type)->New());
  guardian->GetReflection()->SetString(guardian.get(), guardian_type->FindFieldByName("isikukood"),
                                       kGuardian);
  guardian->GetReflection()->SetString(guardian.get(),
                                       guardian_type->FindFieldByName("child_isikukood"), kAnna);
  Subjects s;
  CollectSubjects(*guardian, s);
  EXPECT_EQ(s, Subjects({kAnna}));

  const google::protobuf::Descriptor* child_type = fd->FindMessageTypeByName("Child");
  std::unique_ptr<google::protobuf::Message> child(factory.GetPrototype(child_type)->New());
  child->GetReflection()->SetString(child.get(), child_type->FindFieldByName("isikukood"), kBert);
  s.clear();
  CollectSubjects(*child, s);
  EXPECT_TRUE(s.empty()) << "hoptest.Child is not hop.v1.Child";
}

TEST(CollectSubjectsTest, EmptyValuesAndUnrelatedMessagesAddNothing) {
  Subjects s;
  hop::v1::LookupRequest empty_lookup;
  empty_lookup.set_purpose("assessment");
  CollectSubjects(empty_lookup, s);
  hop::v1::OpenCaseRequest nameless;
  nameless.mutable_child()->set_name("no code yet");
  CollectSubjects(nameless, s);
  hop::v1::RemoveUserRequest user;
  user.set_user_id("mari");
  CollectSubjects(user, s);
  hop::v1::GetCaseRequest get;
  get.set_case_id("0171-C1");
  CollectSubjects(get, s);
  EXPECT_TRUE(s.empty()) << *s.begin();
}

TEST(CollectSubjectsTest, AddsToWhatIsAlreadyThere) {
  Subjects s = {kCarl};
  hop::v1::LookupRequest req;
  req.set_child_isikukood(kAnna);
  CollectSubjects(req, s);
  EXPECT_EQ(s, Subjects({kAnna, kCarl}));
}

// --- ObjectOf / PurposeOf --------------------------------------------------------------------

TEST(ObjectOfTest, FirstNonEmptyInPriorityOrder) {
  hop::v1::CaseSummary summary;  // has case_id, consent_id and child_isikukood
  summary.set_case_id("0171-C1");
  summary.set_consent_id("0171-K2");
  summary.set_child_isikukood(kAnna);
  EXPECT_EQ(ObjectOf(summary), "0171-C1");
  summary.clear_case_id();
  EXPECT_EQ(ObjectOf(summary), "0171-K2") << "consent_id before child_isikukood";
  summary.clear_consent_id();
  EXPECT_EQ(ObjectOf(summary), kAnna);
  summary.clear_child_isikukood();
  summary.set_origin("0171");  // not one of the named fields
  EXPECT_EQ(ObjectOf(summary), "");
}

TEST(ObjectOfTest, EachNamedField) {
  hop::v1::GetCaseRequest get;
  get.set_case_id("0171-C7");
  EXPECT_EQ(ObjectOf(get), "0171-C7");

  hop::v1::RemoveUserRequest remove;
  remove.set_user_id("mari");
  EXPECT_EQ(ObjectOf(remove), "mari");

  hop::v1::LookupRequest lookup;
  lookup.set_child_isikukood(kBert);
  lookup.set_purpose("assessment");
  EXPECT_EQ(ObjectOf(lookup), kBert);

  hop::v1::SyncNowRequest sync;
  sync.set_peer("0172");
  EXPECT_EQ(ObjectOf(sync), "0172");

  hop::v1::GrantConsentRequest grant;  // child_isikukood before the guardian
  grant.set_granted_by(kGuardian);
  grant.set_child_isikukood(kCarl);
  EXPECT_EQ(ObjectOf(grant), kCarl);
}

TEST(ObjectOfTest, OnlyTopLevelFields) {
  hop::v1::OpenCaseRequest open;
  open.mutable_child()->set_isikukood(kAnna);
  EXPECT_EQ(ObjectOf(open), "") << "the child's isikukood is nested, not a top-level field";

  hop::v1::HeldSummary held;
  held.mutable_summary()->set_case_id("0172-C1");
  EXPECT_EQ(ObjectOf(held), "");

  hop::v1::VerifyAuditRequest nothing;
  EXPECT_EQ(ObjectOf(nothing), "");
}

TEST(PurposeOfTest, TopLevelPurposeOrEmpty) {
  hop::v1::LookupRequest lookup;
  EXPECT_EQ(PurposeOf(lookup), "");
  lookup.set_purpose("assessment of support needs");
  EXPECT_EQ(PurposeOf(lookup), "assessment of support needs");

  hop::v1::GrantConsentRequest grant;
  grant.set_purpose("case summary to 0172");
  EXPECT_EQ(PurposeOf(grant), "case summary to 0172");

  hop::v1::GetCaseRequest get;  // no purpose field
  get.set_case_id("0171-C1");
  EXPECT_EQ(PurposeOf(get), "");

  hop::v1::ListConsentsResponse nested;  // purpose only inside Consent
  nested.add_consents()->set_purpose("nested");
  EXPECT_EQ(PurposeOf(nested), "");
}

}  // namespace
}  // namespace hop::audit
