// CaseBook: assignment and transitions inside the municipality (issue 13; case_book.h).
#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "daemon/base/status_macros.h"
#include "daemon/casework/case_book.h"
#include "daemon/domain/fields.h"
#include "daemon/domain/limits.h"
#include "daemon/domain/stages.h"

namespace hop::casework {
namespace {

using hop::v1::Case;

constexpr int64_t kSecondsPerDay = 24 * 60 * 60;

// A history entry that records an event, not a stage move: the stage and track stay.
hop::v1::StageChange* AppendEvent(Case& c, const domain::Actor& actor, int64_t at,
                                  hop::v1::CaseEvent event, std::string reason) {
  hop::v1::StageChange* change = c.add_history();
  change->set_from_stage(c.stage());
  change->set_to_stage(c.stage());
  change->set_to_child_protection(c.child_protection());
  change->set_by_user(actor.user_id);
  change->set_at(at);
  change->set_reason(std::move(reason));
  change->set_event(event);
  return change;
}

std::vector<std::string> AssigneeIds(const Case& c) {
  std::vector<std::string> ids;
  for (const hop::v1::Assignee& a : c.assignees()) ids.push_back(a.user_id());
  return ids;
}

// Removes the request's remove_assignees from `c`; each must be an assignee.
absl::Status RemoveAssignees(const hop::v1::AssignRequest& req, Case& c,
                             std::vector<std::string>& summary) {
  std::set<std::string> seen;
  for (int i = 0; i < req.remove_assignees_size(); ++i) {
    const std::string& id = req.remove_assignees(i);
    const std::string field = absl::StrCat("remove_assignees[", i, "]");
    auto* list = c.mutable_assignees();
    auto it = std::find_if(list->begin(), list->end(),
                           [&](const hop::v1::Assignee& a) { return a.user_id() == id; });
    if (it == list->end() || !seen.insert(id).second) {
      const std::vector<std::string> now = AssigneeIds(c);
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": \"", id, "\" is not assigned to case ", c.id(), " (its assignees: ",
          now.empty() ? "none" : absl::StrJoin(now, ", "), "); nothing changed"));
    }
    list->erase(it);
    summary.push_back(absl::StrCat("removed ", id));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Case> CaseBook::Assign(const domain::Actor& actor,
                                      const hop::v1::AssignRequest& req) {
  if (req.responsible_user().empty() && req.case_manager().empty() && req.add_assignees().empty() &&
      req.remove_assignees().empty()) {
    return absl::InvalidArgumentError(
        "responsible_user, case_manager, add_assignees, remove_assignees: give at least one "
        "(a user id to assign, or an assignee to add or remove)");
  }
  HOP_RETURN_IF_ERROR(domain::CheckCount(req.add_assignees_size(), domain::kMaxAssignees,
                                         "add_assignees", "assignees per case"));
  HOP_RETURN_IF_ERROR(domain::CheckCount(req.remove_assignees_size(), domain::kMaxAssignees,
                                         "remove_assignees", "assignees per case"));
  return Change(actor, req.case_id(), [&](Case& c, Mutation& m) -> absl::Status {
    std::vector<std::string> summary;
    if (!req.responsible_user().empty()) {
      HOP_RETURN_IF_ERROR(
          CheckUser(req.responsible_user(), domain::kAssignableRoles, "responsible_user"));
      c.set_responsible_user(req.responsible_user());
      summary.push_back(absl::StrCat("responsible ", req.responsible_user()));
    }
    if (!req.case_manager().empty()) {
      HOP_RETURN_IF_ERROR(CheckUser(req.case_manager(),
                                    {hop::v1::ROLE_CASE_MANAGER, hop::v1::ROLE_CHILD_PROTECTION},
                                    "case_manager"));
      c.set_case_manager(req.case_manager());
      summary.push_back(absl::StrCat("case manager ", req.case_manager()));
    }
    HOP_RETURN_IF_ERROR(RemoveAssignees(req, c, summary));
    for (int i = 0; i < req.add_assignees_size(); ++i) {
      const hop::v1::Assignee& in = req.add_assignees(i);
      const std::string field = absl::StrCat("add_assignees[", i, "]");
      if (in.user_id().empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, ".user_id: required; the user to assign (see hopctl user list)"));
      }
      HOP_RETURN_IF_ERROR(
          CheckUser(in.user_id(), domain::kAssignableRoles, absl::StrCat(field, ".user_id")));
      const std::vector<std::string> ids = AssigneeIds(c);
      if (std::find(ids.begin(), ids.end(), in.user_id()) != ids.end()) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, ".user_id: ", in.user_id(), " is already assigned to case ", c.id(),
                         "; remove them in the same request to change the task"));
      }
      HOP_ASSIGN_OR_RETURN(std::string task,
                           domain::CleanText(in.task(), absl::StrCat(field, ".task"),
                                             domain::TextRule{domain::TextShape::kLine, true,
                                                              domain::kMaxAssigneeTaskBytes}));
      hop::v1::Assignee* added = c.add_assignees();
      added->set_user_id(in.user_id());
      added->set_task(std::move(task));
      added->set_since(m.now());
      added->set_by_user(actor.user_id);
      summary.push_back(absl::StrCat("added ", in.user_id()));
    }
    AppendEvent(c, actor, m.now(), hop::v1::CASE_EVENT_ASSIGNED, absl::StrJoin(summary, "; "));
    return absl::OkStatus();
  });
}

absl::StatusOr<Case> CaseBook::ChangeInstitution(const domain::Actor& actor,
                                                 const hop::v1::ChangeInstitutionRequest& req) {
  if (req.institution_id().empty()) {
    return absl::InvalidArgumentError(
        "institution_id: required; the institution of this municipality the child moved to "
        "(see hopctl directory search)");
  }
  HOP_ASSIGN_OR_RETURN(std::string reason,
                       domain::CleanText(req.reason(), "reason", domain::kText));
  HOP_ASSIGN_OR_RETURN(std::optional<hop::v1::Institution> to,
                       records_->GetInstitution(req.institution_id()));
  if (!to.has_value() || to->municipality() != records_->municipality()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "institution_id: \"", req.institution_id(),
        "\" is not an institution of this municipality's directory (see hopctl directory "
        "search); a child who moves to another municipality is handed over, not moved"));
  }
  if (to->retired_at() != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("institution_id: ", to->id(), " (", to->name(),
                     ") is retired; choose an institution in the network"));
  }
  return Change(actor, req.case_id(), [&](Case& c, Mutation& m) -> absl::Status {
    HOP_RETURN_IF_ERROR(CheckCanMove(actor, c, req));
    HOP_ASSIGN_OR_RETURN(const std::string responsible, NewResponsible(c, req));
    HOP_RETURN_IF_ERROR(DropInstitutionAssignees(c, c.institution_id()));
    const std::string from = c.institution_id();
    // Former institutions whose period is over grant nothing: they are not kept, so the list
    // holds only the moves of one period (domain::kMaxFormerInstitutions bounds it).
    auto* formers = c.mutable_former_institutions();
    formers->erase(std::remove_if(formers->begin(), formers->end(),
                                  [&](const hop::v1::FormerInstitution& f) {
                                    return f.read_until() <= m.now();
                                  }),
                   formers->end());
    hop::v1::FormerInstitution* former = c.add_former_institutions();
    former->set_institution_id(from);
    former->set_left_at(m.now());
    former->set_read_until(m.now() +
                           int64_t{options_.former_institution_read_days} * kSecondsPerDay);
    hop::v1::StageChange* change =
        AppendEvent(c, actor, m.now(), hop::v1::CASE_EVENT_INSTITUTION_CHANGED, reason);
    change->set_from_institution(from);
    change->set_to_institution(to->id());
    c.set_institution_id(to->id());
    c.set_responsible_user(responsible);
    return absl::OkStatus();
  });
}

absl::Status CaseBook::CheckCanMove(const domain::Actor& actor, const Case& c,
                                    const hop::v1::ChangeInstitutionRequest& req) const {
  const bool may = actor.role == hop::v1::ROLE_CASE_MANAGER ||
                   actor.role == hop::v1::ROLE_CHILD_PROTECTION ||
                   (actor.role == hop::v1::ROLE_INSTITUTION_COORDINATOR &&
                    actor.institution_id == c.institution_id());
  if (!may) {
    return absl::PermissionDeniedError(absl::StrCat(
        domain::RoleName(actor.role), " ", actor.user_id, " may not move case ", c.id(),
        " to another institution: its institution's coordinator, a case manager or a "
        "child-protection specialist does"));
  }
  if (req.institution_id() == c.institution_id()) {
    return absl::InvalidArgumentError(absl::StrCat("institution_id: case ", c.id(),
                                                   " is already at ", c.institution_id(),
                                                   "; give the institution the child moved to"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> CaseBook::NewResponsible(
    const Case& c, const hop::v1::ChangeInstitutionRequest& req) const {
  const std::string& who = req.responsible_user();
  if (c.child_protection() || c.stage() == hop::v1::STAGE_III) {
    if (!who.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("responsible_user: case ", c.id(), " stays with its responsible person ",
                       c.responsible_user().empty() ? "(none yet)" : c.responsible_user(),
                       c.child_protection() ? " on the child-protection track" : " at stage III",
                       "; leave it out (hopctl case assign changes it)"));
    }
    return c.responsible_user();
  }
  const bool stage_ii = c.stage() == hop::v1::STAGE_II;
  if (who.empty()) {
    if (!stage_ii) return std::string();
    return absl::InvalidArgumentError(
        absl::StrCat("responsible_user: required at stage II; the coordinator of ",
                     req.institution_id(), " who takes the case over (see hopctl user list)"));
  }
  const hop::v1::Role role =
      stage_ii ? hop::v1::ROLE_INSTITUTION_COORDINATOR : hop::v1::ROLE_TEACHER;
  HOP_RETURN_IF_ERROR(CheckUser(who, {role}, "responsible_user"));
  HOP_ASSIGN_OR_RETURN(std::optional<hop::v1::User> user, records_->GetUser(who));
  if (!user.has_value() || user->institution_id() != req.institution_id()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "responsible_user: ", who, " is a ", domain::RoleName(role), " of ",
        user.has_value() ? user->institution_id() : "-", ", not of ", req.institution_id(),
        "; give a ", domain::RoleName(role), " of the new institution"));
  }
  return who;
}

absl::Status CaseBook::DropInstitutionAssignees(Case& c, const std::string& institution) const {
  auto* list = c.mutable_assignees();
  for (int i = list->size() - 1; i >= 0; --i) {
    HOP_ASSIGN_OR_RETURN(std::optional<hop::v1::User> user,
                         records_->GetUser(list->Get(i).user_id()));
    if (user.has_value() && user->institution_id() == institution) list->DeleteSubrange(i, 1);
  }
  return absl::OkStatus();
}

}  // namespace hop::casework
