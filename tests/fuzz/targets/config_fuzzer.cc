// Fuzzes the node configuration: textproto parsing and every validation of
// daemon/config/node_config (ParseNodeConfig, ValidateNodeConfig, ValidateHostPort), and the
// file path of LoadNodeConfig (through a memfd) for inputs that parse.
// Contracts: no crash or undefined behaviour; a refusal is InvalidArgument; what parses also
// loads from a file; a valid config printed and parsed again is still valid.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "daemon/config/node_config.h"
#include "google/protobuf/text_format.h"
#include "tests/fuzz/targets/fuzz_util.h"

namespace {

using hop::config::FileCheck;
using hop::fuzz::Require;

// LoadNodeConfig reads a path: give it the text as an anonymous in-memory file.
absl::StatusOr<hop::v1::NodeConfig> LoadFromMemfd(absl::string_view text) {
  const int fd = memfd_create("hop-config", 0);
  Require(fd >= 0, "memfd_create");
  Require(write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()), "write");
  auto config = hop::config::LoadNodeConfig(absl::StrCat("/proc/self/fd/", fd));
  close(fd);
  return config;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<hop::v1::NodeConfig> config =
      hop::config::ParseNodeConfig(text, "fuzz.textproto", FileCheck::kSkip);
  if (!config.ok()) {
    Require(absl::IsInvalidArgument(config.status()), "config refusal is not InvalidArgument");
  } else {
    // With the file checks on, the same text may fail only for the TLS files.
    absl::StatusOr<hop::v1::NodeConfig> loaded = LoadFromMemfd(text);
    Require(loaded.ok() || absl::IsInvalidArgument(loaded.status()), "load refusal code");
    std::string printed;
    Require(google::protobuf::TextFormat::PrintToString(*config, &printed), "print");
    Require(hop::config::ParseNodeConfig(printed, "printed", FileCheck::kSkip).ok(),
            "a valid config printed and parsed again is refused");
  }
  hop::fuzz::RequireFieldError(hop::config::ValidateHostPort(text, "address"), "address");
  return 0;
}
