// Consent rules (nõusolek). A consent names a child, the guardian who gave it, recipient
// municipalities, data scopes, a purpose, and a validity window [valid_from, valid_until).
// It is active at time t iff valid_from <= t < valid_until and it was not withdrawn at or
// before t. Any guardian's withdrawal wins (see WithdrawalApplies).
// Pure functions; thread-safe.
#ifndef HOP_DAEMON_DOMAIN_CONSENT_H_
#define HOP_DAEMON_DOMAIN_CONSENT_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "hop/v1/config.pb.h"
#include "hop/v1/records.pb.h"

namespace hop::domain {

// True iff `c` is active at Unix time `t`.
bool ConsentActiveAt(const hop::v1::Consent& c, int64_t t);

// True iff `c` is active at `t`, names `recipient` and includes `scope`.
bool ConsentCovers(const hop::v1::Consent& c, absl::string_view recipient,
                   hop::v1::ConsentScope scope, int64_t t);

// The node's rules on consent validity, from NodeConfig.consent_rules.
inline constexpr int kDefaultMaxValidityYears = 3;
inline constexpr int kDefaultMaxBackdateDays = 30;
struct ConsentPolicy {
  // valid_until is at most this many years after valid_from (one school stage by default:
  // the family signs again for the next one).
  int max_validity_years = kDefaultMaxValidityYears;
  // valid_from is at most this many days before the time of recording (the signed form may
  // reach the office some days after it was signed).
  int max_backdate_days = kDefaultMaxBackdateDays;
};

// The policy of `rules` (validated by daemon/config), 0 fields taking the defaults above.
ConsentPolicy ConsentPolicyFromConfig(const hop::v1::ConsentRules& rules);

// Validates a consent about to be recorded by node `own_municipality` at Unix time `now`.
// InvalidArgument naming the field for:
//  - child_isikukood invalid or born after today (EstonianToday(now));
//  - granted_by invalid, the child, or under 18 today (a guardian is an adult);
//  - no recipients, an unknown or duplicate recipient code, the own municipality;
//  - no scopes or an unspecified scope; a purpose that ValidateRequiredText refuses;
//  - valid_from before the child's birth or more than policy.max_backdate_days before now;
//  - valid_until <= valid_from, valid_until <= now, after the start of the child's 18th
//    birthday, or more than policy.max_validity_years after valid_from.
// Estonian dates are compared leniently across summer and winter time (by at most an hour).
absl::Status ValidateConsent(const hop::v1::Consent& c, absl::string_view own_municipality,
                             int64_t now, const ConsentPolicy& policy = {});

// Validates a withdrawal recorded at `now`: child_isikukood valid and born by today,
// withdrawn_by a valid isikukood of an adult (18 or older today) who is not the child, and an
// evidence reference (the signed form) that CleanText accepts as a required line. Returns the
// cleaned evidence reference to store; InvalidArgument naming the field otherwise.
absl::StatusOr<std::string> ValidateWithdrawal(absl::string_view child_isikukood,
                                               absl::string_view withdrawn_by,
                                               absl::string_view evidence_ref, int64_t now);

// True iff a withdrawal for `recipients` (empty = all) applies to consent `c`: same child,
// not already withdrawn, and `c` names at least one of `recipients` (or recipients is empty).
bool WithdrawalApplies(const hop::v1::Consent& c, absl::string_view child_isikukood,
                       absl::Span<const std::string> recipients);

}  // namespace hop::domain

#endif  // HOP_DAEMON_DOMAIN_CONSENT_H_
