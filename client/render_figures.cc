#include "client/render_figures.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "client/output.h"
#include "daemon/domain/municipalities.h"

namespace hop::client {
namespace {

struct DimensionText {
  hop::v1::FigureDimension dimension;
  const char* csv;    // the CSV "dimension" column
  const char* title;  // the human table's heading
};
constexpr DimensionText kDimensions[] = {
    {hop::v1::FIGURE_BY_STAGE, "stage", "Open cases by stage"},
    {hop::v1::FIGURE_BY_LEVEL, "level", "Open cases by level"},
    {hop::v1::FIGURE_BY_NEED_AREA, "need_area",
     "Open cases by need area (a case counts once per need area; cells do not add up)"},
    {hop::v1::FIGURE_BY_CHILD_PROTECTION, "child_protection",
     "Open cases on the child-protection track"},
    {hop::v1::FIGURE_BY_OPENED_MONTH, "opened_month", "Cases opened per month"},
    {hop::v1::FIGURE_BY_CLOSED_MONTH, "closed_month", "Cases closed per month"},
    {hop::v1::FIGURE_BY_OPEN_AT_MONTH_END, "open_at_month_end",
     "Cases open at the end of each month (the current month: now)"},
};

const DimensionText* TextOf(hop::v1::FigureDimension d) {
  for (const DimensionText& t : kDimensions) {
    if (t.dimension == d) return &t;
  }
  return nullptr;
}

std::string MunicipalityName(const std::string& code) {
  const domain::Municipality* m = domain::FindMunicipality(code);
  return m == nullptr ? code : absl::StrCat(code, " ", m->name);
}

std::string CountyName(const hop::v1::CountyFiguresResponse& r) {
  const std::string code = r.municipalities().empty() ? "" : r.municipalities(0).municipality();
  const domain::Municipality* m = domain::FindMunicipality(code);
  return m == nullptr ? "county" : absl::StrCat(m->county, " (county)");
}

std::string CellText(const hop::v1::FigureCell& cell) {
  return cell.suppressed() ? "<5" : absl::StrCat(cell.count());
}

std::string OutcomeText(hop::v1::PeerOutcome outcome) {
  switch (outcome) {
    case hop::v1::PEER_OUTCOME_TIMED_OUT:
      return "timed out";
    case hop::v1::PEER_OUTCOME_REFUSED:
      return "refused";
    default:
      return "unreachable";
  }
}

void AddRow(Table& table, const std::string& name, const hop::v1::FigureVector& v) {
  std::vector<std::string> row = {name};
  for (const hop::v1::FigureCell& cell : v.cells()) row.push_back(CellText(cell));
  row.push_back(CellText(v.total()));
  table.AddRow(std::move(row));
}

// The county row. A county cell with a suppressed municipal part is suppressed too; it is
// shown as a lower bound, "≥N": the shown parts plus 1 for each suppressed part (a suppressed
// cell holds at least one case, daemon/figures/suppression.h). The bound is computed from the
// municipal rows above it, so it reveals nothing they do not.
void AddCountyRow(Table& table, const std::string& name, const hop::v1::CountyFiguresResponse& r,
                  int d) {
  const hop::v1::FigureVector& county = r.county(d);
  const int columns = county.cells_size() + 1;  // the categories, then the total
  std::vector<uint64_t> at_least(columns, 0);
  std::vector<bool> part_hidden(columns, false);
  for (const hop::v1::MunicipalityFigures& m : r.municipalities()) {
    if (d >= m.vectors_size()) continue;
    const hop::v1::FigureVector& v = m.vectors(d);
    for (int i = 0; i < columns; ++i) {
      const hop::v1::FigureCell* cell =
          i < county.cells_size() ? (i < v.cells_size() ? &v.cells(i) : nullptr) : &v.total();
      if (cell == nullptr) continue;
      at_least[i] += cell->suppressed() ? 1 : cell->count();
      if (cell->suppressed()) part_hidden[i] = true;
    }
  }
  std::vector<std::string> row = {name};
  for (int i = 0; i < columns; ++i) {
    const hop::v1::FigureCell& cell = i < county.cells_size() ? county.cells(i) : county.total();
    row.push_back(cell.suppressed() && part_hidden[i] ? absl::StrCat("≥", at_least[i])
                                                      : CellText(cell));
  }
  table.AddRow(std::move(row));
}

std::string RenderTable(const hop::v1::CountyFiguresResponse& r, int d) {
  const hop::v1::FigureVector& county = r.county(d);
  const DimensionText* text = TextOf(county.dimension());
  std::vector<std::string> headers = {"MUNICIPALITY"};
  for (const hop::v1::FigureCell& cell : county.cells()) headers.push_back(cell.category());
  headers.push_back("TOTAL");
  Table table(std::move(headers));
  for (const hop::v1::MunicipalityFigures& m : r.municipalities()) {
    if (d < m.vectors_size()) AddRow(table, MunicipalityName(m.municipality()), m.vectors(d));
  }
  AddCountyRow(table, CountyName(r), r, d);
  return absl::StrCat(text == nullptr ? "Figures" : text->title, ":\n", table.Render());
}

// One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break.
std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char ch : text) {
    if (ch == '"') quoted += '"';
    quoted += ch;
  }
  return quoted + "\"";
}

}  // namespace

std::string RenderFigures(const hop::v1::CountyFiguresResponse& r) {
  std::string out;
  for (int d = 0; d < r.county_size(); ++d) absl::StrAppend(&out, RenderTable(r, d), "\n");
  if (r.county().empty()) out = "no figures: no municipality answered\n\n";
  absl::StrAppend(&out, "<5: fewer than ", r.threshold(),
                  " cases, or a cell that would reveal such a count (suppressed)\n",
                  "≥N: a county sum with suppressed parts: at least N cases\n");
  for (const hop::v1::FiguresGap& gap : r.gaps()) {
    absl::StrAppend(&out, "missing: ", MunicipalityName(gap.municipality()), ": ",
                    OutcomeText(gap.outcome()), gap.detail().empty() ? "" : " (",
                    Clean(gap.detail()), gap.detail().empty() ? "" : ")", "\n");
  }
  return out;
}

std::string RenderFiguresCsv(const hop::v1::CountyFiguresResponse& r) {
  std::string out = "municipality,dimension,category,count,suppressed\r\n";
  auto add = [&](const std::string& who, const hop::v1::FigureVector& v) {
    const DimensionText* text = TextOf(v.dimension());
    const std::string dimension = text == nullptr ? "unknown" : text->csv;
    std::vector<const hop::v1::FigureCell*> cells;
    for (const hop::v1::FigureCell& cell : v.cells()) cells.push_back(&cell);
    cells.push_back(&v.total());
    for (const hop::v1::FigureCell* cell : cells) {
      absl::StrAppend(&out, CsvField(who), ",", dimension, ",", CsvField(cell->category()), ",",
                      cell->suppressed() ? "" : absl::StrCat(cell->count()), ",",
                      cell->suppressed() ? "true" : "false", "\r\n");
    }
  };
  for (const hop::v1::MunicipalityFigures& m : r.municipalities()) {
    for (const hop::v1::FigureVector& v : m.vectors()) add(m.municipality(), v);
  }
  for (const hop::v1::FigureVector& v : r.county()) add("county", v);
  return out;
}

}  // namespace hop::client
