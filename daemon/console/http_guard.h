// The console's request rules and response headers, as pure functions (console_server.cc
// applies them to every request).
//
// Sign-in by client certificate is ambient (the browser sends it with any request to the
// console, whichever page caused it), so every API request must prove it comes from the
// console's own page or from a system calling on purpose:
//   - method POST, Content-Type application/json (a cross-site form cannot send it);
//   - header X-Hop-Client: a name of 1..40 of [A-Za-z0-9._-] (the console sends "console",
//     a school system its own name); a cross-site page cannot add a header without a CORS
//     preflight, which the console never grants;
//   - Origin, when present, is the console's own (https://<Host>); Sec-Fetch-Site, when
//     present, is same-origin or none.
// Anything else is refused with PERMISSION_DENIED naming the rule, before any work.
// Thread-safe.
#ifndef HOP_DAEMON_CONSOLE_HTTP_GUARD_H_
#define HOP_DAEMON_CONSOLE_HTTP_GUARD_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace hop::console {

inline constexpr absl::string_view kClientHeader = "X-Hop-Client";

struct ApiRequest {
  std::string method;          // "POST"
  std::string content_type;    // Content-Type
  std::string client;          // X-Hop-Client
  std::string origin;          // Origin ("" when absent)
  std::string host;            // Host
  std::string sec_fetch_site;  // Sec-Fetch-Site ("" when absent)
};

// OK, or PERMISSION_DENIED / INVALID_ARGUMENT naming the broken rule and the fix.
absl::Status CheckApiRequest(const ApiRequest& request);

// The headers of every console response. `personal`: the body may hold personal data
// (every /api/ answer): Cache-Control no-store; otherwise no-cache.
std::vector<std::pair<std::string, std::string>> SecurityHeaders(bool personal);

}  // namespace hop::console

#endif  // HOP_DAEMON_CONSOLE_HTTP_GUARD_H_
