// The real `podcastd run` and time: an episode with `publish_at` goes live on its own at that
// moment and not before, is in the first publish after a restart when it fell due while the
// daemon was stopped, and the periodic rescan finds a change inotify never reports.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "catalog/time.hpp"
#include "tests/support/process.hpp"
#include "tests/support/test_support.hpp"

namespace podcastd::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using timefmt::UnixTime;
using SystemClock = std::chrono::system_clock;

constexpr const char* kScheduledTitle = "<title>Tomorrow Today</title>";

UnixTime unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(SystemClock::now().time_since_epoch())
      .count();
}

SystemClock::time_point time_point_of(UnixTime t) {
  return SystemClock::time_point(std::chrono::seconds(t));
}

class ScheduleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_loopback_show(dir_ / "content/show");
    write_file(dir_ / "content/show/ep1.md",
               markdown_episode("First Light", "2025-01-01T10:00:00Z"));
    std::string why;
    ASSERT_TRUE(make_mp3(dir_ / "content/show/ep1.mp3", 1.0, &why)) << why;
    write_config(0);
  }

  void write_config(int rescan_interval_s) {
    write_file(dir_ / "podcastd.toml", R"(content_dir = "content"
state_dir = "state"
output_dir = "public"
public_url = "http://127.0.0.1:8080"
[http]
listen = "127.0.0.1:0"
[watch]
debounce_ms = 100
max_delay_ms = 500
rescan_interval_s = )" + std::to_string(rescan_interval_s) +
                                           "\n");
  }

  // An episode with audio that goes live at `at` (it has no `date`: publish_at is its date).
  void write_scheduled(UnixTime at) {
    std::string why;
    ASSERT_TRUE(make_mp3(dir_ / "content/show/ep2.mp3", 1.0, &why)) << why;
    write_file(dir_ / "content/show/ep2.md", "+++\ntitle = \"Tomorrow Today\"\npublish_at = " +
                                                 timefmt::format_iso8601(at) + "\n+++\nNotes.\n");
  }

  // Starts the daemon and waits for READY=1, which it sends after its first publish. Each
  // start logs to its own file: the port is read from the log.
  void start() {
    ++starts_;
    notify_.reset();  // the socket has a fixed name: the old one unlinks it on destruction
    notify_ = std::make_unique<NotifySocket>(dir_.path());
    process_.emplace(
        Process::start({podcastd_binary().string(), "run", "--config", "podcastd.toml"},
                       {"NOTIFY_SOCKET=" + notify_->path()}, dir_.path(),
                       dir_ / ("daemon" + std::to_string(starts_) + ".log")));
    std::optional<int> port = wait_for_port(*process_, 20s);
    ASSERT_TRUE(port) << process_->log();
    port_ = *port;
    ASSERT_TRUE(notify_->wait_for("READY=1", 30s)) << process_->log();
  }

  void stop() {
    process_->signal(SIGTERM);
    std::optional<int> code = process_->wait(10s);
    ASSERT_TRUE(code) << "did not exit within 10 s";
    EXPECT_EQ(*code, 0) << process_->log();
  }

  void TearDown() override {
    if (process_ && process_->running()) {
      process_->signal(SIGTERM);
      process_->wait(10s);
    }
  }

  std::string feed() { return http_get(port_, "/show/feed.xml").body; }
  std::string log() { return process_ ? process_->log() : ""; }

  TempDir dir_;
  std::unique_ptr<NotifySocket> notify_;
  std::optional<Process> process_;
  int port_ = 0;
  int starts_ = 0;
};

TEST_F(ScheduleTest, AScheduledEpisodeGoesLiveOnTimeAndNotBefore) {
  const UnixTime at = unix_now() + 4;
  write_scheduled(at);
  start();
  ASSERT_LT(SystemClock::now(), time_point_of(at))
      << "the daemon took until publish_at to start: nothing left to observe\n"
      << log();
  std::string first = feed();
  ASSERT_NE(first.find("<title>First Light</title>"), std::string::npos) << first << log();
  EXPECT_EQ(first.find(kScheduledTitle), std::string::npos) << "published before its time";
  CommandResult status = run_podcastd(dir_.path(), "status");
  EXPECT_NE(status.out.find("next scheduled " + timefmt::format_iso8601(at)), std::string::npos)
      << status.out << status.err;

  // Every poll until it appears: absent while the clock (read after the reply) is before
  // publish_at; present by publish_at + 3 s.
  SystemClock::time_point early_sighting{};
  SystemClock::time_point seen{};
  bool appeared = wait_until(
      [&] {
        bool present = feed().find(kScheduledTitle) != std::string::npos;
        SystemClock::time_point now = SystemClock::now();
        if (!present) return false;
        if (now < time_point_of(at)) early_sighting = now;
        seen = now;
        return true;
      },
      std::chrono::duration_cast<std::chrono::milliseconds>(time_point_of(at + 3) -
                                                            SystemClock::now()));
  ASSERT_TRUE(appeared) << "not in the feed 3 s after publish_at (" << timefmt::format_iso8601(at)
                        << ")\n"
                        << log();
  EXPECT_EQ(early_sighting, SystemClock::time_point{})
      << "in the feed "
      << std::chrono::duration_cast<std::chrono::milliseconds>(time_point_of(at) - early_sighting)
             .count()
      << " ms before publish_at";
  EXPECT_GE(seen, time_point_of(at));
}

TEST_F(ScheduleTest, AnEpisodeDueWhileStoppedIsInTheFirstPublishAfterARestart) {
  const UnixTime at = unix_now() + 3;
  write_scheduled(at);
  start();
  EXPECT_EQ(feed().find(kScheduledTitle), std::string::npos) << "published before its time";
  stop();
  ASSERT_LT(SystemClock::now(), time_point_of(at))
      << "the daemon ran until publish_at: the restart case was not exercised\n"
      << log();
  // Down while it falls due.
  ASSERT_TRUE(wait_until([&] { return SystemClock::now() >= time_point_of(at); }, 10s));
  start();
  // READY=1 follows the first publish: no waiting for a timer or a file event.
  std::string f = feed();
  EXPECT_NE(f.find(kScheduledTitle), std::string::npos)
      << "not in the first publish after the restart\n"
      << f << log();
  EXPECT_NE(f.find("<title>First Light</title>"), std::string::npos) << f;
}

// A writer that keeps the file open: inotify reports only IN_MODIFY, which the watcher leaves
// alone (it waits for IN_CLOSE_WRITE), so only a full rescan sees the new text meanwhile.
// Returns the open descriptor.
int rewrite_and_keep_open(const fs::path& file, const std::string& content) {
  int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);  // no O_TRUNC: never seen empty
  if (fd < 0) return fd;
  if (::write(fd, content.data(), content.size()) != static_cast<ssize_t>(content.size())) {
    ::close(fd);
    return -1;
  }
  return fd;
}

TEST_F(ScheduleTest, ThePeriodicRescanFindsAChangeTheWatcherDoesNotReport) {
  write_config(1);  // the shortest interval (0 turns it off)
  start();
  ASSERT_NE(feed().find("<title>First Light</title>"), std::string::npos) << log();
  int fd =
      rewrite_and_keep_open(dir_ / "content/show/ep1.md",
                            markdown_episode("First Light (rescanned)", "2025-01-01T10:00:00Z"));
  ASSERT_GE(fd, 0) << std::strerror(errno);
  EXPECT_TRUE(wait_until(
      [&] { return feed().find("<title>First Light (rescanned)</title>") != std::string::npos; },
      5s))
      << log();
  ::close(fd);
}

// The premise of the test above: without the periodic rescan that change stays unseen until
// the writer closes the file.
TEST_F(ScheduleTest, WithoutThePeriodicRescanAnOpenWriterIsSeenWhenItCloses) {
  start();  // rescan_interval_s = 0
  int fd =
      rewrite_and_keep_open(dir_ / "content/show/ep1.md",
                            markdown_episode("First Light (on close)", "2025-01-01T10:00:00Z"));
  ASSERT_GE(fd, 0) << std::strerror(errno);
  auto changed = [&] {
    return feed().find("<title>First Light (on close)</title>") != std::string::npos;
  };
  EXPECT_FALSE(wait_until(changed, 2s)) << "seen while still open: nothing for a rescan to do";
  ::close(fd);
  EXPECT_TRUE(wait_until(changed, 5s)) << log();
}

}  // namespace
}  // namespace podcastd::testing
