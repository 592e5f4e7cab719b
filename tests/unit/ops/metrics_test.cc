// The Prometheus text exposition of ops::Registry (daemon/ops/metrics.h): counters, cumulative
// histogram buckets with +Inf, _sum and _count, label escaping, collectors, HELP and TYPE once
// per family. The endpoint itself is tested with promtool on a real node
// (tests/ops/node/node_ops_test.cc).
#include "daemon/ops/metrics.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hop::ops {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(MetricsTest, CountersHistogramsAndCollectorsRender) {
  Registry& r = Registry::Default();
  r.Describe("test_calls_total", "counter", "Calls\nof the test");
  r.Count("test_calls_total", {{"peer", "0171"}});
  r.Count("test_calls_total", {{"peer", "0171"}}, 2);
  r.Count("test_calls_total", {{"peer", "a\"b\\c"}});
  r.Observe("test_duration_seconds", {{"peer", "0171"}}, absl::Milliseconds(3));
  r.Observe("test_duration_seconds", {{"peer", "0171"}}, absl::Seconds(2));
  r.Observe("test_duration_seconds", {{"peer", "0171"}}, absl::Hours(1));
  const int id = r.AddCollector([](TextWriter& out) {
    out.Family("test_gauge", "gauge", "A gauge");
    out.Sample("test_gauge", {}, 1.5);
  });
  const std::string text = r.Render();
  r.RemoveCollector(id);

  EXPECT_THAT(text, HasSubstr("# HELP test_calls_total Calls\\nof the test\n"
                              "# TYPE test_calls_total counter\n"));
  EXPECT_THAT(text, HasSubstr("test_calls_total{peer=\"0171\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("test_calls_total{peer=\"a\\\"b\\\\c\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE test_duration_seconds histogram\n"));
  EXPECT_THAT(text, HasSubstr("test_duration_seconds_bucket{peer=\"0171\",le=\"0.001\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("test_duration_seconds_bucket{peer=\"0171\",le=\"0.005\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("test_duration_seconds_bucket{peer=\"0171\",le=\"2.5\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("test_duration_seconds_bucket{peer=\"0171\",le=\"600\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("test_duration_seconds_bucket{peer=\"0171\",le=\"+Inf\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("test_duration_seconds_sum{peer=\"0171\"} 3602.003\n"));
  EXPECT_THAT(text, HasSubstr("test_duration_seconds_count{peer=\"0171\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE test_gauge gauge\ntest_gauge 1.5\n"));
  EXPECT_THAT(r.Render(), Not(HasSubstr("test_gauge"))) << "a removed collector is not called";
}

TEST(MetricsTest, ScopedTimerObservesOnce) {
  { ScopedTimer timer("test_timer_seconds", {}); }
  EXPECT_THAT(Registry::Default().Render(), HasSubstr("test_timer_seconds_count 1\n"));
}

}  // namespace
}  // namespace hop::ops
