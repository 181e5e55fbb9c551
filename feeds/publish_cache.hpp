#pragma once
// The Publisher's rendered items, kept on disk between processes (state_dir/publish-cache/),
// so `podcastd republish` without a daemon re-renders only what changed, as the daemon does
// with the same items in memory.
//
// The file is a cache, never a source of truth: it is written to a temporary and renamed
// (no fsync: a file torn by a crash fails its checksum and is ignored), and it is used only
// when it was saved for what the catalog says is published now (the feed's hash and a digest
// of every output file recorded, so files written later by another process, even for a feed
// of the same bytes, void it), the same output_dir and public_url, by this build's format.
// Anything else means one full render.
//
// Layout: "PDPC" magic, format version (u32), payload size (u64), hash64 of the payload (u64),
// then the payload: the channel key, the folder names, each item, and the key (feed hash,
// outputs digest, output_dir, public_url). A delta ("PDPD") holds its base's payload hash, the
// key, the channel key, the folder names when they changed, the keys of dropped items and the
// re-rendered items. Integers little-endian, strings as u32 length + bytes.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "catalog/result.hpp"
#include "feeds/gzip.hpp"
#include "feeds/rss.hpp"
#include "feeds/validator.hpp"

namespace podcastd::feeds {

// One rendered feed item and what the publisher derived from it.
struct CachedItem {
  // What it was rendered from: the episode's content hash and its folder name (which holds its
  // companion files' URLs).
  std::string content_hash;
  std::string folder;
  std::string guid;
  SharedText fragment;
  std::uint64_t fragment_hash = 0;
  DeflateSegment segment;           // compressed with the preceding bytes as dictionary...
  std::uint64_t segment_after = 0;  // ...which hashed to this (0: not compressed yet)
  std::optional<TrailerRef> trailer;
  bool psc = false;  // the fragment carries psc:chapters (xmlns:psc on <rss>)
  ItemResult check;  // the validator's verdict on the fragment alone, without its info
                     // findings...
  // ...which are here, each with its place among all of them (reported once per rule per
  // feed, in the validator's order).
  std::vector<std::pair<std::size_t, Finding>> info;
  std::size_t http_urls = 0;    // APL-W14 findings for our http: URLs, dropped from `check`
  std::set<std::string> files;  // output paths the fragment references (media, companions)
};

// A show's rendered items and the context they were rendered in.
struct PublishCache {
  std::string channel_key;                             // channel context they depend on
  std::unordered_map<std::string, CachedItem> items;   // episode key -> rendered item
  std::unordered_map<std::string, std::string> slugs;  // episode key -> folder name
  std::optional<std::uint64_t> slugs_keys_hash;        // of the feed's keys, in order
};

// What a saved cache must match to be used.
struct PublishCacheKey {
  std::string feed_hash;             // hex64 of the feed.xml published with these items
  std::uint64_t outputs_digest = 0;  // outputs_digest() of the show's recorded outputs
  std::string output_dir;
  std::string public_url;
  bool operator==(const PublishCacheKey&) const = default;
};

inline constexpr std::uint32_t kPublishCacheVersion = 2;

// An order-independent digest of (path, hash) pairs: equal for the same set of records.
class OutputsDigest {
 public:
  void add(std::string_view path, std::string_view hash);
  std::uint64_t value() const { return sum_; }

 private:
  std::uint64_t sum_ = 0;
};

// A show's cache is two files: SHOW.items (the base: every item) and SHOW.delta (the items
// rendered and dropped since, with the new key), so a publish that re-rendered one item
// writes a few kilobytes instead of the whole cache. These are the changes since the base.
struct PublishCacheChanges {
  std::uint64_t base_id = 0;      // the base file on disk (its payload hash); 0: none usable
  std::set<std::string> changed;  // episode keys rendered since
  std::set<std::string> removed;  // episode keys dropped since
  bool slugs_changed = false;

  void rendered(const std::string& key) {
    removed.erase(key);
    changed.insert(key);
  }
  void dropped(const std::string& key) {
    changed.erase(key);
    removed.insert(key);
  }
};

// What a show's cache files hold.
struct SavedPublishCache {
  PublishCacheKey key;
  PublishCache cache;
  PublishCacheChanges changes;  // those of the delta file, applied to `cache`
};

// The base file's bytes, and a delta file's (on top of the base with id changes.base_id).
std::string encode_publish_cache_base(const PublishCacheKey& key, const PublishCache& cache);
std::string encode_publish_cache_delta(const PublishCacheKey& key, const PublishCache& cache,
                                       const PublishCacheChanges& changes);
// A base and its delta ("" for none; a delta made for another base is ignored). nullopt when
// the base is not a whole cache of this version: a short, corrupt or foreign file decodes to
// nullopt, never to a partial cache. The caller compares the key with its own.
std::optional<SavedPublishCache> decode_publish_cache(std::string_view base,
                                                      std::string_view delta = {});

// A base (or delta) file around any payload, with a valid header: lets tests and the fuzzer
// reach the payload decoder past the checksum.
std::string seal_publish_cache_file(std::string_view payload, bool delta);

// A new base file in two steps, for a caller that has its items before it knows the key (the
// publisher writes them on a thread while it finishes the publish): start() encodes the
// channel key and folder names of `context` (not its items) and `items` into a temporary in
// `dir`; finish() appends the key, completes the header, removes the delta and renames the
// base into place. Destroyed unfinished, it removes its temporary.
using PublishCacheEntry = std::pair<std::string, const CachedItem*>;  // episode key, item
class PendingPublishCacheBase {
 public:
  static Result<PendingPublishCacheBase> start(const std::filesystem::path& dir,
                                               std::string_view show, const PublishCache& context,
                                               const std::vector<PublishCacheEntry>& items);
  // Resets `changes` to the new base.
  Status finish(const PublishCacheKey& key, PublishCacheChanges& changes);

  PendingPublishCacheBase(PendingPublishCacheBase&&) noexcept;
  PendingPublishCacheBase& operator=(PendingPublishCacheBase&&) noexcept;
  ~PendingPublishCacheBase();

 private:
  struct File;
  explicit PendingPublishCacheBase(std::unique_ptr<File> file);
  std::unique_ptr<File> file_;
};

// Reads dir/SHOW.items and dir/SHOW.delta; nullopt when missing or unusable.
std::optional<SavedPublishCache> read_publish_cache(const std::filesystem::path& dir,
                                                    std::string_view show);
// Writes SHOW.delta with `changes`, or, when there is no base yet or the changes reach a
// quarter of the items, a new SHOW.items (and removes SHOW.delta); `changes` then describes
// what is on disk. Temporary + rename, folders created, not synced.
Status write_publish_cache(const std::filesystem::path& dir, std::string_view show,
                           const PublishCacheKey& key, const PublishCache& cache,
                           PublishCacheChanges& changes);
// Whether write_publish_cache() would write a new base.
bool publish_cache_needs_base(const PublishCache& cache, const PublishCacheChanges& changes);

}  // namespace podcastd::feeds
