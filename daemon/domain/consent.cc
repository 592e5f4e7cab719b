#include "daemon/domain/consent.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "daemon/base/status_macros.h"
#include "daemon/domain/fields.h"
#include "daemon/domain/isikukood.h"
#include "daemon/domain/municipalities.h"

namespace hop::domain {
namespace {

using hop::v1::ConsentScope;

constexpr char kScopesExpected[] =
    "expected case-summary (1), responsible-contact (2), service-history (3) or "
    "school-readiness-card (4)";

bool IsKnownScope(int scope) {
  return scope == hop::v1::SCOPE_CASE_SUMMARY || scope == hop::v1::SCOPE_RESPONSIBLE_CONTACT ||
         scope == hop::v1::SCOPE_SERVICE_HISTORY || scope == hop::v1::SCOPE_SCHOOL_READINESS_CARD;
}

// "1735689600 (2025-01-01T00:00:00Z)": Unix seconds as stored, plus a readable UTC time.
std::string Time(int64_t t) {
  return absl::StrCat(
      t, " (",
      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(t), absl::UTCTimeZone()), ")");
}

bool Names(const hop::v1::Consent& c, absl::string_view recipient) {
  return std::find(c.recipients().begin(), c.recipients().end(), recipient) != c.recipients().end();
}

absl::Status Invalid(absl::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", what));
}

}  // namespace

bool ConsentActiveAt(const hop::v1::Consent& c, int64_t t) {
  if (t < c.valid_from() || t >= c.valid_until()) return false;
  return c.withdrawn_at() == 0 || t < c.withdrawn_at();
}

bool ConsentCovers(const hop::v1::Consent& c, absl::string_view recipient, ConsentScope scope,
                   int64_t t) {
  if (!IsKnownScope(scope) || !ConsentActiveAt(c, t) || !Names(c, recipient)) return false;
  return std::find(c.scopes().begin(), c.scopes().end(), scope) != c.scopes().end();
}

absl::Status ValidateConsent(const hop::v1::Consent& c, absl::string_view own_municipality,
                             int64_t now) {
  HOP_RETURN_IF_ERROR(ValidateIsikukood(c.child_isikukood(), "child_isikukood"));
  HOP_RETURN_IF_ERROR(ValidateIsikukood(c.granted_by(), "granted_by"));
  if (c.granted_by() == c.child_isikukood()) {
    return Invalid("granted_by",
                   "is the child's own isikukood; a minor cannot consent for themself, expected "
                   "the isikukood of the child's legal representative");
  }

  if (c.recipients().empty()) {
    return Invalid("recipients", "is empty; expected at least one municipality code (EHAK)");
  }
  for (int i = 0; i < c.recipients_size(); ++i) {
    const std::string field = absl::StrCat("recipients[", i, "]");
    const std::string& code = c.recipients(i);
    HOP_RETURN_IF_ERROR(ValidateMunicipalityCode(code, field));
    if (code == own_municipality) {
      return Invalid(field, absl::StrCat(code,
                                         " is this node's own municipality; expected "
                                         "another municipality that may receive data"));
    }
    for (int j = 0; j < i; ++j) {
      if (c.recipients(j) == code) {
        return Invalid(field,
                       absl::StrCat("duplicate municipality code ", code, " (also recipients[", j,
                                    "]); expected each recipient once"));
      }
    }
  }

  if (c.scopes().empty()) {
    return Invalid("scopes", absl::StrCat("is empty; ", kScopesExpected));
  }
  for (int i = 0; i < c.scopes_size(); ++i) {
    const int scope = c.scopes(i);
    if (!IsKnownScope(scope)) {
      const std::string what = scope == hop::v1::SCOPE_UNSPECIFIED
                                   ? std::string("is unspecified")
                                   : absl::StrCat(scope, " is not a consent scope");
      return Invalid(absl::StrCat("scopes[", i, "]"), absl::StrCat(what, "; ", kScopesExpected));
    }
  }

  HOP_RETURN_IF_ERROR(ValidateRequiredText(c.purpose(), "purpose"));

  if (c.valid_until() <= c.valid_from()) {
    return Invalid("valid_until",
                   absl::StrCat(Time(c.valid_until()), " is not after valid_from ",
                                Time(c.valid_from()), "; expected valid_from < valid_until"));
  }
  if (c.valid_until() <= now) {
    return Invalid("valid_until",
                   absl::StrCat(Time(c.valid_until()), " is not in the future (now is ", Time(now),
                                "); expected a later expiry"));
  }
  return absl::OkStatus();
}

bool WithdrawalApplies(const hop::v1::Consent& c, absl::string_view child_isikukood,
                       absl::Span<const std::string> recipients) {
  if (c.child_isikukood() != child_isikukood || c.withdrawn_at() != 0) return false;
  if (recipients.empty()) return true;
  return std::any_of(recipients.begin(), recipients.end(),
                     [&](const std::string& r) { return Names(c, r); });
}

}  // namespace hop::domain
