// Where hopctl connects and with which certificate: a config file merged with the global
// options.
//
// Config file format (hopctl.conf): one "key = value" per line with keys server, ca, crl, cert
// and key, and any number of "node = EHAK HOST:PORT" (the county's nodes); blank lines and lines
// starting with '#' are ignored, as is anything after " #". A value may be wrapped in double
// quotes. Relative paths are resolved against the file's folder and a leading "~/" against $HOME.
//
// Which file: --config FILE if given (must exist); else $HOPCTL_CONFIG if set (must exist);
// else ~/.config/hopctl/hopctl.conf if it exists; else none. Options given on the command
// line override the file's values.
//
// Errors are usage errors (exit code 2) naming the file, line and key, or the option.
// Pure apart from reading the file; thread-safe.
#ifndef HOP_CLIENT_CLIENT_CONFIG_H_
#define HOP_CLIENT_CLIENT_CONFIG_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "client/args.h"

namespace hop::client {

struct ClientConfig {
  std::string server;  // HOST:PORT
  std::string ca;      // federation CA certificate file
  std::string crl;     // federation CRL file: a server certificate it lists is refused
  std::string cert;    // own staff (or ops) certificate file
  std::string key;     // its private key file
  // Every node of the county (EHAK, staff API HOST:PORT), for `hopctl federation status`.
  std::vector<std::pair<std::string, std::string>> nodes;
};

// The environment the config lookup depends on (a seam for tests).
struct ConfigEnv {
  std::optional<std::string> hopctl_config;  // $HOPCTL_CONFIG
  std::optional<std::string> home;           // $HOME
};

// Reads $HOPCTL_CONFIG and $HOME from the process environment.
ConfigEnv ProcessConfigEnv();

// Parses config file text; `file_name` is used in error messages and to resolve relative
// paths. Unset keys stay empty.
absl::StatusOr<ClientConfig> ParseClientConfig(absl::string_view text, absl::string_view file_name,
                                               const ConfigEnv& env);

// The config file to read, following the order above; nullopt if none applies.
// `file_exists` is consulted only for the default path.
std::optional<std::string> ConfigFilePath(const GlobalOptions& flags, const ConfigEnv& env,
                                          bool (*file_exists)(const std::string&));

// Finds and reads the config file (if any) and applies the command-line options over it.
// Missing values are not an error here: see RequireComplete.
absl::StatusOr<ClientConfig> ResolveClientConfig(const GlobalOptions& flags, const ConfigEnv& env);

// Usage error naming the first missing option (--server, --ca, --crl, --cert, --key) and how
// to set it.
absl::Status RequireComplete(const ClientConfig& config);

}  // namespace hop::client

#endif  // HOP_CLIENT_CLIENT_CONFIG_H_
