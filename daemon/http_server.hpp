#pragma once
// The built-in HTTP server (Boost.Beast, C++20 coroutines) for output_dir: GET and HEAD,
// strong ETags and Last-Modified with 304s, precompressed gzip with Vary, byte ranges
// (206/416) for media, CORS on companion files, /healthz, /metrics, read-only /api/.
// Feeds are served from memory (MemoryFile, swapped atomically after each publish); every
// other file from disk, never escaping the root (.., %2e%2e, %2f, symlinks out).
//
// Owned by the Daemon. Lives on one io_context executor (the I/O thread): every member
// function must be called on that executor. Sessions run on strands of it.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/result.hpp"

namespace podcastd::daemon {

class Metrics;

// A file served from memory. Immutable once shared.
struct MemoryFile {
  std::string body;                // identity bytes
  std::string gzip;                // precompressed body; "" = none
  std::string content_type;        // e.g. "application/rss+xml; charset=utf-8"
  std::string etag;                // strong validator of the identity body, quoted: "\"abc\""
  std::int64_t last_modified = 0;  // Unix seconds
};

// A read-only API request and its answer (the server adds Content-Type, Content-Length,
// caching headers and HEAD handling).
struct ApiRequest {
  std::string path;   // below /api, e.g. "/shows/rip/episodes"
  std::string query;  // raw query string without '?', e.g. "q=rust&limit=10"
};
struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

struct HttpServerOptions {
  std::filesystem::path root;  // output_dir; served read-only
  int max_connections = 256;
  std::size_t header_limit_bytes = 8192;             // larger headers: 431
  std::chrono::milliseconds request_timeout{10000};  // per request read / response write
  std::chrono::milliseconds idle_timeout{30000};     // keep-alive idle
  int cache_max_age_s = 300;                         // Cache-Control for feeds
  std::vector<std::string> hubs;                     // Link: <hub>; rel="hub" on feed responses
  std::string public_url;                            // Link: <public_url/path>; rel="self" on feeds
  // Executor for blocking API work (a thread pool). The server hops there to call the API
  // handler and back to the session's strand to write the answer.
  boost::asio::any_io_executor blocking_executor;
};

class HttpServer {
 public:
  // Runs on a worker of options.blocking_executor; may block (SQLite reads).
  using ApiHandler = std::function<ApiResponse(const ApiRequest&)>;
  // Answers /healthz: status code and body.
  using HealthHandler = std::function<std::pair<int, std::string>()>;

  HttpServer(boost::asio::any_io_executor executor, HttpServerOptions options, Metrics& metrics);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds "HOST:PORT" (port 0 picks a free one) and starts accepting. Returns the bound
  // endpoint. Errors: unparsable address, bind/listen failures (message names the address).
  Result<boost::asio::ip::tcp::endpoint> listen(std::string_view host_port);
  // Socket activation (sd_listen_fds): accepts on an already-listening socket it now owns.
  Result<boost::asio::ip::tcp::endpoint> adopt(int listening_fd);

  void set_api_handler(ApiHandler handler);
  void set_health_handler(HealthHandler handler);
  // Replaces limits and headers for new requests (SIGHUP); root stays as constructed.
  void update_options(const HttpServerOptions& options);

  // Serves `rel_path` ("show/feed.xml", no leading '/') from memory instead of disk.
  void put_memory_file(const std::string& rel_path, std::shared_ptr<const MemoryFile> file);
  void remove_memory_file(const std::string& rel_path);

  // Stops accepting; open sessions finish the response in flight and are closed after
  // `grace` at the latest. Idempotent.
  void stop(std::chrono::milliseconds grace);

  std::size_t connection_count() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// Maps a request target to a path below `root`, or nullopt when it must be refused:
// percent-decoding once, rejecting encoded '/' or '\0', any ".." segment, and (on disk) any
// symlink that resolves outside root. Query strings are ignored. Exposed for tests/fuzzing.
std::optional<std::string> normalize_target(std::string_view target);

}  // namespace podcastd::daemon
