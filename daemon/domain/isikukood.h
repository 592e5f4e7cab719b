// Estonian personal identification code (isikukood): 11 digits GYYMMDDSSSC.
//   G: sex and century (1/2: 1800s, 3/4: 1900s, 5/6: 2000s; odd = male, even = female),
//   YYMMDD: birth date (must be a real calendar date), SSS: serial, C: check digit
//   (weights 1 2 3 4 5 6 7 8 9 1, mod 11; if 10, weights 3 4 5 6 7 8 9 1 2 3, mod 11; if 10
//   again, 0).
// Pure functions, thread-safe, no allocation beyond the returned status message.
#ifndef HOP_DAEMON_DOMAIN_ISIKUKOOD_H_
#define HOP_DAEMON_DOMAIN_ISIKUKOOD_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace hop::domain {

// Returns OK if `code` is a valid isikukood. Otherwise InvalidArgument whose message starts with
// `field` and says what is wrong and what is expected, e.g.
//   "child.isikukood: check digit is 1, expected 9 (11 digits, e.g. 37605030299)".
absl::Status ValidateIsikukood(absl::string_view code, absl::string_view field = "isikukood");

// The birth date encoded in a valid code; InvalidArgument (as above) if the code is invalid.
absl::StatusOr<absl::CivilDay> IsikukoodBirthDate(absl::string_view code);

// Legal age (täisealisus): a guardian acting for a child is at least this old; a consent
// ends at the child's birthday of this age.
inline constexpr int kAdultAge = 18;

// The date in Estonia at Unix time `now`, taken at UTC+3 (summer time). It is never behind the
// local date, so a child born today (local time) is never taken as born in the future.
absl::CivilDay EstonianToday(int64_t now);

// The day a person born on `birth` turns `years` old. Someone born on 29 February turns a year
// older on 28 February of a common year (the month's last day, as Estonian law ends a term
// whose date the month lacks).
absl::CivilDay BirthdayAt(absl::CivilDay birth, int years);

// Completed years of age on `day` (negative before birth): 18 on the 18th birthday itself.
int AgeOn(absl::CivilDay birth, absl::CivilDay day);

// The birth date of a valid `code` that is not after `today`. InvalidArgument naming `field`:
// as ValidateIsikukood, or for a birth date after today, e.g. "child.isikukood: the birth date
// in the code (digits 2-7) is 2099-01-01, after today 2026-12-02; expected the code of a
// child already born".
absl::StatusOr<absl::CivilDay> ValidateBornBy(absl::string_view code, absl::string_view field,
                                              absl::CivilDay today);

// As ValidateBornBy, and the person is at least kAdultAge years old on `day` (a guardian
// acting for a child); InvalidArgument naming `field`, the birth date and the age otherwise.
absl::StatusOr<absl::CivilDay> ValidateAdultOn(absl::string_view code, absl::string_view field,
                                               absl::CivilDay day);

// The check digit for the first 10 digits of a code; -1 unless given exactly 10 ASCII digits.
int IsikukoodCheckDigit(absl::string_view first_ten_digits);

}  // namespace hop::domain

#endif  // HOP_DAEMON_DOMAIN_ISIKUKOOD_H_
