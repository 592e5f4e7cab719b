// NudgeLimiter: a nudge is served at once, then at most one nudged pull per origin per
// interval; nudges while one is pending coalesce; a nudge inside the interval is not lost.
#include "daemon/federation/nudge_limiter.h"

#include "gtest/gtest.h"

namespace hop::federation {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1795000000);

TEST(NudgeLimiterTest, FirstNudgeIsDueAtOnce) {
  NudgeLimiter limiter(absl::Seconds(10));
  EXPECT_EQ(limiter.NextDue(), absl::InfiniteFuture());
  EXPECT_TRUE(limiter.Nudge("0171", kT0));
  EXPECT_EQ(limiter.NextDue(), kT0);
  EXPECT_EQ(limiter.TakeDue(kT0), std::vector<std::string>{"0171"});
  EXPECT_TRUE(limiter.TakeDue(kT0).empty());
  EXPECT_EQ(limiter.NextDue(), absl::InfiniteFuture());
}

TEST(NudgeLimiterTest, AFloodCostsOnePullPerInterval) {
  NudgeLimiter limiter(absl::Seconds(10));
  int pulls = 0;
  // 1,000 nudges a second for 60 s, pulls taken whenever due.
  for (int ms = 0; ms < 60000; ++ms) {
    const absl::Time now = kT0 + absl::Milliseconds(ms);
    limiter.Nudge("0171", now);
    pulls += static_cast<int>(limiter.TakeDue(now).size());
  }
  EXPECT_EQ(pulls, 6) << "one pull at once, then one per 10 s";
}

TEST(NudgeLimiterTest, NudgeInsideTheIntervalWaitsForItsEnd) {
  NudgeLimiter limiter(absl::Seconds(10));
  limiter.Nudge("0171", kT0);
  ASSERT_EQ(limiter.TakeDue(kT0).size(), 1u);
  EXPECT_TRUE(limiter.Nudge("0171", kT0 + absl::Seconds(3)));
  EXPECT_FALSE(limiter.Nudge("0171", kT0 + absl::Seconds(4))) << "coalesced";
  EXPECT_EQ(limiter.NextDue(), kT0 + absl::Seconds(10));
  EXPECT_TRUE(limiter.TakeDue(kT0 + absl::Seconds(9)).empty());
  EXPECT_EQ(limiter.TakeDue(kT0 + absl::Seconds(10)), std::vector<std::string>{"0171"});
}

TEST(NudgeLimiterTest, OriginsAreLimitedSeparately) {
  NudgeLimiter limiter(absl::Seconds(10));
  limiter.Nudge("0171", kT0);
  limiter.TakeDue(kT0);
  limiter.Nudge("0171", kT0 + absl::Seconds(1));
  limiter.Nudge("0283", kT0 + absl::Seconds(1));
  EXPECT_EQ(limiter.TakeDue(kT0 + absl::Seconds(1)), std::vector<std::string>{"0283"});
  EXPECT_EQ(limiter.NextDue(), kT0 + absl::Seconds(10));
}

}  // namespace
}  // namespace hop::federation
