// Tests of enum words and option value checks (client/flag_values.h).
#include "client/flag_values.h"

#include "client/args.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hop::client {
namespace {

using ::testing::ElementsAre;

TEST(FlagValuesTest, EnumNames) {
  EXPECT_EQ(LevelName(hop::v1::LEVEL_SCHOOL), "school");
  EXPECT_EQ(StageName(hop::v1::STAGE_II), "II");
  EXPECT_EQ(StageName(hop::v1::STAGE_UNSPECIFIED), "-");
  EXPECT_EQ(CaseStatusName(hop::v1::CASE_CLOSED), "closed");
  EXPECT_EQ(RoleName(hop::v1::ROLE_CASE_MANAGER), "case-manager");
  EXPECT_EQ(RoleName(hop::v1::ROLE_INSTITUTION_COORDINATOR), "coordinator");
  EXPECT_EQ(RoleName(static_cast<hop::v1::Role>(99)), "-");
  EXPECT_EQ(InstitutionKindName(hop::v1::INSTITUTION_HOBBY_SCHOOL), "hobby-school");
  EXPECT_EQ(OwnershipName(hop::v1::OWNERSHIP_STATE), "state");
  EXPECT_EQ(ScopeName(hop::v1::SCOPE_SCHOOL_READINESS_CARD), "readiness");
}

TEST(FlagValuesTest, ParsesWordsInAnyCase) {
  EXPECT_EQ(ParseLevel("level", "School").value(), hop::v1::LEVEL_SCHOOL);
  EXPECT_EQ(ParseStage("to", "ii").value(), hop::v1::STAGE_II);
  EXPECT_EQ(ParseStage("to", "3").value(), hop::v1::STAGE_III);
  EXPECT_EQ(ParseCaseStatus("status", "open").value(), hop::v1::CASE_OPEN);
  EXPECT_EQ(ParseRole("role", "network-leader").value(), hop::v1::ROLE_NETWORK_LEADER);
  EXPECT_EQ(ParseInstitutionKind("kind", "rajaleidja").value(), hop::v1::INSTITUTION_RAJALEIDJA);
  EXPECT_EQ(ParseOwnership("ownership", "private").value(), hop::v1::OWNERSHIP_PRIVATE);
  EXPECT_EQ(ParseScope("scope", "services").value(), hop::v1::SCOPE_SERVICE_HISTORY);
}

TEST(FlagValuesTest, ErrorsNameTheFlagAndTheWords) {
  auto level = ParseLevel("level", "gymnasium");
  ASSERT_FALSE(level.ok());
  EXPECT_TRUE(IsUsageError(level.status()));
  EXPECT_EQ(level.status().message(),
            "--level: expected kindergarten, school or municipality, got 'gymnasium'");
  EXPECT_EQ(ParseStage("stage", "IV").status().message(),
            "--stage: expected I, II or III, got 'IV'");
  EXPECT_EQ(ParseRole("role", "boss").status().message(),
            "--role: expected teacher, coordinator, case-manager, child-protection, "
            "network-leader, admin, school-nurse, social-pedagogue, special-pedagogue, "
            "speech-therapist or psychologist, got 'boss'");
  // Issue 13: the support specialists, by the names hopd uses (domain::RoleName).
  EXPECT_EQ(ParseRole("role", "school-nurse").value(), hop::v1::ROLE_SCHOOL_NURSE);
  EXPECT_EQ(RoleName(hop::v1::ROLE_PSYCHOLOGIST), "psychologist");
}

TEST(FlagValuesTest, Dates) {
  EXPECT_EQ(ParseDate("due", "2024-02-29").value(), "2024-02-29");
  for (const char* bad : {"2023-02-29", "2024-13-01", "24-01-01", "2024-1-1", "tomorrow", ""}) {
    auto date = ParseDate("due", bad);
    ASSERT_FALSE(date.ok()) << bad;
    EXPECT_TRUE(IsUsageError(date.status()));
    EXPECT_THAT(std::string(date.status().message()),
                ::testing::StartsWith("--due: expected a date YYYY-MM-DD"));
  }
}

TEST(FlagValuesTest, DateMidnightInZone) {
  EXPECT_EQ(ParseDateMidnight("until", "2024-01-01", absl::UTCTimeZone()).value(), 1704067200);
  // Two hours east of UTC: midnight comes two hours earlier.
  EXPECT_EQ(ParseDateMidnight("until", "2024-01-01", absl::FixedTimeZone(7200)).value(),
            1704067200 - 7200);
  EXPECT_FALSE(ParseDateMidnight("until", "2024-01-32", absl::UTCTimeZone()).ok());
}

TEST(FlagValuesTest, Positive) {
  EXPECT_EQ(ParsePositive("limit", "5", 10).value(), 5u);
  EXPECT_FALSE(ParsePositive("limit", "0", 10).ok());
  EXPECT_FALSE(ParsePositive("limit", "11", 10).ok());
  EXPECT_FALSE(ParsePositive("limit", "-1", 10).ok());
  EXPECT_FALSE(ParsePositive("limit", "many", 10).ok());
}

TEST(FlagValuesTest, SplitList) {
  EXPECT_THAT(SplitList({"0793, 0171", "0283", ",,"}), ElementsAre("0793", "0171", "0283"));
  EXPECT_THAT(SplitList({""}), ElementsAre());
}

}  // namespace
}  // namespace hop::client
