// CaseBook, issue 13 "case work, complete": ending services, action items done, reopening a
// closed case, leaving the child-protection track (contracts in case_book.h).
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "daemon/base/status_macros.h"
#include "daemon/casework/case_book.h"
#include "daemon/domain/code_lists.h"
#include "daemon/domain/fields.h"
#include "daemon/domain/isikukood.h"
#include "daemon/domain/limits.h"
#include "daemon/domain/stages.h"

namespace hop::casework {
namespace {

using hop::v1::Case;

// The county outcome code of a service still running: never the outcome of an ended one.
constexpr char kOngoing[] = "ongoing";

// A history entry for an event that keeps the stage (closed, reopened, left the track).
void AddEvent(Case& c, const domain::Actor& actor, int64_t at, hop::v1::CaseEvent event,
              const std::string& reason) {
  hop::v1::StageChange* change = c.add_history();
  change->set_from_stage(c.stage());
  change->set_to_stage(c.stage());
  change->set_by_user(actor.user_id);
  change->set_at(at);
  change->set_reason(reason);
  change->set_event(event);
}

// `date` (a valid YYYY-MM-DD) is not after `today`, else InvalidArgument naming `field`.
absl::Status CheckNotFuture(const std::string& date, const std::string& today,
                            absl::string_view field) {
  if (date <= today) return absl::OkStatus();  // ISO dates sort as strings
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", date, " is in the future (today is ",
                                                 today, "); give the day it happened"));
}

// The item of `c`'s list `items` (services, action plan) with `id`, or NotFound naming
// `field` and the ids the case has.
template <typename T>
absl::StatusOr<T*> FindById(const Case& c, google::protobuf::RepeatedPtrField<T>* items,
                            const std::string& id, absl::string_view field,
                            absl::string_view what) {
  std::vector<std::string> ids;
  for (T& item : *items) {
    if (item.id() == id) return &item;
    ids.push_back(item.id());
  }
  return absl::NotFoundError(
      absl::StrCat(field, ": case ", c.id(), " has no ", what, " \"", id, "\" (its ", what,
                   "s: ", ids.empty() ? "none" : absl::StrJoin(ids, ", "), ")"));
}

}  // namespace

absl::StatusOr<Case> CaseBook::EndService(const domain::Actor& actor,
                                          const hop::v1::EndServiceRequest& req) {
  const std::string today =
      absl::FormatCivilTime(domain::EstonianToday(records_->clock().NowUnix()));
  return Change(actor, req.case_id(), [&](Case& c, Mutation&) -> absl::Status {
    HOP_ASSIGN_OR_RETURN(
        hop::v1::Service * service,
        FindById(c, c.mutable_services(), req.service_id(), "service_id", "service"));
    if (!service->outcome().empty() && !service->end_date().empty() &&
        service->end_date() <= today) {
      return absl::FailedPreconditionError(
          absl::StrCat("service ", service->id(), " of case ", c.id(), " ended on ",
                       service->end_date(), " with outcome ", service->outcome(),
                       "; an ended service is not ended again (add a new service instead)"));
    }
    HOP_RETURN_IF_ERROR(domain::ValidateDate(req.end_date(), "end_date"));
    HOP_RETURN_IF_ERROR(CheckNotFuture(req.end_date(), today, "end_date"));
    if (req.end_date() < service->start_date()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "end_date: ", req.end_date(), " is before the service's start ", service->start_date()));
    }
    if (req.outcome().empty()) {
      return absl::InvalidArgumentError(
          "outcome: required; a code of the county's outcome list (hopctl codes outcomes)");
    }
    HOP_RETURN_IF_ERROR(
        domain::CountyCodes().CheckNew(domain::CodeKind::kOutcome, req.outcome(), "outcome"));
    if (req.outcome() == kOngoing) {
      return absl::InvalidArgumentError(
          "outcome: \"ongoing\" is not the outcome of an ended service; give what came of it, "
          "e.g. goal-reached, improved, stable (hopctl codes outcomes)");
    }
    service->set_end_date(req.end_date());
    service->set_outcome(req.outcome());
    return absl::OkStatus();
  });
}

absl::StatusOr<Case> CaseBook::CompleteActionItem(const domain::Actor& actor,
                                                  const hop::v1::CompleteActionItemRequest& req) {
  const std::string today =
      absl::FormatCivilTime(domain::EstonianToday(records_->clock().NowUnix()));
  return Change(actor, req.case_id(), [&](Case& c, Mutation&) -> absl::Status {
    HOP_ASSIGN_OR_RETURN(
        hop::v1::ActionItem * item,
        FindById(c, c.mutable_action_plan(), req.item_id(), "item_id", "action item"));
    if (!item->done_date().empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("action item ", item->id(), " of case ", c.id(), " was marked done on ",
                       item->done_date(), " by ", item->done_by(),
                       "; add a note or a new action item for what followed"));
    }
    HOP_ASSIGN_OR_RETURN(std::string evaluation,
                         domain::CleanText(req.evaluation(), "evaluation", domain::kText));
    const std::string done = req.done_date().empty() ? today : req.done_date();
    HOP_RETURN_IF_ERROR(domain::ValidateDate(done, "done_date"));
    HOP_RETURN_IF_ERROR(CheckNotFuture(done, today, "done_date"));
    item->set_done_date(done);
    item->set_evaluation(std::move(evaluation));
    item->set_done_by(actor.user_id);
    return absl::OkStatus();
  });
}

absl::StatusOr<Case> CaseBook::Reopen(const domain::Actor& actor,
                                      const hop::v1::ReopenCaseRequest& req) {
  Case result;
  HOP_RETURN_IF_ERROR(records_->Mutate([&](Mutation& m) -> absl::Status {
    // The whole case (never a reader's redacted view), and only for one who may work on it.
    HOP_ASSIGN_OR_RETURN(result, Load(req.case_id()));
    HOP_RETURN_IF_ERROR(domain::CheckCaseAccess(actor, result, m.now(), domain::CaseAccess::kFull));
    if (result.status() != hop::v1::CASE_CLOSED) {
      return absl::FailedPreconditionError(
          absl::StrCat("case ", result.id(), " is not closed; only a closed case is reopened"));
    }
    HOP_ASSIGN_OR_RETURN(const std::string reason,
                         domain::CleanText(req.reason(), "reason", domain::kText));
    const Case before = result;
    AddEvent(result, actor, m.now(), hop::v1::CASE_EVENT_REOPENED, reason);
    result.set_status(hop::v1::CASE_OPEN);
    result.clear_closing_reason();
    HOP_RETURN_IF_ERROR(domain::CheckCaseChange(before, result));
    m.UnindexClosedCase(before);  // the retention sweep purges closed cases only
    m.PutCase(result);
    return feeds_->CaseChanged(m, result);
  }));
  return result;
}

absl::StatusOr<Case> CaseBook::LeaveChildProtection(
    const domain::Actor& actor, const hop::v1::LeaveChildProtectionRequest& req) {
  return Change(actor, req.case_id(), [&](Case& c, Mutation& m) -> absl::Status {
    if (!c.child_protection()) {
      return absl::FailedPreconditionError(
          absl::StrCat("case ", c.id(), " is not on the child-protection track"));
    }
    HOP_ASSIGN_OR_RETURN(const std::string reason,
                         domain::CleanText(req.reason(), "reason", domain::kText));
    AddEvent(c, actor, m.now(), hop::v1::CASE_EVENT_LEFT_CHILD_PROTECTION, reason);
    c.set_child_protection(false);
    return absl::OkStatus();
  });
}

void CaseBook::AddCloseEvent(const domain::Actor& actor, int64_t at, const std::string& reason,
                             Case& c) {
  AddEvent(c, actor, at, hop::v1::CASE_EVENT_CLOSED, reason);
}

}  // namespace hop::casework
