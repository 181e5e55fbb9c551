#include "feeds/publisher.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <deque>
#include <exception>
#include <future>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string_view>
#include <unordered_set>

#include "catalog/audio_probe.hpp"
#include "catalog/hash.hpp"
#include "catalog/model_json.hpp"
#include "catalog/text.hpp"
#include "catalog/time.hpp"
#include "feeds/atomic_file.hpp"
#include "feeds/gzip.hpp"
#include "feeds/layout.hpp"
#include "feeds/publish_cache.hpp"
#include "feeds/rss.hpp"
#include "feeds/transcripts.hpp"

namespace podcastd::feeds {
namespace {

namespace fs = std::filesystem;
using catalog::Diagnostic;
using catalog::Episode;
using catalog::EpisodeSummary;
using catalog::OutputRecord;
using catalog::UnixTime;

UnixTime system_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string hex_hash(std::string_view data) { return hash::hex64(hash::hash64(data)); }

// Publishable at `now`: not a draft, not scheduled later, has audio. An episode whose latest
// edit failed to parse is still published in its last good version.
bool publishable(const EpisodeSummary& s, UnixTime now) {
  return !s.draft && !(s.publish_at && *s.publish_at > now) && s.has_audio;
}

int transcript_rank(const catalog::Transcript& t) {
  if (t.timed()) {
    switch (t.format) {
      case catalog::TranscriptFormat::json:
        return 0;
      case catalog::TranscriptFormat::vtt:
        return 1;
      case catalog::TranscriptFormat::srt:
        return 2;
      default:
        return 3;
    }
  }
  return t.format == catalog::TranscriptFormat::text ? 4 : 5;
}

// Takes a show's clean mark away for its lifetime: the show's temporaries (in output_dir and
// cache_dir) may be left by a crash meanwhile. Marks it again when it goes, by return or
// throw, once whatever made temporaries has removed them. An empty path does nothing.
class Unmarked {
 public:
  explicit Unmarked(fs::path mark) : mark_(std::move(mark)) {
    if (!mark_.empty()) ::unlink(mark_.c_str());
  }
  ~Unmarked() {
    if (mark_.empty()) return;
    int fd = ::open(mark_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0 && errno == ENOENT) {
      std::error_code ec;
      fs::create_directories(mark_.parent_path(), ec);
      fd = ::open(mark_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    }
    if (fd >= 0) ::close(fd);
  }
  Unmarked(const Unmarked&) = delete;
  Unmarked& operator=(const Unmarked&) = delete;

 private:
  fs::path mark_;
};

fs::path clean_mark_of(const fs::path& cache_dir, const std::string& slug) {
  return cache_dir / (slug + ".clean");
}

// A show's saved items, or nullopt: a cache that cannot be read (even for want of memory)
// costs a full render, never the publish.
std::optional<SavedPublishCache> read_cache_quietly(const fs::path& dir, const std::string& slug) {
  try {
    return read_publish_cache(dir, slug);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// A show slug that can name its files in cache_dir.
bool cacheable_slug(std::string_view slug) {
  return !slug.empty() && slug[0] != '.' && slug.find('/') == std::string_view::npos;
}

std::uint64_t digest_of(const std::unordered_map<std::string, OutputRecord>& outputs) {
  OutputsDigest digest;
  for (const auto& [path, record] : outputs) digest.add(path, record.hash);
  return digest.value();
}

// What a show's saved items are valid for: the feed they made, its outputs, where they went.
PublishCacheKey cache_key_of(const PublishOptions& options, std::string feed_hash,
                             const std::unordered_map<std::string, OutputRecord>& outputs) {
  return {std::move(feed_hash), digest_of(outputs), options.output_dir.string(),
          options.public_url};
}

// The catalog's state row with the hash of a show's published feed.
std::string feed_hash_state_key(const std::string& slug) { return "feed_hash:" + slug; }

// The new episode folders of a bulk publish, made on a thread while the publish renders,
// instead of by the writer thread while the renderer waits for it: a folder costs ~26 µs of
// kernel time (ext4 spreads them over the disk's block groups), 10,000 of them a quarter of a
// second. The writer makes any that is still missing itself; the destructor waits.
class FolderMaker {
 public:
  explicit FolderMaker(std::vector<std::string> folders) : folders_(std::move(folders)) {
    if (folders_.empty()) return;
    making_ = std::async(std::launch::async, [this] {
      std::error_code ec;
      fs::create_directories(fs::path(folders_.front()).parent_path(), ec);
      for (const std::string& dir : folders_) ::mkdir(dir.c_str(), 0755);
    });
  }
  FolderMaker(const FolderMaker&) = delete;
  FolderMaker& operator=(const FolderMaker&) = delete;
  ~FolderMaker() {
    if (making_.valid()) making_.wait();
  }

 private:
  std::vector<std::string> folders_;  // absolute
  std::future<void> making_;          // last: its thread reads folders_
};

// Moves the episodes of `written` that are among `misses` and that the catalog holds with the
// same content hash (as it gives them back) into `loaded`: a cold publish reads none back.
void take_written(std::vector<catalog::WrittenEpisode>& written,
                  const std::vector<const EpisodeSummary*>& misses,
                  std::unordered_map<std::string, Episode>& loaded) {
  if (written.empty()) return;
  std::unordered_map<std::string_view, const EpisodeSummary*> missing;
  missing.reserve(misses.size());
  for (const EpisodeSummary* s : misses) missing.emplace(s->key, s);
  for (catalog::WrittenEpisode& w : written) {
    auto m = missing.find(w.episode.key);
    if (m != missing.end() && m->second->content_hash == w.content_hash) {
      std::string key = w.episode.key;
      loaded.insert_or_assign(std::move(key), std::move(w.episode));
    }
  }
}

// Whether rendering `e` writes files into its episode folder: chapters, or a transcript with
// cues (one without is not published).
bool writes_companions(const Episode& e) {
  return !e.chapters.empty() ||
         std::any_of(e.transcripts.begin(), e.transcripts.end(),
                     [](const catalog::Transcript& t) { return !t.segments.empty(); });
}

// Above this many items to render, the episodes are loaded in one query, and their new
// folders are made ahead (FolderMaker).
constexpr std::size_t kBulkRender = 16;
constexpr int kGzipLevel = 6;
// From this many items to compress (a first publish), two threads compress them.
constexpr std::size_t kParallelDeflateItems = 512;
constexpr std::size_t kW3cFeedLimit = 5'000'000;
constexpr std::size_t kHardFeedLimit = 25'000'000;

}  // namespace

std::size_t drop_http_url_findings(std::vector<Finding>& findings, std::string_view public_url) {
  if (!text::istarts_with_ascii(public_url, "http://")) return 0;
  std::size_t before = findings.size();
  std::string prefix = "'" + std::string(public_url) + "/";
  std::erase_if(findings, [&prefix](const Finding& x) {
    return x.rule == "APL-W14" && x.message.find(prefix) != std::string::npos;
  });
  return before - findings.size();
}

void summarize_http_urls(ValidationReport& report, std::string_view public_url,
                         std::size_t already) {
  std::size_t dropped = already + drop_http_url_findings(report.findings, public_url);
  if (dropped == 0) return;
  Finding summary;
  summary.severity = Severity::warning;
  summary.rule = "APL-W14";
  summary.element = "rss/channel";
  summary.message = "public_url '" + std::string(public_url) +
                    "' is http: " + std::to_string(dropped) +
                    " URLs in the feed are not https (Apple and the podcast namespace expect "
                    "https)";
  report.findings.insert(report.findings.begin(), std::move(summary));
}

void condense_repeated_info(ValidationReport& report, const std::map<std::string, int>& dropped) {
  std::map<std::string, int> seen = dropped;
  std::vector<Finding> kept;
  kept.reserve(report.findings.size());
  std::set<std::string> first_kept;
  for (Finding& f : report.findings) {
    if (f.severity == Severity::info) {
      ++seen[f.rule];
      if (!first_kept.insert(f.rule).second) continue;
    }
    kept.push_back(std::move(f));
  }
  for (Finding& f : kept) {
    if (f.severity != Severity::info) continue;
    int n = seen[f.rule];
    if (n > 1) f.message += " (and " + std::to_string(n - 1) + " more like it)";
  }
  report.findings = std::move(kept);
}

// A show's rendered items (PublishCache, also kept on disk) and what this process knows of
// its outputs.
struct Publisher::State : PublishCache {
  using Item = CachedItem;
  bool loaded = false;
  std::unordered_map<std::string, OutputRecord> outputs;  // path -> record
  std::string published_hash;   // hex64 of the feed the items made ("" until one is published)
  bool unsaved = false;         // items changed since last read or written in cache_dir
  PublishCacheChanges changes;  // since the base file in cache_dir
  // Drops a cached item (recorded for the cache's delta).
  void drop(const std::string& key) {
    if (items.erase(key) > 0) changes.dropped(key);
  }
};

Publisher::Publisher(catalog::Catalog& catalog, PublishOptions options)
    : catalog_(catalog), options_(std::move(options)) {
  if (!options_.clock) options_.clock = system_now;
}

Publisher::~Publisher() = default;

void Publisher::preload_cache(std::vector<std::string> shows) {
  if (options_.cache_dir.empty() || preloading_.valid()) return;
  preloading_ =
      std::async(std::launch::async, [dir = options_.cache_dir, shows = std::move(shows)] {
        std::vector<std::string> slugs = shows;
        if (slugs.empty()) {
          std::error_code ec;
          for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
            if (entry.path().extension() == ".items") slugs.push_back(entry.path().stem().string());
          }
        }
        std::map<std::string, SavedPublishCache> found;
        for (std::string& slug : slugs) {
          if (!cacheable_slug(slug)) continue;
          if (std::optional<SavedPublishCache> saved = read_cache_quietly(dir, slug)) {
            found.emplace(std::move(slug), std::move(*saved));
          }
        }
        return found;
      });
}

Status Publisher::save_cache() {
  if (options_.cache_dir.empty()) return {};
  Status first;
  for (auto& [slug, state] : states_) {
    State& st = *state;
    if (!st.unsaved || st.published_hash.empty() || !cacheable_slug(slug)) continue;
    PublishCacheKey key = cache_key_of(options_, st.published_hash, st.outputs);
    Unmarked unmarked(clean_mark_of(options_.cache_dir, slug));  // the write makes a temporary
    Status saved = write_publish_cache(options_.cache_dir, slug, key, st, st.changes);
    if (saved) {
      st.unsaved = false;
    } else if (first) {
      first = saved;
    }
  }
  return first;
}

void Publisher::invalidate(std::string_view show) {
  if (show.empty()) {
    states_.clear();
  } else {
    states_.erase(std::string(show));
  }
}

void Publisher::set_options(PublishOptions options) {
  if (!options.clock) options.clock = system_now;
  bool urls_changed = options.public_url != options_.public_url ||
                      options.output_dir != options_.output_dir || options.hubs != options_.hubs ||
                      options.uses_podping != options_.uses_podping;
  options_ = std::move(options);
  if (urls_changed) states_.clear();
}

PublishResult Publisher::publish(std::string_view slug_view,
                                 std::vector<catalog::WrittenEpisode> written) {
  auto start = std::chrono::steady_clock::now();
  const std::string slug(slug_view);
  PublishResult result;
  result.show = slug;
  auto lap_start = start;
  auto lap = [&](const char* phase) {
    auto t = std::chrono::steady_clock::now();
    result.phases_ms.emplace_back(phase,
                                  std::chrono::duration<double, std::milli>(t - lap_start).count());
    lap_start = t;
  };
  std::optional<catalog::Show> show = catalog_.show(slug);
  if (!show) {
    result.errors.push_back(slug + ": no such show in the catalog");
    return result;
  }
  std::unique_ptr<State>& state_ptr = states_[slug];
  if (!state_ptr) state_ptr = std::make_unique<State>();
  State& st = *state_ptr;
  // The cache files of this show, when it has a name that can be a file name.
  const bool cached_on_disk = !options_.cache_dir.empty() && cacheable_slug(slug);
  const fs::path clean_mark = cached_on_disk ? clean_mark_of(options_.cache_dir, slug) : fs::path();
  if (!st.loaded) {
    for (OutputRecord& r : catalog_.outputs(slug)) {
      std::string path = r.path;
      st.outputs.emplace(std::move(path), std::move(r));
    }
    // The last process's items, when they made the feed that is published now.
    if (cached_on_disk) {
      PublishCacheKey key = cache_key_of(
          options_, catalog_.state(feed_hash_state_key(slug)).value_or(""), st.outputs);
      if (preloading_.valid()) preloaded_ = preloading_.get();
      std::optional<SavedPublishCache> saved;
      if (auto it = preloaded_.find(slug); it != preloaded_.end()) {
        saved = std::move(it->second);
        preloaded_.erase(it);
      } else {
        saved = read_cache_quietly(options_.cache_dir, slug);
      }
      if (saved && !key.feed_hash.empty() && saved->key == key) {
        static_cast<PublishCache&>(st) = std::move(saved->cache);
        st.changes = std::move(saved->changes);
        st.published_hash = key.feed_hash;
      }
    }
    // Temporaries are left only by a publish that did not finish; each one that does leaves
    // the clean mark (below), which the next publish takes away before writing anything.
    struct stat sb;
    if (!cached_on_disk || ::stat(clean_mark.c_str(), &sb) != 0) {
      remove_stale_temporaries(options_.output_dir / slug);
      if (cached_on_disk) remove_stale_temporaries(options_.cache_dir);
    }
    st.loaded = true;
    st.unsaved = st.published_hash.empty();
  }
  lap("prepare");
  // Unmarked while this publish may leave temporaries; marked again when it returns (or
  // throws), after the batch below has removed whatever it did not commit.
  Unmarked unmarked(clean_mark);
  const UnixTime now = options_.clock();
  // Reading and rendering need no transaction: this thread is the catalog's only writer of
  // what they read (a big ingest's search index is written meanwhile on the catalog's second
  // connection, in WAL, which is why the write transaction starts only once the files are
  // made). Everything the publish records goes into that one transaction.

  const std::string feed_rel = feed_path(slug);
  const std::string feed_gz_rel = feed_rel + ".gz";
  result.feed_url = public_url_of(options_.public_url, feed_rel);

  // podcast:guid: explicit, else remembered, else UUIDv5 of the feed URL (remembered once).
  std::string podcast_guid = show->guid;
  bool remember_guid = false;  // remembered with the rest of the publish, below
  if (podcast_guid.empty()) {
    podcast_guid = catalog_.remembered_podcast_guid(slug);
    if (podcast_guid.empty()) {
      podcast_guid = hash::podcast_guid(result.feed_url);
      remember_guid = true;
    }
  }

  // Which episodes go in the feed, newest first.
  std::vector<EpisodeSummary> all = catalog_.summaries(slug);
  std::vector<const EpisodeSummary*> items;
  for (const EpisodeSummary& s : all) {
    const std::string& file = s.source_file();
    if (s.publish_at && *s.publish_at > now && !s.draft) {
      if (!result.next_scheduled || *s.publish_at < *result.next_scheduled) {
        result.next_scheduled = s.publish_at;
      }
    }
    if (publishable(s, now)) {
      items.push_back(&s);
    } else if (s.draft) {
      result.kept_out.push_back({Diagnostic::Severity::warning, file, 0, "draft; not published"});
    } else if (s.publish_at && *s.publish_at > now) {
      result.kept_out.push_back(
          {Diagnostic::Severity::warning, file, 0,
           "scheduled for " + timefmt::format_iso8601(*s.publish_at) + "; not published yet"});
    } else {
      result.kept_out.push_back(
          {Diagnostic::Severity::warning, file, 0, "no audio; not published"});
    }
  }
  std::sort(items.begin(), items.end(), [](const EpisodeSummary* a, const EpisodeSummary* b) {
    if (a->date != b->date) {
      if (!a->date) return false;
      if (!b->date) return true;
      return *a->date > *b->date;
    }
    return a->key < b->key;
  });
  if (show->max_items > 0 && items.size() > static_cast<std::size_t>(show->max_items)) {
    items.resize(static_cast<std::size_t>(show->max_items));
  }
  result.items = static_cast<int>(items.size());

  // Episode folder names: unique within the feed, stable per key. They depend only on the
  // set of keys in the feed, so they are kept until that changes.
  {
    hash::Hasher64 keys_hasher;
    for (const EpisodeSummary* s : items) {
      keys_hasher.update(s->key);
      keys_hasher.update(std::string_view("\n", 1));
    }
    std::uint64_t keys_hash = keys_hasher.digest();
    if (st.slugs_keys_hash != keys_hash) {
      st.slugs.clear();
      std::map<std::string, int> seen;
      std::vector<std::string> keys;
      for (const EpisodeSummary* s : items) keys.push_back(s->key);
      std::sort(keys.begin(), keys.end());
      for (const std::string& key : keys) {
        std::string name = episode_slug(key);
        if (seen[name]++ > 0) name += "-" + hex_hash(key).substr(0, 6);
        st.slugs[key] = name;
      }
      st.slugs_keys_hash = keys_hash;
      st.unsaved = true;
      st.changes.slugs_changed = true;
    }
  }
  const std::unordered_map<std::string, std::string>& slugs = st.slugs;  // key -> folder name

  // Item rendering depends on the episode and on channel-level context (hosts repeat in
  // items that have guests; URLs).
  nlohmann::json channel_context = {{"hosts", show->persons},
                                    {"url", options_.public_url},
                                    {"language", show->language},
                                    {"slug", slug}};
  std::string channel_key = hex_hash(channel_context.dump());
  if (st.channel_key != channel_key) {
    st.items.clear();
    st.channel_key = channel_key;
    st.unsaved = true;
    st.changes.base_id = 0;  // nothing of the base is of use: write a new one
  }

  std::unordered_set<std::string> written_paths;  // outputs (re)made in this pass
  // Media and companion files are staged and become visible together, after validation.
  WriteBatch batch(/*background=*/true);
  std::vector<OutputRecord> staged;
  std::vector<std::string> rendered;  // items rendered in this pass (forgotten if it fails)
  // Episode key ("" for the channel) -> the output paths it refers to, as they are made; an
  // item's are moved into it once it is rendered.
  std::unordered_map<std::string, std::set<std::string>> wanted;
  auto source_hash = [this](const std::string& path) -> std::string {
    std::optional<catalog::SourceRecord> r = catalog_.source(path);
    return r ? r->hash : hex_hash(path);
  };
  auto keep_output = [&](const std::string& owner, const std::string& rel,
                         const std::string& made_from, const std::function<Status()>& make,
                         const std::string& bytes_hash) {
    wanted[owner].insert(rel);
    if (written_paths.count(rel)) return;  // a media file shared with an item made earlier
    // Recorded with the same bytes and still there: nothing to write. (Only then is the file
    // looked for: a cold publish records nothing yet and stats none of its 10,000 files.)
    auto it = st.outputs.find(rel);
    struct stat sb;
    if (it != st.outputs.end() && it->second.hash == bytes_hash &&
        ::stat((options_.output_dir / rel).c_str(), &sb) == 0) {
      return;
    }
    Status made = make();
    if (!made) {
      result.errors.push_back(made.error().message);
      return;
    }
    // Recorded once the batch is committed.
    staged.push_back(OutputRecord{rel, slug, owner, made_from, bytes_hash});
    written_paths.insert(rel);
  };
  auto write_text = [&](const std::string& owner, const std::string& rel,
                        const std::string& made_from, const std::string& bytes) {
    keep_output(
        owner, rel, made_from, [&] { return batch.add(options_.output_dir / rel, bytes); },
        hex_hash(bytes));
  };
  // Publishes a content file as media and returns its URL ("" on failure).
  auto media_url = [&](const std::string& owner, const std::string& content_path) -> std::string {
    if (text::has_http_scheme(content_path)) return content_path;
    std::size_t art = content_path.rfind("#art");
    if (art != std::string::npos && art + 4 == content_path.size()) {
      std::string audio = content_path.substr(0, art);
      std::string from = source_hash(audio);
      std::optional<catalog::EmbeddedArt> picture =
          catalog::extract_embedded_art(options_.content_dir / audio);
      if (!picture) return "";
      std::string ext = picture->mime == "image/png" ? ".png" : ".jpg";
      std::string rel = media_path(slug, audio, from, "-art", ext);
      write_text(owner, rel, from, picture->bytes);
      return public_url_of(options_.public_url, rel);
    }
    std::string from = source_hash(content_path);
    std::string rel = media_path(slug, content_path, from);
    keep_output(
        owner, rel, from,
        [&] { return batch.link(options_.content_dir / content_path, options_.output_dir / rel); },
        from);
    return public_url_of(options_.public_url, rel);
  };

  // Validation settings, shared by the per-item checks (cached with each fragment) and the
  // channel check. Feeds above 5 MB stay publishable (the W3C validator's limit, reported
  // below as a warning); Podcast Index's 25 MB is the hard limit.
  ValidateOptions validate_options;
  validate_options.feed_url = result.feed_url;
  validate_options.now = now;
  validate_options.size_limit = kHardFeedLimit;
  validate_options.channel_source = show->sources.empty() ? slug : show->sources.front();
  for (const EpisodeSummary* s : items) {
    validate_options.item_sources[s->guid] = s->source_file();
  }

  lap("select");
  // Render what changed (load full episodes in bulk when many changed).
  // A fragment depends on the episode and on its folder name, which holds its companion file
  // URLs and changes without any edit to the episode when another episode whose key ends the
  // same way enters or leaves the feed ("rip/s1/01" and "rip/s2/01" share "01").
  std::vector<const EpisodeSummary*> misses;
  for (const EpisodeSummary* s : items) {
    auto it = st.items.find(s->key);
    if (it == st.items.end() || it->second.content_hash != s->content_hash ||
        it->second.folder != slugs.at(s->key)) {
      misses.push_back(s);
    }
  }
  wanted.reserve(misses.size() + 1);
  written_paths.reserve(misses.size() * 2);
  rendered.reserve(misses.size());
  std::unordered_map<std::string, Episode> loaded;
  take_written(written, misses, loaded);
  std::size_t to_load = 0;
  for (const EpisodeSummary* s : misses) to_load += loaded.count(s->key) ? 0 : 1;
  if (to_load > kBulkRender) {
    for (Episode& e : catalog_.episodes(slug)) {
      std::string key = e.key;
      loaded.emplace(std::move(key), std::move(e));  // keeps a written one
    }
  } else if (to_load > 0) {
    for (const EpisodeSummary* s : misses) {
      if (loaded.count(s->key)) continue;
      if (std::optional<Episode> e = catalog_.episode(slug, s->key))
        loaded.emplace(s->key, std::move(*e));
    }
  }
  lap("load");
  // The folders a bulk render will write into and that are not there yet (a first publish).
  std::optional<FolderMaker> folders;
  if (misses.size() > kBulkRender) {
    std::vector<std::string> new_folders;
    for (const EpisodeSummary* s : misses) {
      auto e = loaded.find(s->key);
      if (e == loaded.end() || !writes_companions(e->second)) continue;
      std::string dir = (options_.output_dir / episode_dir(slug, slugs.at(s->key))).string();
      struct stat sb;
      if (::stat(dir.c_str(), &sb) != 0) new_folders.push_back(std::move(dir));
    }
    folders.emplace(std::move(new_folders));
  }
  for (const EpisodeSummary* s : misses) {
    auto found = loaded.find(s->key);
    if (found == loaded.end()) continue;
    const Episode& e = found->second;
    const std::string dir = episode_dir(slug, slugs.at(e.key));
    ItemInput in;
    in.episode = &e;
    if (e.enclosure) {
      in.enclosure_url =
          e.enclosure->file.empty() ? e.enclosure->url : media_url(e.key, e.enclosure->file);
    }
    if (!e.image.empty()) in.image_url = media_url(e.key, e.image);
    Episode with_alternates;
    const Episode* render_from = &e;
    if (!e.alternate_enclosures.empty()) {
      with_alternates = e;
      for (catalog::AlternateEnclosure& alt : with_alternates.alternate_enclosures) {
        for (std::string& src : alt.sources) src = media_url(e.key, src);
      }
      render_from = &with_alternates;
      in.episode = render_from;
    }
    // Transcripts: the best source per language, published in every format it supports.
    std::map<std::string, const catalog::Transcript*> best;
    for (const catalog::Transcript& t : e.transcripts) {
      if (t.segments.empty()) continue;
      std::string lang = t.language.empty() ? show->language : t.language;
      auto& slot = best[lang];
      if (!slot || transcript_rank(t) < transcript_rank(*slot)) slot = &t;
    }
    for (const auto& entry : best) {
      const std::string& lang = entry.first;  // not a binding: clang 14 cannot capture those
      const catalog::Transcript* t = entry.second;
      std::string base = dir + "/transcript";
      if (!lang.empty() && lang != show->language) base += "." + lang;
      auto publish_file = [&](const std::string& ext, const std::string& type, bool captions,
                              const std::string& bytes) {
        write_text(e.key, base + ext, s->content_hash, bytes);
        in.transcripts.push_back(
            {public_url_of(options_.public_url, base + ext), type, lang, captions});
      };
      if (t->timed()) {
        publish_file(".vtt", "text/vtt", true, render_vtt(*t));
        publish_file(".srt", "application/x-subrip", true, render_srt(*t));
        publish_file(".json", "application/json", false, render_transcript_json(*t));
      }
      publish_file(".html", "text/html", false, render_transcript_html(*t, e.title, lang));
      publish_file(".txt", "text/plain", false, render_transcript_text(*t));
    }
    if (!e.chapters.empty()) {
      std::string rel = dir + "/chapters.json";
      ChaptersMeta meta{e.title, show->title, std::nullopt};
      if (e.duration() > 0) meta.duration = e.duration();
      write_text(e.key, rel, s->content_hash, render_chapters_json(e.chapters, meta));
      in.chapters_url = public_url_of(options_.public_url, rel);
    }
    State::Item item;
    item.content_hash = s->content_hash;
    item.folder = slugs.at(s->key);
    item.guid = e.guid;
    item.fragment = render_item(in, *show);
    item.trailer = trailer_for(in);
    item.psc = item.fragment.find("<psc:chapters") != std::string::npos;
    item.check = validate_item(item.fragment, validate_options);
    item.http_urls = drop_http_url_findings(item.check.findings, options_.public_url);
    std::vector<Finding> rest;
    for (std::size_t i = 0; i < item.check.findings.size(); ++i) {
      Finding& f = item.check.findings[i];
      if (f.severity == Severity::info) {
        item.info.emplace_back(i, std::move(f));
      } else {
        rest.push_back(std::move(f));
      }
    }
    item.check.findings = std::move(rest);
    item.fragment_hash = hash::hash64(item.fragment);
    item.files = std::move(wanted[e.key]);
    st.items[e.key] = std::move(item);
    st.changes.rendered(e.key);
    rendered.push_back(e.key);
    // Let go once its item is made, so the memory of the episodes done is reused for the
    // fragments of those to come instead of growing the process.
    loaded.erase(found);
  }

  folders.reset();  // made, or being made by the writer
  if (!rendered.empty()) st.unsaved = true;
  result.items_rendered = static_cast<int>(rendered.size());
  lap("render");
  // The channel.
  ChannelInput channel;
  channel.show = &*show;
  channel.feed_url = result.feed_url;
  if (!show->image.empty()) channel.image_url = media_url("", show->image);
  channel.podcast_guid = podcast_guid;
  channel.hubs = options_.hubs;
  channel.uses_podping = options_.uses_podping;
  channel.generator = options_.generator;
  // The cached item of each feed item, looked up once (st.items is not changed again until
  // the cleanup at the end, so the pointers stay valid).
  std::vector<State::Item*> cached;
  cached.reserve(items.size());
  for (const EpisodeSummary* s : items) cached.push_back(&st.items.at(s->key));
  const State::Item* psc_item = nullptr;
  for (std::size_t k = 0; k < items.size(); ++k) {
    const EpisodeSummary* s = items[k];
    if (s->date && (!channel.last_build_date || *s->date > *channel.last_build_date)) {
      channel.last_build_date = s->date;
    }
    const State::Item& item = *cached[k];
    if (item.trailer) channel.trailers.push_back(*item.trailer);
    if (item.psc && !psc_item) psc_item = &item;
  }
  // The document around the items, split where the items go (they are the channel's last
  // children). One fragment that uses psc is rendered in so xmlns:psc is declared, then cut.
  std::vector<std::string_view> probe;
  if (psc_item) probe.push_back(psc_item->fragment);
  std::string frame = render_feed(channel, probe);
  std::size_t split, resume;
  if (psc_item) {
    split = frame.find(psc_item->fragment);
    resume = split + psc_item->fragment.size();
  } else {
    split = frame.rfind("</channel>");
    while (split > 0 && frame[split - 1] == ' ') --split;
    resume = split;
  }
  std::string head = frame.substr(0, split);
  std::string tail = frame.substr(resume);
  // The feed: head, items, tail, hashed and written (writev) as these pieces. It is made into
  // one buffer only for those who keep it (the daemon serves it): 22 MB less to copy at 10,000
  // episodes for a one-shot publish.
  std::vector<std::string_view> pieces;
  pieces.reserve(cached.size() + 2);
  pieces.push_back(head);
  for (const State::Item* item : cached) pieces.push_back(item->fragment);
  pieces.push_back(tail);
  std::size_t total = 0;
  hash::Hasher64 feed_hasher;
  for (std::string_view piece : pieces) {
    total += piece.size();
    feed_hasher.update(piece);
  }
  std::shared_ptr<std::string> xml;
  if (options_.keep_feed_bytes) {
    xml = std::make_shared<std::string>();
    xml->reserve(total);
    for (std::string_view piece : pieces) *xml += piece;
  }

  result.feed_hash = hash::hex64(feed_hasher.digest());  // = hex_hash of the whole feed
  // A feed whose bytes changed (or that is missing) is written now, to a temporary on a
  // thread, while it is validated and the companion files are made durable; it goes live
  // (renamed into place) only once all of that succeeded, and is removed otherwise.
  const std::string state_key = feed_hash_state_key(slug);
  const std::optional<std::string> previous = catalog_.state(state_key);
  struct stat feed_stat;
  const bool on_disk = ::stat((options_.output_dir / feed_rel).c_str(), &feed_stat) == 0 &&
                       ::stat((options_.output_dir / feed_gz_rel).c_str(), &feed_stat) == 0;
  const bool write_feed = !previous || *previous != result.feed_hash || !on_disk;
  std::future<Result<StagedFile>> staging;
  if (write_feed) {
    staging = std::async(std::launch::async,
                         [&] { return StagedFile::stage(options_.output_dir / feed_rel, pieces); });
  }

  // Compress by splicing the cached item segments between a fresh head and tail.
  // Each item is compressed against the bytes before it (the previous item, or the head),
  // which keeps the redundancy between items; an edit recompresses that item and the next.
  // On a second thread, which also stages feed.xml.gz (written and fsynced, not yet live),
  // while the feed is validated and the batch below waits for the disk: a cold publish
  // compresses 10,000 items there (0.18 s), an edit splices 10,000 segments (~9 ms). A feed
  // that fails validation is compressed for nothing, and its staged .gz removed. Without a
  // feed to write or bytes to keep (a one-shot publish with nothing changed) there is nothing
  // to compress.
  std::shared_ptr<std::string> gz;
  std::optional<Result<StagedFile>> staged_gz;  // when write_feed
  // A command that saves the cache after the publish and will write a new base writes the
  // feed's items on a thread as soon as they are compressed, while the feed is validated and
  // made durable and the rest recorded. The items and folder names it reads are not changed
  // again in this publish (the cleanup drops only items that left the feed; a failed publish
  // waits for it before it drops any), and the key is appended at the end.
  const bool base_wanted = options_.save_cache_after_publish && cached_on_disk &&
                           publish_cache_needs_base(st, st.changes);
  std::future<Result<PendingPublishCacheBase>> cache_body;
  auto start_base = [&] {
    std::vector<PublishCacheEntry> entries;
    entries.reserve(items.size());
    for (std::size_t k = 0; k < items.size(); ++k) entries.emplace_back(items[k]->key, cached[k]);
    return std::async(std::launch::async, [&st, &slug, this, entries = std::move(entries)] {
      return PendingPublishCacheBase::start(options_.cache_dir, slug, st, entries);
    });
  };
  auto compress = [&] {
    DeflateSegment head_seg = deflate_segment(head, kGzipLevel);
    std::vector<const DeflateSegment*> parts;
    parts.reserve(items.size() + 2);
    parts.push_back(&head_seg);
    // The items whose segment must be made, each with the bytes before it (its dictionary).
    struct Job {
      State::Item* item;
      std::string_view before;
      std::uint64_t before_hash;
    };
    std::vector<Job> jobs;
    std::string_view before = head;
    std::uint64_t before_hash = hash::hash64(head);
    for (State::Item* cached_item : cached) {
      if (cached_item->segment_after != before_hash) {
        jobs.push_back({cached_item, before, before_hash});
      }
      parts.push_back(&cached_item->segment);
      before = cached_item->fragment;
      before_hash = cached_item->fragment_hash;
    }
    auto deflate_jobs = [&jobs](std::size_t from, std::size_t to) {
      for (std::size_t j = from; j < to; ++j) {
        jobs[j].item->segment = deflate_segment(jobs[j].item->fragment, kGzipLevel, jobs[j].before);
        jobs[j].item->segment_after = jobs[j].before_hash;
      }
    };
    // Segments depend only on their item and the one before, so many (a first publish) are
    // made on two threads: this one, and one that takes the first half.
    if (jobs.size() >= kParallelDeflateItems) {
      std::future<void> first_half =
          std::async(std::launch::async, deflate_jobs, std::size_t{0}, jobs.size() / 2);
      deflate_jobs(jobs.size() / 2, jobs.size());
      first_half.get();
    } else {
      deflate_jobs(0, jobs.size());
    }
    DeflateSegment tail_seg = deflate_segment(tail, kGzipLevel, before);
    parts.push_back(&tail_seg);
    if (base_wanted) cache_body = start_base();  // read by the caller after compressing.get()
    gz = std::make_shared<std::string>(assemble_gzip(parts));
    if (write_feed) {
      std::string_view bytes = *gz;
      staged_gz = StagedFile::stage(options_.output_dir / feed_gz_rel,
                                    std::span<const std::string_view>(&bytes, 1));
    }
  };
  // The future joins the thread when it goes (std::async), and get() rethrows.
  std::future<void> compressing;
  if (write_feed || options_.keep_feed_bytes) {
    compressing = std::async(std::launch::async, compress);
  }
  // A publish that fails forgets what it rendered, so those items are rendered (and their files
  // written) again next time, once nothing still reads them: the staged feed, the gzip and
  // the cache base it started.
  auto forget_rendered = [&] {
    if (staging.valid()) {
      Result<StagedFile> unpublished = staging.get();  // its temporary goes with it
    }
    if (compressing.valid()) compressing.wait();
    if (cache_body.valid()) cache_body.wait();
    for (const std::string& key : rendered) st.drop(key);
  };

  // Validate before anything goes live: the channel skeleton now, the items from their cached
  // checks, and the rules across items (duplicate GUIDs and enclosures, order, size). The
  // result equals validate_feed on the whole document (the validator's tests hold it to that).
  lap("assemble");
  ChannelResult channel_check = validate_channel(head + tail, validate_options);
  lap("v.channel");
  // Info findings repeat per item (a hint about each item's tags): only the first item's of
  // each rule goes into the report, the rest are counted (condense_repeated_info reports the
  // first with the count, as it would have from all of them).
  std::vector<const ItemResult*> item_checks;
  item_checks.reserve(items.size());
  std::map<std::string, int> info_dropped;
  std::set<std::string> info_kept;
  std::deque<ItemResult> with_info;  // copies of the few checks that keep an info finding
  std::size_t http_urls = 0;
  for (const State::Item* item : cached) {
    http_urls += item->http_urls;
    bool keeps = std::any_of(item->info.begin(), item->info.end(), [&](const auto& entry) {
      return !info_kept.count(entry.second.rule);
    });
    if (!keeps) {
      for (const auto& entry : item->info) ++info_dropped[entry.second.rule];
      item_checks.push_back(&item->check);
      continue;
    }
    std::set<std::string> mine;  // rules whose first finding in the feed is this item's
    for (const auto& entry : item->info) {
      const std::string& rule = entry.second.rule;
      if (info_kept.insert(rule).second) {
        mine.insert(rule);
      } else if (!mine.count(rule)) {
        ++info_dropped[rule];
      }
    }
    // The item's findings in the validator's order, with the info findings it keeps.
    ItemResult& copy = with_info.emplace_back(item->check);
    copy.findings.clear();
    const std::vector<Finding>& rest = item->check.findings;
    std::size_t next = 0;  // into `rest`
    std::size_t pos = 0;   // place among all of the item's findings
    for (const auto& [at, f] : item->info) {
      for (; pos < at; ++pos) copy.findings.push_back(rest[next++]);
      if (mine.count(f.rule)) copy.findings.push_back(f);
      ++pos;
    }
    copy.findings.insert(copy.findings.end(), rest.begin() + static_cast<long>(next), rest.end());
    item_checks.push_back(&copy);
  }
  result.report = assemble_report(channel_check, item_checks, validate_options);
  lap("v.report");
  if (total > kW3cFeedLimit) {
    Finding big;
    big.severity = Severity::warning;
    big.rule = "XML-E07";
    big.message = "the feed is " + std::to_string(total) +
                  " bytes: the W3C validator refuses feeds over 5,000,000 bytes (set max_items "
                  "in show.toml to publish only the newest episodes)";
    big.source = validate_options.channel_source;
    result.report.findings.insert(result.report.findings.begin(), std::move(big));
  }
  lap("v.hash");
  summarize_http_urls(result.report, options_.public_url, http_urls);
  condense_repeated_info(result.report, info_dropped);
  lap("validate");
  std::optional<catalog::Catalog::Transaction> tx(std::in_place, catalog_);
  if (remember_guid) catalog_.remember_podcast_guid(slug, podcast_guid);
  catalog::PublishRecord record;
  record.show = slug;
  record.at = now;
  record.errors = result.report.errors();
  record.warnings = result.report.warnings();
  record.report = result.report.to_text();
  if (!result.report.ok() || !result.errors.empty()) {
    // Nothing becomes visible (the staged files are dropped with the batch).
    forget_rendered();
    record.ok = false;
    record.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - start)
                             .count();
    catalog_.record_publish(record);
    tx->commit();
    result.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - start);
    return result;
  }

  // Media and companion files first, then the feed that references them. The batch is made
  // durable on a thread, which mostly waits for the disk (two syncfs, ~0.2 s for a first
  // publish of 10,000 episodes), while what it and the feed make visible is recorded here in
  // the transaction; a failure below rolls that back and records only what did happen.
  std::future<Status> committing =
      std::async(std::launch::async, [&batch] { return batch.commit(); });
  for (const OutputRecord& rec : staged) catalog_.put_output(rec);
  std::vector<std::string> guids;  // newly published ones only
  for (const EpisodeSummary* s : items) {
    if (!s->published_before) guids.push_back(s->guid);
  }
  catalog_.mark_published(slug, guids, now);
  Status committed = committing.get();
  lap("files");
  if (compressing.valid()) compressing.get();  // before anything below touches the items
  // A publish that fails from here on records its failure, and the outputs that are live.
  auto record_failure = [&](std::string error, bool files_live) {
    result.errors.push_back(std::move(error));
    tx.reset();  // rolls back the outputs and GUIDs recorded above
    tx.emplace(catalog_);
    if (remember_guid) catalog_.remember_podcast_guid(slug, podcast_guid);
    if (files_live) {
      for (const OutputRecord& rec : staged) catalog_.put_output(rec);
    }
    record.ok = false;
    catalog_.record_publish(record);
    tx->commit();
  };
  if (!committed) {
    forget_rendered();
    record_failure(committed.error().message, false);
    return result;
  }
  for (const OutputRecord& rec : staged) {
    st.outputs[rec.path] = rec;
    ++result.files_written;
  }
  if (base_wanted && !cache_body.valid()) cache_body = start_base();  // nothing was compressed
  lap("gzip");  // what is left of it after "files" (~0 when it ran beside them)

  if (write_feed) {
    // The gzip first: a reader that sees the new feed.xml finds a matching .gz.
    Status w = *staged_gz ? (*staged_gz)->publish() : Status(staged_gz->error());
    Result<StagedFile> staged_feed = staging.get();
    if (w) w = staged_feed ? staged_feed->publish() : Status(staged_feed.error());
    if (!w) {
      record_failure(w.error().message, true);
      return result;
    }
    result.files_written += 2;
    result.changed = !previous || *previous != result.feed_hash;
    catalog_.set_state(state_key, result.feed_hash);
    for (const std::string& rel : {feed_rel, feed_gz_rel}) {
      OutputRecord rec{rel, slug, "", "", rel == feed_rel ? result.feed_hash : hex_hash(*gz)};
      catalog_.put_output(rec);
      st.outputs[rel] = rec;
    }
  }
  result.published = true;
  result.feed_xml = xml;
  result.feed_gzip = gz;
  lap("feed");

  // Clean up only now that the new feed is live: outputs of episodes that left the feed, and
  // superseded outputs of re-rendered ones. A file goes only when nothing in the feed refers
  // to it: media files are named by content, so one picture can serve several episodes and
  // the show, and its recorded owner is just the first of them.
  // Views into strings that outlive this set (cached items, `wanted`).
  std::unordered_set<std::string_view> referenced;
  referenced.reserve(st.outputs.size() + 2);
  referenced.insert(feed_rel);
  referenced.insert(feed_gz_rel);
  for (const std::string& path : wanted[""]) referenced.insert(path);
  for (const State::Item* item : cached) {
    for (const std::string& path : item->files) referenced.insert(path);
  }
  std::vector<std::string> stale;
  for (const auto& entry : st.outputs) {
    if (!referenced.count(entry.first)) stale.push_back(entry.first);
  }
  for (const std::string& path : stale) {
    std::error_code ec;
    fs::remove(options_.output_dir / path, ec);
    catalog_.delete_output(path);
    st.outputs.erase(path);
    ++result.files_removed;
    // Drop now-empty episode folders.
    fs::path dir = (options_.output_dir / path).parent_path();
    if (fs::is_empty(dir, ec)) fs::remove(dir, ec);
  }
  // Items that left the feed (the feed's keys are those of `slugs`): none when there are as
  // many items as feed entries, each of which has its item.
  for (auto it = st.items.begin(); st.items.size() > items.size() && it != st.items.end();) {
    if (slugs.count(it->first)) {
      ++it;
    } else {
      st.changes.dropped(it->first);
      it = st.items.erase(it);
      st.unsaved = true;
    }
  }
  if (st.published_hash != result.feed_hash) {
    st.published_hash = result.feed_hash;
    st.unsaved = true;
  }

  lap("cleanup");
  record.ok = true;
  record.changed = result.changed;
  record.feed_hash = result.feed_hash;
  record.feed_bytes = static_cast<std::int64_t>(total);
  record.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - start)
                           .count();
  if (result.files_written > 0 || result.files_removed > 0) st.unsaved = true;  // new digest
  if (result.changed || result.files_written > 0 || result.files_removed > 0) {
    catalog_.record_publish(record);
  }
  tx->commit();
  lap("commit");
  if (options_.save_cache_after_publish && cached_on_disk && st.unsaved) {
    // A failure leaves the items unsaved; save_cache() tries again and reports it.
    PublishCacheKey key = cache_key_of(options_, st.published_hash, st.outputs);
    Status saved;
    if (cache_body.valid() && publish_cache_needs_base(st, st.changes)) {
      Result<PendingPublishCacheBase> pending = cache_body.get();
      saved = pending ? pending->finish(key, st.changes) : Status(pending.error());
    } else {
      saved = write_publish_cache(options_.cache_dir, slug, key, st, st.changes);
    }
    if (saved) st.unsaved = false;
    lap("cache");
  }
  result.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
  return result;
}

}  // namespace podcastd::feeds
