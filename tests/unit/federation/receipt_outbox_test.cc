// ReceiptOutbox on a real RocksDB store: receipts are kept only when the caller's write
// succeeds, are read back per origin oldest first in bounded batches, are counted again after
// a reopen (a restart keeps them), are removed once acknowledged, and a commit beyond the
// outbox's limits is refused with nothing written (and the outbox says it is full until
// something is removed).
#include "daemon/federation/receipt_outbox.h"

#include <stdlib.h>

#include <filesystem>

#include "gtest/gtest.h"

namespace hop::federation {
namespace {

hop::v1::LookupReceipt Receipt(int n) {
  hop::v1::LookupReceipt r;
  r.set_id(std::string(31, 'a') + static_cast<char>('0' + n % 10));
  r.set_case_id("0793-C00000" + std::to_string(n % 10));
  r.set_purpose("new pupil");
  return r;
}

class ReceiptOutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/hop-outbox-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    store_ = *store::Store::Open({dir_ + "/db"});
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::unique_ptr<ReceiptOutbox> Open(size_t max_receipts = 10, size_t max_bytes = 1 << 20) {
    absl::StatusOr<std::unique_ptr<ReceiptOutbox>> outbox =
        ReceiptOutbox::Open(store_.get(), {max_receipts, max_bytes});
    EXPECT_TRUE(outbox.ok()) << outbox.status();
    return outbox.ok() ? *std::move(outbox) : nullptr;
  }
  absl::Status Commit(ReceiptOutbox& outbox,
                      const std::map<std::string, std::vector<hop::v1::LookupReceipt>>& receipts,
                      absl::Status write_result = absl::OkStatus()) {
    store::WriteBatch batch = store_->NewBatch();
    return outbox.Commit(batch, receipts, [&](store::WriteBatch& b) {
      if (!write_result.ok()) return write_result;
      return store_->Write(b);
    });
  }

  std::string dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(ReceiptOutboxTest, KeepsReceiptsPerOriginAcrossAReopenUntilRemoved) {
  std::unique_ptr<ReceiptOutbox> outbox = Open();
  ASSERT_TRUE(Commit(*outbox, {{"0171", {Receipt(1), Receipt(2)}}, {"0283", {Receipt(3)}}}).ok());
  ASSERT_TRUE(Commit(*outbox, {{"0171", {Receipt(4)}}}).ok());
  EXPECT_EQ(outbox->pending(), 4u);

  outbox = Open();  // as after a restart
  EXPECT_EQ(outbox->pending(), 4u);
  EXPECT_EQ(outbox->PendingByOrigin(), (std::map<std::string, uint64_t>{{"0171", 3}, {"0283", 1}}));
  absl::StatusOr<std::vector<ReceiptOutbox::Queued>> first = outbox->Peek("0171", 2, 1 << 20);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].receipt.id(), Receipt(1).id()) << "oldest first";
  EXPECT_EQ((*first)[1].receipt.id(), Receipt(2).id());
  // A byte bound still lets one receipt through.
  EXPECT_EQ(outbox->Peek("0171", 50, 1)->size(), 1u);

  ASSERT_TRUE(outbox->Remove("0171", {(*first)[0].key, (*first)[1].key, "rcpt/0171/gone"}).ok());
  EXPECT_EQ(outbox->PendingByOrigin(), (std::map<std::string, uint64_t>{{"0171", 1}, {"0283", 1}}));
  EXPECT_EQ(outbox->Peek("0171", 50, 1 << 20)->at(0).receipt.id(), Receipt(4).id());
  // New receipts after a reopen go after the old ones.
  outbox = Open();
  ASSERT_TRUE(Commit(*outbox, {{"0171", {Receipt(5)}}}).ok());
  std::vector<ReceiptOutbox::Queued> all = *outbox->Peek("0171", 50, 1 << 20);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].receipt.id(), Receipt(5).id());
}

TEST_F(ReceiptOutboxTest, AFailedWriteKeepsNothing) {
  std::unique_ptr<ReceiptOutbox> outbox = Open();
  EXPECT_TRUE(absl::IsUnavailable(
      Commit(*outbox, {{"0171", {Receipt(1)}}}, absl::UnavailableError("disk full"))));
  EXPECT_EQ(outbox->pending(), 0u);
  EXPECT_EQ(Open()->pending(), 0u);
}

TEST_F(ReceiptOutboxTest, AFullOutboxRefusesWithNothingWrittenUntilSomethingIsRemoved) {
  std::unique_ptr<ReceiptOutbox> outbox = Open(/*max_receipts=*/3);
  ASSERT_TRUE(Commit(*outbox, {{"0171", {Receipt(1), Receipt(2)}}}).ok());
  EXPECT_FALSE(outbox->full());
  const absl::Status refused = Commit(*outbox, {{"0283", {Receipt(3), Receipt(4)}}});
  EXPECT_TRUE(absl::IsResourceExhausted(refused)) << refused;
  EXPECT_NE(refused.message().find("outbox is full"), std::string::npos) << refused;
  EXPECT_TRUE(outbox->full());
  EXPECT_EQ(outbox->pending(), 2u);
  EXPECT_EQ(Open(3)->pending(), 2u) << "nothing of the refused commit was written";
  ASSERT_TRUE(outbox->Remove("0171", {outbox->Peek("0171", 1, 1 << 20)->at(0).key}).ok());
  EXPECT_FALSE(outbox->full());
  // The byte bound too.
  std::unique_ptr<ReceiptOutbox> small = Open(100, /*max_bytes=*/60);
  EXPECT_TRUE(absl::IsResourceExhausted(Commit(*small, {{"0171", {Receipt(6)}}})));
}

}  // namespace
}  // namespace hop::federation
