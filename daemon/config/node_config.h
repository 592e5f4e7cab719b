// Node configuration (hop.v1.NodeConfig textproto): parsing and validation.
// Every problem is reported, not only the first: the error message has one line per problem,
// each starting with the field path (e.g. "peers[1].address") and saying what is expected.
// Pure except for LoadNodeConfig (reads the file) and the file checks noted below.
// Thread-safe.
#ifndef HOP_DAEMON_CONFIG_NODE_CONFIG_H_
#define HOP_DAEMON_CONFIG_NODE_CONFIG_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "hop/v1/config.pb.h"

namespace hop::config {

// Whether validation also checks that the TLS files exist (off for example configs that
// name paths of another machine).
enum class FileCheck { kCheck, kSkip };

// Parses textproto `text` (`source` names it in errors, e.g. the file path) and validates it.
// InvalidArgument for syntax errors (with line:column), unknown fields, and any problem found
// by ValidateNodeConfig.
absl::StatusOr<hop::v1::NodeConfig> ParseNodeConfig(absl::string_view text,
                                                    absl::string_view source,
                                                    FileCheck files = FileCheck::kCheck);

// Reads and parses `path`. NotFound/PermissionDenied if the file cannot be read.
absl::StatusOr<hop::v1::NodeConfig> LoadNodeConfig(const std::string& path);

// Checks every field: municipality is a known EHAK code; data_dir set; listen addresses are
// host:port; the TLS files are set and exist; peers have known, distinct codes other than the
// node's own and host:port addresses; nightly_at is HH:MM; bootstrap_admins are valid user
// ids. InvalidArgument listing every problem.
absl::Status ValidateNodeConfig(const hop::v1::NodeConfig& config,
                                FileCheck files = FileCheck::kCheck);

// OK if `address` is "host:port" or "[v6]:port" with port 1..65535; InvalidArgument naming
// `field` otherwise.
absl::Status ValidateHostPort(absl::string_view address, absl::string_view field);

}  // namespace hop::config

#endif  // HOP_DAEMON_CONFIG_NODE_CONFIG_H_
