#include "daemon/ops/metrics.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"

namespace hop::ops {
namespace {

std::string Value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return absl::StrFormat("%.0f", v);
  return absl::StrFormat("%.15g", v);
}

std::string LabelText(const Labels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    absl::StrAppend(
        &out, i == 0 ? "" : ",", labels[i].first, "=\"",
        absl::StrReplaceAll(labels[i].second, {{"\\", "\\\\"}, {"\"", "\\\""}, {"\n", "\\n"}}),
        "\"");
  }
  return out + "}";
}

}  // namespace

void TextWriter::Family(const std::string& name, const std::string& type, const std::string& help) {
  absl::StrAppend(&text_, "# HELP ", name, " ",
                  absl::StrReplaceAll(help, {{"\\", "\\\\"}, {"\n", "\\n"}}), "\n# TYPE ", name,
                  " ", type, "\n");
}

void TextWriter::Sample(const std::string& name, const Labels& labels, double value) {
  absl::StrAppend(&text_, name, LabelText(labels), " ", Value(value), "\n");
}

const std::vector<double>& HistogramBounds() {
  static const auto* bounds = new std::vector<double>{
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 600};
  return *bounds;
}

Registry& Registry::Default() {
  static Registry* registry = new Registry();
  return *registry;
}

void Registry::Describe(const std::string& name, const std::string& type, const std::string& help) {
  absl::MutexLock lock(&mu_);
  FamilyInfo& f = families_[name];
  f.type = type;
  f.help = help;
}

void Registry::Count(const std::string& name, const Labels& labels, double by) {
  absl::MutexLock lock(&mu_);
  FamilyInfo& f = families_[name];
  if (f.type.empty()) f.type = "counter";
  f.counters[labels] += by;
}

void Registry::Observe(const std::string& name, const Labels& labels, absl::Duration value) {
  const double seconds = absl::ToDoubleSeconds(value);
  const std::vector<double>& bounds = HistogramBounds();
  absl::MutexLock lock(&mu_);
  FamilyInfo& f = families_[name];
  if (f.type.empty()) f.type = "histogram";
  Histogram& h = f.histograms[labels];
  if (h.buckets.empty()) h.buckets.assign(bounds.size(), 0);
  for (size_t i = 0; i < bounds.size(); ++i) {
    if (seconds <= bounds[i]) {
      ++h.buckets[i];
      break;
    }
  }
  ++h.count;
  h.sum += seconds;
}

int Registry::AddCollector(std::function<void(TextWriter&)> collect) {
  absl::MutexLock lock(&mu_);
  collectors_[next_collector_] = std::move(collect);
  return next_collector_++;
}

void Registry::RemoveCollector(int id) {
  absl::MutexLock lock(&mu_);
  collectors_.erase(id);
}

std::string Registry::Render() {
  TextWriter out;
  std::vector<std::function<void(TextWriter&)>> collectors;
  {
    absl::MutexLock lock(&mu_);
    const std::vector<double>& bounds = HistogramBounds();
    for (const auto& [name, f] : families_) {
      out.Family(name, f.type, f.help.empty() ? name : f.help);
      for (const auto& [labels, value] : f.counters) out.Sample(name, labels, value);
      for (const auto& [labels, h] : f.histograms) {
        uint64_t cumulative = 0;
        for (size_t i = 0; i <= bounds.size(); ++i) {
          Labels with_le = labels;
          if (i < bounds.size()) {
            cumulative += h.buckets[i];
            with_le.emplace_back("le", Value(bounds[i]));
          } else {
            cumulative = h.count;
            with_le.emplace_back("le", "+Inf");
          }
          out.Sample(name + "_bucket", with_le, static_cast<double>(cumulative));
        }
        out.Sample(name + "_sum", labels, h.sum);
        out.Sample(name + "_count", labels, static_cast<double>(h.count));
      }
    }
    for (const auto& [id, collect] : collectors_) collectors.push_back(collect);
  }
  // Outside the lock: collectors take the locks of what they read (the puller, the store),
  // whose holders may be counting into this registry at the same time.
  for (const auto& collect : collectors) collect(out);
  return out.text();
}

}  // namespace hop::ops
