// Outbound with the real binary and real HTTP servers on loopback: directory pings from the
// outbox (delivered, retried across a restart, refused for private addresses), link checks
// recorded in the catalog, and `podcastd import` round trips (republished GUIDs, dates and
// enclosures equal the original feed's; re-import updates instead of duplicating).
#include <gtest/gtest.h>
#include <signal.h>

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <regex>
#include <set>

#include "catalog/catalog.hpp"
#include "catalog/text.hpp"
#include "catalog/time.hpp"
#include "tests/support/http_test_server.hpp"
#include "tests/support/process.hpp"
#include "tests/support/test_support.hpp"

namespace podcastd::testing {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kShowToml = R"(title = "Outbound Radio"
description = "A show that pings hubs from tests."
author = "Test Host"
language = "en"
link = "https://outbound.example"
image = "https://outbound.example/cover.jpg"
categories = ["Technology"]
explicit = false
[owner]
name = "Test Host"
email = "host@outbound.example"
)";

std::string episode(const std::string& title, const std::string& date,
                    const std::string& extra = "") {
  return markdown_episode(title, date,
                          "audio = \"https://cdn.outbound.example/" + title.substr(0, 3) +
                              ".mp3\"\nlength = 123456\nmime = \"audio/mpeg\"\nduration = 600\n" +
                              extra);
}

int free_port() {
  HttpTestServer probe([](const TestRequest&) { return TestResponse{}; });
  return probe.port();
}

class OutboundTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(dir_ / "content/show/show.toml", kShowToml);
    write_file(dir_ / "content/show/ep1.md", episode("First", "2025-01-01T10:00:00Z"));
  }

  void TearDown() override { stop(); }

  void write_config(const std::string& notify, bool allow_private = true,
                    const std::string& outbound_extra = "") {
    write_file(dir_ / "podcastd.toml", std::string(R"(content_dir = "content"
state_dir = "state"
output_dir = "public"
public_url = "http://127.0.0.1:8080"
[http]
listen = "127.0.0.1:0"
[watch]
debounce_ms = 100
max_delay_ms = 500
rescan_interval_s = 0
[notify]
retry_base_s = 1
retry_max_s = 1
max_attempts = 100
)") + notify + "\n[outbound]\nallow_private_addresses = " +
                                           (allow_private ? "true" : "false") +
                                           "\ntimeout_s = 1\n" + outbound_extra);
  }

  void start() {
    process_.emplace(
        Process::start({podcastd_binary().string(), "run", "--config", "podcastd.toml"}, {},
                       dir_.path(), dir_ / "daemon.log"));
    std::optional<int> port = wait_for_port(*process_, 20s);
    ASSERT_TRUE(port) << process_->log();
    port_ = *port;
  }

  void stop() {
    if (process_ && process_->running()) {
      process_->signal(SIGTERM);
      EXPECT_EQ(process_->wait(15s), std::optional<int>(0)) << process_->log();
    }
    process_.reset();
  }

  CommandResult podcastd(const std::string& args) {
    return run_podcastd(dir_.path(), args + " --config podcastd.toml");
  }

  json status() {
    CommandResult r = podcastd("status --json");
    json j = json::parse(r.out, nullptr, false);
    return j.is_discarded() ? json::object() : j;
  }

  // Polls `podcastd status --json` until the outbox satisfies `ok`.
  bool outbox_eventually(const std::function<bool(const json&)>& ok,
                         std::chrono::milliseconds limit = 20s) {
    return wait_until(
        [&] {
          json s = status();
          return s.contains("outbox") && ok(s["outbox"]);
        },
        limit);
  }

  std::string feed_url() const { return "http://127.0.0.1:8080/show/feed.xml"; }

  TempDir dir_;
  std::optional<Process> process_;
  int port_ = 0;
};

TEST_F(OutboundTest, HubAndDirectoriesArePingedAfterAChange) {
  HttpTestServer hub([](const TestRequest& r) {
    if (r.path() == "/hub") {
      return TestResponse{204, {}, ""};
    }
    return TestResponse{200, {{"Content-Type", "application/json"}}, "{\"status\":\"true\"}"};
  });
  write_config("websub_hubs = [\"" + hub.url("/hub") + "\"]\npubnotify = true\npubnotify_url = \"" +
               hub.url("/pubnotify") + "\"\npodping_url = \"" + hub.url("/podping") +
               "\"\npodping_token = \"test-token\"\n");
  start();
  // The first publish is a change: one ping per target.
  ASSERT_TRUE(wait_until([&] { return hub.request_count() == 3; }, 20s)) << process_->log();
  write_file(dir_ / "content/show/ep2.md", episode("Second", "2025-01-08T10:00:00Z"));
  ASSERT_TRUE(wait_until([&] { return hub.request_count() == 6; }, 20s)) << process_->log();

  std::map<std::string, int> per_path;
  for (const TestRequest& r : hub.requests()) {
    ++per_path[r.path()];
    if (r.path() == "/hub") {
      EXPECT_EQ(r.method, "POST");
      EXPECT_EQ(r.header("content-type"), "application/x-www-form-urlencoded");
      EXPECT_EQ(r.form("hub.mode"), "publish");
      EXPECT_EQ(r.form("hub.url"), feed_url());
    } else if (r.path() == "/pubnotify") {
      EXPECT_EQ(r.method, "GET");
      EXPECT_EQ(r.param("url"), feed_url());
    } else {
      EXPECT_EQ(r.path(), "/podping");
      EXPECT_EQ(r.param("url"), feed_url());
      EXPECT_EQ(r.param("reason"), "update");
      EXPECT_EQ(r.param("medium"), "podcast");
      EXPECT_EQ(r.header("authorization"), "test-token");
    }
    EXPECT_EQ(r.header("user-agent").rfind("podcastd/", 0), 0u);
  }
  EXPECT_EQ(per_path,
            (std::map<std::string, int>{{"/hub", 2}, {"/podping", 2}, {"/pubnotify", 2}}));

  ASSERT_TRUE(
      outbox_eventually([](const json& o) { return o["delivered"] == 6 && o["depth"] == 0; }));
  std::string metrics = http_get(port_, "/metrics").body;
  EXPECT_NE(metrics.find("podcastd_outbox_delivered_total{channel=\"websub\"} 2"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("podcastd_outbox_depth 0"), std::string::npos);
  EXPECT_NE(metrics.find("podcastd_outbox_failures_total{channel=\"websub\"} 0"),
            std::string::npos);
  CommandResult text = podcastd("status");
  EXPECT_NE(text.out.find("outbox: 0 pending, 6 delivered, 0 failed attempts, 0 given up"),
            std::string::npos)
      << text.out;

  // A republish that changes nothing pings nobody.
  CommandResult again = podcastd("republish");
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  hub.stop();
  EXPECT_EQ(hub.request_count(), 6u);
}

TEST_F(OutboundTest, AHubThatIsDownGetsThePingAfterARestart) {
  int port = free_port();
  std::string hub_url = "http://127.0.0.1:" + std::to_string(port) + "/hub";
  write_config("websub_hubs = [\"" + hub_url + "\"]\n");
  start();
  ASSERT_TRUE(outbox_eventually([](const json& o) {
    return o["failed_attempts"].get<int>() >= 1 && o["depth"] == 1;
  })) << process_->log();
  EXPECT_NE(status()["outbox"]["last_error"].get<std::string>().find(hub_url), std::string::npos);
  stop();
  EXPECT_NE(read_file(dir_ / "daemon.log").find("retrying at"), std::string::npos);

  HttpTestServer hub(
      [](const TestRequest&) {
        return TestResponse{202, {}, ""};
      },
      "127.0.0.1", port);
  ASSERT_EQ(hub.port(), port);
  start();
  ASSERT_TRUE(wait_until([&] { return hub.request_count() >= 1; }, 20s)) << process_->log();
  EXPECT_EQ(hub.requests()[0].form("hub.url"), feed_url());
  ASSERT_TRUE(
      outbox_eventually([](const json& o) { return o["delivered"] == 1 && o["depth"] == 0; }));
  // The restart's own publish changed nothing: the surviving row was the only ping.
  EXPECT_EQ(hub.request_count(), 1u);
}

TEST_F(OutboundTest, ARepublishWhileNoDaemonRanIsPingedAtTheNextStart) {
  HttpTestServer hub([](const TestRequest&) { return TestResponse{204, {}, ""}; });
  write_config("websub_hubs = [\"" + hub.url("/hub") + "\"]\n");
  CommandResult offline = podcastd("republish");
  ASSERT_EQ(offline.exit_code, 0) << offline.out << offline.err;
  EXPECT_EQ(hub.request_count(), 0u);  // nothing sends without the daemon
  start();
  ASSERT_TRUE(wait_until([&] { return hub.request_count() == 1; }, 20s)) << process_->log();
  EXPECT_EQ(hub.requests()[0].form("hub.url"), feed_url());
  ASSERT_TRUE(outbox_eventually([](const json& o) { return o["depth"] == 0; }));
  EXPECT_EQ(hub.request_count(), 1u);
}

TEST_F(OutboundTest, PrivateHubIsRefusedWhenNotAllowed) {
  HttpTestServer hub([](const TestRequest&) { return TestResponse{204, {}, ""}; });
  write_config("websub_hubs = [\"" + hub.url("/hub") + "\"]\n", false);
  start();
  ASSERT_TRUE(outbox_eventually([](const json& o) { return o["failed"] == 1; })) << process_->log();
  json o = status()["outbox"];
  EXPECT_NE(o["last_error"].get<std::string>().find(
                "refused: 127.0.0.1 is a private or loopback address"),
            std::string::npos)
      << o.dump();
  EXPECT_EQ(o["depth"], 0);
  EXPECT_EQ(hub.request_count(), 0u);
  EXPECT_NE(
      http_get(port_, "/metrics").body.find("podcastd_outbox_failures_total{channel=\"websub\"} 1"),
      std::string::npos);
}

class LinksTest : public OutboundTest {
 protected:
  void SetUp() override {
    OutboundTest::SetUp();
    std::string links;
    for (const char* p : {"/ok", "/moved", "/missing", "/slow"}) {
      links += "[[link]]\ntitle = \"" + std::string(p + 1) + "\"\nurl = \"" + site_.url(p) + "\"\n";
    }
    write_file(
        dir_ / "content/show/ep1.md",
        "+++\ntitle = \"First\"\ndate = 2025-01-01T10:00:00Z\n"
        "audio = \"https://cdn.outbound.example/1.mp3\"\nlength = 1\nmime = \"audio/mpeg\"\n" +
            links + "+++\nNotes.\n");
    write_config("");
  }

  void expect_report(const CommandResult& r) {
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;  // a dead link
    json j = json::parse(r.out, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << r.out << r.err;
    EXPECT_EQ(j["checked"], 4);
    EXPECT_EQ(j["dead"], 2);
    EXPECT_EQ(j["redirected"], 1);
    std::map<std::string, json> by_url;
    for (const json& l : j["links"]) {
      by_url[l["url"]] = l;
    }
    EXPECT_EQ(by_url[site_.url("/ok")]["status"], 200);
    EXPECT_EQ(by_url[site_.url("/moved")]["status"], 200);
    EXPECT_EQ(by_url[site_.url("/moved")]["final_url"], site_.url("/ok"));
    EXPECT_EQ(by_url[site_.url("/missing")]["status"], 404);
    EXPECT_EQ(by_url[site_.url("/slow")]["status"], 0);
    EXPECT_NE(by_url[site_.url("/slow")]["error"].get<std::string>().find("timed out"),
              std::string::npos);

    // Recorded in the catalog.
    catalog::Catalog cat(dir_ / "state/catalog.db", catalog::Catalog::Mode::read_only);
    std::optional<catalog::LinkCheck> moved = cat.link_check(site_.url("/moved"));
    ASSERT_TRUE(moved);
    EXPECT_EQ(moved->status, 200);
    EXPECT_EQ(moved->final_url, site_.url("/ok"));
    EXPECT_GT(moved->checked_at, 0);
    EXPECT_EQ(cat.link_check(site_.url("/missing"))->status, 404);
    std::optional<catalog::LinkCheck> slow = cat.link_check(site_.url("/slow"));
    ASSERT_TRUE(slow);
    EXPECT_EQ(slow->status, 0);
    EXPECT_GE(slow->time_ms, 900);
  }

  HttpTestServer site_{[](const TestRequest& r) {
    if (r.path() == "/ok") {
      return TestResponse{200, {}, "ok"};
    }
    if (r.path() == "/moved") {
      return TestResponse{301, {{"Location", "/ok"}}, ""};
    }
    if (r.path() == "/slow") {
      TestResponse slow{200, {}, ""};
      slow.delay = 3s;
      return slow;
    }
    return TestResponse{404, {}, ""};
  }};
};

TEST_F(LinksTest, CheckedWithoutADaemon) {
  CommandResult r = podcastd("links check show --json");
  expect_report(r);
  CommandResult text = podcastd("links check");
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_NE(text.out.find("redirected  200  " + site_.url("/moved") + " -> " + site_.url("/ok")),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("dead        404  " + site_.url("/missing")), std::string::npos);
  EXPECT_NE(text.out.find("4 links checked: 1 ok, 1 redirected, 2 dead"), std::string::npos);
  CommandResult unknown = podcastd("links check nosuchshow");
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("no show 'nosuchshow'"), std::string::npos) << unknown.err;
}

TEST_F(LinksTest, CheckedThroughTheRunningDaemon) {
  start();
  ASSERT_TRUE(wait_until([&] { return status().value("ready", false); }, 20s));
  CommandResult r = podcastd("links check show --json");
  expect_report(r);
  EXPECT_TRUE(process_->running());
}

// ---- import

struct Item {
  std::string guid;
  std::optional<catalog::UnixTime> date;
  std::string url;
  std::string length;
  std::string type;
};

// Items of an RSS document by guid (the enclosure URL for items without one, as Apple does).
std::map<std::string, Item> items_of(const std::string& xml) {
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_buffer(xml.data(), xml.size()));
  std::map<std::string, Item> out;
  for (pugi::xml_node item : doc.child("rss").child("channel").children("item")) {
    pugi::xml_node enc = item.child("enclosure");
    Item i;
    i.url = enc.attribute("url").value();
    i.length = enc.attribute("length").value();
    i.type = enc.attribute("type").value();
    i.guid = std::string(text::trim(item.child("guid").text().get()));
    if (i.guid.empty()) {
      i.guid = i.url;
    }
    std::string pub = item.child("pubDate").text().get();
    i.date = timefmt::parse_rfc2822(pub);
    if (!i.date) {
      i.date = timefmt::parse_rfc3339(pub);
    }
    out.emplace(i.guid, i);  // the first of duplicate guids
  }
  return out;
}

class ImportTest : public OutboundTest {
 protected:
  void SetUp() override {
    fs::create_directories(dir_ / "content");
    write_config("");
  }
};

TEST_F(ImportTest, RepublishedFeedsKeepGuidsDatesAndEnclosures) {
  for (const char* name : {"hosted_cdata", "entities_zones", "podcasting20"}) {
    SCOPED_TRACE(name);
    fs::path source = test_data_dir() / "import" / (std::string(name) + ".xml");
    CommandResult imp = podcastd("import " + shell_quote(source.string()) + " --show " + name);
    ASSERT_EQ(imp.exit_code, 0) << imp.out << imp.err;
    EXPECT_NE(imp.out.find("imported "), std::string::npos) << imp.out;
  }
  CommandResult pub = podcastd("republish");
  ASSERT_EQ(pub.exit_code, 0) << pub.out << pub.err;
  for (const char* name : {"hosted_cdata", "entities_zones", "podcasting20"}) {
    SCOPED_TRACE(name);
    std::map<std::string, Item> original =
        items_of(read_file(test_data_dir() / "import" / (std::string(name) + ".xml")));
    std::map<std::string, Item> ours = items_of(read_file(dir_ / "public" / name / "feed.xml"));
    ASSERT_FALSE(ours.empty());
    std::size_t compared = 0;
    for (const auto& [guid, o] : original) {
      if (o.url.empty() || o.url[0] == '/') {
        continue;  // nothing to publish (reported)
      }
      auto it = ours.find(guid);
      ASSERT_NE(it, ours.end()) << "guid " << guid << " lost";
      const Item& mine = it->second;
      EXPECT_EQ(mine.date, o.date) << guid;
      std::string url = std::regex_replace(o.url, std::regex(" "), "%20");
      EXPECT_EQ(mine.url, url) << guid;
      EXPECT_EQ(mine.type, o.type) << guid;
      if (!o.length.empty()) {
        EXPECT_EQ(mine.length, o.length) << guid;
      }
      ++compared;
    }
    EXPECT_EQ(compared, ours.size());  // nothing extra either
  }
}

TEST_F(ImportTest, UndatedAndIncompleteFeedsKeepTheirGuids) {
  fs::path source = test_data_dir() / "import" / "minimal.xml";
  CommandResult imp = podcastd("import " + shell_quote(source.string()) + " --show bare");
  ASSERT_EQ(imp.exit_code, 0) << imp.out << imp.err;
  CommandResult eps = podcastd("episodes bare --json");
  ASSERT_EQ(eps.exit_code, 0) << eps.err;
  std::set<std::string> guids;
  for (const json& e : json::parse(eps.out)) {
    guids.insert(e.value("guid", ""));
  }
  EXPECT_TRUE(guids.count("bare-1")) << eps.out;
  EXPECT_TRUE(guids.count("bare-3")) << eps.out;
  EXPECT_EQ(guids.size(), 3u) << eps.out;
}

TEST_F(ImportTest, FromAUrlWithCompanionFilesAndReimportUpdates) {
  std::string cover = read_file(source_dir() / "examples/content/field-notes/cover.jpg");
  std::string vtt = "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n<v Priya>Hello and welcome.\n";
  std::string chapters =
      R"({"version":"1.2.0","chapters":[{"startTime":0,"title":"Intro"},{"startTime":60,"title":"Data"}]})";
  std::string feed_text = read_file(test_data_dir() / "import" / "hosted_cdata.xml");
  std::mutex mu;
  HttpTestServer origin([&](const TestRequest& r) {
    std::lock_guard<std::mutex> lock(mu);
    if (r.path() == "/rss") {
      return TestResponse{200, {}, feed_text};
    }
    if (r.path() == "/kitchen/cover-3000.jpg") {
      return TestResponse{200, {}, cover};
    }
    if (r.path() == "/kitchen/ep42.vtt") {
      return TestResponse{200, {}, vtt};
    }
    if (r.path() == "/kitchen/ep42-chapters.json") {
      return TestResponse{200, {}, chapters};
    }
    return TestResponse{404, {}, ""};
  });
  {
    std::lock_guard<std::mutex> lock(mu);
    feed_text = std::regex_replace(feed_text, std::regex("https://assets\\.hosted\\.example"),
                                   origin.url(""));
  }
  CommandResult imp = podcastd("import " + origin.url("/rss") + " --show kitchen");
  ASSERT_EQ(imp.exit_code, 0) << imp.out << imp.err;
  EXPECT_NE(imp.out.find("3 episodes (3 new, 0 updated, 0 unchanged)"), std::string::npos)
      << imp.out;
  EXPECT_NE(imp.out.find("companion files: 3 downloaded"), std::string::npos) << imp.out;
  fs::path show = dir_ / "content/kitchen";
  EXPECT_EQ(read_file(show / "cover.jpg"), cover);
  std::string stem = "episodes/2024-04-03-why-rent-feels-so-high-it-is";
  EXPECT_EQ(read_file(show / (stem + ".vtt")), vtt);
  EXPECT_EQ(read_file(show / (stem + ".chapters.json")), chapters);
  std::string md = read_file(show / (stem + ".md"));
  EXPECT_EQ(md.find("ep42.vtt"), std::string::npos) << md;   // local now, not a link
  EXPECT_NE(md.find("ep42.html"), std::string::npos) << md;  // text/html: a link
  EXPECT_NE(read_file(show / "show.toml").find("image = \"cover.jpg\""), std::string::npos);

  CommandResult pub = podcastd("republish kitchen");
  ASSERT_EQ(pub.exit_code, 0) << pub.out << pub.err;
  std::string out = read_file(dir_ / "public/kitchen/feed.xml");
  EXPECT_NE(out.find("<podcast:transcript url=\"http://127.0.0.1:8080/kitchen/"), std::string::npos)
      << out;
  EXPECT_NE(out.find("<podcast:chapters url=\"http://127.0.0.1:8080/kitchen/"), std::string::npos);

  // The feed moves on: one title fixed, one new episode. Re-import updates, never duplicates.
  {
    std::lock_guard<std::mutex> lock(mu);
    feed_text = std::regex_replace(feed_text, std::regex("Budgeting Apps, Reviewed"),
                                   "Budgeting Apps, Re-Reviewed");
    std::string fresh =
        "<item><title>Brand New</title><guid isPermaLink=\"false\">kitchen-new-43</guid>"
        "<pubDate>Wed, 17 Apr 2024 06:00:00 +0200</pubDate><enclosure "
        "url=\"https://traffic.hosted.example/kitchen/ep43.mp3\" length=\"1000\" "
        "type=\"audio/mpeg\"/></item>\n    <item>";
    feed_text.replace(feed_text.find("<item>"), 6, fresh);
  }
  std::size_t files_before = 0;
  for (auto& e : fs::recursive_directory_iterator(show)) {
    files_before += e.is_regular_file();
  }
  CommandResult again = podcastd("import " + origin.url("/rss") + " --show kitchen");
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE(again.out.find("4 episodes (1 new, 1 updated, 2 unchanged)"), std::string::npos)
      << again.out;
  std::size_t files_after = 0;
  for (auto& e : fs::recursive_directory_iterator(show)) {
    files_after += e.is_regular_file();
  }
  EXPECT_EQ(files_after, files_before + 1);
  // Updated in place: the file keeps its name although the title changed.
  EXPECT_NE(read_file(show / "episodes/2024-03-20-budgeting-apps-reviewed.md")
                .find("title = \"Budgeting Apps, Re-Reviewed\""),
            std::string::npos);
  CommandResult pub2 = podcastd("republish kitchen");
  ASSERT_EQ(pub2.exit_code, 0) << pub2.out << pub2.err;
  std::map<std::string, Item> items = items_of(read_file(dir_ / "public/kitchen/feed.xml"));
  EXPECT_EQ(items.size(), 4u);
  EXPECT_TRUE(items.count("kitchen-new-43"));
}

TEST_F(ImportTest, RefusedAndBrokenSources) {
  HttpTestServer origin([](const TestRequest&) { return TestResponse{200, {}, "<rss/>"}; });
  write_config("", false);
  CommandResult refused = podcastd("import " + origin.url("/rss") + " --show x");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("refused: 127.0.0.1 is a private or loopback address"),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(origin.request_count(), 0u);
  write_file(dir_ / "broken.xml", "<rss><channel><title>x</channel></rss>");
  CommandResult broken = podcastd("import broken.xml --show x");
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_EQ(broken.err.rfind("podcastd: broken.xml:1: ", 0), 0u) << broken.err;
  CommandResult slug = podcastd("import broken.xml --show ../escape");
  EXPECT_EQ(slug.exit_code, 2);
  EXPECT_FALSE(fs::exists(dir_ / "escape"));
}

}  // namespace
}  // namespace podcastd::testing
