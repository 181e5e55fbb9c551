// validate_channel + validate_item + assemble_report must equal validate_feed on the spliced
// document; plus the fragment API's own contract and a timing run on a 10,000-item feed.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "catalog/time.hpp"
#include "feeds/validator.hpp"
#include "tests/feeds/validator_test_util.hpp"
#include "tests/support/test_support.hpp"

namespace podcastd::feeds {
namespace {

using testing_util::base_feed;
using testing_util::replace_once;
using testing_util::split_feed;

// Compares the two paths on one document; returns false when it cannot be split.
bool expect_equivalent(const std::string& doc, const ValidateOptions& options,
                       const std::string& name, bool with_channel_context) {
  auto split = split_feed(doc);
  if (!split) {
    return false;
  }
  EXPECT_EQ(
      split->skeleton.size() +
          [&] {
            std::size_t n = 0;
            for (const auto& f : split->fragments) {
              n += f.size();
            }
            return n;
          }(),
      doc.size());
  ValidationReport full = validate_feed(doc, options);
  ChannelResult channel = validate_channel(split->skeleton, options);
  if (!channel.parsed) {
    return false;  // no rss/channel to splice into
  }
  // Splicing at insert_offset reproduces the document.
  std::string spliced = split->skeleton.substr(0, channel.insert_offset);
  for (const auto& f : split->fragments) {
    spliced += f;
  }
  spliced += split->skeleton.substr(channel.insert_offset);
  EXPECT_EQ(spliced, doc) << name;
  std::vector<ItemResult> items;
  for (const auto& f : split->fragments) {
    items.push_back(validate_item(f, options, with_channel_context ? &channel : nullptr));
  }
  std::vector<const ItemResult*> ptrs;
  ptrs.reserve(items.size());
  for (const auto& r : items) {
    ptrs.push_back(&r);
  }
  ValidationReport assembled = assemble_report(channel, ptrs, options);
  EXPECT_EQ(assembled.to_text(), full.to_text()) << name;
  EXPECT_TRUE(assembled.findings == full.findings) << name;
  return true;
}

TEST(ValidatorIncremental, EquivalentOnTheCorpus) {
  int compared = 0;
  for (const char* dir : {"good", "bad"}) {
    for (const auto& e :
         std::filesystem::directory_iterator(testing::test_data_dir() / "feeds" / dir)) {
      std::string doc = testing::read_file(e.path());
      ValidationReport full = validate_feed(doc);
      bool malformed = false;
      for (const Finding& f : full.findings) {
        malformed = malformed || (f.rule == "XML-E01" && f.element.empty());
      }
      if (malformed) {
        continue;  // the contract covers well-formed documents
      }
      ValidateOptions o;
      o.feed_url = testing_util::feed_url_of(doc);
      o.channel_source = "show.toml";
      o.item_sources["6b0c5a3e-8f1d-4a53-9d0e-3c1b2a9f7e11"] = "episodes/001.md";
      compared += expect_equivalent(doc, o, e.path().filename().string(), true) ? 1 : 0;
    }
  }
  EXPECT_GE(compared, 20);
}

TEST(ValidatorIncremental, EquivalentWithDefaultBindings) {
  // The renderer's prefixes are canonical, so no channel context is needed.
  ASSERT_TRUE(expect_equivalent(base_feed(), {}, "base", false));
  std::string doc = testing::read_file(testing::test_data_dir() / "feeds/good/rich.xml");
  ASSERT_TRUE(expect_equivalent(doc, {}, "rich", false));
}

TEST(ValidatorIncremental, EquivalentWithCrossItemDefects) {
  ValidateOptions o;
  o.now = 1711000000;
  o.size_limit = 1000;
  std::string doc =
      replace_once(replace_once(base_feed(), "6b0c5a3e-8f1d-4a53-9d0e-3c1b2a9f7e12",
                                "6b0c5a3e-8f1d-4a53-9d0e-3c1b2a9f7e11"),
                   "<itunes:type>episodic</itunes:type>", "<itunes:type>serial</itunes:type>");
  doc = replace_once(doc, "ep1.mp3", "ep2.mp3");
  doc = replace_once(doc, "<!--I-->",
                     "<podcast:person>Guest</podcast:person>\n      <title>Again</title>\n"
                     "      <itunes:author>A & B</itunes:author>");
  ASSERT_TRUE(expect_equivalent(doc, o, "cross", true));
}

TEST(ValidatorIncremental, FragmentLinesAndPathsAreItemRelative) {
  std::string fragment =
      "\n    <item>\n"
      "      <title>One</title>\n"
      "      <enclosure url=\"https://cdn.example.com/1.mp3\" type=\"audio/mpeg\"/>\n"
      "      <guid isPermaLink=\"false\">abc-1</guid>\n"
      "      <pubDate>Wed, 03 Apr 2024 02:06:28 +0000</pubDate>\n"
      "      <itunes:episode>x</itunes:episode>\n"
      "    </item>\n";
  ItemResult r = validate_item(fragment);
  ASSERT_TRUE(r.parsed);
  EXPECT_EQ(r.leading_lines, 1);
  EXPECT_EQ(r.line_count, 8);
  EXPECT_EQ(r.bytes, fragment.size());
  ASSERT_EQ(r.findings.size(), 2u) << ValidationReport{r.findings}.to_text();
  EXPECT_EQ(r.findings[0].rule, "RSS-E07");
  EXPECT_EQ(r.findings[0].element, "item/enclosure");
  EXPECT_EQ(r.findings[0].line, 3);
  EXPECT_EQ(r.findings[1].rule, "APL-E09");
  EXPECT_EQ(r.findings[1].element, "item/itunes:episode");
  EXPECT_EQ(r.findings[1].line, 6);
  EXPECT_EQ(r.facts.guid, "abc-1");
  EXPECT_TRUE(r.facts.has_guid);
  EXPECT_EQ(r.facts.guid_line, 4);
  EXPECT_EQ(r.facts.enclosure_url, "https://cdn.example.com/1.mp3");
  EXPECT_EQ(r.facts.pub_date, 1712109988);
  EXPECT_TRUE(r.facts.has_itunes_episode);
  EXPECT_EQ(r.facts.title, "One");
}

TEST(ValidatorIncremental, MalformedFragmentIsAnError) {
  ItemResult r = validate_item("  <item><title>x</item>\n");
  EXPECT_FALSE(r.parsed);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].rule, "XML-E01");
  EXPECT_EQ(r.findings[0].element, "item");
  r = validate_item("<title>x</title>");
  EXPECT_FALSE(r.parsed);
  r = validate_item("<item><title>x</title></item><item/>");
  EXPECT_TRUE(r.parsed);
  EXPECT_EQ(r.findings[0].rule, "XML-E01");
}

TEST(ValidatorIncremental, OneEditRevalidatesOneItem) {
  auto split = split_feed(base_feed());
  ASSERT_TRUE(split);
  ChannelResult channel = validate_channel(split->skeleton);
  ItemResult first = validate_item(split->fragments[0], {}, &channel);
  ItemResult second = validate_item(split->fragments[1], {}, &channel);
  EXPECT_TRUE(assemble_report(channel, {&first, &second}).findings.empty());
  // Edit the second episode only: its guid now collides with the first (a cross-item rule).
  ItemResult edited =
      validate_item(replace_once(split->fragments[1], "7e12", "7e11"), {}, &channel);
  ValidationReport r = assemble_report(channel, {&first, &edited});
  ASSERT_EQ(r.findings.size(), 1u) << r.to_text();
  EXPECT_EQ(r.findings[0].rule, "RSS-E08");
  EXPECT_EQ(r.findings[0].element, "rss/channel/item[2]/guid");
}

// ---- Timing ------------------------------------------------------------------------------------

std::string big_feed(int items, std::vector<std::string>* fragments, std::string* skeleton) {
  std::string doc = base_feed();
  std::size_t first = doc.find("    <item>");
  std::size_t end = doc.find("  </channel>");
  std::string head = doc.substr(0, first), tail = doc.substr(end);
  std::string notes(1400, 'n');  // ~2 KB per item: 10,000 items ~ 20 MB
  std::string body;
  for (int k = 0; k < items; ++k) {
    char guid[64];
    std::snprintf(guid, sizeof guid, "6b0c5a3e-8f1d-4a53-9d0e-%012d", k);
    std::int64_t t = 1712109988 - static_cast<std::int64_t>(k) * 3600;
    std::string item =
        "    <item>\n"
        "      <title>Story number " +
        std::to_string(items - k) +
        "</title>\n"
        "      <description><![CDATA[<p>" +
        notes +
        "</p>]]></description>\n"
        "      <enclosure url=\"https://cdn.example.com/e" +
        std::to_string(k) +
        ".mp3\" length=\"48123456\" type=\"audio/mpeg\"/>\n"
        "      <guid isPermaLink=\"false\">" +
        guid +
        "</guid>\n"
        "      <pubDate>" +
        timefmt::format_rfc2822(t) +
        "</pubDate>\n"
        "      <itunes:duration>3007</itunes:duration>\n"
        "      <itunes:episode>" +
        std::to_string(items - k) +
        "</itunes:episode>\n"
        "      <itunes:explicit>false</itunes:explicit>\n"
        "      <podcast:transcript url=\"https://cdn.example.com/e" +
        std::to_string(k) +
        ".vtt\" type=\"text/vtt\" rel=\"captions\"/>\n"
        "      <podcast:chapters url=\"https://cdn.example.com/e" +
        std::to_string(k) +
        ".json\" type=\"application/json+chapters\"/>\n"
        "      <podcast:person role=\"host\">Jane Doe</podcast:person>\n"
        "      <podcast:person role=\"guest\">Guest " +
        std::to_string(k) +
        "</podcast:person>\n"
        "    </item>\n";
    if (fragments != nullptr) {
      fragments->push_back(item);
    }
    body += item;
  }
  if (skeleton != nullptr) {
    *skeleton = head + tail;
  }
  return head + body + tail;
}

TEST(ValidatorPerf, TenThousandItems) {
#ifdef NDEBUG
  const int n = 10000;
#else
  const int n =
      std::getenv("PODCASTD_PERF_ITEMS") ? std::atoi(std::getenv("PODCASTD_PERF_ITEMS")) : 1000;
#endif
  std::vector<std::string> fragments;
  std::string skeleton;
  std::string doc = big_feed(n, &fragments, &skeleton);
  ValidateOptions o;
  o.size_limit = 25'000'000;
  using clock = std::chrono::steady_clock;
  auto t0 = clock::now();
  ValidationReport full = validate_feed(doc, o);
  auto t1 = clock::now();
  ChannelResult channel = validate_channel(skeleton, o);
  auto t2 = clock::now();
  ItemResult one = validate_item(fragments[n / 2], o, &channel);
  auto t3 = clock::now();
  std::vector<ItemResult> items;
  items.reserve(fragments.size());
  for (const auto& f : fragments) {
    items.push_back(validate_item(f, o, &channel));
  }
  std::vector<const ItemResult*> ptrs;
  ptrs.reserve(items.size());
  for (const auto& r : items) {
    ptrs.push_back(&r);
  }
  auto t4 = clock::now();
  ValidationReport assembled = assemble_report(channel, ptrs, o);
  auto t5 = clock::now();
  auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
  std::printf(
      "[perf] %d items, %zu bytes: full %.1f ms; channel %.2f ms; one item %.3f ms; "
      "assemble %.1f ms (all items %.1f ms)\n",
      n, doc.size(), ms(t0, t1), ms(t1, t2), ms(t2, t3), ms(t4, t5), ms(t3, t4));
  EXPECT_EQ(full.errors(), 0) << full.to_text().substr(0, 2000);
  EXPECT_TRUE(assembled.findings == full.findings);
  EXPECT_TRUE(one.parsed);
}

}  // namespace
}  // namespace podcastd::feeds
