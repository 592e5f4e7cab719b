#include "daemon/casework/retention.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "daemon/audit/call_audit.h"
#include "daemon/base/log.h"
#include "daemon/base/status_macros.h"

namespace hop::casework {

absl::Status Retention::IndexClosedCases() {
  HOP_ASSIGN_OR_RETURN(std::optional<std::string> done, records_->GetMeta(kClosedCasesIndexed));
  if (done.has_value()) return absl::OkStatus();
  std::vector<hop::v1::Case> closed;
  HOP_RETURN_IF_ERROR(records_->ScanCases("", [&](const hop::v1::Case& c) {
    if (c.status() == hop::v1::CASE_CLOSED) closed.push_back(c);
    return true;
  }));
  return records_->Mutate([&](Mutation& m) {
    for (const hop::v1::Case& c : closed) m.IndexClosedCase(c);
    m.PutMeta(kClosedCasesIndexed, "1");
    return absl::OkStatus();
  });
}

absl::StatusOr<bool> Retention::Purge(const std::string& case_id, int64_t cutoff) {
  hop::v1::AuditEntry audited;
  audited.set_actor("hopd");
  audited.set_actor_role("system");
  audited.set_actor_municipality(records_->municipality());
  audited.set_action("case purged after retention");
  audited.set_object(case_id);
  audited.set_purpose(
      absl::StrCat("retention.closed_case_days: ", closed_case_days_, " days after closing"));
  audit::ScopedCallAudit scope(std::move(audited));
  bool purged = false;
  HOP_RETURN_IF_ERROR(records_->Mutate([&](Mutation& m) -> absl::Status {
    HOP_ASSIGN_OR_RETURN(std::optional<hop::v1::Case> c, records_->GetCase(case_id));
    if (!c.has_value() || c->status() != hop::v1::CASE_CLOSED || c->updated_at() > cutoff) {
      return absl::OkStatus();  // gone already, or not due (nothing is written)
    }
    // Closed: no peer may see it; any peer still holding a summary gets a tombstone.
    HOP_RETURN_IF_ERROR(feeds_->CaseChanged(m, *c, {}));
    m.DeleteCase(*c);
    HOP_ASSIGN_OR_RETURN(std::vector<hop::v1::Case> siblings,
                         records_->CasesOfChild(c->child().isikukood()));
    bool last_case = true;
    for (const hop::v1::Case& other : siblings) last_case &= other.id() == c->id();
    if (last_case) {
      HOP_ASSIGN_OR_RETURN(std::vector<hop::v1::Consent> consents,
                           records_->ConsentsOfChild(c->child().isikukood()));
      for (const hop::v1::Consent& consent : consents) m.DeleteConsent(consent);
    }
    HOP_RETURN_IF_ERROR(inbox_->ForgetCase(m.batch(), c->id()).status());
    purged = true;
    return absl::OkStatus();
  }));
  return purged;
}

absl::StatusOr<int> Retention::Sweep() {
  if (closed_case_days_ == 0) return 0;
  HOP_RETURN_IF_ERROR(IndexClosedCases());
  const int64_t cutoff = records_->clock().NowUnix() - int64_t{closed_case_days_} * 86400;
  HOP_ASSIGN_OR_RETURN(std::vector<std::string> due, records_->CasesClosedBy(cutoff));
  int purged = 0;
  for (const std::string& id : due) {
    if (purged == kMaxPurgesPerSweep) break;
    HOP_ASSIGN_OR_RETURN(bool done, Purge(id, cutoff));
    if (!done) continue;
    ++purged;
    LogInfo("retention", "closed case purged after retention", {{"case", id}});
  }
  return purged;
}

}  // namespace hop::casework
