// Validation of plain field values shared by every record. Each function returns OK or
// InvalidArgument whose message starts with `field` and names what is expected.
// Pure, thread-safe.
#ifndef HOP_DAEMON_DOMAIN_FIELDS_H_
#define HOP_DAEMON_DOMAIN_FIELDS_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace hop::domain {

// Upper bound on any free-text field (names, reasons, notes, purposes), in bytes.
inline constexpr size_t kMaxTextBytes = 4096;

// Upper bound on the purpose of a cross-municipal read (it travels and is audited at both ends).
inline constexpr size_t kMaxPurposeBytes = 500;

// Non-empty after trimming ASCII white space, valid UTF-8, at most kMaxTextBytes.
absl::Status ValidateRequiredText(absl::string_view value, absl::string_view field);
// As ValidateRequiredText, at most kMaxPurposeBytes.
absl::Status ValidatePurpose(absl::string_view value, absl::string_view field);
// Empty, or as ValidateRequiredText.
absl::Status ValidateOptionalText(absl::string_view value, absl::string_view field);
// A real calendar date "YYYY-MM-DD" with 1900 <= YYYY <= 2200.
absl::Status ValidateDate(absl::string_view value, absl::string_view field);
// Empty, or as ValidateDate.
absl::Status ValidateOptionalDate(absl::string_view value, absl::string_view field);
// Both valid dates (end may be empty = ongoing) and start <= end.
absl::Status ValidatePeriod(absl::string_view start, absl::string_view end,
                            absl::string_view field);
// local@domain.tld, no spaces, at most 254 bytes.
absl::Status ValidateEmail(absl::string_view value, absl::string_view field);
// Optional leading '+', then 5..20 digits; spaces and '-' between digits are allowed.
absl::Status ValidatePhone(absl::string_view value, absl::string_view field);

}  // namespace hop::domain

#endif  // HOP_DAEMON_DOMAIN_FIELDS_H_
