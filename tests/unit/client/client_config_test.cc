// Tests of the hopctl config file and its merge with the options (client/client_config.h).
#include "client/client_config.h"

#include <stdlib.h>
#include <unistd.h>

#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hop::client {
namespace {

using ::testing::HasSubstr;

bool Exists(const std::string&) { return true; }
bool Missing(const std::string&) { return false; }

TEST(ClientConfigTest, ParsesKeysCommentsQuotesAndPaths) {
  ConfigEnv env;
  env.home = "/home/mari";
  auto config = ParseClientConfig(
      "# hopctl for Tartu\n"
      "\n"
      "server = hop.tartu.ee:7443   # staff API\n"
      "ca=/etc/hop/ca.pem\n"
      "  cert = \"certs/mari.pem\"\n"
      "key = ~/keys/mari.key\n",
      "/etc/hopctl/hopctl.conf", env);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->server, "hop.tartu.ee:7443");
  EXPECT_EQ(config->ca, "/etc/hop/ca.pem");
  EXPECT_EQ(config->cert, "/etc/hopctl/certs/mari.pem");
  EXPECT_EQ(config->key, "/home/mari/keys/mari.key");
}

TEST(ClientConfigTest, ErrorsNameFileLineAndKey) {
  ConfigEnv env;
  auto unknown = ParseClientConfig("server = a:1\nport = 2\n", "x.conf", env);
  ASSERT_FALSE(unknown.ok());
  EXPECT_TRUE(IsUsageError(unknown.status()));
  EXPECT_THAT(
      std::string(unknown.status().message()),
      HasSubstr("x.conf:2: unknown key 'port' (expected server, ca, crl, cert, key or node)"));
  auto no_equals = ParseClientConfig("server a:1\n", "x.conf", env);
  EXPECT_THAT(std::string(no_equals.status().message()), HasSubstr("x.conf:1: expected"));
  auto empty = ParseClientConfig("cert =\n", "x.conf", env);
  EXPECT_THAT(std::string(empty.status().message()), HasSubstr("'cert' has no value"));
}

TEST(ClientConfigTest, WhichFile) {
  GlobalOptions flags;
  ConfigEnv env;
  env.home = "/home/mari";
  EXPECT_EQ(ConfigFilePath(flags, env, &Exists).value(), "/home/mari/.config/hopctl/hopctl.conf");
  EXPECT_FALSE(ConfigFilePath(flags, env, &Missing).has_value());
  env.hopctl_config = "/env.conf";
  EXPECT_EQ(ConfigFilePath(flags, env, &Missing).value(), "/env.conf");
  flags.config = "/flag.conf";
  EXPECT_EQ(ConfigFilePath(flags, env, &Missing).value(), "/flag.conf");
}

class ConfigFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/hopctl-config-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    unlink((dir_ + "/hopctl.conf").c_str());
    rmdir(dir_.c_str());
  }
  std::string Write(const std::string& text) {
    const std::string path = dir_ + "/hopctl.conf";
    std::ofstream(path) << text;
    return path;
  }
  std::string dir_;
};

TEST_F(ConfigFileTest, OptionsOverrideTheFile) {
  GlobalOptions flags;
  flags.config = Write("server = file:1\nca = ca.pem\ncrl = crl.pem\ncert = c.pem\nkey = k.pem\n");
  flags.server = "flag:2";
  flags.key = "/flag.key";
  auto config = ResolveClientConfig(flags, ConfigEnv{});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->server, "flag:2");
  EXPECT_EQ(config->ca, dir_ + "/ca.pem");
  EXPECT_EQ(config->crl, dir_ + "/crl.pem");
  EXPECT_EQ(config->cert, dir_ + "/c.pem");
  EXPECT_EQ(config->key, "/flag.key");
  EXPECT_TRUE(RequireComplete(*config).ok());
}

TEST_F(ConfigFileTest, TheCrlIsRequiredAndTheErrorSaysHowToSetIt) {
  GlobalOptions flags;
  flags.config = Write("server = file:1\nca = ca.pem\ncert = c.pem\nkey = k.pem\n");
  auto config = ResolveClientConfig(flags, ConfigEnv{});
  ASSERT_TRUE(config.ok()) << config.status();
  absl::Status missing = RequireComplete(*config);
  EXPECT_TRUE(IsUsageError(missing));
  EXPECT_THAT(std::string(missing.message()), HasSubstr("--crl: required"));
  EXPECT_THAT(std::string(missing.message()), HasSubstr("'crl = /path/to/crl.pem'"));
  flags.crl = "/given.pem";
  config = ResolveClientConfig(flags, ConfigEnv{});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->crl, "/given.pem");
  EXPECT_TRUE(RequireComplete(*config).ok());
}

TEST_F(ConfigFileTest, ExplicitFileMustExist) {
  GlobalOptions flags;
  flags.config = dir_ + "/none.conf";
  auto config = ResolveClientConfig(flags, ConfigEnv{});
  ASSERT_FALSE(config.ok());
  EXPECT_TRUE(IsUsageError(config.status()));
  EXPECT_THAT(std::string(config.status().message()), HasSubstr("--config: cannot read"));

  ConfigEnv env;
  env.hopctl_config = dir_ + "/none.conf";
  auto from_env = ResolveClientConfig(GlobalOptions{}, env);
  EXPECT_THAT(std::string(from_env.status().message()), HasSubstr("$HOPCTL_CONFIG"));
}

TEST_F(ConfigFileTest, DefaultFileIsOptional) {
  ConfigEnv env;
  env.home = dir_;  // no .config/hopctl/hopctl.conf under it
  GlobalOptions flags;
  flags.server = "h:1";
  auto config = ResolveClientConfig(flags, env);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->server, "h:1");
  EXPECT_TRUE(config->cert.empty());
}

TEST(ClientConfigTest, RequireCompleteNamesTheMissingOption) {
  ClientConfig config{"h:1", "ca.pem", "crl.pem", "", "k.pem", {}};
  absl::Status status = RequireComplete(config);
  EXPECT_TRUE(IsUsageError(status));
  EXPECT_THAT(std::string(status.message()), HasSubstr("--cert: required (expected FILE)"));
  EXPECT_THAT(std::string(RequireComplete(ClientConfig{}).message()), HasSubstr("--server"));
}

}  // namespace
}  // namespace hop::client
