// What crosses between municipalities is minimal by construction (issue 11): a real owner
// (hopd 0793 over mTLS on loopback) holds a case with everything a case can hold (free-text
// notes, reasons, assessments, a transport/payment note, the child's name) and a
// child-protection case; this test, speaking as the peer 0171, pulls the whole feed and asks a
// live question, then decodes every message it got and walks every string field by
// reflection. Each one must be on the list below as a code, an id, a date, a directory
// contact or the responsible person; a string field that is not on it (a new field added
// later) or a value that does not have its field's shape fails the test.
#include <time.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "daemon/domain/code_lists.h"
#include "daemon/domain/isikukood.h"
#include "daemon/domain/municipalities.h"
#include "daemon/security/identity.h"
#include "daemon/security/tls_credentials.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/reflection.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "hop/v1/casework.grpc.pb.h"
#include "hop/v1/federation.grpc.pb.h"
#include "tests/support/harness.h"

namespace hop {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using ::hop::testing::CertPaths;
using ::hop::testing::NodeFixture;
using ::hop::testing::NodeOptions;

constexpr char kChild[] = "61604150239";
constexpr char kChildName[] = "Rasmus Näidis";
constexpr char kCpChild[] = "51503120275";
constexpr char kCpChildName[] = "Marten Näidis";
constexpr char kGuardian[] = "37605030299";
// Free text entered at the owner: none of it may cross.
const char* const kLocalText[] = {"falls behind after the divorce",
                                  "mother phoned on Friday",
                                  "reads at grade 1 level",
                                  "Kambja pays the taxi",
                                  "suspected violence at home",
                                  "coordinate with Kambja",
                                  "consent form TL-77"};

bool AllDigits(absl::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return absl::ascii_isdigit(c); });
}

// The shapes a string field may have on the wire, by field.
using Shape = std::function<bool(absl::string_view)>;
const Shape kEhak = [](absl::string_view v) {
  return domain::ValidateMunicipalityCode(v, "x").ok();
};
const Shape kId = [](absl::string_view v) { return domain::IsDirectoryIdShaped(v); };
const Shape kIsikukood = [](absl::string_view v) { return domain::ValidateIsikukood(v).ok(); };
const Shape kCode = [](absl::string_view v) { return domain::IsCodeShaped(v); };
const Shape kOptionalCode = [](absl::string_view v) {
  return v.empty() || domain::IsCodeShaped(v);
};
const Shape kOptionalId = [](absl::string_view v) {
  return v.empty() || domain::IsDirectoryIdShaped(v);
};
const Shape kDate = [](absl::string_view v) {
  return v.empty() || (v.size() == 10 && v[4] == '-' && v[7] == '-');
};
const Shape kEpoch = [](absl::string_view v) {
  return std::all_of(v.begin(), v.end(), [](char c) { return absl::ascii_isxdigit(c); });
};
const Shape kRecordKey = [](absl::string_view v) {
  for (absl::string_view kind : {"case/", "institution/", "contact/", "withdrawal/"}) {
    if (absl::StartsWith(v, kind)) return true;
  }
  return false;
};
// Directory entries and the responsible person: what the owner publishes on purpose.
const Shape kPublished = [](absl::string_view) { return true; };

const std::map<std::string, Shape>& Allowed() {
  static const auto* allowed = new std::map<std::string, Shape>{
      {"hop.v1.PullBatch.origin", kEhak},
      {"hop.v1.PullBatch.epoch", kEpoch},
      {"hop.v1.FeedEntry.record_key", kRecordKey},
      {"hop.v1.CaseSummary.case_id", kId},
      {"hop.v1.CaseSummary.origin", kEhak},
      {"hop.v1.CaseSummary.child_isikukood", kIsikukood},
      {"hop.v1.CaseSummary.need_areas", kCode},
      {"hop.v1.CaseSummary.consent_id", kOptionalId},
      {"hop.v1.ServiceSummary.type", kCode},
      {"hop.v1.ServiceSummary.provider", kOptionalId},
      {"hop.v1.ServiceSummary.municipality", kEhak},
      {"hop.v1.ServiceSummary.start_date", kDate},
      {"hop.v1.ServiceSummary.end_date", kDate},
      {"hop.v1.ServiceSummary.outcome", kOptionalCode},
      {"hop.v1.ResponsibleContact.name", kPublished},
      {"hop.v1.ResponsibleContact.role", kPublished},
      {"hop.v1.ResponsibleContact.municipality", kEhak},
      {"hop.v1.ResponsibleContact.phone", kPublished},
      {"hop.v1.ResponsibleContact.email", kPublished},
      {"hop.v1.Institution.id", kId},
      {"hop.v1.Institution.name", kPublished},
      {"hop.v1.Institution.municipality", kEhak},
      {"hop.v1.Contact.id", kId},
      {"hop.v1.Contact.institution_id", kId},
      {"hop.v1.Contact.name", kPublished},
      {"hop.v1.Contact.role", kPublished},
      {"hop.v1.Contact.phone", kPublished},
      {"hop.v1.Contact.email", kPublished},
      {"hop.v1.Contact.topics", kCode},
      {"hop.v1.Contact.municipality", kEhak},
      {"hop.v1.ChildQueryAnswer.origin", kEhak},
      {"hop.v1.WithdrawalNotice.consent_id", kId},
  };
  return *allowed;
}

// Every string field set in `m` (recursively) checked against Allowed(); the problems found.
void Walk(const Message& m, const std::string& path, std::vector<std::string>& problems) {
  const google::protobuf::Reflection* r = m.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    const std::string at = absl::StrCat(path, ".", f->name());
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(m, f); ++i) {
          Walk(r->GetRepeatedMessage(m, f, i), absl::StrCat(at, "[", i, "]"), problems);
        }
      } else {
        Walk(r->GetMessage(m, f), at, problems);
      }
      continue;
    }
    if (f->type() != FieldDescriptor::TYPE_STRING) continue;  // bytes are hashes and digests
    auto allowed = Allowed().find(f->full_name());
    std::vector<std::string> values;
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(m, f); ++i) values.push_back(r->GetRepeatedString(m, f, i));
    } else {
      values.push_back(r->GetString(m, f));
    }
    for (const std::string& v : values) {
      if (allowed == Allowed().end()) {
        problems.push_back(absl::StrCat(at, " (", f->full_name(), ") = \"", v,
                                        "\": a string field that is not a code, an id, a date, "
                                        "a directory contact or the responsible person"));
      } else if (!allowed->second(v)) {
        problems.push_back(absl::StrCat(at, " = \"", v, "\" does not have its field's shape"));
      }
    }
  }
}

class WireMinimalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    NodeOptions options;
    options.ehak = "0793";
    options.extra_config = "peers { municipality: \"0171\" address: \"127.0.0.1:1\" }\n";
    absl::StatusOr<std::unique_ptr<NodeFixture>> node = NodeFixture::Start(options);
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = *std::move(node);
    absl::StatusOr<CertPaths> peer = node_->pki().IssueNode("0171");
    ASSERT_TRUE(peer.ok()) << peer.status();
    peer_ = *peer;
    for (auto [user, role] : {std::pair{"cm", "case-manager"}, {"cp", "child-protection"}}) {
      ASSERT_EQ(node_
                    ->Hopctl("admin", {"user", "add", user, "--role", role, "--name",
                                       absl::StrCat("Tiina ", user), "--phone", "+372 5550 7931",
                                       "--email", absl::StrCat(user, "@tartu.example.ee")})
                    .exit_code,
                0);
    }
  }

  std::unique_ptr<hop::v1::CaseWork::Stub> Staff(const std::string& user) {
    CertPaths cert = node_->Staff(user);
    auto creds = security::MakeChannelCredentials({node_->pki().ca_cert(), cert.cert, cert.key},
                                                  security::NodeSpiffeId("0793"));
    EXPECT_TRUE(creds.ok()) << creds.status();
    return hop::v1::CaseWork::NewStub(grpc::CreateChannel(node_->api_address(), *creds));
  }
  std::unique_ptr<hop::v1::Federation::Stub> AsPeer() {
    auto creds = security::MakeChannelCredentials({node_->pki().ca_cert(), peer_.cert, peer_.key},
                                                  security::NodeSpiffeId("0793"));
    EXPECT_TRUE(creds.ok()) << creds.status();
    return hop::v1::Federation::NewStub(grpc::CreateChannel(node_->federation_address(), *creds));
  }
  template <typename Stub, typename Method, typename Request, typename Response>
  void Call(Stub& stub, Method method, const Request& request, Response* response) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    grpc::Status s = (stub.*method)(&ctx, request, response);
    ASSERT_TRUE(s.ok()) << request.GetTypeName() << ": " << s.error_message();
  }

  std::unique_ptr<NodeFixture> node_;
  CertPaths peer_;
};

TEST_F(WireMinimalTest, EveryStringThatCrossesIsACodeAnIdADateOrAPublishedContact) {
  auto cm = Staff("cm");
  auto cp = Staff("cp");
  using CW = hop::v1::CaseWork::Stub;
  hop::v1::Institution school;
  hop::v1::PutInstitutionRequest put;
  put.mutable_institution()->set_name("Tartu Kesklinna Kool");
  put.mutable_institution()->set_kind(hop::v1::INSTITUTION_SCHOOL);
  put.mutable_institution()->set_ownership(hop::v1::OWNERSHIP_MUNICIPAL);
  Call(*cm, &CW::PutInstitution, put, &school);
  hop::v1::PutContactRequest contact;
  contact.mutable_contact()->set_institution_id(school.id());
  contact.mutable_contact()->set_name("Kati Kask");
  contact.mutable_contact()->set_role("HEVKO");
  contact.mutable_contact()->set_email("kati@kool.example.ee");
  contact.mutable_contact()->add_topics("learning-support");
  hop::v1::Contact put_contact;
  Call(*cm, &CW::PutContact, contact, &put_contact);

  // A consented case with every field a case can hold.
  hop::v1::OpenCaseRequest open;
  open.mutable_child()->set_isikukood(kChild);
  open.mutable_child()->set_name(kChildName);
  open.set_level(hop::v1::LEVEL_SCHOOL);
  open.set_institution_id(school.id());
  open.add_need_areas("reading");
  open.add_need_areas("emotional");
  open.set_reason(kLocalText[0]);
  hop::v1::Case c;
  Call(*cm, &CW::OpenCase, open, &c);
  hop::v1::AddNoteRequest note;
  note.set_case_id(c.id());
  note.set_text(kLocalText[1]);
  Call(*cm, &CW::AddNote, note, &c);
  hop::v1::AddAssessmentRequest assess;
  assess.set_case_id(c.id());
  assess.mutable_assessment()->set_date("2026-11-02");
  assess.mutable_assessment()->set_conclusion(kLocalText[2]);
  Call(*cm, &CW::AddAssessment, assess, &c);
  hop::v1::AddServiceRequest service;
  service.set_case_id(c.id());
  service.mutable_service()->set_type("speech-therapy");
  service.mutable_service()->set_provider(school.id());
  service.mutable_service()->set_municipality("0171");
  service.mutable_service()->set_start_date("2026-10-01");
  service.mutable_service()->set_outcome("improved");
  service.mutable_service()->set_transport_payment_note(kLocalText[3]);
  Call(*cm, &CW::AddService, service, &c);
  hop::v1::AssignRequest assign;
  assign.set_case_id(c.id());
  assign.set_case_manager("cm");
  Call(*cm, &CW::Assign, assign, &c);
  hop::v1::GrantConsentRequest grant;
  grant.set_child_isikukood(kChild);
  grant.set_granted_by(kGuardian);
  grant.add_recipients("0171");
  for (auto scope : {hop::v1::SCOPE_CASE_SUMMARY, hop::v1::SCOPE_RESPONSIBLE_CONTACT,
                     hop::v1::SCOPE_SERVICE_HISTORY}) {
    grant.add_scopes(scope);
  }
  grant.set_purpose(kLocalText[5]);
  grant.set_evidence_ref(kLocalText[6]);
  grant.set_valid_until(time(nullptr) + 300 * 86400);
  hop::v1::Consent consent;
  Call(*cm, &CW::GrantConsent, grant, &consent);

  // A child-protection case related to 0171 (shared without consent: the fact only).
  open.mutable_child()->set_isikukood(kCpChild);
  open.mutable_child()->set_name(kCpChildName);
  hop::v1::Case cp_case;
  Call(*cm, &CW::OpenCase, open, &cp_case);
  hop::v1::SetRelatedMunicipalitiesRequest relate;
  relate.set_case_id(cp_case.id());
  relate.mutable_related()->set_registered_residence("0171");
  Call(*cm, &CW::SetRelatedMunicipalities, relate, &cp_case);
  hop::v1::MoveToChildProtectionRequest protect;
  protect.set_case_id(cp_case.id());
  protect.set_reason(kLocalText[4]);
  Call(*cp, &CW::MoveToChildProtection, protect, &cp_case);

  // Everything 0171 is sent: the whole feed, and live answers about both children.
  auto peer = AsPeer();
  std::vector<std::unique_ptr<Message>> received;
  {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    auto reader = peer->Pull(&ctx, hop::v1::PullRequest());
    auto batch = std::make_unique<hop::v1::PullBatch>();
    while (reader->Read(batch.get())) {
      received.push_back(std::move(batch));
      batch = std::make_unique<hop::v1::PullBatch>();
    }
    grpc::Status s = reader->Finish();
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  for (auto [child, role] : {std::pair{kChild, hop::v1::ROLE_CASE_MANAGER},
                             {kCpChild, hop::v1::ROLE_CHILD_PROTECTION}}) {
    hop::v1::ChildQuery q;
    q.set_child_isikukood(child);
    q.set_purpose("new pupil: earlier support?");
    q.set_asker(security::StaffSpiffeId("0171", "elle"));
    q.set_asker_role(role);
    auto answer = std::make_unique<hop::v1::ChildQueryAnswer>();
    Call(*peer, &hop::v1::Federation::Stub::Query, q, answer.get());
    EXPECT_EQ(answer->summaries_size(), 1) << child;
    received.push_back(std::move(answer));
  }

  int summaries = 0, services = 0;
  std::vector<std::string> problems;
  for (const auto& m : received) {
    Walk(*m, m->GetDescriptor()->name(), problems);
    const std::string wire = m->SerializeAsString();
    for (const char* text : kLocalText) {
      EXPECT_FALSE(absl::StrContains(wire, text)) << "\"" << text << "\" crossed";
    }
    for (const char* name : {kChildName, kCpChildName}) {
      EXPECT_FALSE(absl::StrContains(wire, name)) << "the child's name crossed";
    }
    if (const auto* b = dynamic_cast<const hop::v1::PullBatch*>(m.get())) {
      for (const hop::v1::FeedEntry& e : b->entries()) {
        summaries += e.has_case_summary();
        if (e.has_case_summary()) services += e.case_summary().services_size();
      }
    }
  }
  for (const std::string& p : problems) ADD_FAILURE() << p;
  EXPECT_EQ(summaries, 2) << "the consented summary and the child-protection fact";
  EXPECT_EQ(services, 1) << "the service crossed, as codes";
}

}  // namespace
}  // namespace hop
