#include "daemon/figures/counting.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_format.h"
#include "daemon/base/status_macros.h"
#include "daemon/domain/stages.h"
#include "daemon/figures/suppression.h"

namespace hop::figures {
namespace {

using Dim = hop::v1::FigureDimension;
constexpr int kMonths = 12;

// (time, open after it) in time order: opened, each closing and reopening; a closed case
// whose history holds no closing (closed before closings were recorded) closed at updated_at.
std::vector<std::pair<int64_t, bool>> Transitions(const hop::v1::Case& c) {
  std::vector<std::pair<int64_t, bool>> t = {{c.created_at(), true}};
  for (const hop::v1::StageChange& h : c.history()) {
    if (h.event() == hop::v1::CASE_EVENT_CLOSED) t.emplace_back(h.at(), false);
    if (h.event() == hop::v1::CASE_EVENT_REOPENED) t.emplace_back(h.at(), true);
  }
  std::stable_sort(t.begin(), t.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  if (c.status() == hop::v1::CASE_CLOSED && t.back().second) {
    t.emplace_back(std::max(c.updated_at(), t.back().first), false);
  }
  return t;
}

bool OpenAt(const std::vector<std::pair<int64_t, bool>>& transitions, int64_t at) {
  bool open = false;
  for (const auto& [when, opens] : transitions) {
    if (when > at) break;
    open = opens;
  }
  return open;
}

// "I", "II", "III"; "" for none (not counted).
std::string StageCategory(hop::v1::Stage s) {
  return s >= hop::v1::STAGE_I && s <= hop::v1::STAGE_III ? domain::StageName(s) : "";
}

const char* LevelCategory(hop::v1::Level l) {
  switch (l) {
    case hop::v1::LEVEL_KINDERGARTEN:
      return "kindergarten";
    case hop::v1::LEVEL_SCHOOL:
      return "school";
    case hop::v1::LEVEL_MUNICIPALITY:
      return "municipality";
    default:
      return "";
  }
}

}  // namespace

absl::TimeZone EstonianTimeZone() {
  absl::TimeZone zone;
  if (absl::LoadTimeZone("Europe/Tallinn", &zone)) return zone;
  return absl::FixedTimeZone(2 * 3600);
}

const std::vector<Dim>& Dimensions() {
  static const std::vector<Dim> kAll = {hop::v1::FIGURE_BY_STAGE,
                                        hop::v1::FIGURE_BY_LEVEL,
                                        hop::v1::FIGURE_BY_NEED_AREA,
                                        hop::v1::FIGURE_BY_CHILD_PROTECTION,
                                        hop::v1::FIGURE_BY_OPENED_MONTH,
                                        hop::v1::FIGURE_BY_CLOSED_MONTH,
                                        hop::v1::FIGURE_BY_OPEN_AT_MONTH_END};
  return kAll;
}

Tally::Tally(absl::Time now, absl::TimeZone zone, const domain::CodeLists& codes)
    : now_(now), zone_(zone), codes_(codes) {
  const absl::CivilMonth current = absl::ToCivilMonth(now, zone);
  for (int i = kMonths - 1; i >= 0; --i) {
    const absl::CivilMonth m = current - i;
    month_names_.push_back(absl::StrFormat("%04d-%02d", m.year(), m.month()));
    const int64_t end = absl::ToUnixSeconds(absl::FromCivil(m + 1, zone)) - 1;
    month_ends_.push_back(std::min(end, absl::ToUnixSeconds(now)));
  }
  window_start_ = absl::ToUnixSeconds(absl::FromCivil(current - (kMonths - 1), zone));
}

int Tally::MonthOf(int64_t t) const {
  if (t < window_start_) return -1;
  const absl::CivilMonth m = absl::ToCivilMonth(absl::FromUnixSeconds(t), zone_);
  const int index =
      static_cast<int>(m - absl::CivilMonth(absl::ToCivilMonth(now_, zone_))) + kMonths - 1;
  return index >= 0 && index < kMonths ? index : -1;
}

void Tally::Add(const hop::v1::Case& c) {
  if (c.status() == hop::v1::CASE_OPEN) AddOpen(c);
  AddMonths(c);
}

void Tally::AddOpen(const hop::v1::Case& c) {
  auto count = [&](Dim d, const std::string& category) {
    if (category.empty()) return;
    ++counts_[d][category];
  };
  count(hop::v1::FIGURE_BY_STAGE, StageCategory(c.stage()));
  count(hop::v1::FIGURE_BY_LEVEL, LevelCategory(c.level()));
  count(hop::v1::FIGURE_BY_CHILD_PROTECTION, c.child_protection() ? "yes" : "no");
  std::set<std::string> areas;
  for (const std::string& code : c.need_areas()) {
    if (codes_.Find(domain::CodeKind::kNeedArea, code) != nullptr) areas.insert(code);
  }
  for (const std::string& code : areas) count(hop::v1::FIGURE_BY_NEED_AREA, code);
  if (!areas.empty()) ++totals_[hop::v1::FIGURE_BY_NEED_AREA];
}

void Tally::AddMonths(const hop::v1::Case& c) {
  if (int m = MonthOf(c.created_at()); m >= 0) {
    ++counts_[hop::v1::FIGURE_BY_OPENED_MONTH][month_names_[m]];
  }
  const std::vector<std::pair<int64_t, bool>> transitions = Transitions(c);
  for (size_t i = 1; i < transitions.size(); ++i) {
    const int m = MonthOf(transitions[i].first);
    if (!transitions[i].second && m >= 0) {
      ++counts_[hop::v1::FIGURE_BY_CLOSED_MONTH][month_names_[m]];
    }
  }
  bool counted = false;
  for (int m = 0; m < kMonths; ++m) {
    if (!OpenAt(transitions, month_ends_[m])) continue;
    ++counts_[hop::v1::FIGURE_BY_OPEN_AT_MONTH_END][month_names_[m]];
    counted = true;
  }
  if (counted) ++totals_[hop::v1::FIGURE_BY_OPEN_AT_MONTH_END];
}

std::vector<hop::v1::FigureVector> Tally::Vectors() const {
  std::vector<hop::v1::FigureVector> out;
  for (Dim d : Dimensions()) {
    std::vector<std::string> categories;
    switch (d) {
      case hop::v1::FIGURE_BY_STAGE:
        categories = {"I", "II", "III"};
        break;
      case hop::v1::FIGURE_BY_LEVEL:
        categories = {"kindergarten", "school", "municipality"};
        break;
      case hop::v1::FIGURE_BY_NEED_AREA:
        for (const hop::v1::Code& code : codes_.List(domain::CodeKind::kNeedArea)) {
          categories.push_back(code.code());
        }
        break;
      case hop::v1::FIGURE_BY_CHILD_PROTECTION:
        categories = {"yes", "no"};
        break;
      default:
        categories = month_names_;
    }
    hop::v1::FigureVector v;
    v.set_dimension(d);
    const auto found = counts_.find(d);
    uint64_t sum = 0;
    for (const std::string& category : categories) {
      hop::v1::FigureCell* cell = v.add_cells();
      cell->set_category(category);
      if (found == counts_.end()) continue;
      const auto n = found->second.find(category);
      if (n != found->second.end()) cell->set_count(n->second);
      sum += cell->count();
    }
    v.mutable_total()->set_category("total");
    const auto total = totals_.find(d);
    v.mutable_total()->set_count(IsAdditive(d) ? sum : total == totals_.end() ? 0 : total->second);
    out.push_back(std::move(v));
  }
  return out;
}

absl::StatusOr<hop::v1::MunicipalityFigures> PublishedFigures(const casework::RecordStore& records,
                                                              absl::TimeZone zone) {
  const absl::Time now = records.clock().Now();
  Tally tally(now, zone, domain::CountyCodes());
  HOP_RETURN_IF_ERROR(records.ScanCases("", [&](const hop::v1::Case& c) {
    tally.Add(c);
    return true;
  }));
  hop::v1::MunicipalityFigures figures;
  figures.set_municipality(records.municipality());
  figures.set_as_of(absl::ToUnixSeconds(now));
  for (hop::v1::FigureVector& v : tally.Vectors()) *figures.add_vectors() = Suppress(std::move(v));
  return figures;
}

}  // namespace hop::figures
