// Helpers shared by the field validators (fields.cc) and the text cleaning (text.cc).
// Internal to daemon/domain. Pure, thread-safe.
#ifndef HOP_DAEMON_DOMAIN_TEXT_INTERNAL_H_
#define HOP_DAEMON_DOMAIN_TEXT_INTERNAL_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "daemon/domain/fields.h"

namespace hop::domain::internal {

// Offset of the first byte that is not part of well-formed UTF-8 (no overlong forms, no
// surrogates, nothing above U+10FFFF), or npos when all of `s` is well-formed.
size_t FirstInvalidUtf8(absl::string_view s);

// OK iff well-formed UTF-8 `s` has no character that a field of `shape` refuses (see
// CleanText); else InvalidArgument naming `field`, the character (U+XXXX) and its position.
absl::Status CheckCharacters(absl::string_view s, absl::string_view field, TextShape shape);

}  // namespace hop::domain::internal

#endif  // HOP_DAEMON_DOMAIN_TEXT_INTERNAL_H_
