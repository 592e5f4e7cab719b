#include "client/hopctl.h"

#include "absl/status/status.h"
#include "client/command.h"
#include "client/help.h"

namespace hop::client {
namespace {

std::vector<CommandSpec> Specs(const std::vector<Command>& commands) {
  std::vector<CommandSpec> specs;
  specs.reserve(commands.size());
  for (const Command& c : commands) specs.push_back(c.spec);
  return specs;
}

std::string Help(const std::vector<CommandSpec>& specs, const ParsedArgs& parsed) {
  if (parsed.command != nullptr) return CommandHelp(*parsed.command);
  if (!parsed.words.empty()) return GroupHelp(specs, parsed.words);
  return GlobalHelp(specs);
}

}  // namespace

int RunHopctl(const std::vector<std::string>& args, const ConfigEnv& env, std::ostream& out,
              std::ostream& err) {
  const std::vector<Command> commands = AllCommands();
  const std::vector<CommandSpec> specs = Specs(commands);
  absl::StatusOr<ParsedArgs> parsed = ParseArgs(args, specs);
  if (!parsed.ok()) {
    err << "hopctl: " << parsed.status().message() << "\n";
    if (args.empty()) err << "\n" << GlobalHelp(specs);
    // Name the command's usage if the words named one (a lenient help parse finds it).
    std::vector<std::string> with_help = args;
    with_help.push_back("--help");
    absl::StatusOr<ParsedArgs> lenient = ParseArgs(with_help, specs);
    if (lenient.ok() && lenient->command != nullptr) {
      err << "usage: " << UsageLine(*lenient->command) << "\n";
    }
    return kExitUsage;
  }
  if (parsed->help) {
    out << Help(specs, *parsed);
    return kExitOk;
  }
  const Command& command = commands[static_cast<size_t>(parsed->command - specs.data())];
  CommandContext context(*parsed, env, out);
  const absl::Status status = command.run(context);
  if (status.ok()) return kExitOk;
  if (IsUsageError(status)) {
    err << "hopctl: " << status.message() << "\n";
    return kExitUsage;
  }
  err << "hopctl: " << absl::StatusCodeToString(status.code()) << ": " << status.message() << "\n";
  const std::string hint = context.HintFor(status);
  if (!hint.empty()) err << hint << "\n";
  return kExitFailed;
}

}  // namespace hop::client
