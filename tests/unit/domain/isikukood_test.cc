#include "daemon/domain/isikukood.h"

#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hop::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr const char* kValid[] = {"37605030299", "60001019906", "49403136526"};

TEST(IsikukoodTest, ExampleCodesAreValid) {
  for (const char* code : kValid) EXPECT_TRUE(ValidateIsikukood(code).ok()) << code;
}

// The check digit does not catch every single-digit error: when a change sends the first
// round to 10, the second round can land on the old digit by chance. Those corruptions are
// themselves valid codes of other people; all other corruptions must be rejected.
//   47605030299 (3 -> 4): weights 1..9,1: 4+14+18+0+25+0+21+0+18+9 = 109, 109 % 11 = 10;
//     weights 3..9,1,2,3: 12+28+30+0+35+0+27+0+4+27 = 163, 163 % 11 = 9 = the old digit.
//   49903136526 (4 -> 9 at position 3): 4+18+27+0+15+6+21+48+45+2 = 186, 186 % 11 = 10;
//     12+36+45+0+21+8+27+6+10+6 = 171, 171 % 11 = 6 = the old digit.
TEST(IsikukoodTest, EverySingleDigitCorruptionIsRejectedUnlessItIsAnotherValidCode) {
  const std::set<std::string> valid_neighbours = {"47605030299", "49903136526"};
  int rejected = 0;
  for (const char* code : kValid) {
    for (size_t pos = 0; pos < 11; ++pos) {
      for (char d = '0'; d <= '9'; ++d) {
        std::string bad = code;
        if (bad[pos] == d) continue;
        bad[pos] = d;
        if (valid_neighbours.count(bad) > 0) {
          EXPECT_TRUE(ValidateIsikukood(bad).ok()) << bad;
          continue;
        }
        EXPECT_EQ(ValidateIsikukood(bad).code(), absl::StatusCode::kInvalidArgument) << bad;
        ++rejected;
      }
    }
  }
  EXPECT_EQ(rejected, 3 * 11 * 9 - 2);
}

TEST(IsikukoodTest, CheckDigitMessageNamesFieldAndExpectedDigit) {
  absl::Status s = ValidateIsikukood("37605030291", "child.isikukood");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "child.isikukood: check digit is 1, expected 9 (11 digits, e.g. "
            "37605030299)");
}

TEST(IsikukoodTest, WrongLengthIsRejected) {
  for (const char* code : {"", "3760503029", "376050302990", "3"}) {
    absl::Status s = ValidateIsikukood(code, "granted_by");
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << code;
    EXPECT_THAT(std::string(s.message()), StartsWith("granted_by: has "));
    EXPECT_THAT(std::string(s.message()), HasSubstr("expected 11 digits"));
  }
}

TEST(IsikukoodTest, NonDigitsAreRejected) {
  for (const char* code : {"3760503029a", "37605 30299", "-3760503029", "３7605030299"}) {
    absl::Status s = ValidateIsikukood(code, "child.isikukood");
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << code;
    EXPECT_THAT(std::string(s.message()), StartsWith("child.isikukood: ")) << code;
  }
  EXPECT_THAT(std::string(ValidateIsikukood("3760503029a").message()),
              HasSubstr("character 11 is not a digit"));
}

TEST(IsikukoodTest, BadCenturyDigitIsRejectedEvenWithMatchingCheckDigit) {
  for (char g : {'0', '7', '8', '9'}) {
    std::string first_ten = std::string(1, g) + "760503029";
    std::string code = first_ten + std::to_string(IsikukoodCheckDigit(first_ten));
    absl::Status s = ValidateIsikukood(code);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << code;
    EXPECT_THAT(std::string(s.message()), StartsWith("isikukood: first digit is "));
    EXPECT_THAT(std::string(s.message()), HasSubstr("expected 1-6"));
  }
}

// Codes with a correctly computed check digit, so only the date can make them invalid.
std::string WithCheckDigit(const std::string& first_ten) {
  return first_ten + std::to_string(IsikukoodCheckDigit(first_ten));
}

TEST(IsikukoodTest, ImpossibleDatesAreRejected) {
  for (const char* first_ten : {
           "6050230001",  // 2005-02-30
           "4050229001",  // 1905-02-29, not a leap year
           "3000229001",  // 1900-02-29, century not divisible by 400
           "5000431001",  // 2000-04-31
           "5001301001",  // month 13
           "5000001001",  // month 00
           "5000100001",  // day 00
           "5000132001",  // January 32
       }) {
    const std::string code = WithCheckDigit(first_ten);
    absl::Status s = ValidateIsikukood(code, "child.isikukood");
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << code;
    EXPECT_THAT(std::string(s.message()), StartsWith("child.isikukood: digits 2-7 (YYMMDD)"))
        << code;
    EXPECT_THAT(std::string(s.message()), HasSubstr("not a real calendar date"));
  }
}

TEST(IsikukoodTest, LeapDaysAreAccepted) {
  // 6 04 02 29 001 -> 2004-02-29. w1 sum: 6+0+12+0+10+12+63+0+0+1 = 104, 104 % 11 = 5.
  EXPECT_EQ(IsikukoodCheckDigit("6040229001"), 5);
  EXPECT_TRUE(ValidateIsikukood("60402290015").ok());
  // 5 00 02 29 001 -> 2000-02-29 (divisible by 400). w1 sum: 5+0+0+0+10+12+63+0+0+1 = 91,
  // 91 % 11 = 3.
  EXPECT_EQ(IsikukoodCheckDigit("5000229001"), 3);
  EXPECT_TRUE(ValidateIsikukood("50002290013").ok());
}

TEST(IsikukoodTest, SecondRoundWeights) {
  // 3 7 6 0 5 0 3 0 0 6:
  //   weights 1 2 3 4 5 6 7 8 9 1: 3+14+18+0+25+0+21+0+0+6 = 87, 87 % 11 = 10 -> second round;
  //   weights 3 4 5 6 7 8 9 1 2 3: 9+28+30+0+35+0+27+0+0+18 = 147, 147 % 11 = 4.
  EXPECT_EQ(IsikukoodCheckDigit("3760503006"), 4);
  EXPECT_TRUE(ValidateIsikukood("37605030064").ok());
  // 10 (the first-round remainder) is not a digit; 0 (a naive "10 -> 0") is wrong here.
  EXPECT_EQ(ValidateIsikukood("37605030060").message(),
            "isikukood: check digit is 0, expected 4 (11 digits, e.g. 37605030299)");
}

TEST(IsikukoodTest, TenAgainGivesZero) {
  // 3 7 6 0 5 0 3 0 9 2:
  //   weights 1 2 3 4 5 6 7 8 9 1: 3+14+18+0+25+0+21+0+81+2 = 164, 164 % 11 = 10;
  //   weights 3 4 5 6 7 8 9 1 2 3: 9+28+30+0+35+0+27+0+18+6 = 153, 153 % 11 = 10 -> 0.
  EXPECT_EQ(IsikukoodCheckDigit("3760503092"), 0);
  EXPECT_TRUE(ValidateIsikukood("37605030920").ok());
  EXPECT_FALSE(ValidateIsikukood("37605030921").ok());
}

TEST(IsikukoodTest, CheckDigitOfExamples) {
  EXPECT_EQ(IsikukoodCheckDigit("3760503029"), 9);
  EXPECT_EQ(IsikukoodCheckDigit("6000101990"), 6);
  EXPECT_EQ(IsikukoodCheckDigit("4940313652"), 6);
}

TEST(IsikukoodTest, CheckDigitOutsidePreconditionIsNeverADigit) {
  EXPECT_EQ(IsikukoodCheckDigit("376050302"), -1);
  EXPECT_EQ(IsikukoodCheckDigit("376050302x"), -1);
}

TEST(IsikukoodTest, BirthDate) {
  auto d = IsikukoodBirthDate("37605030299");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(*d, absl::CivilDay(1976, 5, 3));
  d = IsikukoodBirthDate("60001019906");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, absl::CivilDay(2000, 1, 1));
  d = IsikukoodBirthDate("49403136526");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, absl::CivilDay(1994, 3, 13));
  const std::string eighteen_hundreds = WithCheckDigit("1991231001");
  d = IsikukoodBirthDate(eighteen_hundreds);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, absl::CivilDay(1899, 12, 31));
}

TEST(IsikukoodTest, BirthDateOfInvalidCodeIsAnError) {
  auto d = IsikukoodBirthDate("37605030291");
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(d.status().message()), StartsWith("isikukood: check digit"));
}

TEST(IsikukoodTest, MessagesDoNotEchoTheCode) {
  for (const char* bad : {"49403136521", "4940313652a", "99403136526", "49413136526"}) {
    EXPECT_THAT(std::string(ValidateIsikukood(bad).message()),
                ::testing::Not(HasSubstr(std::string(bad).substr(0, 10))));
  }
}

}  // namespace
}  // namespace hop::domain
