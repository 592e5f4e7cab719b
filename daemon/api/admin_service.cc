#include "daemon/api/admin_service.h"

#include "absl/strings/str_cat.h"
#include "daemon/api/serve.h"
#include "daemon/base/log.h"
#include "daemon/base/status_macros.h"
#include "daemon/domain/municipalities.h"

namespace hop::api {
namespace {

constexpr absl::string_view kService = "hop.v1.Admin";

}  // namespace

grpc::Status AdminService::AddUser(Ctx* ctx, const hop::v1::AddUserRequest* req,
                                   hop::v1::User* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller& c) { return users_->Add(c.principal.name, req->user()); });
}

grpc::Status AdminService::RemoveUser(Ctx* ctx, const hop::v1::RemoveUserRequest* req,
                                      hop::v1::RemoveUserResponse* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller&) -> absl::StatusOr<hop::v1::RemoveUserResponse> {
                 HOP_RETURN_IF_ERROR(users_->Remove(req->user_id()));
                 return hop::v1::RemoveUserResponse();
               });
}

grpc::Status AdminService::ListUsers(Ctx* ctx, const hop::v1::ListUsersRequest* req,
                                     hop::v1::ListUsersResponse* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller&) -> absl::StatusOr<hop::v1::ListUsersResponse> {
                 HOP_ASSIGN_OR_RETURN(std::vector<hop::v1::User> users, users_->List());
                 hop::v1::ListUsersResponse response;
                 for (hop::v1::User& u : users) *response.add_users() = std::move(u);
                 return response;
               });
}

grpc::Status AdminService::GetNodeStatus(Ctx* ctx, const hop::v1::GetNodeStatusRequest* req,
                                         hop::v1::NodeStatus* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller&) -> absl::StatusOr<hop::v1::NodeStatus> { return Status(); });
}

grpc::Status AdminService::SyncNow(Ctx* ctx, const hop::v1::SyncNowRequest* req,
                                   hop::v1::SyncNowResponse* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller&) -> absl::StatusOr<hop::v1::SyncNowResponse> {
                 HOP_ASSIGN_OR_RETURN(std::vector<hop::v1::PeerSyncState> states,
                                      puller_->Sync(req->peer()));
                 hop::v1::SyncNowResponse response;
                 for (hop::v1::PeerSyncState& s : states) *response.add_peers() = std::move(s);
                 AddReceipts(*response.mutable_peers());
                 return response;
               });
}

grpc::Status AdminService::WhoAmI(Ctx* ctx, const hop::v1::WhoAmIRequest* req,
                                  hop::v1::WhoAmIResponse* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller& c) -> absl::StatusOr<hop::v1::WhoAmIResponse> {
                 hop::v1::WhoAmIResponse response;
                 response.set_spiffe_id(c.principal.spiffe_id);
                 response.set_municipality(c.principal.municipality);
                 response.set_kind(security::PrincipalKindName(c.principal.kind));
                 response.set_name(c.principal.name);
                 if (c.user.has_value()) response.set_role(c.user->role());
                 return response;
               });
}

grpc::Status AdminService::Backup(Ctx* ctx, const hop::v1::BackupRequest* req,
                                  hop::v1::BackupResponse* resp) {
  return Serve(
      *authorizer_, ctx, kService, __func__, *req, resp,
      [&](const Caller&) -> absl::StatusOr<hop::v1::BackupResponse> {
        if (sources_.backup_dir.empty()) {
          return absl::FailedPreconditionError(
              "backups are not configured: set backup_dir in the node's config "
              "(ideally on another disk) and restart hopd");
        }
        HOP_ASSIGN_OR_RETURN(store::Store::BackupInfo info,
                             records_->store().Backup(sources_.backup_dir, sources_.backups_to_keep,
                                                      federation::Puller::BackupExclusions()));
        LogInfo("admin", "backup taken",
                {{"backup_id", absl::StrCat(info.id)}, {"bytes", absl::StrCat(info.size)}});
        hop::v1::BackupResponse r;
        r.set_backup_id(info.id);
        r.set_taken_at(info.timestamp);
        r.set_size_bytes(info.size);
        r.set_directory(sources_.backup_dir);
        r.set_backups_kept(info.backups_kept);
        return r;
      });
}

hop::v1::NodeStatus AdminService::Status() const {
  using casework::IdKind;
  hop::v1::NodeStatus status;
  status.set_municipality(records_->municipality());
  if (const auto* m = domain::FindMunicipality(records_->municipality())) {
    status.set_municipality_name(std::string(m->name));
  }
  status.set_version(HOP_VERSION);
  status.set_epoch(records_->epoch());
  status.set_started_at(sources_.started_at);
  status.set_now(sources_.clock->NowUnix());
  if (absl::StatusOr<int64_t> t = security::CertificateNotAfter(sources_.tls.cert); t.ok()) {
    status.set_node_cert_expires_at(*t);
  }
  if (absl::StatusOr<int64_t> t = security::CertificateNotAfter(sources_.tls.ca_cert); t.ok()) {
    status.set_ca_cert_expires_at(*t);
  }
  status.set_crl_next_update(sources_.crl->Current()->next_update());
  status.set_audit_entries(sources_.audit->Entries());
  status.set_cases(records_->IssuedCount(IdKind::kCase));
  status.set_consents(records_->IssuedCount(IdKind::kConsent));
  status.set_institutions(records_->IssuedCount(IdKind::kInstitution));
  status.set_contacts(records_->IssuedCount(IdKind::kContact));
  uint64_t users = 0;
  records_
      ->ScanUsers([&](const hop::v1::User&) {
        ++users;
        return true;
      })
      .IgnoreError();
  status.set_users(users);
  uint64_t bytes = 0;
  for (int f = 0; f < store::kFamilyCount; ++f) {
    bytes += records_->store().ApproximateBytes(static_cast<store::Family>(f));
  }
  status.set_store_bytes(bytes);
  const store::Store::WriteHealth health = records_->store().Health();
  status.set_store_writable(health.writable);
  status.set_store_error(health.error);
  status.set_last_erasure_at(records_->store().LastErasure());
  status.set_erasure_pending_since(records_->store().ErasurePendingSince().value_or(0));
  for (hop::v1::PeerSyncState& peer : puller_->States()) *status.add_peers() = std::move(peer);
  AddReceipts(*status.mutable_peers());
  if (sources_.receipts != nullptr) {
    status.set_receipts_pending(sources_.receipts->pending());
    status.set_receipts_outbox_full(sources_.receipts->full());
  }
  return status;
}

void AdminService::AddReceipts(
    google::protobuf::RepeatedPtrField<hop::v1::PeerSyncState>& peers) const {
  if (sources_.receipts == nullptr) return;
  const std::map<std::string, uint64_t> pending = sources_.receipts->PendingByOrigin();
  for (hop::v1::PeerSyncState& peer : peers) {
    auto it = pending.find(peer.municipality());
    peer.mutable_checkpoint()->set_receipts_pending(it == pending.end() ? 0 : it->second);
    if (sources_.receipt_sender != nullptr) {
      peer.mutable_checkpoint()->set_receipts_error(
          sources_.receipt_sender->LastError(peer.municipality()));
    }
  }
}

// Issue 13: user updates; the log says how many cases were re-projected.
grpc::Status AdminService::UpdateUser(Ctx* ctx, const hop::v1::UpdateUserRequest* req,
                                      hop::v1::User* resp) {
  return Serve(*authorizer_, ctx, kService, __func__, *req, resp,
               [&](const Caller& c) -> absl::StatusOr<hop::v1::User> {
                 int reprojected = 0;
                 HOP_ASSIGN_OR_RETURN(hop::v1::User user,
                                      users_->Update(c.principal.name, *req, &reprojected));
                 LogInfo("admin", "user updated",
                         {{"user", user.user_id()}, {"cases", absl::StrCat(reprojected)}});
                 return user;
               });
}

}  // namespace hop::api
