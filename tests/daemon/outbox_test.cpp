// The outbox: planning, coalescing, the backoff schedule, recording attempts, and the sender
// against real hubs on loopback (real io_context, a catalog thread, the curl-multi client).
#include "daemon/outbox.hpp"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <future>

#include "daemon/metrics.hpp"
#include "tests/support/http_test_server.hpp"
#include "tests/support/test_support.hpp"

namespace podcastd::daemon {
namespace {

namespace asio = boost::asio;
using catalog::Catalog;
using catalog::OutboxItem;
using podcastd::testing::HttpTestServer;
using podcastd::testing::TempDir;
using podcastd::testing::TestRequest;
using podcastd::testing::TestResponse;
using namespace std::chrono_literals;

constexpr const char* kFeed = "https://feeds.example/rip/feed.xml";

NotifyConfig hubs(std::vector<std::string> list) {
  NotifyConfig n;
  n.websub_hubs = std::move(list);
  return n;
}

feeds::PublishResult published(std::string show, std::string hash, bool changed) {
  feeds::PublishResult r;
  r.show = std::move(show);
  r.published = true;
  r.changed = changed;
  r.feed_url = "https://feeds.example/" + r.show + "/feed.xml";
  r.feed_hash = std::move(hash);
  return r;
}

TEST(OutboxPlan, OneRowPerConfiguredTarget) {
  NotifyConfig n = hubs({"https://hub.a/", "https://hub.b/", "https://hub.a/"});
  n.pubnotify = true;
  n.podping_url = "https://podping.cloud/";
  std::vector<OutboxItem> items = plan_notifications(n, "rip", kFeed, "h1", 100);
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].channel, "websub");
  EXPECT_EQ(items[0].target, "https://hub.a/");
  EXPECT_EQ(items[1].target, "https://hub.b/");
  EXPECT_EQ(items[2].channel, "pubnotify");
  EXPECT_EQ(items[2].target, "https://api.podcastindex.org/api/1.0/hub/pubnotify");
  EXPECT_EQ(items[3].channel, "podping");
  for (const OutboxItem& i : items) {
    EXPECT_EQ(i.show, "rip");
    EXPECT_EQ(i.feed_url, kFeed);
    EXPECT_EQ(i.feed_hash, "h1");
    EXPECT_EQ(i.state, "pending");
    EXPECT_EQ(i.next_attempt_at, 100);
    EXPECT_EQ(i.attempts, 0);
  }
  EXPECT_TRUE(plan_notifications(NotifyConfig{}, "rip", kFeed, "h1", 100).empty());
}

TEST(OutboxRequest, WebSubIsAFormPost) {
  Config c = default_config("/tmp");
  OutboxItem item = plan_notifications(hubs({"https://hub.a/"}), "rip", kFeed, "h", 1)[0];
  NotificationRequest r = build_request(item, c);
  EXPECT_EQ(r.url, "https://hub.a/");
  EXPECT_EQ(r.options.method, "POST");
  EXPECT_EQ(r.options.body,
            "hub.mode=publish&hub.url=https%3A%2F%2Ffeeds.example%2Frip%2Ffeed.xml");
  EXPECT_EQ(r.options.headers,
            std::vector<std::string>{"Content-Type: application/x-www-form-urlencoded"});
  EXPECT_EQ(r.options.user_agent, c.outbound.user_agent);
  EXPECT_FALSE(r.options.allow_private_addresses);
}

TEST(OutboxRequest, PubnotifyAndPodpingAreGets) {
  Config c = default_config("/tmp");
  c.notify.pubnotify = true;
  c.notify.podping_url = "https://podping.cloud/?x=1";
  c.notify.podping_token = "secret-token";
  std::vector<OutboxItem> items = plan_notifications(c.notify, "rip", kFeed, "h", 1);
  ASSERT_EQ(items.size(), 2u);
  NotificationRequest pub = build_request(items[0], c);
  EXPECT_EQ(pub.options.method, "GET");
  EXPECT_EQ(pub.url,
            "https://api.podcastindex.org/api/1.0/hub/pubnotify?url="
            "https%3A%2F%2Ffeeds.example%2Frip%2Ffeed.xml");
  EXPECT_TRUE(pub.options.headers.empty());
  NotificationRequest ping = build_request(items[1], c, "music");
  EXPECT_EQ(ping.url,
            "https://podping.cloud/?x=1&url=https%3A%2F%2Ffeeds.example%2Frip%2Ffeed.xml"
            "&reason=update&medium=music");
  EXPECT_EQ(ping.options.headers, std::vector<std::string>{"Authorization: secret-token"});
}

TEST(OutboxBackoff, DoublesFromBaseUpToTheCap) {
  // Middle jitter: exactly base * 2^(n-1), capped.
  std::vector<std::int64_t> got;
  for (int n = 1; n <= 12; ++n) {
    got.push_back(retry_delay_s(n, 30, 21600, 0.5));
  }
  EXPECT_EQ(got, (std::vector<std::int64_t>{30, 60, 120, 240, 480, 960, 1920, 3840, 7680, 15360,
                                            21600, 21600}));
  // Jitter spreads by +-25%, never above the cap, never below one second.
  EXPECT_EQ(retry_delay_s(3, 30, 21600, 0.0), 90);
  EXPECT_EQ(retry_delay_s(3, 30, 21600, 1.0), 150);
  EXPECT_EQ(retry_delay_s(20, 30, 21600, 1.0), 21600);
  EXPECT_EQ(retry_delay_s(1, 1, 1, 0.0), 1);
  EXPECT_EQ(retry_delay_s(1000, 1, 3600, 0.5), 3600);  // no overflow after many attempts
}

TEST(OutboxBackoff, AttemptOutcomes) {
  NotifyConfig n = hubs({"https://hub.a/"});
  n.max_attempts = 3;
  n.retry_base_s = 10;
  n.retry_max_s = 1000;
  OutboxItem item = plan_notifications(n, "rip", kFeed, "h", 100)[0];

  FetchResponse ok;
  ok.status = 204;
  OutboxItem delivered = after_attempt(item, ok, 200, n, 0.5);
  EXPECT_EQ(delivered.state, "delivered");
  EXPECT_EQ(delivered.delivered_at, std::optional<catalog::UnixTime>(200));
  EXPECT_EQ(delivered.attempts, 1);

  FetchResponse busy;
  busy.status = 503;
  busy.body = "try   later\n";
  OutboxItem retry = after_attempt(item, busy, 200, n, 0.5);
  EXPECT_EQ(retry.state, "pending");
  EXPECT_EQ(retry.attempts, 1);
  EXPECT_EQ(retry.next_attempt_at, 210);
  EXPECT_EQ(retry.last_error, "https://hub.a/: HTTP 503 try later");
  OutboxItem second = after_attempt(retry, busy, 210, n, 0.5);
  EXPECT_EQ(second.next_attempt_at, 230);
  OutboxItem third = after_attempt(second, busy, 230, n, 0.5);
  EXPECT_EQ(third.state, "failed");  // max_attempts used up
  EXPECT_EQ(third.attempts, 3);

  busy.headers = {{"retry-after", "120"}};
  EXPECT_EQ(after_attempt(item, busy, 200, n, 0.5).next_attempt_at, 320);
  busy.headers = {{"retry-after", "999999"}};  // capped at retry_max_s
  EXPECT_EQ(after_attempt(item, busy, 200, n, 0.5).next_attempt_at, 1200);

  FetchResponse missing;
  missing.status = 404;
  EXPECT_EQ(after_attempt(item, missing, 200, n, 0.5).state, "failed");
  FetchResponse limited;
  limited.status = 429;
  EXPECT_EQ(after_attempt(item, limited, 200, n, 0.5).state, "pending");

  Result<FetchResponse> refused = make_error(ErrorCode::refused, "https://hub.a/: refused: x");
  OutboxItem r = after_attempt(item, refused, 200, n, 0.5);
  EXPECT_EQ(r.state, "failed");
  EXPECT_EQ(r.last_error, "https://hub.a/: refused: x");
  Result<FetchResponse> timeout = make_error(ErrorCode::network, "https://hub.a/: timed out");
  EXPECT_EQ(after_attempt(item, timeout, 200, n, 0.5).state, "pending");
}

class OutboxStore : public ::testing::Test {
 protected:
  TempDir dir_;
  Catalog cat_{dir_ / "catalog.db"};
};

TEST_F(OutboxStore, BurstsCoalesceIntoOnePendingRowPerTarget) {
  NotifyConfig n = hubs({"https://hub.a/", "https://hub.b/"});
  EXPECT_EQ(enqueue_notifications(cat_, plan_notifications(n, "rip", kFeed, "h1", 10)),
            (EnqueueResult{2, 0}));
  EXPECT_EQ(enqueue_notifications(cat_, plan_notifications(n, "rip", kFeed, "h2", 11)),
            (EnqueueResult{0, 2}));
  EXPECT_EQ(enqueue_notifications(cat_, plan_notifications(n, "rip", kFeed, "h3", 12)),
            (EnqueueResult{0, 2}));
  // Another show is another feed.
  EXPECT_EQ(enqueue_notifications(cat_, plan_notifications(n, "other", kFeed, "x", 12)),
            (EnqueueResult{2, 0}));
  std::vector<OutboxItem> pending = cat_.pending_outbox();
  ASSERT_EQ(pending.size(), 4u);
  for (const OutboxItem& p : pending) {
    if (p.show == "rip") {
      EXPECT_EQ(p.feed_hash, "h3");
      EXPECT_EQ(p.next_attempt_at, 10);  // the first change's schedule
    }
  }
  EXPECT_EQ(cat_.state(notified_state_key("rip")), std::optional<std::string>("h3"));
}

TEST_F(OutboxStore, CoalescingKeepsAFailingRowsBackoff) {
  NotifyConfig n = hubs({"https://hub.a/"});
  enqueue_notifications(cat_, plan_notifications(n, "rip", kFeed, "h1", 10));
  OutboxItem row = cat_.pending_outbox()[0];
  row.attempts = 4;
  row.next_attempt_at = 500;
  row.last_error = "HTTP 503";
  cat_.update_outbox(row);
  // public_url changed meanwhile: the waiting row announces the new URL too.
  enqueue_notifications(cat_,
                        plan_notifications(n, "rip", "https://new.example/rip/feed.xml", "h2", 20));
  OutboxItem after = cat_.pending_outbox()[0];
  EXPECT_EQ(after.feed_hash, "h2");
  EXPECT_EQ(after.feed_url, "https://new.example/rip/feed.xml");
  EXPECT_EQ(after.attempts, 4);
  EXPECT_EQ(after.next_attempt_at, 500);
}

TEST_F(OutboxStore, DeliveredRowsAreKeptAndNotReused) {
  NotifyConfig n = hubs({"https://hub.a/"});
  enqueue_notifications(cat_, plan_notifications(n, "rip", kFeed, "h1", 10));
  OutboxItem sent = cat_.pending_outbox()[0];
  FetchResponse ok;
  ok.status = 202;
  EXPECT_EQ(record_attempt(cat_, sent, after_attempt(sent, ok, 11, n, 0.5), 11),
            RecordOutcome::recorded);
  EXPECT_EQ(cat_.outbox_depth(), 0);
  EXPECT_EQ(enqueue_notifications(cat_, plan_notifications(n, "rip", kFeed, "h2", 12)),
            (EnqueueResult{1, 0}));
  EXPECT_EQ(cat_.outbox_depth(), 1);
}

TEST_F(OutboxStore, AChangeWhileInFlightIsPingedAgain) {
  NotifyConfig n = hubs({"https://hub.a/"});
  enqueue_notifications(cat_, plan_notifications(n, "rip", kFeed, "h1", 10));
  OutboxItem sent = cat_.pending_outbox()[0];
  enqueue_notifications(cat_, plan_notifications(n, "rip", kFeed, "h2", 11));  // in flight
  FetchResponse ok;
  ok.status = 204;
  EXPECT_EQ(record_attempt(cat_, sent, after_attempt(sent, ok, 12, n, 0.5), 12),
            RecordOutcome::superseded);
  std::vector<OutboxItem> pending = cat_.pending_outbox();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].feed_hash, "h2");
  EXPECT_EQ(pending[0].attempts, 0);
  EXPECT_EQ(pending[0].next_attempt_at, 12);
}

TEST_F(OutboxStore, GivingUpIsCountedAndKept) {
  NotifyConfig n = hubs({"https://hub.a/"});
  enqueue_notifications(cat_, plan_notifications(n, "rip", kFeed, "h1", 10));
  OutboxItem sent = cat_.pending_outbox()[0];
  FetchResponse gone;
  gone.status = 410;
  EXPECT_EQ(record_attempt(cat_, sent, after_attempt(sent, gone, 11, n, 0.5), 11),
            RecordOutcome::recorded);
  EXPECT_EQ(cat_.outbox_depth(), 0);
  EXPECT_EQ(cat_.state("outbox.failed_rows"), std::optional<std::string>("1"));
  EXPECT_EQ(record_attempt(cat_, sent, sent, 12), RecordOutcome::gone);
}

TEST_F(OutboxStore, EnqueueAfterPublishOnlyForNewFeedBytes) {
  NotifyConfig n = hubs({"https://hub.a/"});
  EXPECT_EQ(enqueue_after_publish(cat_, n, {published("rip", "h1", true)}, 10),
            (EnqueueResult{1, 0}));
  // Unchanged and already notified: nothing.
  EXPECT_EQ(enqueue_after_publish(cat_, n, {published("rip", "h1", false)}, 11), EnqueueResult{});
  // Unchanged bytes that were never queued (crash between publish and enqueue, or a
  // republish while no daemon ran): queued now.
  EXPECT_EQ(enqueue_after_publish(cat_, n, {published("other", "o1", false)}, 12),
            (EnqueueResult{1, 0}));
  feeds::PublishResult failed = published("rip", "h9", true);
  failed.published = false;
  EXPECT_EQ(enqueue_after_publish(cat_, n, {failed}, 13), EnqueueResult{});
  // Nothing configured: the hash is still remembered, so enabling a hub later does not ping
  // for old changes.
  EXPECT_EQ(enqueue_after_publish(cat_, NotifyConfig{}, {published("quiet", "q1", true)}, 14),
            EnqueueResult{});
  EXPECT_EQ(cat_.state(notified_state_key("quiet")), std::optional<std::string>("q1"));
  EXPECT_EQ(cat_.outbox_depth(), 2);
}

// ---- the sender

// One "process": a catalog connection owned by a one-thread pool, an I/O context run by the
// test thread, the curl-multi client and a sender.
struct SenderHarness {
  explicit SenderHarness(const std::filesystem::path& dir) : dir_(dir) {
    config_ = default_config(dir);
    config_.outbound.allow_private_addresses = true;
    config_.outbound.timeout_s = 5;
    config_.notify.retry_base_s = 10;
    config_.notify.retry_max_s = 100;
    config_.notify.max_attempts = 4;
    cat_ = std::make_unique<Catalog>(dir / "catalog.db");
  }
  ~SenderHarness() { shutdown(); }

  // A clock that moves 60 s per reading: every backoff is already over when the sender
  // looks, so retries happen at once while the recorded schedule stays deterministic.
  void fast_clock() {
    hooks_.clock = [this] { return now_ += 60; };
  }
  void frozen_clock() {
    hooks_.clock = [this] { return now_; };
  }

  void start_sender() {
    hooks_.jitter = [] { return 0.5; };
    sender_ = std::make_unique<OutboxSender>(
        ioc_.get_executor(),
        [this](OutboxSender::CatalogJob job) {
          asio::post(pool_, [this, job = std::move(job)] { job(*cat_); });
        },
        client_, std::make_shared<const Config>(config_), &metrics_, hooks_);
    sender_->start();
  }

  template <typename F>
  auto on_catalog(F f) {
    std::packaged_task<decltype(f(*cat_))()> task([&] { return f(*cat_); });
    auto result = task.get_future();
    asio::post(pool_, [&task] { task(); });
    return result.get();
  }

  void enqueue(const std::string& hash) {
    on_catalog([&](Catalog& c) {
      return enqueue_notifications(c, plan_notifications(config_.notify, "rip", kFeed, hash, now_));
    });
    if (sender_) {
      sender_->wake();
    }
  }

  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 10s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (done()) {
        return true;
      }
      ioc_.run_for(5ms);
    }
    return done();
  }

  std::vector<OutboxItem> rows() {
    return on_catalog([](Catalog& c) { return c.pending_outbox(); });
  }
  int depth() {
    return on_catalog([](Catalog& c) { return c.outbox_depth(); });
  }
  std::optional<std::string> state(const std::string& key) {
    return on_catalog([&](Catalog& c) { return c.state(key); });
  }
  OutboxSender::Stats stats() const { return sender_->stats(); }

  void shutdown() {
    if (done_) {
      return;
    }
    done_ = true;
    if (sender_) {
      sender_->stop();
    }
    client_.stop();
    ioc_.run_for(20ms);
    sender_.reset();
    pool_.join();
    cat_.reset();
  }

  std::filesystem::path dir_;
  Config config_;
  std::unique_ptr<Catalog> cat_;
  asio::io_context ioc_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_{ioc_.get_executor()};
  asio::thread_pool pool_{1};
  HttpClient client_{{4, 2}};
  Metrics metrics_;
  OutboxSender::Hooks hooks_;
  catalog::UnixTime now_ = 1'000'000;
  std::unique_ptr<OutboxSender> sender_;
  bool done_ = false;
};

class OutboxSenderTest : public ::testing::Test {
 protected:
  TempDir dir_;
  SenderHarness h_{dir_.path()};
};

TEST_F(OutboxSenderTest, HubReceivesThePingAndTheRowIsDelivered) {
  HttpTestServer hub([](const TestRequest&) { return TestResponse{204, {}, ""}; });
  h_.config_.notify.websub_hubs = {hub.url("/hub")};
  h_.enqueue("h1");
  h_.start_sender();
  ASSERT_TRUE(h_.run_until([&] { return h_.stats().delivered == 1; }));
  ASSERT_EQ(hub.request_count(), 1u);
  TestRequest got = hub.requests()[0];
  EXPECT_EQ(got.method, "POST");
  EXPECT_EQ(got.path(), "/hub");
  EXPECT_EQ(got.form("hub.mode"), "publish");
  EXPECT_EQ(got.form("hub.url"), kFeed);
  ASSERT_TRUE(h_.run_until([&] { return h_.stats().in_flight == 0; }));
  EXPECT_EQ(h_.depth(), 0);
  std::string m = h_.metrics_.render();
  EXPECT_NE(m.find("podcastd_outbox_delivered_total{channel=\"websub\"} 1"), std::string::npos)
      << m;
  EXPECT_NE(m.find("podcastd_outbox_depth 0"), std::string::npos) << m;
}

TEST_F(OutboxSenderTest, RetriesWithBackoffUntilTheHubRecovers) {
  std::atomic<int> calls{0};
  HttpTestServer hub([&](const TestRequest&) {
    return ++calls <= 2 ? TestResponse{503, {}, "busy"} : TestResponse{204, {}, ""};
  });
  h_.config_.notify.websub_hubs = {hub.url("/")};
  h_.fast_clock();
  h_.enqueue("h1");
  h_.start_sender();
  ASSERT_TRUE(h_.run_until([&] { return h_.stats().delivered == 1; }));
  EXPECT_EQ(hub.request_count(), 3u);
  EXPECT_EQ(h_.stats().failed_attempts, 2);
  EXPECT_EQ(h_.stats().last_error, hub.url("/") + ": HTTP 503 busy");
  ASSERT_TRUE(h_.run_until([&] { return h_.depth() == 0; }));
  std::string m = h_.metrics_.render();
  EXPECT_NE(m.find("podcastd_outbox_failures_total{channel=\"websub\"} 2"), std::string::npos) << m;
}

TEST_F(OutboxSenderTest, RecordsTheBackoffScheduleBetweenAttempts) {
  HttpTestServer hub([](const TestRequest&) { return TestResponse{500, {}, ""}; });
  h_.config_.notify.websub_hubs = {hub.url("/")};
  h_.frozen_clock();  // frozen: the retry stays in the future
  h_.enqueue("h1");
  h_.start_sender();
  ASSERT_TRUE(h_.run_until([&] {
    std::vector<OutboxItem> r = h_.rows();
    return !r.empty() && r[0].attempts == 1 && h_.stats().next_attempt;
  }));
  OutboxItem row = h_.rows()[0];
  EXPECT_EQ(row.state, "pending");
  EXPECT_EQ(row.next_attempt_at, h_.now_ + 10);  // retry_base_s, middle jitter
  EXPECT_EQ(row.last_error, hub.url("/") + ": HTTP 500");
  EXPECT_EQ(h_.stats().next_attempt, std::optional<catalog::UnixTime>(h_.now_ + 10));
  EXPECT_EQ(hub.request_count(), 1u);  // nothing more before it is due
}

TEST_F(OutboxSenderTest, GivesUpAfterMaxAttemptsAndKeepsTheRow) {
  HttpTestServer hub([](const TestRequest&) { return TestResponse{500, {}, ""}; });
  h_.config_.notify.websub_hubs = {hub.url("/")};
  h_.config_.notify.max_attempts = 3;
  h_.fast_clock();
  h_.enqueue("h1");
  h_.start_sender();
  ASSERT_TRUE(h_.run_until([&] { return h_.state("outbox.failed_rows") == "1"; }));
  EXPECT_EQ(hub.request_count(), 3u);
  EXPECT_EQ(h_.depth(), 0);
  ASSERT_TRUE(h_.run_until([&] { return h_.stats().failed_rows == 1; }));
}

TEST_F(OutboxSenderTest, PendingRowsSurviveARestart) {
  int port = 0;
  {
    HttpTestServer probe([](const TestRequest&) { return TestResponse{}; });
    port = probe.port();
  }
  std::string hub_url = "http://127.0.0.1:" + std::to_string(port) + "/hub";
  h_.config_.notify.websub_hubs = {hub_url};
  h_.frozen_clock();
  h_.enqueue("h1");
  h_.start_sender();
  ASSERT_TRUE(h_.run_until([&] { return h_.stats().failed_attempts == 1; }));
  ASSERT_TRUE(h_.run_until([&] { return h_.stats().in_flight == 0; }));
  catalog::UnixTime stopped_at = h_.now_;
  h_.shutdown();

  // A new process: a new catalog connection and sender, the hub back on its port, later.
  HttpTestServer hub(
      [](const TestRequest&) {
        return TestResponse{202, {}, ""};
      },
      "127.0.0.1", port);
  ASSERT_EQ(hub.port(), port);
  SenderHarness again(dir_.path());
  again.config_ = h_.config_;
  again.now_ = stopped_at + 3600;
  again.frozen_clock();
  again.start_sender();
  ASSERT_TRUE(again.run_until([&] { return again.stats().delivered == 1; }));
  EXPECT_EQ(hub.request_count(), 1u);
  EXPECT_EQ(hub.requests()[0].form("hub.url"), kFeed);
  ASSERT_TRUE(again.run_until([&] { return again.depth() == 0; }));
}

TEST_F(OutboxSenderTest, ABurstWhileInFlightIsOneMorePing) {
  HttpTestServer hub([](const TestRequest&) {
    TestResponse r{204, {}, ""};
    r.delay = 300ms;
    return r;
  });
  h_.config_.notify.websub_hubs = {hub.url("/")};
  for (const char* h : {"h1", "h2", "h3"}) {
    h_.enqueue(h);  // before sending: one row
  }
  EXPECT_EQ(h_.rows().size(), 1u);
  h_.start_sender();
  ASSERT_TRUE(h_.run_until([&] { return hub.request_count() == 1; }));
  for (const char* h : {"h4", "h5", "h6", "h7"}) {
    h_.enqueue(h);  // while the ping is in flight
  }
  ASSERT_TRUE(h_.run_until([&] { return h_.stats().delivered == 2; }));
  ASSERT_TRUE(h_.run_until([&] { return h_.depth() == 0; }));
  h_.ioc_.run_for(400ms);  // nothing else is sent
  EXPECT_EQ(hub.request_count(), 2u);
}

TEST_F(OutboxSenderTest, PrivateHubIsRefusedUnlessAllowed) {
  HttpTestServer hub([](const TestRequest&) { return TestResponse{204, {}, ""}; });
  h_.config_.notify.websub_hubs = {hub.url("/")};
  h_.config_.outbound.allow_private_addresses = false;
  h_.enqueue("h1");
  h_.start_sender();
  ASSERT_TRUE(h_.run_until([&] { return h_.state("outbox.failed_rows") == "1"; }));
  EXPECT_EQ(hub.request_count(), 0u);
  EXPECT_NE(h_.stats().last_error.find("refused: 127.0.0.1 is a private or loopback"),
            std::string::npos)
      << h_.stats().last_error;
}

TEST_F(OutboxSenderTest, PodpingCarriesTokenAndTheShowsMedium) {
  HttpTestServer gateway([](const TestRequest&) { return TestResponse{200, {}, "{}"}; });
  h_.config_.notify.podping_url = gateway.url("/");
  h_.config_.notify.podping_token = "tok";
  h_.on_catalog([](Catalog& c) {
    catalog::Show s;
    s.slug = "rip";
    s.title = "Rip";
    s.medium = "music";
    c.put_show(s);
    return 0;
  });
  h_.enqueue("h1");
  h_.start_sender();
  ASSERT_TRUE(h_.run_until([&] { return h_.stats().delivered == 1; }));
  TestRequest got = gateway.requests().at(0);
  EXPECT_EQ(got.method, "GET");
  EXPECT_EQ(got.param("url"), kFeed);
  EXPECT_EQ(got.param("reason"), "update");
  EXPECT_EQ(got.param("medium"), "music");
  EXPECT_EQ(got.header("authorization"), "tok");
}

TEST_F(OutboxSenderTest, RowsForTargetsNoLongerConfiguredAreGivenUp) {
  HttpTestServer hub([](const TestRequest&) { return TestResponse{204, {}, ""}; });
  h_.config_.notify.websub_hubs = {hub.url("/old")};
  h_.enqueue("h1");
  h_.config_.notify.websub_hubs = {hub.url("/new")};
  h_.start_sender();
  ASSERT_TRUE(h_.run_until([&] { return h_.state("outbox.failed_rows") == "1"; }));
  EXPECT_EQ(hub.request_count(), 0u);
  EXPECT_EQ(h_.stats().last_error, hub.url("/old") + ": no longer configured in [notify]");
}

}  // namespace
}  // namespace podcastd::daemon
