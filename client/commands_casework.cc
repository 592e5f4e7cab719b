// hopctl case end-service|done|reopen|leave-protection, directory retire-institution|
// retire-contact, user update: case work, complete (issue 13).
#include "absl/strings/str_cat.h"
#include "client/command.h"
#include "client/commands_case_common.h"
#include "client/flag_values.h"
#include "client/render.h"

namespace hop::client {
namespace {

using hop::v1::Admin;
using hop::v1::CaseWork;

constexpr char kDate[] = "YYYY-MM-DD";

absl::Status EndService(CommandContext& ctx) {
  const ParsedArgs& a = ctx.args();
  hop::v1::EndServiceRequest req;
  req.set_case_id(a.positionals[0]);
  req.set_service_id(a.positionals[1]);
  HOP_ASSIGN_OR_RETURN(*req.mutable_end_date(), ParseDate("end-date", a.Get("end-date")));
  req.set_outcome(a.Get("outcome"));
  return PrintCase(ctx, ctx.CaseWork(&CaseWork::Stub::EndService, req));
}

absl::Status Done(CommandContext& ctx) {
  const ParsedArgs& a = ctx.args();
  hop::v1::CompleteActionItemRequest req;
  req.set_case_id(a.positionals[0]);
  req.set_item_id(a.positionals[1]);
  req.set_evaluation(a.Get("evaluation"));
  if (a.Has("date")) {
    HOP_ASSIGN_OR_RETURN(*req.mutable_done_date(), ParseDate("date", a.Get("date")));
  }
  return PrintCase(ctx, ctx.CaseWork(&CaseWork::Stub::CompleteActionItem, req));
}

absl::Status Reopen(CommandContext& ctx) {
  hop::v1::ReopenCaseRequest req;
  req.set_case_id(ctx.args().positionals[0]);
  req.set_reason(ctx.args().Get("reason"));
  return PrintCase(ctx, ctx.CaseWork(&CaseWork::Stub::ReopenCase, req));
}

absl::Status LeaveProtection(CommandContext& ctx) {
  hop::v1::LeaveChildProtectionRequest req;
  req.set_case_id(ctx.args().positionals[0]);
  req.set_reason(ctx.args().Get("reason"));
  return PrintCase(ctx, ctx.CaseWork(&CaseWork::Stub::LeaveChildProtection, req));
}

absl::Status RetireInstitution(CommandContext& ctx) {
  hop::v1::RetireInstitutionRequest req;
  req.set_institution_id(ctx.args().positionals[0]);
  req.set_reason(ctx.args().Get("reason"));
  HOP_ASSIGN_OR_RETURN(hop::v1::Institution retired,
                       ctx.CaseWork(&CaseWork::Stub::RetireInstitution, req));
  return ctx.Print(retired, RenderInstitution(retired, ctx.zone()));
}

absl::Status RetireContact(CommandContext& ctx) {
  hop::v1::RetireContactRequest req;
  req.set_contact_id(ctx.args().positionals[0]);
  req.set_reason(ctx.args().Get("reason"));
  HOP_ASSIGN_OR_RETURN(hop::v1::Contact retired, ctx.CaseWork(&CaseWork::Stub::RetireContact, req));
  return ctx.Print(retired, RenderContact(retired, ctx.zone()));
}

// Only the options given are sent (proto3 optional): the others stay as they are.
absl::Status UpdateUser(CommandContext& ctx) {
  const ParsedArgs& a = ctx.args();
  hop::v1::UpdateUserRequest req;
  req.set_user_id(a.positionals[0]);
  if (a.Has("role")) {
    HOP_ASSIGN_OR_RETURN(hop::v1::Role role, ParseRole("role", a.Get("role")));
    req.set_role(role);
  }
  if (a.Has("institution")) req.set_institution_id(a.Get("institution"));
  if (a.Has("name")) req.set_name(a.Get("name"));
  if (a.Has("phone")) req.set_phone(a.Get("phone"));
  if (a.Has("email")) req.set_email(a.Get("email"));
  if (a.Has("id-code")) req.set_id_code(a.Get("id-code"));
  if (req.role() == hop::v1::ROLE_UNSPECIFIED && !req.has_institution_id() && !req.has_name() &&
      !req.has_phone() && !req.has_email() && !req.has_id_code()) {
    return UsageError(
        "user update: give at least one of --role, --institution, --name, --phone, --email, "
        "--id-code");
  }
  HOP_ASSIGN_OR_RETURN(hop::v1::User updated, ctx.Admin(&Admin::Stub::UpdateUser, req));
  return ctx.Print(updated, RenderUser(updated, ctx.zone()));
}

std::vector<FlagSpec> ReasonFlag(const char* help) { return {Required("reason", "TEXT", help)}; }

}  // namespace

std::vector<Command> CaseWorkCommands() {
  return {
      {{"case end-service",
        "End a service of a case with its outcome",
        "CASE_ID SERVICE_ID",
        2,
        2,
        {Required("end-date", kDate, "the service's last day (today or earlier)"),
         Required("outcome", "CODE", "what came of it, a code of hopctl codes outcomes")},
        {"hopctl case end-service 0793-C000001 S1 --end-date 2025-05-31 --outcome goal-reached"}},
       &EndService},
      {{"case done",
        "Mark an action-plan item done, with an evaluation (stays on this node)",
        "CASE_ID ITEM_ID",
        2,
        2,
        {Required("evaluation", "TEXT", "what came of it"),
         Optional("date", kDate, "the day it was done (default today; not in the future)")},
        {"hopctl case done 0793-C000001 A1 --evaluation 'reads fluently now'",
         "hopctl case done 0793-C000001 A2 --evaluation 'family met twice' --date 2025-03-14"}},
       &Done},
      {{"case reopen",
        "Open a closed case again (coordinators, case managers, child protection)",
        "CASE_ID",
        1,
        1,
        ReasonFlag("why it is opened again (kept in the stage history)"),
        {"hopctl case reopen 0793-C000001 --reason 'difficulties returned in grade 3'"}},
       &Reopen},
      {{"case leave-protection",
        "Take a case off the child-protection track (child-protection specialists); it keeps "
        "its stage and responsible person",
        "CASE_ID",
        1,
        1,
        ReasonFlag("why the track ends (kept in the stage history)"),
        {"hopctl case leave-protection 0793-C000001 --reason 'no longer in need of protection'"}},
       &LeaveProtection},
      {{"directory retire-institution",
        "Retire an institution: kept here, removed from every peer's directory",
        "INSTITUTION_ID",
        1,
        1,
        ReasonFlag("why (closed, merged, left the network); kept in the audit log"),
        {"hopctl directory retire-institution 0793-I000004 --reason 'merged into 0793-I000001'"}},
       &RetireInstitution},
      {{"directory retire-contact",
        "Retire a contact person who left: kept here, removed from every peer's directory",
        "CONTACT_ID",
        1,
        1,
        ReasonFlag("why (left the job, new position); kept in the audit log"),
        {"hopctl directory retire-contact 0793-P000012 --reason 'left the school in June'"}},
       &RetireContact},
      {{"user update",
        "Change a staff user's role, institution, name, phone, e-mail or ID card (admins); "
        "the options not given stay, and peers get the new contact of the user's cases",
        "USER_ID",
        1,
        1,
        {Optional("role", "ROLE", RoleWords()),
         Optional("institution", "ID",
                  "their institution (teachers and coordinators; dropped when the new role "
                  "has none)"),
         Optional("name", "NAME", "the person's name"),
         Optional("phone", "PHONE", "work phone ('' clears it)"),
         Optional("email", "EMAIL", "work e-mail ('' clears it)"),
         Optional("id-code", "ISIKUKOOD", "their isikukood for ID-card sign-in ('' clears it)")},
        {"hopctl user update kati --phone '+372 5555 1234' --email kati.kask@tartu.ee",
         "hopctl user update mari --role coordinator --institution 0793-I000002"}},
       &UpdateUser},
  };
}

}  // namespace hop::client
