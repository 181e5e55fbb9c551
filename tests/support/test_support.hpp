#pragma once
// Helpers shared by every test executable: temporary folders, file I/O, fixture locations,
// and assertions on Result. Test-only; single-threaded use.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/result.hpp"

// Asserts that a Result (or Status) is ok, printing its error message otherwise.
#define PODCASTD_ASSERT_OK(expr)                                                          \
  do {                                                                                    \
    const auto& podcastd_r_ = (expr);                                                     \
    ASSERT_TRUE(podcastd_r_.ok()) << #expr << " failed: " << podcastd_r_.error().message; \
  } while (0)

#define PODCASTD_EXPECT_OK(expr)                                                          \
  do {                                                                                    \
    const auto& podcastd_r_ = (expr);                                                     \
    EXPECT_TRUE(podcastd_r_.ok()) << #expr << " failed: " << podcastd_r_.error().message; \
  } while (0)

namespace podcastd::testing {

namespace fs = std::filesystem;

// A fresh folder under $TMPDIR removed (recursively) on destruction.
class TempDir {
 public:
  TempDir();                               // under $TMPDIR, else the system's
  explicit TempDir(const fs::path& base);  // under `base`
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& path() const { return path_; }
  fs::path operator/(std::string_view rel) const { return path_ / rel; }

 private:
  fs::path path_;
};

// Writes `content` to `path`, creating parent folders. Fails the test on error.
void write_file(const fs::path& path, std::string_view content);
std::string read_file(const fs::path& path);

// The repository root and its fixture folders.
fs::path source_dir();
fs::path test_data_dir();  // tests/data
// ../shared/samples beside the repository, or nullopt when absent (tests then skip).
std::optional<fs::path> samples_dir();
// The built podcastd executable.
fs::path podcastd_binary();

// Polls `condition` every few milliseconds until it is true or `timeout` passes.
bool wait_until(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Runs a command line through /bin/sh, capturing stdout and stderr separately.
struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
CommandResult run_command(const std::string& command_line);

// Runs `cd CWD && PREFIX podcastd ARGS` (PREFIX: environment assignments or a wrapper such
// as "timeout 10", may be "").
CommandResult run_podcastd(const fs::path& cwd, const std::string& args,
                           const std::string& prefix = "");

// Shell-quotes one argument.
std::string shell_quote(std::string_view arg);

// The integration tests' show: `dir`/show.toml ("Loopback Radio", image cover.png) and the
// cover picture beside it.
void write_loopback_show(const fs::path& dir);
// A Markdown episode: front matter with title, date and `extra` (more front-matter lines,
// each ending in a newline), then `notes` (by default one line naming the title).
std::string markdown_episode(const std::string& title, const std::string& date,
                             const std::string& extra = "", const std::string& notes = "");

// Makes a real MP3 of `seconds` of a sine tone with sox and lame; optional ID3 title.
// Returns false (and the reason in *why) when the tools are missing.
bool make_mp3(const fs::path& out, double seconds, std::string* why = nullptr,
              const std::string& id3_title = "");

}  // namespace podcastd::testing

// A tool the test needs: when `ok` is false the test fails under CI (the scripts install every
// tool) and is skipped elsewhere, saying what is missing and how to get it.
#define PODCASTD_NEED_TOOL(ok, what)                                         \
  if (!(ok)) {                                                               \
    if (std::getenv("CI") != nullptr) FAIL() << what << " is missing in CI"; \
    GTEST_SKIP() << what << " is missing";                                   \
  }

// Skips the current test when ../shared/samples is not present.
#define PODCASTD_REQUIRE_SAMPLES(var)                                                        \
  auto var##_opt = ::podcastd::testing::samples_dir();                                       \
  if (!var##_opt) {                                                                          \
    GTEST_SKIP() << "../shared/samples is absent: sample-page tests need the shared folder " \
                    "beside the repository";                                                 \
  }                                                                                          \
  const std::filesystem::path var = *var##_opt
