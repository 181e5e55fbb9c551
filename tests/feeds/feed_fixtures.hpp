#pragma once
// Fixture shows for the renderer tests, the external-client checks and the golden files:
// a rich show with every field the renderer knows set (and text that needs escaping), and a
// minimal one. Test-only; single-threaded use.

#include <memory>
#include <string>
#include <vector>

#include "catalog/model.hpp"
#include "feeds/rss.hpp"

namespace podcastd::testing {

// Owns the show and episodes the inputs point into; heap-allocated so the pointers stay put.
struct FeedFixture {
  catalog::Show show;
  std::vector<catalog::Episode> episodes;
  feeds::ChannelInput channel;
  std::vector<feeds::ItemInput> items;
};

inline constexpr const char* kRichFeedUrl = "https://feeds.example.com/rich/feed.xml";

inline std::unique_ptr<FeedFixture> make_rich_fixture() {
  auto f = std::make_unique<FeedFixture>();
  catalog::Show& s = f->show;
  s.slug = "rich";
  s.title = "Café Society & <Friends>";
  s.description =
      "<p>Conversations about coffee &amp; code, from <a href=\"https://example.com/\">our "
      "site</a>.</p>";
  s.author = "Example Media";
  s.language = "en-us";
  s.link = "https://example.com/rich/";
  s.image = "art.jpg";
  s.copyright = "© 2024 Example Media";
  s.owner_name = "Jane Doe";
  s.owner_email = "jane@example.com";
  s.categories = {"Society & Culture > Documentary", "Technology",
                  "Society & Culture > Philosophy"};
  s.explicit_content = false;
  s.type = "episodic";
  s.guid = "ffffffff-ffff-5fff-bfff-ffffffffffff";  // ChannelInput::podcast_guid wins
  s.locked = true;
  s.funding = {{"https://example.com/support", "Support the show"},
               {"https://patreon.example.com/rich", ""}};
  s.persons = {{"Jane Doe", "host", "cast", "https://example.com/jane",
                "https://example.com/jane.jpg", "Jane hosts."},
               {"Tom O'Brien", "Co-Host", "", "", "", ""}};
  s.medium = "podcast";
  s.license = "CC-BY-4.0";
  s.license_url = "https://creativecommons.org/licenses/by/4.0/";
  s.complete = true;
  s.block = true;
  s.new_feed_url = "https://feeds.example.com/rich/new.xml";
  s.locations = {{"Austin, TX", "creator", "geo:30.2672,-97.7431", "R113314", "US"}};
  s.txt = {{"applepodcastsverify", "d3b07384-d113-4ec6-a7d2-1c9c7a9d8e1f"},
           {"", "Hello \"world\""}};
  s.update_frequency = "Every other Monday";
  s.update_frequency_rrule = "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO";

  f->episodes.resize(3);
  {
    catalog::Episode& e = f->episodes[0];
    e.show = "rich";
    e.key = "episodes/002-espresso";
    e.guid = "6b0c5a3e-8f1d-4a53-9d0e-3c1b2a9f7e11";
    e.title = "Espresso & the <Art> of \"Pressure\"";
    e.subtitle = "Nine bars, explained";
    e.summary = "Why nine bars of pressure make espresso.";
    e.notes_html =
        "<p>We talk <b>pressure</b> &amp; crema.</p>\n<p>Code sample: <code>a[b[0]]>c</code>"
        " ends a CDATA section: ]]></p>";
    e.notes_text = "We talk pressure & crema.\nCode sample: a[b[0]]>c ends a CDATA section: ]]>";
    e.link = "https://example.com/rich/2";
    e.date = 1712109988;  // Wed, 03 Apr 2024 02:06:28 +0000
    e.season = 2;
    e.season_name = "Brewing";
    e.number = 42;
    e.number_display = "Ep. 42";
    e.type = catalog::EpisodeType::full;
    e.explicit_content = true;
    e.enclosure = catalog::Enclosure{"episodes/002.mp3", "", 48123456, "audio/mpeg", 3007.4, 128};
    catalog::AlternateEnclosure alt;
    alt.type = "audio/opus";
    alt.length = 24000000;
    alt.bitrate = 64000;
    alt.title = "Opus";
    alt.is_default = false;
    alt.sources = {"https://cdn.example.com/rich/002.opus",
                   "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"};
    e.alternate_enclosures = {alt};
    e.persons = {{"Ada Lovelace", "guest", "cast", "https://example.com/ada", "", ""},
                 {"Jane Doe", "", "", "", "", ""}};  // a host again: written once
    e.chapters = {{95.5, std::nullopt, "Crema", "https://example.com/crema", "", true},
                  {0, 95.5, "Intro", "", "https://example.com/intro.jpg", true},
                  {200, std::nullopt, "", "", "https://example.com/silent.jpg", false},
                  {1800.25, std::nullopt, "Pressure & Temperature", "", "", true},
                  {4000, std::nullopt, "Past the end", "", "", true}};
    e.soundbites = {{1234.5, 42.25, "The nine-bar moment"}, {60, 30, ""}};
    e.locations = {{"Milan, Italy", "subject", "geo:45.4642,9.19", "", "IT"}};
    e.funding = {{"https://example.com/tip/42", "Tip this episode"}};
    e.txt = {{"ai-content", "false"}};
    e.license = "ARR";
    e.license_url = "";
  }
  {
    catalog::Episode& e = f->episodes[1];
    e.show = "rich";
    e.key = "episodes/000-trailer";
    e.guid = "3f2a1c9e-0b7d-4e5f-8a6b-2c4d6e8f0a1b";
    e.title = "Season 2 Trailer";
    e.notes_text = "A taste of season two.\xFF";  // a stray byte: dropped
    e.date = 1709283600;                          // 2024-03-01 09:00:00
    e.season = 2;
    e.type = catalog::EpisodeType::trailer;
    e.enclosure =
        catalog::Enclosure{"", "https://cdn.example.com/rich/trailer.m4a", 1200000, "", 61, 0};
  }
  {
    catalog::Episode& e = f->episodes[2];
    e.show = "rich";
    e.key = "episodes/001-bonus";
    e.guid = "https://example.com/rich/bonus-1";  // a permalink
    e.title = "Bonus: Cold Brew";
    e.summary = "A short bonus\x0B about cold brew.";  // \x0B is not an XML character
    e.date = 1707935400;                               // 2024-02-14 18:30:00
    e.type = catalog::EpisodeType::bonus;
    e.explicit_content = false;
    e.block = true;
    e.declared_duration = 600;
    e.enclosure = catalog::Enclosure{"episodes/001.mp3", "", 9600000, "audio/mpeg", 0, 0};
  }

  feeds::ChannelInput& c = f->channel;
  c.show = &f->show;
  c.feed_url = kRichFeedUrl;
  c.image_url = "https://cdn.example.com/rich/art-3000.jpg";
  c.podcast_guid = "02bf257b-1739-5a69-8937-1bf13fe39dc1";  // podcast_guid(kRichFeedUrl)
  c.hubs = {"https://pubsubhubbub.appspot.com/", "https://hub.example.com/"};
  c.uses_podping = true;
  c.generator = "podcastd 0.1.0";
  c.last_build_date = 1712109988;

  const std::string base = "https://example.com/rich/episodes/002-espresso/";
  feeds::ItemInput first;
  first.episode = &f->episodes[0];
  first.enclosure_url = "https://example.com/rich/media/episodes/002.mp3";
  first.image_url = "https://example.com/rich/media/episodes/002.jpg";
  first.transcripts = {{base + "transcript.vtt", "text/vtt", "en-us", true},
                       {base + "transcript.srt", "application/x-subrip", "en-us", true},
                       {base + "transcript.json", "application/json", "en-us", false},
                       {base + "transcript.html", "text/html", "", false}};
  first.chapters_url = base + "chapters.json";
  feeds::ItemInput trailer;
  trailer.episode = &f->episodes[1];
  feeds::ItemInput bonus;
  bonus.episode = &f->episodes[2];
  bonus.enclosure_url = "https://example.com/rich/media/episodes/001.mp3";
  f->items = {first, trailer, bonus};
  return f;
}

inline std::unique_ptr<FeedFixture> make_minimal_fixture() {
  auto f = std::make_unique<FeedFixture>();
  f->show.slug = "minimal";
  f->show.title = "Minimal";
  f->episodes.resize(1);
  catalog::Episode& e = f->episodes[0];
  e.guid = "minimal-episode-1";
  e.title = "First";
  e.date = 1712109988;
  e.enclosure = catalog::Enclosure{"first.mp3", "", 1000, "audio/mpeg", 0, 0};
  f->channel.show = &f->show;
  feeds::ItemInput item;
  item.episode = &e;
  item.enclosure_url = "https://example.com/minimal/media/first.mp3";
  f->items = {item};
  return f;
}

}  // namespace podcastd::testing
