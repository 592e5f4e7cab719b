// hopctl case open|get|list|escalate|protect|close|counts: the case path (CaseWork).
// The commands that add to a case (need, plan, service, ...) are in commands_case_edit.cc;
// case assign and case move-institution in commands_assign.cc.
#include "absl/strings/str_cat.h"
#include "client/command.h"
#include "client/commands_case_common.h"
#include "client/flag_values.h"
#include "client/render.h"

namespace hop::client {
namespace {

using hop::v1::CaseWork;

constexpr char kIk[] = "ISIKUKOOD";

absl::Status Open(CommandContext& ctx) {
  const ParsedArgs& a = ctx.args();
  hop::v1::OpenCaseRequest req;
  req.mutable_child()->set_isikukood(a.Get("child"));
  req.mutable_child()->set_name(a.Get("name"));
  HOP_ASSIGN_OR_RETURN(hop::v1::Level level, ParseLevel("level", a.Get("level")));
  req.set_level(level);
  req.set_institution_id(a.Get("institution"));
  for (const std::string& need : a.GetAll("need")) req.add_need_areas(need);
  req.set_reason(a.Get("reason"));
  HOP_ASSIGN_OR_RETURN(hop::v1::Case opened, ctx.CaseWork(&CaseWork::Stub::OpenCase, req));
  return ctx.Print(opened, absl::StrCat(opened.id(), "\n\n", RenderCase(opened, ctx.zone())));
}

absl::Status Get(CommandContext& ctx) {
  hop::v1::GetCaseRequest req;
  req.set_case_id(ctx.args().positionals[0]);
  return PrintCase(ctx, ctx.CaseWork(&CaseWork::Stub::GetCase, req));
}

absl::Status List(CommandContext& ctx) {
  const ParsedArgs& a = ctx.args();
  hop::v1::ListCasesRequest req;
  if (a.Has("stage")) {
    HOP_ASSIGN_OR_RETURN(hop::v1::Stage stage, ParseStage("stage", a.Get("stage")));
    req.set_stage(stage);
  }
  if (a.Has("status")) {
    HOP_ASSIGN_OR_RETURN(hop::v1::CaseStatus status, ParseCaseStatus("status", a.Get("status")));
    req.set_status(status);
  }
  req.set_institution_id(a.Get("institution"));
  req.set_child_isikukood(a.Get("child"));
  req.set_child_protection_only(a.Has("child-protection"));
  uint32_t limit = 0;  // 0: no limit, follow every page
  if (a.Has("limit")) {
    HOP_ASSIGN_OR_RETURN(limit, ParsePositive("limit", a.Get("limit"), 1000000));
  }
  hop::v1::ListCasesResponse all;
  while (true) {
    if (limit > 0) {
      req.set_limit(std::min<uint32_t>(1000, limit - static_cast<uint32_t>(all.cases_size())));
    }
    HOP_ASSIGN_OR_RETURN(hop::v1::ListCasesResponse page,
                         ctx.CaseWork(&CaseWork::Stub::ListCases, req));
    for (hop::v1::Case& c : *page.mutable_cases()) {
      if (limit > 0 && static_cast<uint32_t>(all.cases_size()) >= limit) break;
      *all.add_cases() = std::move(c);
    }
    all.set_next_page_token(page.next_page_token());
    // A server that repeats its token would loop forever: stop on no progress.
    if (page.next_page_token().empty() || page.next_page_token() == req.page_token()) break;
    if (limit > 0 && static_cast<uint32_t>(all.cases_size()) >= limit) break;
    req.set_page_token(page.next_page_token());
  }
  std::vector<hop::v1::Case> cases(all.cases().begin(), all.cases().end());
  std::string human = RenderCaseTable(cases, ctx.zone());
  if (limit > 0 && !all.next_page_token().empty()) {
    absl::StrAppend(&human, "(more cases: stopped at --limit ", limit, ")\n");
  }
  return ctx.Print(all, human);
}

absl::Status Escalate(CommandContext& ctx) {
  hop::v1::EscalateRequest req;
  req.set_case_id(ctx.args().positionals[0]);
  HOP_ASSIGN_OR_RETURN(hop::v1::Stage stage, ParseStage("to", ctx.args().Get("to")));
  req.set_to_stage(stage);
  req.set_reason(ctx.args().Get("reason"));
  return PrintCase(ctx, ctx.CaseWork(&CaseWork::Stub::Escalate, req));
}

absl::Status Protect(CommandContext& ctx) {
  hop::v1::MoveToChildProtectionRequest req;
  req.set_case_id(ctx.args().positionals[0]);
  req.set_reason(ctx.args().Get("reason"));
  return PrintCase(ctx, ctx.CaseWork(&CaseWork::Stub::MoveToChildProtection, req));
}

absl::Status Close(CommandContext& ctx) {
  hop::v1::CloseCaseRequest req;
  req.set_case_id(ctx.args().positionals[0]);
  req.set_reason(ctx.args().Get("reason"));
  return PrintCase(ctx, ctx.CaseWork(&CaseWork::Stub::CloseCase, req));
}

absl::Status Counts(CommandContext& ctx) {
  HOP_ASSIGN_OR_RETURN(hop::v1::CountCasesResponse counts,
                       ctx.CaseWork(&CaseWork::Stub::CountCases, hop::v1::CountCasesRequest()));
  return ctx.Print(counts, RenderCounts(counts));
}

}  // namespace

absl::Status PrintCase(CommandContext& ctx, const absl::StatusOr<hop::v1::Case>& result) {
  if (!result.ok()) return result.status();
  return ctx.Print(*result, RenderCase(*result, ctx.zone()));
}

std::vector<Command> CaseCommands() {
  std::vector<Command> commands = {
      {{"case open",
        "Open a support case at stage I for a child of your institution",
        "",
        0,
        0,
        {Required("child", kIk, "the child's personal code"),
         Required("name", "NAME", "the child's name"),
         Required("level", "kindergarten|school|municipality", "where the need was noticed"),
         Required("institution", "ID", "the institution id, e.g. 0793-I000001"),
         Repeated("need", "CODE", "a need area code, e.g. speech (hopctl codes need-areas)"),
         Optional("reason", "TEXT", "why the case is opened (goes into the stage history)")},
        {"hopctl case open --child 60001019906 --name 'Mari Maasikas' --level school "
         "--institution 0793-I000001 --need speech --reason 'reading difficulties'"}},
       &Open},
      {{"case get", "Show one case in full", "CASE_ID", 1, 1, {}, {"hopctl case get 0793-C000001"}},
       &Get},
      {{"case list",
        "List the cases you may see (all pages)",
        "",
        0,
        0,
        {Optional("stage", "I|II|III", "only cases at this stage"),
         Optional("status", "open|closed", "only cases with this status"),
         Optional("institution", "ID", "only cases of this institution"),
         Optional("child", kIk, "only cases of this child"),
         Boolean("child-protection", "only cases on the child-protection track"),
         Optional("limit", "N", "show at most N cases")},
        {"hopctl case list --stage II --status open"}},
       &List},
      {{"case escalate",
        "Move a case to the next stage",
        "CASE_ID",
        1,
        1,
        {Required("to", "II|III", "the stage to move to"),
         Required("reason", "TEXT", "why (goes into the stage history)")},
        {"hopctl case escalate 0793-C000001 --to II --reason 'support at stage I not enough'"}},
       &Escalate},
      {{"case protect",
        "Move a case onto the child-protection track",
        "CASE_ID",
        1,
        1,
        {Required("reason", "TEXT", "why the child needs protection")},
        {"hopctl case protect 0793-C000001 --reason 'child in danger'"}},
       &Protect},
  };
  for (Command& c : CaseEditCommands()) commands.push_back(std::move(c));
  commands.push_back({{"case close",
                       "Close a case with a reason",
                       "CASE_ID",
                       1,
                       1,
                       {Required("reason", "TEXT", "why the case is closed")},
                       {"hopctl case close 0793-C000001 --reason 'goals reached'"}},
                      &Close});
  commands.push_back({{"case counts",
                       "Count cases by level, stage, track and status (no personal data)",
                       "",
                       0,
                       0,
                       {},
                       {"hopctl case counts"}},
                      &Counts});
  return commands;
}

}  // namespace hop::client
