#include "daemon/link_checker.hpp"

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>

namespace podcastd::daemon {
namespace {

using Clock = std::chrono::steady_clock;

// All checks of one run; completes `done` when the last one finishes.
struct Run {
  HttpClient& client;
  FetchOptions base;
  catalog::UnixTime now;
  std::function<void(std::vector<catalog::LinkCheck>)> done;
  std::mutex mu;
  std::vector<catalog::LinkCheck> checks;  // guarded by mu
  std::atomic<std::size_t> left{0};

  Run(HttpClient& c, FetchOptions b, catalog::UnixTime n,
      std::function<void(std::vector<catalog::LinkCheck>)> d)
      : client(c), base(std::move(b)), now(n), done(std::move(d)) {}

  void record(std::size_t i, const Result<FetchResponse>& r, Clock::time_point started) {
    catalog::LinkCheck c;
    c.checked_at = now;
    c.time_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
    if (r.ok()) {
      c.status = r->status;
      c.final_url = r->final_url;
    } else {
      c.error = r.error().message;
    }
    bool last = false;
    {
      std::lock_guard<std::mutex> lock(mu);
      c.url = checks[i].url;
      checks[i] = std::move(c);
      last = --left == 0;
    }
    if (last) {
      std::vector<catalog::LinkCheck> out;
      {
        std::lock_guard<std::mutex> lock(mu);
        out.swap(checks);
      }
      done(std::move(out));
    }
  }

  static void start(const std::shared_ptr<Run>& run, std::size_t i, const std::string& url) {
    FetchOptions head = run->base;
    head.method = "HEAD";
    head.get_when_head_refused = true;
    Clock::time_point started = Clock::now();
    run->client.submit(url, head, [run, i, started](const Result<FetchResponse>& r) {
      run->record(i, r, started);
    });
  }
};

}  // namespace

FetchOptions link_check_options(const Config& config) {
  FetchOptions o = outbound_options(config.outbound);
  o.max_body_bytes = 1024 * 1024;
  return o;
}

HttpClient::Limits link_check_limits(const Config& config) {
  return {config.outbound.link_check_parallelism, config.outbound.link_check_per_host};
}

void check_links_async(HttpClient& client, const std::vector<std::string>& urls,
                       const FetchOptions& base, catalog::UnixTime now,
                       std::function<void(std::vector<catalog::LinkCheck>)> done) {
  if (urls.empty()) {
    done({});
    return;
  }
  auto run = std::make_shared<Run>(client, base, now, std::move(done));
  run->checks.resize(urls.size());
  for (std::size_t i = 0; i < urls.size(); ++i) {
    run->checks[i].url = urls[i];
  }
  run->left = urls.size();
  for (std::size_t i = 0; i < urls.size(); ++i) {
    Run::start(run, i, urls[i]);
  }
}

std::vector<catalog::LinkCheck> check_links(HttpClient& client,
                                            const std::vector<std::string>& urls,
                                            const FetchOptions& base, catalog::UnixTime now) {
  std::promise<std::vector<catalog::LinkCheck>> p;
  std::future<std::vector<catalog::LinkCheck>> f = p.get_future();
  check_links_async(client, urls, base, now, [&p](std::vector<catalog::LinkCheck> checks) {
    p.set_value(std::move(checks));
  });
  return f.get();
}

bool is_dead(const catalog::LinkCheck& c) { return c.status == 0 || c.status >= 400; }

bool is_redirected(const catalog::LinkCheck& c) {
  return c.status != 0 && !c.final_url.empty() && c.final_url != c.url;
}

std::string link_report_json(const std::vector<catalog::Link>& links,
                             const std::vector<catalog::LinkCheck>& checks) {
  nlohmann::json list = nlohmann::json::array();
  int dead = 0, redirected = 0;
  for (std::size_t i = 0; i < checks.size(); ++i) {
    const catalog::LinkCheck& c = checks[i];
    bool d = is_dead(c), r = is_redirected(c);
    dead += d;
    redirected += r;
    list.push_back({{"url", c.url},
                    {"title", i < links.size() ? links[i].title : ""},
                    {"status", c.status},
                    {"final_url", c.final_url},
                    {"error", c.error},
                    {"time_ms", c.time_ms},
                    {"checked_at", c.checked_at},
                    {"dead", d},
                    {"redirected", r}});
  }
  nlohmann::json j = {{"ok", dead == 0},
                      {"checked", checks.size()},
                      {"dead", dead},
                      {"redirected", redirected},
                      {"links", std::move(list)}};
  return j.dump();
}

std::string link_report_text(const std::string& report_json) {
  nlohmann::json j = nlohmann::json::parse(report_json, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("links")) {
    return "";
  }
  std::string out;
  for (const nlohmann::json& l : j["links"]) {
    std::string url = l.value("url", "");
    std::string title = l.value("title", "");
    std::string named = title.empty() || title == url ? "" : "  (" + title + ")";
    int status = l.value("status", 0);
    if (l.value("dead", false)) {
      std::string error = l.value("error", "");
      if (error.rfind(url + ": ", 0) == 0) {
        error.erase(0, url.size() + 2);
      }
      out += "dead        ";
      out += status ? std::to_string(status) : std::string("---");
      out.append("  ").append(url).append(named);
      if (!status) {
        out.append(": ").append(error);
      }
      out += "\n";
    } else if (l.value("redirected", false)) {
      out.append("redirected  ").append(std::to_string(status)).append("  ").append(url);
      out.append(" -> ").append(l.value("final_url", "")).append(named).append("\n");
    }
  }
  int checked = j.value("checked", 0), dead = j.value("dead", 0), moved = j.value("redirected", 0);
  out += std::to_string(checked) + " link" + (checked == 1 ? "" : "s") +
         " checked: " + std::to_string(checked - dead - moved) + " ok, " + std::to_string(moved) +
         " redirected, " + std::to_string(dead) + " dead\n";
  return out;
}

Result<std::vector<catalog::Link>> links_to_check(const catalog::Catalog& cat,
                                                  const std::string& show,
                                                  const std::filesystem::path& content_dir) {
  if (!show.empty() && !cat.show(show)) {
    return make_error(ErrorCode::not_found, "no show '" + show + "' in " + content_dir.string());
  }
  return cat.links(show);
}

std::vector<std::string> urls_of(const std::vector<catalog::Link>& links) {
  std::vector<std::string> urls;
  urls.reserve(links.size());
  for (const catalog::Link& l : links) urls.push_back(l.url);
  return urls;
}

std::string record_link_checks(catalog::Catalog& cat, const std::vector<catalog::Link>& links,
                               const std::vector<catalog::LinkCheck>& checks) {
  catalog::Catalog::Transaction tx(cat);
  for (const catalog::LinkCheck& c : checks) cat.put_link_check(c);
  tx.commit();
  return link_report_json(links, checks);
}

}  // namespace podcastd::daemon
