// The node's staff user registry: the certificate says who a person is, this registry says
// what role they have (DESIGN.md "Identity"). Managed by admins.
// Errors: InvalidArgument naming the field, AlreadyExists, NotFound, FailedPrecondition
// (removing or demoting the last admin). Thread-safe.
#ifndef HOP_DAEMON_CASEWORK_USER_REGISTRY_H_
#define HOP_DAEMON_CASEWORK_USER_REGISTRY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/casework/feed_writer.h"
#include "daemon/casework/record_store.h"
#include "hop/v1/admin.pb.h"
#include "hop/v1/records.pb.h"

namespace hop::casework {

class UserRegistry {
 public:
  // `records` and `feeds` (may be null: no feeds to keep, e.g. offline tools) must outlive
  // the UserRegistry.
  explicit UserRegistry(RecordStore* records, const FeedWriter* feeds = nullptr)
      : records_(records), feeds_(feeds) {}

  // Registers a new user. Teachers and coordinators need an institution of this node's
  // directory; other roles must not have one.
  absl::StatusOr<hop::v1::User> Add(const std::string& by_user, hop::v1::User user);
  absl::Status Remove(const std::string& user_id);
  // Issue 13: changes the fields the request gives (proto3 optional; role UNSPECIFIED = kept),
  // the others stay; checked as Add checks them (a role bound to an institution needs an
  // active one of this node's directory; a new role that is not bound drops the institution
  // unless one is given, which is then refused; an id_code is unique). Empty phone, e-mail
  // or id_code clear them. The last admin is not demoted (FailedPrecondition). Sets
  // updated_at/updated_by. In the same write, every open case whose published responsible
  // contact is this user is re-projected into the peers' feeds (FeedWriter::UserChanged), so
  // peers get the new name, role, phone and e-mail at their next pull. `reprojected` (may be
  // null) gets how many cases.
  absl::StatusOr<hop::v1::User> Update(const std::string& by_user,
                                       const hop::v1::UpdateUserRequest& request,
                                       int* reprojected = nullptr);
  absl::StatusOr<std::vector<hop::v1::User>> List() const;
  absl::StatusOr<std::optional<hop::v1::User>> Find(const std::string& user_id) const;
  // The user who signs in with the ID card of this isikukood (User.id_code; unique), or
  // nullopt. A scan of the registry (a node has hundreds of users, not millions).
  absl::StatusOr<std::optional<hop::v1::User>> FindByIdCode(absl::string_view id_code) const;

  // If no admin is registered, registers each of `user_ids` as admin (the first start).
  // Returns the ids added.
  absl::StatusOr<std::vector<std::string>> Bootstrap(const std::vector<std::string>& user_ids);

 private:
  // Cleans the name and checks phone, e-mail, id_code, role and institution of `user`;
  // messages name the field as `prefix` + field ("user." for AddUser, "" for UpdateUser).
  absl::Status CheckFields(hop::v1::User& user, absl::string_view prefix) const;
  // OK unless another user than `user` signs in with its id_code (AlreadyExists).
  absl::Status CheckIdCodeFree(const hop::v1::User& user, absl::string_view prefix) const;
  // FailedPrecondition when `user_id` is the only admin (`what` is done to it).
  absl::Status CheckNotLastAdmin(const std::string& user_id, absl::string_view what) const;

  RecordStore* const records_;
  const FeedWriter* const feeds_;
};

}  // namespace hop::casework

#endif  // HOP_DAEMON_CASEWORK_USER_REGISTRY_H_
