// hopctl figures' output (client/render_figures.h): one table per dimension with municipality
// names, "<5" for suppressed cells, the county row (a lower bound "≥N" where parts are hidden) and
// the gaps; one tidy RFC 4180 CSV.
#include "client/render_figures.h"

#include <algorithm>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hop::client {
namespace {

using ::testing::HasSubstr;

hop::v1::FigureVector Stages(uint64_t one, bool one_hidden, uint64_t two, uint64_t total) {
  hop::v1::FigureVector v;
  v.set_dimension(hop::v1::FIGURE_BY_STAGE);
  for (const char* category : {"I", "II", "III"}) v.add_cells()->set_category(category);
  v.mutable_cells(0)->set_count(one);
  v.mutable_cells(0)->set_suppressed(one_hidden);
  v.mutable_cells(1)->set_count(two);
  v.mutable_total()->set_category("total");
  v.mutable_total()->set_count(total);
  return v;
}

hop::v1::CountyFiguresResponse Sample() {
  hop::v1::CountyFiguresResponse r;
  r.set_threshold(5);
  hop::v1::MunicipalityFigures* tartu = r.add_municipalities();
  tartu->set_municipality("0793");
  *tartu->add_vectors() = Stages(0, true, 12, 15);
  hop::v1::MunicipalityFigures* kambja = r.add_municipalities();
  kambja->set_municipality("0283");
  *kambja->add_vectors() = Stages(5, false, 6, 11);
  *r.add_county() = Stages(0, true, 18, 26);
  hop::v1::FiguresGap* gap = r.add_gaps();
  gap->set_municipality("0171");
  gap->set_outcome(hop::v1::PEER_OUTCOME_TIMED_OUT);
  gap->set_detail("no answer within the deadline");
  return r;
}

TEST(RenderFiguresTest, TablesWithNamesSuppressedCellsCountyAndGaps) {
  const std::string text = RenderFigures(Sample());
  EXPECT_THAT(text, HasSubstr("Open cases by stage:\n"));
  EXPECT_THAT(text, HasSubstr("MUNICIPALITY       I   II  III  TOTAL\n"));
  EXPECT_THAT(text, HasSubstr("0793 Tartu linn    <5  12  0    15\n"));
  EXPECT_THAT(text, HasSubstr("0283 Kambja vald   5   6   0    11\n"));
  // The county's I is suppressed (Tartu's part is): at least Kambja's 5 plus 1 for Tartu's.
  EXPECT_THAT(text, HasSubstr("Tartumaa (county)  ≥6  18  0    26\n"));
  EXPECT_THAT(text, HasSubstr("≥N: a county sum with suppressed parts: at least N cases"));
  EXPECT_THAT(text,
              HasSubstr("missing: 0171 Elva vald: timed out (no answer within the deadline)"));
}

TEST(RenderFiguresTest, TidyCsvWithQuoting) {
  hop::v1::CountyFiguresResponse r = Sample();
  r.mutable_municipalities(0)->mutable_vectors(0)->mutable_cells(2)->set_category("a,\"b\"");
  const std::string csv = RenderFiguresCsv(r);
  EXPECT_EQ(csv.rfind("municipality,dimension,category,count,suppressed\r\n", 0), 0u);
  EXPECT_THAT(csv, HasSubstr("\r\n0793,stage,I,,true\r\n0793,stage,II,12,false\r\n"));
  EXPECT_THAT(csv, HasSubstr("\r\n0793,stage,\"a,\"\"b\"\"\",0,false\r\n"));
  EXPECT_THAT(csv, HasSubstr("\r\n0793,stage,total,15,false\r\n"));
  EXPECT_THAT(csv, HasSubstr("\r\ncounty,stage,total,26,false\r\n"));
  // 1 header + (2 municipalities + county) x (3 cells + total).
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 13);
}

}  // namespace
}  // namespace hop::client
