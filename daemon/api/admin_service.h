// hop.v1.Admin: the user registry (admins) and node state without personal data (ops,
// admins). Thread-safe; borrowed pointers must outlive the service.
#ifndef HOP_DAEMON_API_ADMIN_SERVICE_H_
#define HOP_DAEMON_API_ADMIN_SERVICE_H_

#include <cstdint>

#include "daemon/api/authorizer.h"
#include "daemon/casework/record_store.h"
#include "daemon/casework/user_registry.h"
#include "daemon/federation/puller.h"
#include "daemon/federation/receipt_outbox.h"
#include "daemon/federation/receipt_sender.h"
#include "daemon/security/crl.h"
#include "daemon/security/tls_credentials.h"
#include "hop/v1/admin.grpc.pb.h"

namespace hop::api {

class AdminService final : public hop::v1::Admin::Service {
 public:
  // What GetNodeStatus reports beyond the records and the peers.
  struct StatusSources {
    security::TlsPaths tls;
    const security::CrlSource* crl = nullptr;
    const audit::AuditLog* audit = nullptr;
    const Clock* clock = nullptr;
    int64_t started_at = 0;
    std::string backup_dir;  // empty: backups disabled
    uint32_t backups_to_keep = 7;
    // Look-up receipts waiting per owner and why their delivery failed (may be null).
    const federation::ReceiptOutbox* receipts = nullptr;
    const federation::ReceiptSender* receipt_sender = nullptr;
  };
  AdminService(const Authorizer* authorizer, casework::UserRegistry* users,
               const casework::RecordStore* records, federation::Puller* puller,
               StatusSources sources)
      : authorizer_(authorizer),
        users_(users),
        records_(records),
        puller_(puller),
        sources_(std::move(sources)) {}

  using Ctx = grpc::ServerContext;
  grpc::Status AddUser(Ctx*, const hop::v1::AddUserRequest*, hop::v1::User*) override;
  grpc::Status RemoveUser(Ctx*, const hop::v1::RemoveUserRequest*,
                          hop::v1::RemoveUserResponse*) override;
  grpc::Status ListUsers(Ctx*, const hop::v1::ListUsersRequest*,
                         hop::v1::ListUsersResponse*) override;
  grpc::Status GetNodeStatus(Ctx*, const hop::v1::GetNodeStatusRequest*,
                             hop::v1::NodeStatus*) override;
  grpc::Status SyncNow(Ctx*, const hop::v1::SyncNowRequest*, hop::v1::SyncNowResponse*) override;
  grpc::Status Backup(Ctx*, const hop::v1::BackupRequest*, hop::v1::BackupResponse*) override;
  grpc::Status WhoAmI(Ctx*, const hop::v1::WhoAmIRequest*, hop::v1::WhoAmIResponse*) override;

  // Issue 13: user updates (re-projected into the feeds where the user is the contact).
  grpc::Status UpdateUser(Ctx*, const hop::v1::UpdateUserRequest*, hop::v1::User*) override;

 private:
  hop::v1::NodeStatus Status() const;
  // Fills in each peer's look-up receipts waiting and the last delivery error.
  void AddReceipts(google::protobuf::RepeatedPtrField<hop::v1::PeerSyncState>& peers) const;

  const Authorizer* const authorizer_;
  casework::UserRegistry* const users_;
  const casework::RecordStore* const records_;
  federation::Puller* const puller_;
  const StatusSources sources_;
};

}  // namespace hop::api

#endif  // HOP_DAEMON_API_ADMIN_SERVICE_H_
