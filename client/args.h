// The hopctl command line: a tiny subcommand/flag parser.
//
// Shape: hopctl [global options] WORD... [options] [ARG...]
// - Global options (--server, --ca, --crl, --cert, --key, --config, --json, --timeout,
//   -h/--help) may
//   appear anywhere, before or after the command words.
// - The command words ("case open", "status") are the leading non-option tokens; they must
//   name one CommandSpec exactly.
// - Command options follow the command words: "--name VALUE", "--name=VALUE", or "--name" for
//   boolean options. A value may not start with "--" unless given as "--name=--text".
// - "--" ends option parsing: every later token is a positional argument.
//
// Every error is a usage error (see UsageError below) whose message names the flag or word at
// fault and what was expected. Pure functions; thread-safe.
#ifndef HOP_CLIENT_ARGS_H_
#define HOP_CLIENT_ARGS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace hop::client {

// A usage error: InvalidArgument carrying a marker payload, so that hopctl exits with code 2
// (and not 1, which is kept for calls the server refused).
absl::Status UsageError(absl::string_view message);
bool IsUsageError(const absl::Status& status);

// One option of a command.
struct FlagSpec {
  std::string name;        // without the leading "--", e.g. "child"
  std::string value_name;  // e.g. "ISIKUKOOD"; empty for a boolean option (takes no value)
  std::string help;        // one line
  bool required = false;
  bool repeated = false;  // may be given several times (values kept in order)
};

// One command: its words, positional arguments, options and help.
struct CommandSpec {
  std::string path;             // command words separated by one space, e.g. "case open"
  std::string summary;          // one line, for the global help
  std::string positional_help;  // e.g. "CASE_ID AREA..." (usage line)
  int min_positionals = 0;
  int max_positionals = 0;  // -1: unbounded
  std::vector<FlagSpec> flags;
  std::vector<std::string> examples;
};

// Options that apply to every command. Unset optionals were not given on the command line.
struct GlobalOptions {
  std::optional<std::string> server;
  std::optional<std::string> ca;
  std::optional<std::string> crl;
  std::optional<std::string> cert;
  std::optional<std::string> key;
  std::optional<std::string> config;
  bool json = false;
  absl::Duration timeout = absl::Seconds(10);
};

struct ParsedArgs {
  GlobalOptions globals;
  // -h/--help was given. Then `command` is the command named (if the words name one) and
  // `words` the command words given; no other check is made.
  bool help = false;
  const CommandSpec* command = nullptr;  // points into the `commands` passed to ParseArgs
  std::vector<std::string> words;        // the command words as given
  std::vector<std::string> positionals;
  std::map<std::string, std::vector<std::string>> flags;  // option name -> values

  bool Has(absl::string_view name) const;
  // The (last) value of option `name`, or "" if absent.
  std::string Get(absl::string_view name) const;
  // All values of option `name` in order; empty if absent.
  std::vector<std::string> GetAll(absl::string_view name) const;
};

// Parses `args` (argv without the program name) against `commands`. On success without help,
// `command` is set, every required option is present and the positional count is in range.
// `commands` must outlive the result.
absl::StatusOr<ParsedArgs> ParseArgs(const std::vector<std::string>& args,
                                     const std::vector<CommandSpec>& commands);

// The next words that may follow `words` (e.g. {"case"} -> {"open", "get", ...}) in the
// order of `commands`; empty if `words` is a full command or names nothing.
std::vector<std::string> NextWords(const std::vector<CommandSpec>& commands,
                                   const std::vector<std::string>& words);

}  // namespace hop::client

#endif  // HOP_CLIENT_ARGS_H_
