// The limits of domain/limits.h as pure rules: each count and byte limit at its edge, the
// message naming the field and the limit, a case stored before the limits that may still move
// but not grow, and received entries checked field by field.
#include "daemon/domain/limits.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "daemon/domain/fields.h"
#include "gtest/gtest.h"

namespace hop::domain {
namespace {

hop::v1::Case CaseWithNeeds(size_t n) {
  hop::v1::Case c;
  c.set_id("0793-C000001");
  for (size_t i = 0; i < n; ++i) c.add_need_areas(absl::StrCat("need ", i));
  return c;
}

TEST(LimitsTest, EveryCountLimitHoldsAtItsEdge) {
  EXPECT_TRUE(CheckCaseLimits(CaseWithNeeds(kMaxNeedAreas)).ok());
  absl::Status over = CheckCaseLimits(CaseWithNeeds(kMaxNeedAreas + 1));
  EXPECT_TRUE(absl::IsInvalidArgument(over));
  EXPECT_EQ(over.message(),
            "need_areas: at most 64 need areas per case (this change would make 65)");

  hop::v1::Case c;
  for (size_t i = 0; i <= kMaxServices; ++i) c.add_services()->set_type("t");
  EXPECT_TRUE(absl::StartsWith(CheckCaseLimits(c).message(), "services: at most 200"))
      << CheckCaseLimits(c);
  c.Clear();
  for (size_t i = 0; i <= kMaxActualResidences; ++i)
    c.mutable_related()->add_actual_residences("0793");
  EXPECT_TRUE(
      absl::StartsWith(CheckCaseLimits(c).message(), "related.actual_residences: at most 4"));

  hop::v1::Consent consent;
  for (size_t i = 0; i < kMaxRecipients; ++i) consent.add_recipients("0171");
  EXPECT_TRUE(CheckConsentLimits(consent).ok());
  consent.add_recipients("0171");
  EXPECT_EQ(CheckConsentLimits(consent).message(),
            "recipients: at most 79 municipalities (80 given)");

  hop::v1::Contact contact;
  for (size_t i = 0; i <= kMaxTopics; ++i) contact.add_topics("x");
  EXPECT_TRUE(
      absl::StartsWith(CheckContactLimits(contact).message(), "contact.topics: at most 32"));
  EXPECT_EQ(CheckCount(1001, kMaxInboxAckIds, "ids", "entries per call").message(),
            "ids: at most 1000 entries per call (1001 given)");
}

TEST(LimitsTest, TheWholeCaseIsBoundInBytes) {
  hop::v1::Case c;
  while (c.ByteSizeLong() <= kMaxCaseBytes - 5000) c.add_notes()->set_text(std::string(4000, 'x'));
  EXPECT_TRUE(CheckCaseLimits(c).ok()) << c.ByteSizeLong();
  c.add_notes()->set_text(std::string(4000, 'x'));
  c.add_notes()->set_text(std::string(4000, 'x'));
  absl::Status over = CheckCaseLimits(c);
  EXPECT_TRUE(absl::StartsWith(over.message(), "case: at most 1048576 bytes per case")) << over;
}

TEST(LimitsTest, ACaseStoredBeforeTheLimitsMayMoveButNotGrow) {
  const hop::v1::Case legacy = CaseWithNeeds(100000);  // ~1.2 MiB, 100000 need areas
  ASSERT_GT(legacy.ByteSizeLong(), kMaxCaseBytes);
  hop::v1::Case moved = legacy;
  moved.set_stage(hop::v1::STAGE_II);
  moved.add_history()->set_reason("to the coordinator");
  EXPECT_TRUE(CheckCaseChange(legacy, moved).ok());
  hop::v1::Case closed = legacy;
  closed.set_status(hop::v1::CASE_CLOSED);
  closed.set_closing_reason("moved away");
  EXPECT_TRUE(CheckCaseChange(legacy, closed).ok());
  hop::v1::Case grown = legacy;
  grown.add_need_areas("one more");
  EXPECT_TRUE(absl::StartsWith(CheckCaseChange(legacy, grown).message(), "need_areas: at most 64"));
  hop::v1::Case noted = legacy;
  noted.add_notes()->set_text("a note");
  EXPECT_TRUE(absl::StartsWith(CheckCaseChange(legacy, noted).message(), "case: at most"));
  // Within the limits, a change is judged as a new case would be.
  EXPECT_TRUE(CheckCaseChange(CaseWithNeeds(3), CaseWithNeeds(4)).ok());
  EXPECT_FALSE(CheckCaseChange(CaseWithNeeds(64), CaseWithNeeds(65)).ok());
}

hop::v1::FeedEntry Summary() {
  hop::v1::FeedEntry e;
  e.set_seq(7);
  e.set_record_key("case/0793-C000001");
  hop::v1::CaseSummary* s = e.mutable_case_summary();
  s->set_case_id("0793-C000001");
  s->set_origin("0793");
  s->set_child_isikukood("51503120275");
  s->add_need_areas("reading");
  return e;
}

TEST(LimitsTest, AReceivedEntryIsCheckedFieldByField) {
  hop::v1::FeedEntry e = Summary();
  EXPECT_TRUE(CheckReceivedEntryLimits(e, e.ByteSizeLong()).ok());
  EXPECT_TRUE(absl::StartsWith(CheckReceivedEntryLimits(e, kMaxFeedEntryBytes + 1).message(),
                               "entry: at most"));
  for (size_t i = 0; i < kMaxNeedAreas; ++i) e.mutable_case_summary()->add_need_areas("x");
  EXPECT_TRUE(absl::StartsWith(CheckReceivedEntryLimits(e, e.ByteSizeLong()).message(),
                               "case_summary.need_areas: at most 64"));
  // Need areas, service types, outcomes and topics cross as codes only, providers as ids.
  e = Summary();
  e.mutable_case_summary()->add_need_areas("reading and writing, see the letter");
  EXPECT_EQ(CheckReceivedEntryLimits(e, e.ByteSizeLong()).message(),
            "case_summary.need_areas[1]: not a code of the county list (free text never crosses)");
  e = Summary();
  hop::v1::ServiceSummary* service = e.mutable_case_summary()->add_services();
  service->set_type("speech-therapy");
  service->set_municipality("0171");
  service->set_start_date("2026-01-05");
  EXPECT_TRUE(CheckReceivedEntryLimits(e, e.ByteSizeLong()).ok())
      << CheckReceivedEntryLimits(e, e.ByteSizeLong());
  service->set_provider(std::string(kMaxTextBytes + 1, 'p'));
  EXPECT_TRUE(absl::StartsWith(CheckReceivedEntryLimits(e, e.ByteSizeLong()).message(),
                               "case_summary.services[0].provider: not a directory institution id"))
      << CheckReceivedEntryLimits(e, e.ByteSizeLong());
  service->set_provider("0171-I000004");
  service->set_outcome("much better now");
  EXPECT_TRUE(absl::StartsWith(CheckReceivedEntryLimits(e, e.ByteSizeLong()).message(),
                               "case_summary.services[0].outcome: not a code"));
  e.Clear();
  e.mutable_contact()->set_id("0171-P000001");
  e.mutable_contact()->add_topics("learning support");
  EXPECT_TRUE(absl::StartsWith(CheckReceivedEntryLimits(e, e.ByteSizeLong()).message(),
                               "contact.topics[0]: not a code"));
  e = Summary();
  e.mutable_case_summary()->mutable_responsible()->set_name(std::string(kMaxTextBytes + 1, 'n'));
  EXPECT_FALSE(CheckReceivedEntryLimits(e, e.ByteSizeLong()).ok());
  // Text a peer sends is checked as staff input is: no control or bidi character, NFC.
  e = Summary();
  e.mutable_case_summary()->set_need_areas(0, "read\xE2\x80\xAEing");  // U+202E
  EXPECT_TRUE(absl::StartsWith(CheckReceivedEntryLimits(e, e.ByteSizeLong()).message(),
                               "case_summary.need_areas[0]: "))
      << CheckReceivedEntryLimits(e, e.ByteSizeLong());
  e = Summary();
  e.mutable_case_summary()->mutable_responsible()->set_name("Tiina\nOts");
  EXPECT_FALSE(CheckReceivedEntryLimits(e, e.ByteSizeLong()).ok());
  e = Summary();
  e.mutable_case_summary()->mutable_responsible()->set_name("Ko\xCC\x88ik");  // o + U+0308
  EXPECT_FALSE(CheckReceivedEntryLimits(e, e.ByteSizeLong()).ok()) << "not NFC";
  e.Clear();
  e.set_record_key("contact/0793-P000001");
  for (size_t i = 0; i <= kMaxTopics; ++i) e.mutable_contact()->add_topics("t");
  EXPECT_TRUE(absl::StartsWith(CheckReceivedEntryLimits(e, e.ByteSizeLong()).message(),
                               "contact.topics: at most 32"));
  e.Clear();
  e.set_record_key(std::string(kMaxTextBytes + 1, 'k'));
  e.set_tombstone(true);
  EXPECT_TRUE(absl::StartsWith(CheckReceivedEntryLimits(e, e.ByteSizeLong()).message(),
                               "record_key: at most"));
}

}  // namespace
}  // namespace hop::domain
