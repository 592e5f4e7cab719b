// Scheduling rules: the nightly slot in local time with this node's fixed jitter, the
// catch-up slot, and the retry backoff of a failed peer.
#include "daemon/federation/scheduler.h"

#include "gtest/gtest.h"

namespace hop::federation {
namespace {

const absl::TimeZone kTallinnWinter = absl::FixedTimeZone(2 * 3600);

absl::Time At(int y, int mo, int d, int h, int mi, int s = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), kTallinnWinter);
}

TEST(SchedulerTest, ParsesTimeOfDayAndNamesTheFieldOnError) {
  absl::StatusOr<TimeOfDay> t = ParseTimeOfDay("02:30", "sync.nightly_at");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->hour, 2);
  EXPECT_EQ(t->minute, 30);
  for (const char* bad : {"2:30", "24:00", "02:60", "0230", "", "ab:cd"}) {
    absl::StatusOr<TimeOfDay> r = ParseTimeOfDay(bad, "sync.nightly_at");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("sync.nightly_at"), absl::string_view::npos);
  }
}

TEST(SchedulerTest, JitterIsFixedPerMunicipalityAndWithinBounds) {
  EXPECT_EQ(NightlyJitter("0793", 0), absl::ZeroDuration());
  EXPECT_EQ(NightlyJitter("0793", 30), NightlyJitter("0793", 30)) << "stable across runs";
  int distinct = 0;
  absl::Duration previous = absl::InfiniteDuration();
  for (const char* code : {"0793", "0171", "0283", "0291", "0432", "0528", "0586", "0796"}) {
    const absl::Duration j = NightlyJitter(code, 30);
    EXPECT_GE(j, absl::ZeroDuration()) << code;
    EXPECT_LE(j, absl::Minutes(30)) << code;
    if (j != previous) ++distinct;
    previous = j;
  }
  EXPECT_GT(distinct, 4) << "the eight nodes should not all pull at the same moment";
}

TEST(SchedulerTest, NextNightlyIsTheNextSlotAfterNowWithJitter) {
  const TimeOfDay at{2, 30};
  const absl::Duration jitter = absl::Minutes(7);
  EXPECT_EQ(NextNightly(At(2026, 11, 23, 1, 0), at, jitter, kTallinnWinter),
            At(2026, 11, 23, 2, 37));
  EXPECT_EQ(NextNightly(At(2026, 11, 23, 2, 37), at, jitter, kTallinnWinter),
            At(2026, 11, 24, 2, 37))
      << "strictly after";
  EXPECT_EQ(NextNightly(At(2026, 11, 23, 15, 0), at, jitter, kTallinnWinter),
            At(2026, 11, 24, 2, 37));
  // A jitter that pushes the slot past midnight.
  EXPECT_EQ(
      NextNightly(At(2026, 11, 23, 23, 0), TimeOfDay{23, 50}, absl::Minutes(30), kTallinnWinter),
      At(2026, 11, 24, 0, 20));
  EXPECT_EQ(
      NextNightly(At(2026, 11, 24, 0, 10), TimeOfDay{23, 50}, absl::Minutes(30), kTallinnWinter),
      At(2026, 11, 24, 0, 20))
      << "yesterday's slot, jittered into today, is still ahead";
}

TEST(SchedulerTest, RetryBackoffDoublesUpToTheCap) {
  RetryPolicy retry{60, 3600};
  EXPECT_EQ(retry.DelayAfter(1), 60);
  EXPECT_EQ(retry.DelayAfter(2), 120);
  EXPECT_EQ(retry.DelayAfter(3), 240);
  EXPECT_EQ(retry.DelayAfter(7), 3600);
  EXPECT_EQ(retry.DelayAfter(1000), 3600);
  RetryPolicy quick{1, 2};
  EXPECT_EQ(quick.DelayAfter(1), 1);
  EXPECT_EQ(quick.DelayAfter(5), 2);
}

}  // namespace
}  // namespace hop::federation
