#include "absl/strings/str_cat.h"
#include "client/command.h"
#include "client/output.h"

namespace hop::client {

CommandContext::CommandContext(const ParsedArgs& args, ConfigEnv env, std::ostream& out)
    : args_(args), env_(std::move(env)), out_(out), zone_(absl::LocalTimeZone()) {}

absl::StatusOr<Connection*> CommandContext::connection() {
  if (connection_ == nullptr) {
    HOP_ASSIGN_OR_RETURN(ClientConfig config, ResolveClientConfig(args_.globals, env_));
    HOP_ASSIGN_OR_RETURN(connection_, Connection::Open(config, args_.globals.timeout));
  }
  return connection_.get();
}

absl::Status CommandContext::Print(const google::protobuf::Message& message,
                                   const std::string& human) {
  if (json()) {
    HOP_ASSIGN_OR_RETURN(std::string text, ToJson(message));
    out_ << text;
  } else {
    out_ << human;
  }
  out_.flush();
  return absl::OkStatus();
}

std::string CommandContext::HintFor(const absl::Status& status) const {
  return connection_ == nullptr ? "" : connection_->HintFor(status);
}

std::vector<Command> AllCommands() {
  std::vector<Command> all;
  for (auto family : {&CaseCommands, &AssignCommands, &CaseWorkCommands, &ConsentCommands,
                      &DirectoryCommands, &LookupCommands, &InboxCommands, &AuditCommands,
                      &AdminCommands, &FederationCommands, &CodeCommands, &FiguresCommands}) {
    for (Command& command : family()) all.push_back(std::move(command));
  }
  return all;
}

}  // namespace hop::client
