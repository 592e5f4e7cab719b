// Consent operations (nõusolekud): record a guardian's consent, withdraw (any guardian's
// withdrawal wins: every consent for the child naming the given recipients is withdrawn,
// whoever granted it), list. Case managers and child-protection specialists work with any
// child; institution coordinators only with children who have a case they can see.
// Errors: InvalidArgument naming the field, PermissionDenied, NotFound (nothing to withdraw).
// Thread-safe.
#ifndef HOP_DAEMON_CASEWORK_CONSENT_BOOK_H_
#define HOP_DAEMON_CASEWORK_CONSENT_BOOK_H_

#include "absl/status/statusor.h"
#include "daemon/casework/feed_writer.h"
#include "daemon/casework/record_store.h"
#include "daemon/domain/access.h"
#include "daemon/domain/consent.h"
#include "hop/v1/casework.pb.h"

namespace hop::casework {

class ConsentBook {
 public:
  // `records` and `feeds` must outlive the ConsentBook. `policy` comes from the node's
  // configuration (domain::ConsentPolicyFromConfig(config.consent_rules())).
  ConsentBook(RecordStore* records, const FeedWriter* feeds, domain::ConsentPolicy policy = {})
      : records_(records), feeds_(feeds), policy_(policy) {}

  // Grant: domain::ValidateConsent's rules; purpose and evidence_ref are stored cleaned
  // (domain::CleanText). Withdraw: domain::ValidateWithdrawal's rules (an adult guardian who
  // is not the child, an evidence reference); both are recorded on every withdrawn consent
  // (withdrawn_by, withdrawal_evidence_ref) and in the call's audit entry (purpose).
  // List: a child_isikukood filter must be a valid code of a child already born.

  absl::StatusOr<hop::v1::Consent> Grant(const domain::Actor& actor,
                                         const hop::v1::GrantConsentRequest& request);
  absl::StatusOr<hop::v1::WithdrawConsentResponse> Withdraw(
      const domain::Actor& actor, const hop::v1::WithdrawConsentRequest& request);
  absl::StatusOr<hop::v1::ListConsentsResponse> List(
      const domain::Actor& actor, const hop::v1::ListConsentsRequest& request) const;

  // A withdrawal this node made before it was restored from a backup, handed back by a peer
  // (federation/withdrawal_handback.h, token already verified): withdraws consent
  // `consent_id` again, at `withdrawn_at` (clamped to now), with `evidence` as its withdrawal
  // evidence, through the same feed path as Withdraw (tombstones and withdrawal notices to
  // every recipient), audited with the call in progress (the handing peer). Returns false,
  // writing nothing, when the consent is unknown here, withdrawn already or no longer valid.
  absl::StatusOr<bool> ReapplyWithdrawal(const std::string& consent_id, int64_t withdrawn_at,
                                         const std::string& evidence);

  // The owner's expiry sweeper: recomputes the peers' feeds of every child with a consent
  // that started or stopped counting since the last sweep (expiry yields tombstones, also of
  // the consent's withdrawal notices), in one mutation; returns how many consents. Cheap
  // when nothing is due.
  absl::StatusOr<int> SweepConsentTimes();

 private:
  // OK if `actor` may handle consents of this child.
  absl::Status CheckChildAccess(const domain::Actor& actor, const std::string& child) const;

  RecordStore* const records_;
  const FeedWriter* const feeds_;
  const domain::ConsentPolicy policy_;
};

}  // namespace hop::casework

#endif  // HOP_DAEMON_CASEWORK_CONSENT_BOOK_H_
