// hop.v1.Audit on the staff port: chain verification (admins, ops; the local chain, then the
// heads the peers witnessed) and the family's access
// report for one child (case managers, child-protection specialists; entries marked
// child_protection to child-protection specialists only, domain::CanSeeReportEntry). Reading
// the report is itself audited (it names the child). Thread-safe; borrowed pointers must outlive
// the service.
#ifndef HOP_DAEMON_API_AUDIT_SERVICE_H_
#define HOP_DAEMON_API_AUDIT_SERVICE_H_

#include "daemon/api/authorizer.h"
#include "daemon/audit/audit_log.h"
#include "daemon/federation/witness_check.h"
#include "hop/v1/audit.grpc.pb.h"

namespace hop::api {

class AuditService final : public hop::v1::Audit::Service {
 public:
  // `witnesses` (may be null) checks an intact chain against the heads the peers witnessed.
  AuditService(const Authorizer* authorizer, const audit::AuditLog* log,
               const federation::WitnessCheck* witnesses)
      : authorizer_(authorizer), log_(log), witnesses_(witnesses) {}

  using Ctx = grpc::ServerContext;
  grpc::Status Verify(Ctx*, const hop::v1::VerifyAuditRequest*,
                      hop::v1::VerifyAuditResponse*) override;
  grpc::Status Subject(Ctx*, const hop::v1::SubjectReportRequest*,
                       hop::v1::SubjectReportResponse*) override;

 private:
  const Authorizer* const authorizer_;
  const audit::AuditLog* const log_;
  const federation::WitnessCheck* const witnesses_;
};

}  // namespace hop::api

#endif  // HOP_DAEMON_API_AUDIT_SERVICE_H_
