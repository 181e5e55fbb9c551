#pragma once
// Link checking for show notes (`podcastd links check`): every URL is requested over an
// HttpClient, whose limits give the bounded parallelism and the per-host politeness
// (outbound.link_check_parallelism / link_check_per_host), under the outbound policy. HEAD
// first; GET (body discarded at its first byte) when a server refuses HEAD: 400, 403, 405,
// 501, or a connection dropped without an answer. Redirects are followed (each hop
// re-checked) and the final URL kept.
//
// Results are catalog::LinkCheck values for Catalog::put_link_check: status is the final
// HTTP status (0 when no answer came: error says why, e.g. a timeout), final_url the URL
// after redirects, time_ms the whole check.

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "daemon/config.hpp"
#include "daemon/http_client.hpp"

namespace podcastd::daemon {

// The FetchOptions a link check starts from (timeout, policy, user agent, redirects).
FetchOptions link_check_options(const Config& config);
HttpClient::Limits link_check_limits(const Config& config);

// Checks `urls` concurrently; `done` receives one LinkCheck per URL, in input order, on the
// client's thread (or at once on the calling thread when `urls` is empty). `now` stamps
// checked_at.
void check_links_async(HttpClient& client, const std::vector<std::string>& urls,
                       const FetchOptions& base, catalog::UnixTime now,
                       std::function<void(std::vector<catalog::LinkCheck>)> done);

// Blocking form of check_links_async (not on the client's thread).
std::vector<catalog::LinkCheck> check_links(HttpClient& client,
                                            const std::vector<std::string>& urls,
                                            const FetchOptions& base, catalog::UnixTime now);

// What `podcastd links check [SHOW]` checks, the same with or without a daemon: the links of
// `show` ("" for every show), or an error naming a show the catalog does not have.
Result<std::vector<catalog::Link>> links_to_check(const catalog::Catalog& cat,
                                                  const std::string& show,
                                                  const std::filesystem::path& content_dir);
std::vector<std::string> urls_of(const std::vector<catalog::Link>& links);
// Records `checks` in one transaction; returns link_report_json(links, checks).
std::string record_link_checks(catalog::Catalog& cat, const std::vector<catalog::Link>& links,
                               const std::vector<catalog::LinkCheck>& checks);

// Dead: no answer, or a final status of 400 or more. Redirected: answered from another URL.
bool is_dead(const catalog::LinkCheck& check);
bool is_redirected(const catalog::LinkCheck& check);

// The report as JSON text: {"ok": bool, "checked": n, "dead": n, "redirected": n,
// "links": [{url, title, status, final_url, error, time_ms, checked_at, dead, redirected}]}
// with `links[i]` checked as `checks[i]`. ok is false when any link is dead.
std::string link_report_json(const std::vector<catalog::Link>& links,
                             const std::vector<catalog::LinkCheck>& checks);

// The report for people: one line per dead or redirected link, then a summary line.
// `report_json` is link_report_json()'s text; "" when it cannot be read.
std::string link_report_text(const std::string& report_json);

}  // namespace podcastd::daemon
