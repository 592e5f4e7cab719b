#include "daemon/domain/fields.h"

#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "daemon/base/status_macros.h"
#include "daemon/domain/text_internal.h"

namespace hop::domain {
namespace {

constexpr size_t kMaxEchoedChars = 40;
constexpr size_t kMaxEmailBytes = 254;
constexpr int kMinPhoneDigits = 5;
constexpr int kMaxPhoneDigits = 20;
constexpr int kMinYear = 1900;
constexpr int kMaxYear = 2200;

// A value as quoted in a message: C-escaped and cut short.
std::string Quote(absl::string_view value) {
  if (value.size() <= kMaxEchoedChars) return absl::StrCat("\"", absl::CHexEscape(value), "\"");
  return absl::StrCat("\"", absl::CHexEscape(value.substr(0, kMaxEchoedChars)), "...\"");
}

absl::Status Invalid(absl::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", what));
}

bool IsDigit(char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); }

// Empty if `value` is a real "YYYY-MM-DD" date in [kMinYear, kMaxYear]; else what is wrong.
std::string DateProblem(absl::string_view value) {
  const std::string expected = "expected a date YYYY-MM-DD such as 2024-09-01";
  if (value.empty()) return absl::StrCat("is empty; ", expected);
  bool shape = value.size() == 10 && value[4] == '-' && value[7] == '-';
  for (size_t i = 0; shape && i < value.size(); ++i) {
    if (i != 4 && i != 7 && !IsDigit(value[i])) shape = false;
  }
  if (!shape) return absl::StrCat(Quote(value), " is not in the form YYYY-MM-DD; ", expected);
  auto number = [&](size_t pos, size_t n) {
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) v = v * 10 + (value[i] - '0');
    return v;
  };
  const int year = number(0, 4), month = number(5, 2), day = number(8, 2);
  if (year < kMinYear || year > kMaxYear) {
    return absl::StrCat(Quote(value), " has year ", year, "; expected a year from ", kMinYear,
                        " to ", kMaxYear);
  }
  const absl::CivilDay d(year, month, day);  // normalises, so only real dates round-trip
  if (d.year() != year || d.month() != month || d.day() != day) {
    return absl::StrCat(Quote(value), " is not a real calendar date; ", expected);
  }
  return "";
}

}  // namespace

absl::Status ValidateRequiredText(absl::string_view value, absl::string_view field) {
  if (absl::StripAsciiWhitespace(value).empty()) {
    return Invalid(field, "is empty; expected some text");
  }
  if (value.size() > kMaxTextBytes) {
    return Invalid(field, absl::StrCat("is ", value.size(), " bytes long; expected at most ",
                                       kMaxTextBytes, " bytes"));
  }
  const size_t bad = internal::FirstInvalidUtf8(value);
  if (bad != absl::string_view::npos) {
    return Invalid(field,
                   absl::StrCat("is not valid UTF-8 (at byte ", bad, "); expected UTF-8 text"));
  }
  return internal::CheckCharacters(value, field, TextShape::kLine);
}

absl::Status ValidateOptionalText(absl::string_view value, absl::string_view field) {
  if (value.empty()) return absl::OkStatus();
  return ValidateRequiredText(value, field);
}

absl::Status ValidatePurpose(absl::string_view value, absl::string_view field) {
  if (value.size() > kMaxPurposeBytes) {
    return Invalid(field, absl::StrCat("is ", value.size(), " bytes long; expected at most ",
                                       kMaxPurposeBytes, " bytes (say briefly why you ask)"));
  }
  return ValidateRequiredText(value, field);
}

absl::Status ValidateDate(absl::string_view value, absl::string_view field) {
  const std::string problem = DateProblem(value);
  if (problem.empty()) return absl::OkStatus();
  return Invalid(field, problem);
}

absl::Status ValidateOptionalDate(absl::string_view value, absl::string_view field) {
  if (value.empty()) return absl::OkStatus();
  return ValidateDate(value, field);
}

absl::Status ValidatePeriod(absl::string_view start, absl::string_view end,
                            absl::string_view field) {
  std::string problem = DateProblem(start);
  if (!problem.empty()) return Invalid(field, absl::StrCat("start ", problem));
  if (end.empty()) return absl::OkStatus();
  problem = DateProblem(end);
  if (!problem.empty()) return Invalid(field, absl::StrCat("end ", problem));
  // Valid YYYY-MM-DD strings order the same as the dates they name.
  if (end < start) {
    return Invalid(field, absl::StrCat("end ", end, " is before start ", start,
                                       "; expected start <= end (or no end while ongoing)"));
  }
  return absl::OkStatus();
}

absl::Status ValidateEmail(absl::string_view value, absl::string_view field) {
  const std::string expected = "expected an e-mail address like name@example.ee";
  if (value.empty()) return Invalid(field, absl::StrCat("is empty; ", expected));
  if (value.size() > kMaxEmailBytes) {
    return Invalid(field, absl::StrCat("is ", value.size(), " bytes long; expected at most ",
                                       kMaxEmailBytes, " bytes"));
  }
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) {
      return Invalid(
          field, absl::StrCat(Quote(value), " contains a space or control character; ", expected));
    }
  }
  const size_t bad = internal::FirstInvalidUtf8(value);
  if (bad != absl::string_view::npos) {
    return Invalid(field, absl::StrCat("is not valid UTF-8 (at byte ", bad, "); ", expected));
  }
  HOP_RETURN_IF_ERROR(internal::CheckCharacters(value, field, TextShape::kLine));
  const size_t at = value.find('@');
  if (at == absl::string_view::npos || value.find('@', at + 1) != absl::string_view::npos) {
    return Invalid(field, absl::StrCat(Quote(value), " must contain exactly one '@'; ", expected));
  }
  const absl::string_view local = value.substr(0, at);
  const absl::string_view domain = value.substr(at + 1);
  if (local.empty()) {
    return Invalid(field, absl::StrCat(Quote(value), " has nothing before '@'; ", expected));
  }
  const size_t last_dot = domain.rfind('.');
  const bool labels_ok = !domain.empty() && domain.front() != '.' && domain.back() != '.' &&
                         domain.find("..") == absl::string_view::npos;
  if (last_dot == absl::string_view::npos || !labels_ok || domain.size() - last_dot - 1 < 2) {
    return Invalid(field,
                   absl::StrCat(Quote(value), " has no valid domain.tld after '@'; ", expected));
  }
  return absl::OkStatus();
}

absl::Status ValidatePhone(absl::string_view value, absl::string_view field) {
  const std::string expected = "expected an optional '+' and 5 to 20 digits, e.g. +372 5555 1234";
  if (value.empty()) return Invalid(field, absl::StrCat("is empty; ", expected));
  absl::string_view rest = value;
  if (rest.front() == '+') rest.remove_prefix(1);
  int digits = 0;
  for (size_t i = 0; i < rest.size(); ++i) {
    const char c = rest[i];
    if (IsDigit(c)) {
      ++digits;
      continue;
    }
    // A separator needs a digit on both sides.
    const bool separator = c == ' ' || c == '-';
    const bool between =
        i > 0 && i + 1 < rest.size() && IsDigit(rest[i - 1]) && IsDigit(rest[i + 1]);
    if (!separator || !between) {
      return Invalid(field, absl::StrCat(Quote(value),
                                         " is not a phone number (spaces and '-' "
                                         "only between digits); ",
                                         expected));
    }
  }
  if (digits < kMinPhoneDigits || digits > kMaxPhoneDigits) {
    return Invalid(field, absl::StrCat(Quote(value), " has ", digits, " digits; ", expected));
  }
  return absl::OkStatus();
}

}  // namespace hop::domain
