// Validation of plain field values shared by every record. Each function returns OK or
// InvalidArgument whose message starts with `field` and names what is expected.
// Pure, thread-safe.
#ifndef HOP_DAEMON_DOMAIN_FIELDS_H_
#define HOP_DAEMON_DOMAIN_FIELDS_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hop::domain {

// Upper bound on any free-text field (names, reasons, notes, purposes), in bytes.
inline constexpr size_t kMaxTextBytes = 4096;

// Upper bound on the purpose of a cross-municipal read (it travels and is audited at both ends).
inline constexpr size_t kMaxPurposeBytes = 500;

// How a free-text field may be laid out.
enum class TextShape {
  // One line (names, roles, topics, purposes, service types, references, ...): no control
  // character at all, not even a tab or a line break.
  kLine,
  // Several lines (notes, reasons, descriptions, conclusions): line feed (LF) and tab are
  // allowed; CR LF is stored as LF; any other control character is refused.
  kMultiLine,
};

// What CleanText accepts. Use the constants below.
struct TextRule {
  TextShape shape = TextShape::kLine;
  bool required = true;  // false: the empty string is accepted (and stored as empty)
  size_t max_bytes = kMaxTextBytes;
};
inline constexpr TextRule kLine{TextShape::kLine, true, kMaxTextBytes};
inline constexpr TextRule kOptionalLine{TextShape::kLine, false, kMaxTextBytes};
inline constexpr TextRule kText{TextShape::kMultiLine, true, kMaxTextBytes};
inline constexpr TextRule kOptionalText{TextShape::kMultiLine, false, kMaxTextBytes};

// The value to store for a free-text field entered through the staff API: `value` checked
// and put into Unicode NFC (canonical composition: "o" + U+0308 is stored as "ö"), with CR LF
// turned into LF in multi-line fields. Every book stores what this returns, never the input.
// InvalidArgument whose message starts with `field` when `value` is empty or blank (if
// required), is not valid UTF-8, is longer than rule.max_bytes (before or after normalising),
// or contains a forbidden character; the message names the character as U+XXXX and its
// position (1-based, in characters). Forbidden everywhere: C0 controls (U+0000..U+001F, but
// LF and tab in multi-line fields), DEL (U+007F), C1 controls (U+0080..U+009F), a CR not
// followed by LF, the bidirectional formatting characters U+061C, U+200E, U+200F,
// U+202A..U+202E and U+2066..U+2069 (they reorder what a terminal or a browser shows), and the
// line and paragraph separators U+2028, U+2029. Internal only if ICU fails (never expected).
absl::StatusOr<std::string> CleanText(absl::string_view value, absl::string_view field,
                                      TextRule rule = kLine);

// The check for free text received from a peer (a directory entry, a summary, a purpose):
// OK iff `value` is valid UTF-8, at most `max_bytes` long, has no character CleanText refuses
// in a one-line field, and is already in NFC (what any hop node stores). May be empty (the
// caller checks presence). InvalidArgument naming `field`, the character and its position
// (Internal only if ICU fails). Pure, thread-safe: call it on every received text field.
absl::Status ValidateReceivedText(absl::string_view value, absl::string_view field,
                                  size_t max_bytes = kMaxTextBytes);

// Non-empty after trimming ASCII white space, valid UTF-8, at most kMaxTextBytes, and no
// character CleanText refuses in a one-line field (it does not normalise: use CleanText for
// values that are stored).
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
// local@domain.tld, no spaces, at most 254 bytes, valid UTF-8 without a character that
// CleanText refuses.
absl::Status ValidateEmail(absl::string_view value, absl::string_view field);
// Optional leading '+', then 5..20 digits; spaces and '-' between digits are allowed.
absl::Status ValidatePhone(absl::string_view value, absl::string_view field);

}  // namespace hop::domain

#endif  // HOP_DAEMON_DOMAIN_FIELDS_H_
