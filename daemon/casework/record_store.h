// Typed access to the node's own records in the Store: key layout, record ids, the
// owner-local change sequence and the node epoch.
//
// Key layout (all keys are ASCII; ids sort in creation order):
//   cases      c/<case_id> -> hop.v1.Case          x/<child>/<case_id> -> ""  (child index)
//              z/<closing time as 16 hex digits>/<case_id> -> "" for each closed case (the
//              retention sweep's index; a closed case never changes, so its updated_at is
//              the time it was closed; reopening takes it out of the index)
//   consents   k/<consent_id> -> hop.v1.Consent    x/<child>/<consent_id> -> ""
//              e/<time as 16 hex digits>/<consent_id> -> "" for valid_from and valid_until:
//              the moments a consent starts or stops counting (the expiry sweeper's index)
//   directory  i/<institution_id> -> Institution   p/<contact_id> -> Contact
//   users      u/<user_id> -> hop.v1.User
//   meta       epoch -> random hex; seq -> last change seq; counter/<K> -> last id number
//              consents_swept_until -> unix seconds up to which consent times were applied
//              closed_cases_indexed -> "1" once every closed case is in the z/ index
//   feeds      f/<peer>/<seq as 16 hex digits> -> hop.v1.FeedEntry
//              r/<peer>/<record_key> -> seq of that record's newest entry in the peer's feed
//              t/<peer>/<seq as 16 hex digits> -> record_key, for each tombstone (collection)
//              d/<peer> -> hop.v1.SetDigest of the peer's live (non-tombstone) entries
//              h/<peer> -> seq of the newest entry in the peer's feed
//
// Writes: Mutate() runs a read-modify-write function under the store-wide write lock and
// commits everything it wrote, including new counter values, in one WriteBatch. Reads need
// no lock. Thread-safe.
#ifndef HOP_DAEMON_CASEWORK_RECORD_STORE_H_
#define HOP_DAEMON_CASEWORK_RECORD_STORE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "daemon/audit/audit_log.h"
#include "daemon/base/clock.h"
#include "daemon/casework/feed_listener.h"
#include "daemon/store/store.h"
#include "hop/v1/federation.pb.h"
#include "hop/v1/records.pb.h"

namespace hop::casework {

// Id kinds: C case, K consent, I institution, P contact person.
enum class IdKind : char { kCase = 'C', kConsent = 'K', kInstitution = 'I', kContact = 'P' };

class RecordStore;

// Meta key: the time up to which the consent-expiry sweep has run (ConsentBook).
inline constexpr char kConsentsSweptUntil[] = "consents_swept_until";
// Meta key: set once every closed case is in the closed index (casework/retention.h).
inline constexpr char kClosedCasesIndexed[] = "closed_cases_indexed";

// The writes of one Mutate() call. Valid only inside that call.
class Mutation {
 public:
  // A new id "<EHAK>-<kind><6+ digits>", e.g. "0793-C000042".
  std::string NewId(IdKind kind);
  int64_t now() const { return now_; }

  // Each Put assigns the record the next change seq (and updated_at where it has one).
  void PutCase(hop::v1::Case& c);
  void PutConsent(hop::v1::Consent& c);
  void PutInstitution(hop::v1::Institution& i);
  void PutContact(hop::v1::Contact& c);
  void PutUser(const hop::v1::User& u);
  // Removes the case (record, child index, closed index) / the consent (record, child and
  // time indexes) for good: only for the retention purge (casework/retention.h). The child
  // and the id are named in the mutation's audit entry.
  void DeleteCase(const hop::v1::Case& c);
  void DeleteConsent(const hop::v1::Consent& c);
  // Adds a closed case to the closed index (PutCase does it for cases closed from now on).
  void IndexClosedCase(const hop::v1::Case& c);
  // Takes a closed case, as stored (its updated_at is when it closed), out of the closed
  // index: the case is being reopened (CaseBook::Reopen).
  void UnindexClosedCase(const hop::v1::Case& c);
  // The batch this mutation commits, for writes of other key spaces (the inbox) that must
  // commit together with it.
  store::WriteBatch& batch() { return batch_; }
  void DeleteUser(const std::string& user_id);

  // Makes `entry` the newest state of entry.record_key() in `peer`'s feed, at a new seq,
  // replacing the record's previous entry (a record appears once per feed). Writes nothing
  // when the peer already has the same payload, or for a tombstone of a record the peer
  // does not hold. Sees the feed writes made earlier in this mutation.
  absl::Status PutFeed(const std::string& peer, hop::v1::FeedEntry entry);

  // Removes `peer`'s tombstones with seq <= `through_seq` (the peer has applied them);
  // returns how many.
  absl::StatusOr<uint64_t> CollectTombstones(const std::string& peer, uint64_t through_seq);

  // Sets meta `key` to `value` in this mutation.
  void PutMeta(const std::string& key, const std::string& value);

 private:
  struct PeerFeedState {
    hop::v1::SetDigest digest;
    uint64_t head = 0;
    bool changed = false;
  };
  absl::StatusOr<PeerFeedState*> FeedStateOf(const std::string& peer);

  friend class RecordStore;

  Mutation(RecordStore* records, store::WriteBatch batch, int64_t now);
  uint64_t NextSeq();
  RecordStore* records_;
  store::WriteBatch batch_;
  int64_t now_;
  uint64_t seq_;
  std::map<char, uint64_t> counters_;
  std::map<std::string, hop::v1::FeedEntry> feed_overlay_;  // index key -> entry written here
  std::map<std::string, PeerFeedState> feed_states_;        // peer -> digest and head
  std::set<std::string> subjects_;    // children whose data this mutation writes (audit)
  std::set<std::string> objects_;     // ids of the cases and consents it writes (audit)
  std::set<std::string> tombstoned_;  // peers whose feed got a tombstone (FeedListener)
  // It writes a case on the child-protection track or a child-protection-basis summary: its
  // audit entry is marked child_protection (shown to child-protection specialists only).
  bool child_protection_ = false;
};

class RecordStore {
 public:
  // Loads the epoch (creating one on a new store), seq and id counters.
  // `store` and `clock` must outlive the RecordStore. `listener` (may be null; must outlive
  // the RecordStore) hears of every committed mutation that wrote tombstones into peers' feeds.
  static absl::StatusOr<std::unique_ptr<RecordStore>> Open(store::Store* store,
                                                           std::string municipality,
                                                           const Clock* clock,
                                                           FeedListener* listener = nullptr);

  // From now on every mutation is audited in its own WriteBatch (audit/call_audit.h): with
  // the call in progress on the thread, or as the node's own change when it touches a
  // child's data outside any call. Set once, before the store is shared.
  void SetAuditLog(audit::AuditLog* log) { audit_ = log; }

  // Runs `fn` under the write lock; if it returns OK, commits its writes (and their audit
  // entry) atomically and returns OK; otherwise nothing is written and fn's error is returned.
  absl::Status Mutate(const std::function<absl::Status(Mutation&)>& fn);

  absl::StatusOr<std::optional<hop::v1::Case>> GetCase(const std::string& id) const;
  absl::StatusOr<std::optional<hop::v1::Consent>> GetConsent(const std::string& id) const;
  absl::StatusOr<std::optional<hop::v1::Institution>> GetInstitution(const std::string& id) const;
  absl::StatusOr<std::optional<hop::v1::Contact>> GetContact(const std::string& id) const;
  absl::StatusOr<std::optional<hop::v1::User>> GetUser(const std::string& user_id) const;

  // Visits records in id order from `start_id` (inclusive; "" = first); fn returns false to
  // stop.
  absl::Status ScanCases(const std::string& start_id,
                         const std::function<bool(const hop::v1::Case&)>& fn) const;
  absl::Status ScanConsents(const std::function<bool(const hop::v1::Consent&)>& fn) const;
  absl::Status ScanInstitutions(const std::function<bool(const hop::v1::Institution&)>& fn) const;
  absl::Status ScanContacts(const std::function<bool(const hop::v1::Contact&)>& fn) const;
  absl::Status ScanUsers(const std::function<bool(const hop::v1::User&)>& fn) const;

  // `peer`'s feed entries with seq > `after_seq`, in seq order; fn returns false to stop.
  // Reads `snapshot` when given.
  absl::Status ScanFeed(const std::string& peer, uint64_t after_seq,
                        const std::function<bool(const hop::v1::FeedEntry&)>& fn,
                        const store::Snapshot* snapshot = nullptr) const;
  // As ScanFeed, handing out each entry serialized (to parse it straight into a reply).
  absl::Status ScanFeedRaw(const std::string& peer, uint64_t after_seq,
                           const std::function<bool(absl::string_view entry)>& fn,
                           const store::Snapshot* snapshot = nullptr) const;
  // The digest of `peer`'s live feed entries and the seq of its newest entry.
  absl::StatusOr<hop::v1::SetDigest> FeedDigest(const std::string& peer,
                                                const store::Snapshot* snapshot = nullptr) const;
  absl::StatusOr<uint64_t> FeedHead(const std::string& peer) const;
  // Ids of consents with a valid_from or valid_until in (after, through], in time order.
  absl::StatusOr<std::vector<std::string>> ConsentsChangingIn(int64_t after, int64_t through) const;
  // Ids of cases closed at or before `through` (the closed index), oldest first.
  absl::StatusOr<std::vector<std::string>> CasesClosedBy(int64_t through) const;
  absl::StatusOr<std::optional<std::string>> GetMeta(const std::string& key) const;
  // The newest entry for `record_key` in `peer`'s feed, if any.
  absl::StatusOr<std::optional<hop::v1::FeedEntry>> FeedEntryOf(
      const std::string& peer, const std::string& record_key) const;

  // The child's cases / consents, in id order.
  absl::StatusOr<std::vector<hop::v1::Case>> CasesOfChild(const std::string& isikukood) const;
  absl::StatusOr<std::vector<hop::v1::Consent>> ConsentsOfChild(const std::string& isikukood) const;

  const std::string& municipality() const { return municipality_; }
  std::string epoch() const;
  // Starts a new life of this store, as after a restore from backup: a new random epoch, so
  // every peer drops its copies and pulls from zero. Does nothing if the epoch is no longer
  // `from` (another caller renewed it). Returns the epoch now in force.
  absl::StatusOr<std::string> RenewEpoch(const std::string& from);
  // The same, written by `commit(batch, new_epoch)` together with whatever the caller put
  // in `batch` (e.g. a restore's other changes and its audit entry): one atomic write. The
  // new epoch is in force only if `commit` returns OK.
  absl::StatusOr<std::string> RenewEpoch(
      const std::string& from, store::WriteBatch& batch,
      const std::function<absl::Status(store::WriteBatch&, const std::string&)>& commit);
  // The newest change seq issued.
  uint64_t LastSeq() const;
  const Clock& clock() const { return *clock_; }
  store::Store& store() const { return *store_; }
  // Number of ids ever issued of a kind (records are closed/withdrawn; only the retention
  // purge deletes them, and their ids are not reused).
  uint64_t IssuedCount(IdKind kind) const;

 private:
  friend class Mutation;
  // Writes the mutation's batch, with its audit entry when auditing.
  absl::Status Commit(Mutation& m) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  RecordStore(store::Store* store, std::string municipality, const Clock* clock,
              FeedListener* listener)
      : store_(store), municipality_(std::move(municipality)), clock_(clock), listener_(listener) {}

  store::Store* const store_;
  const std::string municipality_;
  const Clock* const clock_;
  FeedListener* const listener_;
  audit::AuditLog* audit_ = nullptr;
  mutable absl::Mutex mu_;
  std::string epoch_ ABSL_GUARDED_BY(mu_);
  uint64_t seq_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<char, uint64_t> counters_ ABSL_GUARDED_BY(mu_);
};

}  // namespace hop::casework

#endif  // HOP_DAEMON_CASEWORK_RECORD_STORE_H_
