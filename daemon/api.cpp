#include "daemon/api.hpp"

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>

#include "catalog/catalog.hpp"
#include "catalog/model_json.hpp"
#include "catalog/text.hpp"
#include "catalog/time.hpp"
#include "feeds/layout.hpp"

namespace podcastd::daemon {
namespace {

using nlohmann::json;

ApiResponse answer(int status, const json& body) {
  return {status, "application/json", body.dump()};
}
ApiResponse not_found(const std::string& what) {
  return answer(404, json{{"error", what + " not found"}});
}

std::string query_param(std::string_view query, std::string_view name) {
  for (std::string_view part : text::split(query, '&')) {
    std::size_t eq = part.find('=');
    if (part.substr(0, eq) != name) continue;
    std::string_view raw = eq == std::string_view::npos ? "" : part.substr(eq + 1);
    std::string out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '+') {
        out += ' ';
      } else if (raw[i] == '%' && i + 2 < raw.size() &&
                 std::isxdigit(static_cast<unsigned char>(raw[i + 1])) &&
                 std::isxdigit(static_cast<unsigned char>(raw[i + 2]))) {
        out += static_cast<char>(std::stoi(std::string(raw.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else {
        out += raw[i];
      }
    }
    return out;
  }
  return "";
}

catalog::Catalog& reader(const std::string& path) {
  thread_local std::unique_ptr<catalog::Catalog> catalog;
  thread_local std::string opened;
  if (!catalog || opened != path) {
    catalog = std::make_unique<catalog::Catalog>(path, catalog::Catalog::Mode::read_only);
    opened = path;
  }
  return *catalog;
}

json summary_json(const catalog::EpisodeSummary& s, catalog::UnixTime now) {
  json j = {{"key", s.key},
            {"guid", s.guid},
            {"title", s.title},
            {"status", catalog::to_string(s.status(now))},
            {"sources", s.sources}};
  if (s.date) j["date"] = timefmt::format_iso8601(*s.date);
  if (!s.error.empty()) j["error"] = s.error;
  return j;
}

}  // namespace

ApiResponse handle_api(const std::string& catalog_path, const std::string& public_url,
                       const ApiRequest& request) {
  catalog::Catalog& cat = reader(catalog_path);
  catalog::UnixTime now = std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
  std::vector<std::string_view> parts;
  for (std::string_view p : text::split(request.path, '/')) {
    if (!p.empty()) parts.push_back(p);
  }
  if (parts.size() == 1 && parts[0] == "search") {
    std::string q = query_param(request.query, "q");
    if (q.empty()) return answer(400, json{{"error", "missing q parameter"}});
    int limit = 20;
    std::string l = query_param(request.query, "limit");
    if (!l.empty()) limit = std::clamp(std::atoi(l.c_str()), 1, 200);
    json hits = json::array();
    for (const catalog::SearchHit& h : cat.search(q, limit)) {
      hits.push_back({{"show", h.show},
                      {"key", h.key},
                      {"guid", h.guid},
                      {"title", h.title},
                      {"snippet", h.snippet},
                      {"rank", h.rank}});
    }
    return answer(200, json{{"query", q}, {"hits", hits}});
  }
  if (parts.empty() || parts[0] != "shows") return not_found("API endpoint");
  if (parts.size() == 1) {
    json list = json::array();
    for (const catalog::Show& s : cat.shows()) {
      std::vector<catalog::EpisodeSummary> eps = cat.summaries(s.slug);
      int published = 0;
      for (const auto& e : eps) published += e.status(now) == catalog::EpisodeStatus::published;
      list.push_back({{"slug", s.slug},
                      {"title", s.title},
                      {"feed_url", feeds::public_url_of(public_url, feeds::feed_path(s.slug))},
                      {"episodes", eps.size()},
                      {"published", published}});
    }
    return answer(200, list);
  }
  std::string slug(parts[1]);
  std::optional<catalog::Show> show = cat.show(slug);
  if (!show) return not_found("show '" + slug + "'");
  if (parts.size() == 2) {
    json j = *show;
    j["feed_url"] = feeds::public_url_of(public_url, feeds::feed_path(slug));
    return answer(200, j);
  }
  if (parts[2] != "episodes") return not_found("API endpoint");
  std::vector<catalog::EpisodeSummary> eps = cat.summaries(slug);
  if (parts.size() == 3) {
    std::stable_sort(eps.begin(), eps.end(), [](const auto& a, const auto& b) {
      return a.date.value_or(INT64_MIN) > b.date.value_or(INT64_MIN);
    });
    json list = json::array();
    for (const auto& e : eps) list.push_back(summary_json(e, now));
    return answer(200, list);
  }
  if (parts.size() == 4) {
    for (const auto& e : eps) {
      if (e.guid != parts[3]) continue;
      std::optional<catalog::Episode> full = cat.episode(slug, e.key);
      if (!full) break;
      json j = catalog::episode_to_json(*full);
      j["status"] = catalog::to_string(e.status(now));
      return answer(200, j);
    }
    return not_found("episode '" + std::string(parts[3]) + "'");
  }
  return not_found("API endpoint");
}

}  // namespace podcastd::daemon
