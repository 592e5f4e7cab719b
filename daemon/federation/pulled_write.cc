#include "daemon/federation/pulled_write.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "daemon/base/log.h"
#include "daemon/base/status_macros.h"
#include "daemon/domain/isikukood.h"
#include "daemon/federation/puller.h"
#include "daemon/security/identity.h"

namespace hop::federation {

using store::Family;

std::string CheckpointKey(const std::string& origin) { return absl::StrCat("cp/", origin); }

absl::StatusOr<std::string> SharedRecordId(absl::string_view key) {
  for (absl::string_view kind : {"case/", "institution/", "contact/", "withdrawal/"}) {
    if (absl::StartsWith(key, kind)) return std::string(key.substr(kind.size()));
  }
  return absl::InvalidArgumentError(absl::StrCat("record_key: unknown kind \"", key, "\""));
}

PulledWrite::PulledWrite(ReplicaStore* replicas, store::WriteBatch* batch, std::string origin,
                         int64_t now, Position from)
    : replicas_(replicas),
      wb_(batch),
      origin_(std::move(origin)),
      now_(now),
      cp_(std::move(from.checkpoint)),
      account_(std::move(from.account)),
      resync_(from.resync),
      started_empty_(from.started_empty),
      seen_(from.seen) {}

absl::Status PulledWrite::Begin(bool new_epoch) {
  if (resync_ || new_epoch) {
    // The origin was wiped or restored, or the copies diverged: forget what we held.
    LogWarning("federation",
               new_epoch ? "origin has a new epoch; dropping its copies"
                         : "full resync; dropping the origin's copies",
               {{"peer", origin_}});
    HOP_RETURN_IF_ERROR(replicas_->DropOrigin(origin_, *wb_));
    account_.Clear();
    cp_.set_seq(0);
    cp_.set_full_resyncs(cp_.full_resyncs() + 1);
    started_empty_ = true;
    dropped_ = true;
    seen_ = nullptr;  // nothing of the earlier pull is held any more
  }
  apply_.emplace(replicas_, origin_, wb_, account_);
  return absl::OkStatus();
}

absl::Status PulledWrite::Prefetch(const hop::v1::PullBatch& batch) {
  std::vector<std::string> keys;
  for (const hop::v1::FeedEntry& e : batch.entries()) {
    // Starting empty, only records already applied in this pull can be held (a well-behaved
    // feed sends each record once per pull; a repeat is read like any other). Records of
    // earlier batches of this write are known to `apply_` already.
    if (!started_empty_ || (seen_ != nullptr && seen_->count(e.record_key()) != 0)) {
      keys.push_back(e.record_key());
    }
  }
  return apply_->Prefetch(keys);
}

void PulledWrite::Refuse(const hop::v1::FeedEntry& e, const absl::Status& why) {
  cp_.set_refused_in(cp_.refused_in() + 1);
  // Escaped: the reason may quote what a hostile peer sent.
  cp_.set_last_refusal(
      absl::StrCat("seq ", e.seq(), ": ", absl::CHexEscape(why.message()).substr(0, 400)));
  LogWarning(
      "federation", "entry refused",
      {{"peer", origin_}, {"seq", absl::StrCat(e.seq())}, {"reason", std::string(why.message())}});
  // The child a refused summary is about (when it names a valid one) sees the attempt in its
  // access report.
  const bool cp =
      e.has_case_summary() && e.case_summary().basis() == hop::v1::SHARE_BASIS_CHILD_PROTECTION;
  ++Group(cp).refused;
  if (e.has_case_summary() && domain::ValidateIsikukood(e.case_summary().child_isikukood()).ok()) {
    Group(cp).subjects.insert(e.case_summary().child_isikukood());
  }
  // An own record with bad content still counts in the digest, as a husk.
  if (!e.tombstone() && !absl::IsPermissionDenied(why) && SharedRecordId(e.record_key()).ok()) {
    apply_->Husk(e.record_key(), e.seq(), now_);
  }
}

void PulledWrite::Take(hop::v1::FeedEntry& e) {
  if (e.tombstone()) {
    const ReplicaStore::Held* held = apply_->Current(e.record_key());
    const bool was_cp = held != nullptr && held->child_protection;
    if (std::string child = apply_->Remove(e.record_key()); !child.empty()) {
      Group(was_cp).subjects.insert(std::move(child));
      ++Group(was_cp).removed;
    }
  } else {
    if (e.has_case_summary()) {
      const bool is_cp = e.case_summary().basis() == hop::v1::SHARE_BASIS_CHILD_PROTECTION;
      Group(is_cp).subjects.insert(e.case_summary().child_isikukood());
      ++Group(is_cp).received;
    }
    apply_->Upsert(std::move(e), now_);
  }
  cp_.set_records_in(cp_.records_in() + 1);
}

absl::Status PulledWrite::Apply(hop::v1::PullBatch& batch) {
  if (batch.origin() != origin_) {
    return absl::PermissionDeniedError(
        absl::StrCat("peer ", origin_, " answered as ", batch.origin()));
  }
  const bool new_epoch = !cp_.epoch().empty() && cp_.epoch() != batch.epoch();
  if (!apply_.has_value()) {
    HOP_RETURN_IF_ERROR(Begin(new_epoch));
  } else if (new_epoch) {
    return absl::FailedPreconditionError(
        absl::StrCat("peer ", origin_, " changed its epoch in the middle of a pull"));
  }
  cp_.set_epoch(batch.epoch());
  HOP_RETURN_IF_ERROR(Prefetch(batch));
  for (hop::v1::FeedEntry& e : *batch.mutable_entries()) {
    if (started_empty_) applied_keys_.push_back(e.record_key());
    if (absl::Status ok = Puller::CheckEntry(origin_, e); !ok.ok()) {
      Refuse(e, ok);
    } else {
      Take(e);
    }
  }
  cp_.set_seq(batch.through_seq());
  if (batch.has_digest()) origin_digest_ = batch.digest();
  if (batch.has_audit_head()) {
    hop::v1::AuditWitness witness;
    *witness.mutable_head() = batch.audit_head();
    witness.set_witnessed_at(now_);
    witness.set_epoch(batch.epoch());
    wb_->Put(Family::kSyncState, WitnessKey(origin_), witness.SerializeAsString());
  }
  return absl::OkStatus();
}

hop::v1::AuditEntry PulledWrite::AuditOf(bool child_protection) const {
  const ReceivedCopies& copies = child_protection ? protection_ : consent_;
  hop::v1::AuditEntry entry;
  entry.set_actor(security::NodeSpiffeId(origin_));
  entry.set_actor_role("peer-node");
  entry.set_actor_municipality(origin_);
  entry.set_action(child_protection ? "Federation.Pull: copies received (child-protection basis)"
                                    : "Federation.Pull: copies received");
  entry.set_object(absl::StrCat("copies from ", origin_, " through change ", cp_.seq()));
  entry.set_purpose("sync");
  entry.set_child_protection(child_protection);
  for (const std::string& child : copies.subjects) entry.add_subjects(child);
  entry.set_outcome(copies.Outcome());
  return entry;
}

std::vector<hop::v1::AuditEntry> PulledWrite::Finish() {
  account_ = apply_->Finish();
  wb_->Put(Family::kSyncState, CheckpointKey(origin_), cp_.SerializeAsString());
  std::vector<hop::v1::AuditEntry> entries;
  for (bool cp_basis : {false, true}) {
    const ReceivedCopies& copies = Group(cp_basis);
    if (copies.subjects.empty() && copies.refused == 0) continue;
    entries.push_back(AuditOf(cp_basis));
  }
  return entries;
}

std::string PulledWrite::ReceivedCopies::Outcome() const {
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

}  // namespace hop::federation
