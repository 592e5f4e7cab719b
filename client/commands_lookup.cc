// hopctl lookup: has another municipality already noticed this child? Answered from this
// node's own cases and the summaries held from the other municipalities (CaseWork.Lookup).
// hopctl query: the same question asked live of the other municipalities' nodes
// (CaseWork.QueryPeers).
#include "absl/strings/str_cat.h"
#include "client/command.h"
#include "client/flag_values.h"
#include "client/render.h"

namespace hop::client {
namespace {

absl::Status Lookup(CommandContext& ctx) {
  hop::v1::LookupRequest req;
  req.set_child_isikukood(ctx.args().Get("child"));
  req.set_purpose(ctx.args().Get("purpose"));
  HOP_ASSIGN_OR_RETURN(hop::v1::LookupResponse resp,
                       ctx.CaseWork(&hop::v1::CaseWork::Stub::Lookup, req));
  return ctx.Print(resp, RenderLookup(resp, ctx.now(), ctx.zone()));
}

absl::Status Query(CommandContext& ctx) {
  const ParsedArgs& a = ctx.args();
  hop::v1::QueryPeersRequest req;
  req.set_child_isikukood(a.Get("child"));
  req.set_purpose(a.Get("purpose"));
  for (const std::string& code : SplitList(a.GetAll("peers"))) req.add_peers(code);
  HOP_ASSIGN_OR_RETURN(const uint32_t deadline_ms, ParseDeadlineMs(a));
  req.set_deadline_ms(deadline_ms);
  HOP_ASSIGN_OR_RETURN(hop::v1::QueryPeersResponse resp,
                       ctx.CaseWork(&hop::v1::CaseWork::Stub::QueryPeers, req));
  return ctx.Print(resp, RenderQueryAnswers(resp, ctx.zone()));
}

}  // namespace

std::vector<Command> LookupCommands() {
  return {
      {{"lookup",
        "Has another municipality noticed this child? This node's cases and the summaries held "
        "from the others (case managers, child-protection specialists)",
        "",
        0,
        0,
        {Required("child", "ISIKUKOOD", "the child's personal identification code"),
         Required("purpose", "TEXT", "why you look the child up (required for every lookup)")},
        {"hopctl lookup --child 60001019906 --purpose 'new pupil: earlier support?'"}},
       &Lookup},
      {{"query",
        "Ask the other municipalities' nodes now, in parallel: each answers with what you may "
        "see, or is reported as having nothing visible, unreachable or timed out (case "
        "managers, child-protection specialists)",
        "",
        0,
        0,
        {Required("child", "ISIKUKOOD", "the child's personal identification code"),
         Required("purpose", "TEXT",
                  "why you ask; the asked municipality records it and tells the case's "
                  "responsible person"),
         Optional("peers", "EHAK[,EHAK]", "ask only these municipalities (default: every peer)"),
         Optional("deadline", "SECONDS",
                  "how long to wait for the answers (default 5, at most 30)")},
        {"hopctl query --child 60001019906 --purpose 'moved here: earlier support?'",
         "hopctl query --child 60001019906 --purpose 'school transfer' --peers 0283,0171"}},
       &Query},
  };
}

}  // namespace hop::client
