#pragma once
// The notification outbox (DESIGN.md "Running"; STANDARDS.md 5.1-5.3): after a publish that
// changed a feed's bytes, one ping per configured target — a WebSub publish ping to each hub,
// Podcast Index pubnotify, Podping — is written to the catalog's outbox before anything is
// sent, then delivered by the OutboxSender with retries, so a crash or restart loses none.
//
// Row states: pending (waiting for its next_attempt_at, or in flight) -> delivered (any 2xx)
// or -> failed (max_attempts used up, a permanent HTTP 4xx, or a refused/invalid target;
// kept for `podcastd status`). Retries back off exponentially: retry_base_s doubling per
// failed attempt, capped at retry_max_s, +-25% jitter, never sooner than a Retry-After.
// Coalescing: one pending row per (show, channel, target); another change while it waits
// only moves its feed_hash forward, and a change that lands while it is in flight keeps it
// pending so the newer feed is pinged once more.
//
// The free functions are synchronous and use the Catalog from the calling thread (the
// daemon's catalog-writer worker). OutboxSender lives on the daemon's I/O executor.

#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.hpp"
#include "daemon/config.hpp"
#include "daemon/http_client.hpp"
#include "feeds/publisher.hpp"

namespace podcastd::daemon {

class Metrics;

inline constexpr std::string_view kChannelWebSub = "websub";
inline constexpr std::string_view kChannelPubnotify = "pubnotify";
inline constexpr std::string_view kChannelPodping = "podping";

// One pending row per configured target for a feed that changed (websub hubs in config
// order, then pubnotify, then podping), due at `now`.
std::vector<catalog::OutboxItem> plan_notifications(const NotifyConfig& notify,
                                                    std::string_view show,
                                                    std::string_view feed_url,
                                                    std::string_view feed_hash,
                                                    catalog::UnixTime now);

struct EnqueueResult {
  int added = 0;      // new rows
  int coalesced = 0;  // pending rows that took the newer feed hash instead
  bool operator==(const EnqueueResult&) const = default;
};

// Writes `items` in one IMMEDIATE transaction, coalescing into pending rows of the same
// (show, channel, target), and remembers each show's feed_hash as notified. Throws on
// catalog failures (nothing is written then).
EnqueueResult enqueue_notifications(catalog::Catalog& catalog,
                                    const std::vector<catalog::OutboxItem>& items);

// For each published result whose feed bytes changed — or whose feed hash was never
// notified (a crash between publish and enqueue, a `podcastd republish` while no daemon
// ran) — plans and enqueues its pings. Call on the catalog thread right after publishing,
// before anything can send.
EnqueueResult enqueue_after_publish(catalog::Catalog& catalog, const NotifyConfig& notify,
                                    const std::vector<feeds::PublishResult>& results,
                                    catalog::UnixTime now);

// The catalog state key remembering the feed hash last queued for notification.
std::string notified_state_key(std::string_view show);

// The HTTP request for one row: WebSub POST form (hub.mode=publish&hub.url=FEED), pubnotify
// GET ?url=FEED, Podping GET ?url=FEED&reason=update&medium=MEDIUM with Authorization.
struct NotificationRequest {
  std::string url;
  FetchOptions options;
};
NotificationRequest build_request(const catalog::OutboxItem& item, const Config& config,
                                  std::string_view medium = "podcast");

// Delay before retry number `failed_attempts` (1 = after the first failure): base doubling,
// capped at max_s, times (0.75 + 0.5 * jitter) for jitter in [0, 1], at least 1 s and never
// above max_s.
std::int64_t retry_delay_s(int failed_attempts, int base_s, int max_s, double jitter);

// The row after one attempt: delivered on 2xx; else attempts+1 and either failed (attempts
// used up, HTTP 4xx other than 408/429, refused or invalid target) or rescheduled.
catalog::OutboxItem after_attempt(catalog::OutboxItem item, const Result<FetchResponse>& result,
                                  catalog::UnixTime now, const NotifyConfig& notify, double jitter);

enum class RecordOutcome {
  recorded,    // the row now says what `updated` says
  superseded,  // a newer change was coalesced while in flight: still pending, due now
  gone,        // the row is no longer pending (nothing written)
};
// Stores an attempt's result (`updated`, from after_attempt on `sent`) unless the row's
// feed_hash moved on meanwhile. Counts rows given up in catalog state "outbox.failed_rows".
RecordOutcome record_attempt(catalog::Catalog& catalog, const catalog::OutboxItem& sent,
                             const catalog::OutboxItem& updated, catalog::UnixTime now);

// Delivers due outbox rows over an HttpClient, one attempt per row at a time, and sleeps
// until the next row is due (or wake() after an enqueue).
//
// Lives on the daemon's I/O executor: construct, start(), wake(), set_config(), stop() and
// stats() there only. Catalog reads and writes go through `run_on_catalog` (the catalog
// writer's thread); HTTP completions are posted back to the I/O executor.
class OutboxSender {
 public:
  using CatalogJob = std::function<void(catalog::Catalog&)>;
  using CatalogRunner = std::function<void(CatalogJob)>;
  struct Hooks {
    std::function<catalog::UnixTime()> clock;  // default: system clock
    std::function<double()> jitter;            // default: uniform [0, 1)
  };
  struct Stats {
    int depth = 0;                     // pending rows (as last read)
    int in_flight = 0;                 // attempts under way
    std::int64_t delivered = 0;        // since start
    std::int64_t failed_attempts = 0;  // since start
    std::int64_t failed_rows = 0;      // given up, ever (catalog state)
    std::string last_error;
    std::optional<catalog::UnixTime> next_attempt;
  };

  OutboxSender(boost::asio::any_io_executor io, CatalogRunner run_on_catalog, HttpClient& client,
               std::shared_ptr<const Config> config, Metrics* metrics, Hooks hooks = {});
  ~OutboxSender();
  OutboxSender(const OutboxSender&) = delete;
  OutboxSender& operator=(const OutboxSender&) = delete;

  // Picks up pending rows (those that survived a restart included) and starts sending.
  void start();
  // Something was enqueued: look for due rows now.
  void wake();
  void set_config(std::shared_ptr<const Config> config);
  // Stops scheduling; answers still in flight are ignored (their rows stay pending and are
  // sent again after a restart: at-least-once).
  void stop();
  Stats stats() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace podcastd::daemon
