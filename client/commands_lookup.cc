// hopctl lookup: has another municipality already noticed this child? Answered from this
// node's own cases and the summaries held from the other municipalities (CaseWork.Lookup).
#include "client/command.h"
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
  };
}

}  // namespace hop::client
