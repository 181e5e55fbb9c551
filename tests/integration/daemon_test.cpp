// The real `podcastd run` as a process on loopback: HTTP behaviour pollers and Apple rely on,
// episodes reaching the served feed as files change, signals, and sd_notify messages.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "feeds/gzip.hpp"
#include "tests/support/process.hpp"
#include "tests/support/test_support.hpp"

namespace podcastd::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class DaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_loopback_show(dir_ / "content/show");
    write_file(dir_ / "content/show/ep1.md",
               markdown_episode("First Light", "2025-01-01T10:00:00Z"));
    std::string why;
    ASSERT_TRUE(make_mp3(dir_ / "content/show/ep1.mp3", 2.0, &why)) << why;
    write_config("");
  }

  void write_config(const std::string& extra) {
    write_file(dir_ / "podcastd.toml", R"(content_dir = "content"
state_dir = "state"
output_dir = "public"
public_url = "http://127.0.0.1:8080"
[http]
listen = "127.0.0.1:0"
request_timeout_s = 1
idle_timeout_s = 2
[watch]
debounce_ms = 100
max_delay_ms = 500
rescan_interval_s = 0
)" + extra);
  }

  void start() {
    notify_ = std::make_unique<NotifySocket>(dir_.path());
    process_.emplace(
        Process::start({podcastd_binary().string(), "run", "--config", "podcastd.toml"},
                       {"NOTIFY_SOCKET=" + notify_->path()}, dir_.path(), dir_ / "daemon.log"));
    std::optional<int> port = wait_for_port(*process_, 20s);
    ASSERT_TRUE(port) << process_->log();
    port_ = *port;
    ASSERT_TRUE(notify_->wait_for("READY=1", 30s)) << process_->log();
  }

  void TearDown() override {
    if (process_ && process_->running()) {
      process_->signal(SIGTERM);
      process_->wait(10s);
    }
  }

  std::string feed() { return http_get(port_, "/show/feed.xml").body; }
  bool feed_eventually(const std::function<bool(const std::string&)>& ok) {
    return wait_until([&] { return ok(feed()); }, 15s);
  }

  TempDir dir_;
  std::unique_ptr<NotifySocket> notify_;
  std::optional<Process> process_;
  int port_ = 0;
};

TEST_F(DaemonTest, ServesTheFeedTheWayPollersExpect) {
  start();
  HttpReply r = http_get(port_, "/show/feed.xml");
  ASSERT_EQ(r.status, 200) << process_->log();
  EXPECT_EQ(r.header("content-type"), "application/rss+xml; charset=utf-8");
  EXPECT_NE(r.body.find("<title>First Light</title>"), std::string::npos);
  std::string etag = r.header("etag");
  ASSERT_FALSE(etag.empty());
  EXPECT_FALSE(r.header("last-modified").empty());

  // Conditional GETs.
  EXPECT_EQ(http_get(port_, "/show/feed.xml", {"If-None-Match: " + etag}).status, 304);
  EXPECT_EQ(
      http_get(port_, "/show/feed.xml", {"If-Modified-Since: " + r.header("last-modified")}).status,
      304);
  EXPECT_EQ(
      http_get(port_, "/show/feed.xml",
               {"If-None-Match: \"other\"", "If-Modified-Since: " + r.header("last-modified")})
          .status,
      200);  // If-None-Match wins

  // gzip from the precompressed copy, equal to the identity body.
  HttpReply gz = http_get(port_, "/show/feed.xml", {"Accept-Encoding: gzip"});
  ASSERT_EQ(gz.status, 200);
  EXPECT_EQ(gz.header("content-encoding"), "gzip");
  EXPECT_NE(gz.header("vary").find("Accept-Encoding"), std::string::npos);
  std::string inflated;
  ASSERT_TRUE(feeds::gunzip(gz.body, inflated));
  EXPECT_EQ(inflated, r.body);
  EXPECT_EQ(http_get(port_, "/show/feed.xml",
                     {"Accept-Encoding: gzip", "If-None-Match: " + gz.header("etag")})
                .status,
            304);

  // HEAD.
  HttpReply head = http_get(port_, "/show/feed.xml", {}, true);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("content-length"), std::to_string(r.body.size()));
  EXPECT_TRUE(head.body.empty());

  // Byte ranges on the enclosure, as AppleCoreMedia asks.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      r.body, m,
      std::regex("enclosure url=\"http://127\\.0\\.0\\.1:8080([^\"]+)\" length=\"([0-9]+)\"")));
  std::string media = m[1];
  std::string length = m[2];
  HttpReply range = http_get(port_, media, {"Range: bytes=0-1"});
  EXPECT_EQ(range.status, 206);
  EXPECT_EQ(range.body.size(), 2u);
  EXPECT_EQ(range.header("content-range"), "bytes 0-1/" + length);
  EXPECT_EQ(range.header("content-type"), "audio/mpeg");
  HttpReply media_head = http_get(port_, media, {}, true);
  EXPECT_EQ(media_head.header("content-length"), length);  // enclosure length == served length
  HttpReply bad = http_get(port_, media, {"Range: bytes=99999999-"});
  EXPECT_EQ(bad.status, 416);
  EXPECT_EQ(bad.header("content-range"), "bytes */" + length);

  // Nothing escapes output_dir.
  write_file(dir_ / "secret.txt", "root:x:0:0");
  for (const char* target :
       {"/../secret.txt", "/%2e%2e/secret.txt", "/show/%2f..%2f..%2fsecret.txt",
        "/show/..%2f..%2fsecret.txt", "/show/%00feed.xml"}) {
    HttpReply t = http_raw(
        port_, std::string("GET ") + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_TRUE(t.status == 404 || t.status == 400) << target << " -> " << t.status;
    EXPECT_EQ(t.body.find("root:x"), std::string::npos) << target;
  }
  fs::create_symlink(dir_ / "secret.txt", dir_ / "public/show/leak.txt");
  EXPECT_EQ(http_get(port_, "/show/leak.txt").status, 404);

  // Oversized headers: 431.
  EXPECT_EQ(http_get(port_, "/show/feed.xml", {"X-Big: " + std::string(20000, 'a')}).status, 431);

  // A slow client is cut off after request_timeout (1 s here).
  auto started = std::chrono::steady_clock::now();
  HttpReply slow = http_raw(port_, "GET /show/feed.xml HTTP/1.1\r\nHost: x\r\n", 8s);
  EXPECT_FALSE(slow.ok && slow.status == 200);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 6s);

  // Health and metrics.
  EXPECT_EQ(http_get(port_, "/healthz").status, 200);
  HttpReply metrics = http_get(port_, "/metrics");
  EXPECT_NE(metrics.body.find("http_requests_total"), std::string::npos);
  EXPECT_NE(metrics.body.find("podcastd_publish_total"), std::string::npos);
  HttpReply api = http_get(port_, "/api/shows");
  EXPECT_EQ(api.status, 200);
  EXPECT_NE(api.body.find("\"slug\":\"show\""), std::string::npos) << api.body;
}

TEST_F(DaemonTest, NewEditedRenamedAndDeletedEpisodesReachTheFeed) {
  start();
  std::smatch m;
  std::string before = feed();
  ASSERT_TRUE(
      std::regex_search(before, m, std::regex("<guid isPermaLink=\"false\">([^<]+)</guid>")));
  std::string guid = m[1];

  // A new episode: notes, then its audio.
  write_file(dir_ / "content/show/ep2.md", markdown_episode("Second Wind", "2025-02-01T10:00:00Z"));
  std::string why;
  ASSERT_TRUE(make_mp3(dir_ / "content/show/ep2.mp3", 1.0, &why)) << why;
  EXPECT_TRUE(feed_eventually([](const std::string& f) {
    return f.find("Second Wind") != std::string::npos;
  })) << process_->log();

  // An edit, saved the way editors do: write a temp file, rename over the original.
  write_file(dir_ / "content/show/.ep1.md.tmp",
             markdown_episode("First Light (remastered)", "2025-01-01T10:00:00Z"));
  fs::rename(dir_ / "content/show/.ep1.md.tmp", dir_ / "content/show/ep1.md");
  EXPECT_TRUE(feed_eventually([](const std::string& f) {
    return f.find("First Light (remastered)") != std::string::npos;
  }));

  // A rename keeps the GUID.
  fs::rename(dir_ / "content/show/ep1.md", dir_ / "content/show/first.md");
  fs::rename(dir_ / "content/show/ep1.mp3", dir_ / "content/show/first.mp3");
  EXPECT_TRUE(feed_eventually([&](const std::string& f) {
    return f.find("First Light (remastered)") != std::string::npos &&
           f.find(guid) != std::string::npos && f.find("/episodes/ep1/") == std::string::npos;
  }));
  std::string after = feed();
  EXPECT_NE(after.find(guid), std::string::npos);

  // A deletion.
  fs::remove(dir_ / "content/show/ep2.md");
  fs::remove(dir_ / "content/show/ep2.mp3");
  EXPECT_TRUE(feed_eventually([](const std::string& f) {
    return f.find("Second Wind") == std::string::npos &&
           f.find("<title>First Light") != std::string::npos;
  }));
}

TEST_F(DaemonTest, BadEditKeepsTheLastGoodFeed) {
  start();
  write_file(dir_ / "content/show/ep1.md", "+++\ntitle = \"Broken\n+++\n");
  EXPECT_TRUE(
      wait_until([&] { return process_->log().find("ep1.md:2:") != std::string::npos; }, 15s))
      << process_->log();
  EXPECT_NE(feed().find("<title>First Light</title>"), std::string::npos);
}

TEST_F(DaemonTest, SighupReloadsAndKeepsTheOldConfigOnErrors) {
  start();
  write_file(dir_ / "podcastd.toml", "[http]\nlisten = \"127.0.0.1:0\"\nbogus = 1\n");
  process_->signal(SIGHUP);
  EXPECT_TRUE(wait_until(
      [&] {
        return process_->log().find("keeping the running configuration") != std::string::npos;
      },
      10s))
      << process_->log();
  EXPECT_NE(process_->log().find("unknown key 'http.bogus'"), std::string::npos);
  EXPECT_EQ(http_get(port_, "/show/feed.xml").status, 200);

  write_file(dir_ / "podcastd.toml", R"(content_dir = "content"
state_dir = "state"
output_dir = "public"
public_url = "http://127.0.0.1:8080"
[http]
listen = "127.0.0.1:0"
cache_max_age_s = 123
[watch]
debounce_ms = 100
rescan_interval_s = 0
)");
  process_->signal(SIGHUP);
  EXPECT_TRUE(wait_until(
      [&] {
        return http_get(port_, "/show/feed.xml").header("cache-control").find("max-age=123") !=
               std::string::npos;
      },
      10s))
      << process_->log();
}

TEST_F(DaemonTest, SigtermStopsCleanlyAndTellsSystemd) {
  start();
  EXPECT_TRUE(notify_->wait_for("STATUS=", 5s));
  struct stat st;
  ASSERT_EQ(::stat((dir_ / "state/control.sock").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);  // the control socket is owner-only
  process_->signal(SIGTERM);
  std::optional<int> code = process_->wait(10s);
  ASSERT_TRUE(code) << "did not exit within 10 s";
  EXPECT_EQ(*code, 0) << process_->log();
  EXPECT_TRUE(notify_->wait_for("STOPPING=1", 1s));
  EXPECT_FALSE(fs::exists(dir_ / "state/control.sock"));
}

// The daemon keeps rendered items in memory and saves them when it stops, so a
// `podcastd republish` while it is stopped renders nothing it had already rendered.
TEST_F(DaemonTest, StoppedDaemonLeavesItsRenderedItemsToTheNextRepublish) {
  start();
  ASSERT_TRUE(feed_eventually([](const std::string& f) {
    return f.find("<title>First Light</title>") != std::string::npos;
  })) << process_->log();
  process_->signal(SIGTERM);
  std::optional<int> code = process_->wait(10s);
  ASSERT_TRUE(code) << "did not exit within 10 s";
  ASSERT_EQ(*code, 0) << process_->log();
  EXPECT_TRUE(fs::is_regular_file(dir_ / "state/publish-cache/show.items")) << process_->log();
  CommandResult r = run_podcastd(dir_.path(), "republish --json");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  EXPECT_EQ(j["shows"][0]["items_rendered"], 0) << r.out;
}

TEST_F(DaemonTest, RepublishAndStatusTalkToTheRunningDaemon) {
  start();
  CommandResult r = run_podcastd(dir_.path(), "republish");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("show: published 1 item"), std::string::npos) << r.out;
  CommandResult s = run_podcastd(dir_.path(), "status");
  EXPECT_EQ(s.exit_code, 0) << s.err;
  EXPECT_NE(s.out.find("podcastd running"), std::string::npos) << s.out;
  // A second daemon on the same state dir refuses to start.
  CommandResult second = run_podcastd(dir_.path(), "run", "timeout 10");
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_NE(second.err.find("is held by another podcastd"), std::string::npos) << second.err;
}

}  // namespace
}  // namespace podcastd::testing
