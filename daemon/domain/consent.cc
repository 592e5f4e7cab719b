#include "daemon/domain/consent.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
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

ConsentPolicy ConsentPolicyFromConfig(const hop::v1::ConsentRules& rules) {
  ConsentPolicy policy;
  if (rules.max_validity_years() != 0) {
    policy.max_validity_years = static_cast<int>(rules.max_validity_years());
  }
  if (rules.max_backdate_days() != 0) {
    policy.max_backdate_days = static_cast<int>(rules.max_backdate_days());
  }
  return policy;
}

namespace {

// The Unix time at which `day` starts at UTC+`hours`. Estonia is at UTC+2 in winter and UTC+3
// in summer: +3 gives the earliest start of an Estonian day, +2 the latest.
int64_t DayStart(absl::CivilDay day, int hours) {
  return absl::ToUnixSeconds(absl::FromCivil(day, absl::FixedTimeZone(hours * 3600)));
}

absl::Status ValidateRecipientsAndScopes(const hop::v1::Consent& c,
                                         absl::string_view own_municipality) {
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
  return absl::OkStatus();
}

// valid_from and valid_until of a consent for a child born on `birth`, recorded at `now`.
absl::Status ValidateValidity(const hop::v1::Consent& c, absl::CivilDay birth, int64_t now,
                              const ConsentPolicy& policy) {
  const int64_t from = c.valid_from(), until = c.valid_until();
  if (until <= from) {
    return Invalid("valid_until", absl::StrCat(Time(until), " is not after valid_from ", Time(from),
                                               "; expected valid_from < valid_until"));
  }
  if (until <= now) {
    return Invalid("valid_until", absl::StrCat(Time(until), " is not in the future (now is ",
                                               Time(now), "); expected a later expiry"));
  }
  if (from < DayStart(birth, 3)) {
    return Invalid("valid_from",
                   absl::StrCat(Time(from), " is before the child's birth on ",
                                absl::FormatCivilTime(birth), "; expected a later start"));
  }
  const int64_t earliest = now - int64_t{policy.max_backdate_days} * 86400;
  if (from < earliest) {
    return Invalid("valid_from",
                   absl::StrCat(Time(from), " is more than ", policy.max_backdate_days,
                                " days before now (", Time(now), "); expected ", Time(earliest),
                                " or later (consent_rules.max_backdate_days)"));
  }
  const absl::CivilDay adult = BirthdayAt(birth, kAdultAge);
  if (until > DayStart(adult, 2)) {
    return Invalid("valid_until",
                   absl::StrCat(Time(until), " is after the child's 18th birthday on ",
                                absl::FormatCivilTime(adult),
                                "; expected that day or earlier: a consent ends when the child "
                                "comes of age"));
  }
  const absl::CivilSecond start =
      absl::ToCivilSecond(absl::FromUnixSeconds(from), absl::UTCTimeZone());
  const absl::CivilSecond last(start.year() + policy.max_validity_years, start.month(), start.day(),
                               start.hour(), start.minute(), start.second());
  const int64_t latest = absl::ToUnixSeconds(absl::FromCivil(last, absl::UTCTimeZone()));
  if (until > latest) {
    return Invalid("valid_until",
                   absl::StrCat(Time(until), " is more than ", policy.max_validity_years,
                                " years after valid_from ", Time(from), "; expected ", Time(latest),
                                " or earlier (consent_rules.max_validity_years)"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateConsent(const hop::v1::Consent& c, absl::string_view own_municipality,
                             int64_t now, const ConsentPolicy& policy) {
  const absl::CivilDay today = EstonianToday(now);
  HOP_ASSIGN_OR_RETURN(const absl::CivilDay birth,
                       ValidateBornBy(c.child_isikukood(), "child_isikukood", today));
  HOP_RETURN_IF_ERROR(ValidateIsikukood(c.granted_by(), "granted_by"));
  if (c.granted_by() == c.child_isikukood()) {
    return Invalid("granted_by",
                   "is the child's own isikukood; a minor cannot consent for themself, expected "
                   "the isikukood of the child's legal representative");
  }
  HOP_RETURN_IF_ERROR(ValidateAdultOn(c.granted_by(), "granted_by", today).status());
  HOP_RETURN_IF_ERROR(ValidateRecipientsAndScopes(c, own_municipality));
  HOP_RETURN_IF_ERROR(ValidateRequiredText(c.purpose(), "purpose"));
  return ValidateValidity(c, birth, now, policy);
}

absl::StatusOr<std::string> ValidateWithdrawal(absl::string_view child_isikukood,
                                               absl::string_view withdrawn_by,
                                               absl::string_view evidence_ref, int64_t now) {
  const absl::CivilDay today = EstonianToday(now);
  HOP_RETURN_IF_ERROR(ValidateBornBy(child_isikukood, "child_isikukood", today).status());
  HOP_RETURN_IF_ERROR(ValidateIsikukood(withdrawn_by, "withdrawn_by"));
  if (withdrawn_by == child_isikukood) {
    return Invalid("withdrawn_by",
                   "is the child's own isikukood; expected the isikukood of a parent or legal "
                   "representative");
  }
  HOP_RETURN_IF_ERROR(ValidateAdultOn(withdrawn_by, "withdrawn_by", today).status());
  if (evidence_ref.empty()) {
    return Invalid("evidence_ref",
                   "is empty; expected the reference of the signed withdrawal form (e.g. its "
                   "document register number)");
  }
  return CleanText(evidence_ref, "evidence_ref", kLine);
}

bool WithdrawalApplies(const hop::v1::Consent& c, absl::string_view child_isikukood,
                       absl::Span<const std::string> recipients) {
  if (c.child_isikukood() != child_isikukood || c.withdrawn_at() != 0) return false;
  if (recipients.empty()) return true;
  return std::any_of(recipients.begin(), recipients.end(),
                     [&](const std::string& r) { return Names(c, r); });
}

}  // namespace hop::domain
