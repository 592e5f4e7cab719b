// The contact directory (kontaktid) of this municipality: institutions and their contact
// persons. A node creates and changes only its own municipality's entries (peers' entries
// arrive by federation sync, issue 3). Network leaders and case managers manage every
// institution; institution coordinators only their own institution's contacts. Every staff
// role may search.
// Errors: InvalidArgument naming the field, NotFound (update of a missing id),
// PermissionDenied. Thread-safe.
#ifndef HOP_DAEMON_CASEWORK_DIRECTORY_BOOK_H_
#define HOP_DAEMON_CASEWORK_DIRECTORY_BOOK_H_

#include <functional>

#include "absl/status/statusor.h"
#include "daemon/casework/feed_writer.h"
#include "daemon/casework/record_store.h"
#include "daemon/domain/access.h"
#include "hop/v1/casework.pb.h"

namespace hop::casework {

// Other municipalities' directory entries held from federation sync (federation/ReplicaStore).
class HeldDirectory {
 public:
  virtual ~HeldDirectory() = default;
  virtual absl::Status ScanInstitutions(
      const std::function<void(const hop::v1::Institution&)>& fn) const = 0;
  virtual absl::Status ScanContacts(
      const std::function<void(const hop::v1::Contact&)>& fn) const = 0;
};

class DirectoryBook {
 public:
  // `records`, `feeds` and `held` (may be null: own entries only) must outlive the
  // DirectoryBook.
  DirectoryBook(RecordStore* records, const FeedWriter* feeds, const HeldDirectory* held = nullptr)
      : records_(records), feeds_(feeds), held_(held) {}

  // Creates (empty id) or replaces an institution. A retired entry is not replaced
  // (FailedPrecondition), and retired_at/retired_by are set by Retire* only (InvalidArgument).
  absl::StatusOr<hop::v1::Institution> PutInstitution(const domain::Actor& actor,
                                                      hop::v1::Institution institution);
  // Creates (empty id) or replaces a contact person; as PutInstitution for retired entries, and
  // a contact of a retired institution is refused (FailedPrecondition).
  absl::StatusOr<hop::v1::Contact> PutContact(const domain::Actor& actor, hop::v1::Contact contact);
  // Contacts matching every given filter, and the institutions of the municipality filter
  // (or, with role/age/topic filters, the institutions of the matching contacts): this
  // municipality's own entries, then those held from the others. Retired entries are left
  // out; include_retired adds this node's own retired entries (never a peer's).
  absl::StatusOr<hop::v1::SearchDirectoryResponse> Search(
      const hop::v1::SearchDirectoryRequest& request) const;

  // Issue 13: retirement (defined in directory_retire.cc). A retired entry stays in this
  // node's records (cases and services name it) with retired_at/retired_by set, and every
  // peer's feed gets a tombstone of it in the same write (the peers are nudged and drop it).
  // Reason required (multi-line, bounded like every free text); it is kept in the call's audit
  // entry (the entry has no field for it). Errors: NotFound (no such own entry),
  // FailedPrecondition (retired already; an institution that still has active contacts, open
  // cases or users bound to it: the message says how many and what to do first),
  // PermissionDenied (a coordinator retiring another institution's contact).
  absl::StatusOr<hop::v1::Institution> RetireInstitution(
      const domain::Actor& actor, const hop::v1::RetireInstitutionRequest& request);
  absl::StatusOr<hop::v1::Contact> RetireContact(const domain::Actor& actor,
                                                 const hop::v1::RetireContactRequest& request);

 private:
  RecordStore* const records_;
  const FeedWriter* const feeds_;
  const HeldDirectory* const held_;
};

}  // namespace hop::casework

#endif  // HOP_DAEMON_CASEWORK_DIRECTORY_BOOK_H_
