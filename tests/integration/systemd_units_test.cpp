// The units in systemd/ checked by systemd's own tools: `systemd-analyze verify` finds no
// problem, and `systemd-analyze security --offline` rates the service 2.0 or lower (issue 5).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "tests/support/test_support.hpp"

namespace podcastd::testing {
namespace {

#define PODCASTD_REQUIRE_SYSTEMD_ANALYZE()                                     \
  PODCASTD_NEED_TOOL(run_command("command -v systemd-analyze").exit_code == 0, \
                     "systemd-analyze (apt install systemd)")

// A copy of the unit whose ExecStart names the binary we built (verify checks it exists).
fs::path unit_copy(const TempDir& dir, const std::string& name) {
  std::string text = read_file(source_dir() / "systemd" / name);
  const std::string installed = "/usr/bin/podcastd";
  for (std::size_t at = text.find(installed); at != std::string::npos;
       at = text.find(installed, at)) {
    text.replace(at, installed.size(), podcastd_binary().string());
    at += podcastd_binary().string().size();
  }
  fs::path out = dir.path() / name;
  write_file(out, text);
  return out;
}

TEST(SystemdUnits, VerifyIsClean) {
  PODCASTD_REQUIRE_SYSTEMD_ANALYZE();
  TempDir dir;
  fs::path service = unit_copy(dir, "podcastd.service");
  fs::path socket = unit_copy(dir, "podcastd.socket");
  CommandResult r = run_command("systemd-analyze verify " + shell_quote(service.string()) + " " +
                                shell_quote(socket.string()));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  // verify reports problems on stderr even where it exits 0 (unknown keys, bad values).
  EXPECT_EQ(r.err, "") << r.err;
}

TEST(SystemdUnits, ServiceExposureIsTwoOrLower) {
  PODCASTD_REQUIRE_SYSTEMD_ANALYZE();
  fs::path service = source_dir() / "systemd" / "podcastd.service";
  // --threshold counts in tenths: 20 means an overall exposure of 2.0.
  CommandResult r = run_command("systemd-analyze security --offline=true --threshold=20 " +
                                shell_quote(service.string()));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("Overall exposure level for podcastd.service"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace podcastd::testing
