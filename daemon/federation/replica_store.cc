#include "daemon/federation/replica_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "daemon/base/status_macros.h"

namespace hop::federation {
namespace {

using store::Family;

std::string CopyKey(const std::string& origin, const std::string& record_key) {
  return absl::StrCat("o/", origin, "/", record_key);
}
std::string ExpiryKey(int64_t expires_at, const std::string& origin,
                      const std::string& record_key) {
  return absl::StrFormat("e/%016x/%s/%s", static_cast<uint64_t>(expires_at), origin, record_key);
}
std::string AccountKey(const std::string& origin) { return absl::StrCat("a/", origin); }

// True if `e` is a case summary whose consent has expired at `now`.
bool ExpiredAt(const hop::v1::FeedEntry& e, int64_t now) {
  const int64_t t = e.has_case_summary() ? e.case_summary().expires_at() : 0;
  return t != 0 && t <= now;
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

ReplicaStore::Held HeldOf(const hop::v1::Replica& r) {
  ReplicaStore::Held held;
  held.seq = r.entry().seq();
  held.husk = IsHusk(r);
  if (r.entry().has_case_summary()) {
    held.child = r.entry().case_summary().child_isikukood();
    held.expires_at = r.entry().case_summary().expires_at();
    held.child_protection =
        r.entry().case_summary().basis() == hop::v1::SHARE_BASIS_CHILD_PROTECTION;
  }
  held.notice = r.entry().has_withdrawal_notice();
  return held;
}

}  // namespace

std::string ReplicaStore::ChildKey(const std::string& isikukood, const std::string& origin,
                                   const std::string& record_key) const {
  return absl::StrCat("y/", secret_->ChildPseudonym(isikukood), "/", origin, "/", record_key);
}

absl::StatusOr<uint64_t> ReplicaStore::UpgradeChildIndex() {
  store::WriteBatch batch = store_->NewBatch();
  uint64_t moved = 0;
  HOP_RETURN_IF_ERROR(
      store_->Scan(Family::kReplicas, "y/", "", [&](absl::string_view key, absl::string_view) {
        const absl::string_view rest = key.substr(2);
        const size_t slash = rest.find('/');
        if (slash == absl::string_view::npos || rest[0] == 'p') return true;  // a pseudonym
        batch.Delete(Family::kReplicas, key);
        batch.Put(
            Family::kReplicas,
            absl::StrCat("y/", secret_->ChildPseudonym(rest.substr(0, slash)), rest.substr(slash)),
            "");
        ++moved;
        return true;
      }));
  if (moved > 0) HOP_RETURN_IF_ERROR(store_->Write(batch));
  return moved;
}

absl::StatusOr<uint64_t> ReplicaStore::DropAll(store::WriteBatch& batch) const {
  uint64_t copies = 0;
  HOP_RETURN_IF_ERROR(
      store_->Scan(Family::kReplicas, "", "", [&](absl::string_view key, absl::string_view) {
        if (key.substr(0, 2) == "o/") ++copies;
        batch.Delete(Family::kReplicas, key);
        return true;
      }));
  return copies;
}

absl::Status ReplicaStore::OriginApply::Prefetch(const std::vector<std::string>& record_keys) {
  std::vector<std::string> wanted, keys;
  for (const std::string& record_key : record_keys) {
    if (current_.count(record_key) != 0) continue;
    wanted.push_back(record_key);
    keys.push_back(CopyKey(origin_, record_key));
  }
  if (keys.empty()) return absl::OkStatus();
  HOP_ASSIGN_OR_RETURN(std::vector<std::optional<std::string>> values,
                       replicas_->store_->MultiGet(Family::kReplicas, keys));
  for (size_t i = 0; i < keys.size(); ++i) {
    std::optional<Held>& slot = current_[wanted[i]];
    if (!values[i].has_value()) continue;
    HOP_ASSIGN_OR_RETURN(hop::v1::Replica r, ParseReplica(keys[i], *values[i]));
    slot = HeldOf(r);
  }
  return absl::OkStatus();
}

const ReplicaStore::Held* ReplicaStore::OriginApply::Current(const std::string& record_key) const {
  auto it = current_.find(record_key);
  if (it == current_.end() || !it->second.has_value()) return nullptr;
  return &*it->second;
}

void ReplicaStore::OriginApply::Forget(const std::string& record_key) {
  const Held* old = Current(record_key);
  if (old == nullptr) return;
  digest_.Remove(record_key, old->seq);
  if (old->husk) return;
  // The copy's content is replaced or removed: it must leave the store's files (store.h).
  batch_->MarkErasure();
  if (!old->notice) --held_;
  if (!old->child.empty()) {
    batch_->Delete(Family::kReplicas, replicas_->ChildKey(old->child, origin_, record_key));
    if (old->expires_at != 0) {
      batch_->Delete(Family::kReplicas, ExpiryKey(old->expires_at, origin_, record_key));
    }
  }
}

void ReplicaStore::OriginApply::Keep(const std::string& record_key, Held held,
                                     const std::string& value) {
  digest_.Add(record_key, held.seq);
  if (!held.husk) {
    if (!held.notice) ++held_;
    if (!held.child.empty()) {
      batch_->Put(Family::kReplicas, replicas_->ChildKey(held.child, origin_, record_key), "");
      if (held.expires_at != 0) {
        batch_->Put(Family::kReplicas, ExpiryKey(held.expires_at, origin_, record_key), "");
      }
    }
  }
  batch_->Put(Family::kReplicas, CopyKey(origin_, record_key), value);
  current_[record_key] = std::move(held);
}

void ReplicaStore::OriginApply::Upsert(hop::v1::FeedEntry&& entry, int64_t now) {
  if (ExpiredAt(entry, now)) {
    Husk(entry.record_key(), entry.seq(), now);
    return;
  }
  const std::string record_key = entry.record_key();
  Forget(record_key);
  hop::v1::Replica replica;
  replica.mutable_entry()->Swap(&entry);
  replica.set_received_at(now);
  Keep(record_key, HeldOf(replica), replica.SerializeAsString());
}

void ReplicaStore::OriginApply::Husk(const std::string& record_key, uint64_t seq, int64_t now) {
  Forget(record_key);
  hop::v1::Replica husk;
  husk.mutable_entry()->set_seq(seq);
  husk.mutable_entry()->set_record_key(record_key);
  husk.set_received_at(now);
  Held held;
  held.seq = seq;
  held.husk = true;
  Keep(record_key, std::move(held), husk.SerializeAsString());
}

std::string ReplicaStore::OriginApply::Remove(const std::string& record_key) {
  const Held* held = Current(record_key);
  if (held == nullptr) return "";
  const std::string child = held->husk ? "" : held->child;
  Forget(record_key);
  batch_->Delete(Family::kReplicas, CopyKey(origin_, record_key));
  current_[record_key] = std::nullopt;
  return child;
}

hop::v1::ReplicaAccount ReplicaStore::OriginApply::Finish() {
  hop::v1::ReplicaAccount account;
  *account.mutable_digest() = digest_.ToProto();
  account.set_held(held_);
  batch_->Put(Family::kReplicas, AccountKey(origin_), account.SerializeAsString());
  return account;
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
  store::WriteBatch batch = store_->NewBatch();
  std::set<std::string> subjects;
  HOP_ASSIGN_OR_RETURN(uint64_t purged, PurgeExpired(now, batch, subjects));
  if (purged > 0) HOP_RETURN_IF_ERROR(store_->Write(batch));
  return purged;
}

absl::StatusOr<uint64_t> ReplicaStore::PurgeExpired(int64_t now, store::WriteBatch& batch,
                                                    std::set<std::string>& subjects) {
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
  uint64_t purged = 0;
  for (auto& [origin, record_keys] : due) {
    OriginApply apply(this, origin, &batch, Account(origin));
    HOP_RETURN_IF_ERROR(apply.Prefetch(record_keys));
    for (const std::string& k : record_keys) {
      const Held* held = apply.Current(k);
      if (held == nullptr || held->husk || held->expires_at == 0 || held->expires_at > now) {
        continue;
      }
      subjects.insert(held->child);
      apply.Husk(k, held->seq, now);
      ++purged;
    }
    apply.Finish();
  }
  return purged;
}

absl::StatusOr<std::vector<hop::v1::FeedEntry>> ReplicaStore::WithdrawalNotices(
    const std::string& origin, const std::string& after_key, size_t max_count, size_t max_bytes,
    bool* more) const {
  std::vector<hop::v1::FeedEntry> notices;
  size_t bytes = 0;
  *more = false;
  absl::Status status;
  const std::string prefix = CopyKey(origin, "withdrawal/");
  const std::string start = after_key.empty() ? "" : CopyKey(origin, after_key) + '\0';
  HOP_RETURN_IF_ERROR(store_->Scan(
      Family::kReplicas, prefix, start, [&](absl::string_view key, absl::string_view value) {
        absl::StatusOr<hop::v1::Replica> r = ParseReplica(key, value);
        if (!r.ok()) {
          status = r.status();
          return false;
        }
        if (!r->entry().has_withdrawal_notice()) return true;  // a husk
        const size_t size = r->entry().withdrawal_notice().ByteSizeLong();
        if (notices.size() >= max_count || (!notices.empty() && bytes + size > max_bytes)) {
          *more = true;
          return false;
        }
        bytes += size;
        notices.push_back(std::move(*r->mutable_entry()));
        return true;
      }));
  HOP_RETURN_IF_ERROR(status);
  return notices;
}

absl::Status ReplicaStore::ChildSummaries(
    const std::string& isikukood, int64_t now,
    const std::function<void(const hop::v1::Replica&)>& fn) const {
  std::vector<std::string> keys;
  const std::string prefix = absl::StrCat("y/", secret_->ChildPseudonym(isikukood), "/");
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
