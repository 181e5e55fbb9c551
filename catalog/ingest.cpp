#include "catalog/ingest.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "catalog/audio_probe.hpp"
#include "catalog/content_scan.hpp"
#include "catalog/hash.hpp"
#include "catalog/markdown_source.hpp"
#include "catalog/show_source.hpp"
#include "catalog/sidecars.hpp"
#include "catalog/text.hpp"
#include "catalog/text_page.hpp"
#include "catalog/time.hpp"

namespace podcastd::catalog {
namespace {

namespace fs = std::filesystem;
using Severity = Diagnostic::Severity;

UnixTime system_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Lower-case alphanumerics separated by single spaces: how listing titles are matched.
std::string normalize_title(std::string_view title) {
  std::string out;
  bool space = false;
  for (char c : title) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80) {
      if (space && !out.empty()) out += ' ';
      space = false;
      out += static_cast<char>(std::tolower(u));
    } else {
      space = true;
    }
  }
  return out;
}

// Resolves a reference written in a source ("../art/cover.jpg") against the source's folder
// into a content-relative path; "" when it leaves the content dir.
std::string resolve_relative(std::string_view dir, std::string_view ref) {
  fs::path p = fs::path(std::string(dir)) / std::string(ref);
  std::string out = p.lexically_normal().generic_string();
  if (out.empty() || out == "." || out.rfind("..", 0) == 0 || out[0] == '/') return "";
  return out;
}

// Content fingerprint for change and rename detection. Text sources and small files are
// hashed whole; large (audio) files by size plus their first and last 64 KiB, which is what
// changes when audio is re-encoded and keeps a rescan of a big archive cheap.
constexpr std::int64_t kFullHashLimit = 1 << 20;
constexpr std::size_t kEdge = 64 * 1024;
// Passes rebuilding at least this many episodes parse on a prefetch thread.
constexpr std::size_t kPrefetchThreshold = 64;

std::string fingerprint_bytes(std::string_view bytes) { return hash::hex64(hash::hash64(bytes)); }

std::optional<std::string> fingerprint_file(const fs::path& abs, std::int64_t size) {
  int fd = ::open(abs.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  hash::Hasher64 h;
  std::string buf;
  auto read_at = [&](off_t offset, std::size_t n) -> bool {
    buf.resize(n);
    std::size_t done = 0;
    while (done < n) {
      ssize_t r = ::pread(fd, buf.data() + done, n - done, offset + static_cast<off_t>(done));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return false;
      done += static_cast<std::size_t>(r);
    }
    h.update(buf);
    return true;
  };
  bool ok;
  if (size <= kFullHashLimit) {
    ok = read_at(0, static_cast<std::size_t>(size));
  } else {
    std::string tag = "size:" + std::to_string(size);
    h.update(tag);
    ok = read_at(0, kEdge) && read_at(static_cast<off_t>(size) - static_cast<off_t>(kEdge), kEdge);
  }
  ::close(fd);
  if (!ok) return std::nullopt;
  return hash::hex64(h.digest());
}

Result<std::string> read_text(const fs::path& abs, std::string_view rel, std::int64_t limit) {
  int fd = ::open(abs.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return make_error(ErrorCode::io, std::string(rel) + ": cannot read: " + std::strerror(errno));
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return make_error(ErrorCode::io, std::string(rel) + ": cannot read: " + std::strerror(errno));
  }
  if (st.st_size > limit) {
    ::close(fd);
    return make_error(ErrorCode::invalid_argument,
                      std::string(rel) + ": file is " + std::to_string(st.st_size) +
                          " bytes, over the limit of " + std::to_string(limit) +
                          " (catalog.max_source_bytes)");
  }
  std::string out(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t done = 0;
  while (done < out.size()) {
    ssize_t r = ::read(fd, out.data() + done, out.size() - done);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      ::close(fd);
      return make_error(ErrorCode::io, std::string(rel) + ": cannot read: " + std::strerror(errno));
    }
    if (r == 0) break;  // shrank while reading: take what is there
    done += static_cast<std::size_t>(r);
  }
  ::close(fd);
  out.resize(done);
  if (out.find('\0') != std::string::npos) {
    return make_error(ErrorCode::parse, std::string(rel) + ": binary content (NUL byte at offset " +
                                            std::to_string(out.find('\0')) +
                                            "); not a text source");
  }
  return out;
}

// Parses "PATH:LINE: reason" back into a Diagnostic (parser errors carry their location).
Diagnostic error_diagnostic(std::string_view path, const std::string& message) {
  Diagnostic d{Severity::error, std::string(path), 0, message};
  std::string prefix = std::string(path) + ":";
  if (message.rfind(prefix, 0) == 0) {
    std::size_t i = prefix.size();
    int line = 0;
    while (i < message.size() && std::isdigit(static_cast<unsigned char>(message[i]))) {
      line = line * 10 + (message[i++] - '0');
    }
    if (i + 1 < message.size() && message[i] == ':' && message[i + 1] == ' ') {
      d.line = line;
      d.message = message.substr(i + 2);
      return d;
    }
  }
  std::string bare = std::string(path) + ": ";
  if (message.rfind(bare, 0) == 0) d.message = message.substr(bare.size());
  return d;
}

// Copies every field of `src` that `dst` leaves unset.
void fill_unset(Episode& dst, const Episode& src) {
  auto str = [](std::string& d, const std::string& s) {
    if (d.empty()) d = s;
  };
  auto opt = [](auto& d, const auto& s) {
    if (!d) d = s;
  };
  auto list = [](auto& d, const auto& s) {
    if (d.empty()) d = s;
  };
  str(dst.title, src.title);
  str(dst.subtitle, src.subtitle);
  str(dst.summary, src.summary);
  if (dst.notes_html.empty() && dst.notes_text.empty()) {
    dst.notes_html = src.notes_html;
    dst.notes_text = src.notes_text;
  }
  str(dst.link, src.link);
  str(dst.image, src.image);
  opt(dst.date, src.date);
  opt(dst.publish_at, src.publish_at);
  opt(dst.season, src.season);
  str(dst.season_name, src.season_name);
  opt(dst.number, src.number);
  str(dst.number_display, src.number_display);
  opt(dst.explicit_content, src.explicit_content);
  opt(dst.declared_duration, src.declared_duration);
  list(dst.persons, src.persons);
  list(dst.chapters, src.chapters);
  list(dst.links, src.links);
  list(dst.soundbites, src.soundbites);
  list(dst.locations, src.locations);
  list(dst.funding, src.funding);
  list(dst.txt, src.txt);
  str(dst.license, src.license);
  str(dst.license_url, src.license_url);
  list(dst.speaker_timeline, src.speaker_timeline);
  if (dst.guid.empty() && !src.guid.empty()) {
    dst.guid = src.guid;
    dst.guid_explicit = src.guid_explicit;
  }
}

void fill_unset(Show& dst, const Show& src) {
  auto str = [](std::string& d, const std::string& s) {
    if (d.empty()) d = s;
  };
  str(dst.title, src.title);
  str(dst.description, src.description);
  str(dst.author, src.author);
  str(dst.language, src.language);
  str(dst.link, src.link);
  str(dst.image, src.image);
  str(dst.copyright, src.copyright);
  str(dst.owner_name, src.owner_name);
  str(dst.owner_email, src.owner_email);
  if (dst.categories.empty()) dst.categories = src.categories;
  if (!dst.explicit_content) dst.explicit_content = src.explicit_content;
  str(dst.type, src.type);
  if (dst.persons.empty()) dst.persons = src.persons;
  if (dst.locations.empty()) dst.locations = src.locations;
  str(dst.medium, src.medium);
}

int audio_preference(std::string_view path) {
  std::string lower = text::to_lower_ascii(path);
  static constexpr std::string_view kOrder[] = {".mp3", ".m4a", ".m4b",  ".mp4", ".opus",
                                                ".ogg", ".oga", ".flac", ".wav"};
  for (std::size_t i = 0; i < std::size(kOrder); ++i) {
    if (lower.size() > kOrder[i].size() &&
        lower.compare(lower.size() - kOrder[i].size(), kOrder[i].size(), kOrder[i]) == 0) {
      return static_cast<int>(i);
    }
  }
  return 100;
}

std::string mime_from_extension(std::string_view url) {
  std::string lower = text::to_lower_ascii(url.substr(0, url.find('?')));
  auto ends = [&lower](std::string_view s) {
    return lower.size() >= s.size() && lower.compare(lower.size() - s.size(), s.size(), s) == 0;
  };
  if (ends(".mp3")) return "audio/mpeg";
  if (ends(".m4a") || ends(".m4b")) return "audio/x-m4a";
  if (ends(".mp4")) return "video/mp4";
  if (ends(".ogg") || ends(".oga")) return "audio/ogg";
  if (ends(".opus")) return "audio/opus";
  if (ends(".flac")) return "audio/flac";
  if (ends(".wav")) return "audio/wav";
  return "";
}

std::string humanize_stem(std::string_view key) {
  std::string_view name = file_name_of(key);
  std::string out;
  for (char c : name) out += (c == '-' || c == '_') ? ' ' : c;
  return std::string(text::trim(out));
}

// Which files a pass covers: the whole show, or some episode groups (by stem key) and
// folder trees.
struct Scope {
  bool full = false;
  std::set<std::string> keys;   // stem keys ("dir/stem")
  std::set<std::string> trees;  // folders, everything below

  bool covers(std::string_view path) const {
    if (full) return true;
    if (keys.count(stem_key(path))) return true;
    for (const std::string& t : trees) {
      if (path.size() > t.size() && path.compare(0, t.size(), t) == 0 && path[t.size()] == '/') {
        return true;
      }
    }
    return false;
  }
};

// A parsed member of a group.
struct Parsed {
  std::optional<MarkdownEpisode> markdown;
  std::optional<TextPage> page;
  std::optional<AudioInfo> audio;
  std::optional<Transcript> transcript;
  std::optional<std::vector<Chapter>> chapters;
};

// One file read and parsed, not yet recorded.
struct MemberRead {
  std::string kind;
  std::string hash;
  std::string error;
  std::vector<Diagnostic> warnings;
  Parsed parsed;
  bool counted = false;  // counts as a parse in the report
};

// Reads and parses the members of groups on a second thread, ahead of the catalog writer,
// so parsing overlaps SQLite work on cold scans. Bounded: at most kAhead groups wait. Each
// side sleeps only when it must and is woken only when it can go on: a producer that ran
// kAhead ahead waits until half the window is drained, so the two threads do not trade a
// futex wake-up for every file (~8% of a cold scan's time when they did).
class Prefetcher {
 public:
  static constexpr std::size_t kAhead = 256;

  template <typename Read>
  Prefetcher(const std::vector<const EpisodeGroup*>& groups, Read read)
      : groups_(groups), results_(groups.size()), thread_([this, read] {
          for (std::size_t i = 0; i < groups_.size(); ++i) {
            {
              std::unique_lock lock(mu_);
              if (!stop_ && i >= consumed_ + kAhead) {
                resume_at_ = i + kAhead / 2 - kAhead;  // i - kAhead/2, i >= kAhead here
                producer_waiting_ = true;
                producer_cv_.wait(lock, [&] { return stop_ || consumed_ > resume_at_; });
                producer_waiting_ = false;
              }
              if (stop_) return;
            }
            std::vector<MemberRead> out;
            out.reserve(groups_[i]->members.size());
            for (const ScannedFile& f : groups_[i]->members) out.push_back(read(f));
            std::lock_guard lock(mu_);
            results_[i] = std::move(out);
            ready_ = i + 1;
            if (consumer_waiting_) consumer_cv_.notify_one();
          }
        }) {}

  ~Prefetcher() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    producer_cv_.notify_one();
    thread_.join();
  }

  // Waits for group i (groups are taken in order) and hands over its reads.
  std::vector<MemberRead> take(std::size_t i) {
    std::unique_lock lock(mu_);
    if (ready_ <= i) {
      consumer_waiting_ = true;
      consumer_cv_.wait(lock, [&] { return ready_ > i; });
      consumer_waiting_ = false;
    }
    consumed_ = i + 1;
    if (producer_waiting_ && consumed_ > resume_at_) producer_cv_.notify_one();
    return std::move(*results_[i]);
  }

 private:
  const std::vector<const EpisodeGroup*>& groups_;
  std::vector<std::optional<std::vector<MemberRead>>> results_;
  std::mutex mu_;
  std::condition_variable producer_cv_;
  std::condition_variable consumer_cv_;
  std::size_t ready_ = 0;
  std::size_t consumed_ = 0;
  std::size_t resume_at_ = 0;
  bool producer_waiting_ = false;
  bool consumer_waiting_ = false;
  bool stop_ = false;
  std::thread thread_;  // last: starts after the members above exist
};

// The show's episode identities: all preloaded (full scans), or looked up on demand and
// cached (partial passes touch a handful of episodes of possibly thousands).
class Identities {
 public:
  Identities(Catalog& catalog, std::string slug) : catalog_(catalog), slug_(std::move(slug)) {}

  void preload() {
    if (preloaded_) return;
    keys_.clear();
    guids_.clear();
    removed_.clear();
    for (EpisodeIdentity& id : catalog_.identities(slug_)) {
      guids_[id.guid] = id.key;
      std::string key = id.key;
      if (id.removed) removed_.insert(key);
      keys_[key] = std::move(id);
    }
    preloaded_ = true;
    removed_loaded_ = true;
  }
  bool preloaded() const { return preloaded_; }

  EpisodeIdentity* by_key(const std::string& key) {
    auto it = keys_.find(key);
    if (it != keys_.end()) return it->second ? &*it->second : nullptr;
    if (preloaded_) return nullptr;
    std::optional<EpisodeIdentity> id = catalog_.identity(slug_, key);
    if (id) guids_[id->guid] = key;
    if (id && id->removed) removed_.insert(key);
    auto& slot = keys_[key];
    slot = std::move(id);
    return slot ? &*slot : nullptr;
  }

  EpisodeIdentity* by_guid(const std::string& guid) {
    auto it = guids_.find(guid);
    if (it != guids_.end()) return it->second.empty() ? nullptr : by_key(it->second);
    if (preloaded_) return nullptr;
    std::optional<EpisodeIdentity> id = catalog_.identity_by_guid(slug_, guid);
    if (!id) {
      guids_[guid] = "";
      return nullptr;
    }
    std::string key = id->key;
    guids_[guid] = key;
    if (id->removed) removed_.insert(key);
    auto& slot = keys_[key];
    slot = std::move(id);
    return &*slot;
  }

  // Keys of removed episodes (tombstones).
  std::vector<std::string> removed_keys() {
    if (!removed_loaded_) {
      for (EpisodeIdentity& id : catalog_.removed_identities(slug_)) {
        guids_[id.guid] = id.key;
        std::string key = id.key;
        removed_.insert(key);
        keys_[key] = std::move(id);
      }
      removed_loaded_ = true;
    }
    return {removed_.begin(), removed_.end()};
  }

  // Live keys; only meaningful after preload().
  std::vector<std::string> live_keys() const {
    std::vector<std::string> out;
    for (const auto& [key, id] : keys_) {
      if (id && !id->removed) out.push_back(key);
    }
    return out;
  }

  void put(const EpisodeIdentity& id) {
    if (EpisodeIdentity* old = by_key(id.key); old && old->guid != id.guid) guids_[old->guid] = "";
    keys_[id.key] = id;
    guids_[id.guid] = id.key;
    if (id.removed) {
      removed_.insert(id.key);
    } else {
      removed_.erase(id.key);
    }
  }

  void rekey(const std::string& from, const std::string& to) {
    EpisodeIdentity id = *by_key(from);
    keys_[from] = std::nullopt;
    removed_.erase(from);
    if (id.removed) removed_.insert(to);
    id.key = to;
    guids_[id.guid] = to;
    keys_[to] = std::move(id);
  }

  void mark_removed(const std::string& key) {
    if (EpisodeIdentity* id = by_key(key)) {
      id->removed = true;
      removed_.insert(key);
    }
  }

 private:
  Catalog& catalog_;
  std::string slug_;
  std::map<std::string, std::optional<EpisodeIdentity>> keys_;  // nullopt: known absent
  std::unordered_map<std::string, std::string> guids_;          // "" : known absent
  std::set<std::string> removed_;                               // keys of tombstones in keys_
  bool preloaded_ = false;
  bool removed_loaded_ = false;
};

class Pass {
 public:
  Pass(Catalog& catalog, const fs::path& content_dir, const IngestOptions& options,
       IngestReport& report, const std::string& slug)
      : catalog_(catalog),
        content_dir_(content_dir),
        options_(options),
        report_(report),
        slug_(slug),
        ids_(catalog, slug) {}

  // `listing`: the files in scope as they are now; `known`: the catalog's source rows in
  // scope plus the show-level ones (show.toml, show pages).
  void run(const std::string& show_dir, std::vector<ScannedFile> listing,
           std::unordered_map<std::string, SourceRecord> known, const Scope& scope);
  // The source rows in scope as the pass left them (valid after run()).
  std::unordered_map<std::string, SourceRecord> take_sources() { return std::move(db_sources_); }
  // The episodes it wrote (IngestOptions::keep_written), valid after run().
  std::vector<WrittenEpisode> take_written() { return std::move(written_); }

 private:
  void diag(Diagnostic d) {
    if (d.severity == Severity::error) {
      ++report_.errors;
    } else {
      ++report_.warnings;
    }
    report_.diagnostics.push_back(std::move(d));
  }

  // Reads and parses one file into `out`; records the source row. Returns the error
  // message, or "" on success.
  std::string parse_member(const ScannedFile& f, const std::string& episode_key, Parsed& out);
  // The two halves of parse_member: reading and parsing touch no catalog and no pass state
  // but what is fixed before groups are processed, so they may run on the prefetch thread;
  // committing records the result (diagnostics, the source row) on the catalog's thread.
  MemberRead read_member(const ScannedFile& f) const;
  std::string commit_member(const ScannedFile& f, const std::string& episode_key, MemberRead& m,
                            Parsed& out);
  void record_source(const ScannedFile& f, const std::string& kind, const std::string& hash,
                     const std::string& episode_key, const std::string& error,
                     const std::vector<Diagnostic>& warnings);

  void assemble_show(const std::string& show_dir);
  // `pre`, when given, holds read_member() of every member, in order (the prefetch thread).
  void process_group(const EpisodeGroup& g, std::vector<MemberRead>* pre = nullptr);
  bool resolve_identity(Episode& e, const std::string& identity_hash,
                        const std::vector<std::string>& alt_hashes, const std::string& primary);
  void write_episode(Episode& e, const std::string& identity_hash,
                     const std::vector<std::string>& alt_hashes, const std::string& primary);
  void apply_listings_to(Episode& e);
  std::string describe(const EpisodeIdentity& id) const {
    return id.primary_source.empty() ? id.key : id.primary_source;
  }

  Catalog& catalog_;
  const fs::path& content_dir_;
  const IngestOptions& options_;
  IngestReport& report_;
  std::string slug_;
  Identities ids_;

  std::unordered_map<std::string, SourceRecord> db_sources_;  // path -> known row
  std::unordered_set<std::string> changed_;                   // paths new or changed
  std::vector<std::string> removed_;                          // paths gone (in scope)
  std::set<std::string> vanishing_;  // live keys with no group any more (rename candidates)
  std::unordered_map<std::string, TextPage> pages_;         // .txt files parsed in this pass
  std::unordered_map<std::string, std::string> page_hash_;  // their fingerprints
  std::vector<std::pair<std::string, Episode>> listings_;   // (show page, listed episode)
  std::unordered_map<std::string, std::size_t> listing_by_title_;
  std::set<std::string> claimed_;    // audio claimed by a notes file's `audio` key
  std::set<std::string> processed_;  // group keys rebuilt in this pass
  std::vector<WrittenEpisode> written_;
};

void Pass::record_source(const ScannedFile& f, const std::string& kind, const std::string& hash,
                         const std::string& episode_key, const std::string& error,
                         const std::vector<Diagnostic>& warnings) {
  SourceRecord r;
  r.path = f.path;
  r.show = slug_;
  r.kind = kind;
  r.size = f.size;
  r.mtime_ns = f.mtime_ns;
  r.hash = hash;
  r.episode_key = episode_key;
  r.error = error;
  r.warnings = warnings;
  auto it = db_sources_.find(f.path);
  if (it != db_sources_.end()) {
    r.checked_at = it->second.checked_at;
    if (it->second == r) return;
  }
  r.checked_at = options_.clock();
  catalog_.put_source(r);
  db_sources_[f.path] = std::move(r);
}

MemberRead Pass::read_member(const ScannedFile& f) const {
  MemberRead m;
  Parsed& out = m.parsed;
  std::string& kind = m.kind;
  std::vector<Diagnostic>& warnings = m.warnings;
  std::string& error = m.error;
  std::string& hash = m.hash;
  kind = to_string(f.kind);
  fs::path abs = content_dir_ / f.path;
  if (f.kind == SourceKind::audio) {
    m.counted = true;
    hash = fingerprint_file(abs, f.size).value_or("");
    Result<AudioInfo> info = probe_audio(abs, f.path);
    if (info) {
      for (const std::string& w : info->warnings) {
        warnings.push_back({Diagnostic::Severity::warning, f.path, 0, w});
      }
      out.audio = std::move(*info);
    } else {
      error = info.error().message;
    }
  } else if (f.kind == SourceKind::image) {
    hash = fingerprint_file(abs, f.size).value_or("");
  } else if (f.kind == SourceKind::text_page && pages_.count(f.path)) {
    out.page = pages_.at(f.path);  // parsed earlier in this pass
    hash = page_hash_.at(f.path);
    kind = out.page->kind == TextPage::Kind::show ? "show_page" : "text_page";
    warnings = out.page->warnings;
  } else {
    m.counted = true;
    Result<std::string> bytes = read_text(abs, f.path, options_.max_source_bytes);
    if (!bytes) {
      error = bytes.error().message;
      hash = fingerprint_file(abs, f.size).value_or("");
    } else {
      hash = fingerprint_bytes(*bytes);
      switch (f.kind) {
        case SourceKind::markdown: {
          Result<MarkdownEpisode> r = parse_markdown_episode(f.path, *bytes);
          if (r) {
            warnings = r->warnings;
            out.markdown = std::move(*r);
          } else {
            error = r.error().message;
          }
          break;
        }
        case SourceKind::text_page: {
          Result<TextPage> r = parse_text_page(f.path, *bytes);
          if (r) {
            warnings = r->warnings;
            kind = r->kind == TextPage::Kind::show ? "show_page" : "text_page";
            out.page = std::move(*r);
          } else {
            error = r.error().message;
          }
          break;
        }
        case SourceKind::vtt:
        case SourceKind::srt:
        case SourceKind::transcript_json:
        case SourceKind::transcript_text: {
          Result<Transcript> r = f.kind == SourceKind::vtt   ? parse_vtt(f.path, *bytes)
                                 : f.kind == SourceKind::srt ? parse_srt(f.path, *bytes)
                                 : f.kind == SourceKind::transcript_json
                                     ? parse_json_transcript(f.path, *bytes)
                                     : parse_text_transcript(f.path, *bytes);
          if (r) {
            r->source = f.path;
            r->language = classify_file_name(file_name_of(f.path)).language;
            out.transcript = std::move(*r);
          } else {
            error = r.error().message;
          }
          break;
        }
        case SourceKind::chapters_json: {
          Result<std::vector<Chapter>> r = parse_json_chapters(f.path, *bytes);
          if (r) {
            out.chapters = std::move(*r);
          } else {
            error = r.error().message;
          }
          break;
        }
        default:
          break;
      }
    }
  }
  return m;
}

std::string Pass::commit_member(const ScannedFile& f, const std::string& episode_key, MemberRead& m,
                                Parsed& out) {
  if (m.counted) ++report_.parsed;
  for (const Diagnostic& w : m.warnings) diag(w);
  if (!m.error.empty()) diag(error_diagnostic(f.path, m.error));
  record_source(f, m.kind, m.hash, m.kind == "show_page" ? "" : episode_key, m.error, m.warnings);
  out = std::move(m.parsed);
  return m.error;
}

std::string Pass::parse_member(const ScannedFile& f, const std::string& episode_key, Parsed& out) {
  MemberRead m = read_member(f);
  return commit_member(f, episode_key, m, out);
}

void Pass::assemble_show(const std::string& show_dir) {
  Show s;
  std::optional<Show> old = catalog_.show(slug_);
  std::string toml_path = join_path(show_dir, "show.toml");
  fs::path abs = content_dir_ / toml_path;
  struct stat st;
  if (::stat(abs.c_str(), &st) == 0) {
    ScannedFile f{toml_path, static_cast<std::int64_t>(st.st_size),
                  static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
                  SourceKind::show_toml};
    ++report_.parsed;
    Result<std::string> bytes = read_text(abs, toml_path, options_.max_source_bytes);
    std::string error, hash;
    std::vector<Diagnostic> warnings;
    if (bytes) {
      hash = fingerprint_bytes(*bytes);
      Result<ShowFile> parsed = parse_show_toml(toml_path, *bytes);
      if (parsed) {
        s = parsed->show;
        warnings = parsed->warnings;
      } else {
        error = parsed.error().message;
      }
    } else {
      error = bytes.error().message;
    }
    for (const Diagnostic& w : warnings) diag(w);
    if (!error.empty()) {
      diag(error_diagnostic(toml_path, error));
      // Keep the last good channel: the broken file is reported, the feed stays up.
      if (old) s = *old;
    }
    record_source(f, "show_toml", hash, "", error, warnings);
  }
  s.slug = slug_;
  s.dir = show_dir;
  s.sources = {toml_path};
  // Show pages fill what show.toml leaves unset, in path order.
  std::vector<std::string> page_paths;
  for (const auto& [path, rec] : db_sources_) {
    if (rec.kind == "show_page") page_paths.push_back(path);
  }
  std::sort(page_paths.begin(), page_paths.end());
  listings_.clear();
  listing_by_title_.clear();
  for (const std::string& path : page_paths) {
    auto it = pages_.find(path);
    if (it == pages_.end()) {
      // An unchanged show page: re-read it (it is small) so listings are always complete.
      Result<std::string> bytes = read_text(content_dir_ / path, path, options_.max_source_bytes);
      if (!bytes) continue;
      Result<TextPage> page = parse_text_page(path, *bytes);
      if (!page || page->kind != TextPage::Kind::show) continue;
      it = pages_.emplace(path, std::move(*page)).first;
    }
    const TextPage& page = it->second;
    fill_unset(s, page.show);
    s.sources.push_back(path);
    for (const Episode& listed : page.listed) {
      std::string norm = normalize_title(listed.title);
      if (norm.empty() || listing_by_title_.count(norm)) continue;
      listing_by_title_.emplace(norm, listings_.size());
      listings_.emplace_back(path, listed);
    }
  }
  if (old && fingerprint(*old) == fingerprint(s)) return;
  catalog_.put_show(s);
  report_.changed_shows.insert(slug_);
}

void Pass::apply_listings_to(Episode& e) {
  auto it = listing_by_title_.find(normalize_title(e.title));
  if (it == listing_by_title_.end()) return;
  // The episode's own page wins; the listing fills what it leaves unset.
  fill_unset(e, listings_[it->second].second);
}

bool Pass::resolve_identity(Episode& e, const std::string& identity_hash,
                            const std::vector<std::string>& alt_hashes,
                            const std::string& primary) {
  auto take_over = [&](const std::string& old_key) {
    std::string guid = ids_.by_key(old_key)->guid;
    catalog_.rekey_episode(slug_, old_key, e.key);
    ids_.rekey(old_key, e.key);
    vanishing_.erase(old_key);
    return guid;
  };
  auto gone = [&](const EpisodeIdentity& id) { return id.removed || vanishing_.count(id.key) > 0; };
  if (e.guid_explicit) {
    if (EpisodeIdentity* owner = ids_.by_guid(e.guid); owner && owner->key != e.key) {
      if (!gone(*owner)) {
        diag({Severity::error, primary, 0,
              "guid '" + e.guid + "' is already used by " + describe(*owner) +
                  "; every episode of a show needs its own guid"});
        return false;
      }
      take_over(owner->key);
    }
    EpisodeIdentity* here = ids_.by_key(e.key);
    if (here && here->guid != e.guid && here->first_published) {
      diag({Severity::warning, primary, 0,
            "guid changed from '" + here->guid + "' (already published) to '" + e.guid +
                "': subscribers will see this episode twice"});
    }
    return true;
  }
  if (EpisodeIdentity* here = ids_.by_key(e.key)) {
    e.guid = here->guid;  // remembered: never changes
    e.guid_explicit = false;
    return true;
  }
  // A rename or move: a vanishing or removed episode with the same primary content, or the
  // same date and title.
  std::vector<std::string> pool(vanishing_.begin(), vanishing_.end());
  for (const std::string& key : ids_.removed_keys()) pool.push_back(key);
  auto find = [&](auto&& match) -> std::optional<std::string> {
    for (const std::string& key : pool) {
      const EpisodeIdentity* id = ids_.by_key(key);
      if (id && match(*id)) return key;
    }
    return std::nullopt;
  };
  std::optional<std::string> found;
  if (!identity_hash.empty() || !alt_hashes.empty()) {
    found = find([&](const EpisodeIdentity& id) {
      if (id.identity_hash.empty()) return false;
      return id.identity_hash == identity_hash ||
             std::find(alt_hashes.begin(), alt_hashes.end(), id.identity_hash) != alt_hashes.end();
    });
  }
  if (!found && e.date && !e.title.empty()) {
    std::string norm = normalize_title(e.title);
    found = find([&](const EpisodeIdentity& id) {
      return id.date == e.date && normalize_title(id.title) == norm;
    });
  }
  if (found) {
    e.guid = take_over(*found);
    return true;
  }
  std::string guid = derive_episode_guid(slug_, e, false);
  if (EpisodeIdentity* owner = ids_.by_guid(guid)) {
    if (gone(*owner)) {
      // The episode of that date was removed and is back under another name: the same one.
      e.guid = take_over(owner->key);
      return true;
    }
    guid = derive_episode_guid(slug_, e, true);
    diag({Severity::warning, primary, 0,
          "has the same date as " + describe(*owner) +
              "; its GUID is derived from its file name, so add guid = \"" + guid +
              "\" to keep it through renames"});
  }
  e.guid = guid;
  return true;
}

void Pass::write_episode(Episode& e, const std::string& identity_hash,
                         const std::vector<std::string>& alt_hashes, const std::string& primary) {
  if (!resolve_identity(e, identity_hash, alt_hashes, primary)) {
    if (EpisodeIdentity* here = ids_.by_key(e.key); here && !here->removed) {
      catalog_.set_episode_error(slug_, e.key, "duplicate guid '" + e.guid + "'");
    }
    return;
  }
  std::string fresh = hash::hex64(fingerprint(e));
  EpisodeIdentity* here = ids_.by_key(e.key);
  if (here && !here->removed && here->content_hash == fresh && here->error.empty() &&
      here->identity_hash == identity_hash) {
    return;  // nothing changed
  }
  catalog_.put_episode(e, identity_hash, fresh);
  ++report_.episodes_written;
  report_.changed_shows.insert(slug_);
  EpisodeIdentity id;
  if (here) id = *here;
  id.key = e.key;
  id.guid = e.guid;
  id.guid_explicit = e.guid_explicit;
  id.identity_hash = identity_hash;
  id.date = e.date;
  id.title = e.title;
  id.removed = false;
  id.error.clear();
  id.primary_source = e.sources.empty() ? primary : e.sources.front();
  id.content_hash = fresh;
  ids_.put(id);
  if (options_.keep_written) written_.push_back({std::move(fresh), std::move(e)});
}

void Pass::process_group(const EpisodeGroup& g, std::vector<MemberRead>* pre) {
  processed_.insert(g.key);
  std::vector<Parsed> parsed(g.members.size());
  std::string first_error;
  for (std::size_t i = 0; i < g.members.size(); ++i) {
    std::string err = pre ? commit_member(g.members[i], g.key, (*pre)[i], parsed[i])
                          : parse_member(g.members[i], g.key, parsed[i]);
    if (!err.empty() && first_error.empty()) first_error = err;
  }
  // A lone show page is the show's business, not an episode.
  if (g.members.size() == 1 && parsed[0].page && parsed[0].page->kind == TextPage::Kind::show) {
    return;
  }
  Episode e;
  std::string primary;
  std::string identity_hash;
  std::vector<std::string> alt_hashes;
  std::vector<Diagnostic> warnings;
  MarkdownEpisode* md = nullptr;
  std::vector<const TextPage*> pages;
  std::vector<std::pair<const ScannedFile*, const AudioInfo*>> audio;
  for (std::size_t i = 0; i < g.members.size(); ++i) {
    const ScannedFile& f = g.members[i];
    if (parsed[i].markdown) {
      // In a bundle, episode.md/index.md is the notes file.
      std::string lower = text::to_lower_ascii(file_name_of(f.path));
      bool bundle_notes = lower == "episode.md" || lower == "index.md";
      if (!md || (g.bundle && bundle_notes)) {
        md = &*parsed[i].markdown;
        primary = f.path;
      }
    }
    if (parsed[i].page && parsed[i].page->kind == TextPage::Kind::episode) {
      pages.push_back(&*parsed[i].page);
    }
    if (parsed[i].audio) audio.emplace_back(&f, &*parsed[i].audio);
  }
  if (md) e = std::move(md->episode);  // only its audio fields are read below
  e.show = slug_;
  e.key = g.key;
  for (std::size_t i = 0; i < g.members.size(); ++i) {
    if (parsed[i].page && parsed[i].page->kind == TextPage::Kind::episode) {
      if (primary.empty()) primary = g.members[i].path;
      fill_unset(e, parsed[i].page->episode);
      if (e.transcripts.empty()) e.transcripts = parsed[i].page->episode.transcripts;
    }
  }

  // The enclosure: the file the notes name, else the best audio file of the group.
  const ScannedFile* primary_audio = nullptr;
  const AudioInfo* primary_info = nullptr;
  std::optional<AudioInfo> claimed_info;
  std::string claimed_path;
  if (md && !md->audio.empty()) {
    if (text::has_http_scheme(md->audio)) {
      Enclosure enc;
      enc.url = md->audio;
      enc.length = md->audio_length.value_or(0);
      enc.mime = md->audio_mime.empty() ? mime_from_extension(md->audio) : md->audio_mime;
      if (!md->audio_length) {
        warnings.push_back({Severity::warning, primary, 0,
                            "remote audio '" + md->audio + "' has no length; add length = BYTES"});
      }
      e.enclosure = enc;
    } else {
      std::string rel = resolve_relative(g.dir, md->audio);
      for (auto& [f, info] : audio) {
        if (f->path == rel) {
          primary_audio = f;
          primary_info = info;
        }
      }
      if (!primary_audio) {
        // Audio elsewhere in the show, claimed by this episode.
        struct stat st;
        if (rel.empty() || ::stat((content_dir_ / rel).c_str(), &st) != 0) {
          if (first_error.empty()) {
            first_error = primary + ": audio file '" + md->audio + "' does not exist";
            diag({Severity::error, primary, 0, "audio file '" + md->audio + "' does not exist"});
          }
        } else {
          ScannedFile f{
              rel, static_cast<std::int64_t>(st.st_size),
              static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
              SourceKind::audio};
          Parsed p;
          std::string err = parse_member(f, g.key, p);
          if (!err.empty()) {
            if (first_error.empty()) first_error = err;
          } else {
            claimed_info = std::move(p.audio);
            claimed_path = rel;
            claimed_.insert(rel);
            if (auto it = db_sources_.find(rel); it != db_sources_.end()) {
              alt_hashes.push_back(it->second.hash);
            }
            // The claimed file's own stem episode (if any) becomes this one.
            std::string natural = stem_key(rel);
            if (EpisodeIdentity* id = ids_.by_key(natural); id && !id->removed) {
              vanishing_.insert(natural);
            }
          }
        }
      }
    }
  }
  if (!primary_audio && !claimed_info && !e.enclosure && !audio.empty()) {
    auto best = std::min_element(audio.begin(), audio.end(), [](const auto& a, const auto& b) {
      int pa = audio_preference(a.first->path), pb = audio_preference(b.first->path);
      return pa != pb ? pa < pb : a.first->path < b.first->path;
    });
    primary_audio = best->first;
    primary_info = best->second;
  }
  if (claimed_info) primary_info = &*claimed_info;
  if (primary_info) {
    const std::string& path = primary_audio ? primary_audio->path : claimed_path;
    Enclosure enc;
    enc.file = path;
    enc.length = primary_info->length;
    enc.mime = primary_info->mime;
    enc.duration = primary_info->duration;
    enc.bitrate = primary_info->bitrate;
    if (md && md->audio_length && *md->audio_length != enc.length) {
      warnings.push_back({Severity::warning, primary, 0,
                          "declared length " + std::to_string(*md->audio_length) +
                              " differs from " + path + "'s " + std::to_string(enc.length) +
                              " bytes; using the file's"});
    }
    if (md && !md->audio_mime.empty() && md->audio_mime != enc.mime) {
      warnings.push_back({Severity::warning, primary, 0,
                          "declared mime '" + md->audio_mime + "' differs from " + path +
                              "'s content (" + enc.mime + "); using the content's"});
    }
    if (e.declared_duration && enc.duration > 0 &&
        std::abs(*e.declared_duration - enc.duration) > 5) {
      warnings.push_back({Severity::warning, primary.empty() ? path : primary, 0,
                          "declared duration " + text::format_clock(*e.declared_duration) +
                              " differs from the audio's " + text::format_clock(enc.duration) +
                              "; using the audio's"});
    }
    e.enclosure = enc;
    if (e.title.empty()) e.title = primary_info->title;
    if (!e.date) e.date = primary_info->date;
    if (e.notes_text.empty() && e.notes_html.empty() && !primary_info->comment.empty()) {
      e.notes_text = primary_info->comment;
      e.notes_html = "<p>" + text::html_escape(primary_info->comment) + "</p>";
    }
    auto rec = db_sources_.find(path);
    std::string audio_hash = rec != db_sources_.end() ? rec->second.hash : "";
    if (primary.empty()) {
      primary = path;
      identity_hash = audio_hash;
    } else if (!audio_hash.empty()) {
      alt_hashes.push_back(audio_hash);
    }
  }
  // Other audio files of the group: alternate renditions of the same episode.
  for (auto& [f, info] : audio) {
    if (f == primary_audio) continue;
    AlternateEnclosure alt;
    alt.type = info->mime;
    alt.length = info->length;
    alt.bitrate = info->bitrate * 1000;
    alt.sources = {f->path};
    e.alternate_enclosures.push_back(std::move(alt));
  }
  // Sidecars: transcripts, chapters, art.
  std::vector<Chapter> sidecar_chapters;
  std::string stem_image, any_image;
  for (std::size_t i = 0; i < g.members.size(); ++i) {
    if (parsed[i].transcript) e.transcripts.push_back(std::move(*parsed[i].transcript));
    if (parsed[i].chapters && sidecar_chapters.empty()) sidecar_chapters = *parsed[i].chapters;
    if (g.members[i].kind == SourceKind::image) {
      const std::string& p = g.members[i].path;
      std::string name = text::to_lower_ascii(file_name_of(p));
      if (any_image.empty()) any_image = p;
      if (stem_image.empty() &&
          (!g.bundle || name.rfind("cover.", 0) == 0 || name.rfind("episode.", 0) == 0 ||
           name.rfind("artwork.", 0) == 0)) {
        stem_image = p;
      }
    }
  }
  if (e.chapters.empty()) e.chapters = sidecar_chapters;
  if (e.chapters.empty() && primary_info) e.chapters = primary_info->chapters;
  // The parsers give image paths relative to the content dir already (checked not to leave
  // it); only whether the file is there is left to see.
  if (!e.image.empty() && !text::has_http_scheme(e.image)) {
    struct stat st;
    if (::stat((content_dir_ / e.image).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
      warnings.push_back({Severity::warning, primary, 0,
                          "image '" + e.image + "' does not exist; published without it"});
      e.image.clear();
    }
  }
  if (e.image.empty()) e.image = !stem_image.empty() ? stem_image : any_image;
  if (e.image.empty() && primary_info && !primary_info->art_mime.empty() && e.enclosure &&
      !e.enclosure->file.empty()) {
    e.image = e.enclosure->file + "#art";  // the publisher extracts the embedded picture
  }
  if (identity_hash.empty()) {
    if (auto rec = db_sources_.find(primary); rec != db_sources_.end()) {
      identity_hash = rec->second.hash;
    }
  }
  for (Diagnostic& w : warnings) diag(std::move(w));

  if (!first_error.empty()) {
    // Keep the last good version and say why it is stale.
    if (EpisodeIdentity* id = ids_.by_key(g.key); id && !id->removed) {
      catalog_.set_episode_error(slug_, g.key, first_error);
      id->error = first_error;
    }
    return;
  }
  if (primary.empty()) {
    // Only sidecars: nothing to publish them with.
    for (const ScannedFile& f : g.members) {
      if (f.kind != SourceKind::image) {
        diag({Severity::warning, f.path, 0,
              "no notes or audio file with the stem '" + std::string(file_name_of(g.key)) +
                  "' to attach it to"});
      }
    }
    return;
  }
  if (e.title.empty()) {
    e.title = humanize_stem(g.key);
    diag({Severity::warning, primary, 0, "no title; using the file name '" + e.title + "'"});
  }
  apply_listings_to(e);
  for (const ScannedFile& f : g.members) e.sources.push_back(f.path);
  if (!claimed_path.empty()) e.sources.push_back(claimed_path);
  std::sort(e.sources.begin(), e.sources.end());
  // Primary first: it names the episode in messages.
  auto p = std::find(e.sources.begin(), e.sources.end(), primary);
  if (p != e.sources.end()) std::rotate(e.sources.begin(), p, p + 1);
  write_episode(e, identity_hash, alt_hashes, primary);
}

void Pass::run(const std::string& show_dir, std::vector<ScannedFile> listing,
               std::unordered_map<std::string, SourceRecord> known, const Scope& scope) {
  db_sources_ = std::move(known);
  report_.files += static_cast<int>(listing.size());
  bool show_known = catalog_.show(slug_).has_value();

  // 1. What changed in scope.
  std::unordered_set<std::string_view> present;  // views into `listing`
  present.reserve(listing.size());
  for (const ScannedFile& f : listing) {
    present.insert(f.path);
    auto it = db_sources_.find(f.path);
    if (it == db_sources_.end()) {
      changed_.insert(f.path);
      continue;
    }
    const SourceRecord& r = it->second;
    if (r.size != f.size) {
      changed_.insert(f.path);
    } else if (r.mtime_ns != f.mtime_ns) {
      // Touched: re-parse only when the bytes changed.
      std::optional<std::string> h = fingerprint_file(content_dir_ / f.path, f.size);
      if (!h || *h != r.hash || !r.error.empty()) {
        changed_.insert(f.path);
      } else {
        SourceRecord updated = r;
        updated.mtime_ns = f.mtime_ns;
        catalog_.put_source(updated);
        db_sources_[f.path] = updated;
      }
    } else if (!r.error.empty()) {
      // Still broken and untouched: nothing to redo, but keep reporting it.
      diag(error_diagnostic(f.path, r.error));
    }
  }
  for (const auto& [path, rec] : db_sources_) {
    if (scope.covers(path) && !present.count(path)) removed_.push_back(path);
  }
  std::sort(removed_.begin(), removed_.end());
  if (show_known && changed_.empty() && removed_.empty()) return;
  // Many changes (a first scan, a bulk edit): one query for every identity beats one each;
  // otherwise identities are looked up where needed (a one-file edit in a show of thousands
  // touches a handful).
  if (changed_.size() + removed_.size() > 64) ids_.preload();

  // 2. Changed .txt files first: show pages are show-level.
  bool pages_changed = false;
  for (const ScannedFile& f : listing) {
    if (f.kind != SourceKind::text_page || !changed_.count(f.path)) continue;
    Result<std::string> bytes = read_text(content_dir_ / f.path, f.path, options_.max_source_bytes);
    if (!bytes) continue;  // reported when its group is processed
    Result<TextPage> page = parse_text_page(f.path, *bytes);
    if (!page) continue;
    auto old = db_sources_.find(f.path);
    if (page->kind == TextPage::Kind::show ||
        (old != db_sources_.end() && old->second.kind == "show_page")) {
      pages_changed = true;
    }
    if (page->kind == TextPage::Kind::show) {
      // Recorded before the show is assembled, which looks show pages up by kind.
      ++report_.parsed;
      for (const Diagnostic& w : page->warnings) diag(w);
      record_source(f, "show_page", fingerprint_bytes(*bytes), "", "", page->warnings);
    }
    page_hash_[f.path] = fingerprint_bytes(*bytes);
    pages_.emplace(f.path, std::move(*page));
  }
  std::string toml_path = join_path(show_dir, "show.toml");
  bool toml_changed = changed_.count(toml_path) > 0;
  for (const std::string& path : removed_) {
    const SourceRecord& r = db_sources_.at(path);
    if (r.kind == "show_page") pages_changed = true;
    if (r.kind == "show_toml") toml_changed = true;
  }
  for (const std::string& path : removed_) {
    catalog_.delete_source(path);
    db_sources_.erase(path);
  }
  bool has_pages = std::any_of(db_sources_.begin(), db_sources_.end(),
                               [](const auto& kv) { return kv.second.kind == "show_page"; });
  if (has_pages || pages_changed) ids_.preload();  // listings match against every title

  // 3. The channel.
  if (!show_known || toml_changed || has_pages || pages_changed) assemble_show(show_dir);

  // 4. Which episodes to rebuild.
  std::vector<EpisodeGroup> groups = group_episodes(show_dir, listing);
  std::set<std::string> affected;
  std::set<std::string> removed_keys;
  for (const std::string& path : removed_) removed_keys.insert(stem_key(path));
  for (const EpisodeGroup& g : groups) {
    bool hit = removed_keys.count(g.key) > 0;
    for (const ScannedFile& f : g.members) {
      if (hit) break;
      hit = changed_.count(f.path) > 0;
    }
    if (!hit && g.bundle) {
      for (const std::string& path : removed_) {
        hit = hit || (path.size() > g.key.size() && path.compare(0, g.key.size(), g.key) == 0 &&
                      path[g.key.size()] == '/');
      }
    }
    if (hit) affected.insert(g.key);
  }
  // Audio claimed by another episode's notes: a change to it rebuilds the claimer.
  for (const auto& [path, rec] : db_sources_) {
    if (rec.kind == "audio" && !rec.episode_key.empty() && rec.episode_key != stem_key(path) &&
        (changed_.count(path) || std::binary_search(removed_.begin(), removed_.end(), path))) {
      affected.insert(rec.episode_key);
    }
  }
  if (pages_changed) {
    for (const std::string& key : ids_.live_keys()) {
      const EpisodeIdentity* id = ids_.by_key(key);
      if (listing_by_title_.count(normalize_title(id->title))) affected.insert(key);
    }
  }
  // Sorted views into `groups`: a show of 10,000 episodes is looked up here once per episode.
  std::vector<std::string_view> group_keys;
  group_keys.reserve(groups.size());
  for (const EpisodeGroup& g : groups) group_keys.push_back(g.key);
  std::sort(group_keys.begin(), group_keys.end());
  auto has_group = [&](std::string_view key) {
    return std::binary_search(group_keys.begin(), group_keys.end(), key);
  };
  // Live episodes left without a group: gone (or renamed) if their files were in scope.
  // A full scan (and a pass over a show with pages) looks at every live episode: one left
  // without any file is gone. Without the identities at hand, their keys are enough.
  // Candidates: keys with no group that are not listings ('#').
  std::set<std::string> candidates;
  auto consider = [&](std::string&& key) {
    if (!has_group(key) && key.find('#') == std::string::npos) candidates.insert(std::move(key));
  };
  if (ids_.preloaded()) {
    for (std::string& key : ids_.live_keys()) consider(std::move(key));
  } else if (scope.full) {
    for (std::string& key : catalog_.live_episode_keys(slug_)) consider(std::move(key));
  }
  for (const std::string& key : removed_keys) consider(std::string(key));
  for (const std::string& path : removed_) {
    // Bundles are keyed by folder, not stem.
    for (std::string_view d = parent_path_of(path); !d.empty(); d = parent_path_of(d)) {
      consider(std::string(d));
    }
  }
  for (const std::string& key : candidates) {
    EpisodeIdentity* id = ids_.by_key(key);
    if (!id || id->removed) continue;
    if (scope.full || scope.covers(id->primary_source) ||
        std::binary_search(removed_.begin(), removed_.end(), id->primary_source)) {
      vanishing_.insert(key);
    }
  }

  // 5. Rebuild: notes first, so audio they claim is known before the audio's own groups.
  std::vector<const EpisodeGroup*> order;
  for (const EpisodeGroup& g : groups) {
    if (affected.count(g.key)) order.push_back(&g);
  }
  std::stable_partition(order.begin(), order.end(),
                        [](const EpisodeGroup* g) { return g->has_notes(); });
  auto is_claimed = [&](const EpisodeGroup& g) {
    bool any_audio = false;
    for (const ScannedFile& f : g.members) {
      if (f.kind != SourceKind::audio) continue;
      any_audio = true;
      if (claimed_.count(f.path)) continue;
      auto rec = db_sources_.find(f.path);
      bool claimed_before = rec != db_sources_.end() && !rec->second.episode_key.empty() &&
                            rec->second.episode_key != g.key;
      // A claimer rebuilt in this pass that no longer names the file releases it.
      if (!claimed_before || processed_.count(rec->second.episode_key)) return false;
    }
    return any_audio;
  };
  // Big passes (a cold scan) read and parse on a second thread while this one writes.
  std::optional<Prefetcher> prefetch;
  if (order.size() >= kPrefetchThreshold) {
    prefetch.emplace(order, [this](const ScannedFile& f) { return read_member(f); });
  }
  for (std::size_t gi = 0; gi < order.size(); ++gi) {
    const EpisodeGroup* g = order[gi];
    std::optional<std::vector<MemberRead>> pre;
    if (prefetch) pre = prefetch->take(gi);
    if (!g->has_notes() && g->has_audio() && is_claimed(*g)) {
      if (EpisodeIdentity* id = ids_.by_key(g->key); id && !id->removed) vanishing_.insert(g->key);
      for (std::size_t k = 0; k < g->members.size(); ++k) {
        const ScannedFile& f = g->members[k];
        if (changed_.count(f.path) && !claimed_.count(f.path)) {
          Parsed unused;
          const std::string& owner = db_sources_.at(f.path).episode_key;
          if (pre) {
            commit_member(f, owner, (*pre)[k], unused);
          } else {
            parse_member(f, owner, unused);
          }
        }
      }
      continue;
    }
    process_group(*g, pre ? &*pre : nullptr);
  }
  // Audio released by its claimer becomes its own episode again.
  for (const EpisodeGroup& g : groups) {
    if (processed_.count(g.key) || g.has_notes() || !g.has_audio()) continue;
    bool released = false;
    for (const ScannedFile& f : g.members) {
      auto rec = db_sources_.find(f.path);
      released =
          released ||
          (f.kind == SourceKind::audio && !claimed_.count(f.path) && rec != db_sources_.end() &&
           processed_.count(rec->second.episode_key) && rec->second.episode_key != g.key);
    }
    if (released) process_group(g);
  }

  // 6. Listed episodes without a page of their own.
  if (!listings_.empty() || pages_changed) {
    std::set<std::string> titles_with_pages;
    for (const std::string& key : ids_.live_keys()) {
      if (key.find('#') == std::string::npos && !vanishing_.count(key)) {
        titles_with_pages.insert(normalize_title(ids_.by_key(key)->title));
      }
    }
    std::set<std::string> virtual_keys;
    for (auto& [page_path, listed] : listings_) {
      if (titles_with_pages.count(normalize_title(listed.title))) continue;
      Episode e = listed;
      e.show = slug_;
      e.key = page_path + "#" + text::slugify(listed.title);
      e.sources = {page_path};
      if (!virtual_keys.insert(e.key).second) continue;
      vanishing_.erase(e.key);
      write_episode(e, "", {}, page_path);
    }
    for (const std::string& key : ids_.live_keys()) {
      if (key.find('#') != std::string::npos && !virtual_keys.count(key)) vanishing_.insert(key);
    }
  }

  // 7. What is gone stays as a tombstone: its GUID is never lost or reused.
  for (const std::string& key : vanishing_) {
    catalog_.tombstone_episode(slug_, key, options_.clock());
    ids_.mark_removed(key);
    ++report_.episodes_removed;
    report_.changed_shows.insert(slug_);
  }
}

}  // namespace

std::string derive_episode_guid(std::string_view show_slug, const Episode& episode,
                                bool disambiguate) {
  // podcastd's own namespace, itself a UUIDv5 in the URL namespace.
  static const std::string kNamespace =
      hash::uuid_v5(hash::kUrlNamespace, "https://podcastd.invalid/ns/episode-guid");
  std::string name(show_slug);
  name += '\n';
  if (episode.date) {
    name += timefmt::format_iso8601(*episode.date);
  } else {
    name += "key:" + episode.key;
  }
  if (disambiguate && episode.date) name += "\n" + episode.key;
  return hash::uuid_v5(kNamespace, name);
}

Ingestor::Ingestor(Catalog& catalog, fs::path content_dir, IngestOptions options)
    : catalog_(catalog), content_dir_(std::move(content_dir)), options_(std::move(options)) {
  if (!options_.clock) options_.clock = system_now;
}

namespace {
void finish(IngestReport& report, std::chrono::steady_clock::time_point start) {
  std::stable_sort(report.diagnostics.begin(), report.diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return std::tie(a.file, a.line) < std::tie(b.file, b.line);
                   });
  report.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
}

// A show's source rows as the catalog holds them, by path.
std::unordered_map<std::string, SourceRecord> source_rows(const Catalog& catalog,
                                                          const std::string& slug) {
  std::unordered_map<std::string, SourceRecord> rows;
  for (SourceRecord& r : catalog.sources_of_show(slug)) {
    std::string path = r.path;
    rows.emplace(std::move(path), std::move(r));
  }
  return rows;
}

}  // namespace

void Ingestor::add_written(
    std::vector<std::pair<std::string, std::vector<WrittenEpisode>>> passes) {
  for (auto& [slug, episodes] : passes) {
    if (episodes.empty()) continue;
    std::vector<WrittenEpisode>& kept = written_[slug];
    kept.insert(kept.end(), std::make_move_iterator(episodes.begin()),
                std::make_move_iterator(episodes.end()));
  }
}

IngestReport Ingestor::scan() {
  auto start = std::chrono::steady_clock::now();
  IngestReport report;
  // The walk of the content dir (system calls only) runs on a thread while the source rows of
  // the shows not cached yet are read here: in a new process (a one-shot `republish`) both
  // take ~20 ms at 10,000 episodes.
  std::future<Result<ContentScan>> walking =
      std::async(std::launch::async, [dir = content_dir_] { return scan_content(dir); });
  const std::vector<Show> shows_before = catalog_.shows();
  std::map<std::string, SourceRows> read_ahead;
  for (const Show& show : shows_before) {
    if (!sources_.count(show.slug)) read_ahead[show.slug] = source_rows(catalog_, show.slug);
  }
  Result<ContentScan> scan = walking.get();
  if (!scan) {
    report.diagnostics.push_back(error_diagnostic(content_dir_.string(), scan.error().message));
    ++report.errors;
    finish(report, start);
    return report;
  }
  for (Diagnostic& d : scan->diagnostics) {
    ++report.warnings;
    report.diagnostics.push_back(std::move(d));
  }
  // Rows taken out of the cache are put back only after the commit: a pass that throws
  // leaves its show to be read from the catalog next time.
  std::vector<std::pair<std::string, SourceRows>> after;
  std::vector<std::pair<std::string, std::vector<WrittenEpisode>>> written;
  Catalog::Transaction tx(catalog_);
  std::set<std::string> seen;
  for (ScannedShow& show : scan->shows) {
    seen.insert(show.slug);
    Scope scope;
    scope.full = true;
    SourceRows known;
    if (auto it = sources_.find(show.slug); it != sources_.end()) {
      known = std::move(it->second);
      sources_.erase(it);
    } else if (auto ahead = read_ahead.find(show.slug); ahead != read_ahead.end()) {
      known = std::move(ahead->second);
    } else {  // a show new to the catalog
      known = source_rows(catalog_, show.slug);
    }
    Pass pass(catalog_, content_dir_, options_, report, show.slug);
    pass.run(show.dir, std::move(show.files), std::move(known), scope);
    after.emplace_back(show.slug, pass.take_sources());
    written.emplace_back(show.slug, pass.take_written());
  }
  for (const Show& show : shows_before) {  // a pass adds only shows it has seen
    if (seen.count(show.slug)) continue;
    // The show's folder is gone: its episodes become tombstones, its GUIDs stay remembered.
    sources_.erase(show.slug);
    catalog_.remove_show(show.slug);
    for (const SourceRecord& r : catalog_.sources_of_show(show.slug))
      catalog_.delete_source(r.path);
    report.changed_shows.insert(show.slug);
  }
  tx.commit();
  for (auto& [slug, rows] : after) sources_[slug] = std::move(rows);
  add_written(std::move(written));
  finish(report, start);
  return report;
}

IngestReport Ingestor::ingest_paths(const std::vector<fs::path>& paths) {
  auto start = std::chrono::steady_clock::now();
  bool single = ::access((content_dir_ / "show.toml").c_str(), F_OK) == 0;
  std::string single_slug;
  if (single) single_slug = fs::weakly_canonical(content_dir_).filename().string();
  struct ShowWork {
    std::string dir;
    Scope scope;
    std::set<std::string> paths;  // exact files named by the batch
  };
  std::map<std::string, ShowWork> work;
  fs::path base = content_dir_.lexically_normal();
  for (const fs::path& raw : paths) {
    fs::path p = raw.is_absolute() ? raw.lexically_normal() : (base / raw).lexically_normal();
    std::string rel = p.lexically_relative(base).generic_string();
    if (rel.empty() || rel == "." || rel.rfind("..", 0) == 0) return scan();
    std::string slug, show_dir;
    if (single) {
      slug = single_slug;
    } else {
      std::size_t slash = rel.find('/');
      if (slash == std::string::npos) return scan();  // a show folder came or went
      slug = rel.substr(0, slash);
      show_dir = slug;
    }
    if (!catalog_.show(slug)) return scan();
    ShowWork& w = work[slug];
    w.dir = show_dir;
    struct stat st;
    bool is_dir = ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
    bool was_dir = !is_dir && !catalog_.sources_with_prefix(rel + "/").empty();
    if (is_dir || was_dir) {
      w.scope.trees.insert(rel);
      continue;
    }
    // A file: its stem group, or the bundle around it.
    std::string bundle;
    for (std::string_view d = parent_path_of(rel); !d.empty() && d != show_dir;
         d = parent_path_of(d)) {
      fs::path abs = content_dir_ / std::string(d);
      if (::access((abs / "episode.md").c_str(), F_OK) == 0 ||
          ::access((abs / "index.md").c_str(), F_OK) == 0 ||
          catalog_.source(join_path(d, "episode.md")) ||
          catalog_.source(join_path(d, "index.md"))) {
        bundle = std::string(d);
      }
    }
    if (!bundle.empty()) {
      w.scope.trees.insert(bundle);
    } else {
      w.scope.keys.insert(stem_key(rel));
      w.paths.insert(rel);
    }
  }

  IngestReport report;
  // Per show: the paths the pass started from and the rows it left, applied to the cache of
  // source rows after the commit (a pass writes rows only for paths in its scope).
  // Until the commit, the shows in this batch have no trustworthy cached rows: they are
  // parked here and put back with what the passes left.
  std::map<std::string, SourceRows> parked;
  std::vector<std::pair<std::string, std::vector<WrittenEpisode>>> written;
  for (const auto& entry : work) {
    if (auto it = sources_.find(entry.first); it != sources_.end()) {
      parked.emplace(entry.first, std::move(it->second));
      sources_.erase(it);
    }
  }
  Catalog::Transaction tx(catalog_);
  for (auto& entry : work) {
    // (Named, not a structured binding: clang 14 cannot capture those in lambdas.)
    const std::string& slug = entry.first;
    ShowWork& w = entry.second;
    // Known rows in scope, plus the show-level ones.
    std::map<std::string, SourceRecord> known;
    auto add = [&](std::vector<SourceRecord> rows) {
      for (SourceRecord& r : rows) {
        if (r.show == slug) known.emplace(r.path, std::move(r));
      }
    };
    for (const std::string& key : w.scope.keys) {
      std::string dir(parent_path_of(key));
      std::string stem = key.substr(dir.empty() ? 0 : dir.size() + 1);
      for (SourceRecord& r : catalog_.sources_with_prefix(join_path(dir, stem))) {
        if (stem_key(r.path) == key) known.emplace(r.path, std::move(r));
      }
      add(catalog_.sources_of_episode(slug, key));
    }
    for (const std::string& tree : w.scope.trees) add(catalog_.sources_with_prefix(tree + "/"));
    // Audio claimed by an episode in scope, and claimers of audio in scope.
    std::set<std::string> claim_keys;
    for (const auto& [path, r] : known) {
      if (!r.episode_key.empty() && r.episode_key != stem_key(path) &&
          !w.scope.keys.count(r.episode_key)) {
        claim_keys.insert(r.episode_key);
      }
    }
    for (const std::string& key : claim_keys) {
      w.scope.keys.insert(key);
      add(catalog_.sources_of_episode(slug, key));
      for (SourceRecord& r : catalog_.sources_with_prefix(key)) {
        if (stem_key(r.path) == key) known.emplace(r.path, std::move(r));
      }
    }
    add(catalog_.show_level_sources(slug));

    // The files in scope as they are now.
    std::map<std::string, ScannedFile> listing;
    auto stat_file = [&](const std::string& rel) {
      struct stat st;
      if (::stat((content_dir_ / rel).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return;
      FileName fn = classify_file_name(file_name_of(rel));
      if (fn.kind == SourceKind::other) return;
      listing[rel] = {
          rel, static_cast<std::int64_t>(st.st_size),
          static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec, fn.kind};
    };
    for (const auto& [path, r] : known) {
      if (w.scope.covers(path)) stat_file(path);
    }
    for (const std::string& path : w.paths) stat_file(path);
    for (const std::string& tree : w.scope.trees) {
      for (ScannedFile& f : list_sources(content_dir_, tree, true)) listing[f.path] = f;
    }
    std::vector<ScannedFile> files;
    files.reserve(listing.size());
    for (auto& [path, f] : listing) files.push_back(std::move(f));
    SourceRows rows;
    for (auto& [path, r] : known) rows.emplace(path, std::move(r));
    Pass pass(catalog_, content_dir_, options_, report, slug);
    pass.run(w.dir, std::move(files), std::move(rows), w.scope);
    // The pass wrote rows only for paths in its scope: those it started from (the keys of
    // `known`) are replaced by those it left.
    if (auto p = parked.find(slug); p != parked.end()) {
      for (const auto& row : known) p->second.erase(row.first);
      for (auto& [path, r] : pass.take_sources()) p->second.insert_or_assign(path, std::move(r));
    }
    written.emplace_back(slug, pass.take_written());
  }
  tx.commit();
  for (auto& [slug, rows] : parked) sources_[slug] = std::move(rows);
  add_written(std::move(written));
  finish(report, start);
  return report;
}

}  // namespace podcastd::catalog
