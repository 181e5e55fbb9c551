#include "catalog/hash.hpp"

#include <gtest/gtest.h>

namespace podcastd::hash {
namespace {

TEST(Sha1, KnownVectors) {
  auto hex = [](std::string_view s) {
    Sha1Digest d = sha1(s);
    return to_hex(d.data(), d.size());
  };
  EXPECT_EQ(hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  EXPECT_EQ(hex(std::string(1000000, 'a')), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

// The test vectors of STANDARDS.md 3.3 (checked there with Python's uuid.uuid5).
TEST(PodcastGuid, MatchesNamespaceTestVectors) {
  EXPECT_EQ(podcast_guid("https://mp3s.nashownotes.com/pc20rss.xml"),
            "917393e3-1b1e-5cef-ace4-edaa54e1f810");
  EXPECT_EQ(podcast_guid("podnews.net/rss"), "9b024349-ccf0-5f69-a609-6b82873eab3c");
  EXPECT_EQ(podcast_guid("http://feeds.podcastindex.org/pc20.xml/"),
            "d5a1ae35-5e8b-599a-943b-95609562016d");
}

TEST(PodcastGuid, StripsEveryTrailingSlashButKeepsCaseAndQuery) {
  EXPECT_EQ(podcast_guid("https://podnews.net/rss///"), podcast_guid("podnews.net/rss"));
  EXPECT_NE(podcast_guid("https://PODNEWS.net/rss"), podcast_guid("podnews.net/rss"));
  EXPECT_NE(podcast_guid("https://podnews.net/rss?x=1"), podcast_guid("podnews.net/rss"));
}

TEST(UuidV5, VersionAndVariantBits) {
  std::string u = uuid_v5(kUrlNamespace, "https://example.com/a.mp3");
  ASSERT_TRUE(is_uuid(u));
  EXPECT_EQ(u[14], '5');
  EXPECT_TRUE(u[19] == '8' || u[19] == '9' || u[19] == 'a' || u[19] == 'b');
  EXPECT_EQ(uuid_v5("not-a-uuid", "x"), "");
}

TEST(IsUuid, RejectsMalformed) {
  EXPECT_TRUE(is_uuid("917393e3-1b1e-5cef-ace4-edaa54e1f810"));
  EXPECT_FALSE(is_uuid("917393e3-1b1e-5cef-ace4-edaa54e1f81"));
  EXPECT_FALSE(is_uuid("917393e3x1b1e-5cef-ace4-edaa54e1f810"));
  EXPECT_FALSE(is_uuid("y0ur-gu1d-g035-h3r3"));
}

TEST(Hash64, MatchesXxh64ReferenceValues) {
  // Reference values of XXH64 with seed 0.
  EXPECT_EQ(hex64(hash64("")), "ef46db3751d8e999");
  EXPECT_EQ(hex64(hash64("a")), "d24ec4f1a98c6e5b");
  EXPECT_EQ(hex64(hash64("abc")), "44bc2cf5ad770999");
}

TEST(Hash64, StreamingEqualsOneShot) {
  std::string data;
  for (int i = 0; i < 1000; ++i) data += static_cast<char>('a' + i % 26);
  for (std::size_t split : {0u, 1u, 7u, 31u, 32u, 33u, 64u, 500u, 999u}) {
    Hasher64 h;
    h.update(std::string_view(data).substr(0, split));
    h.update(std::string_view(data).substr(split));
    EXPECT_EQ(h.digest(), hash64(data)) << "split at " << split;
  }
}

}  // namespace
}  // namespace podcastd::hash
