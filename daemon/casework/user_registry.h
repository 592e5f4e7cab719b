// The node's staff user registry: the certificate says who a person is, this registry says
// what role they have (DESIGN.md "Identity"). Managed by admins.
// Errors: InvalidArgument naming the field, AlreadyExists, NotFound, FailedPrecondition
// (removing the last admin). Thread-safe.
#ifndef HOP_DAEMON_CASEWORK_USER_REGISTRY_H_
#define HOP_DAEMON_CASEWORK_USER_REGISTRY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/casework/record_store.h"
#include "hop/v1/records.pb.h"

namespace hop::casework {

class UserRegistry {
 public:
  // `records` must outlive the UserRegistry.
  explicit UserRegistry(RecordStore* records) : records_(records) {}

  // Registers a new user. Teachers and coordinators need an institution of this node's
  // directory; other roles must not have one.
  absl::StatusOr<hop::v1::User> Add(const std::string& by_user, hop::v1::User user);
  absl::Status Remove(const std::string& user_id);
  absl::StatusOr<std::vector<hop::v1::User>> List() const;
  absl::StatusOr<std::optional<hop::v1::User>> Find(const std::string& user_id) const;
  // The user who signs in with the ID card of this isikukood (User.id_code; unique), or
  // nullopt. A scan of the registry (a node has hundreds of users, not millions).
  absl::StatusOr<std::optional<hop::v1::User>> FindByIdCode(absl::string_view id_code) const;

  // If no admin is registered, registers each of `user_ids` as admin (the first start).
  // Returns the ids added.
  absl::StatusOr<std::vector<std::string>> Bootstrap(const std::vector<std::string>& user_ids);

 private:
  RecordStore* const records_;
};

}  // namespace hop::casework

#endif  // HOP_DAEMON_CASEWORK_USER_REGISTRY_H_
