#include "daemon/publish_run.hpp"

#include <nlohmann/json.hpp>

#include <set>

#include "catalog/model_json.hpp"

#ifndef PODCASTD_VERSION
#define PODCASTD_VERSION "0.0.0"
#endif

namespace podcastd::daemon {

feeds::PublishOptions publish_options(const Config& config) {
  feeds::PublishOptions o;
  o.content_dir = config.content_dir;
  o.output_dir = config.output_dir;
  o.public_url = config.public_url;
  o.hubs = config.notify.websub_hubs;
  o.uses_podping = !config.notify.podping_url.empty();
  o.generator = std::string("podcastd ") + PODCASTD_VERSION;
  o.cache_dir = config.state_dir / "publish-cache";
  return o;
}

catalog::IngestOptions ingest_options(const Config& config, bool keep_written) {
  catalog::IngestOptions o;
  o.max_source_bytes = config.catalog.max_source_bytes;
  o.keep_written = keep_written;
  return o;
}

bool PublishRun::ok() const {
  if (!errors.empty() || ingest.errors > 0) return false;
  for (const feeds::PublishResult& r : results) {
    if (!r.ok()) return false;
  }
  return true;
}

std::string PublishRun::to_text() const {
  std::string out;
  for (const catalog::Diagnostic& d : ingest.diagnostics) out += d.to_string() + "\n";
  for (const std::string& e : errors) out += "error: " + e + "\n";
  for (const feeds::PublishResult& r : results) {
    for (const catalog::Diagnostic& d : r.kept_out) out += d.to_string() + "\n";
    for (const feeds::Finding& f : r.report.findings) {
      if (f.severity != feeds::Severity::info) out += f.to_string() + "\n";
    }
    for (const std::string& e : r.errors) out += "error: " + e + "\n";
    if (r.published) {
      out += r.show + ": published " + std::to_string(r.items) + " item" +
             (r.items == 1 ? "" : "s") + (r.changed ? " (feed changed)" : " (feed unchanged)") +
             ": " + r.feed_url + "\n";
    } else {
      out += r.show + ": NOT published (" + std::to_string(r.report.errors()) +
             " validation error" + (r.report.errors() == 1 ? "" : "s") +
             (r.errors.empty() ? "" : ", " + std::to_string(r.errors.size()) + " other error") +
             "); the last good feed stays\n";
    }
  }
  return out;
}

std::string PublishRun::to_json() const {
  nlohmann::json j;
  j["ok"] = ok();
  j["ingest"] = {{"files", ingest.files},
                 {"parsed", ingest.parsed},
                 {"episodes_written", ingest.episodes_written},
                 {"episodes_removed", ingest.episodes_removed},
                 {"errors", ingest.errors},
                 {"warnings", ingest.warnings},
                 {"diagnostics", ingest.diagnostics},
                 {"elapsed_ms", ingest.elapsed.count() / 1000.0}};
  j["errors"] = errors;
  nlohmann::json shows = nlohmann::json::array();
  for (const feeds::PublishResult& r : results) {
    shows.push_back({{"show", r.show},
                     {"published", r.published},
                     {"changed", r.changed},
                     {"feed_url", r.feed_url},
                     {"feed_hash", r.feed_hash},
                     {"items", r.items},
                     {"items_rendered", r.items_rendered},
                     {"files_written", r.files_written},
                     {"files_removed", r.files_removed},
                     {"validation", nlohmann::json::parse(r.report.to_json())},
                     {"kept_out", r.kept_out},
                     {"errors", r.errors},
                     {"elapsed_ms", r.elapsed.count() / 1000.0},
                     {"phases_ms", nlohmann::json(r.phases_ms)}});
  }
  j["shows"] = std::move(shows);
  return j.dump();
}

PublishRun publish_shows(
    catalog::Catalog& catalog, feeds::Publisher& publisher, catalog::IngestReport ingest,
    const std::vector<std::string>& shows, bool only_changed,
    std::unordered_map<std::string, std::vector<catalog::WrittenEpisode>> written) {
  PublishRun run;
  run.ingest = std::move(ingest);
  std::set<std::string> known;
  for (const catalog::Show& s : catalog.shows()) known.insert(s.slug);
  std::vector<std::string> targets;
  if (!shows.empty()) {
    for (const std::string& s : shows) {
      if (known.count(s)) {
        targets.push_back(s);
      } else {
        run.errors.push_back("no show '" + s + "' in the content dir");
      }
    }
  } else if (only_changed) {
    for (const std::string& s : run.ingest.changed_shows) {
      if (known.count(s)) targets.push_back(s);
    }
  } else {
    targets.assign(known.begin(), known.end());
  }
  for (const std::string& s : targets) {
    auto w = written.find(s);
    run.results.push_back(publisher.publish(
        s, w == written.end() ? std::vector<catalog::WrittenEpisode>() : std::move(w->second)));
  }
  return run;
}

}  // namespace podcastd::daemon
