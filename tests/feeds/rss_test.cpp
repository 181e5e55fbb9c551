#include "feeds/rss.hpp"

#include <gtest/gtest.h>
#include <pugixml.hpp>

#include <cmath>
#include <regex>
#include <string>
#include <string_view>

#include "tests/feeds/feed_fixtures.hpp"
#include "tests/feeds/golden.hpp"

namespace podcastd::feeds {
namespace {

using ::podcastd::testing::expect_golden;
using ::podcastd::testing::make_minimal_fixture;
using ::podcastd::testing::make_rich_fixture;

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

std::size_t count(std::string_view haystack, std::string_view needle) {
  std::size_t n = 0;
  for (std::size_t i = haystack.find(needle); i != std::string_view::npos;
       i = haystack.find(needle, i + 1)) {
    ++n;
  }
  return n;
}

// Parses `xml`, failing the test with pugixml's description and offset when it is malformed.
pugi::xml_document parse(const std::string& xml) {
  pugi::xml_document doc;
  pugi::xml_parse_result r = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default);
  EXPECT_TRUE(r) << r.description() << " at offset " << r.offset << ": "
                 << xml.substr(static_cast<std::size_t>(r.offset) > 40 ? r.offset - 40 : 0, 80);
  return doc;
}

std::string render_rich() {
  auto f = make_rich_fixture();
  return render_feed(f->channel, f->items);
}

TEST(RssWriter, RichFeedMatchesGolden) { expect_golden("rich_feed.xml", render_rich()); }

TEST(RssWriter, MinimalFeedMatchesGolden) {
  auto f = make_minimal_fixture();
  expect_golden("minimal_feed.xml", render_feed(f->channel, f->items));
}

TEST(RssWriter, SameInputSameBytes) {
  EXPECT_EQ(render_rich(), render_rich());
  auto f = make_rich_fixture();
  EXPECT_EQ(render_item(f->items[0], f->show), render_item(f->items[0], f->show));
}

TEST(RssWriter, SplicedFragmentsEqualDirectRendering) {
  auto f = make_rich_fixture();
  std::vector<std::string> fragments;
  for (const ItemInput& item : f->items) {
    fragments.push_back(render_item(item, f->show));
  }
  std::vector<std::string_view> views(fragments.begin(), fragments.end());
  ChannelInput channel = f->channel;
  for (const ItemInput& item : f->items) {
    if (auto t = trailer_for(item)) {
      channel.trailers.push_back(*t);
    }
  }
  EXPECT_EQ(render_feed(channel, views), render_feed(f->channel, f->items));
}

TEST(RssWriter, FragmentIsIndentedAtItemLevel) {
  auto f = make_rich_fixture();
  const std::string item = render_item(f->items[2], f->show);
  EXPECT_EQ(item.substr(0, 11), "    <item>\n");
  EXPECT_EQ(item.substr(item.size() - 12), "    </item>\n");
  EXPECT_TRUE(contains(item, "\n      <title>Bonus: Cold Brew</title>\n"));
}

TEST(RssWriter, RichFeedIsWellFormed) {
  const std::string xml = render_rich();
  pugi::xml_document doc = parse(xml);
  pugi::xml_node rss = doc.child("rss");
  ASSERT_TRUE(rss);
  EXPECT_STREQ(rss.attribute("version").value(), "2.0");
  EXPECT_EQ(std::distance(rss.children("channel").begin(), rss.children("channel").end()), 1);
  EXPECT_EQ(std::distance(rss.child("channel").children("item").begin(),
                          rss.child("channel").children("item").end()),
            3);
}

TEST(RssWriter, DeclaresExactNamespaces) {
  const std::string xml = render_rich();
  EXPECT_EQ(xml.substr(0, 39), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  EXPECT_TRUE(contains(xml, R"(xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd")"));
  EXPECT_TRUE(contains(xml, R"(xmlns:content="http://purl.org/rss/1.0/modules/content/")"));
  EXPECT_TRUE(contains(xml, R"(xmlns:podcast="https://podcastindex.org/namespace/1.0")"));
  EXPECT_TRUE(contains(xml, R"(xmlns:atom="http://www.w3.org/2005/Atom")"));
  EXPECT_TRUE(contains(xml, R"(xmlns:psc="http://podlove.org/simple-chapters")"));
  EXPECT_EQ(count(xml, "xmlns:"), 5U);
}

TEST(RssWriter, DeclaresPscOnlyWhenAnItemUsesIt) {
  auto f = make_minimal_fixture();
  std::string xml = render_feed(f->channel, f->items);
  EXPECT_FALSE(contains(xml, "xmlns:psc"));
  EXPECT_FALSE(contains(xml, "psc:"));

  // Silent markers and chapters past the end are not psc chapters.
  f->episodes[0].declared_duration = 100;
  f->episodes[0].chapters = {{0, std::nullopt, "", "", "", false},
                             {150, std::nullopt, "Late", "", "", true}};
  xml = render_feed(f->channel, f->items);
  EXPECT_FALSE(contains(xml, "psc"));
  std::string item = render_item(f->items[0], f->show);
  EXPECT_FALSE(contains(render_feed(f->channel, std::vector<std::string_view>{item}), "psc"));

  f->episodes[0].chapters.push_back({0, std::nullopt, "Intro", "", "", true});
  xml = render_feed(f->channel, f->items);
  EXPECT_TRUE(contains(xml, R"(xmlns:psc="http://podlove.org/simple-chapters")"));
  EXPECT_TRUE(contains(xml,
                       "<psc:chapters version=\"1.2\">\n"
                       "        <psc:chapter start=\"00:00:00.000\" title=\"Intro\"/>\n"
                       "      </psc:chapters>\n"));
  item = render_item(f->items[0], f->show);
  EXPECT_EQ(render_feed(f->channel, std::vector<std::string_view>{item}), xml);
}

TEST(RssWriter, PscMarkerInsideCdataOnlyDeclaresTheNamespace) {
  auto f = make_minimal_fixture();
  f->episodes[0].notes_html = "<pre>\n      <psc:chapters version=\"1.2\">\n</pre>";
  const std::string item = render_item(f->items[0], f->show);
  const std::string xml = render_feed(f->channel, std::vector<std::string_view>{item});
  parse(xml);
  EXPECT_TRUE(contains(xml, "xmlns:psc"));
}

TEST(RssWriter, EscapesAmpersandInTitle) {
  const std::string xml = render_rich();
  EXPECT_TRUE(contains(xml, "<title>Café Society &amp; &lt;Friends&gt;</title>"));
  EXPECT_TRUE(contains(xml, "<title>Espresso &amp; the &lt;Art&gt; of \"Pressure\"</title>"));
}

TEST(RssWriter, RemovesCharactersXmlForbids) {
  const std::string xml = render_rich();
  EXPECT_TRUE(contains(xml, "<itunes:summary>A short bonus about cold brew.</itunes:summary>"));
  EXPECT_TRUE(contains(xml, "<description>A taste of season two.</description>"));
  EXPECT_FALSE(contains(xml, "\x0B"));
  EXPECT_FALSE(contains(xml, "\xFF"));
}

TEST(RssWriter, SplitsCdataInContentEncoded) {
  const std::string xml = render_rich();
  EXPECT_TRUE(contains(xml, "ends a CDATA section: ]]]]><![CDATA[></p>]]></content:encoded>"));
  pugi::xml_document doc = parse(xml);
  pugi::xml_node item = doc.child("rss").child("channel").child("item");
  std::string html;  // the split leaves several CDATA sections: their text joins up
  for (pugi::xml_node part : item.child("content:encoded").children()) {
    html += part.value();
  }
  EXPECT_EQ(html, make_rich_fixture()->episodes[0].notes_html);
}

TEST(RssWriter, ContentEncodedFollowsDescriptionAndNeedsHtml) {
  const std::string xml = render_rich();
  const std::size_t description = xml.find("<description>We talk pressure");
  const std::size_t content = xml.find("<content:encoded>");
  ASSERT_NE(description, std::string::npos);
  ASSERT_NE(content, std::string::npos);
  EXPECT_LT(description, content);
  EXPECT_EQ(count(xml, "<content:encoded>"), 1U);  // only the episode with notes_html
}

TEST(RssWriter, ChannelHtmlDescriptionGoesInCdata) {
  const std::string xml = render_rich();
  EXPECT_TRUE(contains(xml, "<description><![CDATA[<p>Conversations about coffee &amp; code"));
}

TEST(RssWriter, DescriptionRespectsApplesByteLimit) {
  auto f = make_minimal_fixture();
  std::string notes;
  while (notes.size() < 5000) {
    notes += "caf\xC3\xA9 & cr\xC3\xA8me ";
  }
  f->episodes[0].notes_text = notes;
  pugi::xml_document doc = parse(render_feed(f->channel, f->items));
  std::string description =
      doc.child("rss").child("channel").child("item").child("description").text().get();
  EXPECT_LE(description.size(), 4000U);
  EXPECT_GT(description.size(), 3900U);
  EXPECT_EQ(description.substr(description.size() - 3), "\xE2\x80\xA6");

  // Long HTML on the channel turns into text before it is cut, so no tag is cut in half.
  f->show.description.clear();
  while (f->show.description.size() < 5000) {
    f->show.description += "<p>A <a href=\"https://example.com/\">link</a> here.</p>";
  }
  doc = parse(render_feed(f->channel, f->items));
  description = doc.child("rss").child("channel").child("description").text().get();
  EXPECT_LE(description.size(), 4000U);
  EXPECT_FALSE(contains(description, "<"));
}

TEST(RssWriter, DescriptionFallsBackToHtmlThenSummary) {
  auto f = make_minimal_fixture();
  f->episodes[0].notes_html = "<p>From <b>HTML</b></p>";
  EXPECT_TRUE(contains(render_item(f->items[0], f->show), "<description>From HTML</description>"));
  f->episodes[0].notes_html.clear();
  f->episodes[0].summary = "From the summary";
  EXPECT_TRUE(
      contains(render_item(f->items[0], f->show), "<description>From the summary</description>"));
}

TEST(RssWriter, GuidIsPermaLinkOnlyForHttpUrls) {
  const std::string xml = render_rich();
  EXPECT_TRUE(
      contains(xml, R"(<guid isPermaLink="false">6b0c5a3e-8f1d-4a53-9d0e-3c1b2a9f7e11</guid>)"));
  EXPECT_TRUE(contains(xml, R"(<guid isPermaLink="true">https://example.com/rich/bonus-1</guid>)"));
  auto f = make_minimal_fixture();
  for (const char* guid :
       {"urn:uuid:6b0c5a3e-8f1d-4a53-9d0e-3c1b2a9f7e11", "tag:example.com,2024:1", "https://",
        "http://example.com/a b", "ftp://example.com/x"}) {
    f->episodes[0].guid = guid;
    EXPECT_TRUE(contains(render_item(f->items[0], f->show), R"(<guid isPermaLink="false">)"))
        << guid;
  }
}

TEST(RssWriter, ItemDatesAreRfc2822) {
  const std::string xml = render_rich();
  EXPECT_TRUE(contains(xml, "<pubDate>Wed, 03 Apr 2024 02:06:28 +0000</pubDate>"));
  EXPECT_TRUE(contains(xml, "<lastBuildDate>Wed, 03 Apr 2024 02:06:28 +0000</lastBuildDate>"));
  auto f = make_minimal_fixture();
  f->episodes[0].date.reset();
  f->episodes[0].publish_at = 1709283600;
  EXPECT_TRUE(contains(render_item(f->items[0], f->show),
                       "<pubDate>Fri, 01 Mar 2024 09:00:00 +0000</pubDate>"));
}

TEST(RssWriter, EnclosureHasUrlLengthAndType) {
  const std::string xml = render_rich();
  EXPECT_TRUE(contains(
      xml,
      R"(<enclosure url="https://example.com/rich/media/episodes/002.mp3" length="48123456" type="audio/mpeg"/>)"));
  // Remote audio with no measured type: Apple's type for the extension.
  EXPECT_TRUE(contains(
      xml,
      R"(<enclosure url="https://cdn.example.com/rich/trailer.m4a" length="1200000" type="audio/x-m4a"/>)"));
}

TEST(RssWriter, DurationIsWholeSeconds) {
  const std::string xml = render_rich();
  EXPECT_TRUE(contains(xml, "<itunes:duration>3007</itunes:duration>"));
  EXPECT_TRUE(contains(xml, "<itunes:duration>600</itunes:duration>"));  // declared
  auto f = make_minimal_fixture();
  EXPECT_FALSE(contains(render_item(f->items[0], f->show), "itunes:duration"));
}

TEST(RssWriter, ChannelExplicitDefaultsToFalseItemOnlyWhenSet) {
  auto f = make_minimal_fixture();
  std::string xml = render_feed(f->channel, f->items);
  EXPECT_EQ(count(xml, "<itunes:explicit>false</itunes:explicit>"), 1U);
  f->show.explicit_content = true;
  f->episodes[0].explicit_content = false;
  xml = render_feed(f->channel, f->items);
  EXPECT_TRUE(contains(xml, "    <itunes:explicit>true</itunes:explicit>\n"));
  EXPECT_TRUE(contains(xml, "      <itunes:explicit>false</itunes:explicit>\n"));
}

TEST(RssWriter, NestsEachSubcategoryInItsParent) {
  const std::string xml = render_rich();
  EXPECT_TRUE(contains(xml,
                       "    <itunes:category text=\"Society &amp; Culture\">\n"
                       "      <itunes:category text=\"Documentary\"/>\n"
                       "    </itunes:category>\n"
                       "    <itunes:category text=\"Technology\"/>\n"
                       "    <itunes:category text=\"Society &amp; Culture\">\n"
                       "      <itunes:category text=\"Philosophy\"/>\n"
                       "    </itunes:category>\n"
                       "    <itunes:explicit>"));
  auto f = make_minimal_fixture();
  f->show.categories = {"Technology", " Technology ", "Arts>Books", "Arts > Books"};
  EXPECT_EQ(count(render_feed(f->channel, f->items), "<itunes:category"), 3U);
}

TEST(RssWriter, ItemPersonsRepeatTheHostsFirst) {
  auto f = make_rich_fixture();
  const std::string item = render_item(f->items[0], f->show);
  const std::size_t jane = item.find(">Jane Doe</podcast:person>");
  const std::size_t tom = item.find(">Tom O&apos;Brien</podcast:person>");
  const std::size_t tom_text = item.find(">Tom O'Brien</podcast:person>");
  const std::size_t ada = item.find(">Ada Lovelace</podcast:person>");
  ASSERT_NE(jane, std::string::npos);
  EXPECT_EQ(tom, std::string::npos);
  ASSERT_NE(tom_text, std::string::npos);
  ASSERT_NE(ada, std::string::npos);
  EXPECT_LT(jane, tom_text);
  EXPECT_LT(tom_text, ada);
  EXPECT_EQ(count(item, "Jane Doe</podcast:person>"), 1U);  // the host listed again: once
  // An item without persons inherits the channel's: no person tags at all.
  EXPECT_FALSE(contains(render_item(f->items[1], f->show), "podcast:person"));
}

TEST(RssWriter, LockedOwnerFallsBackToOwnerEmail) {
  EXPECT_TRUE(
      contains(render_rich(), R"(<podcast:locked owner="jane@example.com">yes</podcast:locked>)"));
  auto f = make_minimal_fixture();
  EXPECT_FALSE(contains(render_feed(f->channel, f->items), "podcast:locked"));
  f->show.locked = false;
  EXPECT_TRUE(contains(render_feed(f->channel, f->items), "<podcast:locked>no</podcast:locked>"));
}

TEST(RssWriter, TrailerEpisodesBecomeChannelTrailers) {
  const std::string xml = render_rich();
  EXPECT_TRUE(contains(
      xml,
      R"(<podcast:trailer url="https://cdn.example.com/rich/trailer.m4a" pubdate="Fri, 01 Mar 2024 09:00:00 +0000" length="1200000" type="audio/x-m4a" season="2">Season 2 Trailer</podcast:trailer>)"));
  auto f = make_rich_fixture();
  EXPECT_FALSE(trailer_for(f->items[0]));
  ASSERT_TRUE(trailer_for(f->items[1]));
  // Explicit trailers replace the derived ones.
  f->channel.trailers = {{"Other", "https://example.com/t.mp3", 0, 0, "", std::nullopt}};
  const std::string explicit_xml = render_feed(f->channel, f->items);
  EXPECT_EQ(count(explicit_xml, "<podcast:trailer"), 1U);
  EXPECT_TRUE(contains(
      explicit_xml,
      R"(<podcast:trailer url="https://example.com/t.mp3" pubdate="Thu, 01 Jan 1970 00:00:00 +0000">Other</podcast:trailer>)"));
}

TEST(RssWriter, AtomLinksForSelfAndHubs) {
  const std::string xml = render_rich();
  EXPECT_TRUE(contains(
      xml,
      R"(<atom:link href="https://feeds.example.com/rich/feed.xml" rel="self" type="application/rss+xml"/>)"));
  EXPECT_TRUE(contains(xml, R"(<atom:link href="https://pubsubhubbub.appspot.com/" rel="hub"/>)"));
  EXPECT_TRUE(contains(xml, R"(<atom:link href="https://hub.example.com/" rel="hub"/>)"));
}

TEST(RssWriter, NeverEmitsEmptyElements) {
  for (const std::string& xml : {render_rich(), render_feed(make_minimal_fixture()->channel,
                                                            make_minimal_fixture()->items)}) {
    EXPECT_FALSE(std::regex_search(xml, std::regex(R"(<([A-Za-z:]+)[^>]*></\1>)"))) << xml;
    EXPECT_FALSE(contains(xml, "=\"\""));
  }
}

TEST(RssWriter, MinimalFeedOmitsAbsentData) {
  auto f = make_minimal_fixture();
  const std::string xml = render_feed(f->channel, f->items);
  for (const char* absent :
       {"<link>", "<description>", "<language>", "atom:link", "itunes:image", "itunes:owner",
        "podcast:guid", "podcast:person", "lastBuildDate", "podcast:transcript", "podcast:chapters",
        "content:encoded", "itunes:season", "podcast:podping", "podcast:trailer"}) {
    EXPECT_FALSE(contains(xml, absent)) << absent;
  }
}

TEST(RssWriter, AlternateEnclosureWithSources) {
  EXPECT_TRUE(
      contains(render_rich(),
               "      <podcast:alternateEnclosure type=\"audio/opus\" length=\"24000000\" "
               "bitrate=\"64000\" title=\"Opus\">\n"
               "        <podcast:source uri=\"https://cdn.example.com/rich/002.opus\"/>\n"
               "        <podcast:source "
               "uri=\"ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi\"/>\n"
               "      </podcast:alternateEnclosure>\n"));
  auto f = make_minimal_fixture();
  f->episodes[0].alternate_enclosures = {{"audio/aac", 1, 0, "", "", false, {}}};
  EXPECT_FALSE(contains(render_item(f->items[0], f->show), "alternateEnclosure"));
}

TEST(RssWriter, PodcastNamespaceItemTags) {
  const std::string xml = render_rich();
  for (
      const char* tag : {
          R"(<podcast:season name="Brewing">2</podcast:season>)",
          R"(<podcast:episode display="Ep. 42">42</podcast:episode>)",
          R"(<podcast:transcript url="https://example.com/rich/episodes/002-espresso/transcript.vtt" type="text/vtt" language="en-us" rel="captions"/>)",
          R"(<podcast:transcript url="https://example.com/rich/episodes/002-espresso/transcript.html" type="text/html"/>)",
          R"(<podcast:chapters url="https://example.com/rich/episodes/002-espresso/chapters.json" type="application/json+chapters"/>)",
          R"(<podcast:soundbite startTime="1234.5" duration="42.25">The nine-bar moment</podcast:soundbite>)",
          R"(<podcast:soundbite startTime="60" duration="30"/>)",
          R"(<podcast:location rel="subject" geo="geo:45.4642,9.19" country="IT">Milan, Italy</podcast:location>)",
          R"(<podcast:license>ARR</podcast:license>)",
          R"(<podcast:funding url="https://example.com/tip/42">Tip this episode</podcast:funding>)",
          R"(<podcast:txt purpose="ai-content">false</podcast:txt>)",
          R"(<podcast:image href="https://example.com/rich/media/episodes/002.jpg"/>)",
          R"(<itunes:image href="https://example.com/rich/media/episodes/002.jpg"/>)",
      }) {
    EXPECT_TRUE(contains(xml, tag)) << tag;
  }
}

TEST(RssWriter, PodcastNamespaceChannelTags) {
  const std::string xml = render_rich();
  for (
      const char* tag : {
          R"(<podcast:guid>02bf257b-1739-5a69-8937-1bf13fe39dc1</podcast:guid>)",
          R"(<podcast:medium>podcast</podcast:medium>)",
          R"(<podcast:podping usesPodping="true"/>)",
          R"(<podcast:updateFrequency rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO">Every other Monday</podcast:updateFrequency>)",
          R"(<podcast:person role="host" group="cast" img="https://example.com/jane.jpg" href="https://example.com/jane">Jane Doe</podcast:person>)",
          R"(<podcast:image href="https://cdn.example.com/rich/art-3000.jpg"/>)",
          R"(<podcast:funding url="https://patreon.example.com/rich">https://patreon.example.com/rich</podcast:funding>)",
          R"(<podcast:license url="https://creativecommons.org/licenses/by/4.0/">CC-BY-4.0</podcast:license>)",
          R"(<podcast:location rel="creator" geo="geo:30.2672,-97.7431" osm="R113314" country="US">Austin, TX</podcast:location>)",
          R"(<podcast:txt purpose="applepodcastsverify">d3b07384-d113-4ec6-a7d2-1c9c7a9d8e1f</podcast:txt>)",
          R"(<podcast:txt>Hello "world"</podcast:txt>)",
          R"(<itunes:new-feed-url>https://feeds.example.com/rich/new.xml</itunes:new-feed-url>)",
          R"(<itunes:block>Yes</itunes:block>)",
          R"(<itunes:complete>Yes</itunes:complete>)",
          R"(<itunes:type>episodic</itunes:type>)",
      }) {
    EXPECT_TRUE(contains(xml, tag)) << tag;
  }
  EXPECT_FALSE(contains(xml, "podcast:images"));  // deprecated: podcast:image instead
}

TEST(RssWriter, SoundbiteTimesAreBoundedDecimals) {
  auto f = make_minimal_fixture();
  f->episodes[0].soundbites = {{1e300, 30, "far"},
                               {1, 1e-9, "too short"},
                               {std::nan(""), 30, "not a number"},
                               {-5, 30.0004, ""},
                               {12.3456, 0, "no duration"}};
  const std::string item = render_item(f->items[0], f->show);
  EXPECT_TRUE(contains(
      item, R"(<podcast:soundbite startTime="1000000000" duration="30">far</podcast:soundbite>)"));
  EXPECT_TRUE(contains(item, R"(<podcast:soundbite startTime="0" duration="30"/>)"));
  EXPECT_EQ(count(item, "<podcast:soundbite"), 2U);
}

TEST(RssWriter, PodcastGuidFallsBackToTheShows) {
  auto f = make_rich_fixture();
  f->channel.podcast_guid.clear();
  EXPECT_TRUE(contains(render_feed(f->channel, f->items),
                       "<podcast:guid>ffffffff-ffff-5fff-bfff-ffffffffffff</podcast:guid>"));
}

TEST(RssWriter, PscChaptersSortedFilteredAndNpt) {
  EXPECT_TRUE(contains(render_rich(),
                       "      <psc:chapters version=\"1.2\">\n"
                       "        <psc:chapter start=\"00:00:00.000\" title=\"Intro\" "
                       "image=\"https://example.com/intro.jpg\"/>\n"
                       "        <psc:chapter start=\"00:01:35.500\" title=\"Crema\" "
                       "href=\"https://example.com/crema\"/>\n"
                       "        <psc:chapter start=\"00:30:00.250\" title=\"Pressure &amp; "
                       "Temperature\"/>\n"
                       "      </psc:chapters>\n"));
}

TEST(RssWriter, NullPointersRenderNothing) {
  EXPECT_EQ(render_item(ItemInput{}, catalog::Show{}), "");
  EXPECT_EQ(render_feed(ChannelInput{}, std::vector<ItemInput>{}), "");
  EXPECT_EQ(render_feed(ChannelInput{}, std::vector<std::string_view>{}), "");
}

}  // namespace
}  // namespace podcastd::feeds
