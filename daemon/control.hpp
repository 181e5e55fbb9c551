#pragma once
// The control socket (state_dir/control.sock, mode 0600): how `podcastd republish` and
// `podcastd status` talk to a running daemon. One request per connection: a JSON object on
// one line ({"command": "republish", "shows": [...]}, {"command": "rescan"},
// {"command": "status"}), answered with one JSON line.
//
// ControlServer lives on the daemon's I/O executor (call it there only); the client is a
// blocking function for the command line.

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "catalog/result.hpp"

namespace podcastd::daemon {

class ControlServer {
 public:
  // Handles one request (parsed JSON text) and answers through `reply` (on the I/O
  // executor), possibly later (a republish answers when it is done).
  using Handler =
      std::function<void(const std::string& request, std::function<void(std::string)> reply)>;

  ControlServer(boost::asio::any_io_executor executor, Handler handler);
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  // Binds `path` (replacing a stale socket file), owner-only (0600), and starts accepting.
  Status listen(const std::filesystem::path& path);
  // Stops accepting and removes the socket file.
  void stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// Sends one request and waits for the answer. Errors: ErrorCode::not_found when no daemon
// listens at `path` (no socket, or connection refused), ErrorCode::io for other failures or
// a timeout.
Result<std::string> control_request(const std::filesystem::path& path, const std::string& request,
                                    std::chrono::milliseconds timeout);

}  // namespace podcastd::daemon
