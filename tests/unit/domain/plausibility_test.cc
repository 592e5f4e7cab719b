// Plausibility rules (issue 10): birth dates not in the future, guardians are adults, consent
// validity within the node's policy, withdrawals name an adult guardian and the signed form.
#include <cstdint>
#include <limits>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "daemon/domain/consent.h"
#include "daemon/domain/isikukood.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hop::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// A valid isikukood of a girl born on `day` (1900..2099).
std::string BornOn(absl::CivilDay day) {
  const int century = day.year() >= 2000 ? 6 : 4;
  const std::string ten =
      absl::StrFormat("%d%02d%02d%02d001", century, day.year() % 100, day.month(), day.day());
  return ten + std::to_string(IsikukoodCheckDigit(ten));
}

// Unix time of `day` at noon UTC (the same day in Estonia).
int64_t Noon(absl::CivilDay day) {
  return absl::ToUnixSeconds(
      absl::FromCivil(absl::CivilSecond(day) + 12 * 3600, absl::UTCTimeZone()));
}

// Unix time at which `day` starts in Estonian winter time (UTC+2).
int64_t WinterMidnight(absl::CivilDay day) {
  return absl::ToUnixSeconds(absl::FromCivil(day, absl::FixedTimeZone(2 * 3600)));
}

const absl::CivilDay kToday(2026, 11, 18);
const int64_t kNow = Noon(kToday);

TEST(BirthDateTest, BornTodayIsFineBornTomorrowIsNot) {
  EXPECT_EQ(*ValidateBornBy(BornOn(kToday), "child.isikukood", kToday), kToday);
  const absl::Status s = ValidateBornBy(BornOn(kToday + 1), "child.isikukood", kToday).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()),
              StartsWith("child.isikukood: the birth date in the code (digits 2-7) is "
                         "2026-11-19, after today 2026-11-18; expected"));
  // The child of the issue, born in 2099.
  EXPECT_THAT(
      std::string(ValidateBornBy("69912310002", "child_isikukood", kToday).status().message()),
      HasSubstr("is 2099-12-31, after today"));
  // Isikukood rules still come first.
  EXPECT_THAT(
      std::string(ValidateBornBy("69912310003", "child_isikukood", kToday).status().message()),
      StartsWith("child_isikukood: check digit is 3"));
}

TEST(BirthDateTest, TodayIsTheEstonianDate) {
  // 2026-11-18 22:30 UTC is already 2026-11-19 in Estonia (UTC+2 in winter).
  const int64_t late = Noon(kToday) + 10 * 3600 + 1800;
  EXPECT_EQ(EstonianToday(late), kToday + 1);
  EXPECT_TRUE(ValidateBornBy(BornOn(kToday + 1), "child.isikukood", EstonianToday(late)).ok());
  EXPECT_EQ(EstonianToday(Noon(kToday)), kToday);
}

TEST(AgeTest, EighteenOnTheBirthdayItself) {
  const absl::CivilDay birth(2008, 11, 18);
  EXPECT_EQ(AgeOn(birth, kToday), 18);
  EXPECT_EQ(AgeOn(birth, kToday - 1), 17);
  EXPECT_EQ(AgeOn(birth, birth), 0);
  EXPECT_EQ(AgeOn(birth, birth - 1), -1);
  EXPECT_TRUE(ValidateAdultOn(BornOn(birth), "granted_by", kToday).ok());
  const absl::Status s = ValidateAdultOn(BornOn(birth), "granted_by", kToday - 1).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()),
              StartsWith("granted_by: the person was born 2008-11-18 and is 17 on 2026-11-17; "
                         "expected a guardian of 18 or older"));
}

TEST(AgeTest, BornOnFebruary29) {
  const absl::CivilDay leapling(2008, 2, 29);
  EXPECT_EQ(BirthdayAt(leapling, 18), absl::CivilDay(2026, 2, 28));  // common year
  EXPECT_EQ(BirthdayAt(leapling, 16), absl::CivilDay(2024, 2, 29));  // leap year
  EXPECT_EQ(AgeOn(leapling, absl::CivilDay(2026, 2, 27)), 17);
  EXPECT_EQ(AgeOn(leapling, absl::CivilDay(2026, 2, 28)), 18);
  EXPECT_EQ(AgeOn(leapling, absl::CivilDay(2024, 2, 28)), 15);
  EXPECT_EQ(AgeOn(leapling, absl::CivilDay(2024, 2, 29)), 16);
  EXPECT_TRUE(ValidateAdultOn(BornOn(leapling), "withdrawn_by", absl::CivilDay(2026, 2, 28)).ok());
  EXPECT_FALSE(ValidateAdultOn(BornOn(leapling), "withdrawn_by", absl::CivilDay(2026, 2, 27)).ok());
}

// A consent that satisfies every rule at kNow: a child born 2016, a guardian born 1994.
constexpr char kGuardian[] = "49403136526";
hop::v1::Consent Valid(const std::string& child = BornOn(absl::CivilDay(2016, 4, 15))) {
  hop::v1::Consent c;
  c.set_child_isikukood(child);
  c.set_granted_by(kGuardian);
  c.add_recipients("0171");
  c.add_scopes(hop::v1::SCOPE_CASE_SUMMARY);
  c.set_purpose("school transfer");
  c.set_valid_from(kNow);
  c.set_valid_until(kNow + 365 * 86400);
  return c;
}

void ExpectRefused(const hop::v1::Consent& c, absl::string_view prefix,
                   const ConsentPolicy& policy = {}) {
  const absl::Status s = ValidateConsent(c, "0793", kNow, policy);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(std::string(s.message()), StartsWith(std::string(prefix)));
  EXPECT_THAT(std::string(s.message()), HasSubstr("expected"));
}

TEST(ConsentPlausibilityTest, TheIssuesExamplesAreRefused) {
  ASSERT_TRUE(ValidateConsent(Valid(), "0793", kNow).ok());
  ExpectRefused(Valid("69912310002"), "child_isikukood: the birth date in the code");
  hop::v1::Consent c = Valid();
  c.set_granted_by(BornOn(absl::CivilDay(2020, 3, 13)));  // a guardian born in 2020
  ExpectRefused(c, "granted_by: the person was born 2020-03-13 and is 6 on 2026-11-18");
  c = Valid();
  c.set_valid_from(0);  // 1970
  ExpectRefused(c,
                "valid_from: 0 (1970-01-01T00:00:00Z) is before the child's birth on 2016-04-15");
  c = Valid();
  c.set_valid_from(-86400 * 365);  // 1969
  ExpectRefused(c, "valid_from: -31536000 (1969-01-01T00:00:00Z) is before the child's birth");
  c = Valid();
  c.set_valid_until(std::numeric_limits<int64_t>::max());  // year 292 billion
  ExpectRefused(c, "valid_until: 9223372036854775807 (");
}

TEST(ConsentPlausibilityTest, GuardianTurnsEighteenToday) {
  hop::v1::Consent c = Valid();
  c.set_granted_by(BornOn(absl::CivilDay(2008, 11, 18)));
  EXPECT_TRUE(ValidateConsent(c, "0793", kNow).ok());
  c.set_granted_by(BornOn(absl::CivilDay(2008, 11, 19)));
  ExpectRefused(c, "granted_by: the person was born 2008-11-19 and is 17");
  c.set_granted_by(c.child_isikukood());
  ExpectRefused(c, "granted_by: is the child's own isikukood");
}

TEST(ConsentPlausibilityTest, ValidFromAtMostThirtyDaysBackByDefault) {
  hop::v1::Consent c = Valid();
  c.set_valid_from(kNow - 30 * 86400);
  EXPECT_TRUE(ValidateConsent(c, "0793", kNow).ok());
  c.set_valid_from(kNow - 30 * 86400 - 1);
  ExpectRefused(c, "valid_from: ");
  ConsentPolicy policy;
  policy.max_backdate_days = 60;
  EXPECT_TRUE(ValidateConsent(c, "0793", kNow, policy).ok());
}

TEST(ConsentPlausibilityTest, ValidFromNotBeforeBirth) {
  // A child born ten days ago: a consent from the birth day on is fine, the day before is not.
  const absl::CivilDay birth = kToday - 10;
  hop::v1::Consent c = Valid(BornOn(birth));
  c.set_valid_from(Noon(birth));
  EXPECT_TRUE(ValidateConsent(c, "0793", kNow).ok());
  c.set_valid_from(Noon(birth - 1));
  ExpectRefused(c, "valid_from: ");
}

TEST(ConsentPlausibilityTest, EndsByTheEighteenthBirthday) {
  // A child who turns 18 on 2027-01-10 (within the 3-year default).
  const absl::CivilDay birth(2009, 1, 10);
  hop::v1::Consent c = Valid(BornOn(birth));
  c.set_valid_until(WinterMidnight(absl::CivilDay(2027, 1, 10)));  // hopctl --until 2027-01-10
  EXPECT_TRUE(ValidateConsent(c, "0793", kNow).ok());
  c.set_valid_until(WinterMidnight(absl::CivilDay(2027, 1, 11)));
  ExpectRefused(c, "valid_until: ");
  EXPECT_THAT(std::string(ValidateConsent(c, "0793", kNow).message()),
              HasSubstr("after the child's 18th birthday on 2027-01-10"));
  // Born on 29 February: the 18th birthday of a common year is 28 February.
  hop::v1::Consent leap = Valid(BornOn(absl::CivilDay(2008, 2, 29)));
  const int64_t now = Noon(absl::CivilDay(2025, 12, 1));
  leap.set_valid_from(now);
  leap.set_valid_until(WinterMidnight(absl::CivilDay(2026, 2, 28)));
  EXPECT_TRUE(ValidateConsent(leap, "0793", now).ok());
  leap.set_valid_until(WinterMidnight(absl::CivilDay(2026, 3, 1)));
  EXPECT_THAT(std::string(ValidateConsent(leap, "0793", now).message()),
              HasSubstr("after the child's 18th birthday on 2026-02-28"));
}

TEST(ConsentPlausibilityTest, AtMostTheConfiguredYears) {
  hop::v1::Consent c = Valid();
  const absl::CivilSecond from =
      absl::ToCivilSecond(absl::FromUnixSeconds(kNow), absl::UTCTimeZone());
  const int64_t three_years = absl::ToUnixSeconds(
      absl::FromCivil(absl::CivilSecond(from.year() + 3, from.month(), from.day(), from.hour(),
                                        from.minute(), from.second()),
                      absl::UTCTimeZone()));
  c.set_valid_until(three_years);
  EXPECT_TRUE(ValidateConsent(c, "0793", kNow).ok());
  c.set_valid_until(three_years + 1);
  ExpectRefused(c, "valid_until: ");
  EXPECT_THAT(std::string(ValidateConsent(c, "0793", kNow).message()),
              HasSubstr("is more than 3 years after valid_from"));
  ConsentPolicy one_year;
  one_year.max_validity_years = 1;
  c.set_valid_until(kNow + 366 * 86400);
  ExpectRefused(c, "valid_until: ", one_year);
}

TEST(ConsentPolicyTest, FromConfigWithDefaults) {
  hop::v1::ConsentRules rules;
  EXPECT_EQ(ConsentPolicyFromConfig(rules).max_validity_years, kDefaultMaxValidityYears);
  EXPECT_EQ(ConsentPolicyFromConfig(rules).max_backdate_days, kDefaultMaxBackdateDays);
  rules.set_max_validity_years(5);
  rules.set_max_backdate_days(7);
  EXPECT_EQ(ConsentPolicyFromConfig(rules).max_validity_years, 5);
  EXPECT_EQ(ConsentPolicyFromConfig(rules).max_backdate_days, 7);
}

TEST(WithdrawalTest, NamesAnAdultGuardianAndTheSignedForm) {
  const std::string child = BornOn(absl::CivilDay(2016, 4, 15));
  absl::StatusOr<std::string> ok = ValidateWithdrawal(child, kGuardian, "DHS-2026-31", kNow);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(*ok, "DHS-2026-31");
  EXPECT_EQ(*ValidateWithdrawal(child, kGuardian, "Vorm o\xCC\x83", kNow), "Vorm \xC3\xB5");
  struct Bad {
    std::string child, guardian, evidence, prefix;
  };
  for (const Bad& b : std::initializer_list<Bad>{
           {"69912310002", kGuardian, "F-1", "child_isikukood: the birth date"},
           {child, "", "F-1", "withdrawn_by: has 0 characters"},
           {child, "12345678901", "F-1", "withdrawn_by: "},
           {child, child, "F-1", "withdrawn_by: is the child's own isikukood"},
           {child, BornOn(absl::CivilDay(2020, 3, 13)), "F-1", "withdrawn_by: the person was born"},
           {child, kGuardian, "", "evidence_ref: is empty"},
           {child, kGuardian, "F-1\xE2\x80\xAE", "evidence_ref: character 4 is U+202E"},
           {child, kGuardian, "F-1\nF-2", "evidence_ref: character 4 is U+000A"},
       }) {
    const absl::Status s = ValidateWithdrawal(b.child, b.guardian, b.evidence, kNow).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << b.prefix;
    EXPECT_THAT(std::string(s.message()), StartsWith(b.prefix));
  }
}

}  // namespace
}  // namespace hop::domain
