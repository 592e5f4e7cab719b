// In-process tests of hopctl as a whole (client/hopctl.h): help, exit codes, and that the
// command set matches the API.
#include "client/hopctl.h"

#include <set>
#include <sstream>

#include "client/command.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "hop/v1/admin.pb.h"
#include "hop/v1/casework.pb.h"

namespace hop::client {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

struct RunResult {
  int code;
  std::string out;
  std::string err;
};

RunResult Hopctl(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = RunHopctl(args, ConfigEnv{}, out, err);
  return {code, out.str(), err.str()};
}

// Splits an example command line like a shell would for the quoting the examples use
// ('single quotes'), dropping a trailing "# comment".
std::vector<std::string> ShellSplit(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false, quoted = false;
  for (char c : line) {
    if (quoted) {
      if (c == '\'') {
        quoted = false;
      } else {
        word += c;
      }
    } else if (c == '\'') {
      quoted = in_word = true;
    } else if (c == ' ') {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else if (c == '#' && !in_word) {
      break;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

TEST(HopctlTest, GlobalHelpListsEveryCommand) {
  RunResult run = Hopctl({"--help"});
  EXPECT_EQ(run.code, 0);
  for (const Command& command : AllCommands()) {
    EXPECT_THAT(run.out, HasSubstr(command.spec.path + "  ")) << command.spec.path;
  }
  EXPECT_THAT(run.out, HasSubstr("--timeout SECONDS"));
  EXPECT_THAT(run.out, HasSubstr("Example"));
}

TEST(HopctlTest, EveryCommandHasHelpWithAnExampleThatParses) {
  std::vector<CommandSpec> specs;
  for (const Command& c : AllCommands()) specs.push_back(c.spec);
  for (const Command& command : AllCommands()) {
    std::vector<std::string> args = ShellSplit(command.spec.path);
    args.push_back("--help");
    RunResult run = Hopctl(args);
    EXPECT_EQ(run.code, 0) << command.spec.path;
    EXPECT_THAT(run.out, StartsWith("Usage: hopctl " + command.spec.path));
    ASSERT_FALSE(command.spec.examples.empty()) << command.spec.path;
    for (const std::string& example : command.spec.examples) {
      std::vector<std::string> words = ShellSplit(example);
      ASSERT_EQ(words.front(), "hopctl");
      words.erase(words.begin());
      auto parsed = ParseArgs(words, specs);
      ASSERT_TRUE(parsed.ok()) << example << ": " << parsed.status();
      EXPECT_EQ(parsed->command->path, command.spec.path);
    }
  }
}

TEST(HopctlTest, GroupHelp) {
  RunResult run = Hopctl({"directory", "-h"});
  EXPECT_EQ(run.code, 0);
  EXPECT_THAT(run.out, HasSubstr("directory contact add"));
  EXPECT_THAT(run.out, Not(HasSubstr("case open")));
}

TEST(HopctlTest, UsageErrorsExitTwo) {
  RunResult unknown = Hopctl({"case", "archive"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_THAT(unknown.err, StartsWith("hopctl: unknown command 'case archive'"));

  RunResult missing = Hopctl({"case", "close", "0793-C1"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_THAT(missing.err, HasSubstr("--reason: required"));
  EXPECT_THAT(missing.err, HasSubstr("usage: hopctl case close CASE_ID --reason TEXT"));

  // Value checks happen before any connection is attempted.
  RunResult level = Hopctl(
      {"case", "open", "--child", "1", "--name", "n", "--level", "college", "--institution", "i"});
  EXPECT_EQ(level.code, 2);
  EXPECT_THAT(level.err, HasSubstr("--level: expected kindergarten, school or municipality"));

  RunResult date = Hopctl({"case", "assess", "X", "--date", "01.05.2024", "--conclusion", "c"});
  EXPECT_EQ(date.code, 2);
  EXPECT_THAT(date.err, HasSubstr("--date: expected a date YYYY-MM-DD"));

  RunResult assign = Hopctl({"case", "assign", "X"});
  EXPECT_EQ(assign.code, 2);
  EXPECT_THAT(assign.err, HasSubstr("--responsible USER, --case-manager USER, --add-assignee "
                                    "USER:TASK and/or --remove-assignee USER"));

  RunResult scope = Hopctl({"consent", "grant", "--child", "1", "--guardian", "2", "--to", "0171",
                            "--scope", "everything", "--purpose", "p", "--until", "2030-01-01"});
  EXPECT_EQ(scope.code, 2);
  EXPECT_THAT(scope.err, HasSubstr("--scope: expected summary, contact, services or readiness"));
}

TEST(HopctlTest, MissingConnectionSettingsAreUsageErrors) {
  RunResult none = Hopctl({"whoami"});
  EXPECT_EQ(none.code, 2);
  EXPECT_THAT(none.err, HasSubstr("--server: required"));

  RunResult no_ca = Hopctl({"whoami", "--server", "127.0.0.1:1", "--ca", "/nonexistent/ca.pem",
                            "--crl", "/nonexistent/crl.pem", "--cert", "/nonexistent/c.pem",
                            "--key", "/nonexistent/k.pem"});
  EXPECT_EQ(no_ca.code, 2);
  EXPECT_THAT(no_ca.err, HasSubstr("--ca: /nonexistent/ca.pem: cannot read"));

  RunResult no_crl = Hopctl({"whoami", "--server", "127.0.0.1:1", "--ca", "/nonexistent/ca.pem",
                             "--cert", "/nonexistent/c.pem", "--key", "/nonexistent/k.pem"});
  EXPECT_EQ(no_crl.code, 2);
  EXPECT_THAT(no_crl.err, HasSubstr("--crl: required"));
}

// Every RPC of CaseWork and Admin has its command (a new RPC without one fails here).
TEST(HopctlTest, EveryRpcHasACommand) {
  const std::map<std::string, std::string> rpc_to_command = {
      {"OpenCase", "case open"},
      {"GetCase", "case get"},
      {"ListCases", "case list"},
      {"Escalate", "case escalate"},
      {"MoveToChildProtection", "case protect"},
      {"Assign", "case assign"},
      {"ChangeInstitution", "case move-institution"},
      {"AddNeeds", "case need"},
      {"AddActionItem", "case plan"},
      {"AddService", "case service"},
      {"AddAssessment", "case assess"},
      {"AddNote", "case note"},
      {"SetRelatedMunicipalities", "case relate"},
      {"CloseCase", "case close"},
      {"CountCases", "case counts"},
      {"CountyFigures", "figures"},
      {"GrantConsent", "consent grant"},
      {"WithdrawConsent", "consent withdraw"},
      {"ListConsents", "consent list"},
      {"PutInstitution", "directory institution add"},
      {"PutContact", "directory contact add"},
      {"SearchDirectory", "directory search"},
      {"Lookup", "lookup"},
      {"QueryPeers", "query"},
      {"ListInbox", "inbox"},
      {"AckInbox", "inbox"},
      {"Verify", "audit verify"},
      {"Subject", "audit subject"},
      {"AddUser", "user add"},
      {"RemoveUser", "user remove"},
      {"ListUsers", "user list"},
      {"GetNodeStatus", "status"},
      {"SyncNow", "sync"},
      {"Backup", "admin backup"},
      {"WhoAmI", "whoami"},
      // Issue 13: case work, complete.
      {"EndService", "case end-service"},
      {"CompleteActionItem", "case done"},
      {"ReopenCase", "case reopen"},
      {"LeaveChildProtection", "case leave-protection"},
      {"RetireInstitution", "directory retire-institution"},
      {"RetireContact", "directory retire-contact"},
      {"UpdateUser", "user update"},
  };
  std::set<std::string> paths;
  for (const Command& c : AllCommands()) paths.insert(c.spec.path);
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  // Make sure both files are linked in before looking them up.
  hop::v1::OpenCaseRequest force_casework;
  hop::v1::WhoAmIRequest force_admin;
  hop::v1::VerifyAuditRequest force_audit;
  for (const char* name : {"hop.v1.CaseWork", "hop.v1.Admin", "hop.v1.Audit"}) {
    const auto* service = pool->FindServiceByName(name);
    ASSERT_NE(service, nullptr) << name;
    for (int i = 0; i < service->method_count(); ++i) {
      const std::string method = service->method(i)->name();
      auto it = rpc_to_command.find(method);
      ASSERT_NE(it, rpc_to_command.end()) << "no hopctl command for " << name << "." << method;
      EXPECT_EQ(paths.count(it->second), 1u) << it->second;
    }
  }
}

}  // namespace
}  // namespace hop::client
