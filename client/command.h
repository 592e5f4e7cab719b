// What a hopctl command is (its spec plus a handler) and what a handler gets to work with.
//
// A handler first turns the parsed arguments into a request (usage errors, exit code 2), then
// makes its call(s) through the CommandContext, which opens the connection on first use, and
// prints the response: protobuf JSON with --json, a human rendering otherwise.
// Thread-compatible: one context per run.
#ifndef HOP_CLIENT_COMMAND_H_
#define HOP_CLIENT_COMMAND_H_

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/args.h"
#include "client/client_config.h"
#include "client/connection.h"
#include "daemon/base/status_macros.h"
#include "google/protobuf/message.h"

namespace hop::client {

class CommandContext {
 public:
  // `args` and `out` must outlive the context.
  CommandContext(const ParsedArgs& args, ConfigEnv env, std::ostream& out);

  const ParsedArgs& args() const { return args_; }
  bool json() const { return args_.globals.json; }
  absl::TimeZone zone() const { return zone_; }
  absl::Time now() const { return absl::Now(); }
  std::ostream& out() { return out_; }

  // Resolves the client config and opens the connection on first use (usage errors if the
  // config is incomplete or a file is unusable).
  absl::StatusOr<Connection*> connection();
  // The resolved client config (file and options), for commands that talk to several nodes.
  absl::StatusOr<ClientConfig> config() const { return ResolveClientConfig(args_.globals, env_); }

  // One call to the CaseWork / Admin service.
  template <typename Request, typename Response>
  absl::StatusOr<Response> CaseWork(grpc::Status (hop::v1::CaseWork::Stub::*method)(
                                        grpc::ClientContext*, const Request&, Response*),
                                    const Request& request) {
    HOP_ASSIGN_OR_RETURN(Connection * c, connection());
    return c->Call(c->casework(), method, request);
  }
  template <typename Request, typename Response>
  absl::StatusOr<Response> Admin(grpc::Status (hop::v1::Admin::Stub::*method)(grpc::ClientContext*,
                                                                              const Request&,
                                                                              Response*),
                                 const Request& request) {
    HOP_ASSIGN_OR_RETURN(Connection * c, connection());
    return c->Call(c->admin(), method, request);
  }

  template <typename Request, typename Response>
  absl::StatusOr<Response> Audit(grpc::Status (hop::v1::Audit::Stub::*method)(grpc::ClientContext*,
                                                                              const Request&,
                                                                              Response*),
                                 const Request& request) {
    HOP_ASSIGN_OR_RETURN(Connection * c, connection());
    return c->Call(c->audit(), method, request);
  }

  // Prints `message` as JSON with --json, else `human`.
  absl::Status Print(const google::protobuf::Message& message, const std::string& human);

  // A hint for a failed call ("" if none); see Connection::HintFor.
  std::string HintFor(const absl::Status& status) const;

 private:
  const ParsedArgs& args_;
  const ConfigEnv env_;
  std::ostream& out_;
  const absl::TimeZone zone_;
  std::unique_ptr<Connection> connection_;
};

// Shorthands for option specs: required, optional, repeatable (optional) and boolean.
inline FlagSpec Required(std::string name, std::string value_name, std::string help) {
  return FlagSpec{std::move(name), std::move(value_name), std::move(help), true, false};
}
inline FlagSpec Optional(std::string name, std::string value_name, std::string help) {
  return FlagSpec{std::move(name), std::move(value_name), std::move(help), false, false};
}
inline FlagSpec Repeated(std::string name, std::string value_name, std::string help) {
  return FlagSpec{std::move(name), std::move(value_name), std::move(help), false, true};
}
inline FlagSpec Boolean(std::string name, std::string help) {
  return FlagSpec{std::move(name), "", std::move(help), false, false};
}

struct Command {
  CommandSpec spec;
  std::function<absl::Status(CommandContext&)> run;
};

// The commands of each family (commands_*.cc), and all of them in help order.
std::vector<Command> CaseCommands();
std::vector<Command> ConsentCommands();
std::vector<Command> DirectoryCommands();
std::vector<Command> LookupCommands();
std::vector<Command> InboxCommands();
std::vector<Command> AuditCommands();
std::vector<Command> AdminCommands();
std::vector<Command> FederationCommands();
std::vector<Command> CodeCommands();
std::vector<Command> FiguresCommands();
std::vector<Command> AssignCommands();    // issue 13: case assign, case move-institution
std::vector<Command> CaseWorkCommands();  // issue 13: case work, complete (commands_casework.cc)
std::vector<Command> AllCommands();

}  // namespace hop::client

#endif  // HOP_CLIENT_COMMAND_H_
