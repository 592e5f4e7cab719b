// The copies this node holds from other municipalities (the replicas family): their
// indexes and each origin's accounting, changed only together in the caller's WriteBatch.
//
// Key layout (replicas family):
//   o/<origin>/<record_key>                   -> hop.v1.Replica (entry + received_at)
//   y/<pseudonym>/<origin>/<record_key>       -> ""  child index of case summaries
//   e/<expires_at, 16 hex>/<origin>/<record_key> -> ""  expiry index of case summaries
//   a/<origin>                                -> hop.v1.ReplicaAccount
// A husk is a replica whose entry has no payload: its (record_key, seq) still counts in the
// origin's digest, so the digest keeps matching the owner's, but nothing of its content is
// kept. Copies whose consent expired here become husks (the owner's tombstone removes them
// later); so do entries refused on receipt. Withdrawal notices ("withdrawal/<consent id>")
// are kept like any copy (in the digest) but are not counted in ReplicaAccount.held: they
// are the origin's bookkeeping, not data shown here.
//
// The child index names a child by its keyed pseudonym (security::NodeSecret), so that no
// key holds an isikukood: keys outlive their values in RocksDB's MANIFEST and SST index
// blocks, and only the copy itself (the CaseSummary value) holds the isikukood until purged.
//
// Writers (OriginApply, DropOrigin, DropAll, PurgeExpired, UpgradeChildIndex) must be serialized by
// the caller (federation::Puller does); readers need no lock. Borrowed pointers must outlive this.
#ifndef HOP_DAEMON_FEDERATION_REPLICA_STORE_H_
#define HOP_DAEMON_FEDERATION_REPLICA_STORE_H_

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/casework/directory_book.h"
#include "daemon/feed/set_digest.h"
#include "daemon/security/node_secret.h"
#include "daemon/store/store.h"
#include "hop/v1/federation.pb.h"

namespace hop::federation {

class ReplicaStore final : public casework::HeldDirectory {
 public:
  // `store` and `secret` (keys the child index) must outlive this.
  ReplicaStore(store::Store* store, const security::NodeSecret* secret)
      : store_(store), secret_(secret) {}

  // Rewrites a child index written before pseudonyms (y/<isikukood>/...) under pseudonyms,
  // in one write; returns how many keys it moved (0: nothing to do). Run once at start.
  absl::StatusOr<uint64_t> UpgradeChildIndex();

  // What an applier needs to know of a copy already held: enough to undo its digest member
  // and index keys.
  struct Held {
    uint64_t seq = 0;
    bool husk = false;
    std::string child;              // case summaries: the child's isikukood
    int64_t expires_at = 0;         // case summaries: the consent's expiry, 0 = none
    bool notice = false;            // a withdrawal notice: not counted in held
    bool child_protection = false;  // case summaries held under the child-protection basis
  };

  // Applies one origin's entries into `batch`. Records not passed to Prefetch count as not
  // held (the caller knows when nothing can be held, e.g. after DropOrigin in this batch).
  class OriginApply {
   public:
    OriginApply(ReplicaStore* replicas, std::string origin, store::WriteBatch* batch,
                const hop::v1::ReplicaAccount& account)
        : replicas_(replicas),
          origin_(std::move(origin)),
          batch_(batch),
          digest_(account.digest()),
          held_(account.held()) {}

    // Reads the current copies of these records in one batched lookup.
    absl::Status Prefetch(const std::vector<std::string>& record_keys);
    // Keeps `entry` (a payload; moved from) as the copy of its record; as a husk if its
    // summary's consent has already expired at `now`.
    void Upsert(hop::v1::FeedEntry&& entry, int64_t now);
    // Accounts (record_key, seq) without keeping any content (refused, or expired here).
    void Husk(const std::string& record_key, uint64_t seq, int64_t now);
    // A tombstone: purges the copy of `record_key`. Returns the isikukood of the child whose
    // copy was purged ("" when nothing with content was held).
    std::string Remove(const std::string& record_key);
    // Writes the account into the batch and returns it.
    hop::v1::ReplicaAccount Finish();
    // The copy now held for `record_key` (this batch's writes included), or null; records
    // not prefetched count as absent.
    const Held* Current(const std::string& record_key) const;

   private:
    void Forget(const std::string& record_key);
    void Keep(const std::string& record_key, Held held, const std::string& value);

    ReplicaStore* const replicas_;
    const std::string origin_;
    store::WriteBatch* const batch_;
    feed::DigestAccumulator digest_;
    uint64_t held_;
    std::map<std::string, std::optional<Held>> current_;  // record_key -> copy held
  };

  hop::v1::ReplicaAccount Account(const std::string& origin) const;
  // Deletes everything held from `origin` in `batch` (an epoch change or a full resync).
  absl::Status DropOrigin(const std::string& origin, store::WriteBatch& batch) const;
  // Deletes every copy held, of every origin, with its indexes and accounts, in `batch`
  // (a receiver's restore: nothing held can be vouched for). Returns how many copies.
  absl::StatusOr<uint64_t> DropAll(store::WriteBatch& batch) const;
  // Turns copies whose consent expired at or before `now` into husks; returns how many.
  absl::StatusOr<uint64_t> PurgeExpired(int64_t now);
  // The same into `batch` (not written), adding the children concerned to `subjects`.
  absl::StatusOr<uint64_t> PurgeExpired(int64_t now, store::WriteBatch& batch,
                                        std::set<std::string>& subjects);

  // Up to max_count withdrawal notices held from `origin` (together within max_bytes, at
  // least one) whose record keys sort after `after_key` ("" = from the first), in key
  // order; `*more` says whether others follow. For handing them back to a restored origin.
  absl::StatusOr<std::vector<hop::v1::FeedEntry>> WithdrawalNotices(const std::string& origin,
                                                                    const std::string& after_key,
                                                                    size_t max_count,
                                                                    size_t max_bytes,
                                                                    bool* more) const;

  // The child's case summaries held with content and not expired at `now`, by origin.
  absl::Status ChildSummaries(const std::string& isikukood, int64_t now,
                              const std::function<void(const hop::v1::Replica&)>& fn) const;

  // casework::HeldDirectory: other municipalities' directory entries.
  absl::Status ScanInstitutions(
      const std::function<void(const hop::v1::Institution&)>& fn) const override;
  absl::Status ScanContacts(const std::function<void(const hop::v1::Contact&)>& fn) const override;

 private:
  // Every held directory copy with content, origin by origin.
  absl::Status ScanHeldDirectory(const std::function<void(const hop::v1::Replica&)>& fn) const;
  // The child index key of a summary of `isikukood`.
  std::string ChildKey(const std::string& isikukood, const std::string& origin,
                       const std::string& record_key) const;

  store::Store* const store_;
  const security::NodeSecret* const secret_;
};

}  // namespace hop::federation

#endif  // HOP_DAEMON_FEDERATION_REPLICA_STORE_H_
