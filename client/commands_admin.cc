// hopctl user add/remove/list, status, sync, peers, whoami: node administration (Admin service).
#include "absl/strings/str_cat.h"
#include "client/command.h"
#include "client/flag_values.h"
#include "client/output.h"
#include "client/render.h"

namespace hop::client {
namespace {

using hop::v1::Admin;

absl::Status AddUser(CommandContext& ctx) {
  const ParsedArgs& a = ctx.args();
  hop::v1::AddUserRequest req;
  hop::v1::User* user = req.mutable_user();
  user->set_user_id(a.positionals[0]);
  HOP_ASSIGN_OR_RETURN(hop::v1::Role role, ParseRole("role", a.Get("role")));
  user->set_role(role);
  user->set_name(a.Get("name"));
  user->set_institution_id(a.Get("institution"));
  user->set_phone(a.Get("phone"));
  user->set_email(a.Get("email"));
  user->set_id_code(a.Get("id-code"));
  HOP_ASSIGN_OR_RETURN(hop::v1::User added, ctx.Admin(&Admin::Stub::AddUser, req));
  return ctx.Print(added, RenderUser(added, ctx.zone()));
}

absl::Status RemoveUser(CommandContext& ctx) {
  hop::v1::RemoveUserRequest req;
  req.set_user_id(ctx.args().positionals[0]);
  HOP_ASSIGN_OR_RETURN(hop::v1::RemoveUserResponse resp, ctx.Admin(&Admin::Stub::RemoveUser, req));
  return ctx.Print(resp, absl::StrCat("removed user ", req.user_id(), "\n"));
}

absl::Status ListUsers(CommandContext& ctx) {
  HOP_ASSIGN_OR_RETURN(hop::v1::ListUsersResponse resp,
                       ctx.Admin(&Admin::Stub::ListUsers, hop::v1::ListUsersRequest()));
  return ctx.Print(resp, RenderUserTable({resp.users().begin(), resp.users().end()}, ctx.zone()));
}

absl::Status Status(CommandContext& ctx) {
  HOP_ASSIGN_OR_RETURN(hop::v1::NodeStatus status,
                       ctx.Admin(&Admin::Stub::GetNodeStatus, hop::v1::GetNodeStatusRequest()));
  return ctx.Print(status, RenderNodeStatus(status, ctx.zone()));
}

absl::Status Sync(CommandContext& ctx) {
  hop::v1::SyncNowRequest req;
  req.set_peer(ctx.args().Get("peer"));
  HOP_ASSIGN_OR_RETURN(hop::v1::SyncNowResponse resp, ctx.Admin(&Admin::Stub::SyncNow, req));
  return ctx.Print(resp, RenderPeerTable({resp.peers().begin(), resp.peers().end()}, ctx.zone()));
}

absl::Status Backup(CommandContext& ctx) {
  HOP_ASSIGN_OR_RETURN(hop::v1::BackupResponse r,
                       ctx.Admin(&Admin::Stub::Backup, hop::v1::BackupRequest()));
  return ctx.Print(
      r, absl::StrCat("backup ", r.backup_id(), " taken at ", FormatTime(r.taken_at(), ctx.zone()),
                      " in ", r.directory(), " (", r.size_bytes() / 1024, " KiB; ",
                      r.backups_kept(), r.backups_kept() == 1 ? " backup" : " backups",
                      " kept)\nrestore it with the node stopped: hopd --config FILE "
                      "--restore --backup_id ",
                      r.backup_id(), "\n"));
}

absl::Status Peers(CommandContext& ctx) {
  HOP_ASSIGN_OR_RETURN(hop::v1::NodeStatus status,
                       ctx.Admin(&Admin::Stub::GetNodeStatus, hop::v1::GetNodeStatusRequest()));
  return ctx.Print(status,
                   RenderPeerTable({status.peers().begin(), status.peers().end()}, ctx.zone()));
}

absl::Status WhoAmI(CommandContext& ctx) {
  HOP_ASSIGN_OR_RETURN(hop::v1::WhoAmIResponse who,
                       ctx.Admin(&Admin::Stub::WhoAmI, hop::v1::WhoAmIRequest()));
  return ctx.Print(who, RenderWhoAmI(who));
}

}  // namespace

std::vector<Command> AdminCommands() {
  return {
      {{"user add",
        "Register a staff user and their role (admins)",
        "USER_ID",
        1,
        1,
        {Required("role", "ROLE", RoleWords()), Required("name", "NAME", "the person's name"),
         Optional("institution", "ID",
                  "their institution (teachers, coordinators and support specialists)"),
         Optional("phone", "PHONE", "work phone, shared as the responsible contact of their cases"),
         Optional("email", "EMAIL",
                  "work e-mail, shared as the responsible contact of their cases"),
         Optional("id-code", "ISIKUKOOD",
                  "their isikukood, to sign in to the console with an Estonian ID card "
                  "(console.id_card_ca_files); never leaves this node")},
        {"hopctl user add mari --role teacher --name 'Mari Mets' --institution 0793-I000001",
         "hopctl user add kati --role case-manager --name 'Kati Kask' --id-code 48001010005",
         "hopctl user add ode --role school-nurse --name 'Ode Õde' --institution 0793-I000001"}},
       &AddUser},
      {{"user remove",
        "Remove a staff user (admins)",
        "USER_ID",
        1,
        1,
        {},
        {"hopctl user remove mari"}},
       &RemoveUser},
      {{"user list", "List staff users (admins)", "", 0, 0, {}, {"hopctl user list"}}, &ListUsers},
      {{"status",
        "Show the node's state (no personal data)",
        "",
        0,
        0,
        {},
        {"hopctl status --json"}},
       &Status},
      {{"sync",
        "Pull now from every peer (or one) and show each peer's sync state (admins, ops)",
        "",
        0,
        0,
        {Optional("peer", "EHAK", "only this peer, e.g. 0171")},
        {"hopctl sync", "hopctl sync --peer 0171"}},
       &Sync},
      {{"admin backup",
        "Take a consistent backup of the node's whole store into its backup_dir while it "
        "serves (admins, ops); restore offline with hopd --restore",
        "",
        0,
        0,
        {},
        {"hopctl admin backup"}},
       &Backup},
      {{"peers",
        "Show each peer's sync state: last attempt and success, position, records in, held "
        "and refused, records served to it (OUT) and how far its last pull is behind this "
        "node's newest change for it (BEHIND, in change numbers), look-up receipts waiting "
        "for it as owner (RECEIPTS), full resyncs, next retry, last error",
        "",
        0,
        0,
        {},
        {"hopctl peers"}},
       &Peers},
      {{"whoami", "Show who the server thinks you are", "", 0, 0, {}, {"hopctl whoami"}}, &WhoAmI},
  };
}

}  // namespace hop::client
