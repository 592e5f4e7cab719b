// hop.v1.Audit on the staff port: chain verification (admins, ops) and the family's access
// report for one child (case managers, child-protection specialists). Reading the report is
// itself audited (it names the child). Thread-safe; borrowed pointers must outlive the service.
#ifndef HOP_DAEMON_API_AUDIT_SERVICE_H_
#define HOP_DAEMON_API_AUDIT_SERVICE_H_

#include "daemon/api/authorizer.h"
#include "daemon/audit/audit_log.h"
#include "hop/v1/audit.grpc.pb.h"

namespace hop::api {

class AuditService final : public hop::v1::Audit::Service {
 public:
  AuditService(const Authorizer* authorizer, const audit::AuditLog* log)
      : authorizer_(authorizer), log_(log) {}

  using Ctx = grpc::ServerContext;
  grpc::Status Verify(Ctx*, const hop::v1::VerifyAuditRequest*,
                      hop::v1::VerifyAuditResponse*) override;
  grpc::Status Subject(Ctx*, const hop::v1::SubjectReportRequest*,
                       hop::v1::SubjectReportResponse*) override;

 private:
  const Authorizer* const authorizer_;
  const audit::AuditLog* const log_;
};

}  // namespace hop::api

#endif  // HOP_DAEMON_API_AUDIT_SERVICE_H_
