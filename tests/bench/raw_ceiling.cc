// The raw mTLS -> RocksDB ceiling of the sync benchmark (see raw_ceiling.h).
// Run via tests/bench/run_sync_bench.sh.
#include "tests/bench/raw_ceiling.h"

#include <chrono>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "bench.grpc.pb.h"
#include "daemon/security/identity.h"
#include "daemon/store/store.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/server_builder.h"

namespace hop::bench {
namespace {

constexpr int kDistinctPayloads = 256;

absl::Status FromGrpc(const grpc::Status& s, absl::string_view context) {
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                      absl::StrCat(context, ": ", s.error_message()));
}

// Streams `records` records of random bytes; only keys change between batches, so the server
// costs little more than serialization.
class RawStreamService final : public RawStream::Service {
 public:
  grpc::Status Stream(grpc::ServerContext* context, const StreamRequest* request,
                      grpc::ServerWriter<RawBatch>* writer) override {
    if (request->batch_records() == 0) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "batch_records: must be > 0");
    }
    std::mt19937_64 random(42);
    std::vector<std::string> payloads(kDistinctPayloads, std::string(request->record_bytes(), 0));
    for (std::string& p : payloads) {
      for (char& c : p) c = static_cast<char>(random());
    }
    RawBatch batch;
    for (uint32_t i = 0; i < request->batch_records(); ++i) batch.add_records();
    uint64_t sent = 0;
    while (sent < request->records()) {
      const uint64_t n = std::min<uint64_t>(request->batch_records(), request->records() - sent);
      while (static_cast<uint64_t>(batch.records_size()) > n) batch.mutable_records()->RemoveLast();
      for (uint64_t i = 0; i < n; ++i) {
        RawRecord* r = batch.mutable_records(static_cast<int>(i));
        r->set_key(absl::StrFormat("o/raw/%016x", sent + i));
        r->set_value(payloads[(sent + i) % kDistinctPayloads]);
      }
      if (context->IsCancelled() || !writer->Write(batch)) {
        return grpc::Status(grpc::StatusCode::CANCELLED, "receiver went away");
      }
      sent += n;
    }
    return grpc::Status::OK;
  }
};

// Writes batches in order, each durably. Pipelined: on its own thread, at most two batches
// behind the caller, so receiving and decoding overlap the WAL fsync; else in Add itself.
class BatchWriter {
 public:
  BatchWriter(store::Store* store, bool pipelined) : store_(store) {
    if (pipelined) thread_ = std::thread([this] { Loop(); });
  }
  ~BatchWriter() { Finish().IgnoreError(); }

  // False once a write has failed (Finish returns the error).
  bool Add(store::WriteBatch batch) {
    if (!thread_.joinable()) {
      absl::Status s = store_->Write(batch);
      absl::MutexLock lock(&mu_);
      if (error_.ok()) error_ = s;
      return error_.ok();
    }
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &BatchWriter::HasRoom));
    if (!error_.ok()) return false;
    queue_.push_back(std::move(batch));
    return true;
  }

  // Waits until every added batch is written; the first write error, if any.
  absl::Status Finish() {
    {
      absl::MutexLock lock(&mu_);
      done_ = true;
    }
    if (thread_.joinable()) thread_.join();
    absl::MutexLock lock(&mu_);
    return error_;
  }

 private:
  static constexpr size_t kDepth = 2;
  bool HasRoom() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return queue_.size() < kDepth || !error_.ok();
  }
  bool HasWork() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !queue_.empty() || done_; }

  void Loop() {
    for (;;) {
      std::optional<store::WriteBatch> batch;
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(this, &BatchWriter::HasWork));
        if (queue_.empty() || !error_.ok()) return;
        batch.emplace(std::move(queue_.front()));
        queue_.pop_front();
      }
      absl::Status s = store_->Write(*batch);
      if (!s.ok()) {
        absl::MutexLock lock(&mu_);
        error_ = s;
        queue_.clear();
      }
    }
  }

  store::Store* const store_;
  absl::Mutex mu_;
  std::deque<store::WriteBatch> queue_ ABSL_GUARDED_BY(mu_);
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status error_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace

absl::StatusOr<RawCeilingResult> RunRawCeiling(const RawCeilingOptions& options) {
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> server_creds =
      security::MakeServerCredentials(options.server_tls);
  if (!server_creds.ok()) return server_creds.status();
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> channel_creds =
      security::MakeChannelCredentials(options.client_tls,
                                       security::NodeSpiffeId(options.server_ehak));
  if (!channel_creds.ok()) return channel_creds.status();

  RawStreamService service;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", *server_creds, &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError("raw ceiling: cannot listen on 127.0.0.1");
  }
  // `server` is declared before everything that uses it, so its destructor (which shuts it
  // down) runs after the call below has finished or been cancelled.
  absl::StatusOr<std::unique_ptr<store::Store>> store = store::Store::Open({options.store_dir});
  if (!store.ok()) return store.status();

  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), *channel_creds);
  if (!channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10))) {
    return absl::UnavailableError("raw ceiling: mTLS connection to the bench server failed");
  }
  auto stub = RawStream::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(30));
  StreamRequest request;
  request.set_records(options.records);
  request.set_record_bytes(options.record_bytes);
  request.set_batch_records(options.batch_records);

  RawCeilingResult result;
  const absl::Time start = absl::Now();
  std::unique_ptr<grpc::ClientReader<RawBatch>> reader = stub->Stream(&context, request);
  BatchWriter writer(store->get(), options.pipelined);
  RawBatch batch;
  while (reader->Read(&batch)) {
    store::WriteBatch wb = (*store)->NewBatch();
    for (const RawRecord& r : batch.records()) {
      wb.Put(store::Family::kReplicas, r.key(), r.value());
      result.payload_bytes += r.value().size();
    }
    if (!writer.Add(std::move(wb))) break;
    result.records += batch.records_size();
  }
  absl::Status written = writer.Finish();
  if (!written.ok()) {
    context.TryCancel();
    (void)reader->Finish();  // drains the cancelled call
    return written;
  }
  grpc::Status finished = reader->Finish();
  result.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  if (!finished.ok()) return FromGrpc(finished, "raw ceiling stream");
  if (result.records != options.records) {
    return absl::InternalError(
        absl::StrCat("raw ceiling: received ", result.records, " of ", options.records));
  }
  store->reset();
  std::error_code ignored;
  std::filesystem::remove_all(options.store_dir, ignored);
  return result;
}

}  // namespace hop::bench
