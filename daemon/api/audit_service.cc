#include "daemon/api/audit_service.h"

#include "daemon/api/serve.h"
#include "daemon/base/status_macros.h"
#include "daemon/domain/access.h"
#include "daemon/domain/isikukood.h"

namespace hop::api {
namespace {

constexpr absl::string_view kService = "hop.v1.Audit";

}  // namespace

grpc::Status AuditService::Verify(Ctx* ctx, const hop::v1::VerifyAuditRequest* req,
                                  hop::v1::VerifyAuditResponse* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller&) -> absl::StatusOr<hop::v1::VerifyAuditResponse> {
                 HOP_ASSIGN_OR_RETURN(hop::v1::VerifyAuditResponse r, log_->Verify());
                 if (r.intact() && witnesses_ != nullptr) witnesses_->Check(r);
                 return r;
               });
}

grpc::Status AuditService::Subject(Ctx* ctx, const hop::v1::SubjectReportRequest* req,
                                   hop::v1::SubjectReportResponse* resp) {
  return Serve(
      *authorizer_, ctx, kService, __func__, *req, resp,
      [&](const Caller& c) -> absl::StatusOr<hop::v1::SubjectReportResponse> {
        HOP_RETURN_IF_ERROR(domain::ValidateIsikukood(req->child_isikukood(), "child_isikukood"));
        HOP_ASSIGN_OR_RETURN(std::vector<hop::v1::AuditEntry> entries,
                             log_->OfSubject(req->child_isikukood()));
        hop::v1::SubjectReportResponse report;
        for (hop::v1::AuditEntry& e : entries) {
          // Child-protection entries to child-protection specialists only; nothing says
          // that any were left out (that alone would reveal them).
          if (!domain::CanSeeReportEntry(c.actor().role, e.child_protection())) continue;
          // The other children an entry names are not this family's business.
          e.clear_subjects();
          e.add_subjects(req->child_isikukood());
          *report.add_entries() = std::move(e);
        }
        return report;
      });
}

}  // namespace hop::api
