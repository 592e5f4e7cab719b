// Estonian personal identification code (isikukood): 11 digits GYYMMDDSSSC.
//   G: sex and century (1/2: 1800s, 3/4: 1900s, 5/6: 2000s; odd = male, even = female),
//   YYMMDD: birth date (must be a real calendar date), SSS: serial, C: check digit
//   (weights 1 2 3 4 5 6 7 8 9 1, mod 11; if 10, weights 3 4 5 6 7 8 9 1 2 3, mod 11; if 10
//   again, 0).
// Pure functions, thread-safe, no allocation beyond the returned status message.
#ifndef HOP_DAEMON_DOMAIN_ISIKUKOOD_H_
#define HOP_DAEMON_DOMAIN_ISIKUKOOD_H_

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

// The check digit for the first 10 digits of a code; -1 unless given exactly 10 ASCII digits.
int IsikukoodCheckDigit(absl::string_view first_ten_digits);

}  // namespace hop::domain

#endif  // HOP_DAEMON_DOMAIN_ISIKUKOOD_H_
