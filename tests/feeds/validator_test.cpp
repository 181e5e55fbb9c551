#include "feeds/validator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "feeds/validator_detail.hpp"
#include "tests/feeds/validator_test_util.hpp"
#include "tests/support/test_support.hpp"

namespace podcastd::feeds {
namespace {

using testing_util::base_feed;
using testing_util::expected_rules;
using testing_util::replace_once;
using testing_util::sorted_rules;

// ---- Report --------------------------------------------------------------------------------

TEST(ValidatorReport, FindingToString) {
  Finding f;
  f.severity = Severity::error;
  f.rule = "RSS-E05";
  f.element = "rss/channel/item[3]/pubDate";
  f.line = 57;
  f.message = "pubDate 'x' is not an RFC 2822 date";
  EXPECT_EQ(f.to_string(),
            "rss/channel/item[3]/pubDate (line 57): RSS-E05 error: pubDate 'x' is not an RFC "
            "2822 date");
  f.source = "episodes/012.md";
  f.line = 0;
  f.severity = Severity::warning;
  EXPECT_EQ(f.to_string(),
            "episodes/012.md: rss/channel/item[3]/pubDate: RSS-E05 warning: pubDate 'x' is not "
            "an RFC 2822 date");
  f.element.clear();
  f.source.clear();
  EXPECT_EQ(f.to_string(), "document: RSS-E05 warning: pubDate 'x' is not an RFC 2822 date");
}

TEST(ValidatorReport, TextEndsWithCounts) {
  ValidationReport r;
  EXPECT_EQ(r.to_text(), "0 errors, 0 warnings, 0 info\n");
  Finding e{Severity::error, "RSS-E01", "rss/channel", 3, "channel has no <title>", ""};
  Finding w{Severity::warning, "APL-W01", "rss/channel", 3, "channel has no itunes:author", ""};
  Finding i{Severity::info, "P20-I01", "rss/channel", 3, "channel has no podcast:guid", ""};
  r.findings = {e, w, w, i};
  EXPECT_EQ(r.to_text(),
            "rss/channel (line 3): RSS-E01 error: channel has no <title>\n"
            "rss/channel (line 3): APL-W01 warning: channel has no itunes:author\n"
            "rss/channel (line 3): APL-W01 warning: channel has no itunes:author\n"
            "rss/channel (line 3): P20-I01 info: channel has no podcast:guid\n"
            "1 error, 2 warnings, 1 info\n");
  EXPECT_EQ(r.errors(), 1);
  EXPECT_EQ(r.warnings(), 2);
  EXPECT_EQ(r.infos(), 1);
  EXPECT_FALSE(r.ok());
}

TEST(ValidatorReport, JsonHasCountsAndFindings) {
  ValidationReport r;
  r.findings = {Finding{Severity::warning, "APL-W14", "rss/channel/item[1]/enclosure", 9,
                        "enclosure url 'http://x' uses http:", "episodes/a.md"}};
  std::string j = r.to_json();
  EXPECT_NE(j.find("\"errors\": 0"), std::string::npos) << j;
  EXPECT_NE(j.find("\"warnings\": 1"), std::string::npos) << j;
  EXPECT_NE(j.find("\"info\": 0"), std::string::npos) << j;
  EXPECT_NE(j.find("\"rule\": \"APL-W14\""), std::string::npos) << j;
  EXPECT_NE(j.find("\"line\": 9"), std::string::npos) << j;
  EXPECT_NE(j.find("\"source\": \"episodes/a.md\""), std::string::npos) << j;
}

TEST(ValidatorReport, JsonSurvivesMalformedUtf8InMessages) {
  ValidationReport r = validate_feed(
      replace_once(base_feed(), "<title>First light</title>", "<title>Bad \xC3\x28 byte</title>"));
  std::string j = r.to_json();
  EXPECT_NE(j.find("XML-E01"), std::string::npos);
}

// ---- The base feed is clean ----------------------------------------------------------------

TEST(ValidatorBase, BaseFeedHasNoFindings) {
  ValidationReport r = validate_feed(base_feed());
  EXPECT_TRUE(r.findings.empty()) << r.to_text();
}

// ---- One defect per case ---------------------------------------------------------------------

struct Case {
  const char* name;
  std::vector<std::pair<std::string, std::string>> edits;  // replace first occurrence
  std::vector<std::string> rules;                          // expected, any order
  std::string message = "";                                // a finding's exact message
  Profile profile = Profile::apple;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

std::string C(const std::string& s) { return s + "\n    <!--C-->"; }  // keeps the marker
std::string I(const std::string& s) { return s + "\n      <!--I-->"; }

const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      // XML
      {"unescaped_ampersand",
       {{"<!--I-->", I("<itunes:author>Tom & Jerry</itunes:author>")}},
       {"XML-E01"},
       "not well-formed: unescaped '&' (write &amp;)"},
      {"undefined_entity", {{"Show notes.", "Show&nbsp;notes."}}, {"XML-E01"}},
      {"control_character",
       {{"Show notes.", "Show\x01notes."}},
       {"XML-E01"},
       "not well-formed: control character U+0001 is not allowed in XML"},
      {"malformed_utf8", {{"Show notes.", "Show \xC3\x28 notes."}}, {"XML-E01"}},
      {"lt_in_attribute",
       {{"length=\"48123456\"", "length=\"48123456\" title=\"a<b\""}},
       {"XML-E01"}},
      {"duplicate_attribute",
       {{"type=\"audio/mpeg\"", "type=\"audio/mpeg\" type=\"audio/mpeg\""}},
       {"XML-E01"},
       "attribute 'type' appears twice on one element"},
      {"mismatched_tag", {{"</title>", "</titles>"}}, {"XML-E01"}},
      {"content_after_root", {{"</rss>", "</rss>\n<p>oops</p>"}}, {"XML-E01"}},
      {"rss_version",
       {{"<rss version=\"2.0\"", "<rss version=\"0.91\""}},
       {"XML-E02"},
       "rss version '0.91' is not '2.0'"},
      {"atom_root", {{"<rss version=\"2.0\"", "<feed"}, {"</rss>", "</feed>"}}, {"XML-E02"}},
      {"two_channels", {{"</rss>", "<channel><title>x</title></channel></rss>"}}, {"XML-E03"}},
      {"itunes_https_uri",
       {{"xmlns:itunes=\"http://www.itunes.com", "xmlns:itunes=\"https://www.itunes.com"}},
       {"XML-E04"}},
      {"itunes_undeclared",
       {{"xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\"", ""}},
       {"XML-E04"},
       "namespace prefix 'itunes' is used but not declared"},
      {"content_uri_without_slash",
       {{"xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"",
         "xmlns:content=\"http://purl.org/rss/1.0/modules/content\""},
        {"<!--I-->", I("<content:encoded><![CDATA[<p>x</p>]]></content:encoded>")}},
       {"XML-E05"}},
      {"latin1_encoding", {{"encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\""}}, {"XML-E06"}},
      {"latin1_general_profile",
       {{"encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\""}},
       {},
       "",
       Profile::general},
      // RSS core
      {"channel_title_blank", {{"<title>Test Show</title>", "<title>  </title>"}}, {"RSS-E01"}},
      {"channel_link_missing", {{"<link>https://example.com/</link>", ""}}, {"RSS-E01"}},
      {"channel_description_missing",
       {{"<description>About the show.</description>", ""}},
       {"RSS-E01"}},
      {"channel_title_twice", {{"<!--C-->", C("<title>Other</title>")}}, {"RSS-E02"}},
      {"item_pubdate_twice",
       {{"<!--I-->", I("<pubDate>Wed, 03 Apr 2024 02:06:28 +0000</pubDate>")}},
       {"RSS-E02"}},
      {"image_without_link",
       {{"<!--C-->", C("<image><url>https://x.example/a.png</url><title>T</title></image>")}},
       {"RSS-E03"},
       "image lacks link"},
      {"image_too_wide",
       {{"<!--C-->", C("<image><url>https://x.example/a.png</url><title>T</title><link>https://"
                       "x.example/</link><width>200</width></image>")}},
       {"RSS-E03"}},
      {"ttl_zero", {{"<!--C-->", C("<ttl>0</ttl>")}}, {"RSS-E04"}},
      {"pubdate_garbage",
       {{"Wed, 03 Apr 2024 02:06:28 +0000", "2024-04-03 02:06:28"}},
       {"RSS-E05"}},
      {"pubdate_wrong_weekday",
       {{"Wed, 03 Apr 2024 02:06:28 +0000", "Thu, 03 Apr 2024 02:06:28 +0000"}},
       {"RSS-E05"},
       "pubDate 'Thu, 03 Apr 2024 02:06:28 +0000': 03 Apr 2024 was a Wednesday"},
      {"pubdate_hour_25",
       {{"Wed, 03 Apr 2024 02:06:28 +0000", "03 Feb 2024 25:06:28 +0000"}},
       {"RSS-E05"}},
      {"pubdate_padded",
       {{"Wed, 03 Apr 2024 02:06:28 +0000", " Wed, 03 Apr 2024 02:06:28 +0000"}},
       {"RSS-E05"}},
      {"item_without_title_or_description",
       {{"<title>First light</title>", ""}, {"<description>Show notes.</description>", ""}},
       {"RSS-E06", "APL-E16"}},
      {"enclosure_without_length",
       {{" length=\"48123456\"", ""}},
       {"RSS-E07"},
       "enclosure lacks length"},
      {"enclosure_negative_length", {{"length=\"48123456\"", "length=\"-1\""}}, {"RSS-E07"}},
      {"enclosure_ftp",
       {{"url=\"https://cdn.example.com/ep2.mp3\"", "url=\"ftp://cdn.example.com/ep2.mp3\""}},
       {"RSS-E07"}},
      {"enclosure_bad_type", {{"type=\"audio/mpeg\"", "type=\"mpeg\""}}, {"RSS-E07"}},
      {"duplicate_guid",
       {{"6b0c5a3e-8f1d-4a53-9d0e-3c1b2a9f7e11", "6b0c5a3e-8f1d-4a53-9d0e-3c1b2a9f7e12"}},
       {"RSS-E08"},
       "guid '6b0c5a3e-8f1d-4a53-9d0e-3c1b2a9f7e12' is also used by rss/channel/item[1]"},
      {"guid_permalink_by_default", {{"<guid isPermaLink=\"false\">", "<guid>"}}, {"RSS-E09"}},
      {"guid_urn_permalink",
       {{"<guid isPermaLink=\"false\">", "<guid isPermaLink=\"true\">urn:uuid:"}},
       {"RSS-E09"}},
      {"guid_permalink_no", {{"isPermaLink=\"false\"", "isPermaLink=\"no\""}}, {"RSS-E10"}},
      {"managing_editor_name_only",
       {{"<!--C-->", C("<managingEditor>Jane Doe</managingEditor>")}},
       {"RSS-E11"}},
      {"item_author_name_only", {{"<!--I-->", I("<author>Jane</author>")}}, {"RSS-E11"}},
      {"no_self_link",
       {{"<atom:link href=\"https://feeds.example.com/show.xml\" rel=\"self\" "
         "type=\"application/rss+xml\"/>",
         ""}},
       {"RSS-W01", "P20-W15"}},
      {"guid_missing_general",
       {{"<guid isPermaLink=\"false\">6b0c5a3e-8f1d-4a53-9d0e-3c1b2a9f7e12</guid>", ""}},
       {"RSS-W02"},
       "",
       Profile::general},
      {"two_enclosures",
       {{"<!--I-->", I("<enclosure url=\"https://cdn.example.com/ep2b.mp3\" length=\"1\" "
                       "type=\"audio/mpeg\"/>")}},
       {"RSS-W03"}},
      {"two_digit_year",
       {{"Wed, 27 Mar 2024 10:00:00 +0000", "Wed, 27 Mar 24 10:00:00 +0000"}},
       {"RSS-W04"}},
      {"odd_zone",
       {{"Wed, 27 Mar 2024 10:00:00 +0000", "Wed, 27 Mar 2024 10:00:00 +0545"}},
       {"RSS-W04"}},
      {"implausible_date",
       {{"Wed, 27 Mar 2024 10:00:00 +0000", "Tue, 01 Jan 1980 00:00:00 +0000"}},
       {"RSS-W04"}},
      {"short_numeric_guid", {{"6b0c5a3e-8f1d-4a53-9d0e-3c1b2a9f7e12", "12345"}}, {"RSS-W05"}},
      {"ispermalink_case",
       {{"isPermaLink=\"false\"", "ispermalink=\"false\""}},
       {"RSS-W06", "RSS-E09"}},
      {"content_without_description",
       {{"<description>Show notes.</description>",
         "<content:encoded><![CDATA[<p>x</p>]]></content:encoded>"}},
       {"RSS-W07"}},
      {"text_input", {{"<!--C-->", C("<textInput><title>t</title></textInput>")}}, {"RSS-W07"}},
      {"metadata_after_items",
       {{"  </channel>", "  <copyright>(c)</copyright>\n  </channel>"}},
       {"RSS-W07"}},
      {"language_missing_general",
       {{"<language>en</language>", ""}},
       {"RSS-W08"},
       "",
       Profile::general},
      {"pubdate_missing",
       {{"<pubDate>Wed, 03 Apr 2024 02:06:28 +0000</pubDate>", ""}},
       {"RSS-W09"}},
      // Apple
      {"no_itunes_image",
       {{"<itunes:image href=\"https://cdn.example.com/art.jpg\"/>", ""}},
       {"APL-E01"},
       "channel has no itunes:image (Apple requires it)"},
      {"no_itunes_category", {{"<itunes:category text=\"Technology\"/>", ""}}, {"APL-E01"}},
      {"no_itunes_explicit", {{"<itunes:explicit>false</itunes:explicit>", ""}}, {"APL-E01"}},
      {"no_language", {{"<language>en</language>", ""}}, {"APL-E01"}},
      {"bad_language", {{"<language>en</language>", "<language>english</language>"}}, {"APL-E01"}},
      {"itunes_image_as_text",
       {{"<itunes:image href=\"https://cdn.example.com/art.jpg\"/>",
         "<itunes:image>https://cdn.example.com/art.jpg</itunes:image>"}},
       {"APL-E02"},
       "itunes:image has no href attribute (the URL 'https://cdn.example.com/art.jpg' is element "
       "text; Apple reads only href)"},
      {"category_unknown", {{"text=\"Technology\"", "text=\"Tech\""}}, {"APL-E04"}},
      {"category_case",
       {{"text=\"Technology\"", "text=\"kids &amp; family\""}},
       {"APL-E04"},
       "itunes:category 'kids & family' is not an Apple category (did you mean 'Kids & Family'?)"},
      {"subcategory_wrong_parent",
       {{"<itunes:category text=\"Technology\"/>",
         "<itunes:category text=\"Technology\"><itunes:category "
         "text=\"Politics\"/></itunes:category>"}},
       {"APL-E04"}},
      {"category_without_text",
       {{"<itunes:category text=\"Technology\"/>", "<itunes:category/>"}},
       {"APL-E04"}},
      {"category_obsolete", {{"text=\"Technology\"", "text=\"Games &amp; Hobbies\""}}, {"APL-W04"}},
      {"subcategory_obsolete",
       {{"<itunes:category text=\"Technology\"/>",
         "<itunes:category text=\"Technology\"><itunes:category "
         "text=\"Podcasting\"/></itunes:category>"}},
       {"APL-W04"}},
      {"category_religion_accepted",
       {{"<itunes:category text=\"Technology\"/>",
         "<itunes:category text=\"Religion &amp; Spirituality\"><itunes:category "
         "text=\"Religion\"/></itunes:category>"}},
       {}},
      {"explicit_maybe",
       {{"<itunes:explicit>false</itunes:explicit>", "<itunes:explicit>maybe</itunes:explicit>"}},
       {"APL-E05"}},
      {"explicit_padded",
       {{"<itunes:explicit>false</itunes:explicit>", "<itunes:explicit> false </itunes:explicit>"}},
       {"APL-E05"}},
      {"explicit_legacy_clean",
       {{"<itunes:explicit>false</itunes:explicit>", "<itunes:explicit>clean</itunes:explicit>"}},
       {"APL-W05"}},
      {"explicit_legacy_yes",
       {{"<!--I-->", I("<itunes:explicit>yes</itunes:explicit>")}},
       {"APL-W05"}},
      {"type_weekly",
       {{"<itunes:type>episodic</itunes:type>", "<itunes:type>weekly</itunes:type>"}},
       {"APL-E06"}},
      {"serial_without_episodes",
       {{"<itunes:type>episodic</itunes:type>", "<itunes:type>serial</itunes:type>"}},
       {"APL-E07", "APL-E07"}},
      {"episode_type_teaser",
       {{"<!--I-->", I("<itunes:episodeType>teaser</itunes:episodeType>")}},
       {"APL-E08"}},
      {"episode_zero", {{"<!--I-->", I("<itunes:episode>0</itunes:episode>")}}, {"APL-E09"}},
      {"duration_bad",
       {{"<itunes:duration>3007</itunes:duration>", "<itunes:duration>61:75</itunes:duration>"}},
       {"APL-E10"}},
      {"duration_decimal",
       {{"<itunes:duration>3007</itunes:duration>", "<itunes:duration>3007.5</itunes:duration>"}},
       {"APL-E10"}},
      {"block_maybe", {{"<!--C-->", C("<itunes:block>maybe</itunes:block>")}}, {"APL-E11"}},
      {"complete_no", {{"<!--C-->", C("<itunes:complete>no</itunes:complete>")}}, {"APL-E11"}},
      {"new_feed_url_relative",
       {{"<!--C-->", C("<itunes:new-feed-url>/feed.xml</itunes:new-feed-url>")}},
       {"APL-E12"}},
      {"owner_without_email", {{"<itunes:email>jane@example.com</itunes:email>", ""}}, {"APL-E13"}},
      {"owner_bad_email",
       {{"<itunes:email>jane@example.com</itunes:email>", "<itunes:email>jane</itunes:email>"}},
       {"APL-E13"}},
      {"itunes_author_too_long",
       {{"<itunes:author>Example Media</itunes:author>",
         "<itunes:author>" + std::string(256, 'a') + "</itunes:author>"}},
       {"APL-E14"}},
      {"itunes_summary_too_long",
       {{"<!--I-->", I("<itunes:summary>" + std::string(4001, 'b') + "</itunes:summary>")}},
       {"APL-E14", "APL-W10"}},
      {"description_too_long", {{"Show notes.", std::string(4001, 'x')}}, {"APL-E15"}},
      {"item_without_enclosure",
       {{"<enclosure url=\"https://cdn.example.com/ep2.mp3\" length=\"48123456\" "
         "type=\"audio/mpeg\"/>",
         ""}},
       {"APL-E16"},
       "item has no enclosure"},
      {"duplicate_enclosure", {{"ep1.mp3", "ep2.mp3"}}, {"APL-E17"}},
      {"guid_missing_apple",
       {{"<guid isPermaLink=\"false\">6b0c5a3e-8f1d-4a53-9d0e-3c1b2a9f7e12</guid>", ""}},
       {"APL-E18"}},
      {"no_itunes_author", {{"<itunes:author>Example Media</itunes:author>", ""}}, {"APL-W01"}},
      {"no_itunes_owner",
       {{"<itunes:owner><itunes:name>Jane "
         "Doe</itunes:name><itunes:email>jane@example.com</itunes:email></itunes:owner>",
         ""}},
       {"APL-W02"}},
      {"enclosure_ogg",
       {{"url=\"https://cdn.example.com/ep2.mp3\" length=\"48123456\" type=\"audio/mpeg\"",
         "url=\"https://cdn.example.com/ep2.ogg\" length=\"48123456\" type=\"audio/ogg\""}},
       {"APL-W03", "APL-W03"}},
      {"enclosure_audio_mp3",
       {{"type=\"audio/mpeg\"", "type=\"audio/mp3\""}},
       {"APL-W03"},
       "enclosure type 'audio/mp3' is not one Apple supports (write audio/mpeg)"},
      {"enclosure_type_mismatch", {{"type=\"audio/mpeg\"", "type=\"audio/x-m4a\""}}, {"APL-W03"}},
      {"two_top_categories", {{"<!--C-->", C("<itunes:category text=\"History\"/>")}}, {"APL-W06"}},
      {"non_ascii_enclosure", {{"ep2.mp3", "\xC3\xA9p2.mp3"}}, {"APL-W07"}},
      {"title_with_episode_number",
       {{"<title>First light</title>", "<title>Episode 12: First light</title>"}},
       {"APL-W08"}},
      {"title_repeats_show",
       {{"<title>First light</title>", "<title>Test Show: First light</title>"}},
       {"APL-W08"}},
      {"keywords_without_commas",
       {{"<!--C-->", C("<itunes:keywords>radio waves antennas</itunes:keywords>")}},
       {"APL-W09", "APL-W10"}},
      {"summary_repeats_description",
       {{"<!--C-->", C("<itunes:summary>About the show.</itunes:summary>")}},
       {"APL-W10", "APL-W10"}},
      {"episode_image_gif",
       {{"<!--I-->", I("<itunes:image href=\"https://cdn.example.com/e.gif\"/>")}},
       {"APL-W11"}},
      {"http_enclosure",
       {{"https://cdn.example.com/ep2.mp3", "http://cdn.example.com/ep2.mp3"}},
       {"APL-W14"}},
      {"unsorted_items",
       {{"Wed, 27 Mar 2024 10:00:00 +0000", "Wed, 10 Apr 2024 10:00:00 +0000"}},
       {"APL-W15"}},
      // podcast:
      {"transcript_without_type", {{" type=\"text/vtt\"", ""}}, {"P20-E01"}},
      {"chapters_without_url",
       {{"<podcast:chapters url=\"https://cdn.example.com/ep2.json\"", "<podcast:chapters"}},
       {"P20-E02"}},
      {"chapters_twice",
       {{"<!--I-->", I("<podcast:chapters url=\"https://cdn.example.com/c.json\" "
                       "type=\"application/json+chapters\"/>")}},
       {"P20-E02"}},
      {"locked_capitalised", {{">yes</podcast:locked>", ">Yes</podcast:locked>"}}, {"P20-E03"}},
      {"locked_twice", {{"<!--C-->", C("<podcast:locked>no</podcast:locked>")}}, {"P20-E03"}},
      {"funding_without_url",
       {{"<!--C-->", C("<podcast:funding>Support</podcast:funding>")}},
       {"P20-E04"}},
      {"content_link_without_href",
       {{"<!--I-->", I("<podcast:contentLink>Watch</podcast:contentLink>")}},
       {"P20-E04"}},
      {"soundbite_bad_start",
       {{"<!--I-->", I("<podcast:soundbite startTime=\"abc\" duration=\"30\"/>")}},
       {"P20-E05"}},
      {"person_empty",
       {{"<!--C-->", C("<podcast:person role=\"guest\"> </podcast:person>")}},
       {"P20-E06"}},
      {"location_bad_geo",
       {{"<!--C-->", C("<podcast:location geo=\"48.8,2.2\">Paris</podcast:location>")}},
       {"P20-E07"}},
      {"location_bad_rel",
       {{"<!--C-->", C("<podcast:location rel=\"where\" country=\"FR\">Paris</podcast:location>")}},
       {"P20-E07"}},
      {"location_bad_osm",
       {{"<!--C-->",
         C("<podcast:location geo=\"geo:48.8,2.2\" osm=\"X123\">Paris</podcast:location>")}},
       {"P20-E07"}},
      {"location_country_three_letters",
       {{"<!--C-->", C("<podcast:location country=\"USA\">Austin</podcast:location>")}},
       {"P20-E07"}},
      {"season_not_integer",
       {{"<!--I-->", I("<podcast:season>one</podcast:season>")}},
       {"P20-E08"}},
      {"episode_not_number",
       {{"<!--I-->", I("<podcast:episode>x</podcast:episode>")}},
       {"P20-E08"}},
      {"season_twice",
       {{"<!--I-->", I("<podcast:season>1</podcast:season><podcast:season>2</podcast:season>")}},
       {"P20-E08"}},
      {"trailer_without_pubdate",
       {{"<!--C-->", C("<podcast:trailer url=\"https://x.example/t.mp3\">T</podcast:trailer>")}},
       {"P20-E09"}},
      {"trailer_bad_pubdate",
       {{"<!--C-->", C("<podcast:trailer url=\"https://x.example/t.mp3\" "
                       "pubdate=\"2024-04-03\">T</podcast:trailer>")}},
       {"P20-E09"}},
      {"license_custom_without_url",
       {{"<!--C-->", C("<podcast:license>my-license</podcast:license>")}},
       {"P20-E10"}},
      {"license_twice",
       {{"<!--I-->",
         I("<podcast:license>ARR</podcast:license><podcast:license>cc-by-4.0</podcast:license>")}},
       {"P20-E10"}},
      {"alternate_without_type_and_source",
       {{"<!--I-->", I("<podcast:alternateEnclosure length=\"1\"/>")}},
       {"P20-E11", "P20-E11"}},
      {"alternate_default_yes",
       {{"<!--I-->", I("<podcast:alternateEnclosure type=\"audio/opus\" length=\"1\" "
                       "default=\"yes\"><podcast:source "
                       "uri=\"https://x.example/a.opus\"/></podcast:alternateEnclosure>")}},
       {"P20-E11"}},
      {"source_without_uri",
       {{"<!--I-->", I("<podcast:alternateEnclosure type=\"audio/opus\" "
                       "length=\"1\"><podcast:source/></podcast:alternateEnclosure>")}},
       {"P20-E12"}},
      {"integrity_md5",
       {{"<!--I-->",
         I("<podcast:alternateEnclosure type=\"audio/opus\" length=\"1\"><podcast:source "
           "uri=\"https://x.example/a.opus\"/><podcast:integrity type=\"md5\" "
           "value=\"x\"/></podcast:alternateEnclosure>")}},
       {"P20-E12"}},
      {"guid_not_uuid",
       {{"4853fc3e-53c6-5712-b59d-344773fda971</podcast:guid>",
         "y0ur-gu1d-g035-h3r3</podcast:guid>"}},
       {"P20-E13"}},
      {"guid_twice",
       {{"<!--C-->", C("<podcast:guid>4853fc3e-53c6-5712-b59d-344773fda971</podcast:guid>")}},
       {"P20-E13"}},
      {"value_without_recipient",
       {{"<!--C-->", C("<podcast:value type=\"lightning\" method=\"keysend\"/>")}},
       {"P20-E14"}},
      {"recipient_bad_split",
       {{"<!--C-->",
         C("<podcast:value type=\"lightning\" method=\"keysend\"><podcast:valueRecipient "
           "type=\"node\" address=\"02ab\" split=\"half\"/></podcast:value>")}},
       {"P20-E14"}},
      {"time_split_percentage",
       {{"<!--C-->",
         C("<podcast:value type=\"lightning\" method=\"keysend\"><podcast:valueRecipient "
           "type=\"node\" address=\"02ab\" split=\"1\"/><podcast:valueTimeSplit startTime=\"1\" "
           "duration=\"2\" remotePercentage=\"150\"><podcast:valueRecipient type=\"node\" "
           "address=\"02ab\" split=\"1\"/></podcast:valueTimeSplit></podcast:value>")}},
       {"P20-E15"}},
      {"medium_radio",
       {{"<podcast:medium>podcast</podcast:medium>", "<podcast:medium>radio</podcast:medium>"}},
       {"P20-E16"}},
      {"live_item_bad_status",
       {{"<!--C-->",
         C("<podcast:liveItem status=\"soon\" start=\"2024-04-10T19:00:00Z\" "
           "end=\"2024-04-10T20:00:00Z\"><title>Live</title><guid "
           "isPermaLink=\"false\">live-1</guid><enclosure url=\"https://x.example/s.mp3\" "
           "length=\"0\" type=\"audio/mpeg\"/><podcast:contentLink "
           "href=\"https://x.example/live\">Live</podcast:contentLink></podcast:liveItem>")}},
       {"P20-E17"}},
      {"live_item_without_content_link",
       {{"<!--C-->",
         C("<podcast:liveItem status=\"live\" start=\"2024-04-10T19:00:00Z\" "
           "end=\"2024-04-10T20:00:00Z\"><title>Live</title><guid "
           "isPermaLink=\"false\">live-1</guid><enclosure url=\"https://x.example/s.mp3\" "
           "length=\"0\" type=\"audio/mpeg\"/></podcast:liveItem>")}},
       {"P20-E17"}},
      {"social_protocol_facebook",
       {{"<!--I-->",
         I("<podcast:socialInteract protocol=\"facebook\" uri=\"https://x.example/p\"/>")}},
       {"P20-E18"}},
      {"block_true", {{"<!--C-->", C("<podcast:block>true</podcast:block>")}}, {"P20-E19"}},
      {"block_unknown_service",
       {{"<!--C-->", C("<podcast:block id=\"myspace\">yes</podcast:block>")}},
       {"P20-E19"}},
      {"remote_item_empty",
       {{"<!--C-->", C("<podcast:podroll><podcast:remoteItem title=\"x\"/></podcast:podroll>")}},
       {"P20-E20"}},
      {"podroll_empty", {{"<!--C-->", C("<podcast:podroll/>")}}, {"P20-E21"}},
      {"update_frequency_count_without_dtstart",
       {{"rrule=\"FREQ=WEEKLY\"", "rrule=\"FREQ=WEEKLY;COUNT=10\""}},
       {"P20-E22"}},
      {"podping_yes", {{"usesPodping=\"true\"", "usesPodping=\"yes\""}}, {"P20-E23"}},
      {"chat_discord",
       {{"<!--C-->", C("<podcast:chat server=\"discord.com\" protocol=\"discord\"/>")}},
       {"P20-E24"}},
      {"chat_server_url",
       {{"<!--C-->", C("<podcast:chat server=\"https://irc.example.com\" protocol=\"irc\"/>")}},
       {"P20-E24"}},
      {"publisher_wrong_medium",
       {{"<!--C-->", C("<podcast:publisher><podcast:remoteItem medium=\"podcast\" "
                       "feedGuid=\"003af0a0-6a45-55cf-b765-68e3d349551a\" "
                       "feedUrl=\"https://x.example/p.xml\"/></podcast:publisher>")}},
       {"P20-E25"}},
      {"image_without_href",
       {{"<!--C-->", C("<podcast:image width=\"wide\"/>")}},
       {"P20-E26", "P20-E26"}},
      {"transcript_in_channel",
       {{"<!--C-->", C("<podcast:transcript url=\"https://x.example/t.vtt\" type=\"text/vtt\"/>")}},
       {"P20-E27"},
       "podcast:transcript is not allowed in channel"},
      {"guid_in_item",
       {{"<!--I-->", I("<podcast:guid>4853fc3e-53c6-5712-b59d-344773fda971</podcast:guid>")}},
       {"P20-E27"}},
      {"transcript_legacy_srt",
       {{"<!--I-->", I("<podcast:transcript url=\"https://cdn.example.com/ep2.srt\" "
                       "type=\"application/srt\" rel=\"captions\"/>")}},
       {"P20-W01"},
       "podcast:transcript type 'application/srt' is the legacy SRT type; write "
       "'application/x-subrip'"},
      {"transcript_unknown_type",
       {{"<!--I-->",
         I("<podcast:transcript url=\"https://cdn.example.com/ep2.srt\" type=\"text/srt\"/>")}},
       {"P20-W01"}},
      {"transcript_rel_subtitles", {{"rel=\"captions\"", "rel=\"subtitles\""}}, {"P20-W02"}},
      {"transcript_bad_language",
       {{"rel=\"captions\"", "rel=\"captions\" language=\"english!\""}},
       {"P20-W02"}},
      {"chapters_xml_type",
       {{"type=\"application/json+chapters\"", "type=\"application/xml\""}},
       {"P20-W03"}},
      {"person_name_too_long",
       {{"<!--C-->",
         C("<podcast:person role=\"guest\">" + std::string(129, 'n') + "</podcast:person>")}},
       {"P20-W04"}},
      {"unknown_attribute", {{"<podcast:medium>", "<podcast:medium lang=\"en\">"}}, {"P20-W05"}},
      {"unknown_element", {{"<!--C-->", C("<podcast:hiveAccount account=\"x\"/>")}}, {"P20-W05"}},
      {"guid_version_4",
       {{"4853fc3e-53c6-5712-b59d-344773fda971</podcast:guid>",
         "4853fc3e-53c6-4712-b59d-344773fda971</podcast:guid>"}},
       {"P20-W06", "P20-W06"}},
      {"guid_upper_case",
       {{"4853fc3e-53c6-5712-b59d-344773fda971</podcast:guid>",
         "4853FC3E-53C6-5712-B59D-344773FDA971</podcast:guid>"}},
       {"P20-W06"}},
      {"guid_other_url",
       {{"4853fc3e-53c6-5712-b59d-344773fda971</podcast:guid>",
         "917393e3-1b1e-5cef-ace4-edaa54e1f810</podcast:guid>"}},
       {"P20-W06"}},
      {"person_role_wizard",
       {{"<!--C-->", C("<podcast:person role=\"Wizard\">Merlin</podcast:person>")}},
       {"P20-W07"}},
      {"person_role_wrong_group",
       {{"<!--C-->", C("<podcast:person group=\"Cast\" role=\"Director\">Ann</podcast:person>")}},
       {"P20-W07"}},
      {"location_without_geo",
       {{"<!--C-->", C("<podcast:location>Somewhere</podcast:location>")}},
       {"P20-W08"}},
      {"location_osm_without_geo",
       {{"<!--C-->", C("<podcast:location osm=\"R113314\">Austin</podcast:location>")}},
       {"P20-W08"}},
      {"soundbite_too_short",
       {{"<!--I-->", I("<podcast:soundbite startTime=\"10\" duration=\"5\"/>")}},
       {"P20-W09"}},
      {"soundbite_after_end",
       {{"<!--I-->", I("<podcast:soundbite startTime=\"3000\" duration=\"60\"/>")}},
       {"P20-W09"}},
      {"alternate_without_length",
       {{"<!--I-->", I("<podcast:alternateEnclosure type=\"audio/opus\"><podcast:source "
                       "uri=\"https://x.example/a.opus\"/></podcast:alternateEnclosure>")}},
       {"P20-W10"}},
      {"live_item_without_end",
       {{"<!--C-->",
         C("<podcast:liveItem status=\"live\" "
           "start=\"2024-04-10T19:00:00Z\"><title>Live</title><guid "
           "isPermaLink=\"false\">live-1</guid><enclosure url=\"https://x.example/s.mp3\" "
           "length=\"0\" type=\"audio/mpeg\"/><podcast:contentLink "
           "href=\"https://x.example/live\">Live</podcast:contentLink></podcast:liveItem>")}},
       {"P20-W11"},
       "podcast:liveItem has no end"},
      {"images_deprecated",
       {{"<!--C-->", C("<podcast:images srcset=\"https://x.example/a.jpg 1500w\"/>")}},
       {"P20-W12"}},
      {"remote_item_without_url",
       {{"<!--C-->", C("<podcast:podroll><podcast:remoteItem "
                       "feedGuid=\"917393e3-1b1e-5cef-ace4-edaa54e1f810\"/></podcast:podroll>")}},
       {"P20-W13"}},
      {"locked_owner_not_email", {{"owner=\"jane@example.com\"", "owner=\"jane\""}}, {"P20-W14"}},
      {"podcast_uri_trailing_slash",
       {{"xmlns:podcast=\"https://podcastindex.org/namespace/1.0\"",
         "xmlns:podcast=\"https://podcastindex.org/namespace/1.0/\""}},
       {"P20-W15"}},
      {"podcast_uri_github_alternate",
       {{"xmlns:podcast=\"https://podcastindex.org/namespace/1.0\"",
         "xmlns:podcast=\"https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/"
         "1.0.md\""}},
       {}},
      {"podcast_other_prefix",
       {{"xmlns:podcast=\"https://podcastindex.org/namespace/1.0\"",
         "xmlns:podcast=\"https://podcastindex.org/namespace/1.0\" "
         "xmlns:pi=\"https://podcastindex.org/namespace/1.0\""},
        {"<!--C-->", C("<pi:block>true</pi:block>")}},
       {"P20-E19"},
       "podcast:block 'true' is not 'yes' or 'no'"},
      {"unused_namespace",
       {{"<rss version=\"2.0\"",
         "<rss version=\"2.0\" "
         "xmlns:googleplay=\"http://www.google.com/schemas/play-podcasts/1.0\""}},
       {"P20-W15"}},
      {"item_persons_without_host",
       {{"<!--I-->", I("<podcast:person role=\"guest\">Ali</podcast:person>")}},
       {"P20-W16"}},
      {"txt_ai_content_maybe",
       {{"<!--C-->", C("<podcast:txt purpose=\"ai-content\">maybe</podcast:txt>")}},
       {"P20-W17"}},
      {"trailer_audio_mp3",
       {{"<!--C-->", C("<podcast:trailer url=\"https://x.example/t.mp3\" pubdate=\"Wed, 03 Apr "
                       "2024 02:06:28 +0000\" type=\"audio/mp3\">T</podcast:trailer>")}},
       {"P20-W18"}},
      // Info
      {"no_podcast_guid",
       {{"<podcast:guid>4853fc3e-53c6-5712-b59d-344773fda971</podcast:guid>", ""}},
       {"P20-I01"}},
      {"no_itunes_type", {{"<itunes:type>episodic</itunes:type>", ""}}, {"APL-I01"}},
      {"no_transcripts",
       {{"<podcast:transcript url=\"https://cdn.example.com/ep2.vtt\" type=\"text/vtt\" "
         "rel=\"captions\"/>",
         ""},
        {"<podcast:transcript url=\"https://cdn.example.com/ep1.vtt\" type=\"text/vtt\" "
         "rel=\"captions\"/>",
         ""}},
       {"P20-I02"}},
      {"season_on_one_item",
       {{"<!--I-->", I("<itunes:season>1</itunes:season><itunes:episode>2</itunes:episode>")}},
       {"APL-I02"},
       "the show uses seasons, but this item has no itunes:season"},
      {"season_trailer_needs_no_episode",
       {{"<!--I-->",
         I("<itunes:season>1</itunes:season><itunes:episodeType>trailer</itunes:episodeType>")},
        {"<itunes:duration>3600</itunes:duration>",
         "<itunes:duration>3600</itunes:duration><itunes:season>1</"
         "itunes:season><itunes:episode>1</itunes:episode>"}},
       {}},
      // Decisions of 6.5: W3C's false positives for valid Apple tags are not copied.
      {"w3c_false_positives",
       {{"<!--C-->",
         C("<itunes:complete>Yes</itunes:complete><itunes:title>Test</itunes:title>"
           "<itunes:new-feed-url>https://feeds.example.com/show.xml</itunes:new-feed-url>")},
        {"<!--I-->", I("<itunes:isClosedCaptioned>Yes</itunes:isClosedCaptioned><itunes:order>1</"
                       "itunes:order>")}},
       {}},
  };
  return all;
}

ValidationReport run(const Case& c, std::string* doc_out = nullptr) {
  std::string doc = base_feed();
  for (const auto& [from, to] : c.edits) {
    doc = replace_once(doc, from, to);
  }
  if (doc_out != nullptr) {
    *doc_out = doc;
  }
  ValidateOptions o;
  o.profile = c.profile;
  return validate_feed(doc, o);
}

class ValidatorCases : public ::testing::TestWithParam<Case> {};

TEST_P(ValidatorCases, ProducesExactlyTheExpectedRules) {
  const Case& c = GetParam();
  ValidationReport r = run(c);
  std::vector<std::string> want = c.rules;
  std::sort(want.begin(), want.end());
  EXPECT_EQ(sorted_rules(r), want) << r.to_text();
  if (!c.message.empty()) {
    bool found = std::any_of(r.findings.begin(), r.findings.end(),
                             [&](const Finding& f) { return f.message == c.message; });
    EXPECT_TRUE(found) << "no finding with message: " << c.message << "\n" << r.to_text();
  }
  for (const Finding& f : r.findings) {
    EXPECT_EQ(f.message.find('\n'), std::string::npos) << f.to_string();
  }
}

INSTANTIATE_TEST_SUITE_P(Validator, ValidatorCases, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& param) {
                           return std::string(param.param.name);
                         });

// Every rule in the case table has a case (a guard against silently dropped rules).
TEST(ValidatorCoverage, TableCoversTheRules) {
  std::vector<std::string> covered;
  for (const Case& c : cases()) {
    covered.insert(covered.end(), c.rules.begin(), c.rules.end());
  }
  for (const char* rule :
       {"XML-E01", "XML-E02", "XML-E03", "XML-E04", "XML-E05", "XML-E06", "RSS-E01", "RSS-E02",
        "RSS-E03", "RSS-E04", "RSS-E05", "RSS-E06", "RSS-E07", "RSS-E08", "RSS-E09", "RSS-E10",
        "RSS-E11", "RSS-W01", "RSS-W02", "RSS-W03", "RSS-W04", "RSS-W05", "RSS-W06", "RSS-W07",
        "RSS-W08", "RSS-W09", "APL-E01", "APL-E02", "APL-E04", "APL-E05", "APL-E06", "APL-E07",
        "APL-E08", "APL-E09", "APL-E10", "APL-E11", "APL-E12", "APL-E13", "APL-E14", "APL-E15",
        "APL-E16", "APL-E17", "APL-E18", "APL-W01", "APL-W02", "APL-W03", "APL-W04", "APL-W05",
        "APL-W06", "APL-W07", "APL-W08", "APL-W09", "APL-W10", "APL-W11", "APL-W14", "APL-W15",
        "P20-E01", "P20-E02", "P20-E03", "P20-E04", "P20-E05", "P20-E06", "P20-E07", "P20-E08",
        "P20-E09", "P20-E10", "P20-E11", "P20-E12", "P20-E13", "P20-E14", "P20-E15", "P20-E16",
        "P20-E17", "P20-E18", "P20-E19", "P20-E20", "P20-E21", "P20-E22", "P20-E23", "P20-E24",
        "P20-E25", "P20-E26", "P20-E27", "P20-W01", "P20-W02", "P20-W03", "P20-W04", "P20-W05",
        "P20-W06", "P20-W07", "P20-W08", "P20-W09", "P20-W10", "P20-W11", "P20-W12", "P20-W13",
        "P20-W14", "P20-W15", "P20-W16", "P20-W17", "P20-W18", "P20-I01", "P20-I02", "APL-I01",
        "APL-I02"}) {
    EXPECT_NE(std::find(covered.begin(), covered.end(), rule), covered.end()) << rule;
  }
}

// ---- Corpus files ----------------------------------------------------------------------------

std::vector<std::filesystem::path> corpus_files() {
  std::vector<std::filesystem::path> files;
  for (const char* dir : {"good", "bad"}) {
    for (const auto& e :
         std::filesystem::directory_iterator(testing::test_data_dir() / "feeds" / dir)) {
      if (e.path().extension() == ".xml") {
        files.push_back(e.path());
      }
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(ValidatorCorpus, EachFileProducesItsExpectedRules) {
  auto files = corpus_files();
  ASSERT_GE(files.size(), 10u);
  for (const auto& path : files) {
    std::string doc = testing::read_file(path);
    ValidateOptions o;
    o.feed_url = testing_util::feed_url_of(doc);
    ValidationReport r = validate_feed(doc, o);
    EXPECT_EQ(sorted_rules(r), expected_rules(doc)) << path.filename() << "\n" << r.to_text();
    if (path.parent_path().filename() == "good") {
      EXPECT_EQ(r.errors(), 0) << path.filename() << "\n" << r.to_text();
    }
  }
}

// ---- Messages, paths and lines ---------------------------------------------------------------

TEST(ValidatorMessages, ApplesOwnSampleDateHasTheWrongWeekday) {
  ValidationReport r = validate_feed(replace_once(base_feed(), "Wed, 03 Apr 2024 02:06:28 +0000",
                                                  "Wed, 15 Jun 2019 19:00:00 GMT"));
  // The second item is now newer than the first, hence APL-W15 as well.
  ASSERT_EQ(sorted_rules(r), (std::vector<std::string>{"APL-W15", "RSS-E05"})) << r.to_text();
  const Finding& f = r.findings[0];
  EXPECT_EQ(f.rule, "RSS-E05");
  EXPECT_EQ(f.severity, Severity::error);
  EXPECT_EQ(f.element, "rss/channel/item[1]/pubDate");
  EXPECT_EQ(f.message, "pubDate 'Wed, 15 Jun 2019 19:00:00 GMT': 15 Jun 2019 was a Saturday");
}

TEST(ValidatorPaths, ElementPathsAndLinesPointAtTheElement) {
  std::string doc = replace_once(
      replace_once(base_feed(), "<!--I-->",
                   "<podcast:transcript url=\"https://cdn.example.com/a.vtt\" type=\"text/srt\"/>\n"
                   "      <podcast:transcript url=\"https://cdn.example.com/b.vtt\" "
                   "type=\"text/vtt\" rel=\"cc\"/>"),
      "Wed, 27 Mar 2024 10:00:00 +0000", "Wed, 27 Mar 24 10:00:00 +0000");
  ValidationReport r = validate_feed(doc);
  ASSERT_EQ(r.findings.size(), 3u) << r.to_text();
  auto line_of = [&](std::string_view needle) {
    std::size_t at = doc.find(needle);
    return 1 + static_cast<int>(std::count(doc.begin(), doc.begin() + static_cast<long>(at), '\n'));
  };
  EXPECT_EQ(r.findings[0].element, "rss/channel/item[1]/podcast:transcript[2]");
  EXPECT_EQ(r.findings[0].rule, "P20-W01");
  EXPECT_EQ(r.findings[0].line, line_of("type=\"text/srt\""));
  EXPECT_EQ(r.findings[1].element, "rss/channel/item[1]/podcast:transcript[3]");
  EXPECT_EQ(r.findings[1].rule, "P20-W02");
  EXPECT_EQ(r.findings[1].line, line_of("rel=\"cc\""));
  EXPECT_EQ(r.findings[2].element, "rss/channel/item[2]/pubDate");
  EXPECT_EQ(r.findings[2].line, line_of("Wed, 27 Mar 24"));
}

TEST(ValidatorPaths, TitleHeuristicNamesTheTitle) {
  std::string doc =
      replace_once(base_feed(), "<title>Second wind</title>", "<title>S02E05 Second wind</title>");
  ValidationReport r = validate_feed(doc);
  ASSERT_EQ(r.findings.size(), 1u) << r.to_text();
  EXPECT_EQ(r.findings[0].rule, "APL-W08");
  EXPECT_EQ(r.findings[0].element, "rss/channel/item[2]/title");
}

TEST(ValidatorPaths, ParseErrorsReportLineAndColumn) {
  std::string doc =
      replace_once(base_feed(), "<title>Second wind</title>", "<title>Second wind</tilte>");
  ValidationReport r = validate_feed(doc);
  ASSERT_EQ(r.findings.size(), 1u) << r.to_text();
  EXPECT_EQ(r.findings[0].rule, "XML-E01");
  EXPECT_EQ(r.findings[0].element, "");
  std::size_t at = doc.find("</tilte>");
  int line =
      1 + static_cast<int>(std::count(doc.begin(), doc.begin() + static_cast<long>(at), '\n'));
  EXPECT_EQ(r.findings[0].line, line);
  EXPECT_NE(r.findings[0].message.find("not well-formed XML"), std::string::npos);
}

TEST(ValidatorPaths, FindingsAreInDocumentOrder) {
  std::string doc =
      replace_once(replace_once(base_feed(), "<itunes:type>episodic</itunes:type>",
                                "<itunes:type>x</itunes:type>"),
                   "Wed, 27 Mar 2024 10:00:00 +0000", "Wed, 27 Mar 24 10:00:00 +0000");
  ValidationReport r = validate_feed(doc);
  ASSERT_EQ(r.findings.size(), 2u) << r.to_text();
  EXPECT_LT(r.findings[0].line, r.findings[1].line);
}

// Livewire checks only the first item; we check every one.
TEST(ValidatorItems, EveryItemIsChecked) {
  std::string doc = replace_once(base_feed(), "<itunes:duration>3600</itunes:duration>",
                                 "<itunes:duration>1:2:3</itunes:duration>");
  ValidationReport r = validate_feed(doc);
  ASSERT_EQ(r.findings.size(), 1u) << r.to_text();
  EXPECT_EQ(r.findings[0].element, "rss/channel/item[2]/itunes:duration");
}

// ---- Sources -----------------------------------------------------------------------------------

TEST(ValidatorSources, ItemAndChannelFindingsNameTheirContentFile) {
  std::string doc =
      replace_once(replace_once(base_feed(), "<itunes:type>episodic</itunes:type>",
                                "<itunes:type>x</itunes:type>"),
                   "Wed, 27 Mar 2024 10:00:00 +0000", "Wed, 27 Mar 24 10:00:00 +0000");
  doc = replace_once(doc, "<title>Test Show</title>", "<title>Test Show</title>\n    <ttl>x</ttl>");
  ValidateOptions o;
  o.channel_source = "show.toml";
  o.item_sources["6b0c5a3e-8f1d-4a53-9d0e-3c1b2a9f7e12"] = "episodes/002.md";
  o.item_sources["6b0c5a3e-8f1d-4a53-9d0e-3c1b2a9f7e11"] = "episodes/001.md";
  o.size_limit = 100;  // a document-level finding carries no source
  ValidationReport r = validate_feed(doc, o);
  std::map<std::string, std::string> by_rule;
  for (const Finding& f : r.findings) {
    by_rule[f.rule] = f.source;
  }
  EXPECT_EQ(by_rule["RSS-E04"], "show.toml");
  EXPECT_EQ(by_rule["APL-E06"], "show.toml");
  EXPECT_EQ(by_rule["RSS-W04"], "episodes/002.md");
  EXPECT_EQ(by_rule["XML-E07"], "");
  EXPECT_EQ(r.findings.size(), 4u) << r.to_text();
}

// ---- Options -------------------------------------------------------------------------------

TEST(ValidatorOptions, SelfLinkMustMatchTheFeedUrl) {
  ValidateOptions o;
  o.feed_url = "https://feeds.example.com/other.xml";
  ValidationReport r = validate_feed(base_feed(), o);
  EXPECT_EQ(sorted_rules(r), (std::vector<std::string>{"P20-W06", "RSS-W01"})) << r.to_text();
}

TEST(ValidatorOptions, FutureDatesNeedNow) {
  ValidateOptions o;
  o.now = 1711000000;  // 2024-03-21, before the first item
  ValidationReport r = validate_feed(base_feed(), o);
  EXPECT_EQ(sorted_rules(r), (std::vector<std::string>{"APL-W15", "APL-W15"})) << r.to_text();
}

TEST(ValidatorOptions, SizeLimits) {
  ValidateOptions o;
  o.size_limit = 1000;
  ValidationReport r = validate_feed(base_feed(), o);
  EXPECT_EQ(sorted_rules(r), (std::vector<std::string>{"XML-E07"})) << r.to_text();
  EXPECT_EQ(r.findings[0].element, "");
  // 2 MB -> info only.
  std::string big =
      replace_once(base_feed(), "<!--C-->", "<!--" + std::string(2'100'000, 'x') + "-->");
  r = validate_feed(big);
  EXPECT_EQ(sorted_rules(r), (std::vector<std::string>{"XML-I01"})) << r.to_text();
  // Above the limit; the 25 MB Podcast Index limit cannot be raised.
  o.size_limit = 100'000'000;
  std::string filler;
  filler.resize(25'000'001, 'x');
  std::string huge = replace_once(base_feed(), "<!--C-->", "<!--" + filler + "-->");
  r = validate_feed(huge, o);
  EXPECT_EQ(sorted_rules(r), (std::vector<std::string>{"XML-E07"})) << r.to_text();
}

TEST(ValidatorEncoding, Utf16IsRefusedWithXmlE06) {
  const std::string doc("\xFF\xFE<\0r\0s\0s\0/\0>\0", 14);
  ValidationReport r = validate_feed(doc);
  EXPECT_EQ(sorted_rules(r), std::vector<std::string>{"XML-E06"}) << r.to_text();
  ChannelResult ch = validate_channel(doc);
  EXPECT_FALSE(ch.parsed);
}

// ---- Date grammar --------------------------------------------------------------------------

TEST(ValidatorDates, StrictLooseInvalid) {
  using detail::check_rfc2822;
  using detail::DateGrade;
  struct Row {
    const char* value;
    DateGrade grade;
    bool wrong_weekday;
  };
  const Row rows[] = {
      {"Wed, 03 Apr 2024 02:06:28 +0000", DateGrade::strict, false},
      {"03 Apr 2024 02:06 GMT", DateGrade::strict, false},
      {"Wed, 3 Apr 2024 02:06:28 EST", DateGrade::strict, false},
      {"Wed, 03 Apr 2024 02:06:28 +0530", DateGrade::strict, false},
      {"Wed, 03 Apr 2024 02:06:28 Z", DateGrade::strict, false},
      {"Wed, 03 Apr 24 02:06:28 +0000", DateGrade::loose, false},
      {"Wed, 03 Apr 2024 02:06:28 +0545", DateGrade::loose, false},
      {"Wed, 03 Apr 2024 02:06:28 A", DateGrade::loose, false},
      {"wed, 03 apr 2024 02:06:28 gmt", DateGrade::loose, false},
      {"Wed,03 Apr 2024 02:06:28 +0000", DateGrade::loose, false},
      {"Wed, 03 Apr 2024 02:06:28", DateGrade::loose, false},
      {"Thu, 03 Apr 2024 02:06:28 +0000", DateGrade::strict, true},
      {"Wednesday, 03 Apr 2024 02:06:28 +0000", DateGrade::invalid, false},
      {"2024-04-03T02:06:28Z", DateGrade::invalid, false},
      {"Wed, 03 Apr 2024 02:06:28 J", DateGrade::invalid, false},
      {"Wed, 31 Apr 2024 02:06:28 +0000", DateGrade::invalid, false},
      {"Wed, 03 Apr 2024 24:06:28 +0000", DateGrade::invalid, false},
      {"Wed, 03 Apr 2024 02:06:28 CET", DateGrade::invalid, false},
      {"", DateGrade::invalid, false},
  };
  for (const Row& row : rows) {
    auto d = check_rfc2822(row.value);
    EXPECT_EQ(d.grade, row.grade) << row.value << " " << d.reason;
    EXPECT_EQ(d.wrong_weekday, row.wrong_weekday) << row.value;
  }
  EXPECT_EQ(*check_rfc2822("Wed, 03 Apr 2024 02:06:28 +0000").time, 1712110000 - 12);
  EXPECT_EQ(*check_rfc2822("Wed, 03 Apr 2024 04:06:28 +0200").time, 1712110000 - 12);
}

TEST(ValidatorValues, Grammars) {
  using namespace detail;
  EXPECT_TRUE(is_iso8601("2024-04-10T19:00:00.000-05:00", false));
  EXPECT_TRUE(is_iso8601("2024-04-10T19:00Z", false));
  EXPECT_FALSE(is_iso8601("2024-04-10", false));
  EXPECT_TRUE(is_iso8601("2024-04-10", true));
  EXPECT_FALSE(is_iso8601("2024-02-30T00:00:00Z", false));
  EXPECT_FALSE(is_iso8601("10/04/2024", true));
  EXPECT_TRUE(is_fqdn("irc.zeronode.net"));
  EXPECT_FALSE(is_fqdn("localhost"));
  EXPECT_FALSE(is_fqdn("https://irc.example.com"));
  EXPECT_EQ(parse_itunes_duration("3723"), 3723);
  EXPECT_EQ(parse_itunes_duration("62:03"), 3723);
  EXPECT_EQ(parse_itunes_duration("1:02:03"), 3723);
  EXPECT_FALSE(parse_itunes_duration("1:2:3"));
  EXPECT_FALSE(parse_itunes_duration("1:02:03:04"));
  EXPECT_FALSE(parse_itunes_duration(" 3723"));
  EXPECT_TRUE(is_language_code("en"));
  EXPECT_TRUE(is_language_code("en-us"));
  EXPECT_TRUE(is_language_code("fil"));
  EXPECT_FALSE(is_language_code("xx"));
  EXPECT_FALSE(is_language_code("english"));
  EXPECT_TRUE(is_email_with_name("jane@example.com (Jane Doe)"));
  EXPECT_FALSE(is_email_with_name("Jane Doe <jane@example.com>"));
  EXPECT_EQ(url_extension("https://cdn.example.com/a/b.MP3?x=1#y"), "mp3");
  EXPECT_EQ(url_extension("https://cdn.example.com/"), "");
  EXPECT_EQ(url_extension("https://cdn.example.com"), "");
}

}  // namespace
}  // namespace podcastd::feeds
