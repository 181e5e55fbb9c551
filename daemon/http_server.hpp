#pragma once
// The built-in HTTP server (Boost.Beast, C++20 coroutines) for output_dir: GET and HEAD,
// strong ETags and Last-Modified with 304s, precompressed gzip with Vary, byte ranges
// (206/416) for media, CORS on companion files, /healthz, /metrics, read-only /api/.
// Feeds are served from memory (MemoryFile, swapped atomically after each publish); every
// other file from disk, never escaping the root (.., %2e%2e, %2f, symlinks out).
//
// Owned by the Daemon. Lives on one io_context executor (the I/O thread): every member
// function must be called on that executor. Sessions run on strands of it (concrete
// strand<io_context::executor_type>, no type-erased executors on the request path).
//
// Behaviour worth knowing (see also STANDARDS.md 5.4/5.5):
// - ETags are strong. Memory files use MemoryFile::etag (a hash of the identity body; computed
//   with hash64 when empty). Disk files use a hash of (size, mtime in ns, inode, device): the
//   publisher renames new files into place, so a new body always gets a new inode.
//   The gzip variant's ETag is the identity tag with "-gzip" inside the quotes; If-None-Match
//   (weak comparison, lists, `*`) matches either form and takes precedence over
//   If-Modified-Since. A 304 repeats the ETag form that matched.
// - gzip: served when Accept-Encoding allows gzip and the memory file has `gzip`, or FILE.gz
//   exists beside FILE on disk and is not older than FILE. `Vary: Accept-Encoding` on every
//   compressible type (text, XML, JSON, VTT/SRT) whether or not a .gz exists.
// - Ranges: one `bytes=` range (a-b, a-, -n) applies to the selected representation (the
//   gzip bytes when gzip was negotiated) -> 206; unsatisfiable -> 416 `bytes */size`; a
//   multi-range or malformed Range is ignored (200 with the full body); If-Range (strong ETag
//   or exact Last-Modified date) falls back to 200 when it does not match. HEAD answers with
//   the headers GET would get, including 206/416 for Range (as nginx and Apache do).
// - Paths: see normalize_target. Refused targets get 404 (indistinguishable from a missing
//   file). On disk, files are opened below a directory fd of root with openat2(RESOLVE_BENEATH);
//   when that fails with EXDEV/ELOOP (absolute symlinks) or openat2 is unavailable, the file is
//   opened normally and accepted only if its /proc/self/fd path lies below realpath(root).
//   So symlinks that stay inside root work; symlinks leading outside get 404. Only regular
//   files are served; a directory serves its index.html if present, else 404.
// - Connections beyond max_connections get `503` with `Retry-After: 5` and are closed (without
//   reading their request); above 64 such rejections in flight, extra ones are closed at once.
// - Requests with a body (Content-Length > 0 or chunked) get 413 and the connection closes;
//   methods other than GET/HEAD get 405 with `Allow: GET, HEAD`; headers above
//   header_limit_bytes get 431; malformed requests get 400; each of these closes.
// - A 304 carries Date, Server, ETag, Last-Modified and, as on the 200, Cache-Control, Vary and
//   Access-Control-Allow-Origin (for scripts that revalidate themselves); caches keep the other
//   headers of their stored response (RFC 9110 15.4.5, RFC 9111 4.3.4).
// - Timeouts: a new connection must deliver its first request head within request_timeout;
//   between keep-alive requests the connection may idle for idle_timeout, after which the next
//   head must complete within request_timeout of its first byte (a slow client is cut off).
//   Each response chunk (64 KiB files, 256 KiB memory) must be accepted within request_timeout.
// - Pipelining: requests are answered one at a time in order; at most header_limit + 4 KiB of
//   pipelined input is buffered, the rest waits in the kernel.
// - Disk reads (pread) run on the session's strand: fine for page-cached output folders.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
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

// A file served from memory. Immutable once shared. The bytes are shared, not copied: the
// publisher's buffers (PublishResult::feed_xml/feed_gzip) are served as they are.
struct MemoryFile {
  std::shared_ptr<const std::string> body;  // identity bytes; null = empty
  std::shared_ptr<const std::string> gzip;  // precompressed body; null or "" = none
  std::string content_type;                 // e.g. "application/rss+xml; charset=utf-8"
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

  // `executor`: the io_context's own executor (sessions get strands of it).
  HttpServer(boost::asio::io_context::executor_type executor, HttpServerOptions options,
             Metrics& metrics);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds "HOST:PORT" (port 0 picks a free one) and starts accepting. Returns the bound
  // endpoint. Errors: unparsable address, bind/listen failures (message names the address).
  Result<boost::asio::ip::tcp::endpoint> listen(std::string_view host_port);
  // Socket activation (sd_listen_fds): accepts on an already-listening socket it now owns.
  // Errors (not a listening TCP socket, assign failure) leave the fd with the caller.
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
//
// Precisely: accepts origin-form ("/a/b") and absolute-form ("http://host/a/b"); drops the
// query and fragment; percent-decodes once (a malformed escape is refused); refuses '\\',
// NUL and other control bytes (raw or encoded), an encoded '/', and any segment that starts
// with '.' after decoding (".", "..", hidden files, the publisher's temp files) except
// ".well-known"; collapses empty segments. The result has no leading '/', segments joined by
// '/', and keeps one trailing '/' for directory targets: "/a//b/" -> "a/b/", "/" -> "".
// The symlink rule is enforced when the file is opened, not here.
std::optional<std::string> normalize_target(std::string_view target);

// Runs the request-handling path without sockets (for the fuzzer and tests): parses `raw` as
// one request head with the server's limits and returns the response head (status line and
// headers, ending in an empty line) the server would send for files below options.root.
// Memory files, /api and the health handler are not involved; /metrics renders an empty
// registry. Incomplete input gives "". Blocking (disk I/O); any thread.
std::string simulate_request(std::string_view raw, const HttpServerOptions& options);

}  // namespace podcastd::daemon
