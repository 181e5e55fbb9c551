#include "catalog/catalog.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "catalog/hash.hpp"
#include "tests/support/test_support.hpp"

namespace podcastd::catalog {
namespace {

using podcastd::testing::TempDir;

Show make_show(const std::string& slug = "rip") {
  Show s;
  s.slug = slug;
  s.dir = slug;
  s.title = "Rust in Practice";
  s.description = "A show about Rust.";
  s.language = "en";
  s.categories = {"Technology", "Education > How To"};
  s.persons = {{"Ada Host", "host", "cast", "https://ada.example", "", ""}};
  s.explicit_content = false;
  return s;
}

Episode make_episode(const std::string& key, const std::string& guid) {
  Episode e;
  e.show = "rip";
  e.key = key;
  e.guid = guid;
  e.title = "Episode " + key;
  e.subtitle = "sub";
  e.notes_html = "<p>Tokio and webhooks</p>";
  e.notes_text = "Tokio and webhooks";
  e.date = 1712109988;
  e.season = 2;
  e.number = 7;
  e.type = EpisodeType::bonus;
  e.explicit_content = true;
  e.enclosure = Enclosure{"rip/" + key + ".mp3", "", 12345, "audio/mpeg", 61.5, 32};
  e.declared_duration = 60;
  e.persons = {{"Tom Guest", "guest", "cast", "", "", "Builds webhooks."}};
  e.chapters = {{0, 30.0, "Intro", "", "", true},
                {30, std::nullopt, "Main", "https://x.example", "", false}};
  e.links = {{"Tokio", "https://tokio.rs", "async runtime"}, {"No URL", "", ""}};
  e.soundbites = {{10, 20, "best bit"}};
  e.locations = {{"Berlin", "creator", "geo:52.5,13.4", "", "DE"}};
  e.funding = {{"https://fund.example", "Support us"}};
  e.txt = {{"verify", "abc"}};
  e.license = "CC-BY-4.0";
  e.transcripts = {Transcript{
      "rip/" + key + ".vtt",
      TranscriptFormat::vtt,
      "en",
      {{"Matthias", 0.0, 1.5, "Hello and welcome"}, {"Tom", 1.5, 3.0, "Thanks for having me"}}}};
  e.speaker_timeline = {{"Tom", 27}, {"Matthias", 67}};
  e.sources = {"rip/" + key + ".md", "rip/" + key + ".mp3"};
  return e;
}

class CatalogTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::filesystem::path file_ = dir_ / "catalog.db";
};

std::string journal_mode(const std::filesystem::path& file) {
  SQLite::Database raw(file.string());
  return raw.execAndGet("PRAGMA journal_mode").getString();
}

TEST_F(CatalogTest, NewFileIsWalFromItsFirstCommit) {
  {
    Catalog c(file_);
    EXPECT_EQ(c.schema_version(), Catalog::latest_schema_version());
    // The first transaction (a cold ingest) runs with a rollback journal ...
    EXPECT_EQ(journal_mode(file_), "delete");
    Catalog::Transaction tx(c);
    c.put_show(make_show());
    tx.commit();
    // ... and the catalog is WAL from its commit on.
    EXPECT_EQ(journal_mode(file_), "wal");
  }
  Catalog again(file_);
  EXPECT_EQ(journal_mode(file_), "wal");
}

TEST_F(CatalogTest, ExistingFileOpensInWal) {
  { Catalog c(file_); }  // created, never written: still a rollback journal
  EXPECT_EQ(journal_mode(file_), "delete");
  Catalog c(file_);
  EXPECT_EQ(journal_mode(file_), "wal");
  EXPECT_EQ(c.shows().size(), 0u);
}

TEST_F(CatalogTest, EpisodeRoundTripsWithEveryChild) {
  Catalog c(file_);
  c.put_show(make_show());
  Episode e = make_episode("ep1", "guid-1");
  c.put_episode(e, "idhash");
  std::optional<Episode> back = c.episode("rip", "ep1");
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, e);
  std::vector<Episode> all = c.episodes("rip");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0], e);
}

TEST_F(CatalogTest, PutEpisodeReplacesChildren) {
  Catalog c(file_);
  c.put_show(make_show());
  Episode e = make_episode("ep1", "guid-1");
  c.put_episode(e, "");
  e.chapters.resize(1);
  e.links.clear();
  e.persons.push_back({"Another", "guest", "", "", "", ""});
  e.transcripts.clear();
  c.put_episode(e, "");
  EXPECT_EQ(*c.episode("rip", "ep1"), e);
  EXPECT_EQ(c.search("welcome").size(), 0u);  // transcript text left the index
}

// Rows that are there already (a person in an earlier episode, an episode put again) are
// updated, which leaves last_insert_rowid alone: their ids are looked up, never taken from
// an earlier insert.
TEST_F(CatalogTest, PutEpisodeFindsTheRowsItUpdates) {
  Catalog c(file_);
  c.put_show(make_show());
  const Person a{"Ada", "guest", "", "https://a.example", "", ""};
  const Person b{"Bob", "host", "", "https://b.example", "b.jpg", "Bob's bio."};
  const Person new_one{"Cy", "guest", "", "", "", ""};
  Episode first = make_episode("ep1", "guid-1");
  first.persons = {a, b};
  Episode second = make_episode("ep2", "guid-2");
  second.persons = {b, a};  // both updated, in the other order
  Episode third = make_episode("ep3", "guid-3");
  third.persons = {new_one, a};
  Catalog::Transaction tx(c);
  c.put_episode(first, "");
  c.put_episode(second, "");
  c.put_episode(third, "");
  first.title = "Put again";
  first.persons = {a};
  c.put_episode(first, "");  // the episode row is updated too
  tx.commit();
  EXPECT_EQ(*c.episode("rip", "ep1"), first);
  EXPECT_EQ(*c.episode("rip", "ep2"), second);
  EXPECT_EQ(*c.episode("rip", "ep3"), third);
  EXPECT_EQ(c.episodes("rip"), (std::vector<Episode>{first, second, third}));
}

TEST_F(CatalogTest, MarkPublishedKeepsTheFirstTimeOfTheGuidsItIsGiven) {
  Catalog c(file_);
  c.put_show(make_show());
  const std::string odd_guid = "tag:x,2024:\"quoted\" \\ caf\xC3\xA9";  // JSON escapes
  c.put_episode(make_episode("ep1", "guid-1"), "");
  c.put_episode(make_episode("ep2", "guid-2"), "");
  c.put_episode(make_episode("ep3", odd_guid), "");
  c.mark_published("rip", {"guid-1", odd_guid, "not-there"}, 100);
  c.mark_published("rip", {}, 150);
  c.mark_published("no-such-show", {"guid-2"}, 150);
  c.mark_published("rip", {"guid-1"}, 200);  // already published: keeps 100
  std::map<std::string, std::optional<UnixTime>> first;
  for (const EpisodeIdentity& id : c.identities("rip")) first[id.key] = id.first_published;
  EXPECT_EQ(first["ep1"], UnixTime{100});
  EXPECT_EQ(first["ep2"], std::nullopt);
  EXPECT_EQ(first["ep3"], UnixTime{100});
  std::map<std::string, bool> before;
  for (const EpisodeSummary& s : c.summaries("rip")) before[s.key] = s.published_before;
  EXPECT_EQ(before, (std::map<std::string, bool>{{"ep1", true}, {"ep2", false}, {"ep3", true}}));
}

TEST_F(CatalogTest, ShowRoundTripsAndRemembersPodcastGuidOnce) {
  Catalog c(file_);
  Show s = make_show();
  c.put_show(s);
  EXPECT_EQ(*c.show("rip"), s);
  EXPECT_EQ(c.remembered_podcast_guid("rip"), "");
  EXPECT_EQ(c.remember_podcast_guid("rip", "first"), "first");
  EXPECT_EQ(c.remember_podcast_guid("rip", "second"), "first");
  c.put_show(s);  // re-ingest keeps the memory
  EXPECT_EQ(c.remembered_podcast_guid("rip"), "first");
}

TEST_F(CatalogTest, TombstoneKeepsGuidAndRekeyMovesIt) {
  Catalog c(file_);
  c.put_show(make_show());
  c.put_episode(make_episode("ep1", "guid-1"), "h1");
  c.tombstone_episode("rip", "ep1", 100);
  EXPECT_TRUE(c.episodes("rip").empty());
  std::vector<EpisodeIdentity> ids = c.identities("rip");
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_TRUE(ids[0].removed);
  EXPECT_EQ(ids[0].guid, "guid-1");
  EXPECT_EQ(ids[0].identity_hash, "h1");
  EXPECT_TRUE(c.search("Tokio").empty());

  c.rekey_episode("rip", "ep1", "renamed");
  Episode e = make_episode("renamed", "guid-1");
  c.put_episode(e, "h1");
  ids = c.identities("rip");
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_FALSE(ids[0].removed);
  EXPECT_EQ(ids[0].key, "renamed");
  EXPECT_EQ(c.search("Tokio").size(), 1u);
}

TEST_F(CatalogTest, DuplicateGuidInShowIsRejectedByTheSchema) {
  Catalog c(file_);
  c.put_show(make_show());
  c.put_episode(make_episode("ep1", "same"), "");
  EXPECT_THROW(c.put_episode(make_episode("ep2", "same"), ""), SQLite::Exception);
}

TEST_F(CatalogTest, SearchFindsNotesTitlesAndTranscriptsWithSnippets) {
  Catalog c(file_);
  c.put_show(make_show());
  Episode a = make_episode("a", "ga");
  a.title = "Svix webhooks";
  a.notes_text = "Reliable webhooks at scale";
  a.transcripts.clear();
  Episode b = make_episode("b", "gb");
  b.title = "Other";
  b.notes_text = "Nothing here";
  b.transcripts[0].segments[0].body = "we talk about webhooks in the transcript";
  c.put_episode(a, "");
  c.put_episode(b, "");
  std::vector<SearchHit> hits = c.search("webhooks");
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].key, "a");  // title + notes rank above a transcript mention
  EXPECT_NE(hits[0].snippet.find("[webhooks]"), std::string::npos) << hits[0].snippet;
  EXPECT_EQ(c.search("\"at scale\"").size(), 1u);
  EXPECT_EQ(c.search("webhooks NEAR(").size(), 0u);  // operators are plain words, no error
  EXPECT_TRUE(c.search("   ").empty());
}

// A transaction with many FTS changes (a cold ingest) is indexed after it commits, on a
// second connection: its episodes are searchable through this catalog at once, through
// another connection once it is closed, and edits after it apply in order.
TEST_F(CatalogTest, BigBatchIsIndexedAfterCommitAndInOrder) {
  constexpr int kEpisodes = 700;  // above the deferred-batch size
  {
    Catalog c(file_);
    {
      Catalog::Transaction tx(c);  // a new catalog's first commit switches it to WAL
      c.put_show(make_show());
      tx.commit();
    }
    {
      Catalog::Transaction tx(c);
      for (int i = 0; i < kEpisodes; ++i) {
        Episode e = make_episode("ep" + std::to_string(i), "g" + std::to_string(i));
        e.notes_text = "notes of episode word" + std::to_string(i);
        e.transcripts[0].segments[0].body = "spoken" + std::to_string(i);
        c.put_episode(e, "");
      }
      tx.commit();
    }
    EXPECT_EQ(c.search("word5").size(), 1u);
    EXPECT_EQ(c.search("spoken699").size(), 1u);
    EXPECT_EQ(c.state("fts_pending"), std::nullopt);
    {
      Catalog::Transaction tx(c);
      Episode e = make_episode("ep5", "g5");
      e.notes_text = "rewritten";
      c.put_episode(e, "");
      tx.commit();
    }
    EXPECT_TRUE(c.search("word5").empty());
    EXPECT_EQ(c.search("rewritten").size(), 1u);
  }
  Catalog reader(file_, Catalog::Mode::read_only);
  EXPECT_EQ(reader.search("word699").size(), 1u);
  EXPECT_EQ(reader.search("notes", 1000).size(), static_cast<std::size_t>(kEpisodes - 1));
}

// Every indexed document, and FTS5's own check that its index matches them.
std::vector<std::string> checked_index(const std::filesystem::path& file) {
  SQLite::Database raw(file.string(), SQLite::OPEN_READWRITE);
  raw.exec("INSERT INTO episode_fts(episode_fts) VALUES('integrity-check')");
  SQLite::Statement st(raw,
                       "SELECT rowid, title, notes, transcript FROM episode_fts ORDER BY rowid");
  std::vector<std::string> rows;
  while (st.executeStep()) {
    rows.push_back(st.getColumn(0).getString() + "|" + st.getColumn(1).getString() + "|" +
                   st.getColumn(2).getString() + "|" + st.getColumn(3).getString());
  }
  return rows;
}

// The process ended between a batch's commit and its index: the next open rebuilds the
// index from the catalog, transcripts included.
TEST_F(CatalogTest, UnfinishedIndexIsRebuiltOnOpen) {
  {
    Catalog c(file_);
    c.put_show(make_show());
    Episode a = make_episode("a", "ga");
    a.notes_text = "alpha notes";
    c.put_episode(a, "");
    Episode b = make_episode("b", "gb");
    b.notes_text = "beta notes";
    c.put_episode(b, "");
    c.tombstone_episode("rip", "b", 1000);
  }
  // The rebuild (SQL over the stored rows) must index exactly what put_episode indexed.
  const std::vector<std::string> before = checked_index(file_);
  ASSERT_EQ(before.size(), 1u);
  {
    SQLite::Database raw(file_.string(), SQLite::OPEN_READWRITE);
    raw.exec("DELETE FROM episode_fts");
    raw.exec("INSERT INTO state(key, value) VALUES('fts_pending', '1')");
  }
  Catalog c(file_);
  EXPECT_EQ(c.state("fts_pending"), std::nullopt);
  EXPECT_EQ(checked_index(file_), before);
  EXPECT_EQ(c.search("alpha").size(), 1u);
  EXPECT_EQ(c.search("beta").size(), 0u);             // removed episodes stay out
  std::vector<SearchHit> hits = c.search("welcome");  // "Matthias: Hello and welcome"
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].key, "a");
  EXPECT_EQ(c.search("Matthias").size(), 1u);
}

// The changes of one cold-ingest transaction: many new episodes, some rewritten, one
// tombstoned, and a second show removed, all before the commit.
void put_cold_batch(Catalog& c, int episodes) {
  c.put_show(make_show());
  c.put_show(make_show("gone"));
  for (int i = 0; i < episodes; ++i) {
    Episode e = make_episode("ep" + std::to_string(i), "g" + std::to_string(i));
    e.notes_text = "notes of episode word" + std::to_string(i);
    e.transcripts[0].segments[0].body = "spoken" + std::to_string(i);
    if (i % 100 == 0) e.show = "gone";
    c.put_episode(e, "");
  }
  Episode rewritten = make_episode("ep7", "g7");
  rewritten.notes_text = "rewritten late";
  c.put_episode(rewritten, "");
  c.tombstone_episode("rip", "ep8", 1000);
  c.remove_show("gone");
}

// A big transaction is indexed before its COMMIT in a new catalog (no WAL yet: the index
// is written once, with the rest) and after it, on a second connection, in one that has
// WAL. Either way: the documents of an index rebuilt from the catalog's rows, an index FTS5
// finds sound, and searches that see every change, the late ones included.
TEST_F(CatalogTest, BigBatchIndexesWhatARebuildWould) {
  constexpr int kEpisodes = 1300;  // two and a half deferred batches
  auto ingest = [](const std::filesystem::path& file, bool wal_first) {
    Catalog c(file);
    if (wal_first) {
      Catalog::Transaction tx(c);
      c.put_show(make_show("first"));
      tx.commit();
      EXPECT_EQ(journal_mode(file), "wal");
    }
    Catalog::Transaction tx(c);
    put_cold_batch(c, kEpisodes);
    tx.commit();
    EXPECT_EQ(c.search("word5").size(), 1u);
    EXPECT_TRUE(c.search("word8").empty());    // tombstoned
    EXPECT_TRUE(c.search("word100").empty());  // its show removed
    EXPECT_TRUE(c.search("word7").empty());    // rewritten
    EXPECT_EQ(c.search("late").size(), 1u);
    EXPECT_EQ(c.state("fts_pending"), std::nullopt);
  };
  // The reference: the index rebuilt by SQL from the catalog's rows, which
  // UnfinishedIndexIsRebuiltOnOpen holds equal to what put_episode indexes one at a time.
  const std::filesystem::path rebuilt = dir_ / "rebuilt.db";
  ingest(rebuilt, false);
  {
    SQLite::Database raw(rebuilt.string(), SQLite::OPEN_READWRITE);
    raw.exec("DELETE FROM episode_fts");
    raw.exec("INSERT INTO state(key, value) VALUES('fts_pending', '1')");
  }
  { Catalog reopened(rebuilt); }
  const std::vector<std::string> expected = checked_index(rebuilt);
  ASSERT_EQ(expected.size(), static_cast<std::size_t>(kEpisodes - 13 - 1));
  for (bool wal_first : {false, true}) {
    SCOPED_TRACE(wal_first ? "catalog in WAL" : "new catalog");
    const std::filesystem::path file = dir_ / (wal_first ? "wal.db" : "new.db");
    ingest(file, wal_first);
    EXPECT_EQ(checked_index(file), expected);
    Catalog reader(file, Catalog::Mode::read_only);
    EXPECT_EQ(reader.search("spoken1299").size(), 1u);
  }
}

// A big transaction that rolls back leaves the index as it was (empty), the next one
// indexes its episodes, and a third replaces them.
TEST_F(CatalogTest, BigBatchRolledBackLeavesTheIndexAsItWas) {
  Catalog c(file_);
  c.put_show(make_show());
  auto put_many = [&](const std::string& word) {
    for (int i = 0; i < 600; ++i) {
      Episode e = make_episode("ep" + std::to_string(i), "g" + std::to_string(i));
      e.notes_text = word + std::to_string(i);
      c.put_episode(e, "");
    }
  };
  {
    Catalog::Transaction tx(c);
    put_many("dropped");
  }  // rolled back
  EXPECT_TRUE(c.search("dropped1").empty());
  EXPECT_EQ(c.state("fts_pending"), std::nullopt);
  {
    Catalog::Transaction tx(c);
    put_many("kept");
    tx.commit();
  }
  EXPECT_EQ(c.search("kept599").size(), 1u);
  EXPECT_TRUE(c.search("dropped1").empty());
  {
    Catalog::Transaction tx(c);  // the index is not empty now
    put_many("again");
    tx.commit();
  }
  EXPECT_EQ(c.search("again599").size(), 1u);
  EXPECT_TRUE(c.search("kept599").empty());
  EXPECT_EQ(checked_index(file_).size(), 600u);
}

TEST_F(CatalogTest, SourcesRoundTrip) {
  Catalog c(file_);
  SourceRecord r{"rip/ep1.md",
                 "rip",
                 "markdown",
                 10,
                 20,
                 "abcd",
                 "rip/ep1",
                 "rip/ep1.md:3: bad",
                 {{Diagnostic::Severity::warning, "rip/ep1.md", 4, "odd"}},
                 99};
  c.put_source(r);
  EXPECT_EQ(*c.source("rip/ep1.md"), r);
  r.size = 11;
  r.warnings.clear();
  c.put_source(r);
  ASSERT_EQ(c.sources().size(), 1u);
  EXPECT_EQ(c.sources()[0], r);
  EXPECT_EQ(c.sources_of_show("rip").size(), 1u);
  c.delete_source("rip/ep1.md");
  EXPECT_FALSE(c.source("rip/ep1.md"));
}

TEST_F(CatalogTest, TransactionRollsBackUnlessCommitted) {
  Catalog c(file_);
  c.put_show(make_show());
  {
    Catalog::Transaction tx(c);
    c.put_episode(make_episode("ep1", "g1"), "");
  }
  EXPECT_TRUE(c.episodes("rip").empty());
  {
    Catalog::Transaction tx(c);
    c.put_episode(make_episode("ep1", "g1"), "");
    tx.commit();
  }
  EXPECT_EQ(c.episodes("rip").size(), 1u);
}

TEST_F(CatalogTest, SummariesAndStatus) {
  Catalog c(file_);
  c.put_show(make_show());
  Episode e = make_episode("ep1", "g1");
  c.put_episode(e, "");
  Episode d = make_episode("ep2", "g2");
  d.draft = true;
  c.put_episode(d, "");
  Episode n = make_episode("ep3", "g3");
  n.enclosure.reset();
  c.put_episode(n, "");
  Episode s = make_episode("ep4", "g4");
  s.publish_at = 2000;
  c.put_episode(s, "");
  c.set_episode_error("rip", "ep1", "rip/ep1.md:2: broken");
  std::vector<EpisodeSummary> list = c.summaries("rip");
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list[0].status(1000), EpisodeStatus::error);
  EXPECT_EQ(list[1].status(1000), EpisodeStatus::draft);
  EXPECT_EQ(list[2].status(1000), EpisodeStatus::no_audio);
  EXPECT_EQ(list[3].status(1000), EpisodeStatus::scheduled);
  EXPECT_EQ(list[3].status(3000), EpisodeStatus::published);
  EXPECT_EQ(list[1].content_hash, hash::hex64(fingerprint(d)));
  EXPECT_EQ(list[1].sources, d.sources);
}

TEST_F(CatalogTest, SummariesKeepEverySourcePathExactly) {
  Catalog c(file_);
  c.put_show(make_show());
  const std::vector<std::vector<std::string>> cases = {
      {},
      {"rip/one.md"},
      {"rip/a, b.md", "rip/\"quoted\".mp3", "rip/back\\slash.vtt"},
      {"rip/Grüße/ep.md", "rip/tab\there.md", "rip/[x].md"},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    Episode e = make_episode("ep" + std::to_string(i), "g" + std::to_string(i));
    e.sources = cases[i];
    c.put_episode(e, "");
  }
  std::vector<EpisodeSummary> list = c.summaries("rip");
  ASSERT_EQ(list.size(), cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(list[i].sources, cases[i]) << i;
    EXPECT_EQ(list[i].source_file(), cases[i].empty() ? list[i].key : cases[i].front()) << i;
  }
}

TEST_F(CatalogTest, PublishHistoryOutboxLinksState) {
  Catalog c(file_);
  c.put_show(make_show());
  c.put_episode(make_episode("ep1", "g1"), "");
  c.record_publish({"rip", 10, 5, false, false, "", 0, 2, 1, "rip/feed.xml: 2 errors"});
  c.record_publish({"rip", 20, 5, true, true, "ffff", 1234, 0, 1, "ok"});
  ASSERT_EQ(c.publish_history("rip").size(), 2u);
  EXPECT_EQ(c.publish_history("rip")[0].at, 20);
  EXPECT_EQ(c.last_successful_publish("rip")->feed_hash, "ffff");

  OutboxItem item;
  item.show = "rip";
  item.channel = "websub";
  item.target = "https://hub.example/";
  item.feed_url = "https://feeds.example/rip/feed.xml";
  item.created_at = 5;
  item.next_attempt_at = 5;
  item.id = c.enqueue(item);
  EXPECT_EQ(c.outbox_depth(), 1);
  OutboxItem later = item;
  later.target = "https://hub2.example/";
  later.next_attempt_at = 3;
  later.id = c.enqueue(later);
  std::vector<OutboxItem> pending = c.pending_outbox();
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].id, later.id);  // the earliest attempt first
  std::optional<OutboxItem> one = c.pending_outbox_item(item.id);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->feed_url, item.feed_url);
  one->state = "delivered";
  one->delivered_at = 6;
  c.update_outbox(*one);
  EXPECT_EQ(c.outbox_depth(), 1);
  EXPECT_FALSE(c.pending_outbox_item(item.id)) << "a delivered row is not pending";

  std::vector<Link> links = c.links("rip");
  ASSERT_EQ(links.size(), 1u);  // the empty URL is not a link to check
  EXPECT_EQ(links[0].url, "https://tokio.rs");
  c.put_link_check({"https://tokio.rs", 200, "https://tokio.rs/", "", 7, 12});
  EXPECT_EQ(c.link_check("https://tokio.rs")->status, 200);

  c.set_state("k", "v");
  EXPECT_EQ(c.state("k"), "v");
  EXPECT_FALSE(c.state("missing"));
}

TEST_F(CatalogTest, ReadOnlyConnectionSeesWritersCommits) {
  Catalog writer(file_);
  writer.put_show(make_show());
  Catalog reader(file_, Catalog::Mode::read_only);
  EXPECT_EQ(reader.shows().size(), 1u);
  EXPECT_THROW(reader.put_show(make_show("other")), SQLite::Exception);
}

TEST_F(CatalogTest, RefusesNewerSchema) {
  {
    SQLite::Database raw(file_.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    raw.exec("PRAGMA user_version = " + std::to_string(Catalog::latest_schema_version() + 1));
  }
  try {
    Catalog c(file_);
    FAIL() << "opened a newer schema";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("is newer than this podcastd"), std::string::npos)
        << e.what();
  }
}

// The schema of a database as SQLite records it, for comparing migrated and fresh files.
std::string schema_of(const std::filesystem::path& file) {
  SQLite::Database raw(file.string());
  SQLite::Statement st(raw,
                       "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name");
  std::string out;
  while (st.executeStep()) {
    for (int i = 0; i < 4; ++i) {
      out += st.getColumn(i).isNull() ? "" : st.getColumn(i).getString();
      out += "|";
    }
    out += "\n";
  }
  return out;
}

TEST_F(CatalogTest, MigratesFromEveryPastVersionToTheFreshSchema) {
  { Catalog fresh(file_); }
  std::string fresh_schema = schema_of(file_);
  for (int version = 0; version < Catalog::latest_schema_version(); ++version) {
    std::filesystem::path old = dir_ / ("v" + std::to_string(version) + ".db");
    {
      SQLite::Database raw(old.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      for (int step = 0; step < version; ++step) raw.exec(Catalog::migration_sql(step));
      raw.exec("PRAGMA user_version = " + std::to_string(version));
    }
    {
      Catalog migrated(old);
      EXPECT_EQ(migrated.schema_version(), Catalog::latest_schema_version());
    }
    EXPECT_EQ(schema_of(old), fresh_schema) << "from version " << version;
  }
}

// Catalogs made before the notes moved to their own table (schema 1) keep every episode's notes.
TEST_F(CatalogTest, NotesOfASchemaOneCatalogSurviveTheMigration) {
  std::filesystem::path old = dir_ / "v1.db";
  {
    SQLite::Database raw(old.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    raw.exec(Catalog::migration_sql(0));
    raw.exec("PRAGMA user_version = 1");
    raw.exec("INSERT INTO shows(id, slug, dir, data, updated_at) VALUES(1, 'rip', 'rip', '{}', 0)");
    raw.exec(
        "INSERT INTO episodes(id, show_id, key, guid, title, notes_html, notes_text, content_hash, "
        "first_seen) VALUES(7, 1, 'rip/ep1', 'g-1', 'First', '<p>Hello <b>there</b></p>', "
        "'Hello there', 'h', 0)");
  }
  Catalog migrated(old);
  ASSERT_EQ(migrated.schema_version(), Catalog::latest_schema_version());
  std::optional<Episode> e = migrated.episode("rip", "rip/ep1");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->guid, "g-1");
  EXPECT_EQ(e->notes_html, "<p>Hello <b>there</b></p>");
  EXPECT_EQ(e->notes_text, "Hello there");
}

}  // namespace
}  // namespace podcastd::catalog
