// Publisher on real parts: a SQLite catalog in a temp dir, content written here and ingested
// with the real Ingestor, a real output dir. What goes live (feed.xml, feed.xml.gz, episode
// companion files), what is left alone, what is kept out, and that the cached, spliced output
// equals a cold publish of the same content byte for byte.
#include "feeds/publisher.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <set>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "catalog/ingest.hpp"
#include "catalog/time.hpp"
#include "feeds/gzip.hpp"
#include "tests/support/test_support.hpp"

namespace podcastd::feeds {
namespace {

namespace fs = std::filesystem;
using catalog::Catalog;
using catalog::IngestOptions;
using catalog::Ingestor;
using catalog::IngestReport;
using catalog::UnixTime;
using podcastd::testing::markdown_episode;
using podcastd::testing::read_file;
using podcastd::testing::source_dir;
using podcastd::testing::TempDir;
using podcastd::testing::write_file;

constexpr const char* kPublicUrl = "https://pod.example";
constexpr UnixTime kDay = 86400;

constexpr const char* kShowToml = R"(title = "Rust in Practice"
description = "Conversations about Rust in production."
author = "Ada Host"
language = "en"
link = "https://rip.example"
image = "cover.jpg"
categories = ["Technology"]
explicit = false
[owner]
name = "Ada Host"
email = "ada@rip.example"
)";

// Markdown with TOML front matter; `extra` is more front matter lines.
std::string episode_md(const std::string& title, const std::string& date,
                       const std::string& extra = "", const std::string& notes = "") {
  return markdown_episode(title, date, extra,
                          notes.empty() ? "Notes about **" + title + "**.\n" : notes);
}

std::string messages(const IngestReport& r) {
  std::string out;
  for (const catalog::Diagnostic& d : r.diagnostics) out += d.to_string() + "\n";
  return out;
}

std::string gunzipped(const std::string& gz) {
  std::string out;
  EXPECT_TRUE(gunzip(gz, out)) << "feed.xml.gz is not a valid gzip file";
  return out;
}

struct FeedItem {
  std::string title;
  std::string guid;
  bool operator==(const FeedItem&) const = default;
};

std::ostream& operator<<(std::ostream& os, const FeedItem& i) {
  return os << "{" << i.title << ", " << i.guid << "}";
}

// The items of a feed, in document order. Fails the test when the feed is not well-formed.
std::vector<FeedItem> items_of(const std::string& xml) {
  pugi::xml_document doc;
  pugi::xml_parse_result r = doc.load_buffer(xml.data(), xml.size());
  EXPECT_TRUE(r) << r.description() << " at offset " << r.offset;
  std::vector<FeedItem> out;
  for (pugi::xml_node item : doc.child("rss").child("channel").children("item")) {
    out.push_back({item.child_value("title"), item.child_value("guid")});
  }
  return out;
}

std::vector<std::string> titles_of(const std::string& xml) {
  std::vector<std::string> out;
  for (const FeedItem& i : items_of(xml)) out.push_back(i.title);
  return out;
}

std::size_t count_rule(const ValidationReport& r, std::string_view rule) {
  return static_cast<std::size_t>(std::count_if(r.findings.begin(), r.findings.end(),
                                                [&](const Finding& f) { return f.rule == rule; }));
}

// Every regular file below `root`: bytes, mtime and inode (a rewrite by rename changes the
// inode even when the clock has not moved on).
struct FileState {
  std::string bytes;
  fs::file_time_type mtime;
  ino_t inode = 0;
  bool operator==(const FileState&) const = default;
};

std::ostream& operator<<(std::ostream& os, const FileState& f) {
  return os << f.bytes.size() << " bytes, inode " << f.inode << ", mtime "
            << f.mtime.time_since_epoch().count();
}

std::map<std::string, FileState> snapshot(const fs::path& root) {
  std::map<std::string, FileState> out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    struct stat sb;
    EXPECT_EQ(::stat(e.path().c_str(), &sb), 0) << e.path();
    out[fs::relative(e.path(), root).string()] = {read_file(e.path()), e.last_write_time(),
                                                  sb.st_ino};
  }
  return out;
}

// Sets every file below `root` an hour back, so a rewrite shows in the mtime without waiting.
void backdate(const fs::path& root) {
  auto past = fs::file_time_type::clock::now() - std::chrono::hours(1);
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file()) fs::last_write_time(e.path(), past);
  }
}

std::string describe(const PublishResult& r) {
  std::string out = r.report.to_text();
  for (const std::string& e : r.errors) out += "error: " + e + "\n";
  return out;
}

// One show ("rip") in a content dir, a fresh catalog, an Ingestor and a Publisher over it.
class PublisherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(state_);
    write_file(content_ / "rip/show.toml", kShowToml);
    fs::copy_file(source_dir() / "examples/content/field-notes/cover.jpg",
                  content_ / "rip/cover.jpg");
    catalog_ = std::make_unique<Catalog>(state_ / "catalog.db");
    ingestor_ = std::make_unique<Ingestor>(*catalog_, content_, ingest_options());
    publisher_ = std::make_unique<Publisher>(*catalog_, options());
  }

  IngestOptions ingest_options() {
    IngestOptions o;
    o.clock = [this] { return now_; };
    return o;
  }

  PublishOptions options() {
    PublishOptions o;
    o.content_dir = content_;
    o.output_dir = out_;
    o.public_url = kPublicUrl;
    o.generator = "podcastd test";
    o.clock = [this] { return now_; };
    return o;
  }

  // rip/NAME.md, and rip/NAME.mp3 (a real 3 s MP3) when `audio`.
  void add_episode(const std::string& name, const std::string& title, const std::string& date,
                   const std::string& extra = "", bool audio = true) {
    write_file(content_ / ("rip/" + name + ".md"), episode_md(title, date, extra));
    if (audio) {
      fs::copy_file(source_dir() / "examples/content/field-notes/episodes/000-trailer.mp3",
                    content_ / ("rip/" + name + ".mp3"), fs::copy_options::overwrite_existing);
    }
  }

  // ep1..epN, ep1 the oldest (2025-01-01), epN the newest.
  void add_episodes(int n) {
    for (int i = 1; i <= n; ++i) {
      char date[32];
      std::snprintf(date, sizeof date, "2025-01-%02dT08:00:00Z", i);
      add_episode("ep" + std::to_string(i), "Episode " + std::to_string(i), date);
    }
  }

  void scan() {
    IngestReport r = ingestor_->scan();
    ASSERT_EQ(r.errors, 0) << messages(r);
  }

  void reingest(const std::vector<fs::path>& paths) {
    IngestReport r = ingestor_->ingest_paths(paths);
    ASSERT_EQ(r.errors, 0) << messages(r);
  }

  PublishResult publish() { return publisher_->publish("rip"); }

  std::string feed() { return read_file(out_ / "rip/feed.xml"); }
  std::string feed_gz() { return read_file(out_ / "rip/feed.xml.gz"); }

  // feed.xml and feed.xml.gz from a cold start: a copy of the content dir, a new catalog, a
  // new Publisher, an empty output dir.
  std::pair<std::string, std::string> publish_cold_copy() {
    TempDir other;  // declared first: outlives the catalog below
    fs::copy(content_, other / "content", fs::copy_options::recursive);
    Catalog catalog(other / "catalog.db");
    Ingestor ingestor(catalog, other / "content", ingest_options());
    IngestReport ir = ingestor.scan();
    EXPECT_EQ(ir.errors, 0) << messages(ir);
    PublishOptions o = options();
    o.content_dir = other / "content";
    o.output_dir = other / "public";
    Publisher publisher(catalog, o);
    PublishResult r = publisher.publish("rip");
    EXPECT_TRUE(r.ok()) << describe(r);
    return {read_file(other / "public/rip/feed.xml"), read_file(other / "public/rip/feed.xml.gz")};
  }

  // Publishes ep1..ep5, retitles `name`, re-ingests it and publishes with the same (warm)
  // Publisher; the result must equal a cold publish of the same content.
  void check_edit_matches_cold_publish(const std::string& name, int day, std::size_t index) {
    add_episodes(5);
    ASSERT_NO_FATAL_FAILURE(scan());
    PublishResult first = publish();
    ASSERT_TRUE(first.ok()) << describe(first);
    std::vector<FeedItem> before = items_of(feed());
    ASSERT_EQ(before.size(), 5u);
    ASSERT_EQ(before[index].title, "Episode " + name.substr(2));

    char date[32];
    std::snprintf(date, sizeof date, "2025-01-%02dT08:00:00Z", day);
    write_file(content_ / ("rip/" + name + ".md"),
               episode_md("Episode " + name.substr(2) + " (remastered)", date));
    ASSERT_NO_FATAL_FAILURE(reingest({content_ / ("rip/" + name + ".md")}));
    PublishResult r = publish();
    ASSERT_TRUE(r.ok()) << describe(r);
    EXPECT_TRUE(r.changed);
    EXPECT_EQ(r.items, 5);

    std::string xml = feed();
    std::vector<FeedItem> after = items_of(xml);
    ASSERT_EQ(after.size(), 5u);
    for (std::size_t i = 0; i < after.size(); ++i) {
      EXPECT_EQ(after[i].guid, before[i].guid) << "item " << i;  // the GUID survives a retitle
      if (i == index) {
        EXPECT_EQ(after[i].title, before[i].title + " (remastered)");
      } else {
        EXPECT_EQ(after[i].title, before[i].title) << "item " << i;
      }
    }
    EXPECT_EQ(*r.feed_xml, xml);
    EXPECT_EQ(*r.feed_gzip, feed_gz());
    EXPECT_EQ(gunzipped(feed_gz()), xml) << "the spliced gzip does not inflate to feed.xml";

    auto [cold_xml, cold_gz] = publish_cold_copy();
    EXPECT_EQ(xml, cold_xml) << "a warm publish after an edit differs from a cold publish";
    EXPECT_EQ(feed_gz(), cold_gz) << "the spliced gzip differs from a cold publish's";
  }

  TempDir tmp_;
  fs::path content_ = tmp_ / "content";
  fs::path state_ = tmp_ / "state";
  fs::path out_ = tmp_ / "public";
  UnixTime now_ = 1748736000;  // 2025-06-01T00:00:00Z
  std::unique_ptr<Catalog> catalog_;
  std::unique_ptr<Ingestor> ingestor_;
  std::unique_ptr<Publisher> publisher_;
};

TEST_F(PublisherTest, FirstPublishWritesFeedAndGzipThatInflatesToIt) {
  add_episodes(3);
  ASSERT_NO_FATAL_FAILURE(scan());
  PublishResult r = publish();
  ASSERT_TRUE(r.ok()) << describe(r);
  EXPECT_TRUE(r.published);
  EXPECT_TRUE(r.changed);
  EXPECT_GT(r.files_written, 0);
  EXPECT_EQ(r.files_removed, 0);
  EXPECT_EQ(r.items, 3);
  EXPECT_EQ(r.feed_url, std::string(kPublicUrl) + "/rip/feed.xml");
  EXPECT_EQ(r.report.errors(), 0) << r.report.to_text();

  ASSERT_TRUE(fs::is_regular_file(out_ / "rip/feed.xml"));
  ASSERT_TRUE(fs::is_regular_file(out_ / "rip/feed.xml.gz"));
  std::string xml = feed();
  std::string gz = feed_gz();
  EXPECT_EQ(gunzipped(gz), xml);
  ASSERT_TRUE(r.feed_xml && r.feed_gzip);
  EXPECT_EQ(*r.feed_xml, xml);
  EXPECT_EQ(*r.feed_gzip, gz);
  EXPECT_EQ(titles_of(xml), (std::vector<std::string>{"Episode 3", "Episode 2", "Episode 1"}));
  // The audio went out too, under public_url.
  EXPECT_NE(xml.find("<enclosure url=\"https://pod.example/rip/media/"), std::string::npos);
}

// A one-shot publish (keep_feed_bytes off) writes the feed from its pieces: the same files
// and hash as one that keeps the bytes, and no bytes kept.
TEST_F(PublisherTest, APublishThatKeepsNoBytesWritesTheSameFeed) {
  add_episodes(3);
  ASSERT_NO_FATAL_FAILURE(scan());
  PublishResult kept = publish();
  ASSERT_TRUE(kept.ok()) << describe(kept);
  const std::string xml = feed();
  const std::string gz = feed_gz();
  fs::remove(out_ / "rip/feed.xml");  // so the next publish writes it again
  PublishOptions o = options();
  o.keep_feed_bytes = false;
  Publisher one_shot(*catalog_, o);
  PublishResult r = one_shot.publish("rip");
  ASSERT_TRUE(r.ok()) << describe(r);
  EXPECT_EQ(r.files_written, 2);  // the feed and its gzip, all else unchanged
  EXPECT_EQ(r.feed_xml, nullptr);
  EXPECT_EQ(r.feed_hash, kept.feed_hash);
  EXPECT_EQ(feed(), xml);
  EXPECT_EQ(feed_gz(), gz);
  ASSERT_FALSE(catalog_->publish_history("rip").empty());
  // publish_history is newest first.
  EXPECT_EQ(catalog_->publish_history("rip").front().feed_bytes,
            static_cast<std::int64_t>(xml.size()));
}

TEST_F(PublisherTest, RepublishingUnchangedContentWritesNothing) {
  add_episodes(3);
  write_file(content_ / "rip/ep2.vtt", "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<v Ada>Hello.\n");
  ASSERT_NO_FATAL_FAILURE(scan());
  PublishResult first = publish();
  ASSERT_TRUE(first.ok()) << describe(first);
  backdate(out_);
  const std::map<std::string, FileState> before = snapshot(out_);
  ASSERT_TRUE(before.count("rip/feed.xml") && before.count("rip/feed.xml.gz"));
  ASSERT_TRUE(before.count("rip/episodes/ep2/transcript.vtt"));
  const std::size_t history = catalog_->publish_history("rip").size();

  auto expect_nothing_written = [&](const PublishResult& r) {
    EXPECT_TRUE(r.ok()) << describe(r);
    EXPECT_TRUE(r.published);
    EXPECT_FALSE(r.changed);
    EXPECT_EQ(r.files_written, 0);
    EXPECT_EQ(r.files_removed, 0);
    EXPECT_EQ(r.feed_hash, first.feed_hash);
    ASSERT_TRUE(r.feed_xml && r.feed_gzip);
    EXPECT_EQ(*r.feed_xml, *first.feed_xml);
    EXPECT_EQ(*r.feed_gzip, *first.feed_gzip);
    EXPECT_EQ(snapshot(out_), before);
  };
  {
    SCOPED_TRACE("same Publisher");
    expect_nothing_written(publish());
  }
  {
    SCOPED_TRACE("fresh Publisher on the same catalog (podcastd republish)");
    Publisher fresh(*catalog_, options());
    expect_nothing_written(fresh.publish("rip"));
  }
  // A publish that changed nothing is not history.
  EXPECT_EQ(catalog_->publish_history("rip").size(), history);
}

TEST_F(PublisherTest, EditOfNewestEpisodeGivesTheSameBytesAsAColdPublish) {
  check_edit_matches_cold_publish("ep5", 5, 0);
}

TEST_F(PublisherTest, EditOfMiddleEpisodeGivesTheSameBytesAsAColdPublish) {
  check_edit_matches_cold_publish("ep3", 3, 2);
}

TEST_F(PublisherTest, EditOfOldestEpisodeGivesTheSameBytesAsAColdPublish) {
  check_edit_matches_cold_publish("ep1", 1, 4);
}

// Season folders with the same file names: rip/s1/01 and rip/s2/01 both want episodes/01/.
// The first key in order gets "01", the other "01-HASH"; when rip/s1/01 arrives after rip/s2/01
// was published as "01", rip/s2/01 moves to "01-HASH" and must be re-rendered with its new
// URLs instead of keeping a cached item that points at what is now rip/s1/01's transcript.
TEST_F(PublisherTest, EpisodeWithTheSameFolderNameAddedLaterKeepsEachItemOnItsOwnFiles) {
  auto vtt = [](const std::string& words) {
    return "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<v Ada>" + words + "\n";
  };
  // Remote audio: the example MP3's bytes in two files named 01.mp3 would be one media URL.
  add_episode("s2/01", "Season two opener", "2025-02-01T08:00:00Z",
              "audio = \"https://cdn.example/s2-01.mp3\"\nlength = 123456\n", false);
  write_file(content_ / "rip/s2/01.vtt", vtt("Season two begins."));
  ASSERT_NO_FATAL_FAILURE(scan());
  PublishResult first = publish();
  ASSERT_TRUE(first.ok()) << describe(first);
  ASSERT_NE(feed().find("/rip/episodes/01/transcript.vtt"), std::string::npos);

  add_episode("s1/01", "Season one opener", "2024-02-01T08:00:00Z",
              "audio = \"https://cdn.example/s1-01.mp3\"\nlength = 123456\n", false);
  write_file(content_ / "rip/s1/01.vtt", vtt("Season one begins."));
  ASSERT_NO_FATAL_FAILURE(reingest(
      {content_ / "rip/s1/01.md", content_ / "rip/s1/01.mp3", content_ / "rip/s1/01.vtt"}));
  PublishResult r = publish();
  ASSERT_TRUE(r.ok()) << describe(r);

  std::string xml = feed();
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_buffer(xml.data(), xml.size()));
  std::map<std::string, std::string> vtt_by_title;  // item title -> its transcript.vtt bytes
  const std::string prefix = std::string(kPublicUrl) + "/";
  for (pugi::xml_node item : doc.child("rss").child("channel").children("item")) {
    for (pugi::xml_node t : item.children("podcast:transcript")) {
      if (std::string(t.attribute("type").value()) != "text/vtt") continue;
      std::string url = t.attribute("url").value();
      ASSERT_EQ(url.rfind(prefix, 0), 0u) << url;
      fs::path file = out_ / url.substr(prefix.size());
      EXPECT_TRUE(fs::is_regular_file(file)) << url;
      vtt_by_title[item.child_value("title")] = read_file(file);
    }
  }
  ASSERT_EQ(vtt_by_title.size(), 2u) << xml;
  EXPECT_NE(vtt_by_title["Season two opener"].find("Season two begins."), std::string::npos)
      << "the season 2 item points at: " << vtt_by_title["Season two opener"];
  EXPECT_NE(vtt_by_title["Season one opener"].find("Season one begins."), std::string::npos)
      << "the season 1 item points at: " << vtt_by_title["Season one opener"];
  EXPECT_EQ(xml, publish_cold_copy().first);
}

TEST_F(PublisherTest, RemovedEpisodeLeavesTheFeedWithItsFilesAndNothingElse) {
  add_episodes(3);
  add_episode("ep2", "Episode 2", "2025-01-02T08:00:00Z",
              "[[chapter]]\nstart = \"00:00:00\"\ntitle = \"Intro\"\n");
  write_file(content_ / "rip/ep2.vtt", "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<v Ada>Hello.\n");
  ASSERT_NO_FATAL_FAILURE(scan());
  PublishResult first = publish();
  ASSERT_TRUE(first.ok()) << describe(first);
  ASSERT_TRUE(fs::exists(out_ / "rip/episodes/ep2/chapters.json"));
  ASSERT_TRUE(fs::exists(out_ / "rip/episodes/ep2/transcript.vtt"));
  std::vector<FeedItem> before = items_of(feed());
  ASSERT_EQ(before.size(), 3u);
  const FeedItem removed = before[1];
  ASSERT_EQ(removed.title, "Episode 2");
  std::set<std::string> media_before;
  for (const auto& e : fs::directory_iterator(out_ / "rip/media")) {
    media_before.insert(e.path().filename().string());
  }

  write_file(out_ / "keep.txt", "not podcastd's");
  write_file(out_ / "rip/notes.txt", "not podcastd's either");
  write_file(out_ / "rip/episodes/ep1/mine.txt", "mine, beside an episode's files");

  for (const char* f : {"rip/ep2.md", "rip/ep2.mp3", "rip/ep2.vtt"}) fs::remove(content_ / f);
  ASSERT_NO_FATAL_FAILURE(
      reingest({content_ / "rip/ep2.md", content_ / "rip/ep2.mp3", content_ / "rip/ep2.vtt"}));
  PublishResult r = publish();
  ASSERT_TRUE(r.ok()) << describe(r);
  EXPECT_TRUE(r.changed);
  EXPECT_EQ(r.items, 2);
  EXPECT_GT(r.files_removed, 0);

  std::string xml = feed();
  EXPECT_EQ(items_of(xml), (std::vector<FeedItem>{before[0], before[2]}));
  EXPECT_EQ(xml.find(removed.guid), std::string::npos);
  EXPECT_EQ(xml.find("/rip/episodes/ep2/"), std::string::npos);
  EXPECT_EQ(gunzipped(feed_gz()), xml);
  // Its companion files and its folder are gone, and so is its audio.
  EXPECT_FALSE(fs::exists(out_ / "rip/episodes/ep2"));
  std::set<std::string> media_after;
  for (const auto& e : fs::directory_iterator(out_ / "rip/media")) {
    media_after.insert(e.path().filename().string());
  }
  EXPECT_EQ(media_after.size() + 1, media_before.size());
  for (const std::string& m : media_before) {
    if (!media_after.count(m)) {
      EXPECT_EQ(m.rfind("ep2-", 0), 0u) << "removed media file " << m;
    }
  }
  // Files podcastd did not write stay as they were.
  EXPECT_EQ(read_file(out_ / "keep.txt"), "not podcastd's");
  EXPECT_EQ(read_file(out_ / "rip/notes.txt"), "not podcastd's either");
  EXPECT_EQ(read_file(out_ / "rip/episodes/ep1/mine.txt"), "mine, beside an episode's files");
}

// Media files are named by content, so episodes that use the same picture (and the show, for
// its cover) share one file below media/. Removing one of them, or changing the show's cover,
// must not delete what the others still reference.
TEST_F(PublisherTest, SharedArtworkStaysWhileAnyItemStillUsesIt) {
  fs::copy_file(content_ / "rip/cover.jpg", content_ / "rip/season.jpg");
  fs::copy_file(source_dir() / "examples/content/field-notes/cover.jpg",
                content_ / "rip/cover-2026.jpg");
  add_episode("ep1", "Episode 1", "2025-01-01T08:00:00Z", "image = \"season.jpg\"\n");
  add_episode("ep2", "Episode 2", "2025-01-02T08:00:00Z", "image = \"season.jpg\"\n");
  add_episode("ep3", "Episode 3", "2025-01-03T08:00:00Z", "image = \"cover.jpg\"\n");
  ASSERT_NO_FATAL_FAILURE(scan());
  // Precondition (catalog, not publisher): ingest keeps a front-matter image.
  ASSERT_EQ(catalog_->episode("rip", "rip/ep1")->image, "rip/season.jpg")
      << "ingest dropped the front-matter image of rip/ep1.md (catalog/ingest.cpp resolves the "
         "already content-relative path against the episode's folder a second time and warns "
         "that 'rip/season.jpg' does not exist); this test needs episode images";
  PublishResult first = publish();
  ASSERT_TRUE(first.ok()) << describe(first);

  // Every picture URL of the feed (channel and items) names a file that exists.
  auto check_pictures = [this](const std::string& when) {
    SCOPED_TRACE(when);
    std::string xml = feed();
    const std::string needle = "<itunes:image href=\"" + std::string(kPublicUrl) + "/";
    int pictures = 0;
    for (std::size_t at = xml.find(needle); at != std::string::npos;
         at = xml.find(needle, at + 1)) {
      std::size_t begin = at + needle.size();
      std::string rel = xml.substr(begin, xml.find('"', begin) - begin);
      EXPECT_TRUE(fs::is_regular_file(out_ / rel)) << rel << " is referenced but missing";
      ++pictures;
    }
    return pictures;
  };
  EXPECT_EQ(check_pictures("first publish"), 4);  // the channel and three items

  for (const char* f : {"rip/ep1.md", "rip/ep1.mp3"}) fs::remove(content_ / f);
  ASSERT_NO_FATAL_FAILURE(reingest({content_ / "rip/ep1.md", content_ / "rip/ep1.mp3"}));
  PublishResult r = publish();
  ASSERT_TRUE(r.ok()) << describe(r);
  EXPECT_EQ(check_pictures("after removing ep1, which shares season.jpg with ep2"), 3);

  std::string toml = kShowToml;
  toml.replace(toml.find("cover.jpg"), 9, "cover-2026.jpg");
  write_file(content_ / "rip/show.toml", toml);
  ASSERT_NO_FATAL_FAILURE(reingest({content_ / "rip/show.toml"}));
  r = publish();
  ASSERT_TRUE(r.ok()) << describe(r);
  EXPECT_NE(feed().find("/rip/media/cover-2026-"), std::string::npos);
  EXPECT_EQ(check_pictures("after the show's cover changed, ep3 still uses the old one"), 3);

  // A fresh Publisher (podcastd republish) agrees and has nothing to repair.
  Publisher fresh(*catalog_, options());
  PublishResult again = fresh.publish("rip");
  ASSERT_TRUE(again.ok()) << describe(again);
  EXPECT_EQ(again.files_written, 0);
  EXPECT_EQ(again.files_removed, 0);
  EXPECT_FALSE(again.changed);
}

// Two episodes with the same remote audio URL: the catalog accepts them (each file is fine on
// its own), the validator refuses the feed (APL-E17: Apple ignores the duplicate episode).
TEST_F(PublisherTest, EpisodeThatMakesTheFeedInvalidIsNotPublishedUntilFixed) {
  add_episode("ep1", "Episode 1", "2025-01-01T08:00:00Z",
              "audio = \"https://cdn.example/ep1.mp3\"\nlength = 123456\n", false);
  ASSERT_NO_FATAL_FAILURE(scan());
  PublishResult first = publish();
  ASSERT_TRUE(first.ok()) << describe(first);
  backdate(out_);
  const std::map<std::string, FileState> good = snapshot(out_);

  add_episode("ep2", "Episode 2", "2025-01-02T08:00:00Z",
              "audio = \"https://cdn.example/ep1.mp3\"\nlength = 123456\n"
              "[[chapter]]\nstart = \"00:00:00\"\ntitle = \"Intro\"\n",
              false);
  ASSERT_NO_FATAL_FAILURE(reingest({content_ / "rip/ep2.md"}));
  ASSERT_TRUE(catalog_->episode("rip", "rip/ep2")) << "the catalog should accept the episode";
  PublishResult bad = publish();
  EXPECT_FALSE(bad.published);
  EXPECT_FALSE(bad.changed);
  EXPECT_FALSE(bad.report.ok());
  EXPECT_EQ(count_rule(bad.report, "APL-E17"), 1u) << bad.report.to_text();
  EXPECT_NE(bad.report.to_text().find("APL-E17"), std::string::npos);
  // Nothing went out: not the feed, not the new episode's chapters.
  EXPECT_EQ(snapshot(out_), good);
  EXPECT_FALSE(fs::exists(out_ / "rip/episodes/ep2/chapters.json"));
  std::vector<catalog::PublishRecord> history = catalog_->publish_history("rip", 1);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_FALSE(history[0].ok);
  EXPECT_NE(history[0].report.find("APL-E17"), std::string::npos) << history[0].report;

  // Fixed on the other side: ep1 gets its own URL and ep2, unchanged since the refused pass,
  // must still get its files written.
  write_file(content_ / "rip/ep1.md",
             episode_md("Episode 1", "2025-01-01T08:00:00Z",
                        "audio = \"https://cdn.example/ep1-v2.mp3\"\nlength = 123456\n"));
  ASSERT_NO_FATAL_FAILURE(reingest({content_ / "rip/ep1.md"}));
  PublishResult fixed = publish();
  ASSERT_TRUE(fixed.ok()) << describe(fixed);
  EXPECT_TRUE(fixed.changed);
  EXPECT_EQ(count_rule(fixed.report, "APL-E17"), 0u);
  EXPECT_EQ(titles_of(feed()), (std::vector<std::string>{"Episode 2", "Episode 1"}));
  EXPECT_EQ(gunzipped(feed_gz()), feed());
  // The chapters dropped with the failed pass are written now.
  EXPECT_TRUE(fs::exists(out_ / "rip/episodes/ep2/chapters.json"));
  EXPECT_NE(feed().find("https://pod.example/rip/episodes/ep2/chapters.json"), std::string::npos);
}

TEST_F(PublisherTest, FeedOverFiveMillionBytesCarriesExactlyOneSizeWarning) {
  // 300 episodes with ~20 KB of notes each (remote audio: no files to probe).
  std::string paragraph;
  while (paragraph.size() < 1000) paragraph += "Ownership and borrowing in production code. ";
  for (int i = 0; i < 300; ++i) {
    std::string n = std::to_string(1000 + i);
    std::string notes;
    for (int p = 0; p < 20; ++p)
      notes += "Part " + std::to_string(p) + " of " + n + ". " + paragraph + "\n\n";
    char date[40];
    std::snprintf(date, sizeof date, "2024-%02d-%02dT08:00:00Z", 1 + i / 28, 1 + i % 28);
    write_file(
        content_ / ("rip/ep" + n + ".md"),
        episode_md("Episode " + n, date,
                   "audio = \"https://cdn.example/ep" + n + ".mp3\"\nlength = 123456\n", notes));
  }
  ASSERT_NO_FATAL_FAILURE(scan());
  for (int pass = 1; pass <= 2; ++pass) {
    SCOPED_TRACE("pass " + std::to_string(pass));
    PublishResult r = publish();
    ASSERT_TRUE(r.ok()) << describe(r);  // a warning, not a reason to refuse
    EXPECT_EQ(r.items, 300);
    ASSERT_TRUE(r.feed_xml);
    EXPECT_GT(r.feed_xml->size(), 5'000'000u);
    EXPECT_EQ(count_rule(r.report, "XML-E07"), 1u) << r.report.to_text();
  }
}

TEST_F(PublisherTest, DraftsScheduledAndAudiolessEpisodesAreKeptOut) {
  const std::string soon = timefmt::format_iso8601(now_ + kDay);
  const std::string later = timefmt::format_iso8601(now_ + 3 * kDay);
  add_episode("live", "Live", "2025-05-01T08:00:00Z");
  add_episode("draft", "Draft", "2025-05-02T08:00:00Z", "draft = true\n");
  add_episode("soon", "Soon", soon, "publish_at = " + soon + "\n");
  add_episode("later", "Later", later, "publish_at = " + later + "\n");
  add_episode("silent", "Silent", "2025-05-03T08:00:00Z", "", false);
  ASSERT_NO_FATAL_FAILURE(scan());

  PublishResult r = publish();
  ASSERT_TRUE(r.ok()) << describe(r);
  EXPECT_EQ(titles_of(feed()), std::vector<std::string>{"Live"});
  std::map<std::string, std::string> kept;  // file -> message
  for (const catalog::Diagnostic& d : r.kept_out) kept[d.file] = d.message;
  ASSERT_EQ(kept.size(), 4u);
  EXPECT_NE(kept["rip/draft.md"].find("draft"), std::string::npos) << kept["rip/draft.md"];
  EXPECT_NE(kept["rip/soon.md"].find("scheduled for " + soon), std::string::npos)
      << kept["rip/soon.md"];
  EXPECT_NE(kept["rip/later.md"].find("scheduled for " + later), std::string::npos)
      << kept["rip/later.md"];
  EXPECT_NE(kept["rip/silent.md"].find("no audio"), std::string::npos) << kept["rip/silent.md"];
  EXPECT_EQ(r.next_scheduled, now_ + kDay);

  now_ += 2 * kDay;
  r = publish();
  ASSERT_TRUE(r.ok()) << describe(r);
  EXPECT_TRUE(r.changed);
  EXPECT_EQ(titles_of(feed()), (std::vector<std::string>{"Soon", "Live"}));
  EXPECT_EQ(gunzipped(feed_gz()), feed());
  kept.clear();
  for (const catalog::Diagnostic& d : r.kept_out) kept[d.file] = d.message;
  EXPECT_EQ(kept.size(), 3u);
  EXPECT_FALSE(kept.count("rip/soon.md"));
  EXPECT_EQ(r.next_scheduled, now_ + kDay);  // "later"
}

// `podcastd republish` without a daemon: each run is a new Publisher, which reads the items
// the last one saved in cache_dir and renders only what changed since, with the same bytes as
// a cold publish.
TEST_F(PublisherTest, ANewPublisherRendersOnlyWhatChangedSinceTheSavedCache) {
  PublishOptions o = options();
  o.cache_dir = state_ / "publish-cache";
  add_episodes(12);
  ASSERT_NO_FATAL_FAILURE(scan());
  // Saved by each publish (as `podcastd republish` does: the base's items encoded on a
  // thread during the publish), or by save_cache() afterwards (as the daemon does).
  PublishOptions saving = o;
  saving.save_cache_after_publish = true;
  {
    Publisher first(*catalog_, saving);
    PublishResult r = first.publish("rip");
    ASSERT_TRUE(r.ok()) << describe(r);
    EXPECT_EQ(r.items_rendered, 12);
  }
  ASSERT_TRUE(fs::is_regular_file(o.cache_dir / "rip.items"));
  EXPECT_TRUE(fs::exists(o.cache_dir / "rip.clean"));
  {
    SCOPED_TRACE("nothing changed");
    Publisher next(*catalog_, o);
    next.preload_cache();
    PublishResult r = next.publish("rip");
    ASSERT_TRUE(r.ok()) << describe(r);
    EXPECT_EQ(r.items_rendered, 0);
    EXPECT_EQ(r.files_written, 0);
    EXPECT_FALSE(r.changed);
  }
  for (const char* name : {"ep3", "ep5"}) {
    SCOPED_TRACE(name);
    const std::string n = std::string(name).substr(2);
    write_file(content_ / ("rip/" + std::string(name) + ".md"),
               episode_md("Episode " + n + " (fixed)", "2025-01-0" + n + "T08:00:00Z"));
    ASSERT_NO_FATAL_FAILURE(reingest({content_ / ("rip/" + std::string(name) + ".md")}));
    const bool by_publish = std::string(name) == "ep3";
    Publisher next(*catalog_, by_publish ? saving : o);
    next.preload_cache();
    PublishResult r = next.publish("rip");
    ASSERT_TRUE(r.ok()) << describe(r);
    EXPECT_EQ(r.items_rendered, 1);
    EXPECT_TRUE(r.changed);
    if (!by_publish) {
      ASSERT_TRUE(next.save_cache());
    }
    EXPECT_TRUE(fs::is_regular_file(o.cache_dir / "rip.delta")) << "few items: a delta";
    auto [cold_xml, cold_gz] = publish_cold_copy();
    EXPECT_EQ(feed(), cold_xml) << "a publish from the saved cache differs from a cold publish";
    EXPECT_EQ(feed_gz(), cold_gz);
    EXPECT_EQ(gunzipped(feed_gz()), feed());
  }
}

// A daemon that was killed has not saved its items: files it wrote since the cache was saved
// void the cache even when the feed's bytes are the same (a transcript-only edit).
TEST_F(PublisherTest, CacheIsNotUsedOnceAnotherPublisherWroteFiles) {
  PublishOptions o = options();
  o.cache_dir = state_ / "publish-cache";
  add_episodes(3);
  const std::string v1 = "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<v Ada>First take.\n";
  const std::string v2 = "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<v Ada>Second take.\n";
  write_file(content_ / "rip/ep2.vtt", v1);
  ASSERT_NO_FATAL_FAILURE(scan());
  std::string hash;
  {
    Publisher first(*catalog_, o);
    PublishResult r = first.publish("rip");
    ASSERT_TRUE(r.ok()) << describe(r);
    hash = r.feed_hash;
    ASSERT_TRUE(first.save_cache());
  }
  const fs::path vtt = out_ / "rip/episodes/ep2/transcript.vtt";
  {
    // The transcript changes, published by a Publisher that never saves.
    write_file(content_ / "rip/ep2.vtt", v2);
    ASSERT_NO_FATAL_FAILURE(reingest({content_ / "rip/ep2.vtt"}));
    Publisher daemon(*catalog_, options());
    PublishResult r = daemon.publish("rip");
    ASSERT_TRUE(r.ok()) << describe(r);
    EXPECT_EQ(r.feed_hash, hash) << "the feed only links the transcript";
    ASSERT_NE(read_file(vtt).find("Second take."), std::string::npos);
  }
  // Back to the first take: the saved items match the content again, but not the files.
  write_file(content_ / "rip/ep2.vtt", v1);
  ASSERT_NO_FATAL_FAILURE(reingest({content_ / "rip/ep2.vtt"}));
  Publisher next(*catalog_, o);
  PublishResult r = next.publish("rip");
  ASSERT_TRUE(r.ok()) << describe(r);
  EXPECT_EQ(r.items_rendered, 3) << "the cache was used though the outputs changed since";
  EXPECT_NE(read_file(vtt).find("First take."), std::string::npos) << read_file(vtt);
}

// Temporaries are searched for only when the last publish did not leave its clean mark.
TEST_F(PublisherTest, CleanMarkSparesTheSearchForTemporaries) {
  PublishOptions o = options();
  o.cache_dir = state_ / "publish-cache";
  add_episodes(2);
  ASSERT_NO_FATAL_FAILURE(scan());
  {
    Publisher first(*catalog_, o);
    ASSERT_TRUE(first.publish("rip").ok());
  }
  const fs::path mark = o.cache_dir / "rip.clean";
  ASSERT_TRUE(fs::exists(mark));
  const fs::path stray = out_ / "rip/episodes/ep1/.podcastd-tmp-chapters.json-1-2";
  write_file(stray, "torn");
  {
    Publisher marked(*catalog_, o);
    ASSERT_TRUE(marked.publish("rip").ok());
    EXPECT_TRUE(fs::exists(stray)) << "searched though the last publish finished";
  }
  fs::remove(mark);  // as after a crash in the middle of a publish
  {
    Publisher unmarked(*catalog_, o);
    ASSERT_TRUE(unmarked.publish("rip").ok());
    EXPECT_FALSE(fs::exists(stray)) << "a crashed publish's temporary was left";
  }
  EXPECT_TRUE(fs::exists(mark));
}

TEST_F(PublisherTest, TranscriptsAndChaptersArePublishedAndReferencedFromTheFeed) {
  add_episode("ep1", "Episode 1", "2025-01-01T08:00:00Z",
              "[[chapter]]\nstart = \"00:00:00\"\ntitle = \"Cold open\"\n"
              "[[chapter]]\nstart = \"00:00:01.500\"\ntitle = \"Main\"\n");
  write_file(content_ / "rip/ep1.vtt",
             "WEBVTT\n\n00:00:00.000 --> 00:00:01.500\n<v Ada>It is three in the morning.\n\n"
             "00:00:01.500 --> 00:00:03.000\n<v Ben>And the pager goes off.\n");
  ASSERT_NO_FATAL_FAILURE(scan());
  PublishResult r = publish();
  ASSERT_TRUE(r.ok()) << describe(r);

  const fs::path dir = out_ / "rip/episodes/ep1";
  for (const char* f : {"transcript.vtt", "transcript.srt", "transcript.json", "transcript.html",
                        "transcript.txt", "chapters.json"}) {
    EXPECT_TRUE(fs::is_regular_file(dir / f)) << f;
  }
  EXPECT_EQ(read_file(dir / "transcript.vtt").rfind("WEBVTT", 0), 0u);
  EXPECT_NE(read_file(dir / "transcript.txt").find("And the pager goes off."), std::string::npos);
  nlohmann::json chapters = nlohmann::json::parse(read_file(dir / "chapters.json"));
  ASSERT_EQ(chapters["chapters"].size(), 2u) << chapters.dump();
  EXPECT_EQ(chapters["chapters"][1]["title"], "Main");

  // Each file is referenced from the item by its URL under public_url.
  std::string xml = feed();
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_buffer(xml.data(), xml.size()));
  pugi::xml_node item = doc.child("rss").child("channel").child("item");
  ASSERT_TRUE(item);
  const std::string base = std::string(kPublicUrl) + "/rip/episodes/ep1/";
  std::map<std::string, std::string> transcripts;  // type -> url
  for (pugi::xml_node t : item.children("podcast:transcript")) {
    transcripts[t.attribute("type").value()] = t.attribute("url").value();
  }
  EXPECT_EQ(transcripts, (std::map<std::string, std::string>{
                             {"text/vtt", base + "transcript.vtt"},
                             {"application/x-subrip", base + "transcript.srt"},
                             {"application/json", base + "transcript.json"},
                             {"text/html", base + "transcript.html"},
                             {"text/plain", base + "transcript.txt"},
                         }));
  pugi::xml_node ch = item.child("podcast:chapters");
  ASSERT_TRUE(ch) << xml;
  EXPECT_EQ(std::string(ch.attribute("url").value()), base + "chapters.json");
  EXPECT_EQ(std::string(ch.attribute("type").value()), "application/json+chapters");
}

// A publish right after an ingest renders the episodes the ingest wrote (Ingestor::take_written)
// instead of reading them back: the feed is the one the catalog alone gives, and a written
// episode the catalog no longer holds with the same content hash is not used.
class WrittenEpisodesTest : public PublisherTest {
 protected:
  // ep1..ep20 (chapters on the even ones, a transcript on ep1), scanned by an Ingestor that
  // keeps what it writes; returns what it kept.
  std::vector<catalog::WrittenEpisode> scan_keeping() {
    const std::string chapter = "[[chapter]]\nstart = \"00:00:00\"\ntitle = \"Open\"\n";
    for (int i = 1; i <= 20; ++i) {
      char date[32];
      std::snprintf(date, sizeof date, "2025-01-%02dT08:00:00Z", i);
      add_episode("ep" + std::to_string(i), "Episode " + std::to_string(i), date,
                  i % 2 == 0 ? chapter : "");
    }
    write_file(content_ / "rip/ep1.vtt",
               "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<v Ada>Hello.\n");
    IngestOptions o = ingest_options();
    o.keep_written = true;
    Ingestor keeping(*catalog_, content_, o);
    IngestReport r = keeping.scan();
    EXPECT_EQ(r.errors, 0) << messages(r);
    auto written = keeping.take_written();
    EXPECT_EQ(written["rip"].size(), 20u);
    return std::move(written["rip"]);
  }
};

TEST_F(WrittenEpisodesTest, TheFeedIsTheOneTheCatalogGivesAndStaleOnesAreNotUsed) {
  std::vector<catalog::WrittenEpisode> written = scan_keeping();
  ASSERT_EQ(written.size(), 20u);
  written[3].episode.title = "Stale title";  // as if the catalog had changed since
  written[3].content_hash = "0000000000000000";
  PublishResult r = publisher_->publish("rip", std::move(written));
  ASSERT_TRUE(r.ok()) << describe(r);
  EXPECT_EQ(r.items_rendered, 20);
  EXPECT_EQ(feed().find("Stale title"), std::string::npos);
  auto [cold_feed, cold_gz] = publish_cold_copy();
  EXPECT_EQ(feed(), cold_feed);
  EXPECT_EQ(feed_gz(), cold_gz);
}

// The content hash is the contract: a written episode that matches it is rendered as given,
// without reading the catalog (shown here by one that differs from the row in a way the hash
// does not see, which only a caller breaking the contract could make).
TEST_F(WrittenEpisodesTest, OneWithTheCatalogsContentHashIsRenderedAsGiven) {
  std::vector<catalog::WrittenEpisode> written = scan_keeping();
  ASSERT_EQ(written.size(), 20u);
  for (catalog::WrittenEpisode& w : written) w.episode.subtitle = "From the caller";
  PublishResult r = publisher_->publish("rip", std::move(written));
  ASSERT_TRUE(r.ok()) << describe(r);
  EXPECT_NE(feed().find("From the caller"), std::string::npos);
  // A publish given none reads the catalog.
  publisher_->invalidate("rip");
  PublishResult again = publish();
  ASSERT_TRUE(again.ok()) << describe(again);
  EXPECT_EQ(feed().find("From the caller"), std::string::npos);
}

// Companion files that cannot be written (here a file stands where an episode's folder goes)
// fail the publish: nothing goes live, no output or published GUID is recorded, the failure
// is in the publish history, and once the obstacle is gone the next publish does it all.
TEST_F(PublisherTest, CompanionFilesThatCannotBeWrittenPublishNothingAndRecordNothing) {
  const std::string chapter = "[[chapter]]\nstart = \"00:00:00\"\ntitle = \"Open\"\n";
  for (int i = 1; i <= 20; ++i) {
    char date[32];
    std::snprintf(date, sizeof date, "2025-01-%02dT08:00:00Z", i);
    add_episode("ep" + std::to_string(i), "Episode " + std::to_string(i), date, chapter);
  }
  ASSERT_NO_FATAL_FAILURE(scan());
  write_file(out_ / "rip/episodes/ep7", "not a folder");
  PublishResult r = publish();
  EXPECT_FALSE(r.ok());
  ASSERT_FALSE(r.errors.empty());
  EXPECT_NE(r.errors.front().find("ep7"), std::string::npos) << r.errors.front();
  EXPECT_FALSE(fs::exists(out_ / "rip/feed.xml"));
  EXPECT_FALSE(fs::exists(out_ / "rip/episodes/ep1/chapters.json"));
  EXPECT_TRUE(catalog_->outputs("rip").empty());
  for (const catalog::EpisodeSummary& s : catalog_->summaries("rip")) {
    EXPECT_FALSE(s.published_before) << s.key;
  }
  std::vector<catalog::PublishRecord> history = catalog_->publish_history("rip", 1);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_FALSE(history[0].ok);

  fs::remove(out_ / "rip/episodes/ep7");
  PublishResult again = publish();
  ASSERT_TRUE(again.ok()) << describe(again);
  EXPECT_EQ(again.items_rendered, 20);
  EXPECT_TRUE(fs::is_regular_file(out_ / "rip/episodes/ep7/chapters.json"));
  // 20 chapters.json, 20 MP3s and the cover under media/, feed.xml and feed.xml.gz.
  EXPECT_EQ(catalog_->outputs("rip").size(), 43u);
  for (const catalog::EpisodeSummary& s : catalog_->summaries("rip")) {
    EXPECT_TRUE(s.published_before) << s.key;
  }
}

// A first publish of many episodes makes their folders ahead of the files (beside rendering):
// episodes with chapters get theirs, those without none, and one whose only transcript has no
// cue (nothing to publish) no empty folder.
TEST_F(PublisherTest, AFirstPublishOfManyEpisodesLeavesFoldersOnlyWhereFilesAre) {
  const std::string chapter = "[[chapter]]\nstart = \"00:00:00\"\ntitle = \"Cold open\"\n";
  for (int i = 0; i < 24; ++i) {
    add_episode("ep" + std::to_string(i), "Episode " + std::to_string(i),
                "2025-01-" + std::string(i < 9 ? "0" : "") + std::to_string(i + 1) + "T08:00:00Z",
                i % 2 == 0 ? chapter : "");
  }
  write_file(content_ / "rip/ep3.vtt", "WEBVTT\n\n");
  ASSERT_NO_FATAL_FAILURE(scan());
  std::optional<catalog::Episode> ep3 = catalog_->episode("rip", "rip/ep3");
  ASSERT_TRUE(ep3);
  ASSERT_EQ(ep3->transcripts.size(), 1u) << "the test needs a transcript without cues";
  ASSERT_TRUE(ep3->transcripts[0].segments.empty());
  PublishResult r = publish();
  ASSERT_TRUE(r.ok()) << describe(r);
  EXPECT_EQ(r.items_rendered, 24);
  std::set<std::string> folders;
  for (const auto& entry : fs::directory_iterator(out_ / "rip/episodes")) {
    folders.insert(entry.path().filename().string());
    EXPECT_TRUE(fs::is_regular_file(entry.path() / "chapters.json")) << entry.path();
  }
  std::set<std::string> expected;
  for (int i = 0; i < 24; i += 2) expected.insert("ep" + std::to_string(i));
  EXPECT_EQ(folders, expected);
}

}  // namespace
}  // namespace podcastd::feeds

namespace podcastd::feeds {
namespace {

// What the publisher reports equals the validator run on the whole published feed (with the
// same summaries): the cached per-item checks, the http-URL and repeated-info shortcuts change
// nothing but the cost. Cold and after an edit (warm cache).
class PublisherReportTest : public PublisherTest, public ::testing::WithParamInterface<bool> {};

std::vector<std::string> projection(const ValidationReport& r) {
  std::vector<std::string> out;
  for (const Finding& f : r.findings) {
    out.push_back(std::string(to_string(f.severity)) + " " + f.rule + " " + f.element + ":" +
                  std::to_string(f.line) + " " + f.message);
  }
  return out;
}

TEST_P(PublisherReportTest, ReportEqualsTheValidatorOnTheWholeFeed) {
  const bool http = GetParam();
  PublishOptions o = options();
  if (http) o.public_url = "http://pod.example";
  publisher_ = std::make_unique<Publisher>(*catalog_, o);
  for (int i = 1; i <= 6; ++i) {
    char date[32];
    std::snprintf(date, sizeof date, "2025-02-%02dT08:00:00Z", i);
    // Subtitles and summaries make per-item info findings; every other item has a season.
    std::string extra = "subtitle = \"Sub " + std::to_string(i) + "\"\nsummary = \"Summary " +
                        std::to_string(i) + "\"\n";
    if (i % 2 == 0) extra += "season = 1\nepisode = " + std::to_string(i) + "\n";
    add_episode("ep" + std::to_string(i), "Episode " + std::to_string(i), date, extra);
  }
  scan();
  for (int round = 0; round < 2; ++round) {
    PublishResult r = publish();
    ASSERT_TRUE(r.ok()) << describe(r);
    ValidateOptions v;
    v.feed_url = r.feed_url;
    v.now = now_;
    v.size_limit = 25'000'000;
    ValidationReport expected = validate_feed(*r.feed_xml, v);
    summarize_http_urls(expected, o.public_url);
    condense_repeated_info(expected);
    EXPECT_EQ(projection(r.report), projection(expected)) << "round " << round;
    EXPECT_GT(r.report.findings.size(), 0u);
    bool any_info = std::any_of(r.report.findings.begin(), r.report.findings.end(),
                                [](const Finding& f) { return f.severity == Severity::info; });
    EXPECT_TRUE(any_info) << r.report.to_text();
    // Repeated info findings were condensed (the shortcut under test had work to do).
    bool condensed = std::any_of(
        r.report.findings.begin(), r.report.findings.end(),
        [](const Finding& f) { return f.message.find("more like it)") != std::string::npos; });
    EXPECT_TRUE(condensed) << r.report.to_text();
    EXPECT_EQ(count_rule(r.report, "APL-W14"), http ? 1u : 0u) << r.report.to_text();
    // Round two: one episode edited, the others come from the cache.
    write_file(content_ / "rip/ep3.md",
               episode_md("Episode 3 (fixed)", "2025-02-03T08:00:00Z",
                          "subtitle = \"Sub 3\"\nsummary = \"Summary 3\"\n"));
    reingest({content_ / "rip/ep3.md"});
  }
}

INSTANTIATE_TEST_SUITE_P(PublicUrl, PublisherReportTest, ::testing::Bool(),
                         [](const auto& p) { return p.param ? "Http" : "Https"; });

}  // namespace
}  // namespace podcastd::feeds
