// hopctl audit verify | subject: the node's tamper-evident audit trail (hop.v1.Audit).
#include "absl/strings/str_cat.h"
#include "client/command.h"
#include "client/render.h"

namespace hop::client {
namespace {

using hop::v1::Audit;

absl::Status Verify(CommandContext& ctx) {
  HOP_ASSIGN_OR_RETURN(hop::v1::VerifyAuditResponse r,
                       ctx.Audit(&Audit::Stub::Verify, hop::v1::VerifyAuditRequest()));
  HOP_RETURN_IF_ERROR(ctx.Print(r, RenderAuditVerify(r)));
  if (r.intact()) return absl::OkStatus();
  return absl::DataLossError(
      absl::StrCat("the audit trail is broken at entry ", r.first_broken_seq(),
                   "; keep the node's data directory as evidence and tell the data protection "
                   "officer"));
}

absl::Status Subject(CommandContext& ctx) {
  hop::v1::SubjectReportRequest req;
  req.set_child_isikukood(ctx.args().Get("child"));
  HOP_ASSIGN_OR_RETURN(hop::v1::SubjectReportResponse r, ctx.Audit(&Audit::Stub::Subject, req));
  return ctx.Print(r, RenderAccessReport(req.child_isikukood(), r, ctx.zone()));
}

}  // namespace

std::vector<Command> AuditCommands() {
  return {
      {{"audit verify",
        "Check the audit trail's hash chain and name the first broken entry (admins, ops)",
        "",
        0,
        0,
        {},
        {"hopctl audit verify"}},
       &Verify},
      {{"audit subject",
        "Every access to one child's data in this node's log, in plain language, for a "
        "parent's request; at the node owning the child's case also every other "
        "municipality that received, looked up or asked about the child. Case managers and "
        "child-protection specialists; child-protection entries are shown to "
        "child-protection specialists only",
        "",
        0,
        0,
        {Required("child", "ISIKUKOOD", "the child's personal identification code")},
        {"hopctl audit subject --child 60001019906",
         "hopctl --json audit subject --child 60001019906"}},
       &Subject},
  };
}

}  // namespace hop::client
