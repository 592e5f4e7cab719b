// Fuzzes the isikukood and plain-field validators of daemon/domain (isikukood.h, fields.h,
// municipalities.h): every value a staff request or a peer's record can carry.
// Contracts: no crash or undefined behaviour; refusals are InvalidArgument starting with the
// field; the functions agree with each other (a valid code has its check digit and a birth
// date; Required ok implies Optional ok; a valid period has valid dates).
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/str_format.h"
#include "daemon/domain/fields.h"
#include "daemon/domain/isikukood.h"
#include "daemon/domain/municipalities.h"
#include "tests/fuzz/targets/fuzz_util.h"

namespace {

namespace domain = hop::domain;
using hop::fuzz::Require;
using hop::fuzz::RequireFieldError;

void CheckIsikukood(absl::string_view code) {
  const absl::Status valid = domain::ValidateIsikukood(code, "child.isikukood");
  RequireFieldError(valid, "child.isikukood");
  const absl::StatusOr<absl::CivilDay> day = domain::IsikukoodBirthDate(code);
  Require(day.ok() == valid.ok(), "IsikukoodBirthDate disagrees with ValidateIsikukood");
  const int check = domain::IsikukoodCheckDigit(code.substr(0, 10));
  if (valid.ok()) {
    Require(check == code[10] - '0', "a valid code does not have its check digit");
    // The birth date is the one the code encodes: YYMMDD.
    const std::string yymmdd =
        absl::StrFormat("%02d%02d%02d", day->year() % 100, day->month(), day->day());
    Require(code.substr(1, 6) == yymmdd, "birth date is not the encoded one");
  }
  if (code.size() >= 10) {
    Require(check >= -1 && check <= 9, "check digit out of range");
  }
}

void CheckFields(absl::string_view a, absl::string_view b) {
  const absl::Status required = domain::ValidateRequiredText(a, "name");
  RequireFieldError(required, "name");
  const absl::Status optional = domain::ValidateOptionalText(a, "note");
  RequireFieldError(optional, "note");
  Require(!required.ok() || optional.ok(), "required text ok but optional text refused");
  const absl::Status purpose = domain::ValidatePurpose(a, "purpose");
  RequireFieldError(purpose, "purpose");
  Require(!purpose.ok() || required.ok(), "purpose ok but not a required text");
  const absl::Status date = domain::ValidateDate(a, "valid_from");
  RequireFieldError(date, "valid_from");
  const absl::Status opt_date = domain::ValidateOptionalDate(a, "valid_until");
  RequireFieldError(opt_date, "valid_until");
  Require(!date.ok() || opt_date.ok(), "date ok but optional date refused");
  const absl::Status period = domain::ValidatePeriod(a, b, "services[0]");
  RequireFieldError(period, "services[0]");
  if (period.ok()) {
    Require(date.ok(), "a valid period with an invalid start");
    Require(domain::ValidateOptionalDate(b, "end").ok(), "a valid period with an invalid end");
  }
  RequireFieldError(domain::ValidateEmail(a, "email"), "email");
  RequireFieldError(domain::ValidatePhone(a, "phone"), "phone");
  const absl::Status code = domain::ValidateMunicipalityCode(a, "municipality");
  RequireFieldError(code, "municipality");
  Require(code.ok() == (domain::FindMunicipality(a) != nullptr),
          "ValidateMunicipalityCode disagrees with FindMunicipality");
}

}  // namespace

// The input is one value, or two (start and end of a period) split at the first newline.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  const size_t nl = text.find('\n');
  const absl::string_view a = text.substr(0, nl);
  const absl::string_view b = nl == absl::string_view::npos ? "" : text.substr(nl + 1);
  CheckIsikukood(text);
  CheckIsikukood(a);
  CheckFields(a, b);
  CheckFields(text, "");
  return 0;
}
