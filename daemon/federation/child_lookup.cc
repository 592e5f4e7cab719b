#include "daemon/federation/child_lookup.h"

#include <openssl/rand.h>

#include <map>
#include <set>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "daemon/base/log.h"
#include "daemon/base/status_macros.h"
#include "daemon/domain/fields.h"
#include "daemon/domain/isikukood.h"
#include "daemon/ops/metrics.h"
#include "daemon/security/identity.h"

namespace hop::federation {
namespace {

// 32 random hex digits: unique at this node also after a restore from a backup (a counter
// would repeat ids the owner has already seen, and those receipts would be taken as retries).
absl::StatusOr<std::string> NewReceiptId() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    return absl::InternalError("cannot make a receipt id: no randomness");
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
}

}  // namespace

absl::StatusOr<hop::v1::LookupResponse> ChildLookup::Lookup(const domain::Actor& actor,
                                                            const hop::v1::LookupRequest& request,
                                                            audit::CallAudit* call) const {
  HOP_RETURN_IF_ERROR(domain::ValidateIsikukood(request.child_isikukood(), "child_isikukood"));
  HOP_RETURN_IF_ERROR(domain::ValidateRequiredText(request.purpose(), "purpose"));
  hop::v1::LookupResponse response;
  hop::v1::ListCasesRequest local;
  local.set_child_isikukood(request.child_isikukood());
  local.set_limit(1000);
  HOP_ASSIGN_OR_RETURN(hop::v1::ListCasesResponse cases, cases_->List(actor, local));
  *response.mutable_local_cases() = std::move(*cases.mutable_cases());

  std::map<std::string, int64_t> synced_at;  // origin -> last successful sync
  for (const hop::v1::PeerSyncState& peer : puller_->States()) {
    synced_at[peer.municipality()] = peer.checkpoint().last_success();
  }
  HOP_RETURN_IF_ERROR(replicas_->ChildSummaries(
      request.child_isikukood(), clock_->NowUnix(), [&](const hop::v1::Replica& r) {
        const hop::v1::CaseSummary& s = r.entry().case_summary();
        if (!domain::CanSeeHeldSummary(actor, s.basis())) return;
        hop::v1::HeldSummary* held = response.add_held();
        *held->mutable_summary() = s;
        held->set_received_at(r.received_at());
        held->set_origin_synced_at(synced_at[s.origin()]);
      }));
  if (!response.held().empty()) {
    HOP_RETURN_IF_ERROR(RecordWithReceipts(actor, request, response, call));
  }
  return response;
}

absl::Status ChildLookup::RecordWithReceipts(const domain::Actor& actor,
                                             const hop::v1::LookupRequest& request,
                                             const hop::v1::LookupResponse& response,
                                             audit::CallAudit* call) const {
  hop::v1::AuditEntry entry;
  if (call != nullptr) {
    entry = call->entry;
  } else {
    entry.set_actor(security::StaffSpiffeId(receipts_.municipality, actor.user_id));
    entry.set_actor_role(domain::RoleName(actor.role));
    entry.set_actor_municipality(receipts_.municipality);
    entry.set_action("CaseWork.Lookup");
    entry.set_purpose(request.purpose());
  }
  const int64_t now = clock_->NowUnix();
  std::map<std::string, std::vector<hop::v1::LookupReceipt>> receipts;
  for (const hop::v1::HeldSummary& held : response.held()) {
    const hop::v1::CaseSummary& s = held.summary();
    hop::v1::LookupReceipt r;
    HOP_ASSIGN_OR_RETURN(std::string id, NewReceiptId());
    r.set_id(std::move(id));
    r.set_case_id(s.case_id());
    r.set_asker(entry.actor());
    r.set_asker_role(actor.role);
    r.set_asker_municipality(receipts_.municipality);
    r.set_looked_up_at(now);
    r.set_purpose(request.purpose());
    r.set_basis(s.basis());
    receipts[s.origin()].push_back(std::move(r));
  }
  std::set<std::string> subjects;
  audit::CollectSubjects(request, subjects);
  audit::CollectSubjects(response, subjects);
  for (const std::string& s : subjects) entry.add_subjects(s);
  entry.set_child_protection(entry.child_protection() || audit::RevealsChildProtection(response));
  entry.set_outcome(absl::StrCat("ok; ", response.local_cases_size(), " cases here, ",
                                 response.held_size(), " copies held (receipts to their owners)"));
  store::WriteBatch batch = receipts_.store->NewBatch();
  absl::Status written = receipts_.outbox->Commit(
      batch, receipts, [&](store::WriteBatch& b) { return receipts_.audit->Commit(b, {entry}); });
  if (absl::IsResourceExhausted(written)) {
    ops::Registry::Default().Count("hop_receipts_outbox_refusals_total", {});
    LogError("federation", "look-up refused: the receipts outbox is full",
             {{"pending", absl::StrCat(receipts_.outbox->pending())}});
    return written;
  }
  if (!written.ok()) return audit::ReadNotRecorded(written);
  if (call != nullptr) ++call->changes_recorded;
  if (receipts_.queued) {
    for (const auto& [origin, list] : receipts) receipts_.queued(origin);
  }
  return absl::OkStatus();
}

}  // namespace hop::federation
