// The rich fixture feed read by clients nobody here wrote: xmllint (libxml2), feedparser and
// gPodder's podcastparser (Debian's python3 packages), and the Podcast Index's npm
// podcast-partytime parser. Each test skips, saying what is missing, when its client is not
// installed:
//   apt install libxml2-utils python3-feedparser python3-podcastparser nodejs npm
//   cd tests/clients && npm ci        (or scripts/install-deps --test)
// The Python checks run /usr/bin/python3 explicitly: a pyenv python3 on PATH lacks Debian's
// packages.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "catalog/text.hpp"
#include "feeds/rss.hpp"
#include "tests/feeds/feed_fixtures.hpp"
#include "tests/support/test_support.hpp"

namespace podcastd::feeds {
namespace {

using ::podcastd::testing::CommandResult;
using ::podcastd::testing::FeedFixture;
using ::podcastd::testing::make_minimal_fixture;
using ::podcastd::testing::make_rich_fixture;
using ::podcastd::testing::run_command;
using ::podcastd::testing::shell_quote;
using ::podcastd::testing::source_dir;
using ::podcastd::testing::TempDir;
using ::podcastd::testing::write_file;
namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr const char* kPython = "/usr/bin/python3";
constexpr int kMissingModule = 77;  // the dump scripts' "not installed" exit code

bool on_path(const std::string& tool) {
  return run_command("command -v " + shell_quote(tool) + " >/dev/null 2>&1").exit_code == 0;
}

fs::path clients_dir() { return source_dir() / "tests" / "clients"; }

class Clients : public ::testing::Test {
 protected:
  void SetUp() override {
    fixture_ = make_rich_fixture();
    feed_path_ = dir_ / "feed.xml";
    write_file(feed_path_, render_feed(fixture_->channel, fixture_->items));
  }

  TempDir dir_;
  std::unique_ptr<FeedFixture> fixture_;
  fs::path feed_path_;
};

// Runs a dump script; its JSON output parsed, or null when it failed (see r.exit_code).
json run_dump(const std::string& command, const std::string& client, CommandResult& r) {
  r = run_command(command);
  if (r.exit_code != 0) {
    return json();
  }
  try {
    return json::parse(r.out);
  } catch (const json::exception& e) {
    ADD_FAILURE() << client << " printed no JSON: " << e.what() << "\n" << r.out;
    return json();
  }
}

TEST_F(Clients, XmllintAcceptsTheFeeds) {
  PODCASTD_NEED_TOOL(on_path("xmllint"), "xmllint (apt install libxml2-utils)");
  CommandResult r = run_command("xmllint --noout " + shell_quote(feed_path_.string()));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");

  auto minimal = make_minimal_fixture();
  const fs::path path = dir_ / "minimal.xml";
  write_file(path, render_feed(minimal->channel, minimal->items));
  r = run_command("xmllint --noout " + shell_quote(path.string()));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
}

TEST_F(Clients, FeedparserReadsTheRichFeed) {
  PODCASTD_NEED_TOOL(fs::exists(kPython), kPython << " (apt install python3 python3-feedparser)");
  CommandResult r;
  const json d = run_dump(std::string(kPython) + " " +
                              shell_quote((clients_dir() / "feedparser_dump.py").string()) + " " +
                              shell_quote(feed_path_.string()),
                          "feedparser", r);
  PODCASTD_NEED_TOOL(r.exit_code != kMissingModule, "feedparser (" << r.err << ")");
  ASSERT_EQ(r.exit_code, 0) << r.err;

  EXPECT_EQ(d["bozo"], 0) << d["bozo_exception"];
  EXPECT_EQ(d["feed_version"], "rss20");
  EXPECT_EQ(d["title"], fixture_->show.title);
  EXPECT_EQ(d["link"], fixture_->show.link);
  EXPECT_EQ(d["language"], fixture_->show.language);
  EXPECT_EQ(d["image"], fixture_->channel.image_url);
  ASSERT_EQ(d["entries"].size(), fixture_->items.size());
  for (std::size_t i = 0; i < fixture_->items.size(); ++i) {
    const catalog::Episode& e = *fixture_->items[i].episode;
    const json& got = d["entries"][i];
    SCOPED_TRACE(e.title);
    EXPECT_EQ(got["title"], e.title);
    EXPECT_EQ(got["id"], e.guid);
    EXPECT_EQ(got["guidislink"], e.guid.rfind("https://", 0) == 0);
    EXPECT_EQ(got["episode_type"], catalog::to_string(e.type));
    ASSERT_EQ(got["enclosures"].size(), 1U);
    const std::string url = fixture_->items[i].enclosure_url.empty()
                                ? e.enclosure->url
                                : fixture_->items[i].enclosure_url;
    EXPECT_EQ(got["enclosures"][0]["href"], url);
    EXPECT_EQ(got["enclosures"][0]["length"], std::to_string(e.enclosure->length));
    EXPECT_FALSE(got["enclosures"][0]["type"].get<std::string>().empty());
    EXPECT_EQ(got["duration"], std::to_string(std::llround(e.duration())));
  }
  EXPECT_EQ(d["entries"][0]["published"], "Wed, 03 Apr 2024 02:06:28 +0000");
  EXPECT_EQ(d["entries"][0]["content"][0], fixture_->episodes[0].notes_html);
  EXPECT_EQ(d["entries"][1]["enclosures"][0]["type"], "audio/x-m4a");
}

TEST_F(Clients, PodcastparserReadsEpisodesAndPscChapters) {
  PODCASTD_NEED_TOOL(fs::exists(kPython),
                     kPython << " (apt install python3 python3-podcastparser)");
  CommandResult r;
  const json d = run_dump(
      std::string(kPython) + " " + shell_quote((clients_dir() / "podcastparser_dump.py").string()) +
          " " + shell_quote(feed_path_.string()) + " " + shell_quote(testing::kRichFeedUrl),
      "podcastparser", r);
  PODCASTD_NEED_TOOL(r.exit_code != kMissingModule, "podcastparser (" << r.err << ")");
  ASSERT_EQ(r.exit_code, 0) << r.err;

  EXPECT_EQ(d["title"], fixture_->show.title);
  EXPECT_EQ(d["cover_url"], fixture_->channel.image_url);
  EXPECT_EQ(d["itunes_owner"]["email"], fixture_->show.owner_email);
  EXPECT_EQ(d["itunes_categories"],
            json::parse(R"([["Society & Culture", "Documentary"], ["Technology"],
                            ["Society & Culture", "Philosophy"]])"));
  ASSERT_EQ(d["episodes"].size(), fixture_->items.size());
  for (std::size_t i = 0; i < fixture_->items.size(); ++i) {
    const catalog::Episode& e = *fixture_->items[i].episode;
    const json& got = d["episodes"][i];
    SCOPED_TRACE(e.title);
    EXPECT_EQ(got["title"], e.title);
    EXPECT_EQ(got["guid"], e.guid);
    EXPECT_EQ(got["published"], *e.date);
    EXPECT_EQ(got["total_time"], std::llround(e.duration()));
    ASSERT_EQ(got["enclosures"].size(), 1U);
    EXPECT_EQ(got["enclosures"][0]["file_size"], e.enclosure->length);
  }
  const json& first = d["episodes"][0];
  EXPECT_EQ(first["enclosures"][0]["url"], fixture_->items[0].enclosure_url);
  EXPECT_EQ(first["enclosures"][0]["mime_type"], "audio/mpeg");
  EXPECT_EQ(first["description_html"], fixture_->episodes[0].notes_html);
  EXPECT_EQ(first["season"], 2);
  EXPECT_EQ(first["number"], 42);
  // psc chapters: titled, in time order, inside the duration (podcastparser keeps whole seconds).
  EXPECT_EQ(first["chapters"], json::parse(R"([
      {"start": 0, "title": "Intro", "image": "https://example.com/intro.jpg"},
      {"start": 95, "title": "Crema", "href": "https://example.com/crema"},
      {"start": 1800, "title": "Pressure & Temperature"}])"));
  EXPECT_FALSE(d["episodes"][1].contains("chapters"));
}

TEST_F(Clients, PartytimeReadsPodcastNamespace) {
  PODCASTD_NEED_TOOL(on_path("node"), "node (apt install nodejs npm; cd tests/clients && npm ci)");
  PODCASTD_NEED_TOOL(fs::exists(clients_dir() / "node_modules" / "podcast-partytime"),
                     "podcast-partytime (cd tests/clients && npm ci)");
  CommandResult r;
  const json d = run_dump("node " + shell_quote((clients_dir() / "partytime_dump.js").string()) +
                              " " + shell_quote(feed_path_.string()),
                          "podcast-partytime", r);
  PODCASTD_NEED_TOOL(r.exit_code != kMissingModule, "podcast-partytime (" << r.err << ")");
  ASSERT_EQ(r.exit_code, 0) << r.err;

  const catalog::Show& show = fixture_->show;
  EXPECT_EQ(d["title"], show.title);
  EXPECT_EQ(d["guid"], fixture_->channel.podcast_guid);
  EXPECT_EQ(d["locked"], true);
  EXPECT_EQ(d["podcastOwner"], show.owner_email);
  EXPECT_EQ(d["pubsub"]["self"], fixture_->channel.feed_url);
  EXPECT_EQ(d["medium"], "podcast");
  EXPECT_EQ(d["license"]["identifier"], show.license);
  EXPECT_EQ(d["license"]["url"], show.license_url);
  ASSERT_EQ(d["podcastFunding"].size(), show.funding.size());
  for (std::size_t i = 0; i < show.funding.size(); ++i) {
    EXPECT_EQ(d["podcastFunding"][i]["url"], show.funding[i].url);
    EXPECT_EQ(d["podcastFunding"][i]["message"],
              show.funding[i].text.empty() ? show.funding[i].url : show.funding[i].text);
  }
  ASSERT_EQ(d["podcastPeople"].size(), show.persons.size());
  for (std::size_t i = 0; i < show.persons.size(); ++i) {
    EXPECT_EQ(d["podcastPeople"][i]["name"], show.persons[i].name);
    EXPECT_TRUE(text::iequals_ascii(d["podcastPeople"][i]["role"].get<std::string>(),
                                    show.persons[i].role));
  }
  ASSERT_EQ(d["trailers"].size(), 1U);
  EXPECT_EQ(d["trailers"][0]["title"], "Season 2 Trailer");
  EXPECT_EQ(d["trailers"][0]["url"], "https://cdn.example.com/rich/trailer.m4a");
  EXPECT_EQ(d["trailers"][0]["pubdate"], "2024-03-01T09:00:00.000Z");
  EXPECT_EQ(d["trailers"][0]["season"], 2);

  ASSERT_EQ(d["items"].size(), fixture_->items.size());
  for (std::size_t i = 0; i < fixture_->items.size(); ++i) {
    EXPECT_EQ(d["items"][i]["guid"], fixture_->items[i].episode->guid);
    EXPECT_EQ(d["items"][i]["title"], fixture_->items[i].episode->title);
  }
  const json& item = d["items"][0];
  const ItemInput& in = fixture_->items[0];
  // Item persons replace the channel's: the hosts come first, then the guest.
  std::vector<std::string> names;
  for (const json& p : item["podcastPeople"]) {
    names.push_back(p["name"]);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Jane Doe", "Tom O'Brien", "Ada Lovelace"}));
  EXPECT_TRUE(text::iequals_ascii(item["podcastPeople"][2]["role"].get<std::string>(), "guest"));
  ASSERT_EQ(item["podcastTranscripts"].size(), in.transcripts.size());
  for (std::size_t i = 0; i < in.transcripts.size(); ++i) {
    const json& t = item["podcastTranscripts"][i];
    EXPECT_EQ(t["url"], in.transcripts[i].url);
    // partytime reports application/x-subrip under its legacy name application/srt.
    if (in.transcripts[i].type != "application/x-subrip") {
      EXPECT_EQ(t["type"], in.transcripts[i].type);
    }
    // An absent language defaults to the channel's (STANDARDS 3.2); partytime fills it in.
    EXPECT_EQ(t["language"], in.transcripts[i].language.empty() ? fixture_->show.language
                                                                : in.transcripts[i].language);
    EXPECT_EQ(t.contains("rel"), in.transcripts[i].captions);
  }
  EXPECT_EQ(item["podcastChapters"]["url"], in.chapters_url);
  EXPECT_EQ(item["podcastChapters"]["type"], "application/json+chapters");
  EXPECT_EQ(item["podcastSeason"]["name"], "Brewing");
  EXPECT_EQ(item["podcastEpisode"]["display"], "Ep. 42");
  ASSERT_EQ(item["podcastSoundbites"].size(), 2U);
  EXPECT_EQ(item["podcastSoundbites"][0]["startTime"], 1234.5);
  EXPECT_EQ(item["podcastSoundbites"][0]["duration"], 42.25);
  ASSERT_EQ(item["alternativeEnclosures"].size(), 1U);
  EXPECT_EQ(item["alternativeEnclosures"][0]["source"].size(), 2U);
  // An episode without persons inherits the channel's: partytime reports none on the item.
  EXPECT_FALSE(d["items"][1].contains("podcastPeople"));
}

}  // namespace
}  // namespace podcastd::feeds
