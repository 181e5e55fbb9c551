#pragma once
// The state-dir lock (state_dir/podcastd.lock, flock): whoever holds it is the only process
// writing the catalog and output_dir. The daemon holds it for its lifetime; one-shot commands
// hold it while they ingest and publish. Move-only RAII; any thread.

#include <filesystem>

#include "catalog/result.hpp"

namespace podcastd::daemon {

class StateLock {
 public:
  // Takes the lock without waiting. Errors: ErrorCode::conflict when another process holds it
  // ("... is held by another podcastd (pid N)"), ErrorCode::io when the file cannot be opened.
  static Result<StateLock> acquire(const std::filesystem::path& lock_file);

  StateLock(StateLock&& other) noexcept;
  StateLock& operator=(StateLock&& other) noexcept;
  ~StateLock();

 private:
  explicit StateLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace podcastd::daemon
