// hopctl figures: the county's figures for network leaders (CaseWork.CountyFigures, issue 13):
// counts of cases by stage, level, need area, child-protection track and month for every
// municipality of the county, and the county, with small cells suppressed. Human tables, one
// tidy CSV (--csv), or protobuf JSON (--json).
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/command.h"
#include "client/flag_values.h"
#include "client/render_figures.h"
#include "hop/v1/casework.grpc.pb.h"

namespace hop::client {
namespace {

absl::Status Figures(CommandContext& ctx) {
  const ParsedArgs& a = ctx.args();
  if (a.Has("csv") && ctx.json()) return UsageError("--csv and --json: choose one");
  hop::v1::CountyFiguresRequest req;
  for (const std::string& code : SplitList(a.GetAll("municipality"))) req.add_municipalities(code);
  HOP_ASSIGN_OR_RETURN(const uint32_t deadline_ms, ParseDeadlineMs(a));
  req.set_deadline_ms(deadline_ms);
  HOP_ASSIGN_OR_RETURN(hop::v1::CountyFiguresResponse resp,
                       ctx.CaseWork(&hop::v1::CaseWork::Stub::CountyFigures, req));
  if (a.Has("csv")) {
    ctx.out() << RenderFiguresCsv(resp);
    ctx.out().flush();
    return absl::OkStatus();
  }
  return ctx.Print(resp, RenderFigures(resp));
}

}  // namespace

std::vector<Command> FiguresCommands() {
  return {
      {{"figures",
        "The county's figures for network leaders: counts of cases by municipality, stage, "
        "level, need area, child-protection track and month (12 months); no names, no "
        "personal codes, cells under 5 suppressed",
        "",
        0,
        0,
        {Repeated("municipality", "EHAK",
                  "only these municipalities of the county (this node's and its peers'); "
                  "default: the whole county"),
         Boolean("csv",
                 "one tidy CSV (municipality,dimension,category,count,suppressed; RFC 4180) "
                 "for a spreadsheet; a suppressed cell has an empty count"),
         Optional("deadline", "SECONDS", "how long to wait for the peers (default 5, at most 30)")},
        {"hopctl figures", "hopctl figures --municipality 0283 --municipality 0793",
         "hopctl figures --csv", "hopctl --json figures"}},
       &Figures}};
}

}  // namespace hop::client
