// Link checks against a real server on loopback: statuses, redirects, HEAD refusals, timeouts,
// politeness, and the recorded catalog rows.
#include "daemon/link_checker.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/http_test_server.hpp"
#include "tests/support/test_support.hpp"

namespace podcastd::daemon {
namespace {

using podcastd::testing::HttpTestServer;
using podcastd::testing::TempDir;
using podcastd::testing::TestRequest;
using podcastd::testing::TestResponse;
using namespace std::chrono_literals;

TestResponse site(const TestRequest& req) {
  std::string p = req.path();
  if (p == "/ok") {
    return {200, {}, "fine"};
  }
  if (p == "/moved") {
    return {301, {{"Location", "/ok"}}, ""};
  }
  if (p == "/missing") {
    return {404, {}, "no"};
  }
  if (p == "/broken") {
    return {500, {}, "oops"};
  }
  if (p == "/slow") {
    TestResponse r{200, {}, ""};
    r.delay = 3s;
    return r;
  }
  if (p == "/nohead") {
    return req.method == "HEAD" ? TestResponse{405, {}, ""} : TestResponse{};
  }
  if (p == "/hangs-up-on-head") {
    TestResponse r;
    r.hang_up = req.method == "HEAD";
    return r;
  }
  return {404, {}, ""};
}

FetchOptions options() {
  FetchOptions o;
  o.allow_private_addresses = true;
  o.timeout = 400ms;
  return o;
}

TEST(LinkChecker, RecordsStatusFinalUrlAndErrors) {
  HttpTestServer server(site);
  HttpClient client({8, 2});
  std::vector<std::string> urls;
  for (const char* p :
       {"/ok", "/moved", "/missing", "/broken", "/slow", "/nohead", "/hangs-up-on-head"}) {
    urls.push_back(server.url(p));
  }
  std::vector<catalog::LinkCheck> checks = check_links(client, urls, options(), 1234);
  ASSERT_EQ(checks.size(), urls.size());
  for (std::size_t i = 0; i < urls.size(); ++i) {
    EXPECT_EQ(checks[i].url, urls[i]);  // input order
    EXPECT_EQ(checks[i].checked_at, 1234);
    EXPECT_GE(checks[i].time_ms, 0);
  }
  EXPECT_EQ(checks[0].status, 200);
  EXPECT_EQ(checks[0].final_url, urls[0]);
  EXPECT_FALSE(is_dead(checks[0]));
  EXPECT_FALSE(is_redirected(checks[0]));

  EXPECT_EQ(checks[1].status, 200);
  EXPECT_EQ(checks[1].final_url, server.url("/ok"));
  EXPECT_TRUE(is_redirected(checks[1]));
  EXPECT_FALSE(is_dead(checks[1]));

  EXPECT_EQ(checks[2].status, 404);
  EXPECT_TRUE(is_dead(checks[2]));
  EXPECT_EQ(checks[3].status, 500);
  EXPECT_TRUE(is_dead(checks[3]));

  EXPECT_EQ(checks[4].status, 0);
  EXPECT_NE(checks[4].error.find("timed out"), std::string::npos) << checks[4].error;
  EXPECT_TRUE(is_dead(checks[4]));
  EXPECT_GE(checks[4].time_ms, 300);

  EXPECT_EQ(checks[5].status, 200);  // GET after HEAD got 405
  EXPECT_EQ(checks[6].status, 200);  // GET after HEAD got no answer

  std::vector<std::string> nohead;
  for (const TestRequest& r : server.requests()) {
    if (r.path() == "/nohead") {
      nohead.push_back(r.method);
    }
  }
  EXPECT_EQ(nohead, (std::vector<std::string>{"HEAD", "GET"}));
  for (const TestRequest& r : server.requests()) {
    if (r.path() == "/ok" || r.path() == "/missing") {
      EXPECT_EQ(r.method, "HEAD") << r.path();
    }
  }
}

TEST(LinkChecker, PolitePerHost) {
  HttpTestServer server([](const TestRequest&) {
    TestResponse r;
    r.delay = 100ms;
    return r;
  });
  HttpClient client({8, 2});
  std::vector<std::string> urls;
  urls.reserve(8);
  for (int i = 0; i < 8; ++i) {
    urls.push_back(server.url("/p" + std::to_string(i)));
  }
  std::vector<catalog::LinkCheck> checks = check_links(client, urls, options(), 1);
  for (const catalog::LinkCheck& c : checks) {
    EXPECT_EQ(c.status, 200) << c.url << c.error;
  }
  EXPECT_EQ(server.max_concurrent(), 2);
}

TEST(LinkChecker, PrivateTargetsAreDeadUnlessAllowed) {
  HttpTestServer server(site);
  HttpClient client({2, 1});
  FetchOptions strict = options();
  strict.allow_private_addresses = false;
  std::vector<catalog::LinkCheck> checks = check_links(client, {server.url("/ok")}, strict, 1);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_TRUE(is_dead(checks[0]));
  EXPECT_NE(checks[0].error.find("refused"), std::string::npos);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(LinkChecker, NothingToCheck) {
  HttpClient client({2, 1});
  EXPECT_TRUE(check_links(client, {}, options(), 1).empty());
}

TEST(LinkChecker, ChecksAreStoredInTheCatalog) {
  HttpTestServer server(site);
  HttpClient client({4, 2});
  TempDir dir;
  catalog::Catalog cat(dir / "catalog.db");
  std::vector<catalog::LinkCheck> checks =
      check_links(client, {server.url("/moved"), server.url("/slow")}, options(), 77);
  for (const catalog::LinkCheck& c : checks) {
    cat.put_link_check(c);
  }
  std::optional<catalog::LinkCheck> moved = cat.link_check(server.url("/moved"));
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->status, 200);
  EXPECT_EQ(moved->final_url, server.url("/ok"));
  EXPECT_EQ(moved->checked_at, 77);
  std::optional<catalog::LinkCheck> slow = cat.link_check(server.url("/slow"));
  ASSERT_TRUE(slow);
  EXPECT_EQ(slow->status, 0);
  EXPECT_NE(slow->error.find("timed out"), std::string::npos);
}

TEST(LinkReport, JsonAndText) {
  std::vector<catalog::Link> links = {{"Home", "https://a.test/", ""},
                                      {"Old", "https://a.test/old", ""},
                                      {"Gone", "https://b.test/x", ""},
                                      {"", "https://c.test/", ""}};
  std::vector<catalog::LinkCheck> checks = {
      {"https://a.test/", 200, "https://a.test/", "", 5, 10},
      {"https://a.test/old", 200, "https://a.test/new", "", 5, 11},
      {"https://b.test/x", 404, "https://b.test/x", "", 5, 12},
      {"https://c.test/", 0, "", "https://c.test/: timed out after 10000 ms", 5, 10000}};
  std::string json = link_report_json(links, checks);
  nlohmann::json j = nlohmann::json::parse(json);
  EXPECT_FALSE(j["ok"].get<bool>());
  EXPECT_EQ(j["checked"], 4);
  EXPECT_EQ(j["dead"], 2);
  EXPECT_EQ(j["redirected"], 1);
  EXPECT_EQ(j["links"][1]["final_url"], "https://a.test/new");
  EXPECT_EQ(j["links"][2]["title"], "Gone");
  EXPECT_EQ(link_report_text(json),
            "redirected  200  https://a.test/old -> https://a.test/new  (Old)\n"
            "dead        404  https://b.test/x  (Gone)\n"
            "dead        ---  https://c.test/: timed out after 10000 ms\n"
            "4 links checked: 1 ok, 1 redirected, 2 dead\n");
  EXPECT_EQ(link_report_text("not json"), "");
}

}  // namespace
}  // namespace podcastd::daemon
