// The importer over a corpus of real-world-shaped feeds (tests/data/import): what it reads,
// what it writes, and that our own parsers read the written files back to the same GUIDs,
// dates, enclosures and numbers.
#include "feeds/importer.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "catalog/markdown_source.hpp"
#include "catalog/show_source.hpp"
#include "catalog/time.hpp"
#include "tests/support/test_support.hpp"

namespace podcastd::feeds {
namespace {

using podcastd::testing::read_file;
using podcastd::testing::test_data_dir;

std::string corpus(const std::string& name) { return read_file(test_data_dir() / "import" / name); }

ImportedFeed parse_ok(const std::string& name, std::string_view base = "") {
  Result<ImportedFeed> r = parse_feed_for_import(corpus(name), name, base);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(*r) : ImportedFeed{};
}

bool has_warning(const ImportedFeed& f, std::string_view text) {
  for (const std::string& w : f.warnings) {
    if (w.find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

// Renders every episode and reads it back with the Markdown parser.
catalog::MarkdownEpisode reparse(const ImportedEpisode& e, const LocalFiles& local = {}) {
  std::string md = render_episode_markdown(e, local);
  Result<catalog::MarkdownEpisode> r = catalog::parse_markdown_episode("show/episodes/x.md", md);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message) << "\n" << md;
  return r.ok() ? std::move(*r) : catalog::MarkdownEpisode{};
}

struct DurationCase {
  const char* in;
  std::optional<double> seconds;
};

TEST(ImportDuration, EveryItunesForm) {
  const DurationCase cases[] = {
      {"3723", 3723},
      {"3723.5", 3723.5},
      {"45", 45},
      {"62:03", 3723},
      {"1:02:03", 3723},
      {"01:02:03", 3723},
      {"00:50:13", 3013},
      {"01:42", 102},
      {"1:02:03:99", 3723},
      {" 12:00 ", 720},
      {"0", 0},
      {"", std::nullopt},
      {"about an hour", std::nullopt},
      {"1:60", std::nullopt},
      {"-5", std::nullopt},
      {"1h2m", std::nullopt},
      {"1::2", std::nullopt},
  };
  for (const DurationCase& c : cases) {
    EXPECT_EQ(parse_itunes_duration(c.in), c.seconds) << '"' << c.in << '"';
  }
}

struct DateCase {
  const char* in;
  const char* rfc3339;  // nullptr: not a date
};

TEST(ImportDate, KeepsTheFeedsZone) {
  const DateCase cases[] = {
      {"Wed, 03 Apr 2024 04:06:28 +0200", "2024-04-03T04:06:28+02:00"},
      {"Wed, 20 Mar 2024 05:00:00 GMT", "2024-03-20T05:00:00Z"},
      {"Wed, 20 Mar 2024 05:00:00 +0000", "2024-03-20T05:00:00+00:00"},
      {"Mon, 01 Jan 2024 00:00:00 -0000", "2024-01-01T00:00:00+00:00"},
      {"Fri, 01 Mar 2024 09:30:00 -0500", "2024-03-01T09:30:00-05:00"},
      {"Tue, 5 Mar 2024 10:00:00 PST", "2024-03-05T10:00:00-08:00"},
      {"Sat, 17 Feb 2024 21:15:00 +0530", "2024-02-17T21:15:00+05:30"},
      {"Thu, 01 Dec 22 18:45 EST", "2022-12-01T18:45:00-05:00"},
      {"01 Jan 2024 23:30:00 -0130", "2024-01-01T23:30:00-01:30"},
      {"2022-11-02T08:00:00Z", "2022-11-02T08:00:00Z"},
      {"2022-11-02T08:00:00+09:00", "2022-11-02T08:00:00+09:00"},
      {"yesterday", nullptr},
      {"", nullptr},
  };
  for (const DateCase& c : cases) {
    timefmt::Zone zone;
    std::optional<catalog::UnixTime> t = parse_pub_date(c.in, &zone);
    if (!c.rfc3339) {
      EXPECT_FALSE(t) << c.in;
      continue;
    }
    ASSERT_TRUE(t) << c.in;
    EXPECT_EQ(timefmt::format_rfc3339(*t, zone), c.rfc3339) << c.in;
    // The instant is the one the feed meant.
    EXPECT_EQ(timefmt::parse_rfc3339(c.rfc3339), t) << c.in;
  }
}

TEST(ImportSidecars, SuffixPerTranscriptType) {
  EXPECT_EQ(transcript_sidecar_suffix("text/vtt"), ".vtt");
  EXPECT_EQ(transcript_sidecar_suffix("application/x-subrip"), ".srt");
  EXPECT_EQ(transcript_sidecar_suffix("application/srt"), ".srt");
  EXPECT_EQ(transcript_sidecar_suffix("application/json"), ".transcript.json");
  EXPECT_EQ(transcript_sidecar_suffix("text/plain; charset=utf-8"), ".transcript.txt");
  EXPECT_EQ(transcript_sidecar_suffix("text/html"), "");
}

TEST(ImportToml, StringsAreEscaped) {
  EXPECT_EQ(toml_string("plain"), "\"plain\"");
  EXPECT_EQ(toml_string("say \"hi\" \\ o/"), "\"say \\\"hi\\\" \\\\ o/\"");
  EXPECT_EQ(toml_string("tab\there"), "\"tab\\there\"");
  EXPECT_EQ(toml_string("bell\x07 and del\x7f gone"), "\"bell and del gone\"");
  EXPECT_EQ(toml_string("two\nlines"), "\"\"\"\ntwo\nlines\"\"\"");
  EXPECT_EQ(toml_string("bad \xff byte"), "\"bad \xEF\xBF\xBD byte\"");
}

TEST(ImportNotes, HtmlIsOneRawBlock) {
  EXPECT_EQ(notes_body("<p>One</p>\n\n\n<p>Two <b>bold</b></p>"),
            "<div>\n<p>One</p>\n<p>Two <b>bold</b></p>\n</div>\n");
  EXPECT_EQ(notes_body("  "), "");
}

TEST(ImportNotes, PlainTextBecomesParagraphsWithLinks) {
  EXPECT_EQ(notes_body("Line one\nline *two* & a < b\n\nSee https://x.example/a?b=1."),
            "<div>\n<p>Line one<br>\nline *two* &amp; a &lt; b</p>\n"
            "<p>See <a href=\"https://x.example/a?b=1\">https://x.example/a?b=1</a>.</p>\n"
            "</div>\n");
}

TEST(ImportNotes, TheMarkdownRendererKeepsTheHtml) {
  ImportedEpisode e;
  e.episode.title = "T";
  e.episode.notes_html =
      "<p>See <a href=\"https://data.example/rents\">the data</a>.</p>\n\n"
      "<ul>\n<li>One *not emphasis*</li>\n\n    <li>Indented, not code</li>\n</ul>";
  catalog::MarkdownEpisode m = reparse(e);
  const std::string& html = m.episode.notes_html;
  EXPECT_NE(html.find("<a href=\"https://data.example/rents\">the data</a>"), std::string::npos)
      << html;
  EXPECT_NE(html.find("<li>One *not emphasis*</li>"), std::string::npos) << html;
  EXPECT_EQ(html.find("<code>"), std::string::npos) << html;
  EXPECT_EQ(html.find("<em>"), std::string::npos) << html;
}

TEST(ImportFeed, ChannelOfAHostedFeed) {
  ImportedFeed f = parse_ok("hosted_cdata.xml");
  const catalog::Show& s = f.show;
  EXPECT_EQ(s.title, "Kitchen Table Economics");
  EXPECT_EQ(s.description,
            "<p>Money talk for normal people, recorded at a <b>real</b> kitchen table.</p>");
  EXPECT_EQ(s.author, "Kitchen Table Media");
  EXPECT_EQ(s.language, "en-us");
  EXPECT_EQ(s.link, "https://kitchentable.example");
  EXPECT_EQ(s.image, "https://assets.hosted.example/kitchen/cover-3000.jpg");
  EXPECT_EQ(s.copyright, "© 2023 Kitchen Table Media");
  EXPECT_EQ(s.categories, (std::vector<std::string>{"Business > Investing", "Education"}));
  EXPECT_EQ(s.explicit_content, std::optional<bool>(false));
  EXPECT_EQ(s.type, "episodic");
  EXPECT_EQ(s.guid, "4a5c9f2e-8d6b-5e1a-9c3f-2b7d8e6a1f04");
  EXPECT_EQ(s.locked, std::optional<bool>(true));
  EXPECT_EQ(s.owner_name, "Priya Raman");
  EXPECT_EQ(s.owner_email, "priya@kitchentable.example");
  ASSERT_EQ(s.funding.size(), 1u);
  EXPECT_EQ(s.funding[0].text, "Buy us a coffee");
  ASSERT_EQ(s.persons.size(), 1u);
  EXPECT_EQ(s.persons[0].img, "https://assets.hosted.example/priya.jpg");
  EXPECT_TRUE(f.warnings.empty()) << f.warnings.front();

  Result<catalog::ShowFile> back =
      catalog::parse_show_toml("kitchen/show.toml", render_show_toml(s));
  PODCASTD_ASSERT_OK(back);
  EXPECT_EQ(back->show.title, s.title);
  EXPECT_EQ(back->show.categories, s.categories);
  EXPECT_EQ(back->show.guid, s.guid);
  EXPECT_EQ(back->show.owner_email, s.owner_email);
  EXPECT_EQ(back->show.persons, s.persons);
  EXPECT_EQ(back->show.image, s.image);
  Result<catalog::ShowFile> local =
      catalog::parse_show_toml("kitchen/show.toml", render_show_toml(s, "cover.jpg"));
  PODCASTD_ASSERT_OK(local);
  EXPECT_EQ(local->show.image, "kitchen/cover.jpg");
}

TEST(ImportFeed, ItemsOfAHostedFeed) {
  ImportedFeed f = parse_ok("hosted_cdata.xml");
  ASSERT_EQ(f.episodes.size(), 3u);
  const ImportedEpisode& e = f.episodes[0];
  EXPECT_EQ(e.episode.guid, "kitchen-table-8f3a1c9e-0b1d-4c7e-a2f5-6d9e3b1a7c20");
  EXPECT_EQ(e.episode.title, "Why Rent Feels So High (It Is)");
  EXPECT_EQ(e.audio_url, "https://traffic.hosted.example/kitchen/ep42-rent.mp3?source=feed");
  EXPECT_EQ(e.audio_length, std::optional<std::int64_t>(48211968));
  EXPECT_EQ(e.audio_mime, "audio/mpeg");
  EXPECT_EQ(e.episode.declared_duration, std::optional<double>(3013));
  EXPECT_EQ(e.episode.season, std::optional<int>(3));
  EXPECT_EQ(e.episode.number, std::optional<int>(42));
  EXPECT_EQ(e.date_zone.offset_minutes, 120);
  ASSERT_EQ(e.transcripts.size(), 2u);
  EXPECT_EQ(e.transcripts[0], (ImportedTranscript{"https://assets.hosted.example/kitchen/ep42.vtt",
                                                  "text/vtt", "en", "captions"}));
  EXPECT_EQ(e.chapters_url, "https://assets.hosted.example/kitchen/ep42-chapters.json");
  EXPECT_NE(e.episode.notes_html.find("<li>Wage growth, <em>adjusted</em></li>"),
            std::string::npos);
  EXPECT_EQ(episode_stem(e), "2024-04-03-why-rent-feels-so-high-it-is");
  EXPECT_EQ(f.episodes[2].episode.type, catalog::EpisodeType::trailer);
  EXPECT_EQ(f.episodes[2].audio_mime, "audio/x-m4a");

  // Not saved locally: the companions stay reachable as links.
  std::string md = render_episode_markdown(e);
  EXPECT_NE(md.find("date = 2024-04-03T04:06:28+02:00\n"), std::string::npos) << md;
  EXPECT_NE(md.find("title = \"Transcript (text/vtt, en)\"\n"
                    "url = \"https://assets.hosted.example/kitchen/ep42.vtt\""),
            std::string::npos)
      << md;
  catalog::MarkdownEpisode m = reparse(e);
  EXPECT_EQ(m.episode.links.size(), 3u);
  // Saved next to the notes: no links for them.
  LocalFiles local;
  local.transcripts = {0};
  local.chapters = true;
  catalog::MarkdownEpisode saved = reparse(e, local);
  ASSERT_EQ(saved.episode.links.size(), 1u);
  EXPECT_EQ(saved.episode.links[0].title, "Transcript (text/html)");
}

TEST(ImportFeed, EntitiesOddZonesAndMissingGuids) {
  ImportedFeed f = parse_ok("entities_zones.xml");
  EXPECT_EQ(f.show.title, "Tom & Jerry\u2019s Garage");
  EXPECT_EQ(f.show.description, "<p>Two friends, one garage &amp; too many projects.</p>");
  EXPECT_EQ(f.show.language, "en-GB");
  EXPECT_EQ(f.show.image, "http://garage.example/art/cover%20big.png");
  EXPECT_EQ(f.show.categories,
            (std::vector<std::string>{"Leisure > Automotive", "Leisure > Hobbies"}));
  EXPECT_EQ(f.show.explicit_content, std::optional<bool>(true));
  EXPECT_EQ(f.show.owner_name, "");  // no usable e-mail: no owner
  EXPECT_TRUE(has_warning(f, "itunes:email \"tom at garage dot example\" is not an e-mail"));

  ASSERT_EQ(f.episodes.size(), 5u);  // the duplicate guid is imported once
  EXPECT_TRUE(has_warning(f, "item 6: duplicate guid \"http://garage.example/?p=850\""));
  const ImportedEpisode& carbs = f.episodes[0];
  EXPECT_EQ(carbs.episode.title, "Carburettors <3 & other \"fun\"");
  EXPECT_EQ(carbs.audio_url, "http://media.garage.example/audio/ep%2012%20carbs.mp3");
  EXPECT_EQ(carbs.episode.explicit_content, std::optional<bool>(true));
  EXPECT_EQ(carbs.date_zone.offset_minutes, -480);
  EXPECT_EQ(f.episodes[1].audio_length, std::nullopt);
  EXPECT_EQ(f.episodes[1].date_zone.offset_minutes, 330);
  EXPECT_NE(f.episodes[1].episode.notes_html.find("Thanks to everyone"), std::string::npos);
  EXPECT_EQ(f.episodes[2].episode.guid, "http://media.garage.example/audio/ep10.mp3");
  EXPECT_TRUE(f.episodes[2].guid_from_enclosure);
  EXPECT_EQ(f.episodes[2].episode.declared_duration, std::optional<double>(3723.5));
  EXPECT_EQ(f.episodes[3].episode.guid, "http://garage.example/?p=900");
  EXPECT_EQ(f.episodes[4].episode.type, catalog::EpisodeType::bonus);
  EXPECT_EQ(f.episodes[4].episode.declared_duration, std::nullopt);
  EXPECT_TRUE(has_warning(f, "itunes:duration \"about an hour\" is not a duration"));
}

TEST(ImportFeed, Podcasting20WithOtherPrefixes) {
  ImportedFeed f = parse_ok("podcasting20.xml");
  EXPECT_EQ(f.show.author, "Open Protocols e.V.");
  EXPECT_EQ(f.show.type, "serial");
  EXPECT_EQ(f.show.guid, "");
  EXPECT_TRUE(has_warning(f, "podcast:guid \"not-a-uuid\" is not a UUID"));
  EXPECT_TRUE(f.show.complete);
  EXPECT_EQ(f.show.new_feed_url, "https://openprotocols.example/feed.xml");
  EXPECT_EQ(f.show.license, "CC-BY-4.0");
  EXPECT_EQ(f.show.license_url, "https://creativecommons.org/licenses/by/4.0/");
  ASSERT_EQ(f.show.locations.size(), 1u);
  EXPECT_EQ(f.show.locations[0].osm, "R109166");
  EXPECT_EQ(f.show.update_frequency_rrule, "FREQ=MONTHLY");
  EXPECT_TRUE(has_warning(f, "podcast:value is not imported"));
  Result<catalog::ShowFile> back =
      catalog::parse_show_toml("p/show.toml", render_show_toml(f.show));
  PODCASTD_ASSERT_OK(back);
  EXPECT_EQ(back->show.locations, f.show.locations);
  EXPECT_EQ(back->show.txt, f.show.txt);

  ASSERT_EQ(f.episodes.size(), 2u);
  const ImportedEpisode& e = f.episodes[0];
  EXPECT_EQ(e.episode.season_name, "Foundations");
  EXPECT_EQ(e.episode.number_display, "Ch. 2");
  ASSERT_EQ(e.episode.soundbites.size(), 1u);
  EXPECT_EQ(e.episode.soundbites[0].start, 1234.5);
  EXPECT_EQ(e.episode.persons.size(), 2u);
  EXPECT_TRUE(has_warning(f, "podcast:alternateEnclosure is not imported"));
  catalog::MarkdownEpisode m = reparse(e);
  EXPECT_EQ(m.episode.soundbites, e.episode.soundbites);
  EXPECT_EQ(m.episode.persons, e.episode.persons);
  EXPECT_EQ(m.episode.funding, e.episode.funding);
  EXPECT_NE(m.episode.notes_html.find("<ol>"), std::string::npos);
  // A relative enclosure needs the feed's URL.
  EXPECT_EQ(f.episodes[1].audio_url, "");
  ImportedFeed fetched = parse_ok("podcasting20.xml", "https://openprotocols.example/rss/feed.xml");
  EXPECT_EQ(fetched.episodes[1].audio_url, "https://openprotocols.example/media/ep1.mp3");
}

TEST(ImportFeed, MinimalAndLatin1) {
  ImportedFeed bare = parse_ok("minimal.xml");
  ASSERT_EQ(bare.episodes.size(), 3u);
  EXPECT_EQ(bare.episodes[0].episode.title, "An item with no title, no date and no enclosure.");
  EXPECT_EQ(bare.episodes[1].episode.guid, "");
  EXPECT_EQ(episode_stem(bare.episodes[2]), "undated-with-audio");
  for (const ImportedEpisode& e : bare.episodes) {
    reparse(e);
  }

  ImportedFeed latin = parse_ok("latin1.xml");
  EXPECT_EQ(latin.show.title, "Café Crème");
  ASSERT_EQ(latin.episodes.size(), 1u);
  EXPECT_EQ(latin.episodes[0].episode.title, "Épisode un");
  EXPECT_EQ(episode_stem(latin.episodes[0]), "2024-03-10-episode-un");
}

TEST(ImportFeed, EveryCorpusFileRoundTripsThroughOurParsers) {
  for (const char* name : {"hosted_cdata.xml", "entities_zones.xml", "podcasting20.xml",
                           "minimal.xml", "latin1.xml"}) {
    SCOPED_TRACE(name);
    ImportedFeed f = parse_ok(name);
    PODCASTD_EXPECT_OK(catalog::parse_show_toml("s/show.toml", render_show_toml(f.show)));
    for (const ImportedEpisode& e : f.episodes) {
      catalog::MarkdownEpisode m = reparse(e);
      EXPECT_EQ(m.episode.guid, e.episode.guid);
      EXPECT_EQ(m.episode.date, e.episode.date);
      EXPECT_EQ(m.episode.title, e.episode.title);
      EXPECT_EQ(m.audio, e.audio_url);
      EXPECT_EQ(m.audio_length, e.audio_url.empty() ? std::nullopt : e.audio_length);
      EXPECT_EQ(m.audio_mime, e.audio_url.empty() ? "" : e.audio_mime);
      EXPECT_EQ(m.episode.declared_duration, e.episode.declared_duration);
      EXPECT_EQ(m.episode.season, e.episode.season);
      EXPECT_EQ(m.episode.number, e.episode.number);
      EXPECT_EQ(m.episode.type, e.episode.type);
      EXPECT_EQ(m.episode.explicit_content, e.episode.explicit_content);
    }
  }
}

TEST(ImportFeed, Errors) {
  Result<ImportedFeed> broken =
      parse_feed_for_import("<rss>\n<channel>\n<title>x</channel>", "f.xml");
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().code, ErrorCode::parse);
  EXPECT_EQ(broken.error().message.rfind("f.xml:3: ", 0), 0u) << broken.error().message;
  Result<ImportedFeed> atom = parse_feed_for_import(
      "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>x</title></feed>", "a.xml");
  ASSERT_FALSE(atom.ok());
  EXPECT_EQ(atom.error().message, "a.xml: not an RSS feed (no <rss><channel>)");
  Result<ImportedFeed> empty = parse_feed_for_import("", "e.xml");
  EXPECT_FALSE(empty.ok());
}

TEST(ImportFeed, HugeFeed) {
  constexpr int kItems = 10000;
  std::string xml =
      "<?xml version=\"1.0\"?><rss version=\"2.0\" "
      "xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\" "
      "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel>"
      "<title>Daily Forever</title><link>https://daily.example</link>"
      "<description>Every day.</description><language>en</language>";
  for (int i = kItems; i > 0; --i) {
    catalog::UnixTime t = 1'600'000'000 + static_cast<catalog::UnixTime>(i) * 86400;
    std::string n = std::to_string(i);
    std::string length = std::to_string(1000000 + i);
    std::string duration = std::to_string(600 + i % 3000);
    std::string date = timefmt::format_rfc2822(t);
    for (std::string_view part :
         {std::string_view("<item><title>Day "), std::string_view(n),
          std::string_view(" &amp; counting</title><guid isPermaLink=\"false\">daily-"),
          std::string_view(n), std::string_view("</guid><pubDate>"), std::string_view(date),
          std::string_view("</pubDate><enclosure url=\"https://cdn.daily.example/"),
          std::string_view(n), std::string_view(".mp3\" length=\""), std::string_view(length),
          std::string_view("\" type=\"audio/mpeg\"/><itunes:duration>"), std::string_view(duration),
          std::string_view("</itunes:duration><content:encoded><![CDATA[<p>Notes for day "),
          std::string_view(n), std::string_view(" with <a href=\"https://daily.example/"),
          std::string_view(n),
          std::string_view("\">a link</a>.</p>]]></content:encoded></item>")}) {
      xml += part;
    }
  }
  xml += "</channel></rss>";
  auto start = std::chrono::steady_clock::now();
  Result<ImportedFeed> r = parse_feed_for_import(xml, "huge.xml");
  PODCASTD_ASSERT_OK(r);
  std::size_t bytes = 0;
  for (const ImportedEpisode& e : r->episodes) {
    bytes += render_episode_markdown(e).size();
  }
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(r->episodes.size(), static_cast<std::size_t>(kItems));
  EXPECT_GT(bytes, 0u);
  EXPECT_LT(elapsed, std::chrono::seconds(20));  // Debug + sanitizers; ~1 s in Release
  EXPECT_EQ(r->episodes.front().episode.guid, "daily-" + std::to_string(kItems));
  EXPECT_EQ(r->episodes.back().audio_length, std::optional<std::int64_t>(1000001));
  for (int i : {0, 4999, kItems - 1}) {
    reparse(r->episodes[static_cast<std::size_t>(i)]);
  }
}

}  // namespace
}  // namespace podcastd::feeds
