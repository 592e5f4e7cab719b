// Small-cell suppression of case counts (issue 13, county figures): no count of 1 to 4 cases
// is ever published, and no published count lets a reader work one out. Pure functions,
// thread-safe; no I/O.
//
// Suppress(vector) — one vector of raw counts (cells plus their total):
//  - a cell of 0 is shown (count 0, suppressed false);
//  - a cell of 1..4 is suppressed: count set to 0, suppressed true (primary);
//  - a cell already marked suppressed stays suppressed, its count set to 0 (so the function
//    is idempotent and may be run again on what a peer sent);
//  - the total: suppressed the same way when 1..4 (0 and >= 5 are shown);
//  - additive dimensions (the cells add up to the total: stage, level, child protection,
//    opened and closed per month, and FIGURE_DIMENSION_UNSPECIFIED for a plain cross-table
//    such as CountCases): while the total is shown and what the total leaves for the
//    suppressed cells (total minus the shown cells) is 1..4, the smallest shown non-zero cell
//    is suppressed as well (secondary); if there is none, the total is suppressed. So a
//    cell of 3 is hidden, and so is the cell that would reveal it, and two hidden cells never
//    sum to a small number a reader could split;
//  - dimensions whose cells do not add up (need areas: a case counts once per need area it
//    has; open at each month end: a case counts in every month it was open): primary
//    suppression only.
//
// SumCounty(vectors) — the county row over municipalities' published (already suppressed)
// vectors of one dimension with the same categories in the same order:
//  - a county cell is the sum of the municipalities' cells of its category; it is shown only
//    if no municipality's cell of that category was suppressed (else suppressed, count 0),
//    and then suppressed itself if 1..4; the county total likewise from the municipalities'
//    totals;
//  - then the secondary rule above for additive dimensions.
//  - the dimension and categories are the first vector's; with no vectors, an empty vector.
//
// SuppressCounts(response) — CountCases: every row (level × stage × track × status) and the
// total as one additive vector. A suppressed total is 0; rows stay in place, suppressed ones
// with count 0 and suppressed true.
#ifndef HOP_DAEMON_FIGURES_SUPPRESSION_H_
#define HOP_DAEMON_FIGURES_SUPPRESSION_H_

#include <cstdint>
#include <vector>

#include "hop/v1/casework.pb.h"
#include "hop/v1/figures.pb.h"

namespace hop::figures {

// Cells of fewer cases than this (and more than none) are never published.
inline constexpr uint64_t kThreshold = 5;

// Whether the cells of `dimension` add up to its total (see above).
bool IsAdditive(hop::v1::FigureDimension dimension);

hop::v1::FigureVector Suppress(hop::v1::FigureVector vector);

hop::v1::FigureVector SumCounty(const std::vector<const hop::v1::FigureVector*>& vectors);

hop::v1::CountCasesResponse SuppressCounts(hop::v1::CountCasesResponse counts);

}  // namespace hop::figures

#endif  // HOP_DAEMON_FIGURES_SUPPRESSION_H_
