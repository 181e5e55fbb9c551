#include "catalog/ingest.hpp"

#include <gtest/gtest.h>
#include <utime.h>

#include <map>

#include "tests/support/test_support.hpp"

namespace podcastd::catalog {
namespace {

namespace fs = std::filesystem;
using podcastd::testing::make_mp3;
using podcastd::testing::markdown_episode;
using podcastd::testing::read_file;
using podcastd::testing::source_dir;
using podcastd::testing::TempDir;
using podcastd::testing::write_file;

constexpr const char* kShowToml = R"(title = "Rust in Practice"
description = "Conversations about Rust in production."
author = "Ada Host"
language = "en"
link = "https://rip.example"
categories = ["Technology"]
explicit = false
[owner]
name = "Ada Host"
email = "ada@rip.example"
)";

std::string episode_md(const std::string& title, const std::string& date,
                       const std::string& extra = "") {
  return markdown_episode(
      title, date, extra,
      "Notes about **" + title + "**.\n\n- [Tokio](https://tokio.rs) - async runtime\n");
}

// A content dir with one show ("rip"), and an Ingestor over a fresh catalog.
class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(state_);
    fs::create_directories(content_ / "rip");
    write_file(content_ / "rip/show.toml", kShowToml);
    open_catalog();
  }

  void open_catalog() {
    ingestor_.reset();
    catalog_.reset();
    catalog_ = std::make_unique<Catalog>(state_ / "catalog.db");
    IngestOptions options;
    options.clock = [this] { return now_; };
    options.max_source_bytes = 1 << 20;
    ingestor_ = std::make_unique<Ingestor>(*catalog_, content_, options);
  }

  void rebuild_catalog() {
    ingestor_.reset();
    catalog_.reset();
    for (const char* name : {"catalog.db", "catalog.db-wal", "catalog.db-shm"}) {
      fs::remove(state_ / name);
    }
    open_catalog();
  }

  void mp3(const std::string& rel, double seconds = 1.0, const std::string& title = "") {
    std::string why;
    ASSERT_TRUE(make_mp3(content_ / rel, seconds, &why, title)) << why;
  }

  std::map<std::string, std::string> guids() {
    std::map<std::string, std::string> out;
    for (const Episode& e : catalog_->episodes("rip")) out[e.title] = e.guid;
    return out;
  }

  std::string messages(const IngestReport& r) {
    std::string out;
    for (const Diagnostic& d : r.diagnostics) out += d.to_string() + "\n";
    return out;
  }

  static void touch(const fs::path& p, std::int64_t seconds_later) {
    auto t = fs::last_write_time(p);
    fs::last_write_time(p, t + std::chrono::seconds(seconds_later));
  }

  TempDir tmp_;
  fs::path content_ = tmp_ / "content";
  fs::path state_ = tmp_ / "state";
  UnixTime now_ = 1700000000;
  std::unique_ptr<Catalog> catalog_;
  std::unique_ptr<Ingestor> ingestor_;
};

TEST_F(IngestTest, ColdIngestReadsEverySourceKind) {
  write_file(content_ / "rip/ep1.md",
             episode_md("Svix with Tom", "2025-05-01T10:00:00Z",
                        "season = 1\nepisode = 2\n[[person]]\nname = \"Tom Hacohen\"\nrole = "
                        "\"guest\"\n"));
  mp3("rip/ep1.mp3", 2.0);
  write_file(content_ / "rip/ep1.vtt",
             "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<v Matthias>Welcome.\n\n"
             "00:00:01.000 --> 00:00:02.000\n<v Tom>Thanks.\n");
  write_file(content_ / "rip/ep1.chapters.json",
             R"({"version":"1.2.0","chapters":[{"startTime":0,"title":"Intro"},)"
             R"({"startTime":1,"title":"Main"}]})");
  write_file(content_ / "rip/ep2.md",
             episode_md("Remote", "2025-05-08",
                        "audio = \"https://cdn.example/ep2.mp3\"\nlength = 1234\n"));
  mp3("rip/ep3.mp3", 1.0, "Audio Only Title");

  IngestReport r = ingestor_->scan();
  EXPECT_EQ(r.errors, 0) << messages(r);
  EXPECT_EQ(r.changed_shows, std::set<std::string>{"rip"});
  EXPECT_EQ(r.episodes_written, 3);

  std::optional<Show> show = catalog_->show("rip");
  ASSERT_TRUE(show);
  EXPECT_EQ(show->title, "Rust in Practice");
  EXPECT_EQ(show->owner_email, "ada@rip.example");

  std::optional<Episode> ep1 = catalog_->episode("rip", "rip/ep1");
  ASSERT_TRUE(ep1);
  EXPECT_EQ(ep1->title, "Svix with Tom");
  EXPECT_EQ(ep1->date, 1746093600);
  EXPECT_EQ(ep1->season, 1);
  EXPECT_EQ(ep1->number, 2);
  ASSERT_TRUE(ep1->enclosure);
  EXPECT_EQ(ep1->enclosure->file, "rip/ep1.mp3");
  EXPECT_EQ(ep1->enclosure->mime, "audio/mpeg");
  EXPECT_EQ(ep1->enclosure->length,
            static_cast<std::int64_t>(fs::file_size(content_ / "rip/ep1.mp3")));
  EXPECT_NEAR(ep1->enclosure->duration, 2.0, 0.1);
  ASSERT_EQ(ep1->transcripts.size(), 1u);
  EXPECT_EQ(ep1->transcripts[0].segments.size(), 2u);
  EXPECT_EQ(ep1->transcripts[0].segments[1].speaker, "Tom");
  ASSERT_EQ(ep1->chapters.size(), 2u);
  EXPECT_EQ(ep1->chapters[1].title, "Main");
  ASSERT_EQ(ep1->links.size(), 1u);
  EXPECT_EQ(ep1->links[0].url, "https://tokio.rs");
  ASSERT_EQ(ep1->persons.size(), 1u);
  EXPECT_EQ(ep1->persons[0].name, "Tom Hacohen");
  EXPECT_EQ(ep1->sources.front(), "rip/ep1.md");
  EXPECT_EQ(ep1->sources.size(), 4u);

  std::optional<Episode> ep2 = catalog_->episode("rip", "rip/ep2");
  ASSERT_TRUE(ep2 && ep2->enclosure);
  EXPECT_EQ(ep2->enclosure->url, "https://cdn.example/ep2.mp3");
  EXPECT_EQ(ep2->enclosure->length, 1234);
  EXPECT_EQ(ep2->enclosure->mime, "audio/mpeg");

  std::optional<Episode> ep3 = catalog_->episode("rip", "rip/ep3");
  ASSERT_TRUE(ep3);
  EXPECT_EQ(ep3->title, "Audio Only Title");

  EXPECT_EQ(catalog_->search("Svix").size(), 1u);
  EXPECT_EQ(catalog_->search("Thanks").size(), 1u);  // transcript text is searchable
}

TEST_F(IngestTest, RescanWithNothingChangedParsesNothing) {
  write_file(content_ / "rip/ep1.md", episode_md("One", "2025-01-01"));
  mp3("rip/ep1.mp3");
  ingestor_->scan();
  IngestReport r = ingestor_->scan();
  EXPECT_EQ(r.parsed, 0);
  EXPECT_EQ(r.episodes_written, 0);
  EXPECT_TRUE(r.changed_shows.empty());
  EXPECT_EQ(r.files, 3);

  // A touch without a byte changed is not a change either.
  touch(content_ / "rip/ep1.md", 10);
  r = ingestor_->scan();
  EXPECT_EQ(r.parsed, 0);
  EXPECT_TRUE(r.changed_shows.empty());
}

TEST_F(IngestTest, EditingOneFileReparsesOnlyItsEpisode) {
  for (int i = 1; i <= 5; ++i) {
    write_file(content_ / ("rip/ep" + std::to_string(i) + ".md"),
               episode_md("Episode " + std::to_string(i), "2025-01-0" + std::to_string(i)));
  }
  ingestor_->scan();
  write_file(content_ / "rip/ep3.md", episode_md("Episode 3 (fixed)", "2025-01-03"));
  touch(content_ / "rip/ep3.md", 5);
  IngestReport r = ingestor_->scan();
  EXPECT_EQ(r.parsed, 1);
  EXPECT_EQ(r.episodes_written, 1);
  EXPECT_EQ(catalog_->episode("rip", "rip/ep3")->title, "Episode 3 (fixed)");
}

TEST_F(IngestTest, GuidSurvivesRenameRetitleAndCatalogRebuild) {
  write_file(content_ / "rip/ep1.md", episode_md("Original", "2025-03-01T08:00:00Z"));
  mp3("rip/ep1.mp3");
  write_file(content_ / "rip/ep2.md", episode_md("Other", "2025-03-08T08:00:00Z"));
  ingestor_->scan();
  std::string guid1 = catalog_->episode("rip", "rip/ep1")->guid;
  std::string guid2 = catalog_->episode("rip", "rip/ep2")->guid;
  ASSERT_FALSE(guid1.empty());
  ASSERT_NE(guid1, guid2);

  // Rename both files of the episode into a subfolder.
  fs::create_directories(content_ / "rip/2025");
  fs::rename(content_ / "rip/ep1.md", content_ / "rip/2025/first-episode.md");
  fs::rename(content_ / "rip/ep1.mp3", content_ / "rip/2025/first-episode.mp3");
  IngestReport r = ingestor_->scan();
  EXPECT_EQ(r.errors, 0) << messages(r);
  ASSERT_TRUE(catalog_->episode("rip", "rip/2025/first-episode"));
  EXPECT_EQ(catalog_->episode("rip", "rip/2025/first-episode")->guid, guid1);
  EXPECT_FALSE(catalog_->episode("rip", "rip/ep1"));

  // Fix the title.
  write_file(content_ / "rip/2025/first-episode.md",
             episode_md("Original, fixed", "2025-03-01T08:00:00Z"));
  touch(content_ / "rip/2025/first-episode.md", 5);
  ingestor_->scan();
  EXPECT_EQ(catalog_->episode("rip", "rip/2025/first-episode")->guid, guid1);

  // Throw the catalog away and rebuild it from the same content.
  rebuild_catalog();
  ingestor_->scan();
  EXPECT_EQ(catalog_->episode("rip", "rip/2025/first-episode")->guid, guid1);
  EXPECT_EQ(catalog_->episode("rip", "rip/ep2")->guid, guid2);
}

TEST_F(IngestTest, RenameWithEditAtTheSameTimeKeepsGuidByDateAndTitle) {
  write_file(content_ / "rip/a.md", episode_md("Same Title", "2025-03-01"));
  ingestor_->scan();
  std::string guid = catalog_->episode("rip", "rip/a")->guid;
  fs::remove(content_ / "rip/a.md");
  write_file(content_ / "rip/b.md", episode_md("Same Title", "2025-03-01", "subtitle = \"new\"\n"));
  ingestor_->scan();
  EXPECT_EQ(catalog_->episode("rip", "rip/b")->guid, guid);
}

TEST_F(IngestTest, DeletedEpisodeComesBackWithItsGuid) {
  write_file(content_ / "rip/ep1.md", episode_md("One", "2025-01-01"));
  ingestor_->scan();
  std::string guid = catalog_->episode("rip", "rip/ep1")->guid;
  fs::rename(content_ / "rip/ep1.md", tmp_ / "ep1.md");
  IngestReport r = ingestor_->scan();
  EXPECT_EQ(r.episodes_removed, 1);
  EXPECT_TRUE(catalog_->episodes("rip").empty());
  fs::rename(tmp_ / "ep1.md", content_ / "rip/ep1.md");
  ingestor_->scan();
  EXPECT_EQ(catalog_->episode("rip", "rip/ep1")->guid, guid);
}

TEST_F(IngestTest, ExplicitGuidWinsAndDuplicatesNameBothFiles) {
  write_file(content_ / "rip/a.md", episode_md("A", "2025-01-01", "guid = \"urn:x:1\"\n"));
  write_file(content_ / "rip/b.md", episode_md("B", "2025-01-02", "guid = \"urn:x:1\"\n"));
  IngestReport r = ingestor_->scan();
  EXPECT_EQ(catalog_->episode("rip", "rip/a")->guid, "urn:x:1");
  EXPECT_FALSE(catalog_->episode("rip", "rip/b"));
  EXPECT_EQ(r.errors, 1);
  EXPECT_NE(messages(r).find("rip/b.md: guid 'urn:x:1' is already used by rip/a.md"),
            std::string::npos)
      << messages(r);
}

TEST_F(IngestTest, SameDateEpisodesGetDistinctGuidsAndAWarning) {
  write_file(content_ / "rip/a.md", episode_md("A", "2025-01-01"));
  write_file(content_ / "rip/b.md", episode_md("B", "2025-01-01"));
  IngestReport r = ingestor_->scan();
  EXPECT_NE(catalog_->episode("rip", "rip/a")->guid, catalog_->episode("rip", "rip/b")->guid);
  EXPECT_NE(messages(r).find("rip/b.md: has the same date as rip/a.md"), std::string::npos)
      << messages(r);
}

TEST_F(IngestTest, BrokenEditKeepsTheLastGoodVersion) {
  write_file(content_ / "rip/ep1.md", episode_md("Good", "2025-01-01"));
  write_file(content_ / "rip/ep2.md", episode_md("Neighbour", "2025-01-02"));
  ingestor_->scan();
  write_file(content_ / "rip/ep1.md", "+++\ntitle = \"Broken\n+++\n");
  touch(content_ / "rip/ep1.md", 5);
  IngestReport r = ingestor_->scan();
  EXPECT_EQ(r.errors, 1);
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].file, "rip/ep1.md");
  EXPECT_EQ(r.diagnostics[0].line, 2);
  std::optional<Episode> ep = catalog_->episode("rip", "rip/ep1");
  ASSERT_TRUE(ep);
  EXPECT_EQ(ep->title, "Good");
  std::vector<EpisodeSummary> list = catalog_->summaries("rip");
  EXPECT_EQ(list[0].status(now_), EpisodeStatus::error);
  EXPECT_EQ(list[1].title, "Neighbour");
  // Fixing the file clears the error.
  write_file(content_ / "rip/ep1.md", episode_md("Good again", "2025-01-01"));
  touch(content_ / "rip/ep1.md", 10);
  r = ingestor_->scan();
  EXPECT_EQ(r.errors, 0) << messages(r);
  EXPECT_EQ(catalog_->summaries("rip")[0].error, "");
  EXPECT_EQ(catalog_->episode("rip", "rip/ep1")->title, "Good again");
}

struct BadSource {
  const char* name;
  std::string content;
  const char* expected;  // substring of the diagnostic, with file and line
};

TEST_F(IngestTest, BadInputCorpusIsReportedAndContained) {
  write_file(content_ / "rip/good.md", episode_md("Good", "2025-01-01"));
  std::string big(2 << 20, 'a');
  std::vector<BadSource> corpus = {
      {"truncated.md", "+++\ntitle = \"Half", "rip/truncated.md:1: "},
      {"binary.md",
       std::string("\x7f"
                   "ELF\x02\x01\x01\0\0\0",
                   10),
       "rip/binary.md: binary content"},
      {"latin1.md", "+++\ntitle = \"Caf\xe9\"\ndate = 2025-01-01\n+++\n", "rip/latin1.md:2: "},
      {"huge.md", "+++\ntitle = \"x\"\n+++\n" + big,
       "rip/huge.md: file is 2097172 bytes, over the limit of 1048576"},
      {"brokentoml.md", "+++\ntitle = \n+++\n", "rip/brokentoml.md:2: "},
      {"unknown.md", "+++\ntitle = \"x\"\ntitel = \"y\"\n+++\n",
       "rip/unknown.md:3: unknown key 'titel'"},
      {"empty.txt", "", "rip/empty.txt:1: empty page"},
      {"noheader.vtt", "00:00.000 --> 00:01.000\nhi\n",
       "rip/noheader.vtt:1: missing WEBVTT header"},
      {"notaudio.mp3", "this is a text file pretending to be audio\n",
       "rip/notaudio.mp3: cannot read audio"},
  };
  for (const BadSource& b : corpus) write_file(content_ / "rip" / b.name, b.content);
  IngestReport r = ingestor_->scan();
  std::string all = messages(r);
  for (const BadSource& b : corpus) {
    EXPECT_NE(all.find(b.expected), std::string::npos)
        << b.name << " not reported as '" << b.expected << "' in:\n"
        << all;
  }
  EXPECT_TRUE(catalog_->episode("rip", "rip/good"));
  EXPECT_EQ(catalog_->episode("rip", "rip/good")->title, "Good");
  // Every bad source is recorded with its error for `podcastd episodes`.
  for (const BadSource& b : corpus) {
    std::optional<SourceRecord> rec = catalog_->source(std::string("rip/") + b.name);
    ASSERT_TRUE(rec) << b.name;
    EXPECT_FALSE(rec->error.empty()) << b.name;
  }
}

TEST_F(IngestTest, IgnoresEditorAndDownloadLeftovers) {
  write_file(content_ / "rip/ep1.md", episode_md("One", "2025-01-01"));
  write_file(content_ / "rip/.ep1.md.swp", "garbage");
  write_file(content_ / "rip/ep1.md~", "garbage");
  write_file(content_ / "rip/ep9.mp3.part", "garbage");
  IngestReport r = ingestor_->scan();
  EXPECT_EQ(r.errors, 0) << messages(r);
  EXPECT_EQ(catalog_->episodes("rip").size(), 1u);
}

TEST_F(IngestTest, BatchApiHandlesCreateEditDeleteAndRename) {
  write_file(content_ / "rip/ep1.md", episode_md("One", "2025-01-01"));
  write_file(content_ / "rip/ep2.md", episode_md("Two", "2025-01-02"));
  ingestor_->scan();
  std::string guid1 = catalog_->episode("rip", "rip/ep1")->guid;

  write_file(content_ / "rip/ep3.md", episode_md("Three", "2025-01-03"));
  IngestReport r = ingestor_->ingest_paths({content_ / "rip/ep3.md"});
  EXPECT_EQ(r.episodes_written, 1) << messages(r);
  EXPECT_EQ(r.parsed, 1);
  EXPECT_TRUE(catalog_->episode("rip", "rip/ep3"));

  write_file(content_ / "rip/ep2.md", episode_md("Two, edited", "2025-01-02"));
  touch(content_ / "rip/ep2.md", 5);
  r = ingestor_->ingest_paths({"rip/ep2.md"});
  EXPECT_EQ(r.parsed, 1);
  EXPECT_EQ(catalog_->episode("rip", "rip/ep2")->title, "Two, edited");

  fs::rename(content_ / "rip/ep1.md", content_ / "rip/renamed.md");
  r = ingestor_->ingest_paths({content_ / "rip/ep1.md", content_ / "rip/renamed.md"});
  EXPECT_EQ(catalog_->episode("rip", "rip/renamed")->guid, guid1) << messages(r);
  EXPECT_FALSE(catalog_->episode("rip", "rip/ep1"));

  fs::remove(content_ / "rip/ep3.md");
  r = ingestor_->ingest_paths({content_ / "rip/ep3.md"});
  EXPECT_EQ(r.episodes_removed, 1);
  EXPECT_FALSE(catalog_->episode("rip", "rip/ep3"));

  // A whole folder moved in.
  write_file(tmp_ / "incoming/ep4.md", episode_md("Four", "2025-01-04"));
  fs::rename(tmp_ / "incoming", content_ / "rip/incoming");
  r = ingestor_->ingest_paths({content_ / "rip/incoming"});
  EXPECT_TRUE(catalog_->episode("rip", "rip/incoming/ep4")) << messages(r);

  // A batch result equals a full scan of the same tree.
  IngestReport full = ingestor_->scan();
  EXPECT_EQ(full.episodes_written, 0) << messages(full);
  EXPECT_EQ(full.episodes_removed, 0);

  // The source rows an Ingestor keeps between passes stay the catalog's: a touched file
  // (same bytes) is recorded by a batch, and neither this ingestor nor a new one, which reads
  // the rows from the catalog, finds anything to redo.
  touch(content_ / "rip/ep2.md", 10);
  r = ingestor_->ingest_paths({"rip/ep2.md"});
  EXPECT_EQ(r.parsed, 0) << messages(r);
  full = ingestor_->scan();
  EXPECT_EQ(full.parsed, 0) << messages(full);
  EXPECT_EQ(full.episodes_written, 0);
  Ingestor fresh(*catalog_, content_);
  IngestReport again = fresh.scan();
  EXPECT_EQ(again.parsed, 0) << messages(again);
  EXPECT_EQ(again.episodes_written, 0);
  EXPECT_EQ(again.episodes_removed, 0);
}

TEST_F(IngestTest, AudioAloneThenNotesBesideItIsOneEpisode) {
  mp3("rip/ep7.mp3", 1.0, "From Tags");
  ingestor_->scan();
  std::string guid = catalog_->episode("rip", "rip/ep7")->guid;
  write_file(content_ / "rip/ep7.md", episode_md("From Notes", "2025-02-02"));
  ingestor_->scan();
  ASSERT_EQ(catalog_->episodes("rip").size(), 1u);
  EXPECT_EQ(catalog_->episode("rip", "rip/ep7")->title, "From Notes");
  EXPECT_EQ(catalog_->episode("rip", "rip/ep7")->guid, guid);
}

TEST_F(IngestTest, FrontMatterImagesAreRelativeToTheirFile) {
  write_file(content_ / "rip/episodes/art/one.jpg", "\xFF\xD8\xFF\xE0 jpeg bytes");
  write_file(content_ / "rip/shared.png", "\x89PNG\r\n\x1a\n png bytes");
  write_file(content_ / "rip/episodes/one.md",
             episode_md("One", "2026-01-01", "image = \"art/one.jpg\"\n"));
  write_file(content_ / "rip/episodes/two.md",
             episode_md("Two", "2026-01-02", "image = \"../shared.png\"\n"));
  write_file(content_ / "rip/episodes/three.md",
             episode_md("Three", "2026-01-03", "image = \"art/missing.jpg\"\n"));
  IngestReport r = ingestor_->scan();
  std::map<std::string, std::string> images;
  for (const Episode& e : catalog_->episodes("rip")) images[e.title] = e.image;
  EXPECT_EQ(images["One"], "rip/episodes/art/one.jpg");
  EXPECT_EQ(images["Two"], "rip/shared.png");
  EXPECT_EQ(images["Three"], "");
  std::string m = messages(r);
  EXPECT_NE(m.find("warning: rip/episodes/three.md: image 'rip/episodes/art/missing.jpg' does "
                   "not exist; published without it"),
            std::string::npos)
      << m;
  EXPECT_EQ(m.find("one.md"), std::string::npos) << m;
  EXPECT_EQ(m.find("two.md"), std::string::npos) << m;
}

TEST_F(IngestTest, BundleFolderIsOneEpisode) {
  write_file(content_ / "rip/2025-01-ep/episode.md", episode_md("Bundled", "2025-01-05"));
  mp3("rip/2025-01-ep/final mix.mp3");
  write_file(content_ / "rip/2025-01-ep/transcript.srt",
             "1\n00:00:00,000 --> 00:00:01,000\nAda: Hello\n");
  IngestReport r = ingestor_->scan();
  EXPECT_EQ(r.errors, 0) << messages(r);
  std::optional<Episode> e = catalog_->episode("rip", "rip/2025-01-ep");
  ASSERT_TRUE(e);
  ASSERT_TRUE(e->enclosure);
  EXPECT_EQ(e->enclosure->file, "rip/2025-01-ep/final mix.mp3");
  ASSERT_EQ(e->transcripts.size(), 1u);
  EXPECT_EQ(e->transcripts[0].segments[0].speaker, "Ada");
}

TEST_F(IngestTest, NotesCanClaimAudioElsewhere) {
  write_file(content_ / "rip/notes/ep5.md",
             episode_md("Five", "2025-01-05", "audio = \"../audio/five-final.mp3\"\n"));
  mp3("rip/audio/five-final.mp3", 1.5);
  IngestReport r = ingestor_->scan();
  EXPECT_EQ(r.errors, 0) << messages(r);
  ASSERT_EQ(catalog_->episodes("rip").size(), 1u);
  EXPECT_EQ(catalog_->episode("rip", "rip/notes/ep5")->enclosure->file, "rip/audio/five-final.mp3");
  // Re-encoding the audio updates the claiming episode.
  mp3("rip/audio/five-final.mp3", 3.0);
  r = ingestor_->ingest_paths({content_ / "rip/audio/five-final.mp3"});
  EXPECT_NEAR(catalog_->episode("rip", "rip/notes/ep5")->enclosure->duration, 3.0, 0.1)
      << messages(r);
  EXPECT_EQ(catalog_->episodes("rip").size(), 1u);
}

TEST_F(IngestTest, RemovedShowFolderKeepsGuidsAsTombstones) {
  fs::create_directories(content_ / "other");
  write_file(content_ / "other/show.toml", kShowToml);
  write_file(content_ / "other/ep.md", episode_md("X", "2025-01-01"));
  ingestor_->scan();
  ASSERT_EQ(catalog_->shows().size(), 2u);
  fs::remove_all(content_ / "other");
  IngestReport r = ingestor_->scan();
  EXPECT_EQ(catalog_->shows().size(), 1u);
  EXPECT_TRUE(r.changed_shows.count("other"));
  EXPECT_EQ(catalog_->identities("other").size(), 1u);
}

// A pass that rebuilds many episodes parses them on a prefetch thread: same results, same
// diagnostics, in the same order.
TEST_F(IngestTest, LargePassesParseAheadOnASecondThread) {
  for (int i = 0; i < 150; ++i) {
    std::string n = std::to_string(1000 + i);
    std::string body = i % 50 == 7 ? "+++\ntitle = \"broken\n+++\n"
                                   : episode_md("Episode " + n, "2025-01-01T00:00:00Z",
                                                "guid = \"g-" + n + "\"\n");
    write_file(content_ / ("rip/ep" + n + ".md"), body);
  }
  write_file(content_ / "rip/ep1020.vtt", "WEBVTT\n\n00:00.000 --> 00:01.000\n<v A>hi\n");
  IngestReport r = ingestor_->scan();
  EXPECT_EQ(r.errors, 3) << messages(r);
  EXPECT_EQ(r.parsed, 152);  // with show.toml
  EXPECT_EQ(catalog_->episodes("rip").size(), 147u);
  EXPECT_EQ(catalog_->episode("rip", "rip/ep1020")->transcripts.size(), 1u);
  EXPECT_NE(messages(r).find("rip/ep1007.md:2: "), std::string::npos) << messages(r);
  // The errors come in the order the files are processed, as without the second thread.
  std::vector<std::string> failed;
  for (const Diagnostic& d : r.diagnostics) {
    if (d.severity == Diagnostic::Severity::error) failed.push_back(d.file);
  }
  EXPECT_EQ(failed, (std::vector<std::string>{"rip/ep1007.md", "rip/ep1057.md", "rip/ep1107.md"}))
      << messages(r);
  // A second scan of the same tree changes nothing.
  IngestReport again = ingestor_->scan();
  EXPECT_EQ(again.episodes_written, 0);
  EXPECT_EQ(again.parsed, 0);
}

// What a pass keeps for the publisher (IngestOptions::keep_written) is exactly what the catalog
// gives back for each episode, with the content hash it holds: our example show (every source
// format) and, where ../shared is present, the real sample pages beside it. Only committed
// writes are kept, once, and a scan that changes nothing keeps none.
TEST_F(IngestTest, WrittenEpisodesAreWhatTheCatalogGivesBack) {
  fs::copy(source_dir() / "examples/content", content_, fs::copy_options::recursive);
  if (std::optional<fs::path> samples = podcastd::testing::samples_dir()) {
    for (const auto& entry : fs::directory_iterator(*samples)) {
      if (entry.path().extension() == ".txt") {
        fs::copy_file(entry.path(), content_ / "rip" / entry.path().filename());
      }
    }
    mp3("rip/rip-svix-with-tom-hacohen.mp3");
  }
  write_file(content_ / "rip/ep1.md", episode_md("Svix with Tom", "2025-05-01T10:00:00Z",
                                                 "[[chapter]]\nstart = \"00:00:00\"\n"
                                                 "title = \"Intro\"\n"));
  mp3("rip/ep1.mp3");
  write_file(content_ / "rip/ep1.vtt", "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<v Ada>Hi.\n");
  IngestOptions options;
  options.clock = [this] { return now_; };
  options.keep_written = true;
  Ingestor keeping(*catalog_, content_, options);
  IngestReport r = keeping.scan();
  ASSERT_EQ(r.errors, 0) << messages(r);
  std::unordered_map<std::string, std::vector<WrittenEpisode>> written = keeping.take_written();
  EXPECT_TRUE(keeping.take_written().empty()) << "taken once";
  std::size_t count = 0;
  for (const auto& [show, episodes] : written) {
    std::map<std::string, std::string> hashes;
    for (const EpisodeSummary& s : catalog_->summaries(show)) hashes[s.key] = s.content_hash;
    for (const WrittenEpisode& w : episodes) {
      ++count;
      std::optional<Episode> stored = catalog_->episode(show, w.episode.key);
      ASSERT_TRUE(stored) << w.episode.key;
      EXPECT_EQ(*stored, w.episode) << w.episode.key;
      EXPECT_EQ(hashes[w.episode.key], w.content_hash) << w.episode.key;
    }
  }
  EXPECT_EQ(count, static_cast<std::size_t>(r.episodes_written));
  EXPECT_GE(written.count("field-notes"), 1u);
  EXPECT_GE(written.count("rip"), 1u);
  IngestReport again = keeping.scan();
  EXPECT_EQ(again.episodes_written, 0);
  EXPECT_TRUE(keeping.take_written().empty());
}

// The real show-notes pages of ../shared/samples, ingested as a show with generated audio.
TEST_F(IngestTest, SamplePagesIngest) {
  PODCASTD_REQUIRE_SAMPLES(samples);
  for (const char* name :
       {"rip-season-4-finale", "rip-svix-with-tom-hacohen", "rip-show-page",
        "sed-rust-networking-with-carl-lerche", "deep-engineering-francesco-ciulla"}) {
    fs::copy_file(samples / (std::string(name) + ".txt"),
                  content_ / "rip" / (std::string(name) + ".txt"));
  }
  mp3("rip/rip-season-4-finale.mp3");
  mp3("rip/rip-svix-with-tom-hacohen.mp3");
  IngestReport r = ingestor_->scan();
  EXPECT_EQ(r.errors, 0) << messages(r);
  std::optional<Episode> finale = catalog_->episode("rip", "rip/rip-season-4-finale");
  ASSERT_TRUE(finale);
  EXPECT_EQ(finale->title, "Season 4 Finale");
  EXPECT_EQ(finale->date, 1753315200);  // 2025-07-24, the page's own date
  ASSERT_TRUE(finale->enclosure);
  std::optional<Episode> svix = catalog_->episode("rip", "rip/rip-svix-with-tom-hacohen");
  ASSERT_TRUE(svix);
  EXPECT_EQ(svix->subtitle, "About reliable webhooks at scale with Rust");
  EXPECT_FALSE(svix->speaker_timeline.empty());
  // The show page fills what show.toml leaves unset and lists episodes; the two with pages
  // are one episode each, the rest are listed without audio.
  std::vector<EpisodeSummary> all = catalog_->summaries("rip");
  int finales = 0;
  for (const EpisodeSummary& s : all) finales += s.title == "Season 4 Finale";
  EXPECT_EQ(finales, 1);
  EXPECT_GE(all.size(), 20u);
  EXPECT_EQ(catalog_->search("webhooks").empty(), false);
}

}  // namespace
}  // namespace podcastd::catalog
