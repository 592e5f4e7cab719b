#include "daemon/federation/replica_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "daemon/base/status_macros.h"
#include "daemon/feed/set_digest.h"

namespace hop::federation {
namespace {

using store::Family;

std::string CopyKey(const std::string& origin, const std::string& record_key) {
  return absl::StrCat("o/", origin, "/", record_key);
}
std::string ChildKey(const std::string& isikukood, const std::string& origin,
                     const std::string& record_key) {
  return absl::StrCat("y/", isikukood, "/", origin, "/", record_key);
}
std::string ExpiryKey(int64_t expires_at, const std::string& origin,
                      const std::string& record_key) {
  return absl::StrFormat("e/%016x/%s/%s", static_cast<uint64_t>(expires_at), origin, record_key);
}
std::string AccountKey(const std::string& origin) { return absl::StrCat("a/", origin); }

// The summary's expiry, 0 when it has none (or is not a case summary).
int64_t ExpiresAt(const hop::v1::FeedEntry& e) {
  return e.has_case_summary() ? e.case_summary().expires_at() : 0;
}
bool ExpiredAt(const hop::v1::FeedEntry& e, int64_t now) {
  const int64_t t = ExpiresAt(e);
  return t != 0 && t <= now;
}

hop::v1::Replica HuskOf(const hop::v1::FeedEntry& e, int64_t now) {
  hop::v1::Replica r;
  r.mutable_entry()->set_seq(e.seq());
  r.mutable_entry()->set_record_key(e.record_key());
  r.set_received_at(now);
  return r;
}

bool IsHusk(const hop::v1::Replica& r) {
  return r.entry().payload_case() == hop::v1::FeedEntry::PAYLOAD_NOT_SET;
}

absl::StatusOr<hop::v1::Replica> ParseReplica(absl::string_view key, absl::string_view value) {
  hop::v1::Replica r;
  if (!r.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return absl::DataLossError(absl::StrCat("replica ", key, " cannot be parsed"));
  }
  return r;
}

}  // namespace

absl::Status ReplicaStore::OriginApply::Prefetch(
    const google::protobuf::RepeatedPtrField<hop::v1::FeedEntry>& entries) {
  std::vector<std::string> record_keys, keys;
  for (const hop::v1::FeedEntry& e : entries) {
    if (current_.count(e.record_key()) != 0) continue;
    record_keys.push_back(e.record_key());
    keys.push_back(CopyKey(origin_, e.record_key()));
  }
  HOP_ASSIGN_OR_RETURN(std::vector<std::optional<std::string>> values,
                       replicas_->store_->MultiGet(Family::kReplicas, keys));
  for (size_t i = 0; i < keys.size(); ++i) {
    std::optional<hop::v1::Replica>& slot = current_[record_keys[i]];
    if (!values[i].has_value()) continue;
    HOP_ASSIGN_OR_RETURN(slot, ParseReplica(keys[i], *values[i]));
  }
  return absl::OkStatus();
}

std::optional<hop::v1::Replica> ReplicaStore::OriginApply::Current(
    const std::string& record_key) const {
  auto it = current_.find(record_key);
  return it == current_.end() ? std::nullopt : it->second;  // unknown = absent (Prefetch)
}

void ReplicaStore::OriginApply::Forget(const std::string& record_key, const hop::v1::Replica& old) {
  feed::DigestRemove(*account_.mutable_digest(), record_key, old.entry().seq());
  if (IsHusk(old)) return;
  account_.set_held(account_.held() - 1);
  if (old.entry().has_case_summary()) {
    const hop::v1::CaseSummary& s = old.entry().case_summary();
    batch_->Delete(Family::kReplicas, ChildKey(s.child_isikukood(), origin_, record_key));
    if (s.expires_at() != 0) {
      batch_->Delete(Family::kReplicas, ExpiryKey(s.expires_at(), origin_, record_key));
    }
  }
}

void ReplicaStore::OriginApply::Keep(hop::v1::Replica replica) {
  const std::string& record_key = replica.entry().record_key();
  feed::DigestAdd(*account_.mutable_digest(), record_key, replica.entry().seq());
  if (!IsHusk(replica)) {
    account_.set_held(account_.held() + 1);
    if (replica.entry().has_case_summary()) {
      const hop::v1::CaseSummary& s = replica.entry().case_summary();
      batch_->Put(Family::kReplicas, ChildKey(s.child_isikukood(), origin_, record_key), "");
      if (s.expires_at() != 0) {
        batch_->Put(Family::kReplicas, ExpiryKey(s.expires_at(), origin_, record_key), "");
      }
    }
  }
  batch_->Put(Family::kReplicas, CopyKey(origin_, record_key), replica.SerializeAsString());
  current_[record_key] = std::move(replica);
}

void ReplicaStore::OriginApply::Upsert(const hop::v1::FeedEntry& entry, int64_t now) {
  if (std::optional<hop::v1::Replica> old = Current(entry.record_key())) {
    Forget(entry.record_key(), *old);
  }
  if (ExpiredAt(entry, now)) {
    Keep(HuskOf(entry, now));
    return;
  }
  hop::v1::Replica replica;
  *replica.mutable_entry() = entry;
  replica.set_received_at(now);
  Keep(std::move(replica));
}

void ReplicaStore::OriginApply::Husk(const hop::v1::FeedEntry& entry, int64_t now) {
  if (std::optional<hop::v1::Replica> old = Current(entry.record_key())) {
    Forget(entry.record_key(), *old);
  }
  Keep(HuskOf(entry, now));
}

void ReplicaStore::OriginApply::Remove(const std::string& record_key) {
  std::optional<hop::v1::Replica> old = Current(record_key);
  if (!old.has_value()) return;
  Forget(record_key, *old);
  batch_->Delete(Family::kReplicas, CopyKey(origin_, record_key));
  current_[record_key] = std::nullopt;
}

const hop::v1::ReplicaAccount& ReplicaStore::OriginApply::Finish() {
  batch_->Put(Family::kReplicas, AccountKey(origin_), account_.SerializeAsString());
  return account_;
}

hop::v1::ReplicaAccount ReplicaStore::Account(const std::string& origin) const {
  hop::v1::ReplicaAccount account;
  absl::StatusOr<std::optional<std::string>> raw =
      store_->Get(Family::kReplicas, AccountKey(origin));
  if (raw.ok() && raw->has_value()) account.ParseFromString(**raw);
  return account;
}

absl::Status ReplicaStore::DropOrigin(const std::string& origin, store::WriteBatch& batch) const {
  HOP_RETURN_IF_ERROR(store_->Scan(
      Family::kReplicas, absl::StrCat("o/", origin, "/"), "",
      [&](absl::string_view key, absl::string_view value) {
        batch.Delete(Family::kReplicas, key);
        absl::StatusOr<hop::v1::Replica> r = ParseReplica(key, value);
        if (!r.ok()) return true;  // unreadable: its index keys cannot be named; key deleted
        if (r->entry().has_case_summary()) {
          const hop::v1::CaseSummary& s = r->entry().case_summary();
          const std::string& record_key = r->entry().record_key();
          batch.Delete(Family::kReplicas, ChildKey(s.child_isikukood(), origin, record_key));
          if (s.expires_at() != 0) {
            batch.Delete(Family::kReplicas, ExpiryKey(s.expires_at(), origin, record_key));
          }
        }
        return true;
      }));
  batch.Delete(Family::kReplicas, AccountKey(origin));
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> ReplicaStore::PurgeExpired(int64_t now) {
  // Expiry keys due by `now`, grouped by origin: "e/<t>/<origin>/<record_key>".
  std::map<std::string, std::vector<std::string>> due;
  const std::string end = absl::StrFormat("e/%016x/\xff", static_cast<uint64_t>(now));
  HOP_RETURN_IF_ERROR(
      store_->Scan(Family::kReplicas, "e/", "", [&](absl::string_view key, absl::string_view) {
        if (key > end) return false;
        const absl::string_view rest = key.substr(2 + 16 + 1);
        const size_t slash = rest.find('/');
        if (slash == absl::string_view::npos) return true;
        due[std::string(rest.substr(0, slash))].emplace_back(rest.substr(slash + 1));
        return true;
      }));
  if (due.empty()) return 0;
  store::WriteBatch batch = store_->NewBatch();
  uint64_t purged = 0;
  for (auto& [origin, record_keys] : due) {
    OriginApply apply(this, origin, &batch, Account(origin));
    google::protobuf::RepeatedPtrField<hop::v1::FeedEntry> probes;
    for (const std::string& k : record_keys) probes.Add()->set_record_key(k);
    HOP_RETURN_IF_ERROR(apply.Prefetch(probes));
    for (const std::string& k : record_keys) {
      std::optional<hop::v1::Replica> held = apply.Current(k);
      if (!held.has_value() || IsHusk(*held) || !ExpiredAt(held->entry(), now)) continue;
      apply.Husk(held->entry(), now);
      ++purged;
    }
    apply.Finish();
  }
  HOP_RETURN_IF_ERROR(store_->Write(batch));
  return purged;
}

absl::Status ReplicaStore::ChildSummaries(
    const std::string& isikukood, int64_t now,
    const std::function<void(const hop::v1::Replica&)>& fn) const {
  std::vector<std::string> keys;
  const std::string prefix = absl::StrCat("y/", isikukood, "/");
  HOP_RETURN_IF_ERROR(
      store_->Scan(Family::kReplicas, prefix, "", [&](absl::string_view key, absl::string_view) {
        keys.push_back(absl::StrCat("o/", key.substr(prefix.size())));
        return true;
      }));
  for (const std::string& key : keys) {
    HOP_ASSIGN_OR_RETURN(std::optional<std::string> raw, store_->Get(Family::kReplicas, key));
    if (!raw.has_value()) continue;
    HOP_ASSIGN_OR_RETURN(hop::v1::Replica r, ParseReplica(key, *raw));
    if (IsHusk(r) || !r.entry().has_case_summary() || ExpiredAt(r.entry(), now)) continue;
    fn(r);
  }
  return absl::OkStatus();
}

absl::Status ReplicaStore::ScanHeldDirectory(
    const std::function<void(const hop::v1::Replica&)>& fn) const {
  std::vector<std::string> origins;
  HOP_RETURN_IF_ERROR(
      store_->Scan(Family::kReplicas, "a/", "", [&](absl::string_view key, absl::string_view) {
        origins.emplace_back(key.substr(2));
        return true;
      }));
  absl::Status status;
  for (const std::string& origin : origins) {
    for (const char* kind : {"institution/", "contact/"}) {
      HOP_RETURN_IF_ERROR(store_->Scan(Family::kReplicas, absl::StrCat("o/", origin, "/", kind), "",
                                       [&](absl::string_view key, absl::string_view value) {
                                         absl::StatusOr<hop::v1::Replica> r =
                                             ParseReplica(key, value);
                                         if (!r.ok()) {
                                           status = r.status();
                                           return false;
                                         }
                                         if (!IsHusk(*r)) fn(*r);
                                         return true;
                                       }));
      HOP_RETURN_IF_ERROR(status);
    }
  }
  return absl::OkStatus();
}

absl::Status ReplicaStore::ScanInstitutions(
    const std::function<void(const hop::v1::Institution&)>& fn) const {
  return ScanHeldDirectory([&](const hop::v1::Replica& r) {
    if (r.entry().has_institution()) fn(r.entry().institution());
  });
}

absl::Status ReplicaStore::ScanContacts(
    const std::function<void(const hop::v1::Contact&)>& fn) const {
  return ScanHeldDirectory([&](const hop::v1::Replica& r) {
    if (r.entry().has_contact()) fn(r.entry().contact());
  });
}

}  // namespace hop::federation
