// This node's county figures (issue 13): counts of its own cases, never who they are about.
//
// Categories, in this fixed order (every node of the county publishes the same ones):
//   FIGURE_BY_STAGE             "I", "II", "III"                              open cases
//   FIGURE_BY_LEVEL             "kindergarten", "school", "municipality"      open cases
//   FIGURE_BY_NEED_AREA         every need-area code of the county code list
//                               (domain/code_lists.h), in list order; a case counts once
//                               per need area it has; total = open cases with any of them
//   FIGURE_BY_CHILD_PROTECTION  "yes", "no"                                   open cases
//   FIGURE_BY_OPENED_MONTH      "YYYY-MM", the 12 calendar months ending with the current
//                               one in `zone`; cases by Case.created_at
//   FIGURE_BY_CLOSED_MONTH      the same months; each closing (a history entry with event
//                               CASE_EVENT_CLOSED; a closed case without one, closed before
//                               closings were recorded, at its updated_at)
//   FIGURE_BY_OPEN_AT_MONTH_END the same months; cases open at the end of the month (the
//                               current month: now), following closings and reopenings
//                               (CASE_EVENT_REOPENED); total = cases open at any of them
// Open = opened and not closed (Case.status). Totals of the other dimensions are the sums.
//
// Tally is pure (thread-compatible); PublishedFigures reads the store (thread-safe as
// RecordStore is) and returns the figures already suppressed (suppression.h): no raw count
// leaves this module except through Tally, which tests use.
#ifndef HOP_DAEMON_FIGURES_COUNTING_H_
#define HOP_DAEMON_FIGURES_COUNTING_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "daemon/casework/record_store.h"
#include "daemon/domain/code_lists.h"
#include "hop/v1/figures.pb.h"
#include "hop/v1/records.pb.h"

namespace hop::figures {

// The time zone figures are counted in: Europe/Tallinn, or (where the system has no time
// zone data) Estonian winter time, UTC+2.
absl::TimeZone EstonianTimeZone();

// The dimensions in the order published.
const std::vector<hop::v1::FigureDimension>& Dimensions();

class Tally {
 public:
  // `codes` must outlive the Tally.
  Tally(absl::Time now, absl::TimeZone zone, const domain::CodeLists& codes);

  void Add(const hop::v1::Case& c);

  // The raw (unsuppressed) vectors, one per dimension in Dimensions() order.
  std::vector<hop::v1::FigureVector> Vectors() const;

 private:
  // Index of the month of `t` among the 12 counted, or -1 outside them.
  int MonthOf(int64_t t) const;
  void AddOpen(const hop::v1::Case& c);
  void AddMonths(const hop::v1::Case& c);

  const absl::Time now_;
  const absl::TimeZone zone_;
  const domain::CodeLists& codes_;
  std::vector<std::string> month_names_;  // 12, oldest first
  std::vector<int64_t> month_ends_;       // the instant each month's count is taken at
  int64_t window_start_ = 0;
  // counts[dimension][category]; totals[dimension]
  std::map<hop::v1::FigureDimension, std::map<std::string, uint64_t>> counts_;
  std::map<hop::v1::FigureDimension, uint64_t> totals_;
};

// This node's figures as published: every vector of Tally over all the node's cases,
// suppressed; municipality = the node's, as_of = now.
absl::StatusOr<hop::v1::MunicipalityFigures> PublishedFigures(const casework::RecordStore& records,
                                                              absl::TimeZone zone);

}  // namespace hop::figures

#endif  // HOP_DAEMON_FIGURES_COUNTING_H_
