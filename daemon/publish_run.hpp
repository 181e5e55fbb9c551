#pragma once
// One "scan, ingest, render, validate, publish" run, shared by `podcastd republish` (in
// process, under the state lock) and the daemon's worker thread. Synchronous; uses the given
// Catalog from the calling thread.

#include <string>
#include <unordered_map>
#include <vector>

#include "catalog/catalog.hpp"
#include "catalog/ingest.hpp"
#include "daemon/config.hpp"
#include "feeds/publisher.hpp"

namespace podcastd::daemon {

feeds::PublishOptions publish_options(const Config& config);
// `keep_written`: for an Ingestor whose writes are published right after (publish_shows).
catalog::IngestOptions ingest_options(const Config& config, bool keep_written = false);

struct PublishRun {
  catalog::IngestReport ingest;
  std::vector<feeds::PublishResult> results;
  std::vector<std::string> errors;  // e.g. an unknown show named on the command line

  // True when every requested show published and no source had an error.
  bool ok() const;
  // Human-readable lines: ingest diagnostics, then one block per show.
  std::string to_text() const;
  std::string to_json() const;
};

// Publishes `shows` (all shows when empty, or only those whose content changed when
// `only_changed`) after the ingest described by `ingest` has run. `written` is what that
// ingest wrote (Ingestor::take_written): the publishes render from it instead of reading it
// back; what they do not publish is dropped.
PublishRun publish_shows(
    catalog::Catalog& catalog, feeds::Publisher& publisher, catalog::IngestReport ingest,
    const std::vector<std::string>& shows, bool only_changed,
    std::unordered_map<std::string, std::vector<catalog::WrittenEpisode>> written = {});

}  // namespace podcastd::daemon
