#pragma once
// Publishing one show: catalog -> media links, transcript and chapter files, feed.xml and
// feed.xml.gz below output_dir, validated before they go live (DESIGN.md "Output").
//
// Order of work, so a crash at any moment leaves a valid site: new media and companion files
// first (atomic, additive), then the feed is rendered and validated; a feed with errors is
// not published (the last good one stays, the report is recorded in the publish history);
// otherwise feed.xml.gz and feed.xml are replaced atomically, and only then are files of
// removed episodes deleted. Only files podcastd recorded as its own (the catalog's outputs
// table) are ever replaced or deleted. A republish with nothing changed writes nothing.
//
// A Publisher keeps rendered item fragments (and their compressed form) between calls, so in
// the daemon a one-episode change re-renders one item; with a cache_dir, save_cache() keeps
// them on disk for the next process (`podcastd republish` without a daemon). It uses its
// Catalog from the calling thread only: one thread at a time.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "catalog/catalog.hpp"
#include "catalog/ingest.hpp"
#include "catalog/result.hpp"
#include "feeds/publish_cache.hpp"
#include "feeds/validator.hpp"

namespace podcastd::feeds {

struct PublishOptions {
  std::filesystem::path content_dir;
  std::filesystem::path output_dir;
  std::string public_url;  // where output_dir is served, no trailing slash
  std::vector<std::string> hubs;
  bool uses_podping = false;
  std::string generator = "podcastd";
  std::function<catalog::UnixTime()> clock;  // default: system clock
  // Where rendered items are kept between processes (state_dir/publish-cache; see
  // publish_cache.hpp), with a "SHOW.clean" mark while no publish of SHOW is under way, which
  // spares the next process the search for temporaries a crash left in output_dir. "" keeps
  // nothing on disk.
  std::filesystem::path cache_dir;
  // Save the cache at the end of each publish (one-shot commands; part of the work is done on
  // a thread during the publish). The daemon leaves it off and calls save_cache() on exit.
  bool save_cache_after_publish = false;
  // Keep the published feed's bytes in PublishResult::feed_xml (the daemon serves them). A
  // one-shot command turns it off: the feed is then written from its pieces, never copied
  // into one buffer, and feed_xml is null.
  bool keep_feed_bytes = true;
};

struct PublishResult {
  std::string show;
  bool published = false;  // a valid feed is in place (written now or unchanged)
  bool changed = false;    // feed.xml's bytes changed: notify directories
  std::string feed_url;
  std::string feed_hash;                        // hex64 of feed.xml
  std::shared_ptr<const std::string> feed_xml;  // the published bytes (keep_feed_bytes)
  std::shared_ptr<const std::string> feed_gzip;
  ValidationReport report;
  std::vector<std::string> errors;            // I/O and other non-validation failures
  std::vector<catalog::Diagnostic> kept_out;  // drafts, scheduled, no audio (warnings)
  int items = 0;
  int items_rendered = 0;  // rendered in this publish; the others came from the cache
  int files_written = 0;
  int files_removed = 0;
  std::optional<catalog::UnixTime> next_scheduled;  // earliest future publish_at
  std::chrono::microseconds elapsed{0};
  // Where the time went, in order ("prepare": outputs and cache read, "select", "load",
  // "render", "validate", "files", "gzip", "feed", "cleanup", ...): in
  // `podcastd republish --json`, for operators and benchmarks.
  std::vector<std::pair<std::string, double>> phases_ms;

  bool ok() const { return published && errors.empty(); }
};

// Replaces the APL-W14 warnings for URLs below an http: `public_url` (every URL of ours) by
// one warning saying so; other findings are untouched.
// `already` counts such warnings removed before (the publisher drops them from each cached
// item check, so a 10,000-item feed does not copy 20,000 findings per publish).
void summarize_http_urls(ValidationReport& report, std::string_view public_url,
                         std::size_t already = 0);
// Removes the APL-W14 findings summarize_http_urls() would summarize; returns how many.
std::size_t drop_http_url_findings(std::vector<Finding>& findings, std::string_view public_url);

// Keeps the first info finding of each rule, noting how many more there were: a 10,000-item
// feed repeats the same hint per item, which helps nobody and bloats stored reports.
// `dropped` counts info findings per rule removed before (the publisher keeps only the first
// item's of each rule when it assembles the report); they count as "more like it".
void condense_repeated_info(ValidationReport& report,
                            const std::map<std::string, int>& dropped = {});

class Publisher {
 public:
  Publisher(catalog::Catalog& catalog, PublishOptions options);
  ~Publisher();
  Publisher(const Publisher&) = delete;
  Publisher& operator=(const Publisher&) = delete;

  // Publishes one show from the catalog's current content. Catalog exceptions propagate.
  // `written`: episodes of the show the caller's ingest has just written
  // (Ingestor::take_written), rendered from instead of read back, each only while the catalog
  // holds it with the content hash it came with.
  PublishResult publish(std::string_view show, std::vector<catalog::WrittenEpisode> written = {});

  // Starts reading the cache files of `shows` (all shows with one when empty) from cache_dir
  // on another thread, to overlap the caller's scan; publish() waits for it and takes what it
  // needs.
  void preload_cache(std::vector<std::string> shows = {});

  // Writes the rendered items of each show whose published feed they made, and that changed
  // since they were last read or written, to cache_dir (nothing without one). The first error.
  Status save_cache();

  // Forgets cached fragments (all shows, or one).
  void invalidate(std::string_view show = "");
  // Replaces the options (SIGHUP); caches are dropped when URLs change.
  void set_options(PublishOptions options);

 private:
  struct State;
  catalog::Catalog& catalog_;
  PublishOptions options_;
  std::unordered_map<std::string, std::unique_ptr<State>> states_;
  std::future<std::map<std::string, SavedPublishCache>> preloading_;
  std::map<std::string, SavedPublishCache> preloaded_;  // read, not yet taken by publish()
};

}  // namespace podcastd::feeds
