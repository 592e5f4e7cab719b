#include "daemon/federation/consent_delivery.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "daemon/base/status_macros.h"
#include "daemon/federation/federation_service.h"

namespace hop::federation {

absl::StatusOr<hop::v1::RecipientDelivery> ConsentDelivery::Recipient(
    const std::string& peer, const std::vector<hop::v1::Case>& cases, const std::string& epoch,
    std::map<std::string, hop::v1::FeedProgress>& progress_of) const {
  auto known = progress_of.find(peer);
  if (known == progress_of.end()) {
    known = progress_of.emplace(peer, FederationService::Progress(*store_, peer)).first;
  }
  const hop::v1::FeedProgress& progress = known->second;
  const uint64_t pulled =
      progress.epoch() == epoch ? std::max(progress.acked_seq(), progress.served_seq()) : 0;
  int summaries = 0, summaries_pulled = 0, removals = 0, removals_pulled = 0;
  for (const hop::v1::Case& c : cases) {
    HOP_ASSIGN_OR_RETURN(std::optional<hop::v1::FeedEntry> entry,
                         records_->FeedEntryOf(peer, absl::StrCat("case/", c.id())));
    if (!entry.has_value()) continue;
    const bool is_pulled = entry->seq() <= pulled;
    if (entry->tombstone()) {
      ++removals;
      removals_pulled += is_pulled;
    } else {
      ++summaries;
      summaries_pulled += is_pulled;
    }
  }
  hop::v1::RecipientDelivery out;
  out.set_municipality(peer);
  out.set_last_pull(progress.last_pull());
  if (summaries > 0) {
    out.set_state(summaries_pulled == summaries ? hop::v1::DELIVERY_HOLDS
                                                : hop::v1::DELIVERY_PENDING);
  } else if (removals > 0) {
    out.set_state(removals_pulled == removals ? hop::v1::DELIVERY_REMOVED
                                              : hop::v1::DELIVERY_REMOVAL_PENDING);
  } else {
    out.set_state(hop::v1::DELIVERY_NOTHING);
  }
  return out;
}

absl::Status ConsentDelivery::Describe(hop::v1::ListConsentsResponse& response) const {
  const std::string epoch = records_->epoch();
  std::map<std::string, hop::v1::FeedProgress> progress_of;  // read once per recipient
  for (const hop::v1::Consent& consent : response.consents()) {
    HOP_ASSIGN_OR_RETURN(std::vector<hop::v1::Case> cases,
                         records_->CasesOfChild(consent.child_isikukood()));
    hop::v1::ConsentDelivery* delivery = response.add_deliveries();
    delivery->set_consent_id(consent.id());
    for (const std::string& peer : consent.recipients()) {
      HOP_ASSIGN_OR_RETURN(*delivery->add_recipients(), Recipient(peer, cases, epoch, progress_of));
    }
  }
  return absl::OkStatus();
}

}  // namespace hop::federation
