#include "daemon/federation/federation_service.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "daemon/base/log.h"
#include "daemon/federation/puller.h"
#include "daemon/ops/metrics.h"
#include "daemon/security/identity.h"

namespace hop::federation {
namespace {

std::string ProgressKey(const std::string& peer) { return absl::StrCat("out/", peer); }

void CountBytesOut(const std::string& peer, const hop::v1::PullBatch& batch) {
  ops::Registry::Default().Count("hop_peer_bytes_out_total", {{"peer", peer}},
                                 static_cast<double>(batch.ByteSizeLong()));
}

void CountRefusal(const absl::Status& status) {
  ops::Registry::Default().Count(
      "hop_refusals_total",
      {{"api", "federation"},
       {"reason", absl::AsciiStrToLower(absl::StatusCodeToString(status.code()))}});
}

}  // namespace

hop::v1::FeedProgress FederationService::Progress(const store::Store& store,
                                                  const std::string& peer) {
  hop::v1::FeedProgress progress;
  absl::StatusOr<std::optional<std::string>> raw =
      store.Get(store::Family::kSyncState, ProgressKey(peer));
  if (raw.ok() && raw->has_value()) progress.ParseFromString(**raw);
  return progress;
}

void FederationService::Acknowledge(const std::string& peer, uint64_t acked_seq) {
  uint64_t collected = 0;
  absl::Status gc = records_->Mutate([&](casework::Mutation& m) -> absl::Status {
    absl::StatusOr<uint64_t> n = m.CollectTombstones(peer, acked_seq);
    if (!n.ok()) return n.status();
    collected = *n;
    return absl::OkStatus();
  });
  if (!gc.ok()) {
    LogWarning("federation", "tombstone collection failed",
               {{"peer", peer}, {"error", std::string(gc.message())}});
  } else if (collected > 0) {
    LogInfo("federation", "tombstones collected",
            {{"peer", peer}, {"count", absl::StrCat(collected)}});
  }
}

void FederationService::AuditRefusal(const std::string& caller, absl::string_view action,
                                     const std::string& reason) {
  if (audit_ == nullptr) return;
  hop::v1::AuditEntry entry;
  entry.set_actor(caller);
  entry.set_actor_role("peer-node");
  entry.set_action(absl::StrCat("Federation.", action));
  entry.set_object("federation port");
  entry.set_outcome(absl::StrCat("refused: ", reason));
  if (absl::Status s = audit_->Record({std::move(entry)}); !s.ok()) {
    LogError("audit", "cannot write an audit entry", {{"error", std::string(s.message())}});
  }
}

void FederationService::RecordServed(const std::string& peer, const std::string& epoch,
                                     uint64_t acked_seq, uint64_t sent,
                                     const std::set<std::string>& subjects) {
  store::Store& store = records_->store();
  hop::v1::FeedProgress progress = Progress(store, peer);
  progress.set_epoch(epoch);
  progress.set_acked_seq(acked_seq);
  progress.set_records_out(progress.records_out() + sent);
  progress.set_last_pull(records_->clock().NowUnix());
  store::WriteBatch batch = store.NewBatch();
  batch.Put(store::Family::kSyncState, ProgressKey(peer), progress.SerializeAsString());
  absl::Status saved;
  if (audit_ != nullptr && !subjects.empty()) {
    hop::v1::AuditEntry entry;
    entry.set_actor(security::NodeSpiffeId(peer));
    entry.set_actor_role("peer-node");
    entry.set_actor_municipality(peer);
    entry.set_action("Federation.Pull: feed served");
    entry.set_object(absl::StrCat("feed for ", peer, " after change ", acked_seq));
    entry.set_purpose("sync");
    for (const std::string& child : subjects) entry.add_subjects(child);
    entry.set_outcome(absl::StrCat("ok; ", sent, " entries"));
    saved = audit_->Commit(batch, {std::move(entry)});
  } else {
    saved = store.Write(batch);
  }
  if (!saved.ok()) {
    LogWarning("federation", "cannot save feed progress",
               {{"peer", peer}, {"error", std::string(saved.message())}});
  }
}

absl::StatusOr<std::string> FederationService::AuthenticatePeer(const grpc::ServerContext& context,
                                                                absl::string_view action) {
  absl::StatusOr<security::Principal> peer = authenticator_->Authenticate(context);
  if (!peer.ok()) {
    LogWarning("federation", "call refused",
               {{"action", std::string(action)}, {"caller", context.peer()}});
    AuditRefusal(absl::StrCat("unauthenticated caller at ", context.peer()), action,
                 std::string(peer.status().message()));
    // A stale CRL (FAILED_PRECONDITION) says so; every other refusal is UNAUTHENTICATED.
    if (absl::IsFailedPrecondition(peer.status())) return peer.status();
    return absl::UnauthenticatedError(peer.status().message());
  }
  if (peer->kind != security::PrincipalKind::kNode || peers_.count(peer->municipality) == 0) {
    LogWarning("federation", "call refused",
               {{"action", std::string(action)}, {"caller", peer->spiffe_id}});
    AuditRefusal(peer->spiffe_id, action, "not a configured peer node");
    return absl::PermissionDeniedError(absl::StrCat(
        peer->spiffe_id, " is not a configured peer node of ", records_->municipality()));
  }
  return peer->municipality;
}

grpc::Status FederationService::Query(grpc::ServerContext* context,
                                      const hop::v1::ChildQuery* request,
                                      hop::v1::ChildQueryAnswer* answer) {
  absl::StatusOr<std::string> peer = AuthenticatePeer(*context, "Query");
  absl::StatusOr<hop::v1::ChildQueryAnswer> result =
      peer.ok() ? answerer_->Answer(*peer, *request) : peer.status();
  if (!result.ok()) {
    CountRefusal(result.status());
    return grpc::Status(static_cast<grpc::StatusCode>(result.status().code()),
                        std::string(result.status().message()));
  }
  *answer = *std::move(result);
  return grpc::Status::OK;
}

grpc::Status FederationService::Witness(grpc::ServerContext* context,
                                        const hop::v1::WitnessRequest* /*request*/,
                                        hop::v1::AuditWitness* witness) {
  absl::StatusOr<std::string> peer = AuthenticatePeer(*context, "Witness");
  if (!peer.ok()) {
    CountRefusal(peer.status());
    return grpc::Status(static_cast<grpc::StatusCode>(peer.status().code()),
                        std::string(peer.status().message()));
  }
  absl::StatusOr<std::optional<std::string>> raw =
      records_->store().Get(store::Family::kSyncState, WitnessKey(*peer));
  if (!raw.ok())
    return grpc::Status(grpc::StatusCode::INTERNAL, std::string(raw.status().message()));
  if (raw->has_value() && !witness->ParseFromString(**raw)) {
    return grpc::Status(grpc::StatusCode::DATA_LOSS, "the witnessed audit head cannot be parsed");
  }
  return grpc::Status::OK;
}

grpc::Status FederationService::Pull(grpc::ServerContext* context,
                                     const hop::v1::PullRequest* request,
                                     grpc::ServerWriter<hop::v1::PullBatch>* writer) {
  absl::StatusOr<std::string> peer = AuthenticatePeer(*context, "Pull");
  if (!peer.ok()) {
    CountRefusal(peer.status());
    return grpc::Status(static_cast<grpc::StatusCode>(peer.status().code()),
                        std::string(peer.status().message()));
  }
  const std::string& code = *peer;
  if (absl::Status swept = sweep_(); !swept.ok()) {
    LogWarning("federation", "consent expiry sweep failed",
               {{"error", std::string(swept.message())}});
  }
  std::string epoch = records_->epoch();
  if (request->epoch() == epoch && request->since_seq() > records_->LastSeq()) {
    // The caller has seen changes this store does not have: it was restored from an older
    // copy. A new epoch makes every peer drop its copies and pull this life from zero.
    absl::StatusOr<std::string> renewed = records_->RenewEpoch(epoch);
    if (!renewed.ok()) {
      return grpc::Status(grpc::StatusCode::INTERNAL, std::string(renewed.status().message()));
    }
    LogError("federation", "a peer is ahead of this store (restored from a backup?); new epoch",
             {{"peer", code},
              {"peer_seq", absl::StrCat(request->since_seq())},
              {"own_seq", absl::StrCat(records_->LastSeq())}});
    epoch = *std::move(renewed);
  }
  // Another epoch means the caller's copies belong to a previous life of this store.
  const bool same_epoch = request->epoch() == epoch;
  const uint64_t since = same_epoch ? request->since_seq() : 0;
  if (same_epoch && since > 0) Acknowledge(code, since);

  std::unique_ptr<store::Snapshot> snapshot = records_->store().GetSnapshot();
  hop::v1::PullBatch batch;
  auto start_batch = [&](uint64_t through) {
    batch.Clear();
    batch.set_origin(records_->municipality());
    batch.set_epoch(epoch);
    batch.set_through_seq(through);
  };
  start_batch(since);
  bool cancelled = false, corrupt = false;
  std::set<std::string> subjects;  // children whose summaries are served (audit)
  uint64_t sent = 0;
  absl::Status scan = records_->ScanFeedRaw(
      code, since,
      [&](absl::string_view bytes) {
        hop::v1::FeedEntry* e = batch.add_entries();  // parsed in place: no copy per entry
        if (!e->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
          corrupt = true;
          return false;
        }
        batch.set_through_seq(e->seq());
        if (e->has_case_summary()) subjects.insert(e->case_summary().child_isikukood());
        if (batch.entries_size() < kPullBatchEntries) return true;
        sent += batch.entries_size();
        const uint64_t through = e->seq();
        CountBytesOut(code, batch);
        if (context->IsCancelled() || !writer->Write(batch)) {
          cancelled = true;
          return false;
        }
        start_batch(through);
        return true;
      },
      snapshot.get());
  if (corrupt) {
    return grpc::Status(grpc::StatusCode::DATA_LOSS,
                        absl::StrCat("a feed entry for ", code, " cannot be parsed"));
  }
  if (!scan.ok()) return grpc::Status(grpc::StatusCode::INTERNAL, std::string(scan.message()));
  if (cancelled) return grpc::Status(grpc::StatusCode::CANCELLED, "receiver went away");
  // The last (possibly empty) batch carries the epoch and the digest of what the caller
  // should now hold, from the same snapshot as the entries.
  absl::StatusOr<hop::v1::SetDigest> digest = records_->FeedDigest(code, snapshot.get());
  if (!digest.ok()) {
    return grpc::Status(grpc::StatusCode::INTERNAL, std::string(digest.status().message()));
  }
  *batch.mutable_digest() = *std::move(digest);
  if (audit_ != nullptr) *batch.mutable_audit_head() = audit_->Head();
  sent += batch.entries_size();
  CountBytesOut(code, batch);
  if (!writer->Write(batch)) return grpc::Status(grpc::StatusCode::CANCELLED, "receiver went away");
  RecordServed(code, epoch, since, sent, subjects);
  LogInfo("federation", "pull served",
          {{"peer", code}, {"since", absl::StrCat(since)}, {"entries", absl::StrCat(sent)}});
  return grpc::Status::OK;
}

}  // namespace hop::federation
