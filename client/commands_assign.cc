// hopctl case assign|move-institution: who works on a case, and a case following the child to
// another institution of the municipality (issue 13; CaseWork.Assign, ChangeInstitution).
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "client/args.h"
#include "client/command.h"
#include "client/commands_case_common.h"
#include "daemon/base/status_macros.h"

namespace hop::client {
namespace {

using hop::v1::CaseWork;

// "USER_ID:TASK" of --add-assignee.
absl::StatusOr<hop::v1::Assignee> ParseAssignee(absl::string_view text) {
  std::pair<absl::string_view, absl::string_view> parts =
      absl::StrSplit(text, absl::MaxSplits(':', 1));
  const absl::string_view user = absl::StripAsciiWhitespace(parts.first);
  const absl::string_view task = absl::StripAsciiWhitespace(parts.second);
  if (user.empty() || task.empty()) {
    return UsageError(absl::StrCat(
        "--add-assignee: expected USER_ID:TASK, e.g. ode:'school nurse: suicide risk', got '", text,
        "'"));
  }
  hop::v1::Assignee assignee;
  assignee.set_user_id(std::string(user));
  assignee.set_task(std::string(task));
  return assignee;
}

absl::Status Assign(CommandContext& ctx) {
  const ParsedArgs& a = ctx.args();
  if (a.Get("responsible").empty() && a.Get("case-manager").empty() &&
      a.GetAll("add-assignee").empty() && a.GetAll("remove-assignee").empty()) {
    return UsageError(
        "case assign: give --responsible USER, --case-manager USER, --add-assignee USER:TASK "
        "and/or --remove-assignee USER");
  }
  hop::v1::AssignRequest req;
  req.set_case_id(a.positionals[0]);
  req.set_responsible_user(a.Get("responsible"));
  req.set_case_manager(a.Get("case-manager"));
  for (const std::string& text : a.GetAll("add-assignee")) {
    HOP_ASSIGN_OR_RETURN(*req.add_add_assignees(), ParseAssignee(text));
  }
  for (const std::string& user : a.GetAll("remove-assignee")) req.add_remove_assignees(user);
  return PrintCase(ctx, ctx.CaseWork(&CaseWork::Stub::Assign, req));
}

absl::Status MoveInstitution(CommandContext& ctx) {
  const ParsedArgs& a = ctx.args();
  hop::v1::ChangeInstitutionRequest req;
  req.set_case_id(a.positionals[0]);
  req.set_institution_id(a.Get("to"));
  req.set_reason(a.Get("reason"));
  req.set_responsible_user(a.Get("responsible"));
  return PrintCase(ctx, ctx.CaseWork(&CaseWork::Stub::ChangeInstitution, req));
}

}  // namespace

std::vector<Command> AssignCommands() {
  return {
      {{"case assign",
        "Set who works on a case: responsible person, case manager, assignees",
        "CASE_ID",
        1,
        1,
        {Optional("responsible", "USER",
                  "responsible user for the current stage (a case worker or a support "
                  "specialist, e.g. the school nurse)"),
         Optional("case-manager", "USER", "the municipality's case manager"),
         Repeated("add-assignee", "USER:TASK",
                  "assign a person who may then work on this case whatever their role's "
                  "rights elsewhere (at most 20 per case; task at most 200 bytes)"),
         Repeated("remove-assignee", "USER",
                  "end an assignment (removals come first: remove and add again to change a "
                  "task)")},
        {"hopctl case assign 0793-C000001 --case-manager kati",
         "hopctl case assign 0793-C000001 --responsible ode --add-assignee 'ode:suicide risk'",
         "hopctl case assign 0793-C000001 --add-assignee 'sirje:complex family' "
         "--remove-assignee ode"}},
       &Assign},
      {{"case move-institution",
        "Move a case with the child to another institution of this municipality",
        "CASE_ID",
        1,
        1,
        {Required("to", "INSTITUTION_ID", "the institution the child moved to (same municipality)"),
         Required("reason", "TEXT", "why (goes into the case history)"),
         Optional("responsible", "USER",
                  "who takes over: required at stage II (a coordinator of the new "
                  "institution), optional at stage I (a teacher there); at stage III the case "
                  "manager stays")},
        {"hopctl case move-institution 0793-C000001 --to 0793-I000002 --reason 'changed "
         "school' --responsible koord2"}},
       &MoveInstitution},
  };
}

}  // namespace hop::client
