// The console's request rules (http_guard.h) and JSON mapping (json_api.h), as pure functions.
#include "absl/strings/match.h"
#include "daemon/console/http_guard.h"
#include "daemon/console/json_api.h"
#include "gtest/gtest.h"
#include "hop/v1/casework.pb.h"

namespace hop::console {
namespace {

ApiRequest Good() {
  return {"POST",      "application/json; charset=utf-8",
          "console",   "https://node:8443",
          "node:8443", "same-origin"};
}

TEST(HttpGuardTest, TheConsolesOwnRequestPasses) {
  EXPECT_TRUE(CheckApiRequest(Good()).ok());
  ApiRequest direct = Good();  // curl: no Origin, no Sec-Fetch-Site
  direct.origin.clear();
  direct.sec_fetch_site.clear();
  direct.client = "e-kool";
  EXPECT_TRUE(CheckApiRequest(direct).ok());
}

TEST(HttpGuardTest, EachRuleRefusesOnItsOwn) {
  ApiRequest r = Good();
  r.method = "GET";
  EXPECT_TRUE(absl::IsPermissionDenied(CheckApiRequest(r)));
  r = Good();
  r.content_type = "text/plain";
  EXPECT_TRUE(absl::IsPermissionDenied(CheckApiRequest(r)));
  r = Good();
  r.content_type = "application/x-www-form-urlencoded";
  EXPECT_TRUE(absl::IsPermissionDenied(CheckApiRequest(r)));
  for (const char* client :
       {"", "has space", "a\nb", "x<script>", "0123456789012345678901234567890123456789x"}) {
    r = Good();
    r.client = client;
    absl::Status s = CheckApiRequest(r);
    EXPECT_TRUE(absl::IsPermissionDenied(s)) << client;
    EXPECT_TRUE(absl::StrContains(s.message(), "X-Hop-Client")) << s;
  }
  r = Good();
  r.origin = "https://evil.example";
  EXPECT_TRUE(absl::IsPermissionDenied(CheckApiRequest(r)));
  r = Good();
  r.origin = "http://node:8443";  // the same host without TLS is another origin
  EXPECT_TRUE(absl::IsPermissionDenied(CheckApiRequest(r)));
  r = Good();
  r.origin = "null";
  EXPECT_TRUE(absl::IsPermissionDenied(CheckApiRequest(r)));
  r = Good();
  r.sec_fetch_site = "cross-site";
  EXPECT_TRUE(absl::IsPermissionDenied(CheckApiRequest(r)));
  r.sec_fetch_site = "same-site";
  EXPECT_TRUE(absl::IsPermissionDenied(CheckApiRequest(r)));
}

TEST(HttpGuardTest, PersonalAnswersAreNeverStored) {
  auto find = [](bool personal, const std::string& name) {
    for (const auto& [n, v] : SecurityHeaders(personal)) {
      if (n == name) return v;
    }
    return std::string();
  };
  EXPECT_EQ(find(true, "Cache-Control"), "no-store");
  EXPECT_EQ(find(false, "Cache-Control"), "no-cache");
  const std::string csp = find(false, "Content-Security-Policy");
  EXPECT_TRUE(absl::StrContains(csp, "default-src 'none'"));
  EXPECT_FALSE(absl::StrContains(csp, "unsafe-inline"));
  EXPECT_FALSE(absl::StrContains(csp, "unsafe-eval"));
  EXPECT_FALSE(absl::StrContains(csp, "http"));  // no other origin
}

TEST(JsonApiTest, OnlyStaffMethodsAreFound) {
  EXPECT_TRUE(FindStaffMethod("hop.v1.CaseWork/GetCase").ok());
  EXPECT_TRUE(FindStaffMethod("hop.v1.Admin/WhoAmI").ok());
  EXPECT_TRUE(FindStaffMethod("hop.v1.Audit/Subject").ok());
  for (const char* path :
       {"hop.v1.Federation/Pull", "hop.v1.Federation/Query", "grpc.health.v1.Health/Check",
        "hop.v1.CaseWork/Nope", "hop.v1.CaseWork", "hop.v1.CaseWork/GetCase/x", ""}) {
    EXPECT_TRUE(absl::IsNotFound(FindStaffMethod(path).status())) << path;
  }
}

TEST(JsonApiTest, RequestsAreProtobufsOwnJsonMapping) {
  const auto* method = *FindStaffMethod("hop.v1.CaseWork/GetCase");
  absl::StatusOr<std::string> bytes = RequestFromJson(*method, R"({"caseId":"C1"})");
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  hop::v1::GetCaseRequest request;
  ASSERT_TRUE(request.ParseFromString(*bytes));
  EXPECT_EQ(request.case_id(), "C1");
  EXPECT_TRUE(RequestFromJson(*method, "").ok());  // empty body = {}
  absl::Status unknown = RequestFromJson(*method, R"({"caseID":"C1"})").status();
  EXPECT_TRUE(absl::IsInvalidArgument(unknown));
  EXPECT_TRUE(absl::StrContains(unknown.message(), "hop.v1.GetCaseRequest")) << unknown;
  EXPECT_TRUE(absl::IsInvalidArgument(RequestFromJson(*method, "[1,2]").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(RequestFromJson(*method, R"({"caseId":7})").status()));
}

TEST(JsonApiTest, ResponsesPrintDefaultsAndErrorsTheirCode) {
  const auto* method = *FindStaffMethod("hop.v1.CaseWork/AckInbox");
  hop::v1::AckInboxResponse response;
  absl::StatusOr<std::string> json = ResponseToJson(*method, response.SerializeAsString());
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(*json, R"({"acknowledged":0})");
  EXPECT_EQ(ErrorJson(absl::PermissionDeniedError("role \"x\" may not")),
            R"({"code":"PERMISSION_DENIED","message":"role \"x\" may not"})");
  EXPECT_EQ(HttpStatus(absl::StatusCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatus(absl::StatusCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatus(absl::StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatus(absl::StatusCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatus(absl::StatusCode::kInternal), 500);
}

}  // namespace
}  // namespace hop::console
