// The publish cache's files: every field of an item survives the round trip, a delta applies
// only to its own base, and anything torn, truncated or foreign reads as no cache at all.
#include "feeds/publish_cache.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "tests/support/test_support.hpp"

namespace podcastd::feeds {
namespace {

namespace fs = std::filesystem;
using podcastd::testing::read_file;
using podcastd::testing::TempDir;
using podcastd::testing::write_file;

Finding finding(Severity severity, const std::string& rule, int line) {
  Finding f;
  f.severity = severity;
  f.rule = rule;
  f.element = "item/enclosure";
  f.line = line;
  f.message = "a message about " + rule + " with \xc3\xa9 and a " + std::string("\0", 1) + " byte";
  f.source = "rip/ep1.md";
  return f;
}

// An item with every field set to something other than its default.
CachedItem full_item(const std::string& title) {
  CachedItem item;
  item.content_hash = "0123456789abcdef";
  item.folder = "ep1";
  item.guid = "urn:uuid:" + title;
  item.fragment = "    <item>\n      <title>" + title + "</title>\n    </item>\n";
  item.fragment_hash = 0xfedcba9876543210u;
  item.segment.data = std::string("\x01\x02\x00\xff", 4);
  item.segment.crc = 0xdeadbeef;
  item.segment.raw_size = item.fragment.size();
  item.segment_after = 42;
  TrailerRef trailer;
  trailer.title = "Trailer";
  trailer.url = "https://pod.example/rip/media/t.mp3";
  trailer.pubdate = -5;
  trailer.length = 1234567890123;
  trailer.type = "audio/mpeg";
  trailer.season = 3;
  item.trailer = trailer;
  item.psc = true;
  item.check.findings = {finding(Severity::error, "RSS-E05", 3),
                         finding(Severity::warning, "APL-W03", 7)};
  ItemFacts& f = item.check.facts;
  f.has_guid = true;
  f.guid = item.guid;
  f.guid_line = 4;
  f.enclosure_url = "https://pod.example/rip/media/ep1.mp3";
  f.enclosure_line = 5;
  f.pub_date = 1748736000;
  f.pub_date_line = 6;
  f.title = title;
  f.itunes_title = title + " (itunes)";
  f.title_line = 2;
  f.has_itunes_episode = true;
  f.has_itunes_season = true;
  f.episode_type = "full";
  f.person_names = {"Ada", "Ben"};
  f.person_line = 9;
  f.has_transcript = true;
  f.has_chapters = true;
  f.namespaces_used = {"http://www.itunes.com/dtds/podcast-1.0.dtd",
                       "https://podcastindex.org/namespace/1.0"};
  f.undeclared_prefixes = {{"psc", "item/psc:chapters", 11}};
  item.check.parsed = true;
  item.check.leading_lines = 1;
  item.check.line_count = 12;
  item.check.bytes = item.fragment.size();
  item.check.offset = 4;
  item.info = {{1, finding(Severity::info, "APL-I02", 8)}};
  item.http_urls = 2;
  item.files = {"rip/episodes/ep1/chapters.json", "rip/media/ep1.mp3"};
  return item;
}

void expect_same_item(const CachedItem& a, const CachedItem& b) {
  EXPECT_EQ(a.content_hash, b.content_hash);
  EXPECT_EQ(a.folder, b.folder);
  EXPECT_EQ(a.guid, b.guid);
  EXPECT_EQ(a.fragment, b.fragment);
  EXPECT_EQ(a.fragment_hash, b.fragment_hash);
  EXPECT_EQ(a.segment.data, b.segment.data);
  EXPECT_EQ(a.segment.crc, b.segment.crc);
  EXPECT_EQ(a.segment.raw_size, b.segment.raw_size);
  EXPECT_EQ(a.segment_after, b.segment_after);
  EXPECT_EQ(a.trailer, b.trailer);
  EXPECT_EQ(a.psc, b.psc);
  EXPECT_EQ(a.check.findings, b.check.findings);
  EXPECT_EQ(a.check.facts, b.check.facts);
  EXPECT_EQ(a.check.parsed, b.check.parsed);
  EXPECT_EQ(a.check.leading_lines, b.check.leading_lines);
  EXPECT_EQ(a.check.line_count, b.check.line_count);
  EXPECT_EQ(a.check.bytes, b.check.bytes);
  EXPECT_EQ(a.check.offset, b.check.offset);
  EXPECT_EQ(a.info, b.info);
  EXPECT_EQ(a.http_urls, b.http_urls);
  EXPECT_EQ(a.files, b.files);
}

PublishCacheKey key(const std::string& feed_hash = "00000000000000aa") {
  return {feed_hash, 77, "/srv/public", "https://pod.example"};
}

PublishCache cache_of(int n) {
  PublishCache c;
  c.channel_key = "channel";
  c.slugs_keys_hash = 99;
  for (int i = 1; i <= n; ++i) {
    std::string k = "ep" + std::to_string(i);
    c.items[k] = full_item("Episode " + std::to_string(i));
    c.slugs[k] = k;
  }
  return c;
}

TEST(PublishCacheTest, EveryFieldSurvivesTheRoundTrip) {
  PublishCache c = cache_of(2);
  c.items["ep2"].trailer.reset();  // the other branch of each optional
  c.items["ep2"].check.facts.pub_date.reset();
  std::optional<SavedPublishCache> back = decode_publish_cache(encode_publish_cache_base(key(), c));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->key, key());
  EXPECT_EQ(back->cache.channel_key, "channel");
  EXPECT_EQ(back->cache.slugs_keys_hash, std::optional<std::uint64_t>(99));
  EXPECT_EQ(back->cache.slugs, c.slugs);
  ASSERT_EQ(back->cache.items.size(), 2u);
  for (const auto& [k, item] : c.items) {
    SCOPED_TRACE(k);
    ASSERT_TRUE(back->cache.items.count(k));
    expect_same_item(back->cache.items.at(k), item);
  }
  EXPECT_NE(back->changes.base_id, 0u);
  EXPECT_TRUE(back->changes.changed.empty());
  EXPECT_TRUE(back->changes.removed.empty());
}

TEST(PublishCacheTest, TruncatedCorruptOrForeignBytesAreNoCache) {
  std::string bytes = encode_publish_cache_base(key(), cache_of(3));
  for (std::size_t n = 0; n < bytes.size(); n += 7) {
    EXPECT_FALSE(decode_publish_cache(bytes.substr(0, n))) << "truncated to " << n;
  }
  for (std::size_t at :
       {std::size_t{0}, std::size_t{5}, std::size_t{30}, bytes.size() / 2, bytes.size() - 1}) {
    std::string flipped = bytes;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x20);
    EXPECT_FALSE(decode_publish_cache(flipped)) << "byte " << at << " flipped";
  }
  EXPECT_FALSE(decode_publish_cache(bytes + "x")) << "a byte more";
  EXPECT_FALSE(decode_publish_cache("<?xml version=\"1.0\"?><rss/>"));
  std::string other_version = bytes;
  other_version[4] = static_cast<char>(kPublishCacheVersion + 1);
  EXPECT_FALSE(decode_publish_cache(other_version));
}

TEST(PublishCacheTest, SmallChangesGoToTheDeltaWhichAppliesOnlyToItsBase) {
  TempDir dir;
  PublishCache c = cache_of(16);
  PublishCacheChanges changes;
  ASSERT_TRUE(write_publish_cache(dir.path(), "rip", key("01"), c, changes));
  ASSERT_TRUE(fs::exists(dir / "rip.items"));
  EXPECT_FALSE(fs::exists(dir / "rip.delta"));
  const std::uint64_t base_id = changes.base_id;
  ASSERT_NE(base_id, 0u);
  const std::string base_bytes = read_file(dir / "rip.items");

  // One item re-rendered, one dropped: a delta, the base untouched.
  c.items["ep3"] = full_item("Episode 3 (fixed)");
  changes.rendered("ep3");
  c.items.erase("ep16");
  changes.dropped("ep16");
  ASSERT_TRUE(write_publish_cache(dir.path(), "rip", key("02"), c, changes));
  EXPECT_TRUE(read_file(dir / "rip.items") == base_bytes) << "the base was rewritten";
  ASSERT_TRUE(fs::exists(dir / "rip.delta"));
  EXPECT_LT(fs::file_size(dir / "rip.delta"), base_bytes.size() / 4);

  std::optional<SavedPublishCache> back = read_publish_cache(dir.path(), "rip");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->key, key("02"));
  EXPECT_EQ(back->cache.items.size(), 15u);
  EXPECT_FALSE(back->cache.items.count("ep16"));
  EXPECT_EQ(back->cache.items.at("ep3").fragment, c.items.at("ep3").fragment);
  EXPECT_EQ(back->changes.base_id, base_id);
  EXPECT_EQ(back->changes.changed, std::set<std::string>{"ep3"});
  EXPECT_EQ(back->changes.removed, std::set<std::string>{"ep16"});

  // A delta made for another base is ignored: the base alone, with its own key.
  std::string delta = read_file(dir / "rip.delta");
  std::string other_base = encode_publish_cache_base(key("03"), cache_of(16));
  std::optional<SavedPublishCache> mismatched = decode_publish_cache(other_base, delta);
  ASSERT_TRUE(mismatched);
  EXPECT_EQ(mismatched->key, key("03"));
  EXPECT_EQ(mismatched->cache.items.size(), 16u);
  // A torn delta too.
  std::optional<SavedPublishCache> torn =
      decode_publish_cache(base_bytes, delta.substr(0, delta.size() - 3));
  ASSERT_TRUE(torn);
  EXPECT_EQ(torn->key, key("01"));

  // Changes reaching a quarter of the items (4 of 15) make a new base and remove the delta.
  for (const char* k : {"ep1", "ep2"}) {
    c.items[k] = full_item(std::string(k) + " again");
    changes.rendered(k);
  }
  ASSERT_TRUE(write_publish_cache(dir.path(), "rip", key("04"), c, changes));
  EXPECT_FALSE(fs::exists(dir / "rip.delta"));
  EXPECT_NE(changes.base_id, base_id);
  EXPECT_TRUE(changes.changed.empty() && changes.removed.empty());
  std::optional<SavedPublishCache> rebased = read_publish_cache(dir.path(), "rip");
  ASSERT_TRUE(rebased);
  EXPECT_EQ(rebased->key, key("04"));
  EXPECT_EQ(rebased->cache.items.size(), 15u);
  EXPECT_EQ(rebased->cache.items.at("ep1").fragment, c.items.at("ep1").fragment);
}

TEST(PublishCacheTest, ABaseWrittenBeforeItsKeyReadsLikeOneWrittenAtOnce) {
  TempDir dir;
  PublishCache c = cache_of(5);
  std::vector<PublishCacheEntry> entries;
  for (const auto& [k, item] : c.items) entries.emplace_back(k, &item);
  write_file(dir / "rip.delta", "an old delta");
  {
    SCOPED_TRACE("abandoned");
    Result<PendingPublishCacheBase> pending =
        PendingPublishCacheBase::start(dir.path(), "rip", c, entries);
    ASSERT_TRUE(pending);
  }
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1)
      << "an unfinished base left its temporary";
  Result<PendingPublishCacheBase> pending =
      PendingPublishCacheBase::start(dir.path(), "rip", c, entries);
  ASSERT_TRUE(pending);
  PublishCacheChanges changes;
  changes.rendered("ep1");
  ASSERT_TRUE(pending->finish(key("05"), changes));
  EXPECT_FALSE(fs::exists(dir / "rip.delta"));
  EXPECT_TRUE(changes.changed.empty());
  std::optional<SavedPublishCache> back = read_publish_cache(dir.path(), "rip");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->key, key("05"));
  EXPECT_EQ(back->changes.base_id, changes.base_id);
  ASSERT_EQ(back->cache.items.size(), 5u);
  expect_same_item(back->cache.items.at("ep4"), c.items.at("ep4"));
  std::optional<SavedPublishCache> at_once =
      decode_publish_cache(encode_publish_cache_base(key("05"), c));
  ASSERT_TRUE(at_once);
  EXPECT_EQ(at_once->changes.base_id, back->changes.base_id) << "not the same bytes";
}

// A base of many items goes out in pieces (the whole would be ~35 MB in memory at 10,000
// items); the file must be the very bytes of the base encoded at once.
TEST(PublishCacheTest, ABaseWrittenInPiecesIsTheBaseEncodedAtOnce) {
  TempDir dir;
  PublishCache c = cache_of(700);
  for (auto& [k, item] : c.items)
    item.fragment = std::string(item.fragment) + std::string(4000, 'x');  // ~2.8 MB in all
  std::vector<PublishCacheEntry> entries;
  for (const auto& [k, item] : c.items) entries.emplace_back(k, &item);
  Result<PendingPublishCacheBase> pending =
      PendingPublishCacheBase::start(dir.path(), "rip", c, entries);
  ASSERT_TRUE(pending);
  PublishCacheChanges changes;
  ASSERT_TRUE(pending->finish(key("06"), changes));
  std::string written = read_file(dir / "rip.items");
  std::string at_once = encode_publish_cache_base(key("06"), c);
  ASSERT_GT(at_once.size(), 2u << 20) << "too small to be written in several pieces";
  EXPECT_EQ(written.size(), at_once.size());
  EXPECT_TRUE(written == at_once) << "the pieces are not the base";
  std::optional<SavedPublishCache> back = read_publish_cache(dir.path(), "rip");
  ASSERT_TRUE(back);
  ASSERT_EQ(back->cache.items.size(), 700u);
  expect_same_item(back->cache.items.at("ep700"), c.items.at("ep700"));
}

// Items read from disk are views into the bytes of the file they came from (one buffer for
// the base, one for the delta), not copies each; they stay valid when the files are gone and
// when the cache they came from is dropped.
TEST(PublishCacheTest, ItemsReadFromDiskShareTheirFilesBytesAndOutliveThem) {
  TempDir dir;
  PublishCache c = cache_of(8);
  PublishCacheChanges changes;
  ASSERT_TRUE(write_publish_cache(dir.path(), "rip", key("01"), c, changes));
  c.items["ep3"] = full_item("Episode 3 (fixed)");
  changes.rendered("ep3");
  ASSERT_TRUE(write_publish_cache(dir.path(), "rip", key("02"), c, changes));
  ASSERT_TRUE(fs::exists(dir / "rip.delta"));

  std::optional<SavedPublishCache> back = read_publish_cache(dir.path(), "rip");
  ASSERT_TRUE(back);
  const CachedItem& from_base = back->cache.items.at("ep1");
  const CachedItem& from_delta = back->cache.items.at("ep3");
  ASSERT_TRUE(from_base.fragment.owner());
  EXPECT_EQ(from_base.fragment.owner(), back->cache.items.at("ep2").fragment.owner());
  EXPECT_EQ(from_base.fragment.owner(), from_base.segment.data.owner());
  EXPECT_NE(from_delta.fragment.owner(), from_base.fragment.owner());

  std::map<std::string, CachedItem> kept(back->cache.items.begin(), back->cache.items.end());
  back.reset();
  fs::remove(dir / "rip.items");
  fs::remove(dir / "rip.delta");
  ASSERT_EQ(kept.size(), c.items.size());
  for (const auto& [k, item] : c.items) {
    EXPECT_EQ(kept.at(k).fragment, item.fragment) << k;
    EXPECT_EQ(kept.at(k).segment.data, item.segment.data) << k;
  }
}

TEST(PublishCacheTest, MissingFilesAreNoCache) {
  TempDir dir;
  EXPECT_FALSE(read_publish_cache(dir.path(), "rip"));
  write_file(dir / "rip.items", "");
  EXPECT_FALSE(read_publish_cache(dir.path(), "rip"));
}

TEST(PublishCacheTest, OutputsDigestDependsOnTheSetNotTheOrder) {
  OutputsDigest a, b, c;
  a.add("rip/feed.xml", "01");
  a.add("rip/feed.xml.gz", "02");
  b.add("rip/feed.xml.gz", "02");
  b.add("rip/feed.xml", "01");
  c.add("rip/feed.xml", "01");
  c.add("rip/feed.xml.gz", "03");
  EXPECT_EQ(a.value(), b.value());
  EXPECT_NE(a.value(), c.value());
}

}  // namespace
}  // namespace podcastd::feeds
