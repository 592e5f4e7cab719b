#include "daemon/federation/puller.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <set>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "daemon/base/log.h"
#include "daemon/base/status_macros.h"
#include "daemon/domain/isikukood.h"
#include "daemon/domain/limits.h"
#include "daemon/federation/federation_service.h"
#include "daemon/federation/pulled_write.h"
#include "daemon/federation/withdrawal_handback.h"
#include "daemon/feed/set_digest.h"
#include "daemon/feed/withdrawal_notice.h"
#include "daemon/ops/metrics.h"
#include "daemon/security/identity.h"
#include "grpcpp/create_channel.h"
#include "hop/v1/federation.grpc.pb.h"

namespace hop::federation {
namespace {

using store::Family;

constexpr auto kPullDeadline = std::chrono::minutes(10);
constexpr auto kConnectDeadline = std::chrono::seconds(5);

// Failpoint for crash tests: HOP_FAILPOINT_PULL_BATCH_SLEEP_MS=N makes the receiver pause N ms
// after each applied batch, so a test can kill it in the middle of a pull. Unset: no pause.
absl::Duration BatchPause() {
  static const absl::Duration pause = [] {
    const char* ms = std::getenv("HOP_FAILPOINT_PULL_BATCH_SLEEP_MS");
    int64_t n = 0;
    return ms != nullptr && absl::SimpleAtoi(ms, &n) ? absl::Milliseconds(n) : absl::ZeroDuration();
  }();
  return pause;
}

// Batches received and not yet applied; bounded so a fast sender cannot fill the memory.
class BatchQueue {
 public:
  // Waits for room; false once the consumer has abandoned the queue.
  bool Push(hop::v1::PullBatch batch) {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &BatchQueue::HasRoom));
    if (abandoned_) return false;
    batches_.push_back(std::move(batch));
    return true;
  }
  void Close() {
    absl::MutexLock lock(&mu_);
    closed_ = true;
  }
  void Abandon() {
    absl::MutexLock lock(&mu_);
    abandoned_ = true;
  }
  // Waits for batches and moves all of them into `out`; false when closed and drained.
  bool PopAll(std::vector<hop::v1::PullBatch>& out) {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &BatchQueue::Ready));
    out.clear();
    if (batches_.empty()) return false;
    out.swap(batches_);
    return true;
  }

 private:
  static constexpr size_t kMaxQueued = 16;
  bool HasRoom() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return abandoned_ || batches_.size() < kMaxQueued;
  }
  bool Ready() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return closed_ || !batches_.empty(); }

  absl::Mutex mu_;
  std::vector<hop::v1::PullBatch> batches_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  bool abandoned_ ABSL_GUARDED_BY(mu_) = false;
};

absl::Status FromGrpc(const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

}  // namespace

int64_t RetryPolicy::DelayAfter(uint32_t failures_in_row) const {
  int64_t delay = std::max<int64_t>(initial_seconds, 1);
  for (uint32_t i = 1; i < failures_in_row && delay < max_seconds; ++i) delay *= 2;
  return std::min(delay, std::max(max_seconds, initial_seconds));
}

absl::Status Puller::CheckEntry(const std::string& origin, const hop::v1::FeedEntry& e) {
  HOP_ASSIGN_OR_RETURN(std::string id, SharedRecordId(e.record_key()));
  if (!absl::StartsWith(id, absl::StrCat(origin, "-"))) {
    return absl::PermissionDeniedError(
        absl::StrCat("record ", e.record_key(), " is not owned by the sender ", origin));
  }
  if (e.withheld()) {
    return absl::InvalidArgumentError(
        absl::StrCat("record ", e.record_key(), ": the owner withheld its content (larger than ",
                     domain::kMaxFeedEntryBytes, " bytes); the owner must shrink the record"));
  }
  HOP_RETURN_IF_ERROR(domain::CheckReceivedEntryLimits(e, e.ByteSizeLong()));
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
    case hop::v1::FeedEntry::kWithdrawalNotice:
      return feed::CheckNoticeShape(origin, e.record_key(), e.withdrawal_notice());
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

store::Store::BackupExclusions Puller::BackupExclusions() {
  store::Store::BackupExclusions leave_out;
  leave_out.families = {Family::kReplicas};
  leave_out.prefixes = {{Family::kSyncState, CheckpointKey("")}};
  return leave_out;
}

absl::StatusOr<uint64_t> Puller::ForgetCheckpoints(const store::Store& store,
                                                   store::WriteBatch& batch) {
  uint64_t forgotten = 0;
  HOP_RETURN_IF_ERROR(store.Scan(Family::kSyncState, CheckpointKey(""), "",
                                 [&](absl::string_view key, absl::string_view) {
                                   batch.Delete(Family::kSyncState, key);
                                   ++forgotten;
                                   return true;
                                 }));
  return forgotten;
}

absl::Status Puller::SaveCheckpoint(const std::string& origin, const hop::v1::SyncCheckpoint& cp) {
  store::WriteBatch batch = store_->NewBatch();
  batch.Put(Family::kSyncState, CheckpointKey(origin), cp.SerializeAsString());
  return store_->Write(batch);
}

absl::Status Puller::ApplyBatches(const std::string& origin,
                                  std::vector<hop::v1::PullBatch>& batches, PullState& state) {
  // The origin asking for withdrawal notices: nothing is applied (the copies stay until the
  // origin serves its new life).
  HOP_ASSIGN_OR_RETURN(const bool ask, IsHandbackRequest(origin, batches, state.batches_seen,
                                                         state.asked_for_withdrawals));
  if (ask) {
    state.asked_for_withdrawals = true;
    return absl::OkStatus();
  }
  state.batches_seen = true;
  store::WriteBatch wb = store_->NewBatch();
  PulledWrite write(
      replicas_, &wb, origin, clock_->NowUnix(),
      {state.checkpoint, state.account, state.resync, state.started_empty, &state.seen});
  for (hop::v1::PullBatch& batch : batches) HOP_RETURN_IF_ERROR(write.Apply(batch));
  if (!write.started()) return absl::OkStatus();
  std::vector<hop::v1::AuditEntry> entries = write.Finish();
  HOP_RETURN_IF_ERROR(Write(wb, std::move(entries)));
  // Durable: the state follows.
  state.checkpoint = write.checkpoint();
  state.account = write.account();
  state.resync = false;
  state.started_empty = write.started_empty();
  if (write.dropped()) state.seen.clear();
  for (std::string& key : write.applied_keys()) state.seen.insert(std::move(key));
  if (write.origin_digest().has_value()) state.origin_digest = std::move(write.origin_digest());
  return absl::OkStatus();
}

absl::Status Puller::PullFrom(const PeerEndpoint& peer, PullState& state) {
  HOP_ASSIGN_OR_RETURN(std::shared_ptr<FederationStub> stub,
                       channels_->Stub(peer, absl::FromChrono(kConnectDeadline)));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kPullDeadline);
  hop::v1::PullRequest request;
  request.set_epoch(state.checkpoint.epoch());
  request.set_since_seq(state.resync ? 0 : state.checkpoint.seq());
  if (state.handing_back) {
    HOP_ASSIGN_OR_RETURN(*request.mutable_withdrawals(),
                         NextHandback(*replicas_, peer.municipality, &state.handback_after));
    state.checkpoint.set_withdrawals_handed_back(state.checkpoint.withdrawals_handed_back() +
                                                 request.withdrawals().notices_size());
    state.handed_back_all = !request.withdrawals().more();
    LogInfo("federation", "withdrawal notices handed back to the origin",
            {{"peer", peer.municipality},
             {"count", absl::StrCat(request.withdrawals().notices_size())}});
  }
  state.origin_digest.reset();
  state.asked_for_withdrawals = false;
  state.batches_seen = false;
  std::unique_ptr<grpc::ClientReaderInterface<hop::v1::PullBatch>> reader =
      stub->Pull(&context, request);

  // One thread receives while this one writes: batches that arrive during a write are
  // applied together in the next one (one durable write for several batches).
  BatchQueue queue;
  std::thread receiver([&] {
    hop::v1::PullBatch batch;
    const ops::Labels labels = {{"peer", peer.municipality}};
    while (reader->Read(&batch)) {
      ops::Registry::Default().Count("hop_peer_bytes_in_total", labels,
                                     static_cast<double>(batch.ByteSizeLong()));
      if (!queue.Push(std::move(batch))) break;
      batch = hop::v1::PullBatch();
    }
    queue.Close();
  });
  absl::Status applied;
  std::vector<hop::v1::PullBatch> batches;
  while (applied.ok() && queue.PopAll(batches)) {
    applied = ApplyBatches(peer.municipality, batches, state);
    if (applied.ok() && BatchPause() > absl::ZeroDuration()) absl::SleepFor(BatchPause());
  }
  if (!applied.ok()) {
    queue.Abandon();
    context.TryCancel();
  }
  receiver.join();
  grpc::Status finished = reader->Finish();
  return applied.ok() ? FromGrpc(finished) : applied;
}

absl::Status Puller::PullHandingBack(const PeerEndpoint& peer, PullState& state) {
  state.handing_back = false;
  state.handed_back_all = false;
  state.handback_after.clear();
  for (;;) {
    HOP_RETURN_IF_ERROR(PullFrom(peer, state));
    if (!state.asked_for_withdrawals) return absl::OkStatus();
    if (state.handed_back_all) {
      return absl::FailedPreconditionError(absl::StrCat(
          "peer ", peer.municipality, " asked again for withdrawal notices after all were sent"));
    }
    state.handing_back = true;  // the origin was restored: hand back, then pull its new life
  }
}

absl::Status Puller::PullChecked(const PeerEndpoint& peer, PullState& state) {
  for (int attempt = 0;; ++attempt) {
    absl::Status pulled = PullHandingBack(peer, state);
    if (absl::IsOutOfRange(pulled) && attempt == 0 && !state.resync) {
      // The origin never issued the position we hold (it was put back from a copy, or our
      // checkpoint is wrong): drop its copies and pull its feed from zero, once.
      state.checkpoint.set_position_refusals(state.checkpoint.position_refusals() + 1);
      LogError("federation", "origin refused our position; full resync",
               {{"peer", peer.municipality}, {"error", std::string(pulled.message())}});
      state.resync = true;
      continue;
    }
    HOP_RETURN_IF_ERROR(pulled);
    if (!state.origin_digest.has_value() ||
        feed::DigestEqual(*state.origin_digest, state.account.digest())) {
      return absl::OkStatus();
    }
    hop::v1::SyncCheckpoint& cp = state.checkpoint;
    cp.set_digest_mismatches(cp.digest_mismatches() + 1);
    LogError("federation", "digest mismatch after pull",
             {{"peer", peer.municipality},
              {"held", feed::DigestShort(state.account.digest())},
              {"expected", feed::DigestShort(*state.origin_digest)},
              {"action", attempt == 0 ? "full resync" : "none: still differs after a resync"}});
    if (attempt > 0) {
      return absl::DataLossError(
          absl::StrCat("copies from ", peer.municipality,
                       " still differ from the origin's digest after a full resync"));
    }
    state.resync = true;
  }
}

absl::StatusOr<std::vector<hop::v1::PeerSyncState>> Puller::Sync(const std::string& only) {
  std::vector<hop::v1::PeerSyncState> states;
  bool found = only.empty();
  absl::MutexLock lock(&sync_mu_);
  for (const PeerEndpoint& peer : peers_) {
    if (!only.empty() && peer.municipality != only) continue;
    found = true;
    const absl::Time started = clock_->Now();
    PullState state;
    state.checkpoint = LoadCheckpoint(peer.municipality);
    state.checkpoint.set_last_attempt(absl::ToUnixSeconds(started));
    state.account = replicas_->Account(peer.municipality);
    state.started_empty = state.account.digest().count() == 0;
    absl::Status pulled = PullChecked(peer, state);  // state: as applied and durable
    hop::v1::SyncCheckpoint& cp = state.checkpoint;
    cp.set_last_duration_ms(absl::ToInt64Milliseconds(clock_->Now() - started));
    ops::Registry::Default().Observe("hop_sync_duration_seconds", {{"peer", peer.municipality}},
                                     clock_->Now() - started);
    if (pulled.ok()) {
      cp.set_last_success(clock_->NowUnix());
      cp.clear_last_error();
      cp.set_failures_in_row(0);
      cp.set_next_retry(0);
    } else {
      cp.set_last_error(std::string(pulled.message()));
      cp.set_failures_in_row(cp.failures_in_row() + 1);
      cp.set_next_retry(clock_->NowUnix() + retry_.DelayAfter(cp.failures_in_row()));
      LogWarning("federation", "pull failed",
                 {{"peer", peer.municipality},
                  {"error", std::string(pulled.message())},
                  {"retry_in_s", absl::StrCat(retry_.DelayAfter(cp.failures_in_row()))}});
    }
    HOP_RETURN_IF_ERROR(SaveCheckpoint(peer.municipality, cp));
    if (!pulled.ok() && retry_listener_) retry_listener_();
    if (pulled.ok() && pulled_) pulled_(peer.municipality);
    states.push_back(StateOf(peer));
  }
  if (!found) {
    return absl::InvalidArgumentError(
        absl::StrCat("peer: \"", only, "\" is not a configured peer"));
  }
  return states;
}

absl::Status Puller::Write(store::WriteBatch& batch, std::vector<hop::v1::AuditEntry> entries) {
  std::vector<hop::v1::AuditEntry> kept;
  for (hop::v1::AuditEntry& e : entries) {
    // Directory entries only: no child's data, nothing refused.
    if (e.subjects().empty() && e.outcome().find("refused") == std::string::npos) continue;
    kept.push_back(std::move(e));
  }
  if (audit_ == nullptr || kept.empty()) return store_->Write(batch);
  return audit_->Commit(batch, std::move(kept));
}

absl::StatusOr<uint64_t> Puller::PurgeExpired() {
  absl::MutexLock lock(&sync_mu_);
  store::WriteBatch batch = store_->NewBatch();
  std::set<std::string> subjects;
  HOP_ASSIGN_OR_RETURN(uint64_t purged,
                       replicas_->PurgeExpired(clock_->NowUnix(), batch, subjects));
  if (purged == 0) return purged;
  hop::v1::AuditEntry entry;
  entry.set_actor("hopd");
  entry.set_actor_role("system");
  entry.set_actor_municipality(records_->municipality());
  entry.set_action("expired copies purged");
  entry.set_object(absl::StrCat(purged, " copies whose consent expired"));
  for (const std::string& child : subjects) entry.add_subjects(child);
  entry.set_outcome("ok");
  HOP_RETURN_IF_ERROR(Write(batch, {std::move(entry)}));
  if (purged > 0) LogInfo("federation", "expired copies purged", {{"count", absl::StrCat(purged)}});
  return purged;
}

hop::v1::PeerSyncState Puller::StateOf(const PeerEndpoint& peer) const {
  hop::v1::PeerSyncState state;
  state.set_municipality(peer.municipality);
  state.set_address(peer.address);
  *state.mutable_checkpoint() = LoadCheckpoint(peer.municipality);
  state.set_records_held(replicas_->Account(peer.municipality).held());
  *state.mutable_out() = FederationService::Progress(*store_, peer.municipality);
  absl::StatusOr<uint64_t> head = records_->FeedHead(peer.municipality);
  if (head.ok()) state.set_feed_seq(*head);
  return state;
}

std::vector<hop::v1::PeerSyncState> Puller::States() const {
  std::vector<hop::v1::PeerSyncState> states;
  for (const PeerEndpoint& peer : peers_) states.push_back(StateOf(peer));
  return states;
}

}  // namespace hop::federation
