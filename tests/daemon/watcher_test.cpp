// daemon::Watcher on a real temporary folder with real inotify, driven by an io_context in the
// test: new folders get watches, editors' rename-on-save, moves in and out, deletions, the
// debounce and its cap, a queue overflow, and stop(). No test sleeps to wait for an event: the
// io_context runs until the expected batch arrives or a deadline passes.
#include "daemon/watcher.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fstream>
#include <functional>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/test_support.hpp"

namespace podcastd::daemon {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using podcastd::testing::TempDir;
using podcastd::testing::write_file;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

class WatcherTest : public ::testing::Test {
 protected:
  struct Delivery {
    Clock::time_point at;
    Watcher::Batch batch;
  };

  void TearDown() override {
    watcher_.reset();
    ioc_.poll();  // the aborted handlers release the watcher's state
  }

  void start(milliseconds debounce = 100ms, milliseconds max_delay = 2000ms) {
    watcher_ = std::make_unique<Watcher>(ioc_.get_executor(), root(), debounce, max_delay,
                                         [this](Watcher::Batch b) {
                                           deliveries_.push_back({Clock::now(), std::move(b)});
                                         });
    PODCASTD_ASSERT_OK(watcher_->start());
  }

  const fs::path& root() const { return dir_.path(); }

  // Runs the io_context until `done` holds or `timeout` passes; false on timeout.
  bool run_until(const std::function<bool()>& done, milliseconds timeout = 5000ms) {
    const Clock::time_point deadline = Clock::now() + timeout;
    while (!done()) {
      if (Clock::now() >= deadline) return false;
      ioc_.run_one_until(deadline);
    }
    return true;
  }

  // Runs the io_context for `d`: for checks that nothing (more) arrives.
  void run_for(milliseconds d) { ioc_.run_for(d); }

  std::set<fs::path> reported() const {
    std::set<fs::path> all;
    for (const Delivery& d : deliveries_) all.insert(d.batch.paths.begin(), d.batch.paths.end());
    return all;
  }
  bool was_reported(const fs::path& p) const { return reported().count(p) > 0; }
  // `p` itself or a folder above it (below root) was reported: the ingestor reads a reported
  // folder whole.
  bool covered(const fs::path& p) const {
    for (fs::path q = p; q != root() && q.has_relative_path(); q = q.parent_path()) {
      if (was_reported(q)) return true;
    }
    return false;
  }
  bool wait_reported(const fs::path& p, milliseconds timeout = 5000ms) {
    return run_until([&] { return was_reported(p); }, timeout);
  }
  bool wait_watches(std::size_t n) {
    return run_until([&] { return watcher_->watch_count() == n; });
  }

  // The deliveries so far, for failure messages.
  std::string describe() const {
    std::ostringstream out;
    out << deliveries_.size() << " batch(es)";
    for (std::size_t i = 0; i < deliveries_.size(); ++i) {
      const Delivery& d = deliveries_[i];
      out << "\n  batch " << i << (d.batch.full_rescan ? " (full rescan)" : "") << ":";
      for (const fs::path& p : d.batch.paths) out << " " << p.lexically_relative(root()).string();
    }
    return out.str();
  }

  TempDir dir_;
  asio::io_context ioc_;
  // The watcher's pending read keeps the context busy; this keeps it so after stop() too.
  asio::executor_work_guard<asio::io_context::executor_type> work_{ioc_.get_executor()};
  std::unique_ptr<Watcher> watcher_;
  std::vector<Delivery> deliveries_;
};

TEST_F(WatcherTest, ReportsAFileInAFolderCreatedAfterStart) {
  start();
  ASSERT_EQ(watcher_->watch_count(), 1u);
  fs::create_directory(root() / "show");
  ASSERT_TRUE(wait_watches(2)) << "the new folder got no watch";
  write_file(root() / "show/ep.md", "+++\n");
  EXPECT_TRUE(wait_reported(root() / "show/ep.md")) << describe();
}

TEST_F(WatcherTest, NestedFoldersCreatedAtOnceAllGetWatches) {
  start();
  fs::create_directories(root() / "a/b/c");
  // Written before the watches on a/b/c may exist: the file or a folder above it is reported.
  write_file(root() / "a/b/c/early.md", "x");
  EXPECT_TRUE(run_until([&] { return covered(root() / "a/b/c/early.md"); })) << describe();
  ASSERT_TRUE(wait_watches(4)) << "watches: " << watcher_->watch_count();
  write_file(root() / "a/b/c/late.md", "x");
  EXPECT_TRUE(wait_reported(root() / "a/b/c/late.md")) << describe();
}

TEST_F(WatcherTest, ASaveThroughATemporaryRenamedOverTheFileReportsOnlyTheFile) {
  write_file(root() / "show/ep.md", "old");
  start();
  // vim's swap file beside it, then emacs/gedit style: the new text in a temporary renamed
  // over the original.
  write_file(root() / "show/.ep.md.swp", "swap");
  write_file(root() / "show/ep.md.tmp", "new");
  fs::rename(root() / "show/ep.md.tmp", root() / "show/ep.md");
  fs::remove(root() / "show/.ep.md.swp");
  ASSERT_TRUE(wait_reported(root() / "show/ep.md")) << describe();
  run_for(300ms);  // anything still to come
  EXPECT_EQ(reported(), std::set<fs::path>{root() / "show/ep.md"}) << describe();
}

TEST_F(WatcherTest, AVimStyleSaveWithABackupReportsOnlyTheFile) {
  write_file(root() / "show/ep.md", "old");
  start();
  write_file(root() / "show/4913", "");  // vim's write-permission probe
  fs::remove(root() / "show/4913");
  fs::rename(root() / "show/ep.md", root() / "show/ep.md~");
  write_file(root() / "show/ep.md", "new");
  fs::remove(root() / "show/ep.md~");
  ASSERT_TRUE(wait_reported(root() / "show/ep.md")) << describe();
  run_for(300ms);
  EXPECT_EQ(reported(), std::set<fs::path>{root() / "show/ep.md"}) << describe();
}

TEST_F(WatcherTest, FilesAndFoldersMovedInFromOutsideAreReported) {
  TempDir outside;  // beside the root under $TMPDIR: rename() moves, as mv does
  write_file(outside / "ep.md", "x");
  write_file(outside / "bundle/episode.md", "x");
  write_file(root() / "show/show.toml", "");
  start();
  ASSERT_EQ(watcher_->watch_count(), 2u);
  fs::rename(outside / "ep.md", root() / "show/ep.md");
  fs::rename(outside / "bundle", root() / "show/bundle");
  EXPECT_TRUE(wait_reported(root() / "show/ep.md")) << describe();
  EXPECT_TRUE(wait_reported(root() / "show/bundle")) << describe();
  // The folder moved in is watched from then on.
  ASSERT_TRUE(wait_watches(3)) << "watches: " << watcher_->watch_count();
  write_file(root() / "show/bundle/notes.md", "x");
  EXPECT_TRUE(wait_reported(root() / "show/bundle/notes.md")) << describe();
}

TEST_F(WatcherTest, FilesAndFoldersMovedOutAreReportedByTheirOldPath) {
  TempDir outside;
  write_file(root() / "show/ep.md", "x");
  write_file(root() / "show/bundle/episode.md", "x");
  start();
  ASSERT_EQ(watcher_->watch_count(), 3u);
  fs::rename(root() / "show/ep.md", outside / "ep.md");
  fs::rename(root() / "show/bundle", outside / "bundle");
  EXPECT_TRUE(wait_reported(root() / "show/ep.md")) << describe();
  EXPECT_TRUE(wait_reported(root() / "show/bundle")) << describe();
  ASSERT_TRUE(wait_watches(2)) << "the folder moved out is still watched";
  // What happens in the moved-out folder is none of the watcher's business any more.
  deliveries_.clear();
  write_file(outside / "bundle/later.md", "x");
  run_for(300ms);
  EXPECT_TRUE(deliveries_.empty()) << describe();
}

TEST_F(WatcherTest, DeletedFilesAndFoldersAreReported) {
  write_file(root() / "show/ep.md", "x");
  write_file(root() / "show/old/episode.md", "x");
  start();
  ASSERT_EQ(watcher_->watch_count(), 3u);
  fs::remove(root() / "show/ep.md");
  fs::remove_all(root() / "show/old");
  EXPECT_TRUE(wait_reported(root() / "show/ep.md")) << describe();
  EXPECT_TRUE(wait_reported(root() / "show/old")) << describe();
  EXPECT_TRUE(wait_watches(2)) << "watches: " << watcher_->watch_count();
}

TEST_F(WatcherTest, ABurstComesAsOneBatchAfterTheQuietPeriod) {
  constexpr milliseconds kDebounce = 300ms;
  start(kDebounce, 10s);
  // Six writes 50 ms apart, each read as it comes: every one restarts the quiet period.
  std::set<fs::path> written;
  Clock::time_point last_write;
  for (int i = 0; i < 6; ++i) {
    fs::path p = root() / ("ep" + std::to_string(i) + ".md");
    write_file(p, "x");
    last_write = Clock::now();
    written.insert(p);
    run_for(50ms);
  }
  ASSERT_TRUE(run_until([&] { return !deliveries_.empty(); })) << "no batch after the burst";
  run_for(2 * kDebounce);  // a second batch would come by now
  ASSERT_EQ(deliveries_.size(), 1u) << describe();
  std::set<fs::path> got(deliveries_[0].batch.paths.begin(), deliveries_[0].batch.paths.end());
  EXPECT_EQ(got, written) << describe();
  EXPECT_FALSE(deliveries_[0].batch.full_rescan);
  // Not before the quiet period after the last write, and not long after it.
  EXPECT_GE(deliveries_[0].at - last_write, kDebounce);
  EXPECT_LT(deliveries_[0].at - last_write, kDebounce + 1s);
}

TEST_F(WatcherTest, AConstantWriterStillGetsABatchWithinMaxDelay) {
  constexpr milliseconds kDebounce = 200ms;
  constexpr milliseconds kMaxDelay = 800ms;
  constexpr milliseconds kMargin = 700ms;  // scheduling on a loaded CI machine
  start(kDebounce, kMaxDelay);
  // A write every debounce/2 for 2.5 s (12 quiet periods): the quiet period never comes.
  const Clock::time_point first_write = Clock::now();
  const Clock::time_point stop_writing = first_write + 2500ms;
  std::set<fs::path> written;
  Clock::time_point last_write;
  for (int i = 0; Clock::now() < stop_writing; ++i) {
    fs::path p = root() / ("ep" + std::to_string(i) + ".md");
    write_file(p, "x");
    last_write = Clock::now();
    written.insert(p);
    ioc_.run_until(last_write + kDebounce / 2);
  }
  ASSERT_FALSE(deliveries_.empty()) << "no batch while the writer wrote for 2.5 s";
  EXPECT_LE(deliveries_[0].at - first_write, kMaxDelay + kMargin)
      << "the first batch came "
      << std::chrono::duration_cast<milliseconds>(deliveries_[0].at - first_write).count()
      << " ms after the first write";
  // Batches keep coming while it writes, each within the cap of the previous one.
  for (std::size_t i = 1; i < deliveries_.size(); ++i) {
    EXPECT_LE(deliveries_[i].at - deliveries_[i - 1].at, kMaxDelay + kMargin) << describe();
  }
  EXPECT_GE(deliveries_.size(), 2u) << describe();
  // Nothing is lost: every write is in some batch once the writer stops.
  EXPECT_TRUE(run_until([&] {
    std::set<fs::path> got = reported();
    return std::includes(got.begin(), got.end(), written.begin(), written.end());
  })) << describe();
}

TEST_F(WatcherTest, WatchCountFollowsTheFolders) {
  fs::create_directories(root() / "one");
  fs::create_directories(root() / "two/nested");
  fs::create_directories(root() / ".git/objects");            // hidden: not watched
  fs::create_directory_symlink(root(), root() / "two/loop");  // a loop: watched once
  start();
  EXPECT_EQ(watcher_->watch_count(), 4u);  // root, one, two, two/nested
  fs::create_directory(root() / "three");
  EXPECT_TRUE(wait_watches(5)) << "watches: " << watcher_->watch_count();
  fs::create_directories(root() / "four/a/b");
  EXPECT_TRUE(wait_watches(8)) << "watches: " << watcher_->watch_count();
  fs::create_directory(root() / ".hidden");
  fs::create_directory(root() / "five");
  EXPECT_TRUE(wait_watches(9)) << "watches: " << watcher_->watch_count();
  run_for(200ms);
  EXPECT_EQ(watcher_->watch_count(), 9u) << ".hidden got a watch";
  fs::remove_all(root() / "four");
  EXPECT_TRUE(wait_watches(6)) << "watches: " << watcher_->watch_count();
}

TEST_F(WatcherTest, AnOverflowedQueueAsksForAFullRescan) {
  // The kernel drops events and queues IN_Q_OVERFLOW once an inotify instance holds
  // max_queued_events unread events. The limit is only read here, never changed: the test
  // fills the queue by not running the io_context while two files are closed after writing,
  // alternately (identical consecutive events would be merged).
  long limit = 0;
  std::ifstream("/proc/sys/fs/inotify/max_queued_events") >> limit;
  if (limit <= 0 || limit > 1'000'000) {
    GTEST_SKIP() << "max_queued_events is " << limit << ": too large to fill in a unit test";
  }
  write_file(root() / "a.md", "x");
  write_file(root() / "b.md", "x");
  start(50ms, 1s);
  for (long i = 0; i < limit + 100; ++i) {
    fs::path p = root() / (i % 2 ? "a.md" : "b.md");
    int fd = ::open(p.c_str(), O_WRONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0) << p;
    ::close(fd);
  }
  ASSERT_TRUE(run_until([&] {
    return !deliveries_.empty() && deliveries_.back().batch.full_rescan;
  })) << describe();
  // The watcher goes on afterwards, with ordinary batches again.
  deliveries_.clear();
  write_file(root() / "c.md", "x");
  ASSERT_TRUE(wait_reported(root() / "c.md")) << describe();
  EXPECT_FALSE(deliveries_.back().batch.full_rescan);
}

TEST_F(WatcherTest, StopDeliversNothingMore) {
  start(200ms, 1s);
  write_file(root() / "ep.md", "x");
  run_for(50ms);  // the event is read; its batch is due 150 ms later
  const std::size_t delivered = deliveries_.size();
  watcher_->stop();
  EXPECT_EQ(watcher_->watch_count(), 0u);
  write_file(root() / "ep2.md", "x");
  run_for(600ms);
  EXPECT_EQ(deliveries_.size(), delivered) << describe();
}

TEST_F(WatcherTest, StopInAHandlerDropsABatchDueInTheSameTurn) {
  // The daemon calls stop() from a handler (its signal handler) on the watcher's io_context.
  // A batch whose quiet period ended while the loop was busy must not be delivered after it.
  start(100ms, 1s);
  write_file(root() / "ep.md", "x");
  run_for(20ms);  // the event is read: the batch is due about 100 ms from now
  std::size_t delivered_at_stop = 0;
  bool stopped = false;
  asio::steady_timer stopper(ioc_);
  stopper.expires_after(30ms);  // due before the batch
  stopper.async_wait([&](boost::system::error_code) {
    delivered_at_stop = deliveries_.size();
    watcher_->stop();
    stopped = true;
  });
  // A slow handler keeps the loop busy until both timers are due; they then complete in the
  // same turn, the stopper first.
  asio::post(ioc_, [] { std::this_thread::sleep_for(300ms); });
  ASSERT_TRUE(run_until([&] { return stopped; }));
  run_for(300ms);
  EXPECT_EQ(deliveries_.size(), delivered_at_stop) << "delivered after stop(): " << describe();
}

}  // namespace
}  // namespace podcastd::daemon
