#include "feeds/atomic_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <string>
#include <vector>

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

// A file staged from pieces (more than one writev takes, some empty) is their concatenation.
TEST(AtomicFile, APieceWiseFileIsItsPiecesInOrder) {
  TempDir dir;
  std::vector<std::string> owned;
  for (int i = 0; i < 3000; ++i) {
    owned.push_back(i % 7 == 0 ? "" : "<item>" + std::to_string(i) + "</item>");
  }
  owned.push_back(std::string(1 << 20, 'x'));  // a big one at the end
  std::vector<std::string_view> pieces(owned.begin(), owned.end());
  std::string whole;
  for (const std::string& piece : owned) whole += piece;
  const fs::path p = dir / "feed.xml";
  auto write = [&](const std::vector<std::string_view>& parts) {
    Result<StagedFile> staged = StagedFile::stage(p, parts);
    PODCASTD_ASSERT_OK(staged);
    PODCASTD_ASSERT_OK(staged->publish());
  };
  write(pieces);
  EXPECT_EQ(read_file(p), whole);
  write({});
  EXPECT_EQ(read_file(p), "");
}

// A staged file is invisible until published, and gone if dropped unpublished.
TEST(AtomicFile, AStagedFileIsInvisibleUntilPublishedAndGoneIfDropped) {
  TempDir dir;
  const fs::path p = dir / "show/feed.xml";
  auto files = [&] {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir / "show")) {
      names.push_back(e.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  };
  PODCASTD_ASSERT_OK(write_file_atomic(p, "old"));
  const std::vector<std::string_view> pieces = {"<rss>", "new", "</rss>"};
  {
    Result<StagedFile> staged = StagedFile::stage(p, pieces);
    PODCASTD_ASSERT_OK(staged);
    EXPECT_EQ(read_file(p), "old");
    EXPECT_EQ(files().size(), 2u);  // feed.xml and the temporary
  }
  EXPECT_EQ(files(), std::vector<std::string>{"feed.xml"});
  EXPECT_EQ(read_file(p), "old");
  Result<StagedFile> staged = StagedFile::stage(p, pieces);
  PODCASTD_ASSERT_OK(staged);
  StagedFile moved = std::move(*staged);
  PODCASTD_ASSERT_OK(moved.publish());
  EXPECT_EQ(read_file(p), "<rss>new</rss>");
  EXPECT_EQ(files(), std::vector<std::string>{"feed.xml"});
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

// Files below `dir`, as paths relative to it, temporaries included.
std::vector<std::string> files_below(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) out.push_back(fs::relative(e.path(), dir).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(AtomicFile, TemporaryFileIsInvisibleUntilCommitAndGoneIfDropped) {
  TempDir dir;
  const fs::path target = dir / "cache/show.items";
  write_file(target, "old");
  {
    Result<TemporaryFile> t = TemporaryFile::create(target);
    ASSERT_TRUE(t) << t.error().message;
    ASSERT_TRUE(t->append("hello world"));
  }
  EXPECT_EQ(files_below(dir.path()), std::vector<std::string>{"cache/show.items"});
  EXPECT_EQ(read_file(target), "old");
  Result<TemporaryFile> t = TemporaryFile::create(target);
  ASSERT_TRUE(t);
  ASSERT_TRUE(t->append("hello world"));
  ASSERT_TRUE(t->write_at(0, "HELLO"));
  EXPECT_EQ(read_file(target), "old");
  ASSERT_TRUE(t->commit());
  EXPECT_EQ(read_file(target), "HELLO world");
  EXPECT_EQ(files_below(dir.path()), std::vector<std::string>{"cache/show.items"});
  // Folders are made as needed.
  Result<TemporaryFile> deep = TemporaryFile::create(dir / "a/b/c.txt");
  ASSERT_TRUE(deep) << deep.error().message;
  ASSERT_TRUE(deep->commit());
  EXPECT_TRUE(fs::exists(dir / "a/b/c.txt"));
}

TEST(AtomicFile, ReadWholeFile) {
  TempDir dir;
  EXPECT_FALSE(read_whole_file(dir / "missing"));
  std::string bytes(200000, 'x');
  bytes[5] = '\0';
  write_file(dir / "f", bytes);
  std::optional<std::string> back = read_whole_file(dir / "f");
  ASSERT_TRUE(back);
  EXPECT_TRUE(*back == bytes);
  std::optional<std::string> proc = read_whole_file("/proc/self/status");  // reports size 0
  ASSERT_TRUE(proc);
  EXPECT_NE(proc->find("Name:"), std::string::npos);

  // The shared read: the same bytes, in a buffer the views into it keep alive.
  EXPECT_FALSE(read_whole_file_shared(dir / "missing"));
  std::optional<SharedText> shared = read_whole_file_shared(dir / "f");
  ASSERT_TRUE(shared);
  ASSERT_TRUE(shared->owner());
  EXPECT_TRUE(std::string_view(*shared) == bytes);
  SharedText part(shared->owner(), std::string_view(*shared).substr(100, 50));
  shared.reset();
  fs::remove(dir / "f");
  EXPECT_EQ(std::string_view(part), std::string_view(bytes).substr(100, 50));
  write_file(dir / "empty", "");
  std::optional<SharedText> empty = read_whole_file_shared(dir / "empty");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

int temporaries_below(const fs::path& dir) {
  int n = 0;
  for (const std::string& f : files_below(dir)) {
    n += fs::path(f).filename().string().rfind(kTempPrefix, 0) == 0;
  }
  return n;
}

// Both ways of writing: in the caller's thread and on the writer thread.
class WriteBatchTest : public ::testing::TestWithParam<bool> {};

TEST_P(WriteBatchTest, NothingIsVisibleUntilCommit) {
  TempDir dir;
  write_file(dir / "content/ep.mp3", "audio");
  write_file(dir / "public/s/episodes/old/chapters.json", "old");
  {
    WriteBatch batch(GetParam());
    for (int i = 0; i < 300; ++i) {
      PODCASTD_ASSERT_OK(
          batch.add(dir / ("public/s/episodes/e" + std::to_string(i) + "/chapters.json"),
                    "chapters " + std::to_string(i)));
    }
    PODCASTD_ASSERT_OK(batch.add(dir / "public/s/episodes/old/chapters.json", "new"));
    PODCASTD_ASSERT_OK(batch.link(dir / "content/ep.mp3", dir / "public/s/media/ep.mp3"));
    EXPECT_EQ(batch.size(), 302u);
    EXPECT_FALSE(fs::exists(dir / "public/s/episodes/e0/chapters.json"));
    EXPECT_FALSE(fs::exists(dir / "public/s/media/ep.mp3"));
    EXPECT_EQ(read_file(dir / "public/s/episodes/old/chapters.json"), "old");
    PODCASTD_ASSERT_OK(batch.commit());
    EXPECT_EQ(batch.size(), 0u);
  }
  for (int i = 0; i < 300; ++i) {
    EXPECT_EQ(read_file(dir / ("public/s/episodes/e" + std::to_string(i) + "/chapters.json")),
              "chapters " + std::to_string(i));
  }
  EXPECT_EQ(read_file(dir / "public/s/episodes/old/chapters.json"), "new");
  EXPECT_EQ(read_file(dir / "public/s/media/ep.mp3"), "audio");
  EXPECT_EQ(temporaries_below(dir / "public"), 0);
}

// Where a hard link is impossible (the source on another file system) the batch copies,
// and the copy too stays invisible until commit().
TEST_P(WriteBatchTest, ACopiedLinkIsVisibleOnlyAtCommit) {
  TempDir dir;
  struct stat shm, here;
  if (::stat("/dev/shm", &shm) != 0 || ::stat(dir.path().c_str(), &here) != 0 ||
      shm.st_dev == here.st_dev) {
    GTEST_SKIP() << "needs /dev/shm on another file system than " << dir.path();
  }
  TempDir other(fs::path("/dev/shm"));
  write_file(other / "ep.mp3", "audio elsewhere");
  WriteBatch batch(GetParam());
  PODCASTD_ASSERT_OK(batch.link(other / "ep.mp3", dir / "public/s/media/ep.mp3"));
  EXPECT_EQ(batch.size(), 1u);
  EXPECT_FALSE(fs::exists(dir / "public/s/media/ep.mp3"));
  PODCASTD_ASSERT_OK(batch.commit());
  EXPECT_EQ(read_file(dir / "public/s/media/ep.mp3"), "audio elsewhere");
  struct stat copy;
  ASSERT_EQ(::stat((dir / "public/s/media/ep.mp3").c_str(), &copy), 0);
  EXPECT_NE(copy.st_dev, shm.st_dev);  // a copy, not a link
  EXPECT_EQ(temporaries_below(dir / "public"), 0);
}

TEST_P(WriteBatchTest, AnUncommittedBatchLeavesNothingBehind) {
  TempDir dir;
  {
    WriteBatch batch(GetParam());
    for (int i = 0; i < 50; ++i) {
      PODCASTD_ASSERT_OK(batch.add(dir / ("out/e" + std::to_string(i) + "/t.txt"), "x"));
    }
  }
  EXPECT_TRUE(!fs::exists(dir / "out") || files_below(dir / "out").empty());
}

TEST_P(WriteBatchTest, AWriteErrorNamesThePathAndPublishesNothing) {
  TempDir dir;
  write_file(dir / "out/blocker", "a file where a folder should be");
  WriteBatch batch(GetParam());
  PODCASTD_ASSERT_OK(batch.add(dir / "out/a/one.txt", "1"));
  Status added = batch.add(dir / "out/blocker/two.txt", "2");
  Status st = added.ok() ? batch.commit() : added;  // in the background: at commit
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::io);
  EXPECT_NE(st.error().message.find((dir / "out/blocker").string()), std::string::npos)
      << st.error().message;
  if (added.ok()) {
    EXPECT_FALSE(fs::exists(dir / "out/a/one.txt"));  // the batch as a whole failed
  }
}

TEST_P(WriteBatchTest, MoreThanTheQueueHoldsIsWrittenWhole) {
  TempDir dir;
  std::string big(WriteBatch::kMaxQueuedBytes / 2 + 1, 'x');
  WriteBatch batch(GetParam());
  for (int i = 0; i < 5; ++i) {
    big[0] = static_cast<char>('a' + i);
    PODCASTD_ASSERT_OK(batch.add(dir / ("out/" + std::to_string(i)), big));
  }
  PODCASTD_ASSERT_OK(batch.commit());
  for (int i = 0; i < 5; ++i) {
    std::string got = read_file(dir / ("out/" + std::to_string(i)));
    ASSERT_EQ(got.size(), big.size());
    EXPECT_EQ(got[0], 'a' + i);
  }
}

// In the background, commit() writes what is still queued beside the writer thread, so the
// temporaries are made in no fixed order; they are still renamed in the order of add().
TEST_P(WriteBatchTest, APathAddedTwiceGetsTheLastBytes) {
  TempDir dir;
  WriteBatch batch(GetParam());
  int last = -1;
  for (int i = 0; i < 2000; ++i) {
    if (i % 7 == 0 || i >= 1800) {  // the last 200 one after another: written side by side
      PODCASTD_ASSERT_OK(batch.add(dir / "out/same.txt", "version " + std::to_string(i)));
      last = i;
    } else {
      PODCASTD_ASSERT_OK(batch.add(dir / ("out/e" + std::to_string(i) + "/t.txt"), "x"));
    }
  }
  PODCASTD_ASSERT_OK(batch.commit());
  EXPECT_EQ(read_file(dir / "out/same.txt"), "version " + std::to_string(last));
  EXPECT_EQ(read_file(dir / "out/e1798/t.txt"), "x");
  EXPECT_EQ(temporaries_below(dir / "out"), 0);
}

INSTANTIATE_TEST_SUITE_P(Modes, WriteBatchTest, ::testing::Bool(),
                         [](const auto& p) { return p.param ? "Background" : "Inline"; });

}  // namespace
}  // namespace podcastd::feeds
