// hopctl federation status: every node of the county in one table, each asked directly over
// mTLS (Admin.GetNodeStatus) with the caller's certificate, in parallel; an ops certificate of
// any municipality may ask any node. The nodes come from the config file's
// "node = EHAK HOST:PORT" lines. Unreachable or refusing nodes are shown as such; no personal
// data is shown (node status carries none).
#include <thread>

#include "absl/strings/str_cat.h"
#include "client/command.h"
#include "client/render.h"

namespace hop::client {
namespace {

absl::Status FederationStatus(CommandContext& ctx) {
  HOP_ASSIGN_OR_RETURN(ClientConfig config, ctx.config());
  if (config.nodes.empty()) {
    return UsageError(
        "federation status: no nodes listed; add one line per node of the county to the "
        "hopctl config file: node = EHAK HOST:PORT (its staff API), e.g. node = 0171 "
        "hop-0171.example:7443");
  }
  hop::v1::FederationStatus report;
  for (const auto& [code, address] : config.nodes) {
    hop::v1::FederationNodeStatus* row = report.add_nodes();
    row->set_municipality(code);
    row->set_address(address);
  }
  std::vector<std::thread> askers;
  for (hop::v1::FederationNodeStatus& row : *report.mutable_nodes()) {
    ClientConfig one = config;
    one.server = row.address();
    askers.emplace_back([&row, one, timeout = ctx.args().globals.timeout] {
      absl::StatusOr<std::unique_ptr<Connection>> c =
          Connection::Open(one, timeout, row.municipality());
      absl::StatusOr<hop::v1::NodeStatus> status =
          c.ok() ? (*c)->Call((*c)->admin(), &hop::v1::Admin::Stub::GetNodeStatus,
                              hop::v1::GetNodeStatusRequest())
                 : c.status();
      if (status.ok()) {
        row.set_reachable(true);
        *row.mutable_status() = *std::move(status);
      } else {
        row.set_error(absl::StrCat(absl::StatusCodeToString(status.status().code()), ": ",
                                   status.status().message()));
      }
    });
  }
  for (std::thread& t : askers) t.join();
  HOP_RETURN_IF_ERROR(ctx.Print(report, RenderFederationStatus(report, ctx.now(), ctx.zone())));
  for (const hop::v1::FederationNodeStatus& row : report.nodes()) {
    if (!row.reachable()) {
      return absl::UnavailableError("not every node answered (see the table above)");
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<Command> FederationCommands() {
  return {
      {{"federation status",
        "Every node of the county in one table: up or not, version, uptime, store size, how "
        "its peers sync, certificate expiry (ops certificates of any municipality; no "
        "personal data). Exit status 1 if a node did not answer",
        "",
        0,
        0,
        {},
        {"hopctl federation status", "hopctl --json federation status"}},
       &FederationStatus},
  };
}

}  // namespace hop::client
