#include "tests/support/test_support.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

namespace podcastd::testing {

namespace {
fs::path default_temp_base() {
  const char* tmp = std::getenv("TMPDIR");
  return tmp && *tmp ? fs::path(tmp) : fs::temp_directory_path();
}
}  // namespace

TempDir::TempDir() : TempDir(default_temp_base()) {}

TempDir::TempDir(const fs::path& base) {
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    fs::path candidate = base / ("podcastd-test-" + std::to_string(rd()));
    std::error_code ec;
    if (fs::create_directory(candidate, ec)) {
      path_ = candidate;
      return;
    }
  }
  ADD_FAILURE() << "cannot create a temporary folder under " << base;
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  std::error_code ec;
  // Make read-only folders made by tests removable.
  for (auto it = fs::recursive_directory_iterator(path_, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
  }
  fs::remove_all(path_, ec);
}

void write_file(const fs::path& path, std::string_view content) {
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  ASSERT_TRUE(out.good()) << "cannot write " << path;
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

fs::path source_dir() { return fs::path(PODCASTD_SOURCE_DIR); }
fs::path test_data_dir() { return source_dir() / "tests" / "data"; }

std::optional<fs::path> samples_dir() {
  if (const char* env = std::getenv("PODCASTD_SAMPLES_DIR"); env && *env) {
    if (fs::is_directory(env)) return fs::path(env);
    return std::nullopt;
  }
  fs::path p = (source_dir() / ".." / "shared" / "samples").lexically_normal();
  if (fs::is_directory(p)) return p;
  return std::nullopt;
}

fs::path podcastd_binary() { return fs::path(PODCASTD_BINARY); }

CommandResult run_podcastd(const fs::path& cwd, const std::string& args,
                           const std::string& prefix) {
  return run_command("cd " + shell_quote(cwd.string()) + " && " +
                     (prefix.empty() ? "" : prefix + " ") +
                     shell_quote(podcastd_binary().string()) + " " + args);
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::string shell_quote(std::string_view arg) {
  std::string out = "'";
  for (char c : arg) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += "'";
  return out;
}

CommandResult run_command(const std::string& command_line) {
  TempDir tmp;
  fs::path out = tmp / "out", err = tmp / "err";
  std::string full = "( " + command_line + " ) >" + shell_quote(out.string()) + " 2>" +
                     shell_quote(err.string()) + " </dev/null";
  int status = std::system(full.c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

bool make_mp3(const fs::path& out, double seconds, std::string* why, const std::string& id3_title) {
  TempDir tmp;
  fs::path wav = tmp / "tone.wav";
  std::error_code ec;
  if (out.has_parent_path()) fs::create_directories(out.parent_path(), ec);
  std::string cmd = "sox -n -r 22050 -c 1 " + shell_quote(wav.string()) + " synth " +
                    std::to_string(seconds) + " sine 440 vol 0.3 2>&1";
  CommandResult r = run_command(cmd);
  if (r.exit_code != 0) {
    if (why) *why = "sox failed: " + r.out + r.err;
    return false;
  }
  std::string lame = "lame --quiet -b 32 ";
  if (!id3_title.empty()) lame += "--add-id3v2 --tt " + shell_quote(id3_title) + " ";
  lame += shell_quote(wav.string()) + " " + shell_quote(out.string());
  r = run_command(lame);
  if (r.exit_code != 0) {
    if (why) *why = "lame failed: " + r.out + r.err;
    return false;
  }
  return true;
}

void write_loopback_show(const fs::path& dir) {
  write_file(dir / "show.toml", R"(title = "Loopback Radio"
description = "A show that only exists in tests."
author = "Test Host"
language = "en"
link = "https://loopback.example"
image = "cover.png"
categories = ["Technology"]
explicit = false
[owner]
name = "Test Host"
email = "host@loopback.example"
)");
  fs::copy_file(source_dir() / "examples/content/field-notes/cover.jpg", dir / "cover.png",
                fs::copy_options::overwrite_existing);
}

std::string markdown_episode(const std::string& title, const std::string& date,
                             const std::string& extra, const std::string& notes) {
  return "+++\ntitle = \"" + title + "\"\ndate = " + date + "\n" + extra + "+++\n" +
         (notes.empty() ? "Notes for " + title + ".\n" : notes);
}

}  // namespace podcastd::testing
