#include "daemon/workspace.hpp"

#include "daemon/publish_run.hpp"

namespace podcastd::daemon {

Result<Workspace> open_workspace(const Config& config, bool need_write, bool scan_first) {
  Workspace ws;
  Result<StateLock> lock = StateLock::acquire(config.lock_path());
  if (lock) {
    ws.lock.emplace(std::move(*lock));
  } else if (need_write || lock.error().code != ErrorCode::conflict) {
    return lock.error();
  }
  try {
    if (!ws.writable() && !std::filesystem::exists(config.catalog_path())) {
      return make_error(ErrorCode::not_found, config.catalog_path().string() + ": no catalog yet");
    }
    ws.catalog = std::make_unique<catalog::Catalog>(
        config.catalog_path(),
        ws.writable() ? catalog::Catalog::Mode::read_write : catalog::Catalog::Mode::read_only);
    if (ws.writable() && scan_first) {
      catalog::Ingestor ingestor(*ws.catalog, config.content_dir, ingest_options(config));
      ws.scan = ingestor.scan();
    }
  } catch (const std::exception& e) {
    return make_error(ErrorCode::io, e.what());
  }
  return ws;
}

}  // namespace podcastd::daemon
