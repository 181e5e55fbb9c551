#include "daemon/cli.hpp"

#include <gtest/gtest.h>

#include "tests/support/test_support.hpp"

namespace podcastd::daemon {
namespace {

Result<Invocation> parse(std::vector<std::string> args) { return parse_command_line(args); }

TEST(CommandLine, NoArgumentsMeansHelp) {
  Result<Invocation> inv = parse({});
  PODCASTD_ASSERT_OK(inv);
  EXPECT_EQ(inv->command, "help");
}

TEST(CommandLine, ParsesCommandsAndOptions) {
  Result<Invocation> inv = parse({"republish", "a", "b", "--config", "x.toml"});
  PODCASTD_ASSERT_OK(inv);
  EXPECT_EQ(inv->command, "republish");
  EXPECT_EQ(inv->args, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(inv->config, "x.toml");
  EXPECT_FALSE(inv->json);

  inv = parse({"republish", "--json"});
  PODCASTD_ASSERT_OK(inv);
  EXPECT_TRUE(inv->json);
  EXPECT_TRUE(inv->args.empty());

  inv = parse({"--config=y.toml", "episodes", "show", "--json"});
  PODCASTD_ASSERT_OK(inv);
  EXPECT_EQ(inv->command, "episodes");
  EXPECT_EQ(inv->config, "y.toml");
  EXPECT_TRUE(inv->json);

  inv = parse({"import", "feed.xml", "--show", "old"});
  PODCASTD_ASSERT_OK(inv);
  EXPECT_EQ(inv->show, "old");

  inv = parse({"search", "rust", "webhooks"});
  PODCASTD_ASSERT_OK(inv);
  EXPECT_EQ(inv->args.size(), 2u);

  inv = parse({"links", "check"});
  PODCASTD_ASSERT_OK(inv);
  inv = parse({"--version"});
  PODCASTD_ASSERT_OK(inv);
  EXPECT_EQ(inv->command, "version");
  inv = parse({"run", "--help"});
  PODCASTD_ASSERT_OK(inv);
  EXPECT_TRUE(inv->help);
  inv = parse({"help", "import"});
  PODCASTD_ASSERT_OK(inv);
  EXPECT_EQ(inv->command, "import");
  EXPECT_TRUE(inv->help);
}

struct BadLine {
  std::vector<std::string> args;
  const char* message;
};

class CommandLineErrors : public ::testing::TestWithParam<BadLine> {};

TEST_P(CommandLineErrors, ExplainsTheProblem) {
  Result<Invocation> inv = parse(GetParam().args);
  ASSERT_FALSE(inv.ok());
  EXPECT_EQ(inv.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(inv.error().message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Table, CommandLineErrors,
    ::testing::Values(
        BadLine{{"publish"}, "unknown command 'publish' (see podcastd --help)"},
        BadLine{{"run", "--verbose"}, "unknown option '--verbose'"},
        BadLine{{"run", "extra"}, "usage: podcastd run [--config FILE]"},
        BadLine{{"run", "--config"}, "--config needs a value"},
        BadLine{{"import", "feed.xml"},
                "import needs --show SLUG (usage: podcastd import FILE|URL --show SLUG)"},
        BadLine{{"search"}, "usage: podcastd search QUERY [--json]"},
        BadLine{{"run", "--json"}, "--json is not an option of 'run'"},
        BadLine{{"episodes", "--show", "x"}, "--show is not an option of 'episodes'"},
        BadLine{{"links", "fix"},
                "unknown links subcommand 'fix' (usage: podcastd links check [SHOW])"},
        BadLine{{"validate", "a", "b"}, "usage: podcastd validate [SHOW | FILE | URL] [--json]"}));

TEST(Usage, ListsEveryCommand) {
  std::string text = usage();
  for (const char* c :
       {"run", "republish", "validate", "import", "episodes", "search", "links", "status"}) {
    EXPECT_NE(text.find(std::string("  ") + c), std::string::npos) << c;
  }
  EXPECT_NE(text.find("--config FILE"), std::string::npos);
  EXPECT_NE(usage("import").find("--show SLUG"), std::string::npos);
}

}  // namespace
}  // namespace podcastd::daemon
