#include "daemon/federation/withdrawal_handback.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "daemon/audit/call_audit.h"
#include "daemon/base/log.h"
#include "daemon/base/status_macros.h"
#include "daemon/domain/limits.h"
#include "daemon/feed/withdrawal_notice.h"
#include "daemon/ops/metrics.h"

namespace hop::federation {
namespace {

constexpr size_t kReasonsAudited = 5;  // refusal reasons quoted in one audit entry

}  // namespace

void WithdrawalHandback::Audit(const std::string& peer, const std::string& object,
                               const std::string& outcome) {
  if (audit_ == nullptr) return;
  hop::v1::AuditEntry entry =
      audit::PeerNodeEntry(peer, "Federation.Pull: withdrawal notices handed back", object);
  entry.set_outcome(outcome);
  if (absl::Status s = audit_->Record({std::move(entry)}); !s.ok()) {
    LogError("audit", "cannot write an audit entry", {{"error", std::string(s.message())}});
  }
}

absl::StatusOr<bool> WithdrawalHandback::Reapply(const std::string& peer,
                                                 const hop::v1::WithdrawalNotice& n) {
  const std::string evidence = absl::StrCat("withdrawal notice handed back by ", peer);
  hop::v1::AuditEntry base = audit::PeerNodeEntry(
      peer, "Federation.Pull: consent withdrawal re-applied after a restore", n.consent_id());
  base.set_purpose(evidence);
  audit::ScopedCallAudit scope(std::move(base));
  return consents_->ReapplyWithdrawal(n.consent_id(), n.withdrawn_at(), evidence);
}

absl::StatusOr<WithdrawalHandback::Outcome> WithdrawalHandback::Receive(
    const std::string& peer, const hop::v1::PullRequest& request) {
  Outcome outcome;
  if (!request.has_withdrawals()) {
    outcome.ask = !request.epoch().empty() && request.epoch() != records_->epoch();
    return outcome;
  }
  const hop::v1::WithdrawalHandback& handback = request.withdrawals();
  if (absl::Status limits = feed::CheckHandbackLimits(handback); !limits.ok()) {
    LogWarning("federation", "withdrawal handback refused",
               {{"peer", peer}, {"error", std::string(limits.message())}});
    Audit(peer, "withdrawal handback", absl::StrCat("refused: ", limits.message()));
    ops::Registry::Default().Count("hop_withdrawal_notices_refused_total", {{"peer", peer}},
                                   static_cast<double>(handback.notices_size()));
    return limits;
  }
  std::vector<std::string> reasons;
  for (const hop::v1::WithdrawalNotice& n : handback.notices()) {
    absl::Status genuine = feed::VerifyHandedBack(*secret_, records_->municipality(), peer, n);
    if (!genuine.ok()) {
      ++outcome.refused;
      LogWarning("federation", "handed-back withdrawal notice refused",
                 {{"peer", peer}, {"reason", std::string(genuine.message())}});
      if (reasons.size() < kReasonsAudited) reasons.emplace_back(genuine.message());
      continue;
    }
    HOP_ASSIGN_OR_RETURN(bool reapplied, Reapply(peer, n));
    if (reapplied) {
      ++outcome.reapplied;
      LogWarning("federation", "consent withdrawn again from a handed-back notice",
                 {{"peer", peer}, {"consent", n.consent_id()}});
    }
  }
  if (outcome.refused > 0) {
    Audit(peer, absl::StrCat(handback.notices_size(), " withdrawal notices"),
          absl::StrCat("refused ", outcome.refused, ": ", absl::StrJoin(reasons, "; ")));
    ops::Registry::Default().Count("hop_withdrawal_notices_refused_total", {{"peer", peer}},
                                   static_cast<double>(outcome.refused));
  }
  if (outcome.reapplied > 0) {
    ops::Registry::Default().Count("hop_withdrawals_reapplied_total", {{"peer", peer}},
                                   static_cast<double>(outcome.reapplied));
  }
  outcome.ask = handback.more();
  return outcome;
}

absl::StatusOr<hop::v1::WithdrawalHandback> NextHandback(const ReplicaStore& replicas,
                                                         const std::string& origin,
                                                         std::string* after_key) {
  hop::v1::WithdrawalHandback handback;
  bool more = false;
  HOP_ASSIGN_OR_RETURN(std::vector<hop::v1::FeedEntry> held,
                       replicas.WithdrawalNotices(origin, *after_key, domain::kMaxHandbackNotices,
                                                  domain::kMaxHandbackBytes, &more));
  for (hop::v1::FeedEntry& e : held) {
    *after_key = e.record_key();
    *handback.add_notices() = std::move(*e.mutable_withdrawal_notice());
  }
  handback.set_more(more);
  return handback;
}

absl::StatusOr<bool> IsHandbackRequest(const std::string& origin,
                                       absl::Span<const hop::v1::PullBatch> batches,
                                       bool applied_before, bool asked_before) {
  bool asks = asked_before;
  for (const hop::v1::PullBatch& batch : batches) asks |= batch.hand_back_withdrawals();
  if (!asks) return false;
  if (batches.size() != 1 || applied_before || asked_before || batches[0].entries_size() != 0 ||
      batches[0].origin() != origin) {
    return absl::FailedPreconditionError(
        absl::StrCat("peer ", origin, " asked for withdrawal notices in a malformed answer"));
  }
  return true;
}

}  // namespace hop::federation
