// hop::figures::Suppress, SumCounty, SuppressCounts and CheckAnswer (daemon/figures/): hand-made
// tables. No count of 1 to 4 is ever published, and no published count lets a reader work one
// out: a cell of 3 is hidden, and so is the cell that would reveal it.
#include "daemon/figures/suppression.h"

#include <string>
#include <vector>

#include "daemon/figures/county_figures.h"
#include "gtest/gtest.h"

namespace hop::figures {
namespace {

using hop::v1::FigureVector;

// A raw vector: categories a, b, c, ... with `counts`; the total is their sum unless given.
FigureVector Vector(hop::v1::FigureDimension d, std::vector<uint64_t> counts, int64_t total = -1) {
  FigureVector v;
  v.set_dimension(d);
  uint64_t sum = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    hop::v1::FigureCell* cell = v.add_cells();
    cell->set_category(std::string(1, static_cast<char>('a' + i)));
    cell->set_count(counts[i]);
    sum += counts[i];
  }
  v.mutable_total()->set_category("total");
  v.mutable_total()->set_count(total < 0 ? sum : static_cast<uint64_t>(total));
  return v;
}

// "12 <5 0 ... | 17": shown counts, "<5" for suppressed cells, then the total.
std::string Shown(const FigureVector& v) {
  std::string out;
  for (const hop::v1::FigureCell& c : v.cells()) {
    if (c.suppressed()) {
      EXPECT_EQ(c.count(), 0u) << "a suppressed cell must carry no count";
    }
    out += (c.suppressed() ? std::string("<5") : std::to_string(c.count())) + " ";
  }
  if (v.total().suppressed()) {
    EXPECT_EQ(v.total().count(), 0u);
  }
  return out + "| " + (v.total().suppressed() ? "<5" : std::to_string(v.total().count()));
}

constexpr auto kStage = hop::v1::FIGURE_BY_STAGE;
constexpr auto kNeeds = hop::v1::FIGURE_BY_NEED_AREA;

TEST(SuppressTest, CellOfThreeIsHiddenAndSoIsTheCellThatWouldRevealIt) {
  // Stages I, II, III = 3, 7, 12; total 22. Hiding only the 3 leaves 22 - 7 - 12 = 3.
  EXPECT_EQ(Shown(Suppress(Vector(kStage, {3, 7, 12}))), "<5 <5 12 | 22");
}

TEST(SuppressTest, NothingSmallNothingHidden) {
  EXPECT_EQ(Shown(Suppress(Vector(kStage, {5, 0, 40}))), "5 0 40 | 45");
  EXPECT_EQ(Shown(Suppress(Vector(kStage, {0, 0, 0}))), "0 0 0 | 0");
}

TEST(SuppressTest, SmallTotalIsHidden) {
  EXPECT_EQ(Shown(Suppress(Vector(kStage, {1, 0, 2}))), "<5 0 <5 | <5");
  EXPECT_EQ(Shown(Suppress(Vector(kStage, {4, 0, 0}))), "<5 0 0 | <5");
}

TEST(SuppressTest, TwoSmallCellsThatSumUnderFiveGetAThird) {
  // 1 + 1 hidden would leave 2 for the two of them: each is 1. One more cell goes.
  EXPECT_EQ(Shown(Suppress(Vector(kStage, {1, 1, 9}))), "<5 <5 <5 | 11");
  // 4 + 3 hidden leave 7: two ways or more to split, nothing more to hide.
  EXPECT_EQ(Shown(Suppress(Vector(kStage, {4, 3, 9}))), "<5 <5 9 | 16");
}

TEST(SuppressTest, SecondaryPicksTheSmallestNonZeroShownCell) {
  EXPECT_EQ(Shown(Suppress(Vector(kStage, {2, 0, 30, 8}))), "<5 0 30 <5 | 40");
}

TEST(SuppressTest, NeedAreasDoNotAddUpSoPrimaryOnly) {
  // A case counts once per need area: total 9 cases, cells 3, 9, 6. No subtraction reveals.
  EXPECT_EQ(Shown(Suppress(Vector(kNeeds, {3, 9, 6}, 9))), "<5 9 6 | 9");
}

TEST(SuppressTest, IdempotentAndDistrustsUnsuppressedSmallCells) {
  FigureVector once = Suppress(Vector(kStage, {3, 7, 12}));
  EXPECT_EQ(Suppress(once).SerializeAsString(), once.SerializeAsString());
  // A peer that sends a 2 unsuppressed gets it suppressed here (and its revealer too).
  FigureVector sent = Vector(kStage, {2, 6, 6});
  EXPECT_EQ(Shown(Suppress(sent)), "<5 <5 6 | 14");
}

TEST(SumCountyTest, CountyCellHiddenWhereAnyMunicipalityHid) {
  const FigureVector tartu = Suppress(Vector(kStage, {3, 7, 12}));  // <5 <5 12 | 22
  const FigureVector elva = Suppress(Vector(kStage, {10, 8, 6}));   // 10 8 6 | 24
  const FigureVector kambja = Suppress(Vector(kStage, {5, 5, 0}));  // 5 5 0 | 10
  const FigureVector county = SumCounty({&tartu, &elva, &kambja});
  // I and II: Tartu hid them, so the county sum would give them away; III = 18; total 56.
  EXPECT_EQ(Shown(county), "<5 <5 18 | 56");
  EXPECT_EQ(county.dimension(), kStage);
  EXPECT_EQ(county.cells(2).category(), "c");
}

TEST(SumCountyTest, CountySecondaryRuleAndSmallCountyCells) {
  // Every municipality shows everything, but the county vector's own rule still applies.
  const FigureVector a = Suppress(Vector(kStage, {0, 5, 20}));
  const FigureVector b = Suppress(Vector(kStage, {0, 6, 30}));
  EXPECT_EQ(Shown(SumCounty({&a, &b})), "0 11 50 | 61");
  // A hidden total anywhere hides the county total.
  const FigureVector c = Suppress(Vector(kStage, {0, 0, 2}));
  EXPECT_EQ(Shown(SumCounty({&a, &c})), "0 5 <5 | <5");
  EXPECT_EQ(SumCounty({}).cells_size(), 0);
}

TEST(SuppressCountsTest, CountCasesRowsOfOneAreNeverPrinted) {
  hop::v1::CountCasesResponse counts;
  for (uint64_t n : {1, 6, 9}) counts.add_counts()->set_count(n);
  counts.set_total(16);
  const hop::v1::CountCasesResponse out = SuppressCounts(counts);
  ASSERT_EQ(out.counts_size(), 3);
  EXPECT_TRUE(out.counts(0).suppressed());
  EXPECT_EQ(out.counts(0).count(), 0u);
  EXPECT_TRUE(out.counts(1).suppressed()) << "16 - 9 would give 7, 7 - 6 the 1";
  EXPECT_FALSE(out.counts(2).suppressed());
  EXPECT_EQ(out.counts(2).count(), 9u);
  EXPECT_EQ(out.total(), 16u);
  hop::v1::CountCasesResponse small;
  small.add_counts()->set_count(3);
  small.set_total(3);
  EXPECT_EQ(SuppressCounts(small).total(), 0u);
}

hop::v1::MunicipalityFigures Figures(const std::string& code, std::vector<uint64_t> stages) {
  hop::v1::MunicipalityFigures f;
  f.set_municipality(code);
  *f.add_vectors() = Suppress(Vector(kStage, stages));
  return f;
}

TEST(CheckAnswerTest, RefusesAnotherMunicipalityOrShapeAndResuppresses) {
  const hop::v1::MunicipalityFigures own = Figures("0171", {5, 5, 5});
  hop::v1::FiguresAnswer answer;
  *answer.mutable_figures() = Figures("0283", {9, 9, 9});
  *answer.mutable_figures()->mutable_vectors(0) = Vector(kStage, {2, 8, 9});  // raw 2 sent
  EXPECT_TRUE(CheckAnswer("0283", own, answer).ok());
  EXPECT_EQ(Shown(answer.figures().vectors(0)), "<5 <5 9 | 19");

  hop::v1::FiguresAnswer other = answer;
  EXPECT_EQ(CheckAnswer("0793", own, other).code(), absl::StatusCode::kFailedPrecondition);
  hop::v1::FiguresAnswer shape = answer;
  shape.mutable_figures()->mutable_vectors(0)->add_cells()->set_category("IV");
  EXPECT_EQ(CheckAnswer("0283", own, shape).code(), absl::StatusCode::kFailedPrecondition);
  hop::v1::FiguresAnswer big = answer;
  big.mutable_figures()->mutable_vectors(0)->mutable_cells(0)->set_category(
      std::string(kMaxFiguresAnswerBytes, 'x'));
  EXPECT_EQ(CheckAnswer("0283", own, big).code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace hop::figures
