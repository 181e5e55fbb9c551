#include "daemon/outbox.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cmath>
#include <map>
#include <random>
#include <set>

#include "catalog/text.hpp"
#include "catalog/time.hpp"
#include "daemon/log.hpp"
#include "daemon/metrics.hpp"
#include "feeds/layout.hpp"

namespace podcastd::daemon {
namespace {

namespace asio = boost::asio;
using catalog::OutboxItem;
using catalog::UnixTime;

constexpr std::string_view kFailedRowsKey = "outbox.failed_rows";
constexpr int kDueBatch = 64;
constexpr std::size_t kErrorSnippet = 160;

UnixTime system_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string with_query(const std::string& base, const std::string& query) {
  return base + (base.find('?') == std::string::npos ? "?" : "&") + query;
}

// Retry-After: delay-seconds or an HTTP date (RFC 9110 10.2.3); 0 when absent or unreadable.
std::int64_t retry_after_s(const FetchResponse& r, UnixTime now) {
  std::string v(text::trim(r.header("retry-after")));
  if (v.empty()) {
    return 0;
  }
  if (std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return v.size() > 9 ? 999999999 : std::stoll(v);
  }
  if (std::optional<UnixTime> at = timefmt::parse_http_date(v)) {
    return std::max<UnixTime>(0, *at - now);
  }
  return 0;
}

bool target_configured(const NotifyConfig& n, const OutboxItem& item) {
  if (item.channel == kChannelWebSub) {
    return std::find(n.websub_hubs.begin(), n.websub_hubs.end(), item.target) !=
           n.websub_hubs.end();
  }
  if (item.channel == kChannelPubnotify) {
    return n.pubnotify && n.pubnotify_url == item.target;
  }
  if (item.channel == kChannelPodping) {
    return n.podping_url == item.target;
  }
  return false;
}

std::int64_t failed_rows(const catalog::Catalog& cat) {
  std::optional<std::string> v = cat.state(kFailedRowsKey);
  if (!v || v->empty() || v->size() > 18) {
    return 0;
  }
  return std::all_of(v->begin(), v->end(), [](char c) { return c >= '0' && c <= '9'; })
             ? std::stoll(*v)
             : 0;
}

}  // namespace

std::string notified_state_key(std::string_view show) {
  return "outbox.notified:" + std::string(show);
}

std::vector<OutboxItem> plan_notifications(const NotifyConfig& notify, std::string_view show,
                                           std::string_view feed_url, std::string_view feed_hash,
                                           UnixTime now) {
  std::vector<OutboxItem> out;
  auto add = [&](std::string_view channel, const std::string& target) {
    OutboxItem o;
    o.show = std::string(show);
    o.channel = std::string(channel);
    o.target = target;
    o.feed_url = std::string(feed_url);
    o.feed_hash = std::string(feed_hash);
    o.created_at = now;
    o.next_attempt_at = now;
    o.state = "pending";
    out.push_back(std::move(o));
  };
  std::set<std::string> hubs;
  for (const std::string& hub : notify.websub_hubs) {
    if (hubs.insert(hub).second) {
      add(kChannelWebSub, hub);
    }
  }
  if (notify.pubnotify && !notify.pubnotify_url.empty()) {
    add(kChannelPubnotify, notify.pubnotify_url);
  }
  if (!notify.podping_url.empty()) {
    add(kChannelPodping, notify.podping_url);
  }
  return out;
}

namespace {

// enqueue_notifications(), also recording as announced the feeds in `quiet` (show -> feed hash:
// shows with nothing to ping), in the same transaction.
EnqueueResult enqueue(catalog::Catalog& cat, const std::vector<OutboxItem>& items,
                      std::map<std::string, std::string> quiet) {
  EnqueueResult result;
  catalog::Catalog::Transaction tx(cat);
  std::vector<OutboxItem> pending = cat.pending_outbox();
  std::map<std::string, std::string>& notified = quiet;  // show -> the feed now announced
  for (const OutboxItem& item : items) {
    notified[item.show] = item.feed_hash;
    auto same = std::find_if(pending.begin(), pending.end(), [&](const OutboxItem& p) {
      return p.show == item.show && p.channel == item.channel && p.target == item.target;
    });
    if (same != pending.end()) {
      // A burst of changes is one ping: the waiting row now announces the newest feed. Its
      // schedule and attempt count stay (a failing hub keeps backing off).
      same->feed_url = item.feed_url;
      same->feed_hash = item.feed_hash;
      cat.update_outbox(*same);
      ++result.coalesced;
    } else {
      OutboxItem fresh = item;
      fresh.id = cat.enqueue(fresh);
      pending.push_back(std::move(fresh));
      ++result.added;
    }
  }
  for (const auto& [show, hash] : notified) cat.set_state(notified_state_key(show), hash);
  tx.commit();
  return result;
}

}  // namespace

EnqueueResult enqueue_notifications(catalog::Catalog& cat, const std::vector<OutboxItem>& items) {
  return enqueue(cat, items, {});
}

EnqueueResult enqueue_after_publish(catalog::Catalog& cat, const NotifyConfig& notify,
                                    const std::vector<feeds::PublishResult>& results,
                                    UnixTime now) {
  std::vector<OutboxItem> items;
  std::map<std::string, std::string> quiet;  // shows with nothing to ping -> feed hash
  for (const feeds::PublishResult& r : results) {
    if (!r.published || r.feed_hash.empty()) {
      continue;
    }
    std::optional<std::string> notified = cat.state(notified_state_key(r.show));
    if (!r.changed && notified && *notified == r.feed_hash) {
      continue;
    }
    std::vector<OutboxItem> planned =
        plan_notifications(notify, r.show, r.feed_url, r.feed_hash, now);
    if (planned.empty()) {
      quiet[r.show] = r.feed_hash;
    }
    items.insert(items.end(), planned.begin(), planned.end());
  }
  if (items.empty() && quiet.empty()) {
    return {};
  }
  return enqueue(cat, items, std::move(quiet));
}

NotificationRequest build_request(const OutboxItem& item, const Config& config,
                                  std::string_view medium) {
  NotificationRequest req;
  req.options = outbound_options(config.outbound);
  FetchOptions& o = req.options;
  o.max_body_bytes = 1024 * 1024;
  std::string feed = feeds::percent_encode(item.feed_url);
  if (item.channel == kChannelWebSub) {
    // STANDARDS 5.1: the de-facto publish ping of Google's hub and Superfeedr.
    req.url = item.target;
    o.method = "POST";
    o.body = "hub.mode=publish&hub.url=" + feed;
    o.headers.push_back("Content-Type: application/x-www-form-urlencoded");
  } else if (item.channel == kChannelPodping) {
    // STANDARDS 5.2: podping.cloud's hosted API; the token is per publisher.
    req.url =
        with_query(item.target, "url=" + feed + "&reason=update&medium=" +
                                    feeds::percent_encode(medium.empty() ? "podcast" : medium));
    if (!config.notify.podping_token.empty()) {
      o.headers.push_back("Authorization: " + config.notify.podping_token);
    }
  } else {
    // STANDARDS 5.3: hub/pubnotify needs no API key.
    req.url = with_query(item.target, "url=" + feed);
  }
  return req;
}

std::int64_t retry_delay_s(int failed_attempts, int base_s, int max_s, double jitter) {
  max_s = std::max(1, max_s);
  double delay = std::max(1, base_s);
  for (int i = 1; i < failed_attempts && delay < max_s; ++i) {
    delay *= 2;
  }
  delay = std::min<double>(delay, max_s);
  jitter = std::clamp(std::isfinite(jitter) ? jitter : 0.5, 0.0, 1.0);
  double jittered = std::round(delay * (0.75 + 0.5 * jitter));
  return std::clamp<std::int64_t>(static_cast<std::int64_t>(jittered), 1, max_s);
}

OutboxItem after_attempt(OutboxItem item, const Result<FetchResponse>& result, UnixTime now,
                         const NotifyConfig& notify, double jitter) {
  ++item.attempts;
  bool permanent = false;
  std::int64_t at_least = 0;
  if (result.ok() && result->status >= 200 && result->status < 300) {
    item.state = "delivered";
    item.delivered_at = now;
    item.last_error.clear();
    item.next_attempt_at = now;
    return item;
  }
  if (!result.ok()) {
    item.last_error = result.error().message;
    permanent = result.error().code == ErrorCode::refused ||
                result.error().code == ErrorCode::invalid_argument;
  } else {
    int status = result->status;
    std::string body = text::collapse_whitespace(result->body);
    item.last_error = item.target + ": HTTP " + std::to_string(status) +
                      (body.empty() ? "" : " " + text::truncate_utf8(body, kErrorSnippet));
    // A 4xx will not heal by itself (bad hub URL, unknown feed, bad token), except timeouts
    // and rate limits.
    permanent = status >= 400 && status < 500 && status != 408 && status != 429;
    at_least = retry_after_s(*result, now);
  }
  if (permanent || item.attempts >= notify.max_attempts) {
    item.state = "failed";
    item.next_attempt_at = now;
    return item;
  }
  std::int64_t delay =
      retry_delay_s(item.attempts, notify.retry_base_s, notify.retry_max_s, jitter);
  delay = std::max(delay, std::min<std::int64_t>(at_least, std::max(1, notify.retry_max_s)));
  item.state = "pending";
  item.next_attempt_at = now + delay;
  return item;
}

RecordOutcome record_attempt(catalog::Catalog& cat, const OutboxItem& sent,
                             const OutboxItem& updated, UnixTime now) {
  catalog::Catalog::Transaction tx(cat);
  std::optional<OutboxItem> current = cat.pending_outbox_item(sent.id);
  if (!current) {
    return RecordOutcome::gone;
  }
  RecordOutcome outcome = RecordOutcome::recorded;
  OutboxItem row = updated;
  if (current->feed_hash != sent.feed_hash) {
    // Coalesced while in flight: the hub may have fetched the feed before the newer bytes
    // went live, so the newer feed gets its own ping.
    row.feed_hash = current->feed_hash;
    row.feed_url = current->feed_url;
    if (updated.state == "delivered") {
      row.state = "pending";
      row.attempts = 0;
      row.last_error.clear();
      row.delivered_at.reset();
      row.next_attempt_at = now;
      outcome = RecordOutcome::superseded;
    }
  }
  cat.update_outbox(row);
  if (row.state == "failed") {
    cat.set_state(kFailedRowsKey, std::to_string(failed_rows(cat) + 1));
  }
  tx.commit();
  return outcome;
}

// ---- OutboxSender

struct OutboxSender::Impl : std::enable_shared_from_this<Impl> {
  struct Due {
    std::vector<OutboxItem> items;
    std::map<std::string, std::string> medium;  // by show
    int depth = 0;
    std::int64_t failed_rows = 0;
    std::optional<UnixTime> next;  // earliest next_attempt_at after now
    std::string error;             // the catalog job failed
  };

  asio::any_io_executor io;
  CatalogRunner run_on_catalog;
  HttpClient& client;
  std::shared_ptr<const Config> config;
  Metrics* metrics;
  Hooks hooks;
  std::mt19937_64 rng{std::random_device{}()};

  // I/O executor only.
  asio::steady_timer timer;
  bool started = false;
  bool stopped = false;
  bool polling = false;
  bool repoll = false;
  std::set<std::int64_t> in_flight;
  Stats stats;

  Impl(asio::any_io_executor ex, CatalogRunner runner, HttpClient& c,
       std::shared_ptr<const Config> cfg, Metrics* m, Hooks h)
      : io(std::move(ex)),
        run_on_catalog(std::move(runner)),
        client(c),
        config(std::move(cfg)),
        metrics(m),
        hooks(std::move(h)),
        timer(io) {
    if (!hooks.clock) {
      hooks.clock = system_now;
    }
    if (!hooks.jitter) {
      hooks.jitter = [this] { return std::uniform_real_distribution<double>(0, 1)(rng); };
    }
  }

  void set_depth(int depth) {
    stats.depth = depth;
    if (metrics) {
      metrics->set("podcastd_outbox_depth", "Notifications waiting in the outbox", "", depth);
    }
  }

  void poll() {
    if (stopped) {
      return;
    }
    if (polling) {
      repoll = true;
      return;
    }
    polling = true;
    repoll = false;
    UnixTime now = hooks.clock();
    std::weak_ptr<Impl> weak = shared_from_this();
    asio::any_io_executor ex = io;
    run_on_catalog([weak, ex, now](catalog::Catalog& cat) {
      Due due;
      try {
        // One read: the rows due now (a batch of them), when the next one is, and how many wait.
        std::vector<OutboxItem> pending = cat.pending_outbox();  // by next_attempt_at, id
        due.depth = static_cast<int>(pending.size());
        for (OutboxItem& p : pending) {
          if (p.next_attempt_at > now) {
            due.next = p.next_attempt_at;
            break;
          }
          if (due.items.size() < static_cast<std::size_t>(kDueBatch)) {
            due.items.push_back(std::move(p));
          }
        }
        for (const OutboxItem& item : due.items) {
          if (!due.medium.count(item.show)) {
            std::optional<catalog::Show> show = cat.show(item.show);
            due.medium[item.show] = show && !show->medium.empty() ? show->medium : "podcast";
          }
        }
        due.failed_rows = failed_rows(cat);
      } catch (const std::exception& e) {
        due.error = e.what();
      }
      asio::post(ex, [weak, due = std::move(due)]() mutable {
        if (auto self = weak.lock()) {
          self->on_due(std::move(due));
        }
      });
    });
  }

  void on_due(Due due) {
    polling = false;
    if (stopped) {
      return;
    }
    if (!due.error.empty()) {
      log::error("outbox: " + due.error + "; trying again in 30 s");
      arm(hooks.clock() + 30);
      return;
    }
    set_depth(due.depth);
    stats.failed_rows = due.failed_rows;
    stats.next_attempt = due.next;
    for (OutboxItem& item : due.items) {
      if (in_flight.count(item.id)) {
        continue;
      }
      if (!target_configured(config->notify, item)) {
        // The operator removed this target (SIGHUP): give the row up instead of pinging a
        // hub that is no longer wanted.
        Result<FetchResponse> gone = make_error(ErrorCode::invalid_argument,
                                                item.target + ": no longer configured in [notify]");
        finish_attempt(item, gone);
        continue;
      }
      std::string medium = due.medium[item.show];
      send(std::move(item), medium);
    }
    if (due.next) {
      arm(*due.next);
    }
    if (repoll) {
      poll();
    }
  }

  void arm(UnixTime at) {
    UnixTime wait = std::max<UnixTime>(0, at - hooks.clock());
    // Re-read at least every 10 minutes: the wall clock may jump.
    timer.expires_after(std::chrono::seconds(std::min<UnixTime>(wait, 600)));
    std::weak_ptr<Impl> weak = shared_from_this();
    timer.async_wait([weak](boost::system::error_code ec) {
      if (ec) {
        return;
      }
      if (auto self = weak.lock()) {
        self->poll();
      }
    });
  }

  void send(OutboxItem item, const std::string& medium) {
    in_flight.insert(item.id);
    stats.in_flight = static_cast<int>(in_flight.size());
    NotificationRequest req = build_request(item, *config, medium);
    std::weak_ptr<Impl> weak = shared_from_this();
    asio::any_io_executor ex = io;
    client.submit(req.url, std::move(req.options),
                  [weak, ex, item = std::move(item)](Result<FetchResponse> r) mutable {
                    // On the client thread: hand the answer to the I/O executor.
                    asio::post(ex, [weak, item = std::move(item), r = std::move(r)]() mutable {
                      if (auto self = weak.lock()) {
                        self->finish_attempt(item, r);
                      }
                    });
                  });
  }

  void finish_attempt(const OutboxItem& sent, const Result<FetchResponse>& r) {
    if (stopped) {
      return;  // the row stays pending; the next start sends it again
    }
    in_flight.insert(sent.id);
    UnixTime now = hooks.clock();
    OutboxItem updated = after_attempt(sent, r, now, config->notify, hooks.jitter());
    std::string labels = "channel=\"" + sent.channel + "\"";
    if (updated.state == "delivered") {
      ++stats.delivered;
      if (metrics) {
        metrics->add("podcastd_outbox_delivered_total", "Notifications delivered", labels, 1);
      }
    } else {
      ++stats.failed_attempts;
      stats.last_error = updated.last_error;
      if (metrics) {
        metrics->add("podcastd_outbox_failures_total", "Failed notification attempts", labels, 1);
      }
    }
    std::weak_ptr<Impl> weak = shared_from_this();
    asio::any_io_executor ex = io;
    run_on_catalog([weak, ex, sent, updated, now](catalog::Catalog& cat) {
      RecordOutcome outcome = RecordOutcome::gone;
      std::string error;
      int depth = -1;
      try {
        outcome = record_attempt(cat, sent, updated, now);
        depth = cat.outbox_depth();
      } catch (const std::exception& e) {
        error = e.what();
      }
      asio::post(ex, [weak, sent, updated, outcome, error, depth] {
        if (auto self = weak.lock()) {
          self->on_recorded(sent, updated, outcome, error, depth);
        }
      });
    });
  }

  void on_recorded(const OutboxItem& sent, const OutboxItem& updated, RecordOutcome outcome,
                   const std::string& error, int depth) {
    in_flight.erase(sent.id);
    stats.in_flight = static_cast<int>(in_flight.size());
    if (depth >= 0) {
      set_depth(depth);
    }
    if (updated.state == "failed" && error.empty()) {
      ++stats.failed_rows;
    }
    std::string what = sent.channel + " ping for " + sent.show + " to " + sent.target;
    if (!error.empty()) {
      log::error("outbox: cannot record the " + what + ": " + error);
    } else if (updated.state == "delivered") {
      log::info(
          "outbox: " + what + " delivered" +
          (outcome == RecordOutcome::superseded ? " (the feed changed meanwhile: again)" : ""));
    } else if (updated.state == "failed") {
      log::error("outbox: " + what + " failed for good after " + std::to_string(updated.attempts) +
                 " attempt" + (updated.attempts == 1 ? "" : "s") + ": " + updated.last_error);
    } else {
      log::warning("outbox: " + what + " failed (attempt " + std::to_string(updated.attempts) +
                   "), retrying at " + timefmt::format_iso8601(updated.next_attempt_at) + ": " +
                   updated.last_error);
    }
    poll();
  }
};

OutboxSender::OutboxSender(asio::any_io_executor io, CatalogRunner run_on_catalog,
                           HttpClient& client, std::shared_ptr<const Config> config,
                           Metrics* metrics, Hooks hooks)
    : impl_(std::make_shared<Impl>(std::move(io), std::move(run_on_catalog), client,
                                   std::move(config), metrics, std::move(hooks))) {}

OutboxSender::~OutboxSender() { stop(); }

void OutboxSender::start() {
  if (impl_->started) {
    return;
  }
  impl_->started = true;
  impl_->set_depth(0);
  if (impl_->metrics) {
    // Every series exists from the start, so dashboards and alerts see zeros, not gaps.
    for (std::string_view channel : {kChannelWebSub, kChannelPubnotify, kChannelPodping}) {
      std::string labels = "channel=\"" + std::string(channel) + "\"";
      impl_->metrics->add("podcastd_outbox_delivered_total", "Notifications delivered", labels, 0);
      impl_->metrics->add("podcastd_outbox_failures_total", "Failed notification attempts", labels,
                          0);
    }
  }
  impl_->poll();
}

void OutboxSender::wake() {
  if (impl_->started) {
    impl_->poll();
  }
}

void OutboxSender::set_config(std::shared_ptr<const Config> config) {
  impl_->config = std::move(config);
  wake();
}

void OutboxSender::stop() {
  impl_->stopped = true;
  impl_->timer.cancel();
}

OutboxSender::Stats OutboxSender::stats() const { return impl_->stats; }

}  // namespace podcastd::daemon
