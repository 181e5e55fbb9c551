#include "daemon/config.hpp"

#include <gtest/gtest.h>

#include "tests/support/test_support.hpp"

namespace podcastd::daemon {
namespace {

namespace fs = std::filesystem;
using podcastd::testing::TempDir;
using podcastd::testing::write_file;

TEST(Config, DefaultsMatchDesign) {
  Config c = default_config("/srv/pod");
  EXPECT_EQ(c.content_dir, "/srv/pod/content");
  EXPECT_EQ(c.state_dir, "/srv/pod/var");
  EXPECT_EQ(c.output_dir, "/srv/pod/public");
  EXPECT_EQ(c.public_url, "http://127.0.0.1:8080");
  EXPECT_EQ(c.http.listen, "127.0.0.1:8080");
  EXPECT_EQ(c.watch.debounce_ms, 250);
  EXPECT_EQ(c.watch.rescan_interval_s, 600);
  EXPECT_TRUE(c.notify.websub_hubs.empty());
  EXPECT_FALSE(c.notify.pubnotify);
  EXPECT_EQ(c.notify.podping_url, "");
  EXPECT_FALSE(c.outbound.allow_private_addresses);
  EXPECT_EQ(c.outbound.timeout_s, 10);
  EXPECT_EQ(c.catalog_path(), "/srv/pod/var/catalog.db");
  EXPECT_EQ(c.source, "");
}

TEST(Config, EmptyFileGivesDefaults) {
  Result<Config> c = parse_config("", "podcastd.toml", "/etc/podcastd");
  PODCASTD_ASSERT_OK(c);
  EXPECT_EQ(c->content_dir, "/etc/podcastd/content");
  EXPECT_EQ(c->http.listen, "127.0.0.1:8080");
}

TEST(Config, ParsesEveryContractKey) {
  Result<Config> c = parse_config(R"(
content_dir = "/srv/shows"
state_dir   = "state"
output_dir  = "../www"
public_url  = "https://feeds.example.com/"
[http]
listen  = ""
[watch]
debounce_ms       = 100
rescan_interval_s = 60
[notify]
websub_hubs = ["https://pubsubhubbub.appspot.com/"]
pubnotify   = true
podping_url = "https://podping.cloud/"
[outbound]
allow_private_addresses = true
timeout_s = 3
)",
                                  "podcastd.toml", "/etc/podcastd");
  PODCASTD_ASSERT_OK(c);
  EXPECT_EQ(c->content_dir, "/srv/shows");
  EXPECT_EQ(c->state_dir, "/etc/podcastd/state");
  EXPECT_EQ(c->output_dir, "/etc/www");
  EXPECT_EQ(c->public_url, "https://feeds.example.com");  // trailing slash dropped
  EXPECT_EQ(c->http.listen, "");
  EXPECT_EQ(c->watch.debounce_ms, 100);
  EXPECT_EQ(c->watch.rescan_interval_s, 60);
  ASSERT_EQ(c->notify.websub_hubs.size(), 1u);
  EXPECT_TRUE(c->notify.pubnotify);
  EXPECT_EQ(c->notify.podping_url, "https://podping.cloud/");
  EXPECT_TRUE(c->outbound.allow_private_addresses);
  EXPECT_EQ(c->outbound.timeout_s, 3);
}

struct BadCase {
  const char* toml;
  const char* message;
};

class ConfigErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(ConfigErrors, NamesKeyAndLine) {
  Result<Config> c = parse_config(GetParam().toml, "podcastd.toml", "/x");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, ErrorCode::config);
  EXPECT_EQ(c.error().message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ConfigErrors,
    ::testing::Values(
        BadCase{"content_dir = \"c\"\nconten_dir = \"x\"\n",
                "podcastd.toml:2: unknown key 'conten_dir'"},
        BadCase{"[http]\nlisten = \"127.0.0.1:80\"\nlisen = \"x\"\n",
                "podcastd.toml:3: unknown key 'http.lisen'"},
        BadCase{"[nope]\nx = 1\n", "podcastd.toml:1: unknown key 'nope'"},
        BadCase{"[watch]\ndebounce_ms = \"fast\"\n",
                "podcastd.toml:2: watch.debounce_ms: expected an integer, got a string"},
        BadCase{"[watch]\ndebounce_ms = 2.5\n",
                "podcastd.toml:2: watch.debounce_ms: expected an integer, got a float"},
        BadCase{"log_level = 1979-05-27\n",
                "podcastd.toml:1: log_level: expected a string, got a date"},
        BadCase{"[watch]\ndebounce_ms = -5\n",
                "podcastd.toml:2: watch.debounce_ms: must be between 0 and 600000, got -5"},
        BadCase{"public_url = \"ftp://x\"\n",
                "podcastd.toml:1: public_url: expected an http:// or https:// URL, got "
                "\"ftp://x\""},
        BadCase{"[http]\nlisten = \"localhost\"\n",
                "podcastd.toml:2: http.listen: expected \"HOST:PORT\", got \"localhost\""},
        BadCase{"[http]\nlisten = \"127.0.0.1:99999\"\n",
                "podcastd.toml:2: http.listen: port must be at most 65535, got \"99999\""},
        BadCase{"[outbound]\nallow_private_addresses = \"yes\"\n",
                "podcastd.toml:2: outbound.allow_private_addresses: expected true or false, got "
                "a string"},
        BadCase{"[notify]\nwebsub_hubs = [\"https://ok.example/\", 3]\n",
                "podcastd.toml:2: notify.websub_hubs: expected an array of URLs, found an "
                "integer"},
        BadCase{"http = 3\n", "podcastd.toml:1: 'http' must be a table ([http])"},
        BadCase{"content_dir = \"\"\n", "podcastd.toml:1: content_dir: must not be empty"},
        BadCase{"[watch]\ndebounce_ms = 500\nmax_delay_ms = 100\n",
                "podcastd.toml: watch.max_delay_ms (100) must not be less than "
                "watch.debounce_ms (500)"},
        BadCase{
            "content_dir = \"unterminated\n",
            "podcastd.toml:1: Error while parsing string: unescaped control characters other than "
            "TAB (U+0009) are explicitly prohibited"}));

TEST(Config, SyntaxErrorNamesLine) {
  Result<Config> c = parse_config("a = 1\n\n[http\n", "x.toml", "/x");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().message.rfind("x.toml:3: ", 0), 0u) << c.error().message;
}

TEST(Config, LoadFileResolvesRelativeToItsFolder) {
  TempDir dir;
  write_file(dir / "etc/podcastd.toml", "content_dir = \"shows\"\n");
  Result<Config> c = load_config_file(dir / "etc/podcastd.toml");
  PODCASTD_ASSERT_OK(c);
  EXPECT_EQ(c->content_dir, dir / "etc/shows");
  EXPECT_EQ(c->output_dir, dir / "etc/public");
  EXPECT_EQ(c->source, dir / "etc/podcastd.toml");
}

TEST(Config, LoadMissingFileFails) {
  Result<Config> c = load_config_file("/nonexistent/podcastd.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().message,
            "/nonexistent/podcastd.toml: cannot read configuration file: No such file or "
            "directory");
}

TEST(Config, ResolutionOrder) {
  TempDir dir;
  write_file(dir / "flag.toml", "output_dir = \"from-flag\"\n");
  write_file(dir / "env.toml", "output_dir = \"from-env\"\n");
  write_file(dir / "podcastd.toml", "output_dir = \"from-cwd\"\n");
  std::string env = (dir / "env.toml").string();

  Result<Config> c = resolve_config((dir / "flag.toml").string(), env.c_str(), dir.path());
  PODCASTD_ASSERT_OK(c);
  EXPECT_EQ(c->output_dir, dir / "from-flag");

  c = resolve_config(std::nullopt, env.c_str(), dir.path());
  PODCASTD_ASSERT_OK(c);
  EXPECT_EQ(c->output_dir, dir / "from-env");

  c = resolve_config(std::nullopt, nullptr, dir.path());
  PODCASTD_ASSERT_OK(c);
  EXPECT_EQ(c->output_dir, dir / "from-cwd");

  fs::remove(dir / "podcastd.toml");
  c = resolve_config(std::nullopt, "", dir.path());
  PODCASTD_ASSERT_OK(c);
  EXPECT_EQ(c->output_dir, dir / "public");
  EXPECT_EQ(c->source, "");
}

TEST(Config, ExampleConfigParsesToDefaults) {
  fs::path example = podcastd::testing::source_dir() / "config" / "podcastd.toml";
  Result<Config> c = load_config_file(example);
  PODCASTD_ASSERT_OK(c);
  Config d = default_config(example.parent_path());
  EXPECT_EQ(c->content_dir, d.content_dir);
  EXPECT_EQ(c->public_url, d.public_url);
  EXPECT_EQ(c->http.listen, d.http.listen);
  EXPECT_EQ(c->http.max_connections, d.http.max_connections);
  EXPECT_EQ(c->watch.debounce_ms, d.watch.debounce_ms);
  EXPECT_EQ(c->watch.max_delay_ms, d.watch.max_delay_ms);
  EXPECT_EQ(c->notify.max_attempts, d.notify.max_attempts);
  EXPECT_EQ(c->outbound.timeout_s, d.outbound.timeout_s);
  EXPECT_EQ(c->outbound.user_agent, d.outbound.user_agent);
  EXPECT_EQ(c->catalog.max_source_bytes, d.catalog.max_source_bytes);
}

}  // namespace
}  // namespace podcastd::daemon
