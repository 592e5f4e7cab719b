// The node's audit trail (DESIGN.md "Records": audit entry), in the audit column family:
//   e/<seq as 16 hex digits>           -> hop.v1.AuditEntry
//   s/<pseudonym>/<seq as 16 hex digits> -> ""   (the family's access report index)
//   head                               -> hop.v1.AuditHead
// Entries are appended by Commit(), which assigns seq, time and the hash chain and writes them
// in the caller's WriteBatch together with the effect they describe: one atomic, durable
// write, in commit order. Nothing ever deletes an entry. Verify() recomputes the chain.
//
// No isikukood is stored (issue 11, "erasure you can grep"): Commit replaces each subject by
// the child's keyed pseudonym (security::NodeSecret::ChildPseudonym), in the entry and in the
// index, and every valid isikukood written in object, purpose or outcome by the same
// pseudonym. Callers keep passing isikukoods. Entries written before this change still hold
// the isikukood itself (in subjects and under s/<isikukood>/); OfSubject finds both, and
// Verify checks both, so an old log stays intact and searchable.
// Thread-safe: commits are serialized.
#ifndef HOP_DAEMON_AUDIT_AUDIT_LOG_H_
#define HOP_DAEMON_AUDIT_AUDIT_LOG_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "daemon/base/clock.h"
#include "daemon/security/node_secret.h"
#include "daemon/store/store.h"
#include "hop/v1/audit.pb.h"

namespace hop::audit {

class AuditLog {
 public:
  // Loads the head of the chain. `store`, `clock` and `secret` (keys the pseudonyms) must
  // outlive the log.
  static absl::StatusOr<std::unique_ptr<AuditLog>> Open(store::Store* store, const Clock* clock,
                                                        const security::NodeSecret* secret);

  // Appends `entries` to `batch` (subjects and isikukoods in object/purpose/outcome replaced
  // by pseudonyms; seq, time, prev_hash and hash set here) and writes the batch. On error
  // nothing is written and the chain is unchanged. Entries of acts that are child protection
  // by themselves (ActsForChildProtection) are marked child_protection here; callers mark the
  // others whose content reveals it.
  absl::Status Commit(store::WriteBatch& batch, std::vector<hop::v1::AuditEntry> entries);
  // Commit of entries with no other effect (reads, refusals).
  absl::Status Record(std::vector<hop::v1::AuditEntry> entries);

  // Walks the chain from the first entry, in one snapshot: seq without gaps, each prev_hash
  // the previous hash, each hash recomputed, the head equal to the last entry, and the
  // access-report index (s/...) naming exactly the entries' subjects.
  absl::StatusOr<hop::v1::VerifyAuditResponse> Verify() const;

  // Every entry naming `isikukood` as a subject (by its pseudonym, or by the isikukood itself
  // in entries written before pseudonyms), oldest first.
  absl::StatusOr<std::vector<hop::v1::AuditEntry>> OfSubject(const std::string& isikukood) const;

  // The number of entries in the log, and the newest entry's position and hash.
  uint64_t Entries() const;
  hop::v1::AuditHead Head() const;

  // The stored hash of entry `seq`; NotFound if there is none.
  absl::StatusOr<std::string> HashAt(uint64_t seq) const;

  // True for an act that reveals child-protection involvement by who did it or what it was:
  // an act of a child-protection specialist (of this or another municipality), or moving a
  // case onto the child-protection track (also when refused).
  static bool ActsForChildProtection(const hop::v1::AuditEntry& entry);

  // The hash of `entry` chained after `prev_hash` (entry.hash ignored).
  static std::string HashOf(const hop::v1::AuditEntry& entry);

  // `text` with every valid isikukood in it (a run of exactly 11 digits passing the check)
  // replaced by its pseudonym under `secret`.
  static std::string Pseudonymise(const security::NodeSecret& secret, absl::string_view text);

 private:
  AuditLog(store::Store* store, const Clock* clock, const security::NodeSecret* secret)
      : store_(store), clock_(clock), secret_(secret) {}
  // `e` as stored: subjects and isikukoods in its texts replaced by pseudonyms.
  void PseudonymiseEntry(hop::v1::AuditEntry& e) const;
  // The index holds `expected_keys` keys, each naming a subject of its entry; else marks
  // `result` broken at the first forged key.
  absl::Status VerifyIndex(const store::Snapshot& view, uint64_t expected_keys,
                           hop::v1::VerifyAuditResponse& result) const;

  store::Store* const store_;
  const Clock* const clock_;
  const security::NodeSecret* const secret_;
  mutable absl::Mutex mu_;
  hop::v1::AuditHead head_ ABSL_GUARDED_BY(mu_);
};

}  // namespace hop::audit

#endif  // HOP_DAEMON_AUDIT_AUDIT_LOG_H_
