// hopctl inbox [--ack ID,... | --ack-all] [--all]: the caller's notifications, one for each
// time another municipality asked about a child whose case the caller is responsible for or
// manages (CaseWork.ListInbox); acknowledging first when asked (CaseWork.AckInbox).
#include "absl/strings/str_cat.h"
#include "client/command.h"
#include "client/flag_values.h"
#include "client/render.h"

namespace hop::client {
namespace {

using hop::v1::CaseWork;

absl::Status Inbox(CommandContext& ctx) {
  const ParsedArgs& a = ctx.args();
  hop::v1::AckInboxRequest ack;
  for (const std::string& id : SplitList(a.GetAll("ack"))) ack.add_ids(id);
  ack.set_all(a.Has("ack-all"));
  if (!ack.ids().empty() && ack.all()) {
    return UsageError("--ack and --ack-all: give one of them, not both");
  }
  std::string acknowledged;
  if (!ack.ids().empty() || ack.all()) {
    HOP_ASSIGN_OR_RETURN(hop::v1::AckInboxResponse r, ctx.CaseWork(&CaseWork::Stub::AckInbox, ack));
    acknowledged = absl::StrCat(r.acknowledged(), r.acknowledged() == 1 ? " entry" : " entries",
                                " acknowledged\n\n");
  }
  hop::v1::ListInboxRequest req;
  req.set_include_acknowledged(a.Has("all"));
  HOP_ASSIGN_OR_RETURN(hop::v1::ListInboxResponse resp,
                       ctx.CaseWork(&CaseWork::Stub::ListInbox, req));
  return ctx.Print(
      resp, absl::StrCat(acknowledged,
                         RenderInbox({resp.entries().begin(), resp.entries().end()}, ctx.zone())));
}

}  // namespace

std::vector<Command> InboxCommands() {
  return {
      {{"inbox",
        "Your notifications: other municipalities that asked about a child whose case you are "
        "responsible for or manage (who, from where, when, why); --ack marks them seen",
        "",
        0,
        0,
        {Repeated("ack", "ID[,ID]", "acknowledge these entries first (ids from the listing)"),
         Boolean("ack-all", "acknowledge every entry not yet acknowledged first"),
         Boolean("all", "also list entries already acknowledged")},
        {"hopctl inbox", "hopctl inbox --ack 0000000000000003", "hopctl inbox --ack-all",
         "hopctl inbox --all"}},
       &Inbox},
  };
}

}  // namespace hop::client
