// Shared by commands_case.cc and commands_case_edit.cc.
#ifndef HOP_CLIENT_COMMANDS_CASE_COMMON_H_
#define HOP_CLIENT_COMMANDS_CASE_COMMON_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "client/command.h"
#include "hop/v1/records.pb.h"

namespace hop::client {

// Prints a case returned by a call (JSON or the key/value block), or returns the call's error.
absl::Status PrintCase(CommandContext& ctx, const absl::StatusOr<hop::v1::Case>& result);

// case need|plan|service|assess|note|relate.
std::vector<Command> CaseEditCommands();

}  // namespace hop::client

#endif  // HOP_CLIENT_COMMANDS_CASE_COMMON_H_
