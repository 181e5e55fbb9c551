// The real binary as a process: help, version, exit codes, configuration errors.
#include <gtest/gtest.h>

#include "tests/support/test_support.hpp"

namespace podcastd::testing {
namespace {

TEST(CliProcess, HelpListsCommandsAndExitsZero) {
  CommandResult r = run_podcastd(fs::current_path(), "--help");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const char* c :
       {"run", "republish", "validate", "import", "episodes", "search", "links", "status"}) {
    EXPECT_NE(r.out.find(c), std::string::npos) << c;
  }
}

TEST(CliProcess, VersionPrintsName) {
  CommandResult r = run_podcastd(fs::current_path(), "--version");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind("podcastd ", 0), 0u) << r.out;
}

TEST(CliProcess, UnknownCommandExitsTwo) {
  CommandResult r = run_podcastd(fs::current_path(), "frobnicate");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "podcastd: unknown command 'frobnicate' (see podcastd --help)\n");
}

TEST(CliProcess, BadConfigExitsThreeNamingKeyAndLine) {
  TempDir dir;
  write_file(dir / "bad.toml", "[watch]\ndebounce = 3\n");
  CommandResult r = run_podcastd(dir.path(), "status --config bad.toml");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.err, "podcastd: bad.toml:2: unknown key 'watch.debounce'\n");
}

TEST(CliProcess, ConfigFromEnvironment) {
  TempDir dir;
  write_file(dir / "env.toml", "bogus = 1\n");
  CommandResult r = run_podcastd(dir.path(), "status", "PODCASTD_CONFIG=env.toml");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.err, "podcastd: env.toml:1: unknown key 'bogus'\n");
}

}  // namespace
}  // namespace podcastd::testing
