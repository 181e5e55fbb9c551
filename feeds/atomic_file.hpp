#pragma once
// Atomic file replacement (ccache's AtomicFile): write to a temporary name in the target's
// folder, fsync, rename over the target, fsync the folder. A reader sees the old file or the
// new one, never a part, and a crash at any moment leaves one of the two plus at most a
// temporary file (named with kTempPrefix, removed by remove_stale_temporaries).
// Functions are thread-compatible: concurrent calls on different paths are fine. Also the
// whole-file read the publisher and the commands share.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/result.hpp"
#include "feeds/shared_text.hpp"

namespace podcastd::feeds {

inline constexpr std::string_view kTempPrefix = ".podcastd-tmp-";

// Creates parent folders as needed. Errors (ErrorCode::io) name the path and the reason.
Status write_file_atomic(const std::filesystem::path& path, std::string_view data);

// As write_file_atomic(), without the fsyncs: for caches, which a crash may leave torn (they
// must detect that themselves) but never half-replaced while running.
Status write_file_unsynced(const std::filesystem::path& path, std::string_view data);

// write_file_atomic() in two steps: stage() writes the pieces one after another (writev, not
// copied into one buffer first) to a temporary beside `target` and fsyncs it; publish()
// renames it over `target` and fsyncs the folder. So the bytes can
// be written (on a thread) while it is still being decided whether they go out. Destroyed
// unpublished, the temporary is removed.
class StagedFile {
 public:
  static Result<StagedFile> stage(const std::filesystem::path& target,
                                  std::span<const std::string_view> pieces);
  Status publish();

  StagedFile(StagedFile&& other) noexcept;
  StagedFile& operator=(StagedFile&& other) noexcept;
  ~StagedFile();

 private:
  StagedFile(std::filesystem::path tmp, std::filesystem::path target);
  std::filesystem::path tmp_, target_;  // tmp_ is empty once published or moved from
};

// The whole file at `path`; nullopt when it cannot be read.
std::optional<std::string> read_whole_file(const std::filesystem::path& path);
// The file's bytes (as long as it was when opened) in a buffer of their own, not zero-filled
// first, that views into it can share (the publish cache's ~33 MB base at 10,000 items);
// nullopt when it cannot be read whole.
std::optional<SharedText> read_whole_file_shared(const std::filesystem::path& path);

// A file written in pieces under a temporary name beside `target` (folders made as needed),
// not synced, and renamed over `target` by commit(); destroyed uncommitted, it is removed. For
// caches written before all of their bytes are known.
class TemporaryFile {
 public:
  static Result<TemporaryFile> create(const std::filesystem::path& target);
  Status append(std::string_view data);
  Status write_at(std::uint64_t offset, std::string_view data);  // over bytes already written
  Status commit();

  TemporaryFile(TemporaryFile&& other) noexcept;
  TemporaryFile& operator=(TemporaryFile&& other) noexcept;
  ~TemporaryFile();

 private:
  TemporaryFile(int fd, std::filesystem::path tmp, std::filesystem::path target);
  void discard();
  int fd_ = -1;
  std::filesystem::path tmp_, target_;
};

// Makes `target` the same file as `source`: a hard link (published without copying), or an
// atomic copy when linking is impossible (another file system). Does nothing when `target`
// already is `source` (same inode). Never changes `source`.
Status link_or_copy(const std::filesystem::path& source, const std::filesystem::path& target);

// Many files made visible together, with one flush instead of two fsyncs per file: add()
// and link() write temporaries next to their targets (unsynced), commit() flushes the file
// system once (syncfs), renames every temporary into place, and flushes again so the new
// names are durable. Until commit() nothing is visible; a batch destroyed uncommitted (or a
// crash) leaves only temporaries, which remove_stale_temporaries() clears.
//
// With `background`, add() copies the bytes to a writer thread and returns at once, so
// creating thousands of folders and files (kernel time) overlaps the caller's rendering; the
// first write error is then returned by commit() (and the batch stays invisible). The queue
// holds at most kMaxQueuedBytes: add() waits beyond that. The thread starts with the first
// add(), so a publish with nothing to write starts none; commit() writes what is still queued
// beside it, on the caller's thread. A path added twice gets the bytes of the last add().
// Used from one thread.
class WriteBatch {
 public:
  static constexpr std::size_t kMaxQueuedBytes = 8 << 20;
  // From this many files, commit() renames them on two threads.
  static constexpr std::size_t kParallelRenames = 1024;

  explicit WriteBatch(bool background = false);
  ~WriteBatch();
  WriteBatch(const WriteBatch&) = delete;
  WriteBatch& operator=(const WriteBatch&) = delete;

  Status add(const std::filesystem::path& path, std::string_view data);
  // As link_or_copy(): nothing to do (and nothing added) when target already is source.
  Status link(const std::filesystem::path& source, const std::filesystem::path& target);
  Status commit();
  std::size_t size() const;  // files added (or queued) and not yet committed

 private:
  struct Writer;
  // Waits until the writer thread has written everything queued; its first error.
  Status drain();

  std::vector<std::pair<std::filesystem::path, std::filesystem::path>> pending_;  // tmp, target
  bool background_ = false;
  std::unique_ptr<Writer> writer_;  // started by the first add() of a background batch
};

// Removes leftovers of interrupted writes (files starting with kTempPrefix) below `dir`.
// Returns how many were removed.
int remove_stale_temporaries(const std::filesystem::path& dir);

}  // namespace podcastd::feeds
