#pragma once
// Watches the content directory with inotify (recursive: new folders get watches) and hands
// out debounced batches of changed paths: each event restarts the quiet period, but a batch
// is never held longer than max_delay after its first event, so a constant writer cannot
// starve publishing. IN_Q_OVERFLOW (events were lost) asks for a full rescan.
//
// Lives on one executor (the daemon's I/O thread); call every member there. The inotify fd
// is owned by a posix::stream_descriptor.

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

#include "catalog/result.hpp"

namespace podcastd::daemon {

class Watcher {
 public:
  struct Batch {
    std::vector<std::filesystem::path> paths;  // absolute; files and folders
    bool full_rescan = false;                  // events were lost: rescan everything
  };
  using Callback = std::function<void(Batch)>;

  Watcher(boost::asio::any_io_executor executor, std::filesystem::path root,
          std::chrono::milliseconds debounce, std::chrono::milliseconds max_delay,
          Callback callback);
  ~Watcher();
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  // Creates the inotify instance and watches every folder below root (following symlinked
  // folders once). Errors: inotify unavailable, root unreadable. Running out of watches
  // (ENOSPC) is logged, not fatal: the periodic rescan still sees those folders.
  Status start();
  // Final: nothing is delivered afterwards, not even a batch that fell due in the same turn
  // of the loop. A stopped Watcher is not started again.
  void stop();
  void set_timing(std::chrono::milliseconds debounce, std::chrono::milliseconds max_delay);
  std::size_t watch_count() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace podcastd::daemon
