#include "daemon/federation/child_lookup.h"

#include <map>

#include "daemon/base/status_macros.h"
#include "daemon/domain/fields.h"
#include "daemon/domain/isikukood.h"

namespace hop::federation {

absl::StatusOr<hop::v1::LookupResponse> ChildLookup::Lookup(
    const domain::Actor& actor, const hop::v1::LookupRequest& request) const {
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
  return response;
}

}  // namespace hop::federation
