#include "daemon/casework/consent_book.h"

#include <algorithm>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "daemon/audit/call_audit.h"
#include "daemon/base/status_macros.h"
#include "daemon/domain/consent.h"
#include "daemon/domain/fields.h"
#include "daemon/domain/isikukood.h"
#include "daemon/domain/limits.h"
#include "daemon/domain/municipalities.h"

namespace hop::casework {

absl::Status ConsentBook::CheckChildAccess(const domain::Actor& actor,
                                           const std::string& child) const {
  if (actor.role == hop::v1::ROLE_CASE_MANAGER || actor.role == hop::v1::ROLE_CHILD_PROTECTION) {
    return absl::OkStatus();
  }
  HOP_ASSIGN_OR_RETURN(std::vector<hop::v1::Case> cases, records_->CasesOfChild(child));
  for (const hop::v1::Case& c : cases) {
    if (domain::CanWorkOnCase(actor, c)) return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat(domain::RoleName(actor.role), " ", actor.user_id,
                   " may handle consents only for children with a case they work on"));
}

absl::StatusOr<hop::v1::Consent> ConsentBook::Grant(const domain::Actor& actor,
                                                    const hop::v1::GrantConsentRequest& req) {
  hop::v1::Consent c;
  c.set_origin(records_->municipality());
  c.set_child_isikukood(req.child_isikukood());
  c.set_granted_by(req.granted_by());
  *c.mutable_recipients() = req.recipients();
  *c.mutable_scopes() = req.scopes();
  HOP_ASSIGN_OR_RETURN(*c.mutable_purpose(),
                       domain::CleanText(req.purpose(), "purpose", domain::kLine));
  const int64_t now = records_->clock().NowUnix();
  c.set_valid_from(req.valid_from() == 0 ? now : req.valid_from());
  c.set_valid_until(req.valid_until());
  c.set_recorded_by(actor.user_id);
  HOP_RETURN_IF_ERROR(domain::CheckConsentLimits(c));
  HOP_RETURN_IF_ERROR(domain::ValidateConsent(c, records_->municipality(), now, policy_));
  HOP_ASSIGN_OR_RETURN(
      *c.mutable_evidence_ref(),
      domain::CleanText(req.evidence_ref(), "evidence_ref", domain::kOptionalLine));
  HOP_RETURN_IF_ERROR(CheckChildAccess(actor, req.child_isikukood()));
  HOP_RETURN_IF_ERROR(records_->Mutate([&](Mutation& m) {
    c.set_id(m.NewId(IdKind::kConsent));
    c.set_created_at(m.now());
    m.PutConsent(c);
    HOP_ASSIGN_OR_RETURN(std::vector<hop::v1::Consent> consents,
                         records_->ConsentsOfChild(c.child_isikukood()));
    consents.push_back(c);
    return feeds_->ConsentsChanged(m, c.child_isikukood(), consents);
  }));
  return c;
}

absl::StatusOr<hop::v1::WithdrawConsentResponse> ConsentBook::Withdraw(
    const domain::Actor& actor, const hop::v1::WithdrawConsentRequest& req) {
  HOP_RETURN_IF_ERROR(domain::CheckCount(req.recipients_size(), domain::kMaxRecipients,
                                         "recipients", "municipalities"));
  HOP_ASSIGN_OR_RETURN(const std::string evidence,
                       domain::ValidateWithdrawal(req.child_isikukood(), req.withdrawn_by(),
                                                  req.evidence_ref(), records_->clock().NowUnix()));
  for (int i = 0; i < req.recipients_size(); ++i) {
    HOP_RETURN_IF_ERROR(
        domain::ValidateMunicipalityCode(req.recipients(i), absl::StrCat("recipients[", i, "]")));
  }
  HOP_RETURN_IF_ERROR(CheckChildAccess(actor, req.child_isikukood()));
  const std::vector<std::string> recipients(req.recipients().begin(), req.recipients().end());
  if (audit::CallAudit* call = audit::ScopedCallAudit::Current(); call != nullptr) {
    call->entry.set_purpose(
        absl::StrCat("withdrawal by guardian ", req.withdrawn_by(), ", signed form ", evidence));
  }
  hop::v1::WithdrawConsentResponse response;
  HOP_RETURN_IF_ERROR(records_->Mutate([&](Mutation& m) -> absl::Status {
    HOP_ASSIGN_OR_RETURN(std::vector<hop::v1::Consent> consents,
                         records_->ConsentsOfChild(req.child_isikukood()));
    for (hop::v1::Consent& c : consents) {
      if (!domain::WithdrawalApplies(c, req.child_isikukood(), recipients)) continue;
      c.set_withdrawn_at(m.now());
      c.set_withdrawn_by(req.withdrawn_by());
      c.set_withdrawal_evidence_ref(evidence);
      m.PutConsent(c);
      *response.add_withdrawn() = c;
    }
    if (response.withdrawn().empty()) {
      return absl::NotFoundError(
          "no consent of this child that names those recipients is in force; nothing withdrawn");
    }
    for (const hop::v1::Consent& c : response.withdrawn()) {
      HOP_RETURN_IF_ERROR(feeds_->ConsentNotices(m, c));
    }
    return feeds_->ConsentsChanged(m, req.child_isikukood(), consents);
  }));
  return response;
}

absl::StatusOr<bool> ConsentBook::ReapplyWithdrawal(const std::string& consent_id,
                                                    int64_t withdrawn_at,
                                                    const std::string& evidence) {
  bool applied = false;
  HOP_RETURN_IF_ERROR(records_->Mutate([&](Mutation& m) -> absl::Status {
    HOP_ASSIGN_OR_RETURN(std::optional<hop::v1::Consent> found, records_->GetConsent(consent_id));
    if (!found.has_value() || found->withdrawn_at() != 0 || found->valid_until() <= m.now()) {
      return absl::OkStatus();  // unknown here, withdrawn already, or ended: nothing to do
    }
    HOP_ASSIGN_OR_RETURN(std::vector<hop::v1::Consent> consents,
                         records_->ConsentsOfChild(found->child_isikukood()));
    for (hop::v1::Consent& c : consents) {
      if (c.id() != consent_id) continue;
      // The original time (never in the future, whatever the notice says).
      c.set_withdrawn_at(std::clamp<int64_t>(withdrawn_at, 1, m.now()));
      c.set_withdrawn_by("");  // the guardian is on the signed form, not in the notice
      c.set_withdrawal_evidence_ref(evidence);
      m.PutConsent(c);
      HOP_RETURN_IF_ERROR(feeds_->ConsentNotices(m, c));
      applied = true;
    }
    if (!applied) return absl::OkStatus();
    return feeds_->ConsentsChanged(m, found->child_isikukood(), consents);
  }));
  return applied;
}

absl::StatusOr<hop::v1::ListConsentsResponse> ConsentBook::List(
    const domain::Actor& actor, const hop::v1::ListConsentsRequest& req) const {
  hop::v1::ListConsentsResponse response;
  const int64_t now = records_->clock().NowUnix();
  auto keep = [&](const hop::v1::Consent& c) {
    if (!req.active_only() || domain::ConsentActiveAt(c, now)) *response.add_consents() = c;
  };
  if (!req.child_isikukood().empty()) {
    HOP_RETURN_IF_ERROR(
        domain::ValidateBornBy(req.child_isikukood(), "child_isikukood", domain::EstonianToday(now))
            .status());
    HOP_RETURN_IF_ERROR(CheckChildAccess(actor, req.child_isikukood()));
    HOP_ASSIGN_OR_RETURN(std::vector<hop::v1::Consent> consents,
                         records_->ConsentsOfChild(req.child_isikukood()));
    for (const hop::v1::Consent& c : consents) keep(c);
    return response;
  }
  absl::Status access_error;
  HOP_RETURN_IF_ERROR(records_->ScanConsents([&](const hop::v1::Consent& c) {
    absl::Status access = CheckChildAccess(actor, c.child_isikukood());
    if (access.ok()) {
      keep(c);
    } else if (!absl::IsPermissionDenied(access)) {
      access_error = access;
      return false;
    }
    return true;
  }));
  HOP_RETURN_IF_ERROR(access_error);
  return response;
}

absl::StatusOr<int> ConsentBook::SweepConsentTimes() {
  hop::v1::AuditEntry audited;
  audited.set_actor("hopd");
  audited.set_actor_role("system");
  audited.set_actor_municipality(records_->municipality());
  audited.set_action("consent start or expiry applied to the peers' feeds");
  audit::ScopedCallAudit scope(std::move(audited));
  int swept = 0;
  HOP_RETURN_IF_ERROR(records_->Mutate([&](Mutation& m) -> absl::Status {
    int64_t after = 0;
    HOP_ASSIGN_OR_RETURN(std::optional<std::string> raw, records_->GetMeta(kConsentsSweptUntil));
    if (raw.has_value() && !absl::SimpleAtoi(*raw, &after)) {
      return absl::DataLossError(absl::StrCat("meta ", kConsentsSweptUntil, " is not a number"));
    }
    if (after >= m.now()) return absl::OkStatus();
    HOP_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                         records_->ConsentsChangingIn(after, m.now()));
    if (ids.empty()) return absl::OkStatus();  // nothing due: write nothing
    std::set<std::string> children;
    for (const std::string& id : ids) {
      HOP_ASSIGN_OR_RETURN(std::optional<hop::v1::Consent> c, records_->GetConsent(id));
      if (!c.has_value()) continue;
      children.insert(c->child_isikukood());
      HOP_RETURN_IF_ERROR(feeds_->ConsentNotices(m, *c));  // an ended consent's notices go
    }
    for (const std::string& child : children) {
      HOP_ASSIGN_OR_RETURN(std::vector<hop::v1::Consent> consents,
                           records_->ConsentsOfChild(child));
      HOP_RETURN_IF_ERROR(feeds_->ConsentsChanged(m, child, consents));
    }
    m.PutMeta(kConsentsSweptUntil, absl::StrCat(m.now()));
    swept = static_cast<int>(ids.size());
    return absl::OkStatus();
  }));
  return swept;
}

}  // namespace hop::casework
