#pragma once
// How one-shot commands get at the catalog: when no daemon holds the state lock, they take
// it, open the catalog read-write and bring it up to date with a scan first (so `podcastd
// episodes` describes the content dir as it is); when the daemon runs, they open the catalog
// read-only and trust the daemon to keep it current. Main thread only.

#include <memory>
#include <optional>

#include "catalog/catalog.hpp"
#include "catalog/ingest.hpp"
#include "daemon/config.hpp"
#include "daemon/lock.hpp"

namespace podcastd::daemon {

struct Workspace {
  std::optional<StateLock> lock;  // held when this process may write
  std::unique_ptr<catalog::Catalog> catalog;
  std::optional<catalog::IngestReport> scan;  // the scan run on opening, if any

  bool writable() const { return lock.has_value(); }
};

// Opens the catalog as described above. `need_write` fails (ErrorCode::conflict) instead of
// falling back to read-only when the daemon holds the lock. Catalog errors are returned as
// ErrorCode::io with the file named.
Result<Workspace> open_workspace(const Config& config, bool need_write, bool scan_first);

}  // namespace podcastd::daemon
