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
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "hop/v1/records.pb.h"

namespace hop::domain {

// True iff `c` is active at Unix time `t`.
bool ConsentActiveAt(const hop::v1::Consent& c, int64_t t);

// True iff `c` is active at `t`, names `recipient` and includes `scope`.
bool ConsentCovers(const hop::v1::Consent& c, absl::string_view recipient,
                   hop::v1::ConsentScope scope, int64_t t);

// Validates a consent about to be recorded by node `own_municipality` at time `now`.
// InvalidArgument naming the field for: invalid child_isikukood or granted_by (isikukood
// rules), granted_by equal to the child (a minor cannot consent for themself), no recipients,
// unknown or duplicate recipient code, the own municipality as recipient, no scopes or an
// unspecified scope, empty purpose, valid_until <= valid_from, valid_until <= now.
absl::Status ValidateConsent(const hop::v1::Consent& c, absl::string_view own_municipality,
                             int64_t now);

// True iff a withdrawal for `recipients` (empty = all) applies to consent `c`: same child,
// not already withdrawn, and `c` names at least one of `recipients` (or recipients is empty).
bool WithdrawalApplies(const hop::v1::Consent& c, absl::string_view child_isikukood,
                       absl::Span<const std::string> recipients);

}  // namespace hop::domain

#endif  // HOP_DAEMON_DOMAIN_CONSENT_H_
