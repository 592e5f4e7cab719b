#include "daemon/domain/isikukood.h"

#include <array>
#include <cstddef>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace hop::domain {
namespace {

constexpr size_t kCodeLength = 11;
constexpr char kExpected[] = "11 digits, e.g. 37605030299";

constexpr std::array<int, 10> kWeights1 = {1, 2, 3, 4, 5, 6, 7, 8, 9, 1};
constexpr std::array<int, 10> kWeights2 = {3, 4, 5, 6, 7, 8, 9, 1, 2, 3};

int Digit(char c) { return c - '0'; }

int TwoDigits(absl::string_view s, size_t pos) { return Digit(s[pos]) * 10 + Digit(s[pos + 1]); }

int WeightedSumMod11(absl::string_view digits, const std::array<int, 10>& weights) {
  int sum = 0;
  for (size_t i = 0; i < weights.size(); ++i) sum += Digit(digits[i]) * weights[i];
  return sum % 11;
}

// The full year of birth from the century digit (1..6) and YY, or 0 for another century digit.
int BirthYear(int century_digit, int yy) {
  switch (century_digit) {
    case 1:
    case 2:
      return 1800 + yy;
    case 3:
    case 4:
      return 1900 + yy;
    case 5:
    case 6:
      return 2000 + yy;
    default:
      return 0;
  }
}

// Checks everything but the field prefix; on success stores the birth date in `*day`.
// Messages never echo the code itself (it is personal data and may be logged).
absl::Status Check(absl::string_view code, absl::string_view field, absl::CivilDay* day) {
  if (code.size() != kCodeLength) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": has ", code.size(), " characters, expected ", kExpected));
  }
  for (size_t i = 0; i < code.size(); ++i) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(code[i]))) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": character ", i + 1, " is not a digit, expected ", kExpected));
    }
  }
  const int century_digit = Digit(code[0]);
  const int year = BirthYear(century_digit, TwoDigits(code, 1));
  if (year == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": first digit is ", century_digit,
                     ", expected 1-6 (sex and century: 1/2 1800s, 3/4 1900s, 5/6 2000s)"));
  }
  const int month = TwoDigits(code, 3);
  const int dom = TwoDigits(code, 5);
  // CivilDay normalises out-of-range fields (Feb 30 -> Mar 2), so a real date round-trips.
  const absl::CivilDay d(year, month, dom);
  if (d.year() != year || d.month() != month || d.day() != dom) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": digits 2-7 (YYMMDD) give year ", year, ", month ", month, ", day ",
                     dom, ", which is not a real calendar date; expected a valid birth date"));
  }
  const int expected = IsikukoodCheckDigit(code.substr(0, 10));
  const int actual = Digit(code[10]);
  if (actual != expected) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": check digit is ", actual,
                                                   ", expected ", expected, " (", kExpected, ")"));
  }
  *day = d;
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateIsikukood(absl::string_view code, absl::string_view field) {
  absl::CivilDay unused;
  return Check(code, field, &unused);
}

absl::StatusOr<absl::CivilDay> IsikukoodBirthDate(absl::string_view code) {
  absl::CivilDay day;
  absl::Status status = Check(code, "isikukood", &day);
  if (!status.ok()) return status;
  return day;
}

absl::CivilDay EstonianToday(int64_t now) {
  return absl::ToCivilDay(absl::FromUnixSeconds(now), absl::FixedTimeZone(3 * 3600));
}

absl::CivilDay BirthdayAt(absl::CivilDay birth, int years) {
  const absl::civil_year_t year = birth.year() + years;
  if (birth.month() == 2 && birth.day() == 29) {
    // CivilDay would turn 29 February of a common year into 1 March.
    const absl::CivilDay feb29(year, 2, 29);
    return feb29.month() == 2 ? feb29 : absl::CivilDay(year, 2, 28);
  }
  return absl::CivilDay(year, birth.month(), birth.day());
}

int AgeOn(absl::CivilDay birth, absl::CivilDay day) {
  int years = static_cast<int>(day.year() - birth.year());
  if (day < BirthdayAt(birth, years)) --years;
  return years;
}

absl::StatusOr<absl::CivilDay> ValidateBornBy(absl::string_view code, absl::string_view field,
                                              absl::CivilDay today) {
  absl::CivilDay birth;
  absl::Status status = Check(code, field, &birth);
  if (!status.ok()) return status;
  if (birth > today) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": the birth date in the code (digits 2-7) is ",
                     absl::FormatCivilTime(birth), ", after today ", absl::FormatCivilTime(today),
                     "; expected the code of someone already born (check the digits)"));
  }
  return birth;
}

absl::StatusOr<absl::CivilDay> ValidateAdultOn(absl::string_view code, absl::string_view field,
                                               absl::CivilDay day) {
  absl::StatusOr<absl::CivilDay> birth = ValidateBornBy(code, field, day);
  if (!birth.ok()) return birth;
  const int age = AgeOn(*birth, day);
  if (age < kAdultAge) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": the person was born ", absl::FormatCivilTime(*birth), " and is ",
                     age, " on ", absl::FormatCivilTime(day), "; expected a guardian of ",
                     kAdultAge, " or older (the isikukood of the parent or legal representative)"));
  }
  return birth;
}

// Precondition: exactly 10 ASCII digits. Defensively returns -1 when it does not hold, which
// never equals a digit, so a caller comparing against the 11th digit rejects the code.
int IsikukoodCheckDigit(absl::string_view first_ten_digits) {
  if (first_ten_digits.size() != 10) return -1;
  for (char c : first_ten_digits) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return -1;
  }
  int r = WeightedSumMod11(first_ten_digits, kWeights1);
  if (r < 10) return r;
  r = WeightedSumMod11(first_ten_digits, kWeights2);
  if (r < 10) return r;
  return 0;
}

}  // namespace hop::domain
