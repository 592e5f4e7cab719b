#include "client/args.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace hop::client {
namespace {

constexpr absl::string_view kUsagePayload = "type.hop.tartumaa.ee/hopctl.usage";

struct GlobalFlag {
  absl::string_view name;
  absl::string_view value_name;  // empty: boolean
};

constexpr GlobalFlag kGlobalFlags[] = {
    {"server", "HOST:PORT"}, {"ca", "FILE"},     {"crl", "FILE"}, {"cert", "FILE"},
    {"key", "FILE"},         {"config", "FILE"}, {"json", ""},    {"timeout", "SECONDS"},
};

const GlobalFlag* FindGlobal(absl::string_view name) {
  for (const GlobalFlag& flag : kGlobalFlags) {
    if (flag.name == name) return &flag;
  }
  return nullptr;
}

const FlagSpec* FindFlag(const CommandSpec& command, absl::string_view name) {
  for (const FlagSpec& flag : command.flags) {
    if (flag.name == name) return &flag;
  }
  return nullptr;
}

bool IsHelp(absl::string_view token) { return token == "-h" || token == "--help"; }

bool IsOption(absl::string_view token) { return token.size() > 1 && token[0] == '-'; }

// Walks the tokens once, keeping the position; hands out option values.
class Cursor {
 public:
  explicit Cursor(const std::vector<std::string>& args) : args_(args) {}
  bool Done() const { return pos_ >= args_.size(); }
  const std::string& Next() { return args_[pos_++]; }

  // The value of option `name`: the inline "=value" if there was one, else the next token
  // unless that is missing or looks like another option.
  absl::StatusOr<std::string> Value(absl::string_view name, absl::string_view value_name,
                                    const std::optional<std::string>& inline_value) {
    if (inline_value.has_value()) return *inline_value;
    if (Done() || absl::StartsWith(args_[pos_], "--")) {
      return UsageError(absl::StrCat("--", name, ": expected ", value_name));
    }
    return Next();
  }

 private:
  const std::vector<std::string>& args_;
  size_t pos_ = 0;
};

absl::Status SetGlobal(const GlobalFlag& flag, const std::string& value, GlobalOptions& out) {
  if (flag.name == "server") out.server = value;
  if (flag.name == "ca") out.ca = value;
  if (flag.name == "crl") out.crl = value;
  if (flag.name == "cert") out.cert = value;
  if (flag.name == "key") out.key = value;
  if (flag.name == "config") out.config = value;
  if (flag.name == "json") out.json = true;
  if (flag.name == "timeout") {
    double seconds = 0;
    if (!absl::SimpleAtod(value, &seconds) || !std::isfinite(seconds) || seconds <= 0 ||
        seconds > 86400) {
      return UsageError(
          absl::StrCat("--timeout: expected a positive number of seconds, got '", value, "'"));
    }
    out.timeout = absl::Seconds(seconds);
  }
  return absl::OkStatus();
}

const CommandSpec* FindCommand(const std::vector<CommandSpec>& commands,
                               const std::vector<std::string>& words) {
  const std::string path = absl::StrJoin(words, " ");
  for (const CommandSpec& command : commands) {
    if (command.path == path) return &command;
  }
  return nullptr;
}

absl::Status UnknownCommand(const std::vector<CommandSpec>& commands,
                            std::vector<std::string> words) {
  const std::string bad = absl::StrJoin(words, " ");
  words.pop_back();
  if (words.empty()) {
    return UsageError(
        absl::StrCat("unknown command '", bad, "'; run 'hopctl --help' for the list of commands"));
  }
  return UsageError(absl::StrCat("unknown command '", bad, "'; expected one of: ",
                                 absl::StrJoin(NextWords(commands, words), ", ")));
}

absl::Status CheckComplete(const std::vector<CommandSpec>& commands, const ParsedArgs& parsed) {
  if (parsed.command == nullptr) {
    if (parsed.words.empty()) {
      return UsageError("missing command; run 'hopctl --help' for the list of commands");
    }
    return UsageError(absl::StrCat("'", absl::StrJoin(parsed.words, " "), "' needs one more word: ",
                                   absl::StrJoin(NextWords(commands, parsed.words), ", ")));
  }
  const CommandSpec& command = *parsed.command;
  for (const FlagSpec& flag : command.flags) {
    if (flag.required && !parsed.Has(flag.name)) {
      return UsageError(absl::StrCat("--", flag.name, ": required by '", command.path,
                                     "' (expected ", flag.value_name, ")"));
    }
  }
  const int count = static_cast<int>(parsed.positionals.size());
  if (count < command.min_positionals) {
    return UsageError(absl::StrCat("'", command.path, "': missing argument; expected ",
                                   command.path, " ", command.positional_help));
  }
  if (command.max_positionals >= 0 && count > command.max_positionals) {
    return UsageError(absl::StrCat("'", command.path, "': unexpected argument '",
                                   parsed.positionals[command.max_positionals], "'"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status UsageError(absl::string_view message) {
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kUsagePayload, absl::Cord("1"));
  return status;
}

bool IsUsageError(const absl::Status& status) {
  return status.GetPayload(kUsagePayload).has_value();
}

bool ParsedArgs::Has(absl::string_view name) const {
  return flags.find(std::string(name)) != flags.end();
}

std::string ParsedArgs::Get(absl::string_view name) const {
  auto it = flags.find(std::string(name));
  if (it == flags.end() || it->second.empty()) return "";
  return it->second.back();
}

std::vector<std::string> ParsedArgs::GetAll(absl::string_view name) const {
  auto it = flags.find(std::string(name));
  if (it == flags.end()) return {};
  return it->second;
}

std::vector<std::string> NextWords(const std::vector<CommandSpec>& commands,
                                   const std::vector<std::string>& words) {
  std::vector<std::string> next;
  for (const CommandSpec& command : commands) {
    std::vector<std::string> path = absl::StrSplit(command.path, ' ');
    if (path.size() <= words.size()) continue;
    if (!std::equal(words.begin(), words.end(), path.begin())) continue;
    const std::string& word = path[words.size()];
    if (std::find(next.begin(), next.end(), word) == next.end()) next.push_back(word);
  }
  return next;
}

absl::StatusOr<ParsedArgs> ParseArgs(const std::vector<std::string>& args,
                                     const std::vector<CommandSpec>& commands) {
  ParsedArgs parsed;
  for (const std::string& token : args) {
    if (token == "--") break;
    if (IsHelp(token)) parsed.help = true;
  }
  Cursor cursor(args);
  bool options_done = false;
  while (!cursor.Done()) {
    const std::string& token = cursor.Next();
    if (!options_done && token == "--") {
      options_done = true;
      continue;
    }
    if (!options_done && IsOption(token)) {
      if (IsHelp(token)) continue;
      if (!absl::StartsWith(token, "--")) {
        return UsageError(absl::StrCat("unknown option '", token, "'"));
      }
      const std::string body = token.substr(2);
      const size_t eq = body.find('=');
      const std::string name = body.substr(0, eq);
      std::optional<std::string> inline_value;
      if (eq != std::string::npos) inline_value = body.substr(eq + 1);
      if (const GlobalFlag* global = FindGlobal(name)) {
        if (global->value_name.empty()) {
          if (inline_value.has_value()) {
            return UsageError(absl::StrCat("--", name, ": takes no value"));
          }
          parsed.globals.json = true;
          continue;
        }
        absl::StatusOr<std::string> value = cursor.Value(name, global->value_name, inline_value);
        if (!value.ok()) return value.status();
        absl::Status set = SetGlobal(*global, *value, parsed.globals);
        if (!set.ok()) return set;
        continue;
      }
      if (parsed.help) continue;  // lenient: help needs no valid options
      if (parsed.command == nullptr) {
        return UsageError(absl::StrCat(
            "unknown option --", name,
            parsed.words.empty() ? "" : " (command options go after the full command)"));
      }
      const FlagSpec* flag = FindFlag(*parsed.command, name);
      if (flag == nullptr) {
        return UsageError(absl::StrCat("unknown option --", name, " for '", parsed.command->path,
                                       "'; see 'hopctl ", parsed.command->path, " --help'"));
      }
      std::string value;
      if (flag->value_name.empty()) {
        if (inline_value.has_value()) {
          return UsageError(absl::StrCat("--", name, ": takes no value"));
        }
      } else {
        absl::StatusOr<std::string> v = cursor.Value(name, flag->value_name, inline_value);
        if (!v.ok()) return v.status();
        value = *std::move(v);
      }
      std::vector<std::string>& values = parsed.flags[name];
      if (!values.empty() && !flag->repeated) {
        return UsageError(absl::StrCat("--", name, ": given more than once"));
      }
      values.push_back(std::move(value));
      continue;
    }
    if (parsed.command != nullptr) {
      parsed.positionals.push_back(token);
      continue;
    }
    parsed.words.push_back(token);
    parsed.command = FindCommand(commands, parsed.words);
    if (parsed.command == nullptr && NextWords(commands, parsed.words).empty()) {
      return UnknownCommand(commands, parsed.words);
    }
  }
  if (parsed.help) return parsed;
  absl::Status complete = CheckComplete(commands, parsed);
  if (!complete.ok()) return complete;
  return parsed;
}

}  // namespace hop::client
