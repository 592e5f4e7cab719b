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

std::string CheckpointKey(const std::string& origin) { return absl::StrCat("cp/", origin); }

// The id part of "kind/<id>" if kind is one of the shared record kinds.
absl::StatusOr<std::string> RecordId(absl::string_view key) {
  for (absl::string_view kind : {"case/", "institution/", "contact/", "withdrawal/"}) {
    if (absl::StartsWith(key, kind)) return std::string(key.substr(kind.size()));
  }
  return absl::InvalidArgumentError(absl::StrCat("record_key: unknown kind \"", key, "\""));
}

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
  HOP_ASSIGN_OR_RETURN(std::string id, RecordId(e.record_key()));
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
  hop::v1::SyncCheckpoint cp = state.checkpoint;  // becomes the state once durable
  bool started_empty = state.started_empty;
  std::optional<hop::v1::SetDigest> origin_digest;
  store::WriteBatch wb = store_->NewBatch();
  std::optional<ReplicaStore::OriginApply> apply;
  const int64_t now = clock_->NowUnix();
  std::vector<std::string> applied_keys;
  // What this write did to case summaries, for its audit entries: one for copies under a
  // consent, one (marked child_protection) for copies under the child-protection basis.
  ReceivedCopies consent, protection;
  auto group = [&](bool cp) -> ReceivedCopies& { return cp ? protection : consent; };
  for (hop::v1::PullBatch& batch : batches) {
    if (batch.origin() != origin) {
      return absl::PermissionDeniedError(
          absl::StrCat("peer ", origin, " answered as ", batch.origin()));
    }
    const bool new_epoch = !cp.epoch().empty() && cp.epoch() != batch.epoch();
    if (!apply.has_value()) {
      hop::v1::ReplicaAccount account = state.account;
      if (state.resync || new_epoch) {
        // The origin was wiped or restored, or the copies diverged: forget what we held.
        LogWarning("federation",
                   new_epoch ? "origin has a new epoch; dropping its copies"
                             : "full resync; dropping the origin's copies",
                   {{"peer", origin}});
        HOP_RETURN_IF_ERROR(replicas_->DropOrigin(origin, wb));
        account.Clear();
        cp.set_seq(0);
        cp.set_full_resyncs(cp.full_resyncs() + 1);
        started_empty = true;
        state.seen.clear();
      }
      apply.emplace(replicas_, origin, &wb, std::move(account));
    } else if (new_epoch) {
      return absl::FailedPreconditionError(
          absl::StrCat("peer ", origin, " changed its epoch in the middle of a pull"));
    }
    cp.set_epoch(batch.epoch());
    if (started_empty) {
      // Only records already applied in this pull can be held (a well-behaved feed sends
      // each record once per pull; a repeat is read like any other). Records of earlier
      // batches of this write are known to `apply` already.
      std::vector<std::string> repeats;
      for (const hop::v1::FeedEntry& e : batch.entries()) {
        if (state.seen.count(e.record_key()) != 0) repeats.push_back(e.record_key());
      }
      HOP_RETURN_IF_ERROR(apply->Prefetch(repeats));
    } else {
      std::vector<std::string> keys;
      for (const hop::v1::FeedEntry& e : batch.entries()) keys.push_back(e.record_key());
      HOP_RETURN_IF_ERROR(apply->Prefetch(keys));
    }
    for (hop::v1::FeedEntry& e : *batch.mutable_entries()) {
      if (started_empty) applied_keys.push_back(e.record_key());
      absl::Status ok = CheckEntry(origin, e);
      if (!ok.ok()) {
        cp.set_refused_in(cp.refused_in() + 1);
        // Escaped: the reason may quote what a hostile peer sent.
        cp.set_last_refusal(
            absl::StrCat("seq ", e.seq(), ": ", absl::CHexEscape(ok.message()).substr(0, 400)));
        LogWarning("federation", "entry refused",
                   {{"peer", origin},
                    {"seq", absl::StrCat(e.seq())},
                    {"reason", std::string(ok.message())}});
        // The child a refused summary is about (when it names a valid one) sees the attempt
        // in its access report.
        const bool cp = e.has_case_summary() &&
                        e.case_summary().basis() == hop::v1::SHARE_BASIS_CHILD_PROTECTION;
        ++group(cp).refused;
        if (e.has_case_summary() &&
            domain::ValidateIsikukood(e.case_summary().child_isikukood()).ok()) {
          group(cp).subjects.insert(e.case_summary().child_isikukood());
        }
        // An own record with bad content still counts in the digest, as a husk.
        if (!e.tombstone() && !absl::IsPermissionDenied(ok) && RecordId(e.record_key()).ok()) {
          apply->Husk(e.record_key(), e.seq(), now);
        }
        continue;
      }
      if (e.tombstone()) {
        const ReplicaStore::Held* held = apply->Current(e.record_key());
        const bool was_cp = held != nullptr && held->child_protection;
        if (std::string child = apply->Remove(e.record_key()); !child.empty()) {
          group(was_cp).subjects.insert(std::move(child));
          ++group(was_cp).removed;
        }
      } else {
        if (e.has_case_summary()) {
          const bool is_cp = e.case_summary().basis() == hop::v1::SHARE_BASIS_CHILD_PROTECTION;
          group(is_cp).subjects.insert(e.case_summary().child_isikukood());
          ++group(is_cp).received;
        }
        apply->Upsert(std::move(e), now);
      }
      cp.set_records_in(cp.records_in() + 1);
    }
    cp.set_seq(batch.through_seq());
    if (batch.has_digest()) origin_digest = batch.digest();
    if (batch.has_audit_head()) {
      hop::v1::AuditWitness witness;
      *witness.mutable_head() = batch.audit_head();
      witness.set_witnessed_at(now);
      witness.set_epoch(batch.epoch());
      wb.Put(Family::kSyncState, WitnessKey(origin), witness.SerializeAsString());
    }
  }
  if (!apply.has_value()) return absl::OkStatus();
  hop::v1::ReplicaAccount applied = apply->Finish();
  wb.Put(Family::kSyncState, CheckpointKey(origin), cp.SerializeAsString());
  std::vector<hop::v1::AuditEntry> entries;
  for (bool cp_basis : {false, true}) {
    const ReceivedCopies& copies = group(cp_basis);
    if (copies.subjects.empty() && copies.refused == 0) continue;
    hop::v1::AuditEntry entry;
    entry.set_actor(security::NodeSpiffeId(origin));
    entry.set_actor_role("peer-node");
    entry.set_actor_municipality(origin);
    entry.set_action(cp_basis ? "Federation.Pull: copies received (child-protection basis)"
                              : "Federation.Pull: copies received");
    entry.set_object(absl::StrCat("copies from ", origin, " through change ", cp.seq()));
    entry.set_purpose("sync");
    entry.set_child_protection(cp_basis);
    for (const std::string& child : copies.subjects) entry.add_subjects(child);
    entry.set_outcome(copies.Outcome());
    entries.push_back(std::move(entry));
  }
  HOP_RETURN_IF_ERROR(Write(wb, std::move(entries)));
  state.checkpoint = std::move(cp);
  state.account = std::move(applied);
  state.resync = false;
  state.started_empty = started_empty;
  for (std::string& key : applied_keys) state.seen.insert(std::move(key));
  if (origin_digest.has_value()) state.origin_digest = std::move(origin_digest);
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

std::string Puller::ReceivedCopies::Outcome() const {
  std::vector<std::string> counts;
  if (received > 0) {
    counts.push_back(
        absl::StrCat(received, received == 1 ? " case summary" : " case summaries", " received"));
  }
  if (removed > 0) {
    counts.push_back(absl::StrCat(removed, removed == 1 ? " copy" : " copies", " deleted"));
  }
  if (refused > 0) counts.push_back(absl::StrCat(refused, " entries refused"));
  return counts.empty() ? "ok" : absl::StrCat("ok; ", absl::StrJoin(counts, ", "));
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
