#include "daemon/federation/puller.h"

#include <chrono>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "daemon/base/log.h"
#include "daemon/base/status_macros.h"
#include "daemon/domain/isikukood.h"
#include "daemon/security/identity.h"
#include "grpcpp/create_channel.h"
#include "hop/v1/federation.grpc.pb.h"

namespace hop::federation {
namespace {

using store::Family;

constexpr auto kPullDeadline = std::chrono::minutes(10);
constexpr auto kConnectDeadline = std::chrono::seconds(5);

std::string CheckpointKey(const std::string& origin) { return absl::StrCat("cp/", origin); }
std::string ReplicaPrefix(const std::string& origin) { return absl::StrCat("o/", origin, "/"); }

// The id part of "kind/<id>" if kind is one of the shared record kinds.
absl::StatusOr<std::string> RecordId(absl::string_view key) {
  for (absl::string_view kind : {"case/", "institution/", "contact/"}) {
    if (absl::StartsWith(key, kind)) return std::string(key.substr(kind.size()));
  }
  return absl::InvalidArgumentError(absl::StrCat("record_key: unknown kind \"", key, "\""));
}

}  // namespace

absl::Status Puller::CheckEntry(const std::string& origin, const hop::v1::FeedEntry& e) {
  HOP_ASSIGN_OR_RETURN(std::string id, RecordId(e.record_key()));
  if (!absl::StartsWith(id, absl::StrCat(origin, "-"))) {
    return absl::PermissionDeniedError(
        absl::StrCat("record ", e.record_key(), " is not owned by the sender ", origin));
  }
  if (e.tombstone()) return absl::OkStatus();
  switch (e.payload_case()) {
    case hop::v1::FeedEntry::kCaseSummary: {
      const hop::v1::CaseSummary& s = e.case_summary();
      if (e.record_key() != absl::StrCat("case/", s.case_id()) || s.origin() != origin) {
        return absl::PermissionDeniedError(
            absl::StrCat("case summary ", s.case_id(), " claims origin ", s.origin()));
      }
      return domain::ValidateIsikukood(s.child_isikukood(), "case_summary.child_isikukood");
    }
    case hop::v1::FeedEntry::kInstitution:
      if (e.institution().municipality() != origin ||
          e.record_key() != absl::StrCat("institution/", e.institution().id())) {
        return absl::PermissionDeniedError("institution of another municipality");
      }
      return absl::OkStatus();
    case hop::v1::FeedEntry::kContact:
      if (e.contact().municipality() != origin ||
          e.record_key() != absl::StrCat("contact/", e.contact().id())) {
        return absl::PermissionDeniedError("contact of another municipality");
      }
      return absl::OkStatus();
    default:
      return absl::InvalidArgumentError("entry has neither payload nor tombstone");
  }
}

hop::v1::SyncCheckpoint Puller::LoadCheckpoint(const std::string& origin) const {
  hop::v1::SyncCheckpoint cp;
  absl::StatusOr<std::optional<std::string>> raw =
      store_->Get(Family::kSyncState, CheckpointKey(origin));
  if (raw.ok() && raw->has_value()) cp.ParseFromString(**raw);
  return cp;
}

absl::Status Puller::SaveCheckpoint(const std::string& origin, const hop::v1::SyncCheckpoint& cp) {
  store::WriteBatch batch = store_->NewBatch();
  batch.Put(Family::kSyncState, CheckpointKey(origin), cp.SerializeAsString());
  return store_->Write(batch);
}

absl::Status Puller::ApplyBatch(const std::string& origin, const hop::v1::PullBatch& batch,
                                hop::v1::SyncCheckpoint& applied) {
  hop::v1::SyncCheckpoint cp = applied;  // becomes `applied` only once the batch is durable
  if (batch.origin() != origin) {
    return absl::PermissionDeniedError(
        absl::StrCat("peer ", origin, " answered as ", batch.origin()));
  }
  store::WriteBatch wb = store_->NewBatch();
  const std::string prefix = ReplicaPrefix(origin);
  if (!cp.epoch().empty() && cp.epoch() != batch.epoch()) {
    // The origin was wiped or restored: forget what we held from its previous life.
    LogWarning("federation", "origin has a new epoch; dropping its copies", {{"peer", origin}});
    HOP_RETURN_IF_ERROR(
        store_->Scan(Family::kReplicas, prefix, "", [&](absl::string_view key, absl::string_view) {
          wb.Delete(Family::kReplicas, key);
          return true;
        }));
    cp.set_seq(0);
  }
  cp.set_epoch(batch.epoch());
  for (const hop::v1::FeedEntry& e : batch.entries()) {
    absl::Status ok = CheckEntry(origin, e);
    if (!ok.ok()) {
      cp.set_refused_in(cp.refused_in() + 1);
      LogWarning("federation", "entry refused",
                 {{"peer", origin},
                  {"seq", absl::StrCat(e.seq())},
                  {"reason", std::string(ok.message())}});
      continue;
    }
    const std::string key = absl::StrCat(prefix, e.record_key());
    if (e.tombstone()) {
      wb.Delete(Family::kReplicas, key);
    } else {
      wb.Put(Family::kReplicas, key, e.SerializeAsString());
    }
    cp.set_records_in(cp.records_in() + 1);
  }
  cp.set_seq(batch.through_seq());
  wb.Put(Family::kSyncState, CheckpointKey(origin), cp.SerializeAsString());
  HOP_RETURN_IF_ERROR(store_->Write(wb));
  applied = std::move(cp);
  return absl::OkStatus();
}

absl::Status Puller::PullFrom(const PeerEndpoint& peer, hop::v1::SyncCheckpoint& cp) {
  HOP_ASSIGN_OR_RETURN(
      std::shared_ptr<grpc::ChannelCredentials> creds,
      security::MakeChannelCredentials(tls_, security::NodeSpiffeId(peer.municipality)));
  auto channel = grpc::CreateChannel(peer.address, creds);
  if (!channel->WaitForConnected(std::chrono::system_clock::now() + kConnectDeadline)) {
    return absl::UnavailableError(absl::StrCat("cannot connect to ", peer.address));
  }
  auto stub = hop::v1::Federation::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kPullDeadline);
  hop::v1::PullRequest request;
  request.set_epoch(cp.epoch());
  request.set_since_seq(cp.seq());
  std::unique_ptr<grpc::ClientReader<hop::v1::PullBatch>> reader = stub->Pull(&context, request);
  hop::v1::PullBatch batch;
  while (reader->Read(&batch)) HOP_RETURN_IF_ERROR(ApplyBatch(peer.municipality, batch, cp));
  grpc::Status status = reader->Finish();
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<hop::v1::PeerSyncState>> Puller::Sync(const std::string& only) {
  std::vector<hop::v1::PeerSyncState> states;
  bool found = only.empty();
  absl::MutexLock lock(&sync_mu_);
  for (const PeerEndpoint& peer : peers_) {
    if (!only.empty() && peer.municipality != only) continue;
    found = true;
    hop::v1::SyncCheckpoint cp = LoadCheckpoint(peer.municipality);
    cp.set_last_attempt(clock_->NowUnix());
    absl::Status pulled = PullFrom(peer, cp);  // cp: as applied and durable
    if (pulled.ok()) {
      cp.set_last_success(clock_->NowUnix());
      cp.clear_last_error();
    } else {
      cp.set_last_error(std::string(pulled.message()));
      LogWarning("federation", "pull failed",
                 {{"peer", peer.municipality}, {"error", std::string(pulled.message())}});
    }
    HOP_RETURN_IF_ERROR(SaveCheckpoint(peer.municipality, cp));
    states.push_back(StateOf(peer));
  }
  if (!found) {
    return absl::InvalidArgumentError(
        absl::StrCat("peer: \"", only, "\" is not a configured peer"));
  }
  return states;
}

hop::v1::PeerSyncState Puller::StateOf(const PeerEndpoint& peer) const {
  hop::v1::PeerSyncState state;
  state.set_municipality(peer.municipality);
  state.set_address(peer.address);
  *state.mutable_checkpoint() = LoadCheckpoint(peer.municipality);
  uint64_t held = 0;
  store_
      ->Scan(Family::kReplicas, ReplicaPrefix(peer.municipality), "",
             [&](absl::string_view, absl::string_view) {
               ++held;
               return true;
             })
      .IgnoreError();
  state.set_records_held(held);
  return state;
}

std::vector<hop::v1::PeerSyncState> Puller::States() const {
  std::vector<hop::v1::PeerSyncState> states;
  for (const PeerEndpoint& peer : peers_) states.push_back(StateOf(peer));
  return states;
}

}  // namespace hop::federation
