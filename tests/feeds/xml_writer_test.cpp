#include "feeds/xml_writer.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>

namespace podcastd::feeds::xml {
namespace {

std::string cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) {
    out += p;
  }
  return out;
}

std::string text(std::string_view s) {
  std::string out;
  append_text(out, s);
  return out;
}
std::string attribute(std::string_view s) {
  std::string out;
  append_attribute(out, s);
  return out;
}
std::string cdata(std::string_view s) {
  std::string out;
  append_cdata(out, s);
  return out;
}

TEST(XmlWriter, EscapesMarkupInText) {
  EXPECT_EQ(text("Tom & Jerry <3 > all"), "Tom &amp; Jerry &lt;3 &gt; all");
  EXPECT_EQ(text("say \"hi\" it's"), "say \"hi\" it's");
  EXPECT_EQ(text("a\tb\nc\rd"), "a\tb\nc\rd");
}

TEST(XmlWriter, EscapesQuotesAndWhitespaceInAttributes) {
  EXPECT_EQ(attribute("a&b<c>\"d\" 'e'"), "a&amp;b&lt;c&gt;&quot;d&quot; &apos;e&apos;");
  EXPECT_EQ(attribute("line1\nline2\tx\ry"), "line1&#10;line2&#9;x&#13;y");
}

TEST(XmlWriter, AppendsToExistingOutput) {
  std::string out = "<a>";
  append_text(out, "x&y");
  out += "</a>";
  EXPECT_EQ(out, "<a>x&amp;y</a>");
}

TEST(XmlWriter, PreservesUtf8) {
  const std::string s = "Caf\xC3\xA9 \xE2\x98\x95 \xF0\x9F\x98\x80 \xE4\xB8\xAD";
  EXPECT_EQ(text(s), s);
  EXPECT_EQ(attribute(s), s);
  EXPECT_EQ(sanitize(s), s);
}

TEST(XmlWriter, DropsControlCharactersXmlForbids) {
  EXPECT_EQ(text(std::string("a\x01"
                             "b\x08"
                             "c\x0B"
                             "d\x0C"
                             "e\x1F"
                             "f",
                             11)),
            "abcdef");
  EXPECT_EQ(text(std::string("a\0b", 3)), "ab");
  EXPECT_EQ(attribute("x\x1By"), "xy");
}

TEST(XmlWriter, DropsNonCharactersAndMalformedUtf8) {
  EXPECT_EQ(text("a\xEF\xBF\xBE"
                 "b\xEF\xBF\xBF"
                 "c"),
            "abc");  // U+FFFE, U+FFFF
  EXPECT_EQ(text("a\xED\xA0\x80"
                 "b"),
            "ab");  // a surrogate
  EXPECT_EQ(text("a\xC0\xAF"
                 "b"),
            "ab");  // overlong '/'
  EXPECT_EQ(text("a\xE0\x80\xAF"
                 "b"),
            "ab");  // overlong
  EXPECT_EQ(text("a\xF4\x90\x80\x80"
                 "b"),
            "ab");  // > U+10FFFF
  EXPECT_EQ(text("a\xFF"
                 "b\x80"
                 "c"),
            "abc");                   // stray bytes
  EXPECT_EQ(text("caf\xC3"), "caf");  // truncated at end
  EXPECT_EQ(text("\xE2\x82"
                 "x"),
            "x");                                           // truncated inside
  EXPECT_EQ(text("\xEF\xBF\xBD"), "\xEF\xBF\xBD");          // U+FFFD is fine
  EXPECT_EQ(text("\xF4\x8F\xBF\xBF"), "\xF4\x8F\xBF\xBF");  // U+10FFFF is fine
  EXPECT_EQ(text("\xC2\x85"), "\xC2\x85");  // C1 controls are allowed (if discouraged)
}

TEST(XmlWriter, WrapsCdata) {
  EXPECT_EQ(cdata("<p>a & b</p>"), "<![CDATA[<p>a & b</p>]]>");
  EXPECT_EQ(cdata(""), "<![CDATA[]]>");
}

TEST(XmlWriter, SplitsCdataAroundEndMarker) {
  EXPECT_EQ(cdata("a]]>b"), "<![CDATA[a]]]]><![CDATA[>b]]>");
  EXPECT_EQ(cdata("]]>"), "<![CDATA[]]]]><![CDATA[>]]>");
  EXPECT_EQ(cdata("]]]>"), "<![CDATA[]]]]]><![CDATA[>]]>");
  EXPECT_EQ(cdata("x]]>]]>y"), "<![CDATA[x]]]]><![CDATA[>]]]]><![CDATA[>y]]>");
  EXPECT_EQ(cdata("a]b]]c]"), "<![CDATA[a]b]]c]]]>");
}

TEST(XmlWriter, DropsForbiddenCharactersInCdata) {
  EXPECT_EQ(cdata("a\x02"
                  "b\xFF"
                  "c"),
            "<![CDATA[abc]]>");
}

TEST(XmlWriter, SanitizeKeepsMarkup) {
  EXPECT_EQ(sanitize("<b>&amp;</b>\x07"), "<b>&amp;</b>");
  std::string out = "x";
  append_sanitized(out, "y\x01z");
  EXPECT_EQ(out, "xyz");
}

// The escaper skips 16-byte blocks that need nothing: put each kind of special byte at every
// offset around the block boundaries.
TEST(XmlWriter, SpecialBytesAtEveryOffset) {
  struct Case {
    std::string in;
    std::string text;
    std::string attribute;
  };
  const Case cases[] = {{"&", "&amp;", "&amp;"},
                        {"<", "&lt;", "&lt;"},
                        {">", "&gt;", "&gt;"},
                        {"\"", "\"", "&quot;"},
                        {"\n", "\n", "&#10;"},
                        {"\x01", "", ""},
                        {"\xC3\xA9", "\xC3\xA9", "\xC3\xA9"},
                        {"\xE2\x82\xAC", "\xE2\x82\xAC", "\xE2\x82\xAC"},
                        {"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"},
                        {"\xFF", "", ""},
                        {"\xEF\xBF\xBF", "", ""}};
  for (const Case& c : cases) {
    for (std::size_t pos = 0; pos <= 40; ++pos) {
      const std::string before(pos, 'a');
      const std::string after(40 - pos, 'b');
      const std::string in = cat({before, c.in, after});
      EXPECT_EQ(text(in), cat({before, c.text, after})) << pos;
      EXPECT_EQ(attribute(in), cat({before, c.attribute, after})) << pos;
    }
  }
  for (std::size_t pos = 0; pos <= 40; ++pos) {
    const std::string before(pos, 'a');
    EXPECT_EQ(cdata(cat({before, "]]>", before})),
              cat({"<![CDATA[", before, "]]]]><![CDATA[>", before, "]]>"}))
        << pos;
    // A sequence cut by the end of the input.
    EXPECT_EQ(text(cat({before, "\xE2\x82"})), before) << pos;
  }
}

TEST(XmlWriter, LongInputRoundTrips) {
  std::string s;
  for (int i = 0; i < 10000; ++i) {
    s += "plain ascii text with caf\xC3\xA9 ";
  }
  EXPECT_EQ(text(s), s);
  EXPECT_EQ(sanitize(s), s);
}

}  // namespace
}  // namespace podcastd::feeds::xml
