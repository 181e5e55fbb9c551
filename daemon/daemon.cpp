#include "daemon/daemon.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <csignal>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "catalog/catalog.hpp"
#include "catalog/ingest.hpp"
#include "catalog/model_json.hpp"
#include "catalog/time.hpp"
#include "daemon/api.hpp"
#include "daemon/control.hpp"
#include "daemon/http_client.hpp"
#include "daemon/http_server.hpp"
#include "daemon/link_checker.hpp"
#include "daemon/lock.hpp"
#include "daemon/log.hpp"
#include "daemon/metrics.hpp"
#include "daemon/outbox.hpp"
#include "daemon/publish_run.hpp"
#include "daemon/systemd.hpp"
#include "daemon/watcher.hpp"
#include "feeds/layout.hpp"
#include "feeds/publisher.hpp"

namespace podcastd::daemon {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using catalog::UnixTime;

UnixTime now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

HttpServerOptions http_options(const Config& c, asio::any_io_executor blocking) {
  HttpServerOptions o;
  o.root = c.output_dir;
  o.max_connections = c.http.max_connections;
  o.header_limit_bytes = static_cast<std::size_t>(c.http.header_limit_bytes);
  o.request_timeout = std::chrono::seconds(c.http.request_timeout_s);
  o.idle_timeout = std::chrono::seconds(c.http.idle_timeout_s);
  o.cache_max_age_s = c.http.cache_max_age_s;
  o.hubs = c.notify.websub_hubs;
  o.public_url = c.public_url;
  o.blocking_executor = blocking;
  return o;
}

struct ShowState {
  feeds::PublishResult last;  // feed bytes dropped after handing them to the server
  std::optional<UnixTime> last_changed_at;
  std::optional<UnixTime> next_scheduled;
};

}  // namespace

struct Daemon::Impl : std::enable_shared_from_this<Impl> {
  struct Job {
    bool full = false;
    std::vector<fs::path> paths;
    std::set<std::string> shows;  // publish these even if unchanged
    bool all_shows = false;
    std::vector<std::function<void(const PublishRun&)>> waiters;

    void merge(Job other) {
      full = full || other.full;
      paths.insert(paths.end(), other.paths.begin(), other.paths.end());
      shows.insert(other.shows.begin(), other.shows.end());
      all_shows = all_shows || other.all_shows;
      for (auto& w : other.waiters) waiters.push_back(std::move(w));
    }
  };

  asio::io_context& ioc;
  std::shared_ptr<const Config> config;
  std::optional<fs::path> config_file;
  std::optional<StateLock> lock;
  Metrics metrics;
  asio::thread_pool worker{1};
  asio::thread_pool readers{2};
  // Used on the worker thread only (after start()).
  std::unique_ptr<catalog::Catalog> catalog;
  std::unique_ptr<catalog::Ingestor> ingestor;
  std::unique_ptr<feeds::Publisher> publisher;
  // I/O thread only.
  std::unique_ptr<HttpServer> http;
  std::unique_ptr<ControlServer> control;
  std::unique_ptr<Watcher> watcher;
  // Outbound (issue 6): the curl-multi client (its own thread) and the outbox sender.
  std::unique_ptr<HttpClient> outbound;
  std::unique_ptr<OutboxSender> outbox;
  asio::signal_set signals;
  asio::steady_timer rescan_timer;
  asio::steady_timer schedule_timer;
  asio::steady_timer watchdog_timer;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> busy_guard;
  bool busy = false;
  std::optional<Job> queued;
  bool ready = false;
  bool stopping = false;
  int exit_code = 0;
  std::map<std::string, ShowState> shows;
  UnixTime started_at = now_seconds();
  catalog::IngestReport last_ingest;

  Impl(asio::io_context& io, Config c, std::optional<fs::path> file)
      : ioc(io),
        config(std::make_shared<const Config>(std::move(c))),
        config_file(std::move(file)),
        signals(io, SIGTERM, SIGINT, SIGHUP),
        rescan_timer(io),
        schedule_timer(io),
        watchdog_timer(io) {}

  Status start() {
    Result<StateLock> l = StateLock::acquire(config->lock_path());
    if (!l) return l.error();
    lock.emplace(std::move(*l));
    std::error_code ec;
    fs::create_directories(config->output_dir, ec);
    try {
      catalog = std::make_unique<catalog::Catalog>(config->catalog_path());
    } catch (const std::exception& e) {
      return make_error(ErrorCode::io, e.what());
    }
    ingestor = std::make_unique<catalog::Ingestor>(*catalog, config->content_dir,
                                                   ingest_options(*config, /*keep_written=*/true));
    publisher = std::make_unique<feeds::Publisher>(*catalog, publish_options(*config));

    arm_signals();
    if (!config->http.listen.empty()) {
      http = std::make_unique<HttpServer>(ioc.get_executor(),
                                          http_options(*config, readers.get_executor()), metrics);
      std::vector<int> fds = systemd::listen_fds();
      Result<asio::ip::tcp::endpoint> bound =
          fds.empty() ? http->listen(config->http.listen) : http->adopt(fds.front());
      if (!bound) return bound.error();
      log::info("serving " + config->output_dir.string() + " on http://" +
                bound->address().to_string() + ":" + std::to_string(bound->port()) +
                (fds.empty() ? "" : " (socket activation)"));
      std::string db = config->catalog_path().string();
      std::string public_url = config->public_url;
      http->set_api_handler(
          [db, public_url](const ApiRequest& req) { return handle_api(db, public_url, req); });
      std::weak_ptr<Impl> weak = shared_from_this();
      http->set_health_handler([weak]() -> std::pair<int, std::string> {
        auto self = weak.lock();
        if (!self || !self->ready) return {503, "starting\n"};
        if (self->stopping) return {503, "stopping\n"};
        return {200, "ok\n"};
      });
    }
    control = std::make_unique<ControlServer>(
        ioc.get_executor(), [self = shared_from_this()](const std::string& request,
                                                        std::function<void(std::string)> reply) {
          self->on_control(request, std::move(reply));
        });
    if (Status st = control->listen(config->control_socket_path()); !st) return st;
    // The watch goes in before the first scan, so nothing written meanwhile is missed.
    watcher = std::make_unique<Watcher>(
        ioc.get_executor(), config->content_dir,
        std::chrono::milliseconds(config->watch.debounce_ms),
        std::chrono::milliseconds(config->watch.max_delay_ms),
        [self = shared_from_this()](Watcher::Batch b) { self->on_batch(std::move(b)); });
    if (Status st = watcher->start(); !st) {
      log::warning(st.error().message + "; relying on the periodic rescan");
    }
    start_outbound();
    arm_rescan();
    arm_watchdog();
    metrics.set("podcastd_up", "1 while the daemon runs", "", 1);
    log::info("podcastd started: content " + config->content_dir.string() + ", output " +
              config->output_dir.string() + ", public URL " + config->public_url);
    systemd::notify("STATUS=Scanning " + config->content_dir.string());
    Job initial;
    initial.full = true;
    initial.all_shows = true;
    submit(std::move(initial));
    return {};
  }

  // ---- jobs

  void submit(Job job) {
    if (stopping) {
      PublishRun refused;
      refused.errors.push_back("the daemon is shutting down");
      for (auto& w : job.waiters) w(refused);
      return;
    }
    if (busy) {
      if (queued) {
        queued->merge(std::move(job));
      } else {
        queued = std::move(job);
      }
      return;
    }
    start_job(std::move(job));
  }

  void start_job(Job job) {
    busy = true;
    busy_guard.emplace(ioc.get_executor());
    auto cfg = config;
    asio::post(worker, [self = shared_from_this(), job = std::move(job), cfg]() mutable {
      PublishRun result;
      try {
        catalog::IngestReport ingest =
            job.full ? self->ingestor->scan() : self->ingestor->ingest_paths(job.paths);
        auto written = self->ingestor->take_written();
        std::vector<std::string> targets;
        if (!job.all_shows) {
          std::set<std::string> wanted = job.shows;
          wanted.insert(ingest.changed_shows.begin(), ingest.changed_shows.end());
          targets.assign(wanted.begin(), wanted.end());
        }
        bool nothing = !job.all_shows && targets.empty();
        if (nothing) {
          result.ingest = std::move(ingest);
        } else {
          result = publish_shows(*self->catalog, *self->publisher, std::move(ingest), targets,
                                 false, std::move(written));
          // Outbound (issue 6): the pings are committed to the outbox before any is sent.
          enqueue_after_publish(*self->catalog, cfg->notify, result.results, now_seconds());
        }
      } catch (const std::exception& e) {
        // One of the three places exceptions are caught: the batch is rolled back and
        // reported; the daemon keeps running with the last good catalog and feeds.
        result.errors.push_back(std::string("ingest/publish batch failed: ") + e.what());
      }
      asio::post(self->ioc, [self, job = std::move(job), result = std::move(result)]() mutable {
        self->on_done(std::move(job), std::move(result));
      });
    });
  }

  void on_done(Job job, PublishRun run) {
    busy = false;
    busy_guard.reset();
    last_ingest = run.ingest;
    for (const catalog::Diagnostic& d : run.ingest.diagnostics) {
      if (d.severity == catalog::Diagnostic::Severity::error) {
        log::error(d.to_string());
      } else {
        log::warning(d.to_string());
      }
    }
    metrics.add("podcastd_ingest_errors_total", "Source errors reported by ingest", "",
                run.ingest.errors);
    metrics.add("podcastd_ingest_files_parsed_total", "Source files parsed", "", run.ingest.parsed);
    for (const std::string& e : run.errors) log::error(e);
    for (feeds::PublishResult& r : run.results) {
      for (const feeds::Finding& f : r.report.findings) {
        if (f.severity == feeds::Severity::error) log::error(f.to_string());
      }
      for (const std::string& e : r.errors) log::error(e);
      std::string labels = "show=\"" + r.show + "\",result=\"" + (r.ok() ? "ok" : "failed") + "\"";
      metrics.add("podcastd_publish_total", "Feed publishes by show and result", labels, 1);
      metrics.observe("podcastd_publish_duration_seconds",
                      "Time to render, validate and write a feed", "show=\"" + r.show + "\"",
                      static_cast<double>(r.elapsed.count()) / 1e6);
      if (r.ok()) {
        metrics.set("podcastd_feed_items", "Items in the published feed", "show=\"" + r.show + "\"",
                    r.items);
        metrics.set("podcastd_feed_bytes", "Size of the published feed", "show=\"" + r.show + "\"",
                    static_cast<double>(r.feed_xml ? r.feed_xml->size() : 0));
      }
      ShowState& s = shows[r.show];
      if (r.published && r.feed_xml && http) {
        auto file = std::make_shared<MemoryFile>();
        file->body = r.feed_xml;  // shared with the publisher, not copied
        file->gzip = r.feed_gzip;
        file->content_type = "application/rss+xml; charset=utf-8";
        file->etag = "\"" + r.feed_hash + "\"";
        struct stat st;
        std::string disk = (config->output_dir / feeds::feed_path(r.show)).string();
        file->last_modified = ::stat(disk.c_str(), &st) == 0 ? st.st_mtim.tv_sec : now_seconds();
        http->put_memory_file(feeds::feed_path(r.show), std::move(file));
      }
      if (r.changed) {
        s.last_changed_at = now_seconds();
        log::info(r.show + ": published " + std::to_string(r.items) + " items (" +
                  std::to_string(r.elapsed.count() / 1000) + " ms)");
      } else if (!r.published) {
        log::error(r.show + ": feed NOT published (" + std::to_string(r.report.errors()) +
                   " validation errors); the last good feed stays");
      }
      s.next_scheduled = r.next_scheduled;
      r.feed_xml.reset();
      r.feed_gzip.reset();
      s.last = r;
    }
    if (!ready) {
      ready = true;
      systemd::notify("READY=1");
      log::info("ready");
    }
    systemd::notify("STATUS=" + status_line());
    if (outbox) outbox->wake();  // rows queued by this job
    for (auto& w : job.waiters) w(run);
    arm_schedule();
    if (stopping) {
      finish();
    } else if (queued) {
      Job next = std::move(*queued);
      queued.reset();
      start_job(std::move(next));
    }
  }

  std::string status_line() const {
    int published = 0, failed = 0;
    for (const auto& [slug, s] : shows) {
      if (s.last.ok()) {
        ++published;
      } else {
        ++failed;
      }
    }
    std::string line =
        std::to_string(published) + " feed" + (published == 1 ? "" : "s") + " published";
    if (failed) line += ", " + std::to_string(failed) + " failing";
    if (last_ingest.errors) line += ", " + std::to_string(last_ingest.errors) + " source errors";
    return line;
  }

  // ---- events

  void on_batch(Watcher::Batch batch) {
    Job job;
    job.full = batch.full_rescan;
    job.paths = std::move(batch.paths);
    submit(std::move(job));
  }

  void arm_rescan() {
    if (config->watch.rescan_interval_s <= 0) return;
    rescan_timer.expires_after(std::chrono::seconds(config->watch.rescan_interval_s));
    rescan_timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec) return;
      Job job;
      job.full = true;
      self->submit(std::move(job));
      self->arm_rescan();
    });
  }

  void arm_schedule() {
    std::optional<UnixTime> next;
    for (const auto& [slug, s] : shows) {
      if (s.next_scheduled && (!next || *s.next_scheduled < *next)) next = s.next_scheduled;
    }
    schedule_timer.cancel();
    if (!next || stopping) return;
    UnixTime wait = std::max<UnixTime>(0, *next - now_seconds());
    // Re-check at least hourly so a changed wall clock is noticed.
    schedule_timer.expires_after(std::chrono::seconds(std::min<UnixTime>(wait, 3600)));
    schedule_timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec) return;
      Job job;
      UnixTime now = now_seconds();
      for (const auto& [slug, s] : self->shows) {
        if (s.next_scheduled && *s.next_scheduled <= now) job.shows.insert(slug);
      }
      if (job.shows.empty()) {
        self->arm_schedule();
        return;
      }
      self->submit(std::move(job));
    });
  }

  void arm_watchdog() {
    std::optional<std::chrono::microseconds> timeout = systemd::watchdog_timeout();
    if (!timeout) return;
    watchdog_timer.expires_after(*timeout / 2);
    watchdog_timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec) return;
      systemd::notify("WATCHDOG=1");
      self->arm_watchdog();
    });
  }

  void arm_signals() {
    signals.async_wait([self = shared_from_this()](boost::system::error_code ec, int sig) {
      if (ec) return;
      if (sig == SIGHUP) {
        self->reload();
        self->arm_signals();
        return;
      }
      if (self->stopping) {
        log::warning("second termination signal: exiting now");
        self->ioc.stop();
        return;
      }
      self->arm_signals();  // a second SIGTERM forces the exit; finish() cancels this wait
      self->stop();
    });
  }

  void reload() {
    systemd::notify("RELOADING=1");
    if (!config_file) {
      log::warning(
          "SIGHUP: running on built-in defaults; there is no configuration file to reload");
      systemd::notify("READY=1");
      return;
    }
    Result<Config> fresh = load_config_file(*config_file);
    if (!fresh) {
      log::error("SIGHUP: " + fresh.error().message + "; keeping the running configuration");
      systemd::notify("READY=1");
      return;
    }
    Config c = std::move(*fresh);
    const Config& old = *config;
    auto keep = [&](auto& value, const auto& old_value, const char* name) {
      if (value != old_value) {
        log::warning(std::string("SIGHUP: changing ") + name +
                     " needs a restart; keeping the old value");
        value = old_value;
      }
    };
    keep(c.content_dir, old.content_dir, "content_dir");
    keep(c.state_dir, old.state_dir, "state_dir");
    keep(c.output_dir, old.output_dir, "output_dir");
    keep(c.http.listen, old.http.listen, "http.listen");
    config = std::make_shared<const Config>(std::move(c));
    log::set_level(config->log_level);
    if (watcher) {
      watcher->set_timing(std::chrono::milliseconds(config->watch.debounce_ms),
                          std::chrono::milliseconds(config->watch.max_delay_ms));
    }
    if (http) http->update_options(http_options(*config, readers.get_executor()));
    if (outbox) outbox->set_config(config);
    rescan_timer.cancel();
    arm_rescan();
    auto cfg = config;
    asio::post(worker, [self = shared_from_this(), cfg] {
      self->publisher->set_options(publish_options(*cfg));
    });
    log::info("configuration reloaded from " + config_file->string());
    systemd::notify("READY=1");
    Job job;
    job.full = true;
    job.all_shows = true;
    submit(std::move(job));
  }

  void stop() {
    if (stopping) return;
    stopping = true;
    log::info("stopping");
    systemd::notify("STOPPING=1");
    if (watcher) watcher->stop();
    if (control) control->stop();
    rescan_timer.cancel();
    schedule_timer.cancel();
    watchdog_timer.cancel();
    queued.reset();
    if (http) http->stop(std::chrono::seconds(2));
    // Outbound: unsent pings stay pending in the outbox for the next start.
    if (outbox) outbox->stop();
    if (outbound) outbound->stop();
    // A publish in flight finishes first (on_done calls finish()).
    if (!busy) finish();
  }

  void finish() {
    signals.cancel();
    exit_code = 0;
  }

  // ---- control socket

  void on_control(const std::string& request, std::function<void(std::string)> reply) {
    nlohmann::json req = nlohmann::json::parse(request, nullptr, false);
    if (req.is_discarded() || !req.is_object()) {
      reply(R"({"ok":false,"error":"request is not a JSON object"})");
      return;
    }
    std::string command = req.value("command", "");
    if (command == "ping") {
      reply(R"({"ok":true})");
    } else if (command == "status") {
      reply(status_json().dump());
    } else if (command == "links_check") {
      check_links_for(req.value("show", ""), std::move(reply));
    } else if (command == "republish" || command == "rescan") {
      Job job;
      job.full = true;
      if (command == "republish") {
        std::vector<std::string> names = req.value("shows", std::vector<std::string>{});
        if (names.empty()) {
          job.all_shows = true;
        } else {
          job.shows.insert(names.begin(), names.end());
        }
      }
      job.waiters.push_back(
          [reply, names = req.value("shows", std::vector<std::string>{})](const PublishRun& run) {
            PublishRun answer = run;
            // Named shows that do not exist are errors for the asker.
            std::set<std::string> known;
            for (const auto& r : run.results) known.insert(r.show);
            for (const std::string& n : names) {
              if (!known.count(n))
                answer.errors.push_back("no show '" + n + "' in the content dir");
            }
            nlohmann::json j = nlohmann::json::parse(answer.to_json());
            j["text"] = answer.to_text();
            reply(j.dump());
          });
      submit(std::move(job));
    } else {
      reply(nlohmann::json{{"ok", false}, {"error", "unknown command '" + command + "'"}}.dump());
    }
  }

  nlohmann::json status_json() const {
    nlohmann::json j;
    j["running"] = true;
    j["pid"] = ::getpid();
    j["ready"] = ready;
    j["busy"] = busy;
    j["queued"] = queued.has_value();
    j["uptime_s"] = now_seconds() - started_at;
    j["content_dir"] = config->content_dir.string();
    j["output_dir"] = config->output_dir.string();
    j["public_url"] = config->public_url;
    j["watches"] = watcher ? watcher->watch_count() : 0;
    j["connections"] = http ? http->connection_count() : 0;
    j["source_errors"] = last_ingest.errors;
    nlohmann::json list = nlohmann::json::array();
    std::string text = "podcastd running (pid " + std::to_string(::getpid()) + ", up " +
                       std::to_string(now_seconds() - started_at) + " s)" +
                       (busy ? ", publishing" : "") + (ready ? "" : ", starting") + "\n";
    for (const auto& [slug, s] : shows) {
      nlohmann::json sj = {
          {"show", slug},
          {"published", s.last.published},
          {"items", s.last.items},
          {"feed_url", s.last.feed_url},
          {"feed_hash", s.last.feed_hash},
          {"errors", s.last.report.errors() + static_cast<int>(s.last.errors.size())},
          {"warnings", s.last.report.warnings()}};
      if (s.last_changed_at) sj["last_changed"] = timefmt::format_iso8601(*s.last_changed_at);
      if (s.next_scheduled) sj["next_scheduled"] = timefmt::format_iso8601(*s.next_scheduled);
      list.push_back(sj);
      text += "  " + slug + ": " + (s.last.published ? "published" : "NOT published") + ", " +
              std::to_string(s.last.items) + " items, " + s.last.feed_url;
      if (s.next_scheduled)
        text += ", next scheduled " + timefmt::format_iso8601(*s.next_scheduled);
      text += "\n";
    }
    if (last_ingest.errors) {
      text += "  " + std::to_string(last_ingest.errors) + " source error" +
              (last_ingest.errors == 1 ? "" : "s") + " (see podcastd episodes)\n";
    }
    j["shows"] = std::move(list);
    if (outbox) {
      OutboxSender::Stats o = outbox->stats();
      j["outbox"] = {{"depth", o.depth},         {"in_flight", o.in_flight},
                     {"delivered", o.delivered}, {"failed_attempts", o.failed_attempts},
                     {"failed", o.failed_rows},  {"last_error", o.last_error}};
      if (o.next_attempt) j["outbox"]["next_attempt"] = timefmt::format_iso8601(*o.next_attempt);
      text += "  outbox: " + std::to_string(o.depth) + " pending";
      if (o.depth > 0 && o.next_attempt) {
        text += " (next attempt " + timefmt::format_iso8601(*o.next_attempt) + ")";
      }
      text += ", " + std::to_string(o.delivered) + " delivered, " +
              std::to_string(o.failed_attempts) + " failed attempt" +
              (o.failed_attempts == 1 ? "" : "s") + ", " + std::to_string(o.failed_rows) +
              " given up\n";
      if (!o.last_error.empty()) text += "  outbox last error: " + o.last_error + "\n";
    }
    j["text"] = text;
    return j;
  }

  // ---- outbound (issue 6)

  void start_outbound() {
    outbound = std::make_unique<HttpClient>(link_check_limits(*config));
    std::weak_ptr<Impl> weak = shared_from_this();
    outbox = std::make_unique<OutboxSender>(
        ioc.get_executor(),
        [weak](OutboxSender::CatalogJob job) {
          auto self = weak.lock();
          if (!self) return;
          asio::post(self->worker, [self, job = std::move(job)] { job(*self->catalog); });
        },
        *outbound, config, &metrics);
    outbox->start();
  }

  // `podcastd links check` while the daemon runs: links are read and results written on the
  // catalog thread, the checks run on the outbound client, the reply goes out on the I/O
  // thread.
  void check_links_for(std::string show, std::function<void(std::string)> reply) {
    auto cfg = config;
    std::weak_ptr<Impl> weak = shared_from_this();
    asio::post(worker, [weak, cfg, show, reply] {
      auto self = weak.lock();
      if (!self) return;
      asio::any_io_executor io = self->ioc.get_executor();
      auto answer = [io, reply](std::string text) {
        asio::post(io, [reply, text = std::move(text)] { reply(text); });
      };
      auto failed = [&answer](const std::string& why) {
        answer(nlohmann::json{{"ok", false}, {"error", why}}.dump());
      };
      std::vector<catalog::Link> links;
      try {
        Result<std::vector<catalog::Link>> found =
            links_to_check(*self->catalog, show, cfg->content_dir);
        if (!found) return failed(found.error().message);
        links = std::move(*found);
      } catch (const std::exception& e) {
        return failed(e.what());
      }
      check_links_async(*self->outbound, urls_of(links), link_check_options(*cfg), now_seconds(),
                        [weak, links, answer](std::vector<catalog::LinkCheck> checks) {
                          auto me = weak.lock();
                          if (!me) return;
                          asio::post(me->worker, [me, links, answer, checks = std::move(checks)] {
                            try {
                              answer(record_link_checks(*me->catalog, links, checks));
                            } catch (const std::exception& e) {
                              answer(nlohmann::json{{"ok", false}, {"error", e.what()}}.dump());
                            }
                          });
                        });
    });
  }
};

Daemon::Daemon(asio::io_context& ioc, Config config, std::optional<fs::path> config_file)
    : impl_(std::make_shared<Impl>(ioc, std::move(config), std::move(config_file))) {}

Daemon::~Daemon() {
  // Outbound first: its completions post catalog jobs to the worker.
  if (impl_->outbox) impl_->outbox->stop();
  if (impl_->outbound) impl_->outbound->stop();
  // The worker may still hold the catalog: let it finish before members go away.
  impl_->worker.join();
  impl_->readers.join();
  // The rendered items, for the next process (a `podcastd republish` while it is stopped).
  if (impl_->publisher) {
    if (Status saved = impl_->publisher->save_cache(); !saved) {
      log::warning("publish cache not saved: " + saved.error().message);
    }
  }
  // The watcher's and control socket's callbacks hold shared_ptrs to Impl, which owns them:
  // break the cycle now that no handler can run any more.
  impl_->watcher.reset();
  impl_->control.reset();
  impl_->http.reset();
  impl_->publisher.reset();
  impl_->ingestor.reset();
  impl_->catalog.reset();
}

Status Daemon::start() { return impl_->start(); }

int Daemon::exit_code() const { return impl_->exit_code; }

}  // namespace podcastd::daemon
