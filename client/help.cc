#include "client/help.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace hop::client {
namespace {

constexpr absl::string_view kGlobalOptions =
    "Global options (before or after the command):\n"
    "  --server HOST:PORT  your municipality's hopd staff API\n"
    "  --ca FILE           the federation CA certificate (PEM)\n"
    "  --crl FILE          the federation CRL (PEM; a copy kept current, as hopd's tls.crl)\n"
    "  --cert FILE         your staff certificate (PEM)\n"
    "  --key FILE          the private key of your certificate (PEM)\n"
    "  --config FILE       hopctl config file (default: $HOPCTL_CONFIG, else\n"
    "                      ~/.config/hopctl/hopctl.conf if it exists)\n"
    "  --json              print the server's response as protobuf JSON\n"
    "  --timeout SECONDS   deadline of each call (default 10)\n"
    "  -h, --help          this help; 'hopctl COMMAND --help' shows a command's options\n";

constexpr absl::string_view kConfigAndExit =
    "Config file: 'key = value' lines with keys server, ca, crl, cert and key; '#' starts a\n"
    "comment; relative paths are relative to the file's folder. Options win over the file.\n"
    "\n"
    "Environment: HOPCTL_CONFIG (the config file), HOPCTL_DEBUG=1 (show gRPC's own log).\n"
    "\n"
    "Exit status: 0 success; 1 refused by the server or failed; 2 usage error.\n";

// Display width of UTF-8 text (code points; enough for Estonian letters).
size_t Width(absl::string_view s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string Pad(absl::string_view s, size_t width) {
  std::string out(s);
  out.append(width > Width(s) ? width - Width(s) : 0, ' ');
  return out;
}

std::string FlagLabel(const FlagSpec& flag) {
  std::string label = absl::StrCat("--", flag.name);
  if (!flag.value_name.empty()) absl::StrAppend(&label, " ", flag.value_name);
  return label;
}

std::string CommandList(const std::vector<CommandSpec>& commands, absl::string_view prefix) {
  size_t width = 0;
  for (const CommandSpec& c : commands) {
    if (absl::StartsWith(c.path, prefix)) width = std::max(width, c.path.size());
  }
  std::string out;
  for (const CommandSpec& c : commands) {
    if (!absl::StartsWith(c.path, prefix)) continue;
    absl::StrAppend(&out, "  ", Pad(c.path, width + 2), c.summary, "\n");
  }
  return out;
}

}  // namespace

std::string UsageLine(const CommandSpec& command) {
  std::string line = absl::StrCat("hopctl ", command.path);
  if (!command.positional_help.empty()) absl::StrAppend(&line, " ", command.positional_help);
  for (const FlagSpec& flag : command.flags) {
    const std::string label = FlagLabel(flag);
    absl::StrAppend(&line, " ", flag.required ? label : absl::StrCat("[", label, "]"),
                    flag.repeated ? "..." : "");
  }
  return line;
}

std::string GlobalHelp(const std::vector<CommandSpec>& commands) {
  return absl::StrCat(
      "hopctl: command-line client of hopd, the municipal node of the Tartu County network\n"
      "for children with support needs. Every call goes over mutual TLS to your own\n"
      "municipality's node, as the staff user named in your certificate.\n\n"
      "Usage: hopctl [global options] COMMAND [options] [arguments]\n\n"
      "Commands:\n",
      CommandList(commands, ""), "\n", kGlobalOptions, "\n", kConfigAndExit,
      "\nExamples:\n"
      "  hopctl --server hop.tartu.ee:7443 --ca ca.pem --cert mari.pem --key mari.key whoami\n"
      "  hopctl case list --stage II --status open\n"
      "  hopctl case get 0793-C12 --json\n");
}

std::string GroupHelp(const std::vector<CommandSpec>& commands,
                      const std::vector<std::string>& words) {
  const std::string group = absl::StrJoin(words, " ");
  return absl::StrCat("Commands under 'hopctl ", group, "':\n",
                      CommandList(commands, absl::StrCat(group, " ")), "\nRun 'hopctl ", group,
                      " COMMAND --help' for a command's options, 'hopctl --help' for the\n"
                      "global options.\n");
}

std::string CommandHelp(const CommandSpec& command) {
  std::string out = absl::StrCat("Usage: ", UsageLine(command), "\n\n", command.summary, "\n");
  if (!command.flags.empty()) {
    size_t width = 0;
    for (const FlagSpec& flag : command.flags) width = std::max(width, FlagLabel(flag).size());
    absl::StrAppend(&out, "\nOptions:\n");
    for (const FlagSpec& flag : command.flags) {
      std::string notes;
      if (flag.required) notes = " (required)";
      if (flag.repeated) absl::StrAppend(&notes, " (repeatable)");
      absl::StrAppend(&out, "  ", Pad(FlagLabel(flag), width + 2), flag.help, notes, "\n");
    }
  }
  if (!command.examples.empty()) {
    absl::StrAppend(&out, "\nExample", command.examples.size() > 1 ? "s" : "", ":\n");
    for (const std::string& example : command.examples) {
      absl::StrAppend(&out, "  ", example, "\n");
    }
  }
  absl::StrAppend(&out, "\nGlobal options (--server, --cert, --json, ...): see 'hopctl --help'.\n");
  return out;
}

}  // namespace hop::client
