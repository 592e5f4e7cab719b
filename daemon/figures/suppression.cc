#include "daemon/figures/suppression.h"

namespace hop::figures {
namespace {

bool Small(uint64_t count) { return count > 0 && count < kThreshold; }

void Hide(hop::v1::FigureCell& cell) {
  cell.set_count(0);
  cell.set_suppressed(true);
}

// Primary suppression of one cell.
void SuppressCell(hop::v1::FigureCell& cell) {
  if (cell.suppressed() || Small(cell.count())) Hide(cell);
}

// Secondary suppression: while the shown total leaves 1..4 cases to the suppressed cells,
// hide the smallest shown non-zero cell (or, with none left, the total).
void ProtectHiddenSum(hop::v1::FigureVector& v) {
  if (!IsAdditive(v.dimension())) return;
  while (!v.total().suppressed()) {
    uint64_t shown = 0;
    hop::v1::FigureCell* smallest = nullptr;
    for (hop::v1::FigureCell& cell : *v.mutable_cells()) {
      if (cell.suppressed()) continue;
      shown += cell.count();
      if (cell.count() > 0 && (smallest == nullptr || cell.count() < smallest->count())) {
        smallest = &cell;
      }
    }
    const uint64_t hidden = v.total().count() > shown ? v.total().count() - shown : 0;
    if (!Small(hidden)) return;
    if (smallest == nullptr) {
      Hide(*v.mutable_total());
      return;
    }
    Hide(*smallest);
  }
}

}  // namespace

bool IsAdditive(hop::v1::FigureDimension dimension) {
  return dimension != hop::v1::FIGURE_BY_NEED_AREA &&
         dimension != hop::v1::FIGURE_BY_OPEN_AT_MONTH_END;
}

hop::v1::FigureVector Suppress(hop::v1::FigureVector vector) {
  for (hop::v1::FigureCell& cell : *vector.mutable_cells()) SuppressCell(cell);
  SuppressCell(*vector.mutable_total());
  ProtectHiddenSum(vector);
  return vector;
}

hop::v1::FigureVector SumCounty(const std::vector<const hop::v1::FigureVector*>& vectors) {
  hop::v1::FigureVector county;
  if (vectors.empty()) return county;
  county.set_dimension(vectors[0]->dimension());
  for (const hop::v1::FigureCell& cell : vectors[0]->cells()) {
    county.add_cells()->set_category(cell.category());
  }
  county.mutable_total()->set_category("total");
  for (const hop::v1::FigureVector* v : vectors) {
    for (int i = 0; i < county.cells_size() && i < v->cells_size(); ++i) {
      hop::v1::FigureCell& sum = *county.mutable_cells(i);
      sum.set_count(sum.count() + v->cells(i).count());
      if (v->cells(i).suppressed()) sum.set_suppressed(true);
    }
    hop::v1::FigureCell& total = *county.mutable_total();
    total.set_count(total.count() + v->total().count());
    if (v->total().suppressed()) total.set_suppressed(true);
  }
  return Suppress(std::move(county));
}

hop::v1::CountCasesResponse SuppressCounts(hop::v1::CountCasesResponse counts) {
  hop::v1::FigureVector v;
  for (const hop::v1::CaseCount& row : counts.counts()) {
    hop::v1::FigureCell* cell = v.add_cells();
    cell->set_count(row.count());
    cell->set_suppressed(row.suppressed());
  }
  v.mutable_total()->set_count(counts.total());
  v = Suppress(std::move(v));
  for (int i = 0; i < counts.counts_size(); ++i) {
    counts.mutable_counts(i)->set_count(v.cells(i).count());
    counts.mutable_counts(i)->set_suppressed(v.cells(i).suppressed());
  }
  counts.set_total(v.total().count());
  return counts;
}

}  // namespace hop::figures
