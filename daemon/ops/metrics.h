// Prometheus metrics of one hopd (issue 5): counters and histograms that code updates as it
// works, plus collectors that read gauges off the node's state at scrape time, rendered in the
// Prometheus text exposition format 0.0.4. No personal data ever goes into a metric: labels
// are municipality codes, method names, column families and fixed reasons.
//
// One process-wide registry (Registry::Default()), as Prometheus client libraries do: the
// code that counts needs no wiring. Thread-safe.
#ifndef HOP_DAEMON_OPS_METRICS_H_
#define HOP_DAEMON_OPS_METRICS_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace hop::ops {

// Label name -> value, e.g. {{"peer", "0171"}}.
using Labels = std::vector<std::pair<std::string, std::string>>;

// Writes metric families in the text format. Each family is written once: HELP, TYPE, then
// its samples.
class TextWriter {
 public:
  void Family(const std::string& name, const std::string& type, const std::string& help);
  void Sample(const std::string& name, const Labels& labels, double value);
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

class Registry {
 public:
  static Registry& Default();

  // Adds `by` to the counter `name` with `labels` (created at 0 on first use).
  void Count(const std::string& name, const Labels& labels, double by = 1);
  // Records one observation of the histogram `name` (seconds) with `labels`.
  void Observe(const std::string& name, const Labels& labels, absl::Duration value);

  // Declares a family's help text and type ("counter" / "histogram"); families are listed
  // even before their first sample.
  void Describe(const std::string& name, const std::string& type, const std::string& help);

  // Adds a collector called at each scrape (without the registry's lock held) to write gauges
  // read off live state. Returns an id for RemoveCollector. What a collector reads must
  // outlive any Render that may call it: stop the scrape endpoint, then remove the collector,
  // then destroy what it reads.
  int AddCollector(std::function<void(TextWriter&)> collect);
  void RemoveCollector(int id);

  // The whole exposition.
  std::string Render();

 private:
  struct Histogram {
    std::vector<uint64_t> buckets;  // cumulative at render time; per-bucket counts here
    uint64_t count = 0;
    double sum = 0;
  };
  struct FamilyInfo {
    std::string type, help;
    std::map<Labels, double> counters;
    std::map<Labels, Histogram> histograms;
  };
  absl::Mutex mu_;
  std::map<std::string, FamilyInfo> families_ ABSL_GUARDED_BY(mu_);
  std::map<int, std::function<void(TextWriter&)>> collectors_ ABSL_GUARDED_BY(mu_);
  int next_collector_ ABSL_GUARDED_BY(mu_) = 0;
};

// Upper bounds (seconds) of every histogram's buckets: 1 ms to 10 min.
const std::vector<double>& HistogramBounds();

// Times a scope into a histogram.
class ScopedTimer {
 public:
  ScopedTimer(std::string name, Labels labels)
      : name_(std::move(name)), labels_(std::move(labels)), start_(absl::Now()) {}
  ~ScopedTimer() { Registry::Default().Observe(name_, labels_, absl::Now() - start_); }
  ScopedTimer(const ScopedTimer&) = delete;
  ScopedTimer& operator=(const ScopedTimer&) = delete;

 private:
  std::string name_;
  Labels labels_;
  absl::Time start_;
};

}  // namespace hop::ops

#endif  // HOP_DAEMON_OPS_METRICS_H_
