// Bounds on every case (domain/limits.h) through the real books over RocksDB: a bloated request
// is refused before anything is written, a case cannot be grown past any count or byte limit,
// a case list page is cut by bytes, and a refused change leaves the stored case as it was.
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "daemon/domain/code_lists.h"
#include "daemon/domain/limits.h"
#include "tests/unit/casework/casework_fixture.h"

namespace hop::casework {
namespace {

class CaseLimitsTest : public CaseworkTest {
 protected:
  hop::v1::Case Stored(const std::string& id) {
    absl::StatusOr<hop::v1::Case> c = cases_->Get(manager_, id);
    EXPECT_TRUE(c.ok()) << c.status();
    return c.value_or(hop::v1::Case());
  }
  uint64_t CaseCount() { return cases_->Count()->total(); }
  // Adds a local note of 4000 bytes to case `id` (need areas, service types and outcomes are
  // codes now: only notes, reasons and descriptions can make a case big).
  absl::Status AddBigNote(const std::string& id) {
    hop::v1::AddNoteRequest add;
    add.set_case_id(id);
    add.set_text(std::string(4000, 'n'));
    return cases_->AddNote(teacher_, add).status();
  }
};

TEST_F(CaseLimitsTest, ACaseWithAHundredThousandNeedAreasIsRefusedAndNothingIsWritten) {
  hop::v1::OpenCaseRequest req;
  req.mutable_child()->set_isikukood(kChild);
  req.mutable_child()->set_name("Laps");
  req.set_level(hop::v1::LEVEL_SCHOOL);
  req.set_institution_id(school_);
  for (int i = 0; i < 100000; ++i) req.add_need_areas(absl::StrCat("need ", i));
  const uint64_t seq = records_->LastSeq();
  absl::StatusOr<hop::v1::Case> opened = cases_->Open(teacher_, req);
  ASSERT_TRUE(absl::IsInvalidArgument(opened.status())) << opened.status();
  EXPECT_TRUE(absl::StartsWith(opened.status().message(), "need_areas: at most 64"))
      << opened.status();
  EXPECT_TRUE(absl::StrContains(opened.status().message(), "100000")) << opened.status();
  EXPECT_EQ(CaseCount(), 0u);
  EXPECT_EQ(records_->LastSeq(), seq) << "a refused request wrote something";
}

TEST_F(CaseLimitsTest, AnAddNeedsOverTheLimitIsRefusedAndEveryCodeFitsOnce) {
  absl::StatusOr<hop::v1::Case> c = Open(teacher_, school_);
  ASSERT_TRUE(c.ok()) << c.status();
  hop::v1::AddNeedsRequest add;
  add.set_case_id(c->id());
  for (int i = 0; i <= static_cast<int>(domain::kMaxNeedAreas); ++i) add.add_need_areas("speech");
  absl::StatusOr<hop::v1::Case> refused = cases_->AddNeeds(teacher_, add);
  ASSERT_TRUE(absl::IsInvalidArgument(refused.status())) << refused.status();
  EXPECT_TRUE(absl::StartsWith(refused.status().message(), "need_areas: at most 64"))
      << refused.status();
  // Every code of the county list fits in one case; adding them again is no growth.
  add.clear_need_areas();
  for (const hop::v1::Code& code : domain::CountyCodes().List(domain::CodeKind::kNeedArea)) {
    add.add_need_areas(code.code());
  }
  ASSERT_TRUE(cases_->AddNeeds(teacher_, add).ok());
  const hop::v1::Case full = Stored(c->id());
  EXPECT_EQ(full.need_areas_size(), add.need_areas_size());
  EXPECT_TRUE(cases_->AddNeeds(teacher_, add).ok());
  EXPECT_EQ(Stored(c->id()).need_areas_size(), full.need_areas_size());
}

TEST_F(CaseLimitsTest, ACaseCannotGrowPastItsByteLimit) {
  absl::StatusOr<hop::v1::Case> c = Open(teacher_, school_);
  ASSERT_TRUE(c.ok()) << c.status();
  absl::Status last;
  int added = 0;
  for (; added < 400; ++added) {
    last = AddBigNote(c->id());
    if (!last.ok()) break;
  }
  ASSERT_TRUE(absl::IsInvalidArgument(last)) << last;
  EXPECT_TRUE(absl::StartsWith(last.message(), "case: at most 1048576 bytes per case")) << last;
  EXPECT_GT(added, 240) << "about 260 notes of 4000 bytes fit in 1 MiB";
  const hop::v1::Case full = Stored(c->id());
  EXPECT_LE(full.ByteSizeLong(), domain::kMaxCaseBytes);
  EXPECT_EQ(full.notes_size(), added);
  EXPECT_TRUE(absl::IsInvalidArgument(AddBigNote(c->id())));
  EXPECT_EQ(Stored(c->id()).SerializeAsString(), full.SerializeAsString())
      << "a refused change left the stored case as it was";
}

TEST_F(CaseLimitsTest, ACaseListPageIsCutByBytes) {
  // Five cases of about 750 KiB: a page of 100 would be 3.7 MiB; pages stay within 2 MiB,
  // so two cases at most per page.
  for (const char* child :
       {"51503120275", "61607040110", "51802280304", "61409150225", "51211110449"}) {
    absl::StatusOr<hop::v1::Case> c = Open(teacher_, school_, child);
    ASSERT_TRUE(c.ok()) << c.status();
    for (int i = 0; i < 190; ++i) ASSERT_TRUE(AddBigNote(c->id()).ok()) << i;
  }
  hop::v1::ListCasesRequest req;
  int seen = 0, pages = 0;
  do {
    absl::StatusOr<hop::v1::ListCasesResponse> page = cases_->List(teacher_, req);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_LE(page->ByteSizeLong(), domain::kMaxListPageBytes + 4096);
    EXPECT_GT(page->cases_size(), 0);
    seen += page->cases_size();
    ++pages;
    req.set_page_token(page->next_page_token());
  } while (!req.page_token().empty() && pages < 10);
  EXPECT_EQ(seen, 5);
  EXPECT_EQ(pages, 3) << "2 + 2 + 1 cases";
}

}  // namespace
}  // namespace hop::casework
