#include "daemon/casework/record_store.h"

#include <openssl/rand.h>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "daemon/audit/call_audit.h"
#include "daemon/base/status_macros.h"
#include "daemon/feed/set_digest.h"

namespace hop::casework {
namespace {

using store::Family;

constexpr char kIdKinds[] = {'C', 'K', 'I', 'P'};

std::string CounterKey(char kind) { return absl::StrCat("counter/", std::string(1, kind)); }

std::string FeedKey(const std::string& peer, uint64_t seq) {
  return absl::StrFormat("f/%s/%016x", peer, seq);
}
std::string FeedIndexKey(const std::string& peer, const std::string& record_key) {
  return absl::StrCat("r/", peer, "/", record_key);
}
std::string TombstoneKey(const std::string& peer, uint64_t seq) {
  return absl::StrFormat("t/%s/%016x", peer, seq);
}
std::string DigestKey(const std::string& peer) { return absl::StrCat("d/", peer); }
std::string HeadKey(const std::string& peer) { return absl::StrCat("h/", peer); }
std::string ConsentTimeKey(int64_t t, const std::string& consent_id) {
  return absl::StrFormat("e/%016x/%s", static_cast<uint64_t>(std::max<int64_t>(t, 0)), consent_id);
}

std::string ClosedCaseKey(int64_t closed_at, const std::string& case_id) {
  return absl::StrFormat("z/%016x/%s", static_cast<uint64_t>(std::max<int64_t>(closed_at, 0)),
                         case_id);
}

// Equal apart from the seq.
bool SamePayload(hop::v1::FeedEntry a, hop::v1::FeedEntry b) {
  a.set_seq(0);
  b.set_seq(0);
  return a.SerializeAsString() == b.SerializeAsString();
}

template <typename T>
absl::StatusOr<std::optional<T>> GetProto(const store::Store& s, Family f, const std::string& key) {
  HOP_ASSIGN_OR_RETURN(std::optional<std::string> raw, s.Get(f, key));
  if (!raw.has_value()) return std::optional<T>();
  T value;
  if (!value.ParseFromString(*raw)) {
    return absl::DataLossError(
        absl::StrCat("record ", key, " in ", store::FamilyName(f), " cannot be parsed"));
  }
  return std::optional<T>(std::move(value));
}

template <typename T>
absl::Status ScanProtos(const store::Store& s, Family f, const std::string& prefix,
                        const std::string& start, const std::function<bool(const T&)>& fn,
                        const store::Snapshot* snapshot = nullptr) {
  absl::Status parse_error;
  HOP_RETURN_IF_ERROR(s.Scan(
      f, prefix, start,
      [&](absl::string_view key, absl::string_view v) {
        T value;
        if (!value.ParseFromArray(v.data(), static_cast<int>(v.size()))) {
          parse_error = absl::DataLossError(absl::StrCat("record ", key, " cannot be parsed"));
          return false;
        }
        return fn(value);
      },
      snapshot));
  return parse_error;
}

absl::StatusOr<uint64_t> GetCounter(const store::Store& s, const std::string& key) {
  HOP_ASSIGN_OR_RETURN(std::optional<std::string> raw, s.Get(Family::kMeta, key));
  uint64_t value = 0;
  if (raw.has_value() && !absl::SimpleAtoi(*raw, &value)) {
    return absl::DataLossError(absl::StrCat("meta ", key, " is not a number"));
  }
  return value;
}

// The records whose child index "x/<isikukood>/<id>" is in `family`, read from
// "<record_prefix><id>", in id order.
template <typename T>
absl::StatusOr<std::vector<T>> RecordsOfChild(const store::Store& s, Family family,
                                              absl::string_view record_prefix,
                                              const std::string& isikukood) {
  std::vector<std::string> ids;
  const std::string prefix = absl::StrCat("x/", isikukood, "/");
  HOP_RETURN_IF_ERROR(s.Scan(family, prefix, "", [&](absl::string_view k, absl::string_view) {
    ids.emplace_back(k.substr(prefix.size()));
    return true;
  }));
  std::vector<T> records;
  for (const std::string& id : ids) {
    HOP_ASSIGN_OR_RETURN(std::optional<T> record,
                         GetProto<T>(s, family, absl::StrCat(record_prefix, id)));
    if (record.has_value()) records.push_back(std::move(*record));
  }
  return records;
}

absl::StatusOr<std::string> RandomEpoch() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) return absl::InternalError("no randomness");
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
}

}  // namespace

Mutation::Mutation(RecordStore* records, store::WriteBatch batch, int64_t now)
    : records_(records), batch_(std::move(batch)), now_(now) {}

uint64_t Mutation::NextSeq() { return ++seq_; }

std::string Mutation::NewId(IdKind kind) {
  const uint64_t n = ++counters_[static_cast<char>(kind)];
  return absl::StrFormat("%s-%c%06d", records_->municipality_, static_cast<char>(kind), n);
}

void Mutation::PutCase(hop::v1::Case& c) {
  subjects_.insert(c.child().isikukood());
  objects_.insert(c.id());
  if (c.child_protection()) child_protection_ = true;
  c.set_seq(NextSeq());
  c.set_updated_at(now_);
  batch_.Put(Family::kCases, absl::StrCat("c/", c.id()), c.SerializeAsString());
  batch_.Put(Family::kCases, absl::StrCat("x/", c.child().isikukood(), "/", c.id()), "");
  if (c.status() == hop::v1::CASE_CLOSED) IndexClosedCase(c);
}

void Mutation::IndexClosedCase(const hop::v1::Case& c) {
  batch_.Put(Family::kCases, ClosedCaseKey(c.updated_at(), c.id()), "");
}

void Mutation::UnindexClosedCase(const hop::v1::Case& c) {
  batch_.Delete(Family::kCases, ClosedCaseKey(c.updated_at(), c.id()));
}

void Mutation::DeleteCase(const hop::v1::Case& c) {
  subjects_.insert(c.child().isikukood());
  objects_.insert(c.id());
  batch_.Delete(Family::kCases, absl::StrCat("c/", c.id()));
  batch_.Delete(Family::kCases, absl::StrCat("x/", c.child().isikukood(), "/", c.id()));
  batch_.Delete(Family::kCases, ClosedCaseKey(c.updated_at(), c.id()));
}

void Mutation::DeleteConsent(const hop::v1::Consent& c) {
  subjects_.insert(c.child_isikukood());
  objects_.insert(c.id());
  batch_.Delete(Family::kConsents, absl::StrCat("k/", c.id()));
  batch_.Delete(Family::kConsents, absl::StrCat("x/", c.child_isikukood(), "/", c.id()));
  batch_.Delete(Family::kConsents, ConsentTimeKey(c.valid_from(), c.id()));
  batch_.Delete(Family::kConsents, ConsentTimeKey(c.valid_until(), c.id()));
}

void Mutation::PutConsent(hop::v1::Consent& c) {
  subjects_.insert(c.child_isikukood());
  objects_.insert(c.id());
  c.set_seq(NextSeq());
  batch_.Put(Family::kConsents, absl::StrCat("k/", c.id()), c.SerializeAsString());
  batch_.Put(Family::kConsents, absl::StrCat("x/", c.child_isikukood(), "/", c.id()), "");
  if (c.valid_from() > now_)
    batch_.Put(Family::kConsents, ConsentTimeKey(c.valid_from(), c.id()), "");
  batch_.Put(Family::kConsents, ConsentTimeKey(c.valid_until(), c.id()), "");
}

void Mutation::PutMeta(const std::string& key, const std::string& value) {
  batch_.Put(Family::kMeta, key, value);
}

void Mutation::PutInstitution(hop::v1::Institution& i) {
  i.set_seq(NextSeq());
  i.set_updated_at(now_);
  batch_.Put(Family::kDirectory, absl::StrCat("i/", i.id()), i.SerializeAsString());
}

void Mutation::PutContact(hop::v1::Contact& c) {
  c.set_seq(NextSeq());
  c.set_updated_at(now_);
  batch_.Put(Family::kDirectory, absl::StrCat("p/", c.id()), c.SerializeAsString());
}

void Mutation::PutUser(const hop::v1::User& u) {
  batch_.Put(Family::kUsers, absl::StrCat("u/", u.user_id()), u.SerializeAsString());
}

void Mutation::DeleteUser(const std::string& user_id) {
  batch_.Delete(Family::kUsers, absl::StrCat("u/", user_id));
}

absl::StatusOr<Mutation::PeerFeedState*> Mutation::FeedStateOf(const std::string& peer) {
  auto it = feed_states_.find(peer);
  if (it != feed_states_.end()) return &it->second;
  PeerFeedState state;
  HOP_ASSIGN_OR_RETURN(state.digest, records_->FeedDigest(peer));
  HOP_ASSIGN_OR_RETURN(state.head, records_->FeedHead(peer));
  return &feed_states_.emplace(peer, std::move(state)).first->second;
}

absl::Status Mutation::PutFeed(const std::string& peer, hop::v1::FeedEntry entry) {
  const std::string index_key = FeedIndexKey(peer, entry.record_key());
  std::optional<hop::v1::FeedEntry> current;
  if (auto it = feed_overlay_.find(index_key); it != feed_overlay_.end()) {
    current = it->second;
  } else {
    HOP_ASSIGN_OR_RETURN(current, records_->FeedEntryOf(peer, entry.record_key()));
  }
  if (entry.tombstone()) {
    if (!current.has_value() || current->tombstone()) return absl::OkStatus();
    entry.clear_payload();
  } else if (current.has_value() && SamePayload(*current, entry)) {
    return absl::OkStatus();
  }
  HOP_ASSIGN_OR_RETURN(PeerFeedState * state, FeedStateOf(peer));
  if (entry.has_case_summary()) {
    subjects_.insert(entry.case_summary().child_isikukood());
    if (entry.case_summary().basis() == hop::v1::SHARE_BASIS_CHILD_PROTECTION) {
      child_protection_ = true;
    }
  }
  entry.set_seq(NextSeq());
  if (current.has_value()) {
    batch_.Delete(Family::kFeeds, FeedKey(peer, current->seq()));
    if (current->tombstone()) {
      batch_.Delete(Family::kFeeds, TombstoneKey(peer, current->seq()));
    } else {
      feed::DigestRemove(state->digest, entry.record_key(), current->seq());
    }
  }
  if (entry.tombstone()) {
    batch_.Put(Family::kFeeds, TombstoneKey(peer, entry.seq()), entry.record_key());
    tombstoned_.insert(peer);
  } else {
    feed::DigestAdd(state->digest, entry.record_key(), entry.seq());
  }
  state->head = entry.seq();
  state->changed = true;
  batch_.Put(Family::kFeeds, FeedKey(peer, entry.seq()), entry.SerializeAsString());
  batch_.Put(Family::kFeeds, index_key, absl::StrCat(entry.seq()));
  feed_overlay_[index_key] = std::move(entry);
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> Mutation::CollectTombstones(const std::string& peer,
                                                     uint64_t through_seq) {
  std::vector<std::pair<uint64_t, std::string>> dead;  // seq, record_key
  const std::string prefix = absl::StrCat("t/", peer, "/");
  const std::string end = TombstoneKey(peer, through_seq);
  HOP_RETURN_IF_ERROR(records_->store_->Scan(
      Family::kFeeds, prefix, "", [&](absl::string_view key, absl::string_view record_key) {
        if (key > end) return false;
        uint64_t seq = 0;
        if (!absl::SimpleHexAtoi(key.substr(prefix.size()), &seq)) return true;
        dead.emplace_back(seq, std::string(record_key));
        return true;
      }));
  for (const auto& [seq, record_key] : dead) {
    const std::string index_key = FeedIndexKey(peer, record_key);
    if (feed_overlay_.count(index_key) != 0) continue;  // rewritten in this mutation
    batch_.Delete(Family::kFeeds, FeedKey(peer, seq));
    batch_.Delete(Family::kFeeds, TombstoneKey(peer, seq));
    batch_.Delete(Family::kFeeds, index_key);
  }
  return dead.size();
}

absl::StatusOr<std::unique_ptr<RecordStore>> RecordStore::Open(store::Store* store,
                                                               std::string municipality,
                                                               const Clock* clock,
                                                               FeedListener* listener) {
  std::unique_ptr<RecordStore> records(
      new RecordStore(store, std::move(municipality), clock, listener));
  HOP_ASSIGN_OR_RETURN(std::optional<std::string> epoch, store->Get(Family::kMeta, "epoch"));
  if (!epoch.has_value()) {
    HOP_ASSIGN_OR_RETURN(epoch, RandomEpoch());
    store::WriteBatch batch = store->NewBatch();
    batch.Put(Family::kMeta, "epoch", *epoch);
    // A new store has no consent whose time has come yet.
    batch.Put(Family::kMeta, kConsentsSweptUntil, absl::StrCat(clock->NowUnix()));
    HOP_RETURN_IF_ERROR(store->Write(batch));
  }
  {
    absl::MutexLock lock(&records->mu_);
    records->epoch_ = *epoch;
    HOP_ASSIGN_OR_RETURN(records->seq_, GetCounter(*store, "seq"));
    for (char kind : kIdKinds) {
      HOP_ASSIGN_OR_RETURN(records->counters_[kind], GetCounter(*store, CounterKey(kind)));
    }
  }
  return records;
}

absl::Status RecordStore::Mutate(const std::function<absl::Status(Mutation&)>& fn) {
  absl::MutexLock lock(&mu_);
  Mutation m(this, store_->NewBatch(), clock_->NowUnix());
  m.seq_ = seq_;
  m.counters_ = counters_;
  HOP_RETURN_IF_ERROR(fn(m));
  if (m.seq_ != seq_) m.batch_.Put(Family::kMeta, "seq", absl::StrCat(m.seq_));
  for (const auto& [peer, state] : m.feed_states_) {
    if (!state.changed) continue;
    m.batch_.Put(Family::kFeeds, DigestKey(peer), state.digest.SerializeAsString());
    m.batch_.Put(Family::kFeeds, HeadKey(peer), absl::StrCat(state.head));
  }
  for (const auto& [kind, value] : m.counters_) {
    if (value != counters_[kind])
      m.batch_.Put(Family::kMeta, CounterKey(kind), absl::StrCat(value));
  }
  HOP_RETURN_IF_ERROR(Commit(m));
  seq_ = m.seq_;
  counters_ = m.counters_;
  if (listener_ != nullptr && !m.tombstoned_.empty()) listener_->TombstonesCommitted(m.tombstoned_);
  return absl::OkStatus();
}

absl::Status RecordStore::Commit(Mutation& m) {
  audit::CallAudit* call = audit::ScopedCallAudit::Current();
  if (audit_ == nullptr || m.batch_.Count() == 0 || (call == nullptr && m.subjects_.empty())) {
    return store_->Write(m.batch_);
  }
  hop::v1::AuditEntry entry;
  if (call != nullptr) {
    entry = call->entry;
  } else {
    entry.set_actor("hopd");
    entry.set_actor_role("system");
    entry.set_actor_municipality(municipality_);
    entry.set_action("change by the node itself");
  }
  for (const std::string& child : m.subjects_) {
    if (!child.empty()) entry.add_subjects(child);
  }
  if (entry.object().empty()) entry.set_object(absl::StrJoin(m.objects_, ","));
  if (m.child_protection_) entry.set_child_protection(true);
  entry.set_outcome("ok");
  HOP_RETURN_IF_ERROR(audit_->Commit(m.batch_, {std::move(entry)}));
  if (call != nullptr) ++call->changes_recorded;
  return absl::OkStatus();
}

std::string RecordStore::epoch() const {
  absl::MutexLock lock(&mu_);
  return epoch_;
}

absl::StatusOr<std::string> RecordStore::RenewEpoch(const std::string& from) {
  store::WriteBatch batch = store_->NewBatch();
  return RenewEpoch(from, batch,
                    [this](store::WriteBatch& b, const std::string&) { return store_->Write(b); });
}

absl::StatusOr<std::string> RecordStore::RenewEpoch(
    const std::string& from, store::WriteBatch& batch,
    const std::function<absl::Status(store::WriteBatch&, const std::string&)>& commit) {
  absl::MutexLock lock(&mu_);
  if (epoch_ != from) return epoch_;  // renewed already
  HOP_ASSIGN_OR_RETURN(std::string epoch, RandomEpoch());
  batch.Put(Family::kMeta, "epoch", epoch);
  HOP_RETURN_IF_ERROR(commit(batch, epoch));
  epoch_ = std::move(epoch);
  return epoch_;
}

uint64_t RecordStore::LastSeq() const {
  absl::MutexLock lock(&mu_);
  return seq_;
}

uint64_t RecordStore::IssuedCount(IdKind kind) const {
  absl::MutexLock lock(&mu_);
  auto it = counters_.find(static_cast<char>(kind));
  return it == counters_.end() ? 0 : it->second;
}

absl::StatusOr<std::optional<hop::v1::Case>> RecordStore::GetCase(const std::string& id) const {
  return GetProto<hop::v1::Case>(*store_, Family::kCases, absl::StrCat("c/", id));
}
absl::StatusOr<std::optional<hop::v1::Consent>> RecordStore::GetConsent(
    const std::string& id) const {
  return GetProto<hop::v1::Consent>(*store_, Family::kConsents, absl::StrCat("k/", id));
}
absl::StatusOr<std::optional<hop::v1::Institution>> RecordStore::GetInstitution(
    const std::string& id) const {
  return GetProto<hop::v1::Institution>(*store_, Family::kDirectory, absl::StrCat("i/", id));
}
absl::StatusOr<std::optional<hop::v1::Contact>> RecordStore::GetContact(
    const std::string& id) const {
  return GetProto<hop::v1::Contact>(*store_, Family::kDirectory, absl::StrCat("p/", id));
}
absl::StatusOr<std::optional<hop::v1::User>> RecordStore::GetUser(
    const std::string& user_id) const {
  return GetProto<hop::v1::User>(*store_, Family::kUsers, absl::StrCat("u/", user_id));
}

absl::Status RecordStore::ScanCases(const std::string& start_id,
                                    const std::function<bool(const hop::v1::Case&)>& fn) const {
  return ScanProtos<hop::v1::Case>(*store_, Family::kCases, "c/",
                                   start_id.empty() ? "" : absl::StrCat("c/", start_id), fn);
}
absl::Status RecordStore::ScanConsents(
    const std::function<bool(const hop::v1::Consent&)>& fn) const {
  return ScanProtos<hop::v1::Consent>(*store_, Family::kConsents, "k/", "", fn);
}
absl::Status RecordStore::ScanInstitutions(
    const std::function<bool(const hop::v1::Institution&)>& fn) const {
  return ScanProtos<hop::v1::Institution>(*store_, Family::kDirectory, "i/", "", fn);
}
absl::Status RecordStore::ScanContacts(
    const std::function<bool(const hop::v1::Contact&)>& fn) const {
  return ScanProtos<hop::v1::Contact>(*store_, Family::kDirectory, "p/", "", fn);
}
absl::Status RecordStore::ScanUsers(const std::function<bool(const hop::v1::User&)>& fn) const {
  return ScanProtos<hop::v1::User>(*store_, Family::kUsers, "u/", "", fn);
}

absl::Status RecordStore::ScanFeed(const std::string& peer, uint64_t after_seq,
                                   const std::function<bool(const hop::v1::FeedEntry&)>& fn,
                                   const store::Snapshot* snapshot) const {
  return ScanProtos<hop::v1::FeedEntry>(*store_, Family::kFeeds, absl::StrCat("f/", peer, "/"),
                                        FeedKey(peer, after_seq + 1), fn, snapshot);
}

absl::Status RecordStore::ScanFeedRaw(const std::string& peer, uint64_t after_seq,
                                      const std::function<bool(absl::string_view)>& fn,
                                      const store::Snapshot* snapshot) const {
  return store_->Scan(
      Family::kFeeds, absl::StrCat("f/", peer, "/"), FeedKey(peer, after_seq + 1),
      [&](absl::string_view, absl::string_view value) { return fn(value); }, snapshot);
}

absl::StatusOr<hop::v1::SetDigest> RecordStore::FeedDigest(const std::string& peer,
                                                           const store::Snapshot* snapshot) const {
  HOP_ASSIGN_OR_RETURN(std::optional<std::string> raw,
                       store_->Get(Family::kFeeds, DigestKey(peer), snapshot));
  hop::v1::SetDigest digest;
  if (raw.has_value() && !digest.ParseFromString(*raw)) {
    return absl::DataLossError(absl::StrCat("feed digest of ", peer, " cannot be parsed"));
  }
  return digest;
}

absl::StatusOr<uint64_t> RecordStore::FeedHead(const std::string& peer) const {
  uint64_t head = 0;
  HOP_ASSIGN_OR_RETURN(std::optional<std::string> raw, store_->Get(Family::kFeeds, HeadKey(peer)));
  if (raw.has_value() && !absl::SimpleAtoi(*raw, &head)) {
    return absl::DataLossError(absl::StrCat("feed head of ", peer, " is not a number"));
  }
  return head;
}

absl::StatusOr<std::vector<std::string>> RecordStore::ConsentsChangingIn(int64_t after,
                                                                         int64_t through) const {
  std::vector<std::string> ids;
  constexpr size_t kTimeAt = 2, kTimeDigits = 16, kIdAt = kTimeAt + kTimeDigits + 1;
  HOP_RETURN_IF_ERROR(store_->Scan(Family::kConsents, "e/", ConsentTimeKey(after + 1, ""),
                                   [&](absl::string_view key, absl::string_view) {
                                     uint64_t t = 0;
                                     if (key.size() <= kIdAt ||
                                         !absl::SimpleHexAtoi(key.substr(kTimeAt, kTimeDigits), &t))
                                       return true;
                                     if (static_cast<int64_t>(t) > through) return false;
                                     ids.emplace_back(key.substr(kIdAt));
                                     return true;
                                   }));
  return ids;
}

absl::StatusOr<std::vector<std::string>> RecordStore::CasesClosedBy(int64_t through) const {
  std::vector<std::string> ids;
  constexpr size_t kTimeAt = 2, kTimeDigits = 16, kIdAt = kTimeAt + kTimeDigits + 1;
  HOP_RETURN_IF_ERROR(
      store_->Scan(Family::kCases, "z/", "", [&](absl::string_view key, absl::string_view) {
        uint64_t t = 0;
        if (key.size() <= kIdAt || !absl::SimpleHexAtoi(key.substr(kTimeAt, kTimeDigits), &t))
          return true;
        if (static_cast<int64_t>(t) > through) return false;
        ids.emplace_back(key.substr(kIdAt));
        return true;
      }));
  return ids;
}

absl::StatusOr<std::optional<std::string>> RecordStore::GetMeta(const std::string& key) const {
  return store_->Get(Family::kMeta, key);
}

absl::StatusOr<std::optional<hop::v1::FeedEntry>> RecordStore::FeedEntryOf(
    const std::string& peer, const std::string& record_key) const {
  HOP_ASSIGN_OR_RETURN(std::optional<std::string> seq,
                       store_->Get(Family::kFeeds, FeedIndexKey(peer, record_key)));
  if (!seq.has_value()) return std::optional<hop::v1::FeedEntry>();
  uint64_t n = 0;
  if (!absl::SimpleAtoi(*seq, &n)) {
    return absl::DataLossError(absl::StrCat("feed index of ", record_key, " is not a number"));
  }
  return GetProto<hop::v1::FeedEntry>(*store_, Family::kFeeds, FeedKey(peer, n));
}

absl::StatusOr<std::vector<hop::v1::Case>> RecordStore::CasesOfChild(
    const std::string& isikukood) const {
  return RecordsOfChild<hop::v1::Case>(*store_, Family::kCases, "c/", isikukood);
}

absl::StatusOr<std::vector<hop::v1::Consent>> RecordStore::ConsentsOfChild(
    const std::string& isikukood) const {
  return RecordsOfChild<hop::v1::Consent>(*store_, Family::kConsents, "k/", isikukood);
}

}  // namespace hop::casework
