// Tests of hopctl's output building blocks (client/output.h).
#include "client/output.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hop/v1/records.pb.h"

namespace hop::client {
namespace {

using ::testing::HasSubstr;

TEST(OutputTest, TableAlignsColumnsByCodePoints) {
  Table table({"ID", "NAME", "ROLE"});
  table.AddRow({"0793-P1", "Jüri Õun", "HEVKO"});
  table.AddRow({"0793-P10", "Ann", ""});
  EXPECT_EQ(table.Render(),
            "ID        NAME      ROLE\n"
            "0793-P1   Jüri Õun  HEVKO\n"
            "0793-P10  Ann\n");
  EXPECT_EQ(table.rows(), 2u);
}

TEST(OutputTest, TableCleansControlCharacters) {
  Table table({"A", "B"});
  table.AddRow({"x\ny", "\x1b[31mred"});
  EXPECT_EQ(table.Render(), "A    B\nx y   [31mred\n");
}

TEST(OutputTest, KeyValueBlock) {
  KeyValueBlock block;
  block.Add("case", "0793-C1");
  block.Add("case manager", "");
  block.AddList("needs", {});
  block.AddList("stage history", {"a", "b"});
  EXPECT_EQ(block.Render(),
            "case:         0793-C1\n"
            "case manager: -\n"
            "needs:        -\n"
            "stage history:\n"
            "  - a\n"
            "  - b\n");
}

TEST(OutputTest, Times) {
  EXPECT_EQ(FormatTime(0, absl::UTCTimeZone()), "-");
  EXPECT_EQ(FormatTime(1704067200, absl::UTCTimeZone()), "2024-01-01 00:00");
  EXPECT_EQ(FormatTime(1704067200, absl::FixedTimeZone(7200)), "2024-01-01 02:00");
}

TEST(OutputTest, Helpers) {
  EXPECT_EQ(OrDash(""), "-");
  EXPECT_EQ(OrDash("a\tb"), "a b");
  EXPECT_EQ(JoinOrDash({}), "-");
  EXPECT_EQ(JoinOrDash({"a", "b"}), "a, b");
  EXPECT_EQ(DisplayWidth("Õun"), 3u);
}

TEST(OutputTest, JsonKeepsProtoNamesAndZeroValues) {
  hop::v1::Case c;
  c.set_id("0793-C1");
  c.set_stage(hop::v1::STAGE_II);
  auto json = ToJson(c);
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_THAT(*json, HasSubstr("\"id\": \"0793-C1\""));
  EXPECT_THAT(*json, HasSubstr("\"stage\": \"STAGE_II\""));
  EXPECT_THAT(*json, HasSubstr("\"child_protection\": false"));
  EXPECT_THAT(*json, HasSubstr("\"institution_id\""));
  EXPECT_EQ(json->back(), '\n');
}

}  // namespace
}  // namespace hop::client
