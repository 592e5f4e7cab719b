#include "daemon/domain/stages.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hop::domain {
namespace {

using hop::v1::Stage;
using ::testing::HasSubstr;
using ::testing::StartsWith;

hop::v1::Case MakeCase(Stage stage, hop::v1::CaseStatus status, bool child_protection) {
  hop::v1::Case c;
  c.set_id("0793-C17");
  c.set_origin("0793");
  c.set_stage(stage);
  c.set_status(status);
  c.set_child_protection(child_protection);
  c.set_closing_reason("private closing note");
  return c;
}

constexpr Stage kStages[] = {hop::v1::STAGE_I, hop::v1::STAGE_II, hop::v1::STAGE_III};

TEST(StagesTest, StageName) {
  EXPECT_STREQ(StageName(hop::v1::STAGE_I), "I");
  EXPECT_STREQ(StageName(hop::v1::STAGE_II), "II");
  EXPECT_STREQ(StageName(hop::v1::STAGE_III), "III");
  EXPECT_STREQ(StageName(hop::v1::STAGE_UNSPECIFIED), "unspecified");
  EXPECT_STREQ(StageName(static_cast<Stage>(42)), "unspecified");
}

TEST(StagesTest, CheckOpen) {
  EXPECT_TRUE(CheckOpen(MakeCase(hop::v1::STAGE_II, hop::v1::CASE_OPEN, false)).ok());
  absl::Status s = CheckOpen(MakeCase(hop::v1::STAGE_II, hop::v1::CASE_CLOSED, false));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()), StartsWith("case 0793-C17 is closed ("));
  // The closing reason is free text and stays out of messages.
  EXPECT_THAT(std::string(s.message()), ::testing::Not(HasSubstr("private")));
  // Fails closed on a case without an explicit open status.
  s = CheckOpen(MakeCase(hop::v1::STAGE_II, hop::v1::CASE_STATUS_UNSPECIFIED, false));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()), StartsWith("case 0793-C17 is closed ("));
}

// Every (from, to) pair on open cases, on and off the child-protection track: only one step
// up is allowed; the track does not change the stage rules.
TEST(StagesTest, EveryPairOnOpenCases) {
  for (bool cp : {false, true}) {
    for (Stage from : kStages) {
      for (Stage to : kStages) {
        const hop::v1::Case c = MakeCase(from, hop::v1::CASE_OPEN, cp);
        absl::Status s = CheckEscalation(c, to);
        const std::string pair = std::string(StageName(from)) + " -> " + StageName(to);
        if (static_cast<int>(to) == static_cast<int>(from) + 1) {
          EXPECT_TRUE(s.ok()) << pair << " cp=" << cp << ": " << s;
        } else {
          EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << pair;
          EXPECT_THAT(std::string(s.message()), StartsWith("illegal stage change " + pair + ": "));
        }
      }
    }
  }
}

TEST(StagesTest, MessagesNameTheAllowedNextStage) {
  auto message = [](Stage from, Stage to) {
    return std::string(CheckEscalation(MakeCase(from, hop::v1::CASE_OPEN, false), to).message());
  };
  EXPECT_EQ(message(hop::v1::STAGE_II, hop::v1::STAGE_II),
            "illegal stage change II -> II: the case is already at stage II; the allowed next "
            "stage is III");
  EXPECT_EQ(message(hop::v1::STAGE_I, hop::v1::STAGE_III),
            "illegal stage change I -> III: stages move one step at a time; the allowed next "
            "stage is II");
  EXPECT_EQ(message(hop::v1::STAGE_III, hop::v1::STAGE_I),
            "illegal stage change III -> I: stages never go backwards; stage III is the last "
            "stage, no further escalation (the child-protection track stays available)");
  EXPECT_THAT(message(hop::v1::STAGE_II, hop::v1::STAGE_I),
              HasSubstr("never go backwards; the allowed next stage is III"));
  EXPECT_THAT(message(hop::v1::STAGE_III, hop::v1::STAGE_III), HasSubstr("last stage"));
}

TEST(StagesTest, EveryPairOnClosedCasesIsRefused) {
  for (bool cp : {false, true}) {
    for (Stage from : kStages) {
      for (Stage to : kStages) {
        absl::Status s = CheckEscalation(MakeCase(from, hop::v1::CASE_CLOSED, cp), to);
        const std::string pair = std::string(StageName(from)) + " -> " + StageName(to);
        EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << pair;
        EXPECT_THAT(std::string(s.message()), StartsWith("illegal stage change " + pair + ": "));
        EXPECT_THAT(std::string(s.message()), HasSubstr("is closed")) << pair;
      }
    }
  }
}

TEST(StagesTest, ToStageMustBeAStage) {
  for (hop::v1::CaseStatus status : {hop::v1::CASE_OPEN, hop::v1::CASE_CLOSED}) {
    for (Stage from : kStages) {
      const hop::v1::Case c = MakeCase(from, status, false);
      absl::Status s = CheckEscalation(c, hop::v1::STAGE_UNSPECIFIED);
      EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
      EXPECT_EQ(s.message(), "to_stage: is unspecified; expected II or III");
      s = CheckEscalation(c, static_cast<Stage>(7));
      EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
      EXPECT_EQ(s.message(), "to_stage: 7 is not a stage; expected I, II or III");
      EXPECT_EQ(CheckEscalation(c, static_cast<Stage>(-1)).code(),
                absl::StatusCode::kInvalidArgument);
    }
  }
}

TEST(StagesTest, CaseWithoutStageCannotEscalate) {
  for (Stage to : kStages) {
    absl::Status s =
        CheckEscalation(MakeCase(hop::v1::STAGE_UNSPECIFIED, hop::v1::CASE_OPEN, false), to);
    EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(std::string(s.message()),
                StartsWith(std::string("illegal stage change unspecified -> ") + StageName(to)));
  }
  absl::Status s = CheckEscalation(MakeCase(static_cast<Stage>(9), hop::v1::CASE_OPEN, false),
                                   hop::v1::STAGE_II);
  EXPECT_THAT(std::string(s.message()), StartsWith("illegal stage change 9 -> II: "));
}

TEST(StagesTest, ChildProtectionFromAnyOpenStageOnce) {
  for (Stage from : kStages) {
    hop::v1::Case c = MakeCase(from, hop::v1::CASE_OPEN, false);
    EXPECT_TRUE(CheckMoveToChildProtection(c).ok()) << StageName(from);
    c.set_child_protection(true);
    absl::Status s = CheckMoveToChildProtection(c);
    EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(s.message(), "case 0793-C17 is already on the child-protection track");
  }
}

TEST(StagesTest, ChildProtectionRefusedOnClosedCases) {
  for (bool cp : {false, true}) {
    for (Stage from : kStages) {
      absl::Status s = CheckMoveToChildProtection(MakeCase(from, hop::v1::CASE_CLOSED, cp));
      EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
      EXPECT_THAT(std::string(s.message()), StartsWith("case 0793-C17 is closed"));
    }
  }
}

}  // namespace
}  // namespace hop::domain
