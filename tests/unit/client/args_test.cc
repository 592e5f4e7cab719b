// Tests of the hopctl argument parser (client/args.h).
#include "client/args.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hop::client {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<CommandSpec> Specs() {
  return {
      {"case get", "get", "CASE_ID", 1, 1, {}, {}},
      {"case close",
       "close",
       "CASE_ID",
       1,
       1,
       {FlagSpec{"reason", "TEXT", "why", true, false}},
       {}},
      {"case list",
       "list",
       "",
       0,
       0,
       {FlagSpec{"stage", "I|II|III", "", false, false},
        FlagSpec{"child-protection", "", "", false, false}},
       {}},
      {"case open",
       "open",
       "",
       0,
       0,
       {FlagSpec{"need", "AREA", "", false, true}, FlagSpec{"child", "IK", "", true, false}},
       {}},
      {"case note", "note", "CASE_ID TEXT...", 2, -1, {}, {}},
      {"directory institution add", "add", "", 0, 0, {}, {}},
      {"status", "status", "", 0, 0, {}, {}},
  };
}

absl::StatusOr<ParsedArgs> Parse(const std::vector<CommandSpec>& specs,
                                 std::vector<std::string> args) {
  return ParseArgs(args, specs);
}

TEST(ArgsTest, CommandWordsPositionalsAndFlags) {
  auto specs = Specs();
  auto parsed = Parse(specs, {"case", "close", "0793-C1", "--reason", "goals reached"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_NE(parsed->command, nullptr);
  EXPECT_EQ(parsed->command->path, "case close");
  EXPECT_THAT(parsed->positionals, ElementsAre("0793-C1"));
  EXPECT_EQ(parsed->Get("reason"), "goals reached");
  EXPECT_FALSE(parsed->help);
}

TEST(ArgsTest, GlobalOptionsBeforeAndAfterTheCommand) {
  auto specs = Specs();
  auto parsed = Parse(specs, {"--server", "h:1", "--json", "case", "get", "X", "--cert=c.pem",
                              "--timeout", "2.5", "--key", "k", "--ca", "ca", "--config", "f"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->globals.server.value(), "h:1");
  EXPECT_EQ(parsed->globals.cert.value(), "c.pem");
  EXPECT_EQ(parsed->globals.key.value(), "k");
  EXPECT_EQ(parsed->globals.ca.value(), "ca");
  EXPECT_EQ(parsed->globals.config.value(), "f");
  EXPECT_TRUE(parsed->globals.json);
  EXPECT_EQ(parsed->globals.timeout, absl::Milliseconds(2500));
}

TEST(ArgsTest, DefaultsWhenNoGlobalOptions) {
  auto specs = Specs();
  auto parsed = Parse(specs, {"status"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_FALSE(parsed->globals.server.has_value());
  EXPECT_FALSE(parsed->globals.json);
  EXPECT_EQ(parsed->globals.timeout, absl::Seconds(10));
}

TEST(ArgsTest, InlineValuesBooleansAndRepeats) {
  auto specs = Specs();
  auto parsed = Parse(specs, {"case", "open", "--child=123", "--need", "a", "--need=b"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->Get("child"), "123");
  EXPECT_THAT(parsed->GetAll("need"), ElementsAre("a", "b"));
  EXPECT_THAT(parsed->GetAll("missing"), ElementsAre());
  auto list = Parse(specs, {"case", "list", "--child-protection", "--stage", "II"});
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_TRUE(list->Has("child-protection"));
  EXPECT_FALSE(list->Has("status"));
}

TEST(ArgsTest, DoubleDashEndsOptions) {
  auto specs = Specs();
  auto parsed = Parse(specs, {"case", "note", "X", "--", "--not an option", "-1"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(parsed->positionals, ElementsAre("X", "--not an option", "-1"));
}

TEST(ArgsTest, EmptyValueIsAValue) {
  auto specs = Specs();
  auto parsed = Parse(specs, {"case", "close", "X", "--reason", ""});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->Has("reason"));
  EXPECT_EQ(parsed->Get("reason"), "");
}

struct BadCase {
  std::vector<std::string> args;
  std::string message;
};

TEST(ArgsTest, UsageErrorsNameTheProblem) {
  auto specs = Specs();
  const std::vector<BadCase> cases = {
      {{}, "missing command"},
      {{"frobnicate"}, "unknown command 'frobnicate'"},
      {{"case", "frob"}, "expected one of: get, close, list, open, note"},
      {{"case"}, "'case' needs one more word: get, close, list, open, note"},
      {{"case", "close", "X"}, "--reason: required by 'case close' (expected TEXT)"},
      {{"case", "close", "X", "--reason"}, "--reason: expected TEXT"},
      {{"case", "close", "X", "--reason", "--json"}, "--reason: expected TEXT"},
      {{"case", "close", "X", "--reason", "a", "--reason", "b"}, "--reason: given more than once"},
      {{"case", "close", "X", "--bogus", "1"}, "unknown option --bogus for 'case close'"},
      {{"case", "--stage", "I", "list"}, "command options go after the full command"},
      {{"case", "get"}, "missing argument; expected case get CASE_ID"},
      {{"case", "get", "A", "B"}, "unexpected argument 'B'"},
      {{"case", "list", "--child-protection=yes"}, "--child-protection: takes no value"},
      {{"status", "--json=1"}, "--json: takes no value"},
      {{"status", "--timeout", "0"}, "--timeout: expected a positive number of seconds"},
      {{"status", "--timeout", "soon"}, "--timeout: expected a positive number of seconds"},
      {{"status", "--server"}, "--server: expected HOST:PORT"},
      {{"status", "-x"}, "unknown option '-x'"},
  };
  for (const BadCase& c : cases) {
    auto parsed = Parse(specs, c.args);
    ASSERT_FALSE(parsed.ok()) << ::testing::PrintToString(c.args);
    EXPECT_TRUE(IsUsageError(parsed.status())) << parsed.status();
    EXPECT_THAT(std::string(parsed.status().message()), HasSubstr(c.message))
        << ::testing::PrintToString(c.args);
  }
}

TEST(ArgsTest, HelpIsLenient) {
  auto specs = Specs();
  auto global = Parse(specs, {"-h"});
  ASSERT_TRUE(global.ok()) << global.status();
  EXPECT_TRUE(global->help);
  EXPECT_EQ(global->command, nullptr);
  EXPECT_TRUE(global->words.empty());

  auto group = Parse(specs, {"case", "--help"});
  ASSERT_TRUE(group.ok()) << group.status();
  EXPECT_EQ(group->command, nullptr);
  EXPECT_THAT(group->words, ElementsAre("case"));

  // Required flags and unknown options do not matter with --help.
  auto command = Parse(specs, {"case", "close", "--help", "--whatever"});
  ASSERT_TRUE(command.ok()) << command.status();
  ASSERT_NE(command->command, nullptr);
  EXPECT_EQ(command->command->path, "case close");

  // "--help" after "--" is text.
  auto text = Parse(specs, {"case", "note", "X", "--", "--help"});
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_FALSE(text->help);
}

TEST(ArgsTest, NextWords) {
  auto specs = Specs();
  EXPECT_THAT(NextWords(specs, {}), ElementsAre("case", "directory", "status"));
  EXPECT_THAT(NextWords(specs, {"directory"}), ElementsAre("institution"));
  EXPECT_THAT(NextWords(specs, {"status"}), ElementsAre());
}

TEST(ArgsTest, UsageErrorMarker) {
  EXPECT_TRUE(IsUsageError(UsageError("x")));
  EXPECT_EQ(UsageError("x").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(IsUsageError(absl::InvalidArgumentError("x")));
  EXPECT_FALSE(IsUsageError(absl::OkStatus()));
}

}  // namespace
}  // namespace hop::client
