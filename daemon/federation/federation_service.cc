#include "daemon/federation/federation_service.h"

#include "absl/strings/str_cat.h"
#include "daemon/base/log.h"

namespace hop::federation {

grpc::Status FederationService::Pull(grpc::ServerContext* context,
                                     const hop::v1::PullRequest* request,
                                     grpc::ServerWriter<hop::v1::PullBatch>* writer) {
  absl::StatusOr<security::Principal> peer = authenticator_->Authenticate(*context);
  if (!peer.ok()) {
    LogWarning("federation", "pull refused", {{"caller", context->peer()}});
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, std::string(peer.status().message()));
  }
  if (peer->kind != security::PrincipalKind::kNode || peers_.count(peer->municipality) == 0) {
    LogWarning("federation", "pull refused", {{"caller", peer->spiffe_id}});
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        absl::StrCat(peer->spiffe_id, " is not a configured peer node of ",
                                     records_->municipality()));
  }
  // Another epoch means the caller's copies belong to a previous life of this store.
  const uint64_t since = request->epoch() == records_->epoch() ? request->since_seq() : 0;
  hop::v1::PullBatch batch;
  auto start_batch = [&] {
    batch.Clear();
    batch.set_origin(records_->municipality());
    batch.set_epoch(records_->epoch());
    batch.set_through_seq(since);
  };
  start_batch();
  bool cancelled = false;
  uint64_t sent = 0;
  absl::Status scan =
      records_->ScanFeed(peer->municipality, since, [&](const hop::v1::FeedEntry& e) {
        *batch.add_entries() = e;
        batch.set_through_seq(e.seq());
        if (batch.entries_size() < kPullBatchEntries) return true;
        sent += batch.entries_size();
        const uint64_t through = batch.through_seq();
        if (context->IsCancelled() || !writer->Write(batch)) {
          cancelled = true;
          return false;
        }
        start_batch();
        batch.set_through_seq(through);
        return true;
      });
  if (!scan.ok()) return grpc::Status(grpc::StatusCode::INTERNAL, std::string(scan.message()));
  if (cancelled) return grpc::Status(grpc::StatusCode::CANCELLED, "receiver went away");
  // The last (possibly empty) batch tells the receiver the epoch and that it is up to date.
  sent += batch.entries_size();
  writer->Write(batch);
  LogInfo("federation", "pull served",
          {{"peer", peer->municipality},
           {"since", absl::StrCat(since)},
           {"entries", absl::StrCat(sent)}});
  return grpc::Status::OK;
}

}  // namespace hop::federation
