// The outbound policy and both front ends (blocking fetch, curl-multi HttpClient) against real
// HTTP servers on loopback.
#include "daemon/http_client.hpp"
#include "feeds/layout.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>

#include "tests/support/http_test_server.hpp"
#include "tests/support/test_support.hpp"

namespace podcastd::daemon {
namespace {

using podcastd::testing::HttpTestServer;
using podcastd::testing::TestRequest;
using podcastd::testing::TestResponse;
using namespace std::chrono_literals;

FetchOptions allowed() {
  FetchOptions o;
  o.allow_private_addresses = true;
  o.timeout = 5s;
  return o;
}

TestResponse ok(std::string body = "ok\n") { return TestResponse{200, {}, std::move(body)}; }

TestResponse redirect(int status, std::string location) {
  return TestResponse{status, {{"Location", std::move(location)}}, ""};
}

Result<FetchResponse> fetch_async(HttpClient& client, const std::string& url, FetchOptions o) {
  std::promise<Result<FetchResponse>> p;
  auto f = p.get_future();
  client.submit(url, std::move(o), [&p](Result<FetchResponse> r) { p.set_value(std::move(r)); });
  return f.get();
}

TEST(HttpClientPolicy, PrivateAddressTable) {
  for (const char* ip : {"127.0.0.1",
                         "127.1.2.3",
                         "10.0.0.1",
                         "172.16.0.1",
                         "172.31.255.255",
                         "192.168.1.1",
                         "169.254.169.254",
                         "100.64.0.1",
                         "0.0.0.0",
                         "224.0.0.1",
                         "255.255.255.255",
                         "::1",
                         "::",
                         "fc00::1",
                         "fd12::1",
                         "fe80::1",
                         "ff02::1",
                         "::ffff:127.0.0.1",
                         "::ffff:10.1.1.1",
                         "not-an-ip"}) {
    EXPECT_TRUE(is_private_address(ip)) << ip;
  }
  for (const char* ip : {"93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111",
                         "::ffff:8.8.8.8", "100.128.0.1"}) {
    EXPECT_FALSE(is_private_address(ip)) << ip;
  }
}

TEST(HttpClientPolicy, UrlHostAndEncoding) {
  EXPECT_EQ(url_host("https://Example.COM:8443/a?b"), "example.com");
  EXPECT_EQ(url_host("http://user:pw@host.test/x"), "host.test");
  EXPECT_EQ(url_host("http://[::1]:80/"), "[::1]");
  EXPECT_EQ(url_host("no-scheme"), "");
}

TEST(HttpClientFetch, FetchesFromLoopbackWhenAllowed) {
  HttpTestServer server([](const TestRequest&) { return ok("hello"); });
  Result<FetchResponse> r = fetch(server.url("/x"), allowed());
  PODCASTD_ASSERT_OK(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hello");
  EXPECT_EQ(r->final_url, server.url("/x"));
  ASSERT_EQ(server.request_count(), 1u);
  EXPECT_EQ(server.requests()[0].header("user-agent"), "podcastd");
}

TEST(HttpClientFetch, RefusesLoopbackUnlessAllowed) {
  HttpTestServer server([](const TestRequest&) { return ok(); });
  FetchOptions o;
  o.timeout = 5s;
  Result<FetchResponse> r = fetch(server.url("/"), o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::refused);
  EXPECT_EQ(r.error().message, server.url("/") +
                                   ": refused: 127.0.0.1 is a private or loopback address "
                                   "(outbound.allow_private_addresses is false)");
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(HttpClientFetch, RefusesNamesThatResolveToLoopback) {
  HttpTestServer server([](const TestRequest&) { return ok(); });
  FetchOptions o;
  o.timeout = 5s;
  Result<FetchResponse> r = fetch("http://localhost:" + std::to_string(server.port()) + "/", o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::refused) << r.error().message;
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(HttpClientFetch, RefusesOtherSchemes) {
  for (const char* url : {"ftp://example.com/x", "file:///etc/passwd", "gopher://x", "//x/y"}) {
    Result<FetchResponse> r = fetch(url, allowed());
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.error().code, ErrorCode::invalid_argument) << url;
  }
}

TEST(HttpClientFetch, FollowsRedirectsWithinTheLimit) {
  HttpTestServer server([](const TestRequest& req) {
    if (req.path() == "/a") {
      return redirect(301, "/b");
    }
    if (req.path() == "/b") {
      return redirect(302, "/c");
    }
    return ok("end");
  });
  FetchOptions o = allowed();
  o.max_redirects = 2;
  Result<FetchResponse> r = fetch(server.url("/a"), o);
  PODCASTD_ASSERT_OK(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "end");
  EXPECT_EQ(r->final_url, server.url("/c"));
  ASSERT_EQ(r->redirects.size(), 2u);
  EXPECT_EQ(r->redirects[0], std::make_pair(301, server.url("/b")));
  EXPECT_EQ(r->redirects[1], std::make_pair(302, server.url("/c")));

  o.max_redirects = 1;
  Result<FetchResponse> limited = fetch(server.url("/a"), o);
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().message, server.url("/a") + ": more than 1 redirects");
}

TEST(HttpClientFetch, RechecksTheAddressOfEveryRedirectHop) {
  // Both servers are on loopback; the seam refuses 127.0.0.2 only, standing in for a public
  // host that redirects to a private one.
  HttpTestServer inner([](const TestRequest&) { return ok("secret"); }, "127.0.0.2");
  HttpTestServer outer([&](const TestRequest&) { return redirect(302, inner.url("/admin")); });
  FetchOptions o = allowed();
  o.refuse_address = [](std::string_view ip) { return ip == "127.0.0.2"; };
  Result<FetchResponse> r = fetch(outer.url("/"), o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::refused);
  EXPECT_NE(r.error().message.find(inner.url("/admin") + ": refused: 127.0.0.2"), std::string::npos)
      << r.error().message;
  EXPECT_EQ(outer.request_count(), 1u);
  EXPECT_EQ(inner.request_count(), 0u);
}

TEST(HttpClientFetch, RefusesRedirectsToOtherSchemes) {
  HttpTestServer server([](const TestRequest&) { return redirect(302, "file:///etc/passwd"); });
  Result<FetchResponse> r = fetch(server.url("/"), allowed());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::refused);
  EXPECT_EQ(r.error().message,
            server.url("/") + ": redirect to a non-http URL: file:///etc/passwd");
}

TEST(HttpClientFetch, PostsFormBodyWithHeaders) {
  HttpTestServer server([](const TestRequest&) { return TestResponse{204, {}, ""}; });
  FetchOptions o = allowed();
  o.method = "POST";
  o.body = "hub.mode=publish&hub.url=" + feeds::percent_encode("https://x.test/feed.xml");
  o.headers = {"Content-Type: application/x-www-form-urlencoded"};
  o.user_agent = "podcastd/test";
  Result<FetchResponse> r = fetch(server.url("/hub"), o);
  PODCASTD_ASSERT_OK(r);
  EXPECT_EQ(r->status, 204);
  ASSERT_EQ(server.request_count(), 1u);
  TestRequest got = server.requests()[0];
  EXPECT_EQ(got.method, "POST");
  EXPECT_EQ(got.header("content-type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(got.header("user-agent"), "podcastd/test");
  EXPECT_EQ(got.form("hub.mode"), "publish");
  EXPECT_EQ(got.form("hub.url"), "https://x.test/feed.xml");
}

TEST(HttpClientFetch, PostBecomesGetAfter303) {
  HttpTestServer server([](const TestRequest& req) {
    if (req.path() == "/post") {
      return redirect(303, "/done");
    }
    return ok(req.method);
  });
  FetchOptions o = allowed();
  o.method = "POST";
  o.body = "x=1";
  Result<FetchResponse> r = fetch(server.url("/post"), o);
  PODCASTD_ASSERT_OK(r);
  EXPECT_EQ(r->body, "GET");
}

TEST(HttpClientFetch, TimeoutIsReported) {
  HttpTestServer server([](const TestRequest&) {
    TestResponse slow = ok();
    slow.delay = 3s;
    return slow;
  });
  FetchOptions o = allowed();
  o.timeout = 200ms;
  auto start = std::chrono::steady_clock::now();
  Result<FetchResponse> r = fetch(server.url("/slow"), o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::network);
  EXPECT_NE(r.error().message.find("timed out"), std::string::npos) << r.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST(HttpClientFetch, DiscardBodyStopsAtTheFirstByte) {
  HttpTestServer server([](const TestRequest&) { return ok(std::string(1 << 20, 'x')); });
  FetchOptions o = allowed();
  o.discard_body = true;
  Result<FetchResponse> r = fetch(server.url("/big.mp3"), o);
  PODCASTD_ASSERT_OK(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(r->body.empty());
}

TEST(HttpClientFetch, BodyLimitIsAnError) {
  HttpTestServer server([](const TestRequest&) { return ok(std::string(5000, 'x')); });
  FetchOptions o = allowed();
  o.max_body_bytes = 1000;
  Result<FetchResponse> r = fetch(server.url("/"), o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, server.url("/") + ": response larger than 1000 bytes");
}

TEST(HttpClientFetch, ConnectionRefusedIsANetworkError) {
  int port = 0;
  {
    HttpTestServer gone([](const TestRequest&) { return ok(); });
    port = gone.port();
  }
  Result<FetchResponse> r = fetch("http://127.0.0.1:" + std::to_string(port) + "/", allowed());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::network);
}

TEST(HttpClientAsync, CompletesRequestsWithThePolicy) {
  HttpTestServer server([](const TestRequest& req) {
    if (req.path() == "/moved") {
      return redirect(301, "/here");
    }
    return ok(req.path());
  });
  HttpClient client({4, 2});
  Result<FetchResponse> r = fetch_async(client, server.url("/moved"), allowed());
  PODCASTD_ASSERT_OK(r);
  EXPECT_EQ(r->body, "/here");
  EXPECT_EQ(r->final_url, server.url("/here"));
  ASSERT_EQ(r->redirects.size(), 1u);

  FetchOptions strict;
  strict.timeout = 5s;
  Result<FetchResponse> refused = fetch_async(client, server.url("/"), strict);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::refused);

  Result<FetchResponse> bad = fetch_async(client, "mailto:x@y.z", allowed());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(client.outstanding(), 0u);
}

TEST(HttpClientAsync, LimitsConcurrencyPerHostAndInTotal) {
  auto slow = [](const TestRequest&) {
    TestResponse r = ok();
    r.delay = 150ms;
    return r;
  };
  HttpTestServer a(slow, "127.0.0.1");
  HttpTestServer b(slow, "127.0.0.2");
  HttpClient client({3, 2});
  std::atomic<int> done{0};
  std::atomic<int> failed{0};
  for (int i = 0; i < 6; ++i) {
    for (HttpTestServer* s : {&a, &b}) {
      client.submit(s->url("/" + std::to_string(i)), allowed(), [&](Result<FetchResponse> r) {
        if (!r.ok() || r->status != 200) {
          ++failed;
        }
        ++done;
      });
    }
  }
  ASSERT_TRUE(podcastd::testing::wait_until([&] { return done.load() == 12; }, 20s));
  EXPECT_EQ(failed.load(), 0);
  EXPECT_LE(a.max_concurrent(), 2);
  EXPECT_LE(b.max_concurrent(), 2);
  EXPECT_GE(a.max_concurrent() + b.max_concurrent(), 3);  // both hosts were served in parallel
  EXPECT_EQ(a.request_count() + b.request_count(), 12u);
}

TEST(HttpClientAsync, OneAtATimeWhenParallelismIsOne) {
  HttpTestServer server([](const TestRequest&) {
    TestResponse r = ok();
    r.delay = 50ms;
    return r;
  });
  HttpClient client({1, 4});
  std::atomic<int> done{0};
  for (int i = 0; i < 4; ++i) {
    client.submit(server.url("/"), allowed(), [&](const Result<FetchResponse>&) { ++done; });
  }
  ASSERT_TRUE(podcastd::testing::wait_until([&] { return done.load() == 4; }, 10s));
  EXPECT_EQ(server.max_concurrent(), 1);
}

TEST(HttpClientAsync, StopCancelsWhatIsQueuedOrInFlight) {
  HttpTestServer server([](const TestRequest&) {
    TestResponse r = ok();
    r.delay = 10s;
    return r;
  });
  HttpClient client({1, 1});
  std::mutex mu;
  std::vector<std::string> errors;
  for (int i = 0; i < 3; ++i) {
    client.submit(server.url("/" + std::to_string(i)), allowed(),
                  [&](const Result<FetchResponse>& r) {
                    std::lock_guard<std::mutex> lock(mu);
                    errors.push_back(r.ok() ? "ok" : r.error().message);
                  });
  }
  ASSERT_TRUE(podcastd::testing::wait_until([&] { return server.request_count() == 1; }));
  auto start = std::chrono::steady_clock::now();
  client.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(errors.size(), 3u);
  for (const std::string& e : errors) {
    EXPECT_EQ(e.substr(e.size() - 11), ": cancelled") << e;
  }
  client.submit(server.url("/late"), allowed(), [&](const Result<FetchResponse>& r) {
    errors.push_back(r.ok() ? "ok" : r.error().message);
  });
  EXPECT_EQ(errors.size(), 4u);
}

}  // namespace
}  // namespace podcastd::daemon

namespace podcastd::daemon {
namespace {

TEST(HttpClientPolicy, OutboundOptionsFollowTheConfiguration) {
  OutboundConfig c;
  c.timeout_s = 7;
  c.max_redirects = 2;
  c.allow_private_addresses = true;
  c.user_agent = "podcastd-test/1";
  FetchOptions o = outbound_options(c);
  EXPECT_EQ(o.timeout, std::chrono::seconds(7));
  EXPECT_EQ(o.max_redirects, 2);
  EXPECT_TRUE(o.allow_private_addresses);
  EXPECT_EQ(o.user_agent, "podcastd-test/1");
  EXPECT_EQ(o.method, "GET");
  EXPECT_EQ(o.max_body_bytes, FetchOptions{}.max_body_bytes);
}

}  // namespace
}  // namespace podcastd::daemon
