#include "daemon/api/casework_service.h"

#include "daemon/api/serve.h"
#include "daemon/base/status_macros.h"
#include "daemon/figures/suppression.h"

namespace hop::api {

namespace {
constexpr absl::string_view kService = "hop.v1.CaseWork";
}  // namespace

grpc::Status CaseWorkService::OpenCase(Ctx* ctx, const hop::v1::OpenCaseRequest* req,
                                       hop::v1::Case* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller& c) { return cases_->Open(c.actor(), *req); });
}

grpc::Status CaseWorkService::GetCase(Ctx* ctx, const hop::v1::GetCaseRequest* req,
                                      hop::v1::Case* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller& c) { return cases_->Get(c.actor(), req->case_id()); });
}

grpc::Status CaseWorkService::ListCases(Ctx* ctx, const hop::v1::ListCasesRequest* req,
                                        hop::v1::ListCasesResponse* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller& c) { return cases_->List(c.actor(), *req); });
}

grpc::Status CaseWorkService::Escalate(Ctx* ctx, const hop::v1::EscalateRequest* req,
                                       hop::v1::Case* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller& c) { return cases_->Escalate(c.actor(), *req); });
}

grpc::Status CaseWorkService::MoveToChildProtection(
    Ctx* ctx, const hop::v1::MoveToChildProtectionRequest* req, hop::v1::Case* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller& c) { return cases_->MoveToChildProtection(c.actor(), *req); });
}

grpc::Status CaseWorkService::Assign(Ctx* ctx, const hop::v1::AssignRequest* req,
                                     hop::v1::Case* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller& c) { return cases_->Assign(c.actor(), *req); });
}

grpc::Status CaseWorkService::AddNeeds(Ctx* ctx, const hop::v1::AddNeedsRequest* req,
                                       hop::v1::Case* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller& c) { return cases_->AddNeeds(c.actor(), *req); });
}

grpc::Status CaseWorkService::AddActionItem(Ctx* ctx, const hop::v1::AddActionItemRequest* req,
                                            hop::v1::Case* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller& c) { return cases_->AddActionItem(c.actor(), *req); });
}

grpc::Status CaseWorkService::AddService(Ctx* ctx, const hop::v1::AddServiceRequest* req,
                                         hop::v1::Case* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller& c) { return cases_->AddService(c.actor(), *req); });
}

grpc::Status CaseWorkService::AddAssessment(Ctx* ctx, const hop::v1::AddAssessmentRequest* req,
                                            hop::v1::Case* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller& c) { return cases_->AddAssessment(c.actor(), *req); });
}

grpc::Status CaseWorkService::AddNote(Ctx* ctx, const hop::v1::AddNoteRequest* req,
                                      hop::v1::Case* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller& c) { return cases_->AddNote(c.actor(), *req); });
}

grpc::Status CaseWorkService::SetRelatedMunicipalities(
    Ctx* ctx, const hop::v1::SetRelatedMunicipalitiesRequest* req, hop::v1::Case* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller& c) { return cases_->SetRelated(c.actor(), *req); });
}

grpc::Status CaseWorkService::CloseCase(Ctx* ctx, const hop::v1::CloseCaseRequest* req,
                                        hop::v1::Case* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller& c) { return cases_->Close(c.actor(), *req); });
}

grpc::Status CaseWorkService::CountCases(Ctx* ctx, const hop::v1::CountCasesRequest* req,
                                         hop::v1::CountCasesResponse* resp) {
  return Serve(
      *authorizer_, ctx, kService, __func__, *req, resp,
      [&]([[maybe_unused]] const Caller& c) -> absl::StatusOr<hop::v1::CountCasesResponse> {
        HOP_ASSIGN_OR_RETURN(hop::v1::CountCasesResponse raw, cases_->Count());
        return figures::SuppressCounts(std::move(raw));  // for every caller
      });
}

grpc::Status CaseWorkService::GrantConsent(Ctx* ctx, const hop::v1::GrantConsentRequest* req,
                                           hop::v1::Consent* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller& c) { return consents_->Grant(c.actor(), *req); });
}

grpc::Status CaseWorkService::WithdrawConsent(Ctx* ctx, const hop::v1::WithdrawConsentRequest* req,
                                              hop::v1::WithdrawConsentResponse* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller& c) { return consents_->Withdraw(c.actor(), *req); });
}

grpc::Status CaseWorkService::ListConsents(Ctx* ctx, const hop::v1::ListConsentsRequest* req,
                                           hop::v1::ListConsentsResponse* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller& c) -> absl::StatusOr<hop::v1::ListConsentsResponse> {
                 HOP_ASSIGN_OR_RETURN(auto listed, consents_->List(c.actor(), *req));
                 if (req->with_delivery()) HOP_RETURN_IF_ERROR(delivery_->Describe(listed));
                 return listed;
               });
}

grpc::Status CaseWorkService::PutInstitution(Ctx* ctx, const hop::v1::PutInstitutionRequest* req,
                                             hop::v1::Institution* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp, [&](const Caller& c) {
    return directory_->PutInstitution(c.actor(), req->institution());
  });
}

grpc::Status CaseWorkService::PutContact(Ctx* ctx, const hop::v1::PutContactRequest* req,
                                         hop::v1::Contact* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller& c) { return directory_->PutContact(c.actor(), req->contact()); });
}

grpc::Status CaseWorkService::SearchDirectory(Ctx* ctx, const hop::v1::SearchDirectoryRequest* req,
                                              hop::v1::SearchDirectoryResponse* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&]([[maybe_unused]] const Caller& c) { return directory_->Search(*req); });
}

grpc::Status CaseWorkService::Lookup(Ctx* ctx, const hop::v1::LookupRequest* req,
                                     hop::v1::LookupResponse* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller& c) -> absl::StatusOr<hop::v1::LookupResponse> {
                 HOP_RETURN_IF_ERROR(cases_->CheckChild(req->child_isikukood(), "child_isikukood"));
                 return lookup_->Lookup(c.actor(), *req, audit::ScopedCallAudit::Current());
               });
}

grpc::Status CaseWorkService::QueryPeers(Ctx* ctx, const hop::v1::QueryPeersRequest* req,
                                         hop::v1::QueryPeersResponse* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller& c) -> absl::StatusOr<hop::v1::QueryPeersResponse> {
                 HOP_RETURN_IF_ERROR(cases_->CheckChild(req->child_isikukood(), "child_isikukood"));
                 absl::StatusOr<hop::v1::QueryPeersResponse> r =
                     peer_query_->Ask(c.actor(), c.principal.spiffe_id, *req);
                 if (r.ok()) {
                   audit::ScopedCallAudit::Current()->entry.set_outcome(
                       absl::StrCat("ok; ", federation::DescribeAnswers(*r)));
                 }
                 return r;
               });
}

grpc::Status CaseWorkService::ListInbox(Ctx* ctx, const hop::v1::ListInboxRequest* req,
                                        hop::v1::ListInboxResponse* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller& c) -> absl::StatusOr<hop::v1::ListInboxResponse> {
                 absl::StatusOr<std::vector<hop::v1::InboxEntry>> entries =
                     inbox_->List(c.actor().user_id, req->include_acknowledged());
                 if (!entries.ok()) return entries.status();
                 hop::v1::ListInboxResponse r;
                 for (hop::v1::InboxEntry& e : *entries) *r.add_entries() = std::move(e);
                 return r;
               });
}

grpc::Status CaseWorkService::AckInbox(Ctx* ctx, const hop::v1::AckInboxRequest* req,
                                       hop::v1::AckInboxResponse* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller& c) -> absl::StatusOr<hop::v1::AckInboxResponse> {
                 if (req->ids().empty() && !req->all()) {
                   return absl::InvalidArgumentError(
                       "ids: name the entries to acknowledge, or ask for all of them");
                 }
                 std::vector<std::string> ids(req->ids().begin(), req->ids().end());
                 absl::StatusOr<uint32_t> n =
                     inbox_->Acknowledge(c.actor().user_id, ids, req->all());
                 if (!n.ok()) return n.status();
                 hop::v1::AckInboxResponse r;
                 r.set_acknowledged(*n);
                 return r;
               });
}

// County figures (issue 13).

grpc::Status CaseWorkService::CountyFigures(Ctx* ctx, const hop::v1::CountyFiguresRequest* req,
                                            hop::v1::CountyFiguresResponse* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp, [&](const Caller& c) {
    return county_figures_->Ask(c.principal.spiffe_id, c.actor().role, *req);
  });
}

// Issue 13: transitions inside the municipality (helper C).
grpc::Status CaseWorkService::ChangeInstitution(Ctx* ctx,
                                                const hop::v1::ChangeInstitutionRequest* req,
                                                hop::v1::Case* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller& c) { return cases_->ChangeInstitution(c.actor(), *req); });
}

// Issue 13: case work, complete; directory retirement.

grpc::Status CaseWorkService::EndService(Ctx* ctx, const hop::v1::EndServiceRequest* req,
                                         hop::v1::Case* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller& c) { return cases_->EndService(c.actor(), *req); });
}

grpc::Status CaseWorkService::CompleteActionItem(Ctx* ctx,
                                                 const hop::v1::CompleteActionItemRequest* req,
                                                 hop::v1::Case* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller& c) { return cases_->CompleteActionItem(c.actor(), *req); });
}

grpc::Status CaseWorkService::ReopenCase(Ctx* ctx, const hop::v1::ReopenCaseRequest* req,
                                         hop::v1::Case* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller& c) { return cases_->Reopen(c.actor(), *req); });
}

// The entry reveals child-protection involvement even once the case has left the track.
grpc::Status CaseWorkService::LeaveChildProtection(Ctx* ctx,
                                                   const hop::v1::LeaveChildProtectionRequest* req,
                                                   hop::v1::Case* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp, [&](const Caller& c) {
    audit::ScopedCallAudit::Current()->entry.set_child_protection(true);
    return cases_->LeaveChildProtection(c.actor(), *req);
  });
}

// The audit entry names the entry retired and keeps the reason (as its purpose).
grpc::Status CaseWorkService::RetireInstitution(Ctx* ctx,
                                                const hop::v1::RetireInstitutionRequest* req,
                                                hop::v1::Institution* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp, [&](const Caller& c) {
    audit::ScopedCallAudit::Current()->entry.set_object(req->institution_id());
    audit::ScopedCallAudit::Current()->entry.set_purpose(req->reason());
    return directory_->RetireInstitution(c.actor(), *req);
  });
}

grpc::Status CaseWorkService::RetireContact(Ctx* ctx, const hop::v1::RetireContactRequest* req,
                                            hop::v1::Contact* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp, [&](const Caller& c) {
    audit::ScopedCallAudit::Current()->entry.set_object(req->contact_id());
    audit::ScopedCallAudit::Current()->entry.set_purpose(req->reason());
    return directory_->RetireContact(c.actor(), *req);
  });
}

}  // namespace hop::api
