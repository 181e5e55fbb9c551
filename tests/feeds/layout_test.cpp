#include "feeds/layout.hpp"

#include <gtest/gtest.h>

namespace podcastd::feeds {
namespace {

TEST(Layout, PathsAndUrls) {
  EXPECT_EQ(feed_path("rip"), "rip/feed.xml");
  EXPECT_EQ(episode_slug("rip/2025/Svix with Tom"), "svix-with-tom");
  EXPECT_EQ(episode_slug("rip/page.txt#holiday-episode"), "holiday-episode");
  EXPECT_EQ(episode_slug("rip/!!!"), "episode");
  EXPECT_EQ(episode_dir("rip", "ep1"), "rip/episodes/ep1");
  EXPECT_EQ(media_path("rip", "rip/2025/Final Mix.MP3", "3fa9c2d1deadbeef"),
            "rip/media/final-mix-3fa9c2d1.mp3");
  EXPECT_EQ(media_path("rip", "rip/ep.mp3", "0123456789", "-art", ".png"),
            "rip/media/ep-art-01234567.png");
  EXPECT_EQ(percent_encode_path("a b/ü?.mp3"), "a%20b/%C3%BC%3F.mp3");
  EXPECT_EQ(percent_encode("https://ex.com/feed.xml?a=1&b=2 c"),
            "https%3A%2F%2Fex.com%2Ffeed.xml%3Fa%3D1%26b%3D2%20c");
  EXPECT_EQ(percent_encode("A-z_0.9~"), "A-z_0.9~");
  EXPECT_EQ(public_url_of("https://x.example/", "rip/feed.xml"), "https://x.example/rip/feed.xml");
}

}  // namespace
}  // namespace podcastd::feeds
