// Renderings of cases and case counts (render.h).
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/flag_values.h"
#include "client/output.h"
#include "client/render.h"

namespace hop::client {
namespace {

std::string YesNo(bool value) { return value ? "yes" : "no"; }

std::vector<std::string> RelatedItems(const hop::v1::RelatedMunicipalities& related) {
  std::vector<std::string> items;
  if (!related.registered_residence().empty()) {
    items.push_back(absl::StrCat("registered residence: ", related.registered_residence()));
  }
  if (!related.actual_residences().empty()) {
    items.push_back(
        absl::StrCat("actual residence: ", absl::StrJoin(related.actual_residences(), ", ")));
  }
  if (!related.institution_municipality().empty()) {
    items.push_back(absl::StrCat("institution municipality: ", related.institution_municipality()));
  }
  return items;
}

std::string ActionItemLine(const hop::v1::ActionItem& item) {
  std::vector<std::string> details;
  if (!item.responsible_user().empty()) {
    details.push_back(absl::StrCat("responsible ", item.responsible_user()));
  }
  if (!item.due_date().empty()) details.push_back(absl::StrCat("due ", item.due_date()));
  if (!item.evaluation_date().empty()) {
    details.push_back(absl::StrCat("evaluate ", item.evaluation_date()));
  }
  std::string line =
      absl::StrCat(item.id().empty() ? "" : absl::StrCat(item.id(), ": "), item.description());
  if (!details.empty()) absl::StrAppend(&line, " (", absl::StrJoin(details, "; "), ")");
  if (!item.done_date().empty()) {
    absl::StrAppend(&line, "; done ", item.done_date(), " by ", OrDash(item.done_by()), ": ",
                    item.evaluation());
  }
  return line;
}

std::string ServiceLine(const hop::v1::Service& s) {
  std::string line =
      absl::StrCat(s.id().empty() ? "" : absl::StrCat(s.id(), ": "),
                   CodeText(domain::CodeKind::kServiceType, s.type()), " by ", OrDash(s.provider()),
                   " in ", OrDash(s.municipality()), ", ", OrDash(s.start_date()), " to ",
                   s.end_date().empty() ? "ongoing" : s.end_date());
  if (!s.transport_payment_note().empty()) {
    absl::StrAppend(&line, "; transport/payment: ", s.transport_payment_note());
  }
  if (!s.outcome().empty()) {
    absl::StrAppend(&line, "; outcome: ", CodeText(domain::CodeKind::kOutcome, s.outcome()));
  }
  return line;
}

// What a history entry of an event that keeps the stage says (issue 13); null for stage moves
// and events rendered elsewhere.
const char* EventText(hop::v1::CaseEvent event) {
  switch (event) {
    case hop::v1::CASE_EVENT_CLOSED:
      return "closed";
    case hop::v1::CASE_EVENT_REOPENED:
      return "reopened";
    case hop::v1::CASE_EVENT_LEFT_CHILD_PROTECTION:
      return "left the child-protection track";
    default:
      return nullptr;
  }
}

std::string StatusText(const hop::v1::Case& c) {
  if (c.status() == hop::v1::CASE_CLOSED && !c.closing_reason().empty()) {
    return absl::StrCat("closed (", c.closing_reason(), ")");
  }
  return CaseStatusName(c.status());
}

// A stage move or the move onto the child-protection track.
std::string StageMoveText(const hop::v1::StageChange& change) {
  if (change.to_child_protection()) {
    return change.from_stage() == hop::v1::STAGE_UNSPECIFIED
               ? "opened on the child-protection track"
               : absl::StrCat("stage ", StageName(change.from_stage()),
                              " -> child-protection track");
  }
  if (change.from_stage() == hop::v1::STAGE_UNSPECIFIED) {
    return absl::StrCat("opened at stage ", StageName(change.to_stage()));
  }
  if (change.from_stage() == change.to_stage()) {
    return absl::StrCat("stage ", StageName(change.to_stage()));
  }
  return absl::StrCat(StageName(change.from_stage()), " -> ", StageName(change.to_stage()));
}

// Issue 13 (assignment and transitions): the assignees, the institutions the case left, and
// the history entries of those events ("" for other entries).
std::vector<std::string> AssigneeItems(const hop::v1::Case& c, absl::TimeZone zone) {
  std::vector<std::string> items;
  for (const hop::v1::Assignee& a : c.assignees()) {
    items.push_back(absl::StrCat(a.user_id(), ": ", OrDash(a.task()), " (since ",
                                 FormatTime(a.since(), zone), ", by ", OrDash(a.by_user()), ")"));
  }
  return items;
}

std::vector<std::string> FormerInstitutionItems(const hop::v1::Case& c, absl::TimeZone zone) {
  std::vector<std::string> items;
  for (const hop::v1::FormerInstitution& f : c.former_institutions()) {
    items.push_back(absl::StrCat(f.institution_id(), ": left ", FormatTime(f.left_at(), zone),
                                 "; reads what it wrote until ", FormatTime(f.read_until(), zone)));
  }
  return items;
}

std::string AssignmentEventText(const hop::v1::StageChange& change) {
  switch (change.event()) {
    case hop::v1::CASE_EVENT_INSTITUTION_CHANGED:
      return absl::StrCat("institution ", OrDash(change.from_institution()), " -> ",
                          OrDash(change.to_institution()));
    case hop::v1::CASE_EVENT_ASSIGNED:
      return "assigned";
    default:
      return "";
  }
}

}  // namespace

std::string RenderStageChange(const hop::v1::StageChange& change, absl::TimeZone zone) {
  std::string what = AssignmentEventText(change);  // issue 13; "" for other events
  if (const char* event = EventText(change.event()); what.empty() && event != nullptr) {
    what = absl::StrCat(event, " at stage ", StageName(change.to_stage()));
  }
  if (what.empty()) what = StageMoveText(change);
  return absl::StrCat(FormatTime(change.at(), zone), "  ", what, "  by ", OrDash(change.by_user()),
                      ": ", OrDash(change.reason()));
}

std::string RenderCase(const hop::v1::Case& c, absl::TimeZone zone) {
  KeyValueBlock block;
  block.Add("case", c.id());
  block.Add("origin", c.origin());
  block.Add("child", absl::StrCat(c.child().isikukood(), " ", c.child().name()));
  block.Add("level", LevelName(c.level()));
  block.Add("stage", StageName(c.stage()));
  block.Add("child-protection track", YesNo(c.child_protection()));
  block.Add("institution", c.institution_id());
  block.Add("responsible", c.responsible_user());
  block.Add("case manager", c.case_manager());
  // Issue 13: shown only when there are any.
  if (c.assignees_size() > 0) block.AddList("assignees", AssigneeItems(c, zone));
  if (c.former_institutions_size() > 0) {
    block.AddList("former institutions", FormerInstitutionItems(c, zone));
  }
  block.AddList("related municipalities", RelatedItems(c.related()));
  block.Add("needs", JoinOrDash(CodeTexts(domain::CodeKind::kNeedArea, c.need_areas())));
  std::vector<std::string> plan, services, assessments, notes, history;
  for (const auto& item : c.action_plan()) plan.push_back(ActionItemLine(item));
  for (const auto& s : c.services()) services.push_back(ServiceLine(s));
  for (const auto& a : c.assessments()) {
    assessments.push_back(absl::StrCat(OrDash(a.date()), ": ", a.conclusion(),
                                       a.by_user().empty() ? "" : " (by " + a.by_user() + ")"));
  }
  for (const auto& n : c.notes()) {
    notes.push_back(
        absl::StrCat(FormatTime(n.at(), zone), "  ", OrDash(n.by_user()), ": ", n.text()));
  }
  for (const auto& h : c.history()) history.push_back(RenderStageChange(h, zone));
  block.AddList("action plan", std::move(plan));
  block.AddList("services", std::move(services));
  block.AddList("assessments", std::move(assessments));
  block.AddList("notes", std::move(notes));
  block.Add("status", StatusText(c));
  block.Add("created", FormatTime(c.created_at(), zone));
  block.Add("updated", FormatTime(c.updated_at(), zone));
  block.AddList("stage history", std::move(history));
  return block.Render();
}

std::string RenderCaseTable(const std::vector<hop::v1::Case>& cases, absl::TimeZone zone) {
  if (cases.empty()) return "no cases\n";
  Table table({"CASE", "CHILD", "NAME", "LEVEL", "STAGE", "CP", "STATUS", "INSTITUTION",
               "RESPONSIBLE", "UPDATED"});
  for (const hop::v1::Case& c : cases) {
    table.AddRow({c.id(), c.child().isikukood(), c.child().name(), LevelName(c.level()),
                  StageName(c.stage()), c.child_protection() ? "yes" : "no",
                  CaseStatusName(c.status()), OrDash(c.institution_id()),
                  OrDash(c.responsible_user()), FormatTime(c.updated_at(), zone)});
  }
  return table.Render();
}

std::string RenderCounts(const hop::v1::CountCasesResponse& counts) {
  std::string out;
  bool any_suppressed = false;
  if (counts.counts().empty()) {
    out = "no cases\n";
  } else {
    Table table({"LEVEL", "STAGE", "CP", "STATUS", "COUNT"});
    for (const hop::v1::CaseCount& row : counts.counts()) {
      table.AddRow({LevelName(row.level()), StageName(row.stage()),
                    row.child_protection() ? "yes" : "no", CaseStatusName(row.status()),
                    row.suppressed() ? "<5" : absl::StrCat(row.count())});
      any_suppressed = any_suppressed || row.suppressed();
    }
    out = table.Render();
  }
  // A total under 5 is suppressed too (sent as 0 with rows present).
  const bool total_hidden = counts.total() == 0 && !counts.counts().empty();
  absl::StrAppend(&out, "total: ", total_hidden ? "<5" : absl::StrCat(counts.total()), "\n");
  if (any_suppressed || total_hidden) {
    absl::StrAppend(&out,
                    "<5: fewer than 5 cases, or a count that would reveal one (suppressed)\n");
  }
  return out;
}

}  // namespace hop::client
