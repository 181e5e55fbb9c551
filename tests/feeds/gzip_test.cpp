#include "feeds/gzip.hpp"

#include <gtest/gtest.h>

#include "tests/support/test_support.hpp"

namespace podcastd::feeds {
namespace {

using podcastd::testing::run_command;
using podcastd::testing::shell_quote;
using podcastd::testing::TempDir;
using podcastd::testing::write_file;

TEST(Gzip, SplicedSegmentsInflateToTheConcatenation) {
  std::string a = "<rss><channel><title>x</title>\n";
  std::string b;
  for (int i = 0; i < 500; ++i)
    b += "  <item><title>Episode " + std::to_string(i) + "</title></item>\n";
  std::string c = "</channel></rss>\n";
  DeflateSegment sa = deflate_segment(a), sb = deflate_segment(b), sc = deflate_segment(c);
  DeflateSegment empty = deflate_segment("");
  std::string gz = assemble_gzip({&sa, &sb, &empty, &sc});
  std::string out;
  ASSERT_TRUE(gunzip(gz, out));
  EXPECT_EQ(out, a + b + c);
  EXPECT_LT(gz.size(), (a + b + c).size() / 4);
}

TEST(Gzip, TheGzipToolAcceptsIt) {
  TempDir dir;
  std::string raw;
  for (int i = 0; i < 2000; ++i) raw += "line " + std::to_string(i) + "\n";
  DeflateSegment s1 = deflate_segment(raw.substr(0, 5000), 1);
  DeflateSegment s2 = deflate_segment(raw.substr(5000), 9);
  write_file(dir / "f.gz", assemble_gzip({&s1, &s2}));
  auto r = run_command("gzip -t " + shell_quote((dir / "f.gz").string()) + " && gzip -dc " +
                       shell_quote((dir / "f.gz").string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, raw);
}

TEST(Gzip, SegmentsCompressedAgainstTheirPredecessorSpliceAndShrink) {
  std::string head = "<rss><channel>\n";
  std::vector<std::string> items;
  for (int i = 0; i < 200; ++i) {
    items.push_back("    <item><title>Episode " + std::to_string(i) +
                    "</title><description>Same words in every item, again and again.</description>"
                    "<enclosure url=\"https://cdn.example/e.mp3\" type=\"audio/mpeg\"/></item>\n");
  }
  std::string tail = "</channel></rss>\n";
  std::vector<DeflateSegment> chained, alone;
  chained.push_back(deflate_segment(head));
  alone.push_back(deflate_segment(head));
  std::string_view before = head;
  for (const std::string& item : items) {
    chained.push_back(deflate_segment(item, 6, before));
    alone.push_back(deflate_segment(item));
    before = item;
  }
  chained.push_back(deflate_segment(tail, 6, before));
  alone.push_back(deflate_segment(tail));
  std::vector<const DeflateSegment*> cp, ap;
  for (const auto& s : chained) cp.push_back(&s);
  for (const auto& s : alone) ap.push_back(&s);
  std::string raw = head;
  for (const std::string& item : items) raw += item;
  raw += tail;
  std::string out;
  ASSERT_TRUE(gunzip(assemble_gzip(cp), out));
  EXPECT_EQ(out, raw);
  EXPECT_LT(assemble_gzip(cp).size() * 3, assemble_gzip(ap).size());
}

TEST(Gzip, OneShotIsReproducible) {
  EXPECT_EQ(gzip("same input"), gzip("same input"));
  std::string out;
  EXPECT_FALSE(gunzip("not gzip", out));
}

}  // namespace
}  // namespace podcastd::feeds
