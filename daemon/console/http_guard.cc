#include "daemon/console/http_guard.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace hop::console {
namespace {

bool IsClientName(absl::string_view name) {
  if (name.empty() || name.size() > 40) return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return false;
    }
  }
  return true;
}

}  // namespace

absl::Status CheckApiRequest(const ApiRequest& r) {
  if (r.method != "POST") {
    return absl::PermissionDeniedError(
        absl::StrCat(r.method, " is not allowed on /api/: every API call is a POST"));
  }
  const absl::string_view type = absl::StripAsciiWhitespace(
      absl::string_view(r.content_type).substr(0, r.content_type.find(';')));
  if (!absl::EqualsIgnoreCase(type, "application/json")) {
    return absl::PermissionDeniedError(
        "Content-Type must be application/json (the request message as proto3 JSON)");
  }
  if (!IsClientName(r.client)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "missing or malformed ", kClientHeader, " header: name the calling system, e.g. \"",
        kClientHeader, ": e-kool\" (1 to 40 of A-Z a-z 0-9 . _ -); the console sends its own"));
  }
  if (!r.origin.empty() && r.origin != absl::StrCat("https://", r.host)) {
    return absl::PermissionDeniedError(
        absl::StrCat("request from another origin (", r.origin,
                     ") refused: the console's API answers its own pages and direct callers only"));
  }
  if (!r.sec_fetch_site.empty() && r.sec_fetch_site != "same-origin" &&
      r.sec_fetch_site != "none") {
    return absl::PermissionDeniedError(
        absl::StrCat("cross-site request (Sec-Fetch-Site: ", r.sec_fetch_site, ") refused"));
  }
  return absl::OkStatus();
}

std::vector<std::pair<std::string, std::string>> SecurityHeaders(bool personal) {
  return {
      {"Content-Security-Policy",
       "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; "
       "frame-ancestors 'none'"},
      {"Cache-Control", personal ? "no-store" : "no-cache"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "DENY"},
      {"Strict-Transport-Security", "max-age=31536000"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Cross-Origin-Resource-Policy", "same-origin"},
      {"Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"},
  };
}

}  // namespace hop::console
