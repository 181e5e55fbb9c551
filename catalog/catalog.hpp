#pragma once
// The catalog: podcastd's SQLite store of shows, sources, episodes (with enclosures,
// chapters, links, persons, transcripts), publish history, link checks and the notification
// outbox, with FTS5 over titles, notes and transcripts (DESIGN.md "Catalog").
//
// One Catalog object owns one connection. A read-write Catalog is the single writer of its
// file; open others read-only. Not thread-safe: use each Catalog from one thread at a time
// (the daemon keeps the writer on one thread). SQLite failures throw (SQLite::Exception,
// derived from std::runtime_error) — callers catch per batch (STYLE.md D).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.hpp"

namespace podcastd::catalog {

// A content file as last seen by ingest.
struct SourceRecord {
  std::string path;  // content-relative
  std::string show;  // slug of the show it belongs to
  std::string kind;  // classify_source() name: markdown, text_page, audio, vtt, ...
  std::int64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::string hash;         // hex64 content fingerprint
  std::string episode_key;  // the episode it contributes to ("" for show-level files)
  std::string error;        // last error, "PATH:LINE: reason"; "" when it parsed
  std::vector<Diagnostic> warnings;
  UnixTime checked_at = 0;
  bool operator==(const SourceRecord&) const = default;
};

// What identity resolution needs to know about an episode row, live or removed.
struct EpisodeIdentity {
  std::string key;
  std::string guid;
  bool guid_explicit = false;
  std::string identity_hash;  // fingerprint of the primary source (rename detection)
  std::optional<UnixTime> date;
  std::string title;
  bool removed = false;  // tombstone: its sources are gone, the GUID is remembered
  std::optional<UnixTime> first_published;
  std::string error;           // latest source error while the last good version is kept
  std::string primary_source;  // first contributing file, for messages
  std::string content_hash;
};

// Light view of an episode for listings and publish planning.
struct EpisodeSummary {
  std::string show;
  std::string key;
  std::string guid;
  std::string title;
  std::optional<UnixTime> date;
  std::optional<UnixTime> publish_at;
  bool draft = false;
  bool has_audio = false;
  std::string content_hash;  // changes whenever anything about the episode changes
  std::string error;
  std::vector<std::string> sources;
  bool published_before = false;  // its GUID has been in a published feed
  EpisodeStatus status(UnixTime now) const;
  // The file findings and warnings name: the first contributing source, else the key.
  const std::string& source_file() const { return sources.empty() ? key : sources.front(); }
};

struct SearchHit {
  std::string show;
  std::string key;
  std::string guid;
  std::string title;
  std::string snippet;  // with the matches between [ and ]
  double rank = 0;      // bm25, lower is better
};

struct PublishRecord {
  std::string show;
  UnixTime at = 0;
  std::int64_t duration_ms = 0;
  bool ok = false;        // the feed was published (no validation errors)
  bool changed = false;   // feed bytes differed from the previous publish
  std::string feed_hash;  // hex64 of feed.xml; "" when not published
  std::int64_t feed_bytes = 0;
  int errors = 0;
  int warnings = 0;
  std::string report;  // validation report text
};

struct LinkCheck {
  std::string url;
  int status = 0;         // HTTP status; 0 when the request failed
  std::string final_url;  // after redirects
  std::string error;      // transport error, "" when a status came back
  UnixTime checked_at = 0;
  std::int64_t time_ms = 0;
};

// A notification in the outbox (WebSub ping, pubnotify, podping): written before sending.
struct OutboxItem {
  std::int64_t id = 0;
  std::string show;
  std::string channel;  // websub | pubnotify | podping
  std::string target;   // hub or endpoint URL
  std::string feed_url;
  std::string feed_hash;
  UnixTime created_at = 0;
  UnixTime next_attempt_at = 0;
  int attempts = 0;
  std::string last_error;
  std::string state;  // pending | delivered | failed
  std::optional<UnixTime> delivered_at;
};

// A file podcastd wrote below output_dir (and so may replace or remove; nothing else there
// is ever touched).
struct OutputRecord {
  std::string path;  // output-relative
  std::string show;
  std::string owner;        // episode key; "" for show-level files
  std::string source_hash;  // fingerprint of what it was made from
  std::string hash;         // fingerprint of its bytes
  bool operator==(const OutputRecord&) const = default;
};

class Catalog {
 public:
  enum class Mode { read_write, read_only };
  // The schema version this build writes; opening a newer file fails.
  static int latest_schema_version();
  // The SQL of migration `step` (version step -> step + 1); for the migration tests.
  static const char* migration_sql(int step);

  // Opens (creating in read_write mode) the catalog file, checks WAL mode, enables foreign
  // keys and migrates to the latest schema. Throws std::runtime_error naming the file when
  // the file cannot be opened, is newer than this build, or a migration fails.
  explicit Catalog(const std::filesystem::path& file, Mode mode = Mode::read_write);
  ~Catalog();
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  int schema_version() const;
  const std::filesystem::path& file() const;

  // An IMMEDIATE transaction: takes the write lock now; rolls back unless committed.
  class Transaction {
   public:
    explicit Transaction(Catalog& catalog);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

   private:
    Catalog& catalog_;
    bool done_ = false;
  };

  // Sources.
  std::vector<SourceRecord> sources() const;
  std::vector<SourceRecord> sources_of_show(std::string_view show) const;
  std::optional<SourceRecord> source(std::string_view path) const;
  // Sources whose path starts with `prefix` (a range scan on the primary key).
  std::vector<SourceRecord> sources_with_prefix(std::string_view prefix) const;
  // Sources of a show that belong to episode `key` (claims across folders included).
  std::vector<SourceRecord> sources_of_episode(std::string_view show, std::string_view key) const;
  // show.toml and show pages of a show.
  std::vector<SourceRecord> show_level_sources(std::string_view show) const;
  void put_source(const SourceRecord& source);
  void delete_source(std::string_view path);

  // Shows. put_show upserts by slug; the podcast:guid memory is separate (set once).
  std::vector<Show> shows() const;
  std::optional<Show> show(std::string_view slug) const;
  void put_show(const Show& show);
  // Removes a show whose folder is gone; its episodes stay as tombstones (GUID memory).
  void remove_show(std::string_view slug);
  std::string remembered_podcast_guid(std::string_view slug) const;
  // Stores the show's podcast:guid unless one is already remembered; returns the one kept.
  std::string remember_podcast_guid(std::string_view slug, std::string_view guid);

  // Episodes. put_episode upserts by (show, key), replaces its children and FTS entry, and
  // clears a tombstone. `identity_hash` fingerprints the primary source; `content_hash` is
  // hex64(fingerprint(episode)), computed here when the caller has not.
  void put_episode(const Episode& episode, std::string_view identity_hash,
                   std::string_view content_hash = {});
  // Moves an episode row (live or removed) to a new key: a rename keeps the GUID.
  void rekey_episode(std::string_view show, std::string_view old_key, std::string_view new_key);
  // Marks an episode removed (its sources are gone); the GUID stays remembered.
  void tombstone_episode(std::string_view show, std::string_view key, UnixTime at);
  // Records (or clears, with "") the latest source error of an episode that keeps its last
  // good version.
  void set_episode_error(std::string_view show, std::string_view key, std::string_view error);
  std::vector<EpisodeIdentity> identities(std::string_view show) const;
  std::optional<EpisodeIdentity> identity(std::string_view show, std::string_view key) const;
  std::optional<EpisodeIdentity> identity_by_guid(std::string_view show,
                                                  std::string_view guid) const;
  // Tombstones only.
  std::vector<EpisodeIdentity> removed_identities(std::string_view show) const;
  // Keys of the live (not removed) episodes of a show, in order.
  std::vector<std::string> live_episode_keys(std::string_view show) const;
  // Live episodes of a show with all children, in key order.
  std::vector<Episode> episodes(std::string_view show) const;
  std::optional<Episode> episode(std::string_view show, std::string_view key) const;
  std::vector<EpisodeSummary> summaries(std::string_view show) const;
  std::string content_hash(std::string_view show, std::string_view key) const;
  void mark_published(std::string_view show, const std::vector<std::string>& guids, UnixTime at);

  // Full-text search over titles, notes and transcripts (FTS5). The query is words (and
  // "quoted phrases"); FTS operators in user input are treated as words.
  std::vector<SearchHit> search(std::string_view query, int limit = 20) const;

  // Publish history.
  void record_publish(const PublishRecord& record);
  std::vector<PublishRecord> publish_history(std::string_view show, int limit = 20) const;
  std::optional<PublishRecord> last_successful_publish(std::string_view show) const;

  // Link checks (kept across re-ingests, keyed by URL).
  void put_link_check(const LinkCheck& check);
  std::optional<LinkCheck> link_check(std::string_view url) const;
  // Every distinct link URL of a show's live episodes (or all shows when show is "").
  std::vector<Link> links(std::string_view show) const;

  // Outbox.
  std::int64_t enqueue(const OutboxItem& item);
  std::vector<OutboxItem> pending_outbox() const;  // by next_attempt_at, then id
  std::optional<OutboxItem> pending_outbox_item(std::int64_t id) const;
  void update_outbox(const OutboxItem& item);
  int outbox_depth() const;

  // Files written below output_dir.
  std::vector<OutputRecord> outputs(std::string_view show) const;
  void put_output(const OutputRecord& record);
  void delete_output(std::string_view path);

  // Generic key/value state (e.g. the last feed bytes' hash per show).
  std::optional<std::string> state(std::string_view key) const;
  void set_state(std::string_view key, std::string_view value);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace podcastd::catalog
