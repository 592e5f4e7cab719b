// hop::figures::Tally (daemon/figures/counting.h): this node's raw figures from hand-made cases,
// in Estonian time: open cases by stage, level, need area and track; opened, closed and open
// at month end over the 12 months ending with the current one, following closings and
// reopenings, and a closed case from before closings were recorded.
#include "daemon/figures/counting.h"

#include <map>
#include <string>

#include "gtest/gtest.h"

namespace hop::figures {
namespace {

constexpr int64_t kNow = 1796212800;  // 2026-12-02 12:00 UTC (14:00 in Tallinn)

hop::v1::Case Case(hop::v1::Stage stage, hop::v1::Level level, int64_t created) {
  hop::v1::Case c;
  c.set_id("0793-C000001");
  c.mutable_child()->set_isikukood("60001019906");
  c.set_stage(stage);
  c.set_level(level);
  c.set_status(hop::v1::CASE_OPEN);
  c.set_created_at(created);
  c.set_updated_at(created);
  return c;
}

void AddEvent(hop::v1::Case& c, hop::v1::CaseEvent event, int64_t at) {
  hop::v1::StageChange* h = c.add_history();
  h->set_event(event);
  h->set_at(at);
}

// category -> count of one vector, plus "total".
std::map<std::string, uint64_t> Cells(const std::vector<hop::v1::FigureVector>& vectors,
                                      hop::v1::FigureDimension d) {
  std::map<std::string, uint64_t> cells;
  for (const hop::v1::FigureVector& v : vectors) {
    if (v.dimension() != d) continue;
    for (const hop::v1::FigureCell& c : v.cells()) {
      if (c.count() > 0) cells[c.category()] = c.count();
    }
    cells["total"] = v.total().count();
  }
  return cells;
}

using Map = std::map<std::string, uint64_t>;

TEST(TallyTest, CountsOpenCasesAndMonthsInEstonianTime) {
  Tally tally(absl::FromUnixSeconds(kNow), EstonianTimeZone(), domain::CountyCodes());
  // A: opened before the window, still open.
  hop::v1::Case a = Case(hop::v1::STAGE_I, hop::v1::LEVEL_SCHOOL, 1763640000);  // 2025-11-20
  a.add_need_areas("reading");
  a.add_need_areas("speech");
  a.add_need_areas("reading");
  a.add_need_areas("no-such-code");
  tally.Add(a);
  // B: opened 2026-03-10, closed 2026-06-10, reopened 2026-10-31 22:30 UTC = 1 November
  // 00:30 in Tallinn; on the child-protection track.
  hop::v1::Case b = Case(hop::v1::STAGE_II, hop::v1::LEVEL_KINDERGARTEN, 1773144000);
  b.set_child_protection(true);
  AddEvent(b, hop::v1::CASE_EVENT_CLOSED, 1781092800);
  AddEvent(b, hop::v1::CASE_EVENT_REOPENED, 1793485800);
  tally.Add(b);
  // C: opened 2026-11-15, closed this morning before closings were recorded in the history.
  hop::v1::Case c = Case(hop::v1::STAGE_III, hop::v1::LEVEL_MUNICIPALITY, 1794744000);
  c.set_status(hop::v1::CASE_CLOSED);
  c.set_updated_at(kNow - 7200);
  tally.Add(c);

  const std::vector<hop::v1::FigureVector> v = tally.Vectors();
  ASSERT_EQ(v.size(), Dimensions().size());
  EXPECT_EQ(v[0].cells_size(), 3);
  EXPECT_EQ(v[0].cells(0).category(), "I");
  EXPECT_EQ(v[2].cells_size(),
            static_cast<int>(domain::CountyCodes().List(domain::CodeKind::kNeedArea).size()));
  EXPECT_EQ(v[4].cells(0).category(), "2026-01");
  EXPECT_EQ(v[4].cells(11).category(), "2026-12");

  EXPECT_EQ(Cells(v, hop::v1::FIGURE_BY_STAGE), (Map{{"I", 1}, {"II", 1}, {"total", 2}}));
  EXPECT_EQ(Cells(v, hop::v1::FIGURE_BY_LEVEL),
            (Map{{"kindergarten", 1}, {"school", 1}, {"total", 2}}));
  EXPECT_EQ(Cells(v, hop::v1::FIGURE_BY_NEED_AREA),
            (Map{{"reading", 1}, {"speech", 1}, {"total", 1}}));
  EXPECT_EQ(Cells(v, hop::v1::FIGURE_BY_CHILD_PROTECTION),
            (Map{{"yes", 1}, {"no", 1}, {"total", 2}}));
  EXPECT_EQ(Cells(v, hop::v1::FIGURE_BY_OPENED_MONTH),
            (Map{{"2026-03", 1}, {"2026-11", 1}, {"total", 2}}));
  EXPECT_EQ(Cells(v, hop::v1::FIGURE_BY_CLOSED_MONTH),
            (Map{{"2026-06", 1}, {"2026-12", 1}, {"total", 2}}));
  EXPECT_EQ(Cells(v, hop::v1::FIGURE_BY_OPEN_AT_MONTH_END), (Map{{"2026-01", 1},
                                                                 {"2026-02", 1},
                                                                 {"2026-03", 2},
                                                                 {"2026-04", 2},
                                                                 {"2026-05", 2},
                                                                 {"2026-06", 1},
                                                                 {"2026-07", 1},
                                                                 {"2026-08", 1},
                                                                 {"2026-09", 1},
                                                                 {"2026-10", 1},
                                                                 {"2026-11", 3},
                                                                 {"2026-12", 2},
                                                                 {"total", 3}}));
}

TEST(TallyTest, NoCasesGivesEveryCategoryAtZero) {
  Tally tally(absl::FromUnixSeconds(kNow), EstonianTimeZone(), domain::CountyCodes());
  const std::vector<hop::v1::FigureVector> v = tally.Vectors();
  ASSERT_EQ(v.size(), 7u);
  for (const hop::v1::FigureVector& vector : v) {
    EXPECT_GT(vector.cells_size(), 0);
    EXPECT_EQ(vector.total().count(), 0u);
    EXPECT_EQ(vector.total().category(), "total");
  }
}

}  // namespace
}  // namespace hop::figures
