// The console's HTTPS port and JSON API (issue 12) as an attacker would try them, against a
// real hopd over real TLS: who signs in as whom (staff certificates, ID cards, an ID-card CA
// that tries to mint a hop identity), the request rules a cross-site page cannot meet, the
// headers, the same rules and errors as the gRPC staff API, and refusals that change nothing.
// The console's pages are a stand-in index.html: this tests the server, tests/browser the
// pages.
#include <httplib.h>
#include <signal.h>

#include <filesystem>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/support/harness.h"

namespace hop {
namespace {

using ::hop::testing::CertPaths;
using ::hop::testing::NodeFixture;
using ::hop::testing::RunCommand;
using ::hop::testing::TempDir;

constexpr char kChild[] = "61604150239";
constexpr char kCardHolder[] = "48001010005";  // a case manager's ID card
constexpr char kStranger[] = "38001010009";    // an ID card nobody registered

// An ID-card-shaped certificate: subject serialNumber PNOEE-<code>, clientAuth, no URI SAN
// unless `extra_ext` adds one. Made with the openssl CLI by a CA of its own in `dir`.
CertPaths IssueIdCard(const std::string& dir, const std::string& code,
                      const std::string& extra_ext = "") {
  const std::string base = absl::StrCat(dir, "/card-", code, extra_ext.empty() ? "" : "-x");
  const std::string ext = base + ".ext";
  EXPECT_TRUE(testing::WriteFile(ext, absl::StrCat("basicConstraints=critical,CA:FALSE\n"
                                                   "keyUsage=critical,digitalSignature\n"
                                                   "extendedKeyUsage=clientAuth\n",
                                                   extra_ext))
                  .ok());
  auto run = [](std::vector<std::string> argv) {
    testing::CommandResult r = RunCommand(argv);
    EXPECT_EQ(r.exit_code, 0) << r.err;
  };
  run({"openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
       "-keyout", base + ".key", "-out", base + ".csr", "-subj",
       absl::StrCat("/C=EE/CN=KASK\\,KATI\\,", code, "/SN=KASK/GN=KATI/serialNumber=PNOEE-",
                    code)});
  run({"openssl", "x509", "-req", "-in", base + ".csr", "-CA", dir + "/idca.pem", "-CAkey",
       dir + "/idca.key", "-CAcreateserial", "-days", "30", "-extfile", ext, "-out",
       base + ".pem"});
  return {base + ".pem", base + ".key"};
}

class ConsoleSecurityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    signal(SIGPIPE, SIG_IGN);  // a refused handshake closes the socket under the client
    side_ = new TempDir("hop-console");
    std::filesystem::create_directories(side_->Path("www"));
    ASSERT_TRUE(
        testing::WriteFile(side_->Path("www/index.html"), "<!doctype html><p>hop</p>").ok());
    testing::CommandResult ca = RunCommand({"openssl",
                                            "req",
                                            "-x509",
                                            "-newkey",
                                            "ec",
                                            "-pkeyopt",
                                            "ec_paramgen_curve:P-256",
                                            "-nodes",
                                            "-keyout",
                                            side_->Path("idca.key"),
                                            "-out",
                                            side_->Path("idca.pem"),
                                            "-days",
                                            "30",
                                            "-subj",
                                            "/C=EE/O=Test/CN=TEST of ESTEID",
                                            "-addext",
                                            "basicConstraints=critical,CA:TRUE",
                                            "-addext",
                                            "keyUsage=critical,keyCertSign,cRLSign"});
    ASSERT_EQ(ca.exit_code, 0) << ca.err;
    port_ = testing::PickFreePort();
    testing::NodeOptions options;
    options.ehak = "0283";
    options.extra_config = absl::StrCat(
        "console_listen: \"127.0.0.1:", port_, "\"\nconsole { static_dir: \"", side_->Path("www"),
        "\" id_card_ca_files: \"", side_->Path("idca.pem"), "\" }\n");
    absl::StatusOr<std::unique_ptr<NodeFixture>> node = NodeFixture::Start(options);
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = node->release();
    Run("admin", {"user", "add", "leader", "--role", "network-leader", "--name", "Leader"});
    Run("admin", {"user", "add", "kati", "--role", "case-manager", "--name", "Kati Kask",
                  "--id-code", kCardHolder});
    school_a_ =
        Id(Run("leader", {"--json", "directory", "institution", "add", "--name", "Kool A", "--kind",
                          "school", "--ownership", "municipal", "--municipality", "0283"}));
    school_b_ =
        Id(Run("leader", {"--json", "directory", "institution", "add", "--name", "Kool B", "--kind",
                          "school", "--ownership", "municipal", "--municipality", "0283"}));
    Run("admin", {"user", "add", "teacher-b", "--role", "teacher", "--name", "B", "--institution",
                  school_b_});
    Run("admin", {"user", "add", "teacher-a", "--role", "teacher", "--name", "A", "--institution",
                  school_a_});
    case_id_ = Id(Run("teacher-a", {"--json", "case", "open", "--child", kChild, "--name", "Laps",
                                    "--level", "school", "--institution", school_a_}));
    ASSERT_FALSE(case_id_.empty());
    card_ = IssueIdCard(side_->path(), kCardHolder);
    stranger_ = IssueIdCard(side_->path(), kStranger);
    // An ID-card CA that puts the admin's hop identity into a card certificate.
    forged_ = IssueIdCard(side_->path(), kStranger,
                          "subjectAltName=URI:spiffe://hop.tartumaa.ee/municipality/0283/staff/"
                          "admin\n");
  }
  static void TearDownTestSuite() {
    delete node_;
    delete side_;
  }

  static std::string Run(const std::string& user, std::vector<std::string> args) {
    testing::CommandResult r = node_->Hopctl(user, std::move(args));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }
  static std::string Id(const std::string& json) {
    const size_t at = json.find("\"id\"");
    if (at == std::string::npos) return "";
    const size_t open = json.find('"', json.find(':', at) + 1);
    return json.substr(open + 1, json.find('"', open + 1) - open - 1);
  }

  // An HTTPS client of the console presenting `cert` (none when empty), trusting the
  // federation CA for the server.
  static std::unique_ptr<httplib::SSLClient> Client(const CertPaths& cert) {
    auto client = cert.cert.empty() ? std::make_unique<httplib::SSLClient>("127.0.0.1", port_)
                                    : std::make_unique<httplib::SSLClient>("127.0.0.1", port_,
                                                                           cert.cert, cert.key);
    client->set_ca_cert_path(node_->pki().ca_cert().c_str());
    client->enable_server_certificate_verification(true);
    client->set_read_timeout(30, 0);
    return client;
  }
  static httplib::Headers ConsoleHeaders() { return {{"X-Hop-Client", "console"}}; }

  // POST /api/<method> with the console's header; the result, or a status of -1.
  static httplib::Result Post(const CertPaths& cert, const std::string& method,
                              const std::string& body,
                              httplib::Headers headers = ConsoleHeaders()) {
    return Client(cert)->Post(("/api/" + method).c_str(), headers, body, "application/json");
  }
  static int Users() {
    httplib::Result r = Post(node_->Staff("admin"), "hop.v1.Admin/ListUsers", "{}");
    if (!r) return -1;
    int n = 0;
    for (size_t at = r->body.find("\"userId\""); at != std::string::npos;
         at = r->body.find("\"userId\"", at + 1)) {
      ++n;
    }
    return n;
  }

  static TempDir* side_;
  static NodeFixture* node_;
  static int port_;
  static std::string school_a_, school_b_, case_id_;
  static CertPaths card_, stranger_, forged_;
};

TempDir* ConsoleSecurityTest::side_ = nullptr;
NodeFixture* ConsoleSecurityTest::node_ = nullptr;
int ConsoleSecurityTest::port_ = 0;
std::string ConsoleSecurityTest::school_a_, ConsoleSecurityTest::school_b_,
    ConsoleSecurityTest::case_id_;
CertPaths ConsoleSecurityTest::card_, ConsoleSecurityTest::stranger_, ConsoleSecurityTest::forged_;

TEST_F(ConsoleSecurityTest, PagesCarryAStrictPolicy) {
  httplib::Result r = Client(CertPaths{})->Get("/");
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("hop"), std::string::npos);
  const std::string csp = r->get_header_value("Content-Security-Policy");
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Client(CertPaths{})->Get("/../../etc/passwd")->status, 404);
  httplib::Result reference = Client(CertPaths{})->Get("/api/reference");
  ASSERT_TRUE(reference);
  EXPECT_NE(reference->body.find("\"Kambja vald\""), std::string::npos);
  EXPECT_NE(reference->body.find("\"thisMunicipality\":\"0283\""), std::string::npos);
}

TEST_F(ConsoleSecurityTest, AStaffCertificateSignsInAsItsUser) {
  httplib::Result r = Post(node_->Staff("admin"), "hop.v1.Admin/WhoAmI", "{}");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_NE(r->body.find("\"name\":\"admin\""), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("\"role\":\"ROLE_ADMIN\""), std::string::npos) << r->body;
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");
}

TEST_F(ConsoleSecurityTest, WithoutACertificateEveryCallIs401) {
  httplib::Result r = Post(CertPaths{}, "hop.v1.CaseWork/ListCases", "{}");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401) << r->body;
  EXPECT_NE(r->body.find("\"code\":\"UNAUTHENTICATED\""), std::string::npos) << r->body;
}

TEST_F(ConsoleSecurityTest, AnIdCardSignsInAsTheUserRegisteredWithItsIsikukood) {
  httplib::Result r = Post(card_, "hop.v1.Admin/WhoAmI", "{}");
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_NE(r->body.find("\"name\":\"kati\""), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("ROLE_CASE_MANAGER"), std::string::npos) << r->body;
  httplib::Result cases = Post(card_, "hop.v1.CaseWork/ListCases", "{}");
  ASSERT_TRUE(cases);
  EXPECT_EQ(cases->status, 200) << cases->body;
  EXPECT_NE(cases->body.find(case_id_), std::string::npos);
  // The card may do what a case manager may, not what an admin may.
  EXPECT_EQ(Post(card_, "hop.v1.Admin/ListUsers", "{}")->status, 403);
}

TEST_F(ConsoleSecurityTest, AnUnregisteredIdCardIsRefused) {
  httplib::Result r = Post(stranger_, "hop.v1.CaseWork/ListCases", "{}");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403) << r->body;
  EXPECT_NE(r->body.find("not registered"), std::string::npos) << r->body;
  EXPECT_EQ(r->body.find(kStranger), std::string::npos) << "the refusal repeats the isikukood";
}

TEST_F(ConsoleSecurityTest, AnIdCardCaCannotMintAHopIdentity) {
  httplib::Result r = Post(forged_, "hop.v1.Admin/ListUsers", "{}");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403) << r->body;
  httplib::Result who = Post(forged_, "hop.v1.Admin/WhoAmI", "{}");
  ASSERT_TRUE(who);
  EXPECT_EQ(who->status, 403) << who->body;
  EXPECT_EQ(who->body.find("\"name\":\"admin\""), std::string::npos) << who->body;
}

TEST_F(ConsoleSecurityTest, ACertificateOfNoTrustedCaFailsTheHandshake) {
  TempDir other;
  absl::StatusOr<testing::Pki> pki = testing::Pki::Create(other.path() + "/pki");
  ASSERT_TRUE(pki.ok()) << pki.status();
  absl::StatusOr<CertPaths> foreign = pki->IssueStaff("0283", "admin");
  ASSERT_TRUE(foreign.ok()) << foreign.status();
  httplib::Result r = Post(*foreign, "hop.v1.Admin/ListUsers", "{}");
  EXPECT_FALSE(r && r->status == 200);
}

TEST_F(ConsoleSecurityTest, CrossSiteRequestsAreRefusedAndChangeNothing) {
  const int before = Users();
  ASSERT_GT(before, 0);
  const std::string add = R"({"user":{"userId":"mallory","name":"M","role":"ROLE_ADMIN"}})";
  const CertPaths admin = node_->Staff("admin");
  // No console header (what a cross-site form or fetch without preflight sends).
  httplib::Result bare = Post(admin, "hop.v1.Admin/AddUser", add, {});
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->status, 403);
  EXPECT_NE(bare->body.find("X-Hop-Client"), std::string::npos) << bare->body;
  // Another origin, even with the header.
  httplib::Result foreign = Post(admin, "hop.v1.Admin/AddUser", add,
                                 {{"X-Hop-Client", "console"}, {"Origin", "https://evil.example"}});
  ASSERT_TRUE(foreign);
  EXPECT_EQ(foreign->status, 403);
  httplib::Result site = Post(admin, "hop.v1.Admin/AddUser", add,
                              {{"X-Hop-Client", "console"}, {"Sec-Fetch-Site", "cross-site"}});
  ASSERT_TRUE(site);
  EXPECT_EQ(site->status, 403);
  // A form post (text/plain) and a GET.
  httplib::Result form =
      Client(admin)->Post("/api/hop.v1.Admin/AddUser", ConsoleHeaders(), add, "text/plain");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 403);
  httplib::Result get = Client(admin)->Get("/api/hop.v1.Admin/ListUsers", ConsoleHeaders());
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 403);
  EXPECT_EQ(Users(), before);
  // The same request done right goes through (the refusals were the rules, not the body).
  httplib::Result ok = Post(admin, "hop.v1.Admin/AddUser", add);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << ok->body;
  EXPECT_EQ(Users(), before + 1);
}

TEST_F(ConsoleSecurityTest, TheSameRulesAndErrorsAsTheStaffApi) {
  // A teacher cannot read another institution's case.
  httplib::Result other = Post(node_->Staff("teacher-b"), "hop.v1.CaseWork/GetCase",
                               absl::StrCat(R"({"caseId":")", case_id_, R"("})"));
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 403) << other->body;
  EXPECT_EQ(other->body.find(kChild), std::string::npos);
  httplib::Result own = Post(node_->Staff("teacher-a"), "hop.v1.CaseWork/GetCase",
                             absl::StrCat(R"({"caseId":")", case_id_, R"("})"));
  ASSERT_TRUE(own);
  EXPECT_EQ(own->status, 200) << own->body;
  // Bad input names the field; unknown fields and broken JSON are refused before any call.
  httplib::Result bad = Post(node_->Staff("teacher-a"), "hop.v1.CaseWork/OpenCase",
                             R"({"child":{"isikukood":"123","name":"X"},"level":"LEVEL_SCHOOL"})");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400) << bad->body;
  EXPECT_NE(bad->body.find("isikukood"), std::string::npos) << bad->body;
  EXPECT_EQ(Post(node_->Staff("teacher-a"), "hop.v1.CaseWork/ListCases", R"({"bogus":1})")->status,
            400);
  EXPECT_EQ(Post(node_->Staff("teacher-a"), "hop.v1.CaseWork/ListCases", "{not json")->status, 400);
  // Only the staff API: the federation port's methods and unknown paths are not there.
  EXPECT_EQ(Post(node_->Staff("admin"), "hop.v1.Federation/Pull", "{}")->status, 404);
  EXPECT_EQ(Post(node_->Staff("admin"), "hop.v1.Admin/NoSuchMethod", "{}")->status, 404);
  // A network leader gets counts, and is refused the cases.
  EXPECT_EQ(Post(node_->Staff("leader"), "hop.v1.CaseWork/CountCases", "{}")->status, 200);
  EXPECT_EQ(Post(node_->Staff("leader"), "hop.v1.CaseWork/ListCases", "{}")->status, 403);
}

TEST_F(ConsoleSecurityTest, ConsoleCallsAreAuditedLikeAnyOther) {
  // Reads through the console are in the child's access report as the person who made them
  // (the staff API's one audit path).
  const std::string body = absl::StrCat(R"({"caseId":")", case_id_, R"("})");
  ASSERT_EQ(Post(node_->Staff("teacher-a"), "hop.v1.CaseWork/GetCase", body)->status, 200);
  ASSERT_EQ(Post(card_, "hop.v1.CaseWork/GetCase", body)->status, 200);
  testing::CommandResult report =
      node_->Hopctl("kati", {"--json", "audit", "subject", "--child", kChild});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_NE(report.out.find("municipality/0283/staff/teacher-a"), std::string::npos) << report.out;
  EXPECT_NE(report.out.find("municipality/0283/staff/kati"), std::string::npos)
      << "the ID card's read is audited as its user: " << report.out;
  EXPECT_EQ(report.out.find(kCardHolder), std::string::npos) << "no staff isikukood in audit";
}

TEST_F(ConsoleSecurityTest, OnlyTls13IsSpoken) {
  const std::string address = absl::StrCat("127.0.0.1:", port_);
  testing::CommandResult old = RunCommand(
      {"openssl", "s_client", "-connect", address, "-tls1_2", "-CAfile", node_->pki().ca_cert()},
      {}, 30);
  EXPECT_NE(old.exit_code, 0) << old.out;
  testing::CommandResult current = RunCommand(
      {"openssl", "s_client", "-connect", address, "-tls1_3", "-CAfile", node_->pki().ca_cert()},
      {}, 30);
  EXPECT_NE(current.out.find("TLSv1.3"), std::string::npos) << current.out << current.err;
}

}  // namespace
}  // namespace hop
