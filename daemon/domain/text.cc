// Free text: forbidden characters and Unicode NFC (see fields.h CleanText).
#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "daemon/base/status_macros.h"
#include "daemon/domain/fields.h"
#include "daemon/domain/text_internal.h"
#include "unicode/errorcode.h"
#include "unicode/normalizer2.h"
#include "unicode/stringpiece.h"
#include "unicode/unistr.h"

namespace hop::domain {
namespace internal {

size_t FirstInvalidUtf8(absl::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const uint8_t b = static_cast<uint8_t>(s[i]);
    size_t len;
    uint8_t lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (b < 0x80) {
      len = 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      if (b == 0xE0) lo = 0xA0;  // overlong
      if (b == 0xED) hi = 0x9F;  // surrogates
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      if (b == 0xF0) lo = 0x90;  // overlong
      if (b == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return i;
    }
    if (i + len > s.size()) return i;
    for (size_t k = 1; k < len; ++k) {
      const uint8_t c = static_cast<uint8_t>(s[i + k]);
      const uint8_t min = k == 1 ? lo : 0x80;
      const uint8_t max = k == 1 ? hi : 0xBF;
      if (c < min || c > max) return i;
    }
    i += len;
  }
  return absl::string_view::npos;
}

namespace {

// The code point starting at s[*i] (well-formed UTF-8); advances *i past it.
char32_t NextCodePoint(absl::string_view s, size_t* i) {
  const uint8_t b = static_cast<uint8_t>(s[*i]);
  size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
  for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<uint8_t>(s[*i + k]) & 0x3F);
  *i += len;
  return cp;
}

bool IsBidiFormatting(char32_t cp) {
  return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

// What `cp` is when a field of `shape` refuses it, or nullptr when it is allowed. `next` is
// the following code point (0 at the end), for CR LF.
const char* Forbidden(char32_t cp, char32_t next, TextShape shape) {
  const bool multi = shape == TextShape::kMultiLine;
  if (cp == '\n' || cp == '\t') {
    return multi ? nullptr : "a line break or tab, and this field is a single line";
  }
  if (cp == '\r') {
    if (multi && next == '\n') return nullptr;
    return multi ? "a carriage return without a line feed"
                 : "a line break, and this field is a single line";
  }
  if (cp < 0x20 || cp == 0x7F) return "a control character";
  if (cp >= 0x80 && cp <= 0x9F) return "a C1 control character";
  if (IsBidiFormatting(cp)) {
    return "a bidirectional formatting character, which can reorder what screens show";
  }
  if (cp == 0x2028 || cp == 0x2029) return "a line or paragraph separator";
  return nullptr;
}

}  // namespace

absl::Status CheckCharacters(absl::string_view s, absl::string_view field, TextShape shape) {
  size_t i = 0;
  size_t position = 0;
  while (i < s.size()) {
    const char32_t cp = NextCodePoint(s, &i);
    ++position;
    const char32_t next = i < s.size() ? static_cast<unsigned char>(s[i]) : 0;
    const char* what = Forbidden(cp, next, shape);
    if (what == nullptr) continue;
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: character %d is U+%04X (%s); expected text without control characters or "
        "bidirectional formatting characters: remove it",
        field, position, static_cast<uint32_t>(cp), what));
  }
  return absl::OkStatus();
}

}  // namespace internal

namespace {

absl::Status Invalid(absl::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", what));
}

absl::Status CheckLength(size_t size, absl::string_view field, size_t max_bytes,
                         absl::string_view when) {
  if (size <= max_bytes) return absl::OkStatus();
  return Invalid(field, absl::StrCat("is ", size, " bytes long", when, "; expected at most ",
                                     max_bytes, " bytes"));
}

// Valid UTF-8, at most max_bytes, no forbidden character.
absl::Status CheckText(absl::string_view value, absl::string_view field, size_t max_bytes,
                       TextShape shape) {
  HOP_RETURN_IF_ERROR(CheckLength(value.size(), field, max_bytes, ""));
  const size_t bad = internal::FirstInvalidUtf8(value);
  if (bad != absl::string_view::npos) {
    return Invalid(field,
                   absl::StrCat("is not valid UTF-8 (at byte ", bad, "); expected UTF-8 text"));
  }
  return internal::CheckCharacters(value, field, shape);
}

absl::StatusOr<const icu::Normalizer2*> Nfc() {
  UErrorCode error = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(error);
  if (U_FAILURE(error) || nfc == nullptr) {
    return absl::InternalError(
        absl::StrCat("ICU's NFC normaliser is not available: ", u_errorName(error)));
  }
  return nfc;
}

icu::UnicodeString FromUtf8(absl::string_view s) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}

std::string WithoutCr(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') continue;
    out.push_back(s[i]);
  }
  return out;
}

}  // namespace

absl::StatusOr<std::string> CleanText(absl::string_view value, absl::string_view field,
                                      TextRule rule) {
  if (value.empty() && !rule.required) return std::string();
  if (rule.required && absl::StripAsciiWhitespace(value).empty()) {
    return Invalid(field, "is empty; expected some text");
  }
  HOP_RETURN_IF_ERROR(CheckText(value, field, rule.max_bytes, rule.shape));
  HOP_ASSIGN_OR_RETURN(const icu::Normalizer2* nfc, Nfc());
  const std::string text =
      rule.shape == TextShape::kMultiLine ? WithoutCr(value) : std::string(value);
  const icu::UnicodeString u = FromUtf8(text);
  UErrorCode error = U_ZERO_ERROR;
  if (nfc->isNormalized(u, error) && U_SUCCESS(error)) return text;
  error = U_ZERO_ERROR;
  const icu::UnicodeString normal = nfc->normalize(u, error);
  if (U_FAILURE(error)) {
    return absl::InternalError(
        absl::StrCat(field, ": Unicode normalisation failed: ", u_errorName(error)));
  }
  std::string out;
  normal.toUTF8String(out);
  HOP_RETURN_IF_ERROR(
      CheckLength(out.size(), field, rule.max_bytes, " in Unicode NFC (composed form)"));
  return out;
}

absl::Status ValidateReceivedText(absl::string_view value, absl::string_view field,
                                  size_t max_bytes) {
  HOP_RETURN_IF_ERROR(CheckText(value, field, max_bytes, TextShape::kLine));
  HOP_ASSIGN_OR_RETURN(const icu::Normalizer2* nfc, Nfc());
  UErrorCode error = U_ZERO_ERROR;
  const bool normal = nfc->isNormalized(FromUtf8(value), error);
  if (U_FAILURE(error) || !normal) {
    return Invalid(field,
                   "is not in Unicode NFC (composed form); expected text as a hop node stores "
                   "it (normalised to NFC)");
  }
  return absl::OkStatus();
}

}  // namespace hop::domain
