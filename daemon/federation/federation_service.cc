#include "daemon/federation/federation_service.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "daemon/authz/authz_rules.h"
#include "daemon/base/log.h"
#include "daemon/base/status_macros.h"
#include "daemon/domain/access.h"
#include "daemon/domain/municipalities.h"
#include "daemon/federation/feed_batcher.h"
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

absl::Status FederationService::CheckPosition(const std::string& peer, uint64_t since) {
  const uint64_t head = records_->LastSeq();
  if (since <= head) return absl::OkStatus();
  // The caller claims changes this store never issued: a forged or corrupt checkpoint, or
  // this store was put back from a copy without `hopd --restore`. Epochs move only by this
  // node's own act, so nothing changes here; an honest caller resyncs from zero.
  const std::string reason = absl::StrCat(
      "since_seq ", since, " is beyond the newest change ", head, " this node (",
      records_->municipality(), ") has issued in epoch ", records_->epoch(),
      ": refused; pull from 0 to resync. If this node's data directory was put back from a "
      "copy, restore it with hopd --restore instead (README: Backups)");
  LogError("federation", "a peer claimed a feed position this node never issued",
           {{"peer", peer}, {"peer_seq", absl::StrCat(since)}, {"own_seq", absl::StrCat(head)}});
  AuditRefusal(security::NodeSpiffeId(peer), "Pull", reason);
  store::Store& store = records_->store();
  hop::v1::FeedProgress progress = Progress(store, peer);
  progress.set_position_refusals(progress.position_refusals() + 1);
  store::WriteBatch batch = store.NewBatch();
  batch.Put(store::Family::kSyncState, ProgressKey(peer), progress.SerializeAsString());
  if (absl::Status saved = store.Write(batch); !saved.ok()) {
    LogWarning("federation", "cannot save feed progress",
               {{"peer", peer}, {"error", std::string(saved.message())}});
  }
  return absl::OutOfRangeError(reason);
}

absl::StatusOr<bool> FederationService::HandBack(const std::string& peer,
                                                 const hop::v1::PullRequest& request,
                                                 grpc::ServerWriter<hop::v1::PullBatch>* writer) {
  HOP_ASSIGN_OR_RETURN(WithdrawalHandback::Outcome outcome, handback_->Receive(peer, request));
  if (outcome.reapplied > 0 || outcome.refused > 0) {
    store::Store& store = records_->store();
    hop::v1::FeedProgress progress = Progress(store, peer);
    progress.set_withdrawals_reapplied(progress.withdrawals_reapplied() + outcome.reapplied);
    progress.set_withdrawal_notices_refused(progress.withdrawal_notices_refused() +
                                            outcome.refused);
    store::WriteBatch batch = store.NewBatch();
    batch.Put(store::Family::kSyncState, ProgressKey(peer), progress.SerializeAsString());
    HOP_RETURN_IF_ERROR(store.Write(batch));
  }
  if (!outcome.ask) return false;
  hop::v1::PullBatch ask;
  ask.set_origin(records_->municipality());
  ask.set_epoch(records_->epoch());
  ask.set_hand_back_withdrawals(true);
  CountBytesOut(peer, ask);
  writer->Write(ask);
  LogInfo("federation", "asked a peer of an earlier epoch for its withdrawal notices",
          {{"peer", peer}});
  return true;
}

void FederationService::RecordServed(const std::string& peer, const std::string& epoch,
                                     uint64_t acked_seq, uint64_t served_seq, uint64_t sent,
                                     uint64_t withheld, const std::set<std::string>& subjects,
                                     const std::set<std::string>& cp_subjects) {
  store::Store& store = records_->store();
  hop::v1::FeedProgress progress = Progress(store, peer);
  progress.set_epoch(epoch);
  progress.set_acked_seq(acked_seq);
  progress.set_served_seq(served_seq);
  progress.set_records_out(progress.records_out() + sent);
  progress.set_withheld_out(progress.withheld_out() + withheld);
  progress.set_last_pull(records_->clock().NowUnix());
  store::WriteBatch batch = store.NewBatch();
  batch.Put(store::Family::kSyncState, ProgressKey(peer), progress.SerializeAsString());
  std::vector<hop::v1::AuditEntry> entries;
  for (bool cp_basis : {false, true}) {
    hop::v1::AuditEntry entry;
    for (const std::string& child : subjects) {
      if ((cp_subjects.count(child) > 0) == cp_basis) entry.add_subjects(child);
    }
    if (audit_ == nullptr || entry.subjects().empty()) continue;
    entry.set_actor(security::NodeSpiffeId(peer));
    entry.set_actor_role("peer-node");
    entry.set_actor_municipality(peer);
    entry.set_action(cp_basis ? "Federation.Pull: feed served (child-protection basis)"
                              : "Federation.Pull: feed served");
    entry.set_object(absl::StrCat("feed for ", peer, " after change ", acked_seq));
    entry.set_purpose("sync");
    entry.set_child_protection(cp_basis);
    entry.set_outcome(absl::StrCat("ok; ", sent, " entries"));
    entries.push_back(std::move(entry));
  }
  absl::Status saved =
      entries.empty() ? store.Write(batch) : audit_->Commit(batch, std::move(entries));
  if (!saved.ok()) {
    LogWarning("federation", "cannot save feed progress",
               {{"peer", peer}, {"error", std::string(saved.message())}});
  }
}

absl::StatusOr<std::string> FederationService::AuthenticatePeer(const grpc::ServerContext& context,
                                                                absl::string_view action) {
  const std::string method = absl::StrCat("/hop.v1.Federation/", action);
  const authz::MethodRule* rule = authz::FindRule(method);
  if (rule == nullptr || !rule->peer_nodes || rule->port != authz::Port::kFederation) {
    AuditRefusal(absl::StrCat("caller at ", context.peer()), action, "no authorization rule");
    return absl::PermissionDeniedError(
        absl::StrCat(method, " has no authorization rule on the federation port and is refused"));
  }
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

grpc::Status FederationService::Receipts(grpc::ServerContext* context,
                                         const hop::v1::LookupReceiptBatch* request,
                                         hop::v1::LookupReceiptAck* ack) {
  absl::StatusOr<std::string> peer = AuthenticatePeer(*context, "Receipts");
  absl::StatusOr<hop::v1::LookupReceiptAck> result =
      peer.ok() ? receipts_->Take(*peer, *request) : peer.status();
  if (!result.ok()) {
    CountRefusal(result.status());
    return grpc::Status(static_cast<grpc::StatusCode>(result.status().code()),
                        std::string(result.status().message()));
  }
  *ack = *std::move(result);
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

grpc::Status FederationService::Nudge(grpc::ServerContext* context,
                                      const hop::v1::NudgeRequest* /*request*/,
                                      hop::v1::NudgeResponse* /*response*/) {
  absl::StatusOr<std::string> peer = AuthenticatePeer(*context, "Nudge");
  if (!peer.ok()) {
    CountRefusal(peer.status());
    return grpc::Status(static_cast<grpc::StatusCode>(peer.status().code()),
                        std::string(peer.status().message()));
  }
  nudges_->Nudged(*peer);
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
  absl::StatusOr<bool> asked = HandBack(code, *request, writer);
  if (!asked.ok()) {
    CountRefusal(asked.status());
    return grpc::Status(static_cast<grpc::StatusCode>(asked.status().code()),
                        std::string(asked.status().message()));
  }
  if (*asked) return grpc::Status::OK;
  const std::string epoch = records_->epoch();
  // Another epoch means the caller's copies belong to a previous life of this store.
  const bool same_epoch = request->epoch() == epoch;
  const uint64_t since = same_epoch ? request->since_seq() : 0;
  if (absl::Status position = CheckPosition(code, since); !position.ok()) {
    CountRefusal(position);
    return grpc::Status(static_cast<grpc::StatusCode>(position.code()),
                        std::string(position.message()));
  }
  if (same_epoch && since > 0) Acknowledge(code, since);

  std::unique_ptr<store::Snapshot> snapshot = records_->store().GetSnapshot();
  FeedBatcher batcher(records_->municipality(), epoch, since, [&](const hop::v1::PullBatch& batch) {
    CountBytesOut(code, batch);
    return !context->IsCancelled() && writer->Write(batch);
  });
  bool corrupt = false;
  std::set<std::string> subjects;  // children whose summaries are served (audit)
  absl::Status scan = records_->ScanFeedRaw(
      code, since,
      [&](absl::string_view bytes) {
        const FeedBatcher::Added added = batcher.Add(bytes, subjects);
        corrupt = added == FeedBatcher::Added::kCorrupt;
        return added == FeedBatcher::Added::kOk;
      },
      snapshot.get());
  if (corrupt) {
    return grpc::Status(grpc::StatusCode::DATA_LOSS,
                        absl::StrCat("a feed entry for ", code, " cannot be parsed"));
  }
  if (!scan.ok()) return grpc::Status(grpc::StatusCode::INTERNAL, std::string(scan.message()));
  if (batcher.cancelled()) return grpc::Status(grpc::StatusCode::CANCELLED, "receiver went away");
  // The last (possibly empty) batch carries the epoch and the digest of what the caller
  // should now hold, from the same snapshot as the entries.
  absl::StatusOr<hop::v1::SetDigest> digest = records_->FeedDigest(code, snapshot.get());
  if (!digest.ok()) {
    return grpc::Status(grpc::StatusCode::INTERNAL, std::string(digest.status().message()));
  }
  hop::v1::AuditHead head;
  if (audit_ != nullptr) head = audit_->Head();
  if (!batcher.Finish(*std::move(digest), audit_ != nullptr ? &head : nullptr)) {
    return grpc::Status(grpc::StatusCode::CANCELLED, "receiver went away");
  }
  RecordServed(code, epoch, since, std::max(since, batcher.last_seq()), batcher.sent(),
               batcher.withheld(), subjects, batcher.child_protection_subjects());
  LogInfo("federation", "pull served",
          {{"peer", code},
           {"since", absl::StrCat(since)},
           {"entries", absl::StrCat(batcher.sent())},
           {"batches", absl::StrCat(batcher.batches())}});
  return grpc::Status::OK;
}

// County figures (issue 13).

absl::StatusOr<hop::v1::FiguresAnswer> FederationService::AnswerFigures(
    const std::string& peer, const hop::v1::FiguresRequest& request) {
  const domain::Municipality* own = domain::FindMunicipality(records_->municipality());
  const domain::Municipality* theirs = domain::FindMunicipality(peer);
  absl::Status allowed = absl::OkStatus();
  if (own == nullptr || theirs == nullptr || own->county != theirs->county) {
    allowed = absl::PermissionDeniedError(
        absl::StrCat("county figures are for the network leaders of ",
                     own == nullptr ? records_->municipality() : std::string(own->county), "; ",
                     peer, " is in another county"));
  } else if (absl::Status asker = CheckAsker(peer, request.asker()); !asker.ok()) {
    allowed = asker;
  } else if (request.asker_role() != hop::v1::ROLE_NETWORK_LEADER) {
    allowed = absl::PermissionDeniedError(
        absl::StrCat("asker_role: ", domain::RoleName(request.asker_role()),
                     " may not ask for county figures; only network leaders may"));
  }
  if (!allowed.ok()) {
    LogWarning("federation", "figures refused",
               {{"peer", peer}, {"error", std::string(allowed.message())}});
    AuditRefusal(security::NodeSpiffeId(peer), "Figures", std::string(allowed.message()));
    return allowed;
  }
  HOP_RETURN_IF_ERROR(figures_limiter_.Take(peer, absl::StrCat("figures for ", peer)));
  HOP_ASSIGN_OR_RETURN(hop::v1::MunicipalityFigures figures, figures_());
  if (audit_ != nullptr) {
    hop::v1::AuditEntry entry;
    entry.set_actor(request.asker());
    entry.set_actor_role(domain::RoleName(request.asker_role()));
    entry.set_actor_municipality(peer);
    entry.set_action("Federation.Figures: answered");
    entry.set_object(absl::StrCat("county figures of ", records_->municipality(), " for ", peer));
    entry.set_outcome("ok; counts only, cells under 5 suppressed");
    // No trace, no data: an answer whose audit entry cannot be written is not given.
    HOP_RETURN_IF_ERROR(audit_->Record({std::move(entry)}));
  }
  hop::v1::FiguresAnswer answer;
  *answer.mutable_figures() = std::move(figures);
  return answer;
}

grpc::Status FederationService::Figures(grpc::ServerContext* context,
                                        const hop::v1::FiguresRequest* request,
                                        hop::v1::FiguresAnswer* answer) {
  absl::StatusOr<std::string> peer = AuthenticatePeer(*context, "Figures");
  absl::StatusOr<hop::v1::FiguresAnswer> result =
      peer.ok() ? AnswerFigures(*peer, *request) : peer.status();
  if (!result.ok()) {
    CountRefusal(result.status());
    return grpc::Status(static_cast<grpc::StatusCode>(result.status().code()),
                        std::string(result.status().message()));
  }
  *answer = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace hop::federation
