#include "feeds/atomic_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/support/test_support.hpp"

namespace podcastd::feeds {
namespace {

namespace fs = std::filesystem;
using podcastd::testing::read_file;
using podcastd::testing::TempDir;
using podcastd::testing::write_file;

TEST(AtomicFile, WritesAndReplacesCreatingFolders) {
  TempDir dir;
  fs::path p = dir / "a/b/feed.xml";
  PODCASTD_ASSERT_OK(write_file_atomic(p, "one"));
  EXPECT_EQ(read_file(p), "one");
  PODCASTD_ASSERT_OK(write_file_atomic(p, "two"));
  EXPECT_EQ(read_file(p), "two");
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir / "a/b")) files += e.is_regular_file();
  EXPECT_EQ(files, 1);  // no temporary left behind
}

TEST(AtomicFile, ErrorsNameThePath) {
  TempDir dir;
  write_file(dir / "file", "x");
  Status st = write_file_atomic(dir / "file/below", "y");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::io);
  EXPECT_NE(st.error().message.find((dir / "file").string()), std::string::npos)
      << st.error().message;
}

TEST(AtomicFile, LinkOrCopySharesTheInode) {
  TempDir dir;
  write_file(dir / "content/ep.mp3", "audio bytes");
  PODCASTD_ASSERT_OK(link_or_copy(dir / "content/ep.mp3", dir / "public/media/ep-1.mp3"));
  struct stat a, b;
  ASSERT_EQ(::stat((dir / "content/ep.mp3").c_str(), &a), 0);
  ASSERT_EQ(::stat((dir / "public/media/ep-1.mp3").c_str(), &b), 0);
  EXPECT_EQ(a.st_ino, b.st_ino);
  // Idempotent.
  PODCASTD_ASSERT_OK(link_or_copy(dir / "content/ep.mp3", dir / "public/media/ep-1.mp3"));
  EXPECT_EQ(read_file(dir / "public/media/ep-1.mp3"), "audio bytes");
}

TEST(AtomicFile, StaleTemporariesAreRemoved) {
  TempDir dir;
  write_file(dir / "show/.podcastd-tmp-feed.xml-1-2", "partial");
  write_file(dir / "show/episodes/x/.podcastd-tmp-chapters.json-3-4", "partial");
  write_file(dir / "show/feed.xml", "whole");
  EXPECT_EQ(remove_stale_temporaries(dir / "show"), 2);
  EXPECT_TRUE(fs::exists(dir / "show/feed.xml"));
}

}  // namespace
}  // namespace podcastd::feeds
