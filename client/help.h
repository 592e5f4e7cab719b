// Help texts of hopctl, generated from the command specs so they never drift from the parser.
// Pure functions; thread-safe.
#ifndef HOP_CLIENT_HELP_H_
#define HOP_CLIENT_HELP_H_

#include <string>
#include <vector>

#include "client/args.h"

namespace hop::client {

// Every command with its one-line summary, the global options, config file, exit codes and
// an example.
std::string GlobalHelp(const std::vector<CommandSpec>& commands);

// The commands under a group of words, e.g. {"case"} or {"directory", "contact"}.
std::string GroupHelp(const std::vector<CommandSpec>& commands,
                      const std::vector<std::string>& words);

// One command: usage line, summary, options and examples.
std::string CommandHelp(const CommandSpec& command);

// The usage line alone: "hopctl case close CASE_ID --reason TEXT".
std::string UsageLine(const CommandSpec& command);

}  // namespace hop::client

#endif  // HOP_CLIENT_HELP_H_
