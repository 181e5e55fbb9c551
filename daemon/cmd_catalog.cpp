// `podcastd episodes` and `podcastd search`: the catalog, read.
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "catalog/model_json.hpp"
#include "catalog/text.hpp"
#include "catalog/time.hpp"
#include "daemon/commands.hpp"
#include "daemon/workspace.hpp"

namespace podcastd::daemon {
namespace {

catalog::UnixTime now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.resize(width, ' ');
  return s;
}

}  // namespace

int cmd_episodes(const Invocation& inv, const Config& config) {
  Result<Workspace> ws = open_workspace(config, false, true);
  if (!ws) {
    std::cerr << "podcastd: " << ws.error().message << "\n";
    return kExitFailure;
  }
  catalog::Catalog& cat = *ws->catalog;
  std::vector<catalog::Show> shows = cat.shows();
  if (!inv.args.empty()) {
    std::erase_if(shows, [&](const catalog::Show& s) { return s.slug != inv.args[0]; });
    if (shows.empty()) {
      std::cerr << "podcastd: no show '" << inv.args[0] << "' in " << config.content_dir.string()
                << "\n";
      return kExitFailure;
    }
  }
  catalog::UnixTime now = now_seconds();
  nlohmann::json out = nlohmann::json::array();
  for (const catalog::Show& show : shows) {
    std::vector<catalog::EpisodeSummary> list = cat.summaries(show.slug);
    // Newest first, like the feed.
    std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
      if (a.date != b.date) return a.date.value_or(INT64_MIN) > b.date.value_or(INT64_MIN);
      return a.key < b.key;
    });
    // Sources that failed before ever producing an episode.
    std::vector<catalog::SourceRecord> broken;
    for (const catalog::SourceRecord& r : cat.sources_of_show(show.slug)) {
      if (r.error.empty()) continue;
      bool has_episode = false;
      for (const auto& s : list) has_episode = has_episode || s.key == r.episode_key;
      if (!has_episode) broken.push_back(r);
    }
    if (!inv.json) {
      std::cout << show.slug << " (" << (show.title.empty() ? "untitled" : show.title)
                << "): " << list.size() << " episode" << (list.size() == 1 ? "" : "s") << "\n";
    }
    for (const catalog::EpisodeSummary& s : list) {
      catalog::EpisodeStatus status = s.status(now);
      std::string date = s.date ? timefmt::format_date(*s.date) : "-";
      const std::string& source = s.source_file();
      if (inv.json) {
        nlohmann::json j = {{"show", show.slug},
                            {"key", s.key},
                            {"guid", s.guid},
                            {"title", s.title},
                            {"status", to_string(status)},
                            {"sources", s.sources}};
        if (s.date) j["date"] = timefmt::format_iso8601(*s.date);
        if (s.publish_at) j["publish_at"] = timefmt::format_iso8601(*s.publish_at);
        if (!s.error.empty()) j["error"] = s.error;
        out.push_back(std::move(j));
      } else {
        std::cout << "  " << pad(to_string(status), 10) << " " << pad(date, 10) << "  "
                  << pad(s.title, 48) << " " << source << "\n";
        if (!s.error.empty()) std::cout << "             " << s.error << "\n";
      }
    }
    for (const catalog::SourceRecord& r : broken) {
      if (inv.json) {
        out.push_back({{"show", show.slug},
                       {"key", r.episode_key},
                       {"status", "error"},
                       {"sources", {r.path}},
                       {"error", r.error}});
      } else {
        std::cout << "  " << pad("error", 10) << " " << pad("-", 10) << "  " << r.error << "\n";
      }
    }
  }
  if (inv.json) std::cout << out.dump(2) << "\n";
  return kExitOk;
}

int cmd_search(const Invocation& inv, const Config& config) {
  std::string query;
  for (const std::string& a : inv.args) query += (query.empty() ? "" : " ") + a;
  Result<Workspace> ws = open_workspace(config, false, true);
  if (!ws) {
    std::cerr << "podcastd: " << ws.error().message << "\n";
    return kExitFailure;
  }
  std::vector<catalog::SearchHit> hits = ws->catalog->search(query, 50);
  if (inv.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const catalog::SearchHit& h : hits) {
      out.push_back({{"show", h.show},
                     {"key", h.key},
                     {"guid", h.guid},
                     {"title", h.title},
                     {"snippet", h.snippet},
                     {"rank", h.rank}});
    }
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  if (hits.empty()) {
    std::cout << "no matches for '" << query << "'\n";
    return kExitOk;
  }
  for (const catalog::SearchHit& h : hits) {
    std::cout << h.show << "  " << h.title << "\n    " << text::collapse_whitespace(h.snippet)
              << "\n";
  }
  return kExitOk;
}

}  // namespace podcastd::daemon
