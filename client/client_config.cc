#include "client/client_config.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "daemon/domain/municipalities.h"

namespace hop::client {
namespace {

constexpr absl::string_view kDefaultRelativePath = ".config/hopctl/hopctl.conf";

bool FileExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string Dirname(absl::string_view path) {
  const size_t slash = path.rfind('/');
  if (slash == absl::string_view::npos) return "";
  if (slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

// Expands "~/" with $HOME and makes a relative path relative to `base_dir`.
std::string ResolvePath(absl::string_view value, absl::string_view base_dir, const ConfigEnv& env) {
  if (absl::StartsWith(value, "~/") && env.home.has_value()) {
    return absl::StrCat(*env.home, value.substr(1));
  }
  if (absl::StartsWith(value, "/") || base_dir.empty()) return std::string(value);
  return absl::StrCat(base_dir, "/", value);
}

// Drops a trailing " #..." comment and surrounding spaces; unwraps "quotes".
std::string CleanValue(absl::string_view value) {
  for (size_t i = 1; i < value.size(); ++i) {
    if (value[i] == '#' && (value[i - 1] == ' ' || value[i - 1] == '\t')) {
      value = value.substr(0, i);
      break;
    }
  }
  value = absl::StripAsciiWhitespace(value);
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  return std::string(value);
}

}  // namespace

ConfigEnv ProcessConfigEnv() {
  ConfigEnv env;
  if (const char* v = std::getenv("HOPCTL_CONFIG"); v != nullptr && *v != '\0') {
    env.hopctl_config = v;
  }
  if (const char* v = std::getenv("HOME"); v != nullptr && *v != '\0') env.home = v;
  return env;
}

absl::StatusOr<ClientConfig> ParseClientConfig(absl::string_view text, absl::string_view file_name,
                                               const ConfigEnv& env) {
  ClientConfig config;
  const std::string base_dir = Dirname(file_name);
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    const std::string where = absl::StrCat(file_name, ":", line_number, ": ");
    const size_t eq = line.find('=');
    if (eq == absl::string_view::npos) {
      return UsageError(absl::StrCat(where, "expected 'key = value', got '", line, "'"));
    }
    const absl::string_view key = absl::StripAsciiWhitespace(line.substr(0, eq));
    const std::string value = CleanValue(line.substr(eq + 1));
    if (value.empty()) {
      return UsageError(absl::StrCat(where, "'", key, "' has no value"));
    }
    if (key == "server") {
      config.server = value;
    } else if (key == "ca") {
      config.ca = ResolvePath(value, base_dir, env);
    } else if (key == "crl") {
      config.crl = ResolvePath(value, base_dir, env);
    } else if (key == "cert") {
      config.cert = ResolvePath(value, base_dir, env);
    } else if (key == "key") {
      config.key = ResolvePath(value, base_dir, env);
    } else if (key == "node") {
      std::vector<std::string> parts = absl::StrSplit(value, ' ', absl::SkipEmpty());
      if (parts.size() != 2 || !domain::ValidateMunicipalityCode(parts[0], "node").ok() ||
          parts[1].find(':') == std::string::npos) {
        return UsageError(absl::StrCat(where,
                                       "node: expected 'node = EHAK HOST:PORT' (a node's "
                                       "staff API, for hopctl federation status), got '",
                                       value, "'"));
      }
      config.nodes.emplace_back(parts[0], parts[1]);
    } else {
      return UsageError(absl::StrCat(where, "unknown key '", key,
                                     "' (expected server, ca, crl, cert, key or node)"));
    }
  }
  return config;
}

std::optional<std::string> ConfigFilePath(const GlobalOptions& flags, const ConfigEnv& env,
                                          bool (*file_exists)(const std::string&)) {
  if (flags.config.has_value()) return *flags.config;
  if (env.hopctl_config.has_value()) return *env.hopctl_config;
  if (env.home.has_value()) {
    std::string path = absl::StrCat(*env.home, "/", kDefaultRelativePath);
    if (file_exists(path)) return path;
  }
  return std::nullopt;
}

absl::StatusOr<ClientConfig> ResolveClientConfig(const GlobalOptions& flags, const ConfigEnv& env) {
  ClientConfig config;
  std::optional<std::string> path = ConfigFilePath(flags, env, &FileExists);
  if (path.has_value()) {
    const absl::string_view source =
        flags.config.has_value() ? "--config" : (env.hopctl_config ? "$HOPCTL_CONFIG" : "");
    std::ifstream in(*path);
    if (!in) {
      return UsageError(absl::StrCat(source.empty() ? "" : absl::StrCat(source, ": "),
                                     "cannot read config file ", *path));
    }
    std::ostringstream text;
    text << in.rdbuf();
    absl::StatusOr<ClientConfig> parsed = ParseClientConfig(text.str(), *path, env);
    if (!parsed.ok()) return parsed.status();
    config = *std::move(parsed);
  }
  if (flags.server.has_value()) config.server = *flags.server;
  if (flags.ca.has_value()) config.ca = *flags.ca;
  if (flags.crl.has_value()) config.crl = *flags.crl;
  if (flags.cert.has_value()) config.cert = *flags.cert;
  if (flags.key.has_value()) config.key = *flags.key;
  return config;
}

absl::Status RequireComplete(const ClientConfig& config) {
  struct Item {
    const std::string& value;
    absl::string_view flag, value_name, key;
  };
  const Item items[] = {{config.server, "server", "HOST:PORT", "server"},
                        {config.ca, "ca", "FILE", "ca"},
                        {config.crl, "crl", "FILE", "crl"},
                        {config.cert, "cert", "FILE", "cert"},
                        {config.key, "key", "FILE", "key"}};
  for (const Item& item : items) {
    if (item.value.empty() && item.key == "crl") {
      return UsageError(
          "--crl: required (expected FILE): hopctl refuses a server whose certificate the "
          "federation CRL lists, so it needs a current copy of it; give --crl FILE or add "
          "'crl = /path/to/crl.pem' to the config file (the same crl.pem as hopd's tls.crl)");
    }
    if (item.value.empty()) {
      return UsageError(absl::StrCat("--", item.flag, ": required (expected ", item.value_name,
                                     "); give it on the command line or as '", item.key,
                                     " = ...' in the config file"));
    }
  }
  return absl::OkStatus();
}

}  // namespace hop::client
