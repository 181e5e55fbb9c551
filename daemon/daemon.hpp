#pragma once
// `podcastd run`: the long-running publisher (DESIGN.md "Running").
//
// Threads: one io_context run on the main thread owns every piece of daemon state (watcher,
// timers, signals, HTTP server, control socket) — an implicit strand, so no mutexes. The
// catalog writer (Ingestor + Publisher + the read-write Catalog) lives on a one-thread pool:
// jobs are posted to it and their results posted back. /api/ queries run on a small pool of
// read-only catalog connections. Construct, start() and destroy on the I/O thread.

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <memory>
#include <optional>

#include "catalog/result.hpp"
#include "daemon/config.hpp"

namespace podcastd::daemon {

class Daemon {
 public:
  // `config_file`: where SIGHUP re-reads the configuration from (nullopt: built-in defaults,
  // nothing to reload).
  Daemon(boost::asio::io_context& ioc, Config config,
         std::optional<std::filesystem::path> config_file);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Takes the state lock, opens the catalog, arms signals, watcher, HTTP server, control
  // socket and timers, and queues the initial scan + publish (READY=1 follows it). Errors:
  // the lock is held, the catalog cannot be opened, the HTTP address cannot be bound.
  Status start();

  // The process exit code once ioc.run() returned: 0 after SIGTERM/SIGINT.
  int exit_code() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace podcastd::daemon
