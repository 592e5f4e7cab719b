// hopctl consent grant|withdraw|list: a guardian's consent to share (CaseWork).
// Dates are read as local midnight and sent as Unix seconds.
#include "absl/strings/str_cat.h"
#include "client/command.h"
#include "client/flag_values.h"
#include "client/render.h"

namespace hop::client {
namespace {

using hop::v1::CaseWork;

constexpr char kIk[] = "ISIKUKOOD";

absl::Status Grant(CommandContext& ctx) {
  const ParsedArgs& a = ctx.args();
  hop::v1::GrantConsentRequest req;
  req.set_child_isikukood(a.Get("child"));
  req.set_granted_by(a.Get("guardian"));
  for (const std::string& code : SplitList(a.GetAll("to"))) req.add_recipients(code);
  if (req.recipients().empty()) return UsageError("--to: expected EHAK[,EHAK]");
  const std::vector<std::string> scopes = SplitList(a.GetAll("scope"));
  if (scopes.empty()) {
    return UsageError(absl::StrCat("--scope: expected one or more of ", ScopeWords()));
  }
  for (const std::string& word : scopes) {
    HOP_ASSIGN_OR_RETURN(hop::v1::ConsentScope scope, ParseScope("scope", word));
    req.add_scopes(scope);
  }
  req.set_purpose(a.Get("purpose"));
  if (a.Has("from")) {
    HOP_ASSIGN_OR_RETURN(int64_t from, ParseDateMidnight("from", a.Get("from"), ctx.zone()));
    req.set_valid_from(from);
  }
  HOP_ASSIGN_OR_RETURN(int64_t until, ParseDateMidnight("until", a.Get("until"), ctx.zone()));
  req.set_valid_until(until);
  req.set_evidence_ref(a.Get("evidence"));
  HOP_ASSIGN_OR_RETURN(hop::v1::Consent consent, ctx.CaseWork(&CaseWork::Stub::GrantConsent, req));
  return ctx.Print(consent, RenderConsent(consent, ctx.now(), ctx.zone()));
}

absl::Status Withdraw(CommandContext& ctx) {
  const ParsedArgs& a = ctx.args();
  hop::v1::WithdrawConsentRequest req;
  req.set_child_isikukood(a.Get("child"));
  req.set_withdrawn_by(a.Get("guardian"));
  req.set_evidence_ref(a.Get("evidence"));
  for (const std::string& code : SplitList(a.GetAll("to"))) req.add_recipients(code);
  HOP_ASSIGN_OR_RETURN(hop::v1::WithdrawConsentResponse resp,
                       ctx.CaseWork(&CaseWork::Stub::WithdrawConsent, req));
  std::string human;
  if (resp.withdrawn().empty()) {
    human = "no consent to withdraw\n";
  } else {
    human = absl::StrCat("withdrew ", resp.withdrawn_size(),
                         resp.withdrawn_size() == 1 ? " consent" : " consents", ":\n",
                         RenderConsentTable({resp.withdrawn().begin(), resp.withdrawn().end()},
                                            ctx.now(), ctx.zone()));
  }
  return ctx.Print(resp, human);
}

absl::Status List(CommandContext& ctx) {
  const ParsedArgs& a = ctx.args();
  hop::v1::ListConsentsRequest req;
  req.set_child_isikukood(a.Get("child"));
  req.set_active_only(a.Has("active"));
  req.set_with_delivery(a.Has("delivery"));
  HOP_ASSIGN_OR_RETURN(hop::v1::ListConsentsResponse resp,
                       ctx.CaseWork(&CaseWork::Stub::ListConsents, req));
  std::string text =
      RenderConsentTable({resp.consents().begin(), resp.consents().end()}, ctx.now(), ctx.zone());
  if (req.with_delivery() && resp.deliveries_size() > 0) {
    text += "\n" +
            RenderDeliveryTable({resp.deliveries().begin(), resp.deliveries().end()}, ctx.zone());
  }
  return ctx.Print(resp, text);
}

}  // namespace

std::vector<Command> ConsentCommands() {
  return {
      {{"consent grant",
        "Record a guardian's consent to share a child's data",
        "",
        0,
        0,
        {Required("child", kIk, "the child's personal code"),
         Required("guardian", kIk,
                  "the legal representative giving consent: 18 or older, not the child"),
         Required("to", "EHAK[,EHAK]", "recipient municipalities"),
         Required("scope", "SCOPE[,SCOPE]", absl::StrCat("what may be shared: ", ScopeWords())),
         Required("purpose", "TEXT", "why it is shared"),
         Optional("from", "YYYY-MM-DD",
                  "valid from this day's local midnight (default: now; at most 30 days back by "
                  "default)"),
         Required("until", "YYYY-MM-DD",
                  "valid until this day's local midnight: at most the node's maximum (default 3 "
                  "years) after --from, never past the child's 18th birthday"),
         Optional("evidence", "REF", "reference to the signed form")},
        {"hopctl consent grant --child 61604150239 --guardian 37605030299 --to 0171,0283 "
         "--scope summary,contact --purpose 'support in the new school' --until 2027-06-30 "
         "--evidence DHS-2025-17"}},
       &Grant},
      {{"consent withdraw",
        "Withdraw a child's consents: any adult guardian may; give the signed form's reference",
        "",
        0,
        0,
        {Required("child", kIk, "the child's personal code"),
         Required("guardian", kIk,
                  "the parent or legal representative withdrawing: 18 or older, not the child; "
                  "recorded on each withdrawn consent"),
         Required("evidence", "REF",
                  "reference to the signed withdrawal form (e.g. its register number); "
                  "recorded on each withdrawn consent and in the audit log"),
         Optional("to", "EHAK[,EHAK]", "only consents naming these recipients (default: all)")},
        {"hopctl consent withdraw --child 61604150239 --guardian 49403136526 --evidence "
         "DHS-2026-31",
         "hopctl consent withdraw --child 61604150239 --guardian 49403136526 --evidence "
         "DHS-2026-31 --to 0171"}},
       &Withdraw},
      {{"consent list",
        "List consents",
        "",
        0,
        0,
        {Optional("child", kIk, "only this child's consents"),
         Boolean("active", "only consents in force now"),
         Boolean("delivery", "also what each recipient holds of the child now (pulled or not)")},
        {"hopctl consent list --child 61604150239 --active",
         "hopctl consent list --child 61604150239 --delivery"}},
       &List},
  };
}

}  // namespace hop::client
