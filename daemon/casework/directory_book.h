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

  // Creates (empty id) or replaces an institution.
  absl::StatusOr<hop::v1::Institution> PutInstitution(const domain::Actor& actor,
                                                      hop::v1::Institution institution);
  // Creates (empty id) or replaces a contact person.
  absl::StatusOr<hop::v1::Contact> PutContact(const domain::Actor& actor, hop::v1::Contact contact);
  // Contacts matching every given filter, and the institutions of the municipality filter
  // (or, with role/age/topic filters, the institutions of the matching contacts): this
  // municipality's own entries, then those held from the others.
  absl::StatusOr<hop::v1::SearchDirectoryResponse> Search(
      const hop::v1::SearchDirectoryRequest& request) const;

 private:
  RecordStore* const records_;
  const FeedWriter* const feeds_;
  const HeldDirectory* const held_;
};

}  // namespace hop::casework

#endif  // HOP_DAEMON_CASEWORK_DIRECTORY_BOOK_H_
