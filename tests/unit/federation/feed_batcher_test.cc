// FeedBatcher with plain values: batches are cut by count and by bytes (never above what a
// receiver accepts), an entry over the size limit is sent without content and marked, bytes that
// do not parse stop the pull, and a receiver that goes away stops it too.
#include "daemon/federation/feed_batcher.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "daemon/domain/limits.h"
#include "gtest/gtest.h"

namespace hop::federation {
namespace {

std::string Entry(uint64_t seq, size_t payload_bytes, const std::string& child = "51503120275") {
  hop::v1::FeedEntry e;
  e.set_seq(seq);
  e.set_record_key(absl::StrCat("case/0793-C", seq));
  hop::v1::CaseSummary* s = e.mutable_case_summary();
  s->set_case_id(absl::StrCat("0793-C", seq));
  s->set_origin("0793");
  s->set_child_isikukood(child);
  while (s->ByteSizeLong() < payload_bytes) s->add_need_areas(std::string(4000, 'n'));
  return e.SerializeAsString();
}

struct Sent {
  std::vector<hop::v1::PullBatch> batches;
  FeedBatcher::Sink Sink() {
    return [this](const hop::v1::PullBatch& b) {
      batches.push_back(b);
      return true;
    };
  }
};

TEST(FeedBatcherTest, BatchesAreCutByBytes) {
  Sent sent;
  FeedBatcher batcher("0793", "epoch-1", 10, sent.Sink());
  std::set<std::string> subjects;
  for (uint64_t seq = 11; seq <= 16; ++seq) {
    ASSERT_EQ(batcher.Add(Entry(seq, 600 << 10), subjects), FeedBatcher::Added::kOk);
  }
  ASSERT_TRUE(batcher.Finish(hop::v1::SetDigest(), nullptr));
  ASSERT_EQ(sent.batches.size(), 6u) << "600 KiB entries: one per 1 MiB batch";
  uint64_t through = 10;
  int entries = 0;
  for (const hop::v1::PullBatch& b : sent.batches) {
    EXPECT_LE(b.ByteSizeLong(), domain::kPullBatchTargetBytes + domain::kPullBatchOverheadBytes);
    EXPECT_EQ(b.origin(), "0793");
    EXPECT_EQ(b.epoch(), "epoch-1");
    EXPECT_GT(b.through_seq(), through);
    through = b.through_seq();
    entries += b.entries_size();
  }
  EXPECT_EQ(entries, 6);
  EXPECT_EQ(batcher.sent(), 6u);
  EXPECT_TRUE(sent.batches.back().has_digest());
  EXPECT_EQ(subjects, std::set<std::string>{"51503120275"});
}

TEST(FeedBatcherTest, SmallEntriesAreCutByCount) {
  Sent sent;
  FeedBatcher batcher("0793", "e", 0, sent.Sink());
  std::set<std::string> subjects;
  for (uint64_t seq = 1; seq <= 1201; ++seq) {
    ASSERT_EQ(batcher.Add(Entry(seq, 0), subjects), FeedBatcher::Added::kOk);
  }
  ASSERT_TRUE(batcher.Finish(hop::v1::SetDigest(), nullptr));
  ASSERT_EQ(sent.batches.size(), 3u);
  EXPECT_EQ(sent.batches[0].entries_size(), domain::kMaxPullBatchEntries);
  EXPECT_EQ(sent.batches[1].entries_size(), domain::kMaxPullBatchEntries);
  EXPECT_EQ(sent.batches[2].entries_size(), 201);
  EXPECT_EQ(sent.batches[2].through_seq(), 1201u);
}

TEST(FeedBatcherTest, AnEntryOverTheLimitIsSentWithoutContentAndTheRestGoesOn) {
  Sent sent;
  FeedBatcher batcher("0793", "e", 0, sent.Sink());
  std::set<std::string> subjects;
  ASSERT_EQ(batcher.Add(Entry(1, 10), subjects), FeedBatcher::Added::kOk);
  ASSERT_EQ(batcher.Add(Entry(2, 3 << 20, "61607040110"), subjects), FeedBatcher::Added::kOk);
  ASSERT_EQ(batcher.Add(Entry(3, 10), subjects), FeedBatcher::Added::kOk);
  ASSERT_TRUE(batcher.Finish(hop::v1::SetDigest(), nullptr));
  std::vector<hop::v1::FeedEntry> all;
  for (const hop::v1::PullBatch& b : sent.batches) {
    EXPECT_LT(b.ByteSizeLong(), domain::kMaxPullMessageBytes);
    for (const hop::v1::FeedEntry& e : b.entries()) all.push_back(e);
  }
  ASSERT_EQ(all.size(), 3u);
  EXPECT_TRUE(all[1].withheld());
  EXPECT_EQ(all[1].seq(), 2u);
  EXPECT_EQ(all[1].record_key(), "case/0793-C2");
  EXPECT_FALSE(all[1].has_case_summary()) << "the oversized content never leaves";
  EXPECT_TRUE(all[2].has_case_summary());
  EXPECT_EQ(batcher.withheld(), 1u);
  EXPECT_EQ(subjects.count("61607040110"), 0u) << "a withheld summary shares nothing";
}

TEST(FeedBatcherTest, CorruptBytesAndAReceiverThatWentAwayStopThePull) {
  Sent sent;
  FeedBatcher corrupt("0793", "e", 0, sent.Sink());
  std::set<std::string> subjects;
  EXPECT_EQ(corrupt.Add("\xff\xff\xff", subjects), FeedBatcher::Added::kCorrupt);

  int calls = 0;
  FeedBatcher gone("0793", "e", 0, [&](const hop::v1::PullBatch&) {
    ++calls;
    return false;
  });
  ASSERT_EQ(gone.Add(Entry(1, 900 << 10), subjects), FeedBatcher::Added::kOk);
  EXPECT_EQ(gone.Add(Entry(2, 900 << 10), subjects), FeedBatcher::Added::kCancelled);
  EXPECT_TRUE(gone.cancelled());
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace hop::federation
