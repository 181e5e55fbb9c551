#include "feeds/publish_cache.hpp"

#include <cstring>
#include <memory>

#include "catalog/hash.hpp"
#include "feeds/atomic_file.hpp"

namespace podcastd::feeds {
namespace {

constexpr std::size_t kHeaderSize = 4 + 4 + 8 + 8;  // magic, version, payload size, hash

class Encoder {
 public:
  explicit Encoder(std::size_t reserve) { out_.reserve(reserve); }

  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void b(bool v) { u8(v ? 1 : 0); }
  void u32(std::uint32_t v) {
    char buf[4];
    for (int i = 0; i < 4; ++i) buf[i] = static_cast<char>((v >> (8 * i)) & 0xff);
    out_.append(buf, 4);
  }
  void u64(std::uint64_t v) {
    char buf[8];
    for (int i = 0; i < 8; ++i) buf[i] = static_cast<char>((v >> (8 * i)) & 0xff);
    out_.append(buf, 8);
  }
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  void i32(int v) { u32(static_cast<std::uint32_t>(v)); }
  void str(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
  }
  template <typename T, typename F>
  void list(const T& items, F each) {
    u32(static_cast<std::uint32_t>(items.size()));
    for (const auto& item : items) each(item);
  }

  std::string& bytes() { return out_; }

 private:
  std::string out_;
};

// Reads what Encoder wrote. Any read past the end (or a count larger than the bytes left
// could hold) sets failed() and returns zeros, so a corrupt file decodes to nothing usable.
class Decoder {
 public:
  // With an `owner` of `in`'s bytes, text() gives views into them instead of copies.
  explicit Decoder(std::string_view in, std::shared_ptr<const void> owner = nullptr)
      : in_(in), owner_(std::move(owner)) {}

  bool failed() const { return failed_; }
  bool at_end() const { return pos_ == in_.size(); }

  std::uint8_t u8() {
    if (!need(1)) return 0;
    return static_cast<std::uint8_t>(in_[pos_++]);
  }
  bool b() { return u8() != 0; }
  std::uint32_t u32() {
    if (!need(4)) return 0;
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      v |= static_cast<std::uint32_t>(static_cast<unsigned char>(in_[pos_ + i])) << (8 * i);
    }
    pos_ += 4;
    return v;
  }
  std::uint64_t u64() {
    if (!need(8)) return 0;
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) {
      v |= static_cast<std::uint64_t>(static_cast<unsigned char>(in_[pos_ + i])) << (8 * i);
    }
    pos_ += 8;
    return v;
  }
  std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
  int i32() { return static_cast<int>(u32()); }
  std::size_t size() { return static_cast<std::size_t>(u64()); }
  std::string str() { return std::string(bytes()); }
  SharedText text() {
    std::string_view part = bytes();
    if (!owner_) return SharedText(std::string(part));
    return SharedText(owner_, part);
  }
  // A count of things each at least `min_bytes` long.
  std::uint32_t count(std::size_t min_bytes) {
    std::uint32_t n = u32();
    if (failed_ || static_cast<std::uint64_t>(n) * min_bytes > in_.size() - pos_) {
      failed_ = true;
      return 0;
    }
    return n;
  }

 private:
  bool need(std::size_t n) {
    if (failed_ || n > in_.size() - pos_) {
      failed_ = true;
      return false;
    }
    return true;
  }

  // A u32 length and that many bytes, as a view into `in_`.
  std::string_view bytes() {
    std::uint32_t n = u32();
    if (!need(n)) return {};
    std::string_view part = in_.substr(pos_, n);
    pos_ += n;
    return part;
  }

  std::string_view in_;
  std::shared_ptr<const void> owner_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

void put_finding(Encoder& e, const Finding& f) {
  e.u8(static_cast<std::uint8_t>(f.severity));
  e.str(f.rule);
  e.str(f.element);
  e.i32(f.line);
  e.str(f.message);
  e.str(f.source);
}

Finding get_finding(Decoder& d) {
  Finding f;
  std::uint8_t severity = d.u8();
  if (severity > static_cast<std::uint8_t>(Severity::info)) severity = 0;
  f.severity = static_cast<Severity>(severity);
  f.rule = d.str();
  f.element = d.str();
  f.line = d.i32();
  f.message = d.str();
  f.source = d.str();
  return f;
}
constexpr std::size_t kMinFinding = 1 + 4 * 5;

void put_strings(Encoder& e, const std::vector<std::string>& v) {
  e.list(v, [&](const std::string& s) { e.str(s); });
}

std::vector<std::string> get_strings(Decoder& d) {
  std::vector<std::string> v(d.count(4));
  for (std::string& s : v) s = d.str();
  return v;
}

void put_facts(Encoder& e, const ItemFacts& f) {
  e.b(f.has_guid);
  e.str(f.guid);
  e.i32(f.guid_line);
  e.str(f.enclosure_url);
  e.i32(f.enclosure_line);
  e.b(f.pub_date.has_value());
  e.i64(f.pub_date.value_or(0));
  e.i32(f.pub_date_line);
  e.str(f.title);
  e.str(f.itunes_title);
  e.i32(f.title_line);
  e.b(f.has_itunes_episode);
  e.b(f.has_itunes_season);
  e.str(f.episode_type);
  put_strings(e, f.person_names);
  e.i32(f.person_line);
  e.b(f.has_transcript);
  e.b(f.has_chapters);
  put_strings(e, f.namespaces_used);
  e.list(f.undeclared_prefixes, [&](const ItemFacts::UndeclaredPrefix& p) {
    e.str(p.prefix);
    e.str(p.element);
    e.i32(p.line);
  });
}

ItemFacts get_facts(Decoder& d) {
  ItemFacts f;
  f.has_guid = d.b();
  f.guid = d.str();
  f.guid_line = d.i32();
  f.enclosure_url = d.str();
  f.enclosure_line = d.i32();
  bool has_date = d.b();
  std::int64_t date = d.i64();
  if (has_date) f.pub_date = date;
  f.pub_date_line = d.i32();
  f.title = d.str();
  f.itunes_title = d.str();
  f.title_line = d.i32();
  f.has_itunes_episode = d.b();
  f.has_itunes_season = d.b();
  f.episode_type = d.str();
  f.person_names = get_strings(d);
  f.person_line = d.i32();
  f.has_transcript = d.b();
  f.has_chapters = d.b();
  f.namespaces_used = get_strings(d);
  f.undeclared_prefixes.resize(d.count(12));
  for (ItemFacts::UndeclaredPrefix& p : f.undeclared_prefixes) {
    p.prefix = d.str();
    p.element = d.str();
    p.line = d.i32();
  }
  return f;
}

void put_item(Encoder& e, const CachedItem& item) {
  e.str(item.content_hash);
  e.str(item.folder);
  e.str(item.guid);
  e.str(item.fragment);
  e.u64(item.fragment_hash);
  e.str(item.segment.data);
  e.u32(item.segment.crc);
  e.u64(item.segment.raw_size);
  e.u64(item.segment_after);
  e.b(item.trailer.has_value());
  if (item.trailer) {
    const TrailerRef& t = *item.trailer;
    e.str(t.title);
    e.str(t.url);
    e.i64(t.pubdate);
    e.i64(t.length);
    e.str(t.type);
    e.b(t.season.has_value());
    e.i32(t.season.value_or(0));
  }
  e.b(item.psc);
  const ItemResult& c = item.check;
  e.list(c.findings, [&](const Finding& f) { put_finding(e, f); });
  put_facts(e, c.facts);
  e.b(c.parsed);
  e.i32(c.leading_lines);
  e.i32(c.line_count);
  e.u64(c.bytes);
  e.u64(c.offset);
  e.list(item.info, [&](const std::pair<std::size_t, Finding>& entry) {
    e.u64(entry.first);
    put_finding(e, entry.second);
  });
  e.u64(item.http_urls);
  e.list(item.files, [&](const std::string& path) { e.str(path); });
}

CachedItem get_item(Decoder& d) {
  CachedItem item;
  item.content_hash = d.str();
  item.folder = d.str();
  item.guid = d.str();
  item.fragment = d.text();
  item.fragment_hash = d.u64();
  item.segment.data = d.text();
  item.segment.crc = d.u32();
  item.segment.raw_size = d.u64();
  item.segment_after = d.u64();
  if (d.b()) {
    TrailerRef t;
    t.title = d.str();
    t.url = d.str();
    t.pubdate = d.i64();
    t.length = d.i64();
    t.type = d.str();
    bool has_season = d.b();
    int season = d.i32();
    if (has_season) t.season = season;
    item.trailer = std::move(t);
  }
  item.psc = d.b();
  ItemResult& c = item.check;
  c.findings.resize(d.count(kMinFinding));
  for (Finding& f : c.findings) f = get_finding(d);
  c.facts = get_facts(d);
  c.parsed = d.b();
  c.leading_lines = d.i32();
  c.line_count = d.i32();
  c.bytes = d.size();
  c.offset = d.size();
  item.info.resize(d.count(8 + kMinFinding));
  for (auto& entry : item.info) {
    entry.first = d.size();
    entry.second = get_finding(d);
  }
  item.http_urls = d.size();
  std::uint32_t files = d.count(4);
  for (std::uint32_t i = 0; i < files && !d.failed(); ++i) item.files.insert(d.str());
  return item;
}

void put_key(Encoder& e, const PublishCacheKey& key) {
  e.str(key.feed_hash);
  e.u64(key.outputs_digest);
  e.str(key.output_dir);
  e.str(key.public_url);
}

PublishCacheKey get_key(Decoder& d) {
  PublishCacheKey key;
  key.feed_hash = d.str();
  key.outputs_digest = d.u64();
  key.output_dir = d.str();
  key.public_url = d.str();
  return key;
}

void put_slugs_keys_hash(Encoder& e, const PublishCache& cache) {
  e.b(cache.slugs_keys_hash.has_value());
  e.u64(cache.slugs_keys_hash.value_or(0));
}

std::optional<std::uint64_t> get_slugs_keys_hash(Decoder& d) {
  bool has = d.b();
  std::uint64_t hash = d.u64();
  return has ? std::optional<std::uint64_t>(hash) : std::nullopt;
}

void put_slugs(Encoder& e, const PublishCache& cache) {
  e.list(cache.slugs, [&](const auto& entry) {
    e.str(entry.first);
    e.str(entry.second);
  });
}

void get_slugs(Decoder& d, PublishCache& cache) {
  std::uint32_t slugs = d.count(8);
  cache.slugs.clear();
  cache.slugs.reserve(slugs);
  for (std::uint32_t i = 0; i < slugs && !d.failed(); ++i) {
    std::string k = d.str();
    cache.slugs[std::move(k)] = d.str();
  }
}

// Starts a file: magic, version, then room for the payload's size and hash.
Encoder start_file(std::string_view magic, std::size_t estimate) {
  Encoder e(estimate + kHeaderSize);
  e.bytes().append(magic);
  e.u32(kPublishCacheVersion);
  e.u64(0);
  e.u64(0);
  return e;
}

std::string finish_file(Encoder& e) {
  std::string& out = e.bytes();
  std::string_view payload = std::string_view(out).substr(kHeaderSize);
  Encoder header(16);
  header.u64(payload.size());
  header.u64(hash::hash64(payload));
  std::memcpy(out.data() + 8, header.bytes().data(), 16);
  return std::move(out);
}

// The payload of a file of this version with this magic, and its hash (the file's id).
std::optional<std::pair<std::string_view, std::uint64_t>> open_file(std::string_view bytes,
                                                                    std::string_view magic) {
  if (bytes.size() < kHeaderSize || bytes.substr(0, 4) != magic) return std::nullopt;
  Decoder header(bytes.substr(4, kHeaderSize - 4));
  if (header.u32() != kPublishCacheVersion) return std::nullopt;
  std::uint64_t size = header.u64();
  std::uint64_t digest = header.u64();
  std::string_view payload = bytes.substr(kHeaderSize);
  if (size != payload.size() || hash::hash64(payload) != digest) return std::nullopt;
  return std::make_pair(payload, digest);
}

constexpr std::string_view kBaseMagic = "PDPC";
constexpr std::string_view kDeltaMagic = "PDPD";

std::filesystem::path base_path(const std::filesystem::path& dir, std::string_view show) {
  return dir / (std::string(show) + ".items");
}
std::filesystem::path delta_path(const std::filesystem::path& dir, std::string_view show) {
  return dir / (std::string(show) + ".delta");
}

}  // namespace

void OutputsDigest::add(std::string_view path, std::string_view hash) {
  hash::Hasher64 h;
  h.update(path);
  h.update(std::string_view("\0", 1));
  h.update(hash);
  sum_ += h.digest();
}

namespace {

std::vector<PublishCacheEntry> entries_of(const PublishCache& cache) {
  std::vector<PublishCacheEntry> items;
  items.reserve(cache.items.size());
  for (const auto& [k, item] : cache.items) items.emplace_back(k, &item);
  return items;
}

// A base file up to its key: header (size and hash left at 0), channel key, folder names, items.
// `flush(e)` is called after each item; it may take the bytes encoded so far out of `e`.
template <typename Flush>
void encode_base_body(Encoder& e, const PublishCache& context,
                      const std::vector<PublishCacheEntry>& items, Flush flush) {
  e.str(context.channel_key);
  put_slugs_keys_hash(e, context);
  put_slugs(e, context);
  e.list(items, [&](const PublishCacheEntry& entry) {
    e.str(entry.first);
    put_item(e, *entry.second);
    flush(e);
  });
}

// What a base of these items takes, to reserve it at once.
std::size_t base_size_estimate(const PublishCache& context,
                               const std::vector<PublishCacheEntry>& items) {
  std::size_t estimate = 4096 + context.slugs.size() * 64;
  for (const PublishCacheEntry& entry : items) {
    estimate += entry.first.size() + entry.second->fragment.size() +
                entry.second->segment.data.size() + 1024;
  }
  return estimate;
}

// A base is written in pieces of about this size, not built whole first (at 10,000 items it
// is ~35 MB the process would otherwise fault in only to write it out).
constexpr std::size_t kBaseChunk = 1 << 20;

}  // namespace

std::string encode_publish_cache_base(const PublishCacheKey& key, const PublishCache& cache) {
  std::vector<PublishCacheEntry> items = entries_of(cache);
  Encoder e = start_file(kBaseMagic, base_size_estimate(cache, items));
  encode_base_body(e, cache, items, [](Encoder&) {});
  put_key(e, key);  // last: a publisher knows it only once the publish is over
  return finish_file(e);
}

struct PendingPublishCacheBase::File {
  TemporaryFile out;
  std::filesystem::path delta;
  hash::Hasher64 hasher;   // of the payload written so far
  std::uint64_t size = 0;  // payload bytes written so far
};

PendingPublishCacheBase::PendingPublishCacheBase(std::unique_ptr<File> file)
    : file_(std::move(file)) {}
PendingPublishCacheBase::PendingPublishCacheBase(PendingPublishCacheBase&&) noexcept = default;
PendingPublishCacheBase& PendingPublishCacheBase::operator=(PendingPublishCacheBase&&) noexcept =
    default;
PendingPublishCacheBase::~PendingPublishCacheBase() = default;

Result<PendingPublishCacheBase> PendingPublishCacheBase::start(
    const std::filesystem::path& dir, std::string_view show, const PublishCache& context,
    const std::vector<PublishCacheEntry>& items) {
  Result<TemporaryFile> out = TemporaryFile::create(base_path(dir, show));
  if (!out) return out.error();
  auto file =
      std::unique_ptr<File>(new File{std::move(*out), delta_path(dir, show), hash::Hasher64(), 0});
  // The header goes out with the first piece, and is not part of the payload hashed.
  std::size_t skip = kHeaderSize;
  Status written;
  auto write_out = [&](Encoder& e) {
    std::string& bytes = e.bytes();
    if (written) written = file->out.append(bytes);
    std::string_view payload = std::string_view(bytes).substr(skip);
    file->hasher.update(payload);
    file->size += payload.size();
    skip = 0;
    bytes.clear();
  };
  Encoder e = start_file(kBaseMagic, kBaseChunk + (kBaseChunk >> 2));
  encode_base_body(e, context, items, [&](Encoder& enc) {
    if (enc.bytes().size() >= kBaseChunk) write_out(enc);
  });
  write_out(e);
  if (!written) return written.error();
  return PendingPublishCacheBase(std::move(file));
}

Status PendingPublishCacheBase::finish(const PublishCacheKey& key, PublishCacheChanges& changes) {
  File& f = *file_;
  Encoder tail(256);
  put_key(tail, key);
  if (Status st = f.out.append(tail.bytes()); !st) return st;
  f.hasher.update(tail.bytes());
  std::uint64_t digest = f.hasher.digest();
  Encoder header(16);
  header.u64(f.size + tail.bytes().size());
  header.u64(digest);
  if (Status st = f.out.write_at(8, header.bytes()); !st) return st;
  // The delta on disk is not for the new base: it goes first.
  std::error_code ec;
  std::filesystem::remove(f.delta, ec);
  if (ec) return make_error(ErrorCode::io, f.delta.string() + ": cannot remove: " + ec.message());
  if (Status st = f.out.commit(); !st) return st;
  changes = PublishCacheChanges{};
  changes.base_id = digest;
  return {};
}

std::string encode_publish_cache_delta(const PublishCacheKey& key, const PublishCache& cache,
                                       const PublishCacheChanges& changes) {
  // Changed keys no longer among the items (dropped without being recorded) count as removed.
  std::vector<const std::string*> removed;
  std::vector<std::pair<const std::string*, const CachedItem*>> changed;
  for (const std::string& k : changes.removed) removed.push_back(&k);
  std::size_t estimate = 4096;
  for (const std::string& k : changes.changed) {
    auto it = cache.items.find(k);
    if (it == cache.items.end()) {
      removed.push_back(&k);
    } else {
      changed.emplace_back(&k, &it->second);
      estimate += k.size() + it->second.fragment.size() + it->second.segment.data.size() + 1024;
    }
  }
  if (changes.slugs_changed) estimate += cache.slugs.size() * 64;
  Encoder e = start_file(kDeltaMagic, estimate);
  e.u64(changes.base_id);
  put_key(e, key);
  e.str(cache.channel_key);
  put_slugs_keys_hash(e, cache);
  e.b(changes.slugs_changed);
  if (changes.slugs_changed) put_slugs(e, cache);
  e.list(removed, [&](const std::string* k) { e.str(*k); });
  e.list(changed, [&](const auto& entry) {
    e.str(*entry.first);
    put_item(e, *entry.second);
  });
  return finish_file(e);
}

namespace {

// The decoded items' fragments and segments are views into `base` and `delta`'s buffers.
std::optional<SavedPublishCache> decode_shared(const SharedText& base, const SharedText& delta) {
  auto base_file = open_file(base, kBaseMagic);
  if (!base_file) return std::nullopt;
  SavedPublishCache saved;
  {
    Decoder d(base_file->first, base.owner());
    PublishCache& cache = saved.cache;
    cache.channel_key = d.str();
    cache.slugs_keys_hash = get_slugs_keys_hash(d);
    get_slugs(d, cache);
    std::uint32_t items = d.count(8);
    cache.items.reserve(items);
    for (std::uint32_t i = 0; i < items && !d.failed(); ++i) {
      std::string k = d.str();
      cache.items.insert_or_assign(std::move(k), get_item(d));
    }
    saved.key = get_key(d);
    if (d.failed() || !d.at_end()) return std::nullopt;
  }
  saved.changes.base_id = base_file->second;
  auto delta_file = open_file(delta, kDeltaMagic);
  if (!delta_file) return saved;
  // Decoded aside and applied only when whole and made for this base.
  Decoder d(delta_file->first, delta.owner());
  if (d.u64() != base_file->second) return saved;
  PublishCacheKey key = get_key(d);
  std::string channel_key = d.str();
  std::optional<std::uint64_t> slugs_keys_hash = get_slugs_keys_hash(d);
  bool slugs_changed = d.b();
  PublishCache slugs;
  if (slugs_changed) get_slugs(d, slugs);
  std::vector<std::string> removed(d.count(4));
  for (std::string& k : removed) k = d.str();
  std::vector<std::pair<std::string, CachedItem>> changed(d.count(8));
  for (auto& [k, item] : changed) {
    k = d.str();
    item = get_item(d);
  }
  if (d.failed() || !d.at_end()) return saved;
  saved.key = std::move(key);
  PublishCache& cache = saved.cache;
  cache.channel_key = std::move(channel_key);
  cache.slugs_keys_hash = slugs_keys_hash;
  if (slugs_changed) cache.slugs = std::move(slugs.slugs);
  saved.changes.slugs_changed = slugs_changed;
  for (std::string& k : removed) {
    cache.items.erase(k);
    saved.changes.removed.insert(std::move(k));
  }
  for (auto& [k, item] : changed) {
    saved.changes.rendered(k);
    cache.items[k] = std::move(item);
  }
  return saved;
}

}  // namespace

std::optional<SavedPublishCache> decode_publish_cache(std::string_view base,
                                                      std::string_view delta) {
  return decode_shared(SharedText(std::string(base)), SharedText(std::string(delta)));
}

std::string seal_publish_cache_file(std::string_view payload, bool delta) {
  Encoder e = start_file(delta ? kDeltaMagic : kBaseMagic, payload.size());
  e.bytes().append(payload);
  return finish_file(e);
}

std::optional<SavedPublishCache> read_publish_cache(const std::filesystem::path& dir,
                                                    std::string_view show) {
  std::optional<SharedText> base = read_whole_file_shared(base_path(dir, show));
  if (!base) return std::nullopt;
  return decode_shared(*base, read_whole_file_shared(delta_path(dir, show)).value_or(SharedText()));
}

bool publish_cache_needs_base(const PublishCache& cache, const PublishCacheChanges& changes) {
  std::size_t delta_items = changes.changed.size() + changes.removed.size();
  return changes.base_id == 0 || delta_items * 4 >= cache.items.size();
}

Status write_publish_cache(const std::filesystem::path& dir, std::string_view show,
                           const PublishCacheKey& key, const PublishCache& cache,
                           PublishCacheChanges& changes) {
  if (!publish_cache_needs_base(cache, changes)) {
    return write_file_unsynced(delta_path(dir, show),
                               encode_publish_cache_delta(key, cache, changes));
  }
  Result<PendingPublishCacheBase> base =
      PendingPublishCacheBase::start(dir, show, cache, entries_of(cache));
  if (!base) return base.error();
  return base->finish(key, changes);
}

}  // namespace podcastd::feeds
