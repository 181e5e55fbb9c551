#pragma once
// Incremental ingest: content directory -> catalog. A full scan compares every file's size
// and mtime (and its content hash when only the mtime moved) with the catalog and re-parses
// only the episodes whose files changed; a batch of changed paths (the daemon's watcher)
// touches only their folders. Each pass is one IMMEDIATE transaction.
//
// Identity: an episode keeps its GUID through renames, moves, retitles and catalog rebuilds
// (an explicit `guid` wins; otherwise it is derived from the show and the episode's date, or
// its file stem when it has no date, and remembered; removed episodes stay as tombstones so
// their GUIDs are never lost).
//
// Bad input never stops a pass: each broken source is recorded with "PATH:LINE: reason", its
// episode keeps its last good version, and the rest of the show is ingested.
//
// An Ingestor is used from one thread (the catalog's). It keeps no state between passes
// besides the catalog itself.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "catalog/catalog.hpp"
#include "catalog/model.hpp"

namespace podcastd::catalog {

struct IngestOptions {
  // Text sources (notes, pages, transcripts, chapters, show.toml) larger than this are
  // refused; audio is read by its headers and has no limit.
  std::int64_t max_source_bytes = 10 * 1024 * 1024;
  // The clock for tombstones and first-seen times.
  std::function<UnixTime()> clock;
  // Keep the episodes each pass writes, for take_written() (a publish right after renders
  // them instead of reading them back).
  bool keep_written = false;
};

// An episode as a pass wrote it to the catalog, with the content hash written with it.
struct WrittenEpisode {
  std::string content_hash;
  Episode episode;
};

struct IngestReport {
  int files = 0;             // source files looked at
  int parsed = 0;            // files read and parsed
  int episodes_written = 0;  // episodes inserted or updated
  int episodes_removed = 0;  // episodes tombstoned
  int errors = 0;
  int warnings = 0;
  std::vector<Diagnostic> diagnostics;  // this pass's errors and warnings, in path order
  std::set<std::string> changed_shows;  // shows whose catalog content changed
  std::chrono::microseconds elapsed{0};
};

class Ingestor {
 public:
  Ingestor(Catalog& catalog, std::filesystem::path content_dir, IngestOptions options = {});

  // Full scan of the content directory. Throws only what the catalog throws (the caller
  // catches per batch: the transaction rolls back).
  IngestReport scan();

  // Ingests a batch of changed paths (absolute, or relative to the content dir): files
  // created, written, moved or deleted, and folders created, moved or deleted. Only their
  // folders are listed; an unknown show triggers a full scan of it.
  IngestReport ingest_paths(const std::vector<std::filesystem::path>& paths);

  // With IngestOptions::keep_written: the episodes written by the passes since the last call,
  // by show, as committed (a pass that throws keeps none). Each equals what the catalog
  // gives back for it as long as the catalog holds it with the same content hash.
  std::unordered_map<std::string, std::vector<WrittenEpisode>> take_written() {
    return std::move(written_);
  }

 private:
  using SourceRows = std::unordered_map<std::string, SourceRecord>;  // path -> row
  Catalog& catalog_;
  std::filesystem::path content_dir_;
  IngestOptions options_;
  // Each show's source rows as the catalog holds them after the last committed pass, so a
  // full scan (every `republish`) does not read 10,000 rows back. Every pass through this
  // Ingestor updates it after its commit; a pass that fails drops what it touched. The
  // catalog's sources are written only through an Ingestor, and one Ingestor per catalog
  // writes (the daemon's, or a command's under the lock).
  std::unordered_map<std::string, SourceRows> sources_;
  std::unordered_map<std::string, std::vector<WrittenEpisode>> written_;  // by show

  // Adds the episodes of committed passes to written_ (a later write of a key wins).
  void add_written(std::vector<std::pair<std::string, std::vector<WrittenEpisode>>> passes);
};

// The GUID podcastd derives for an episode without an explicit one: UUIDv5 (in podcastd's
// namespace) of the show slug and the episode's date (RFC 3339), or of its key when it has no
// date; `disambiguate` adds the key (two episodes with the same date).
std::string derive_episode_guid(std::string_view show_slug, const Episode& episode,
                                bool disambiguate);

}  // namespace podcastd::catalog
