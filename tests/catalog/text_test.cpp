#include "catalog/text.hpp"

#include <gtest/gtest.h>

namespace podcastd::text {
namespace {

TEST(Utf8, AcceptsValidRejectsMalformed) {
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_TRUE(is_valid_utf8("Br\xC3\xBCggen \xE2\x80\x99 \xF0\x9F\x8E\x99"));
  EXPECT_FALSE(is_valid_utf8("\xC3"));              // truncated
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_EQ(first_invalid_utf8("ab\xFF"
                               "cd"),
            2u);
}

TEST(Trim, HandlesAsciiAndNoBreakSpace) {
  EXPECT_EQ(trim("  a b \t\r\n"), "a b");
  EXPECT_EQ(trim("\xC2\xA0x\xC2\xA0"), "x");
  EXPECT_EQ(trim(""), "");
}

TEST(SplitLines, HandlesCrlfAndTrailingNewline) {
  auto lines = split_lines("a\r\nb\n\nc\n");
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "a");
  EXPECT_EQ(lines[2], "");
  EXPECT_EQ(lines[3], "c");
}

TEST(ParseClock, Forms) {
  EXPECT_EQ(parse_clock("01:02:03"), 3723);
  EXPECT_EQ(parse_clock("1:02:03"), 3723);
  EXPECT_EQ(parse_clock("02:03"), 123);
  EXPECT_EQ(parse_clock("42"), 42);
  EXPECT_DOUBLE_EQ(*parse_clock("00:00:01.500"), 1.5);
  EXPECT_DOUBLE_EQ(*parse_clock("00:00:01,250"), 1.25);
  EXPECT_FALSE(parse_clock("00:60:00"));
  EXPECT_FALSE(parse_clock("1:2:3:4"));
  EXPECT_FALSE(parse_clock("ab:cd"));
  EXPECT_FALSE(parse_clock(""));
}

TEST(ParseHumanDuration, FormsSeenOnShowPages) {
  EXPECT_EQ(parse_human_duration("69 min"), 69 * 60);
  EXPECT_EQ(parse_human_duration("49min"), 49 * 60);
  EXPECT_EQ(parse_human_duration("1h 21min"), 81 * 60);
  EXPECT_EQ(parse_human_duration("1h"), 3600);
  EXPECT_EQ(parse_human_duration("1 hr 5 mins"), 65 * 60);
  EXPECT_EQ(parse_human_duration("3723"), 3723);
  EXPECT_EQ(parse_human_duration("1:02:03"), 3723);
  EXPECT_FALSE(parse_human_duration("soon"));
  EXPECT_FALSE(parse_human_duration("12 apples"));
  EXPECT_FALSE(parse_human_duration("5 5"));
}

TEST(FormatClock, Forms) {
  EXPECT_EQ(format_clock(3723), "01:02:03");
  EXPECT_EQ(format_clock(1.5, true), "00:00:01.500");
  EXPECT_EQ(format_clock(-3), "00:00:00");
}

TEST(Slugify, MakesAsciiSlugs) {
  EXPECT_EQ(slugify("Svix with Tom Hacohen"), "svix-with-tom-hacohen");
  EXPECT_EQ(slugify("Simon Br\xC3\xBCggen (M3t0r)"), "simon-brueggen-m3t0r");
  EXPECT_EQ(slugify("It\xE2\x80\x99s time -- again!"), "its-time-again");
  EXPECT_EQ(slugify("\xC8\x9A"
                    "ara Statele Unite"),
            "tara-statele-unite");
  EXPECT_EQ(slugify("!!!"), "");
  EXPECT_EQ(slugify("abcdef", 3), "abc");
}

TEST(Html, EscapeAndDecode) {
  EXPECT_EQ(html_escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
  EXPECT_EQ(decode_html_entities("&amp;&lt;&#39;&#x2019;&rsquo;&bogus;&#0;"),
            "&<'\xE2\x80\x99\xE2\x80\x99&bogus;&#0;");
}

TEST(Html, ToText) {
  EXPECT_EQ(html_to_text("<p>One &amp; two</p><p>Three</p>"), "One & two\n\nThree");
  EXPECT_EQ(html_to_text("<p>Intro</p><ul><li>a</li><li>b</li></ul><p>End<br>line</p>"),
            "Intro\n\n- a\n- b\n\nEnd\nline");
  EXPECT_EQ(html_to_text("<ul><li>a</li><li>b</li></ul>"), "- a\n- b");
  EXPECT_EQ(html_to_text("x<script>alert(1)</script>y"), "xy");
}

TEST(TruncateUtf8, NeverSplitsASequence) {
  EXPECT_EQ(truncate_utf8("short", 10), "short");
  std::string s = "\xC3\xBC\xC3\xBC\xC3\xBC\xC3\xBC";  // four u-umlauts, 8 bytes
  std::string t = truncate_utf8(s, 6);
  EXPECT_TRUE(is_valid_utf8(t));
  EXPECT_LE(t.size(), 6u);
}

TEST(IgnoredFileNames, EditorAndDownloadLeftovers) {
  for (const char* name : {".hidden", ".ep1.md.swp", "ep1.md~", "#ep1.md#", "ep.mp3.part",
                           "x.crdownload", "4913", "ep.tmp"}) {
    EXPECT_TRUE(is_ignored_file_name(name)) << name;
  }
  for (const char* name : {"ep1.md", "show.toml", "a.mp3", "a.transcript.json"}) {
    EXPECT_FALSE(is_ignored_file_name(name)) << name;
  }
}

}  // namespace
}  // namespace podcastd::text

namespace podcastd::text {
namespace {

TEST(Text, LanguageTagsInShape) {
  for (std::string_view good : {"en", "en-US", "de-CH-1996", "zh-Hant", "x-klingon"}) {
    EXPECT_TRUE(is_language_tag(good)) << good;
  }
  for (std::string_view bad : {"", "-", "en-", "1en", "en_US", "englishlanguage", "e n"}) {
    EXPECT_FALSE(is_language_tag(bad)) << bad;
  }
}

TEST(Text, GeoUrisInTheNamespacesShape) {
  for (std::string_view good :
       {"geo:30.2672,97.7431", "geo:-27.86,153.3;u=350", "GEO:1,2,3", "geo:0.5,-0.5",
        "geo:30.2711286,-97.7436995,250;u=350", "geo:-90,180;crs=wgs84"}) {
    EXPECT_TRUE(is_geo_uri(good)) << good;
  }
  for (std::string_view bad : {"", "geo:", "geo:1", "geo:1,2,3,4", "geo:a,b", "geo:1..2,3",
                               "30.2,97.7", "geo:-,1", "geo:91,0", "geo:0,-180.5", "geo:1.,2",
                               "geo:1,2;u=-3", "geo:1,2;=x", "geo:1,2;u=", "geo:1,2 "}) {
    EXPECT_FALSE(is_geo_uri(bad)) << bad;
  }
}

}  // namespace
}  // namespace podcastd::text

namespace podcastd::text {
namespace {

TEST(Text, LooksLikeHtml) {
  for (std::string_view html : {"<p>Hi</p>", "a <b>bold</b> move", "<!-- c -->", "x</i>"}) {
    EXPECT_TRUE(looks_like_html(html)) << html;
  }
  for (std::string_view plain : {"", "a < b", "1<2 and 3>2", "<3 you", "x <y", "<"}) {
    EXPECT_FALSE(looks_like_html(plain)) << plain;
  }
}

TEST(Text, EmailsAndOsmIdsInShape) {
  EXPECT_TRUE(is_email("host@example.com"));
  EXPECT_TRUE(is_email("first.last+tag@mail.example.co.uk"));
  for (std::string_view bad :
       {"", "@example.com", "host@", "host@example", "a@b@c.d", "Host <host@example.com>",
        "host @example.com", "a@b..cd", "a@.b.cd", "a@b.cd.", "a@b.cd-", "a(b@c.de", "a@b_c.de"}) {
    EXPECT_FALSE(is_email(bad)) << bad;
  }
  for (std::string_view good : {"R113314", "W5013364", "N1#2", "R7444#188"}) {
    EXPECT_TRUE(is_osm_id(good)) << good;
  }
  for (std::string_view bad : {"", "R", "X1", "R1#", "R1#a", "r1", "R1 ", "N1234567890123456789"}) {
    EXPECT_FALSE(is_osm_id(bad)) << bad;
  }
}

}  // namespace
}  // namespace podcastd::text

namespace podcastd::text {
namespace {

TEST(Text, CaseInsensitiveAsciiComparisons) {
  EXPECT_TRUE(iequals_ascii("Content-Type", "content-TYPE"));
  EXPECT_FALSE(iequals_ascii("gzip", "gzip2"));
  EXPECT_TRUE(istarts_with_ascii("Bytes=0-1", "bytes"));
  EXPECT_TRUE(icontains_ascii("The RUST Show, episode 1", "rust show"));
  EXPECT_TRUE(icontains_ascii("abc", ""));
  EXPECT_FALSE(icontains_ascii("ab", "abc"));
  EXPECT_FALSE(icontains_ascii("Grüße", "GRÜSSE"));  // ASCII only: no Unicode folding
  EXPECT_EQ(ascii_lower('Q'), 'q');
  EXPECT_EQ(ascii_lower('\xC4'), '\xC4');
}

}  // namespace
}  // namespace podcastd::text

namespace podcastd::text {
namespace {

TEST(Text, JsonNestingLimitIsFoundBeforeParsing) {
  // Four levels: { [ { [.
  EXPECT_EQ(json_nesting_over(R"({"a": [1, {"b": []}]})", 4), std::string_view::npos);
  EXPECT_EQ(json_nesting_over(R"({"a": [1, {"b": []}]})", 3), 16u);  // the fourth level's '['
  EXPECT_EQ(json_nesting_over(R"({"a": [1, {"b": []}]})", 2), 10u);  // the third level's '{'
  // Brackets inside strings (escaped quotes included) do not count.
  EXPECT_EQ(json_nesting_over(R"(["[[[[", "\"[[[["])", 1), std::string_view::npos);
  EXPECT_EQ(json_nesting_over(std::string(100, '['), 64), 64u);
}

}  // namespace
}  // namespace podcastd::text
