// hopctl case need|plan|service|assess|note|relate: additions to a case (CaseWork).
#include <algorithm>

#include "absl/strings/str_join.h"
#include "client/commands_case_common.h"
#include "client/flag_values.h"

namespace hop::client {
namespace {

using hop::v1::CaseWork;

constexpr char kEhak[] = "EHAK";
constexpr char kDate[] = "YYYY-MM-DD";

// The value of an optional date option, checked; "" if absent.
absl::StatusOr<std::string> OptionalDate(const ParsedArgs& a, absl::string_view flag) {
  if (!a.Has(flag)) return std::string();
  return ParseDate(flag, a.Get(flag));
}

absl::Status Need(CommandContext& ctx) {
  const ParsedArgs& a = ctx.args();
  hop::v1::AddNeedsRequest req;
  req.set_case_id(a.positionals[0]);
  for (size_t i = 1; i < a.positionals.size(); ++i) req.add_need_areas(a.positionals[i]);
  return PrintCase(ctx, ctx.CaseWork(&CaseWork::Stub::AddNeeds, req));
}

absl::Status Plan(CommandContext& ctx) {
  const ParsedArgs& a = ctx.args();
  hop::v1::AddActionItemRequest req;
  req.set_case_id(a.positionals[0]);
  hop::v1::ActionItem* item = req.mutable_item();
  item->set_description(a.Get("description"));
  item->set_responsible_user(a.Get("responsible"));
  HOP_ASSIGN_OR_RETURN(*item->mutable_due_date(), OptionalDate(a, "due"));
  HOP_ASSIGN_OR_RETURN(*item->mutable_evaluation_date(), OptionalDate(a, "evaluate"));
  return PrintCase(ctx, ctx.CaseWork(&CaseWork::Stub::AddActionItem, req));
}

absl::Status AddService(CommandContext& ctx) {
  const ParsedArgs& a = ctx.args();
  hop::v1::AddServiceRequest req;
  req.set_case_id(a.positionals[0]);
  hop::v1::Service* s = req.mutable_service();
  s->set_type(a.Get("type"));
  s->set_provider(a.Get("provider"));
  s->set_municipality(a.Get("municipality"));
  HOP_ASSIGN_OR_RETURN(*s->mutable_start_date(), ParseDate("start", a.Get("start")));
  HOP_ASSIGN_OR_RETURN(*s->mutable_end_date(), OptionalDate(a, "end"));
  s->set_transport_payment_note(a.Get("transport-payment"));
  s->set_outcome(a.Get("outcome"));
  return PrintCase(ctx, ctx.CaseWork(&CaseWork::Stub::AddService, req));
}

absl::Status Assess(CommandContext& ctx) {
  const ParsedArgs& a = ctx.args();
  hop::v1::AddAssessmentRequest req;
  req.set_case_id(a.positionals[0]);
  HOP_ASSIGN_OR_RETURN(*req.mutable_assessment()->mutable_date(), ParseDate("date", a.Get("date")));
  req.mutable_assessment()->set_conclusion(a.Get("conclusion"));
  return PrintCase(ctx, ctx.CaseWork(&CaseWork::Stub::AddAssessment, req));
}

absl::Status Note(CommandContext& ctx) {
  const ParsedArgs& a = ctx.args();
  hop::v1::AddNoteRequest req;
  req.set_case_id(a.positionals[0]);
  req.set_text(absl::StrJoin(a.positionals.begin() + 1, a.positionals.end(), " "));
  return PrintCase(ctx, ctx.CaseWork(&CaseWork::Stub::AddNote, req));
}

// SetRelatedMunicipalities replaces all three; options not given keep the case's current
// values (read first with GetCase), so that setting one cannot silently clear the others.
// A relation ends only with --end-registered / --end-actual (the node checks the case has it).
absl::Status Relate(CommandContext& ctx) {
  const ParsedArgs& a = ctx.args();
  if (!a.Has("registered") && !a.Has("actual") && !a.Has("institution-municipality") &&
      !a.Has("end-registered") && !a.Has("end-actual")) {
    return UsageError(
        "case relate: give at least one of --registered, --actual, --institution-municipality, "
        "--end-registered, --end-actual");
  }
  const std::vector<std::string> actual = SplitList(a.GetAll("actual"));
  if (a.Has("actual") && actual.empty()) {
    return UsageError(
        "case relate: --actual is empty; to end an actual residence use --end-actual EHAK");
  }
  hop::v1::GetCaseRequest get;
  get.set_case_id(a.positionals[0]);
  HOP_ASSIGN_OR_RETURN(hop::v1::Case current, ctx.CaseWork(&CaseWork::Stub::GetCase, get));
  hop::v1::SetRelatedMunicipalitiesRequest req;
  req.set_case_id(a.positionals[0]);
  hop::v1::RelatedMunicipalities* related = req.mutable_related();
  *related = current.related();
  if (a.Has("registered")) related->set_registered_residence(a.Get("registered"));
  if (a.Has("actual")) {
    related->clear_actual_residences();
    for (const std::string& code : actual) related->add_actual_residences(code);
  }
  if (a.Has("institution-municipality")) {
    related->set_institution_municipality(a.Get("institution-municipality"));
  }
  if (a.Has("end-registered")) {
    req.set_end_registered_residence(true);
    if (!a.Has("registered")) related->clear_registered_residence();  // else the node refuses
  }
  for (const std::string& code : SplitList(a.GetAll("end-actual"))) {
    req.add_end_actual_residences(code);
    if (a.Has("actual")) continue;  // the node refuses a code both set and ended
    auto* list = related->mutable_actual_residences();
    list->erase(std::remove(list->begin(), list->end(), code), list->end());
  }
  return PrintCase(ctx, ctx.CaseWork(&CaseWork::Stub::SetRelatedMunicipalities, req));
}

}  // namespace

std::vector<Command> CaseEditCommands() {
  return {
      {{"case need",
        "Add need areas to a case: codes of the county list (hopctl codes need-areas)",
        "CASE_ID CODE...",
        2,
        -1,
        {},
        {"hopctl case need 0793-C000001 speech social"}},
       &Need},
      {{"case plan",
        "Add an action-plan item (tegevusplaan)",
        "CASE_ID",
        1,
        1,
        {Required("description", "TEXT", "what will be done"),
         Optional("responsible", "USER", "who is responsible for it"),
         Optional("due", kDate, "when it is due"),
         Optional("evaluate", kDate, "when it is evaluated")},
        {"hopctl case plan 0793-C000001 --description 'speech therapy twice a week' "
         "--responsible kati --due 2025-06-01 --evaluate 2025-03-01"}},
       &Plan},
      {{"case service",
        "Add a service given to the child",
        "CASE_ID",
        1,
        1,
        {Required("type", "CODE", "the kind of service, a code of hopctl codes service-types"),
         Optional("provider", "ID", "the providing institution's directory id"),
         Required("municipality", kEhak, "where it is provided"),
         Required("start", kDate, "first day"),
         Optional("end", kDate, "last day (omit while ongoing)"),
         Optional("transport-payment", "TEXT", "how transport and payment are agreed"),
         Optional("outcome", "CODE", "the result, a code of hopctl codes outcomes")},
        {"hopctl case service 0793-C000001 --type speech-therapy --provider 0793-I000002 "
         "--municipality 0793 --start 2025-01-10"}},
       &AddService},
      {{"case assess",
        "Add an interim assessment (vahehindamine)",
        "CASE_ID",
        1,
        1,
        {Required("date", kDate, "the day of the assessment"),
         Required("conclusion", "TEXT", "its conclusion")},
        {"hopctl case assess 0793-C000001 --date 2025-03-01 --conclusion 'reading improved'"}},
       &Assess},
      {{"case note",
        "Add a free-text note (stays on this node)",
        "CASE_ID TEXT...",
        2,
        -1,
        {},
        {"hopctl case note 0793-C000001 'mother called, meeting on Friday'"}},
       &Note},
      {{"case relate",
        "Set or end the municipalities a case relates to (residence, institution)",
        "CASE_ID",
        1,
        1,
        {Optional("registered", kEhak, "municipality of registered residence"),
         Optional("actual", "EHAK[,EHAK]",
                  "municipalities of actual residence (replaces the list)"),
         Optional("institution-municipality", kEhak, "municipality of the institution"),
         Boolean("end-registered",
                 "the registered residence ended: clear it (a municipality that saw the case "
                 "only through it loses its copy at once)"),
         Optional("end-actual", "EHAK[,EHAK]",
                  "actual residences that ended: remove them (their copies go at once)")},
        {"hopctl case relate 0793-C000001 --registered 0171 --actual 0171,0793",
         "hopctl case relate 0793-C000001 --end-actual 0171   # the child moved away from Elva",
         "hopctl case relate 0793-C000001 --end-registered"}},
       &Relate},
  };
}

}  // namespace hop::client
