#include "daemon/domain/fields.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hop::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

void ExpectInvalid(const absl::Status& s, absl::string_view field_prefix) {
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(std::string(s.message()), StartsWith(std::string(field_prefix) + ": ")) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr("expected")) << s;
}

TEST(TextTest, RequiredTextAcceptsTextUpToTheLimit) {
  EXPECT_TRUE(ValidateRequiredText("Kõne- ja keeleravi", "service.type").ok());
  EXPECT_TRUE(ValidateRequiredText("  x  ", "purpose").ok());
  EXPECT_TRUE(ValidateRequiredText(std::string(kMaxTextBytes, 'a'), "purpose").ok());
  EXPECT_TRUE(ValidateRequiredText("emoji \xF0\x9F\x98\x80 ok", "purpose").ok());
}

TEST(TextTest, RequiredTextRejectsBlank) {
  for (const char* v : {"", " ", "\t\n\r ", "\v\f"}) {
    absl::Status s = ValidateRequiredText(v, "purpose");
    ExpectInvalid(s, "purpose");
    EXPECT_THAT(std::string(s.message()), HasSubstr("is empty"));
  }
}

TEST(TextTest, RequiredTextRejectsOverLimit) {
  absl::Status s = ValidateRequiredText(std::string(kMaxTextBytes + 1, 'a'), "reason");
  ExpectInvalid(s, "reason");
  EXPECT_THAT(std::string(s.message()), HasSubstr("4097 bytes"));
  EXPECT_THAT(std::string(s.message()), HasSubstr("at most 4096"));
  // The limit is bytes, not characters: 2049 two-byte letters are 4098 bytes.
  std::string o_umlaut;
  for (int i = 0; i < 2049; ++i) o_umlaut += "\xC3\xB6";
  ExpectInvalid(ValidateRequiredText(o_umlaut, "reason"), "reason");
}

TEST(TextTest, RequiredTextRejectsInvalidUtf8) {
  for (const char* v : {
           "abc\xFF",            // never valid
           "\xC3",               // truncated sequence
           "\xC0\xAF",           // overlong '/'
           "\xE0\x80\xAF",       // overlong
           "\xED\xA0\x80",       // UTF-16 surrogate
           "\xF4\x90\x80\x80",   // above U+10FFFF
           "\x80 continuation",  // stray continuation byte
       }) {
    absl::Status s = ValidateRequiredText(v, "notes[0].text");
    ExpectInvalid(s, "notes[0].text");
    EXPECT_THAT(std::string(s.message()), HasSubstr("not valid UTF-8"));
  }
}

TEST(TextTest, OptionalText) {
  EXPECT_TRUE(ValidateOptionalText("", "closing_reason").ok());
  EXPECT_TRUE(ValidateOptionalText("moved away", "closing_reason").ok());
  ExpectInvalid(ValidateOptionalText("   ", "closing_reason"), "closing_reason");
  ExpectInvalid(ValidateOptionalText("\xFF", "closing_reason"), "closing_reason");
  ExpectInvalid(ValidateOptionalText(std::string(kMaxTextBytes + 1, 'a'), "closing_reason"),
                "closing_reason");
}

TEST(DateTest, AcceptsRealDatesInRange) {
  for (const char* v : {"2024-09-01", "1900-01-01", "2200-12-31", "2024-02-29", "2000-02-29"}) {
    EXPECT_TRUE(ValidateDate(v, "due_date").ok()) << v;
  }
}

TEST(DateTest, RejectsWrongShape) {
  for (const char* v : {"", "2024-9-01", "2024/09/01", "20240901", "2024-09-01 ", " 2024-09-01",
                        "2024-09-0a", "24-09-01", "2024-09-011", "+024-09-01"}) {
    ExpectInvalid(ValidateDate(v, "action_plan[0].due_date"), "action_plan[0].due_date");
  }
  EXPECT_THAT(std::string(ValidateDate("2024/09/01", "d").message()),
              HasSubstr("expected a date YYYY-MM-DD"));
}

TEST(DateTest, RejectsImpossibleDates) {
  for (const char* v : {"2023-02-29", "1900-02-29", "2024-02-30", "2024-04-31", "2024-13-01",
                        "2024-00-10", "2024-01-00", "2024-01-32"}) {
    absl::Status s = ValidateDate(v, "assessments[1].date");
    ExpectInvalid(s, "assessments[1].date");
    EXPECT_THAT(std::string(s.message()), HasSubstr("not a real calendar date")) << v;
  }
}

TEST(DateTest, RejectsYearsOutOfRange) {
  for (const char* v : {"1899-12-31", "2201-01-01", "0000-01-01", "9999-12-31"}) {
    absl::Status s = ValidateDate(v, "date");
    ExpectInvalid(s, "date");
    EXPECT_THAT(std::string(s.message()), HasSubstr("from 1900 to 2200")) << v;
  }
}

TEST(DateTest, OptionalDate) {
  EXPECT_TRUE(ValidateOptionalDate("", "evaluation_date").ok());
  EXPECT_TRUE(ValidateOptionalDate("2025-01-15", "evaluation_date").ok());
  ExpectInvalid(ValidateOptionalDate("2025-02-30", "evaluation_date"), "evaluation_date");
  ExpectInvalid(ValidateOptionalDate(" ", "evaluation_date"), "evaluation_date");
}

TEST(PeriodTest, AcceptsOrderedAndOngoing) {
  EXPECT_TRUE(ValidatePeriod("2024-09-01", "2025-06-15", "services[0]").ok());
  EXPECT_TRUE(ValidatePeriod("2024-09-01", "2024-09-01", "services[0]").ok());
  EXPECT_TRUE(ValidatePeriod("2024-09-01", "", "services[0]").ok());
}

TEST(PeriodTest, RejectsBadStartOrEndNamingWhich) {
  absl::Status s = ValidatePeriod("", "2025-01-01", "services[0]");
  ExpectInvalid(s, "services[0]");
  EXPECT_THAT(std::string(s.message()), StartsWith("services[0]: start "));
  s = ValidatePeriod("2024-02-30", "", "services[0]");
  EXPECT_THAT(std::string(s.message()), StartsWith("services[0]: start "));
  s = ValidatePeriod("2024-01-01", "2025-13-01", "services[0]");
  ExpectInvalid(s, "services[0]");
  EXPECT_THAT(std::string(s.message()), StartsWith("services[0]: end "));
}

TEST(PeriodTest, RejectsEndBeforeStart) {
  absl::Status s = ValidatePeriod("2025-01-02", "2025-01-01", "services[3]");
  ExpectInvalid(s, "services[3]");
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("end 2025-01-01 is before start 2025-01-02; expected start <= end"));
  ExpectInvalid(ValidatePeriod("2025-01-01", "2024-12-31", "p"), "p");
}

TEST(EmailTest, AcceptsOrdinaryAddresses) {
  for (const char* v : {"mari.maasikas@tartu.ee", "a@b.ee", "first+tag@sub.domain.example.com",
                        "hevko@kool.tartu.ee"}) {
    EXPECT_TRUE(ValidateEmail(v, "contact.email").ok()) << v;
  }
  const std::string local(64, 'a');
  std::string longest = local + "@" + std::string(254 - 64 - 1 - 3, 'b') + ".ee";
  ASSERT_EQ(longest.size(), 254u);
  EXPECT_TRUE(ValidateEmail(longest, "email").ok());
}

TEST(EmailTest, RejectsMalformed) {
  for (const char* v :
       {"", "mari", "mari@", "@tartu.ee", "mari@tartu", "mari@@tartu.ee", "mari@a@tartu.ee",
        "mari maasikas@tartu.ee", "mari@tartu.ee ", " mari@tartu.ee", "mari@.tartu.ee",
        "mari@tartu.ee.", "mari@tartu..ee", "mari@tartu.e", "mari\t@tartu.ee", "mari@tartu.ee\n"}) {
    ExpectInvalid(ValidateEmail(v, "contacts[2].email"), "contacts[2].email");
  }
}

TEST(EmailTest, RejectsOverLength) {
  std::string too_long = "a@" + std::string(250, 'b') + ".ee";
  ASSERT_EQ(too_long.size(), 255u);
  absl::Status s = ValidateEmail(too_long, "email");
  ExpectInvalid(s, "email");
  EXPECT_THAT(std::string(s.message()), HasSubstr("at most 254 bytes"));
}

TEST(PhoneTest, AcceptsCommonForms) {
  for (const char* v : {"+372 5555 1234", "5555 1234", "+3725551234", "7 300 500", "12345",
                        "+372-5555-1234", "12345678901234567890", "+1 234 567 8900"}) {
    EXPECT_TRUE(ValidatePhone(v, "contact.phone").ok()) << v;
  }
}

TEST(PhoneTest, RejectsMalformed) {
  for (const char* v :
       {"", "+", "1234", "123456789012345678901", "+372  5555", "372 - 5555", " 5555 1234",
        "5555 1234 ", "+ 372 5555", "-5555 1234", "5555-", "++372 5555", "372+5555", "(372) 5555",
        "5555 1234 ext 2", "5555\t1234", "５５５５５"}) {
    ExpectInvalid(ValidatePhone(v, "contacts[0].phone"), "contacts[0].phone");
  }
  EXPECT_THAT(std::string(ValidatePhone("1234", "phone").message()), HasSubstr("has 4 digits"));
}

TEST(FieldsTest, MessagesQuoteHostileValuesShortAndEscaped) {
  absl::Status s = ValidateDate(std::string(500, 'x') + "\n", "date");
  EXPECT_LT(s.message().size(), 200u);
  EXPECT_THAT(std::string(s.message()), ::testing::Not(HasSubstr("\n")));
}

}  // namespace
}  // namespace hop::domain
