#pragma once
// Outgoing HTTP with libcurl under one outbound policy (issue: outbound): only http and https;
// every connection's address is checked after DNS resolution, so loopback, private,
// link-local, unique-local, multicast and unspecified addresses are refused unless allowed
// (this also covers each redirect hop and DNS rebinding); redirects are followed by hand, at
// most max_redirects, each hop re-checked; bounded time and body size; proxies from the
// environment are ignored (a proxy would resolve names where the policy cannot see them).
//
// Two front ends share that policy:
// - fetch(): blocking and reentrant; call it from worker threads (or one-shot commands),
//   never the daemon's I/O thread.
// - HttpClient: a curl-multi event loop on a thread of its own, with bounded parallelism and
//   a per-host concurrency limit (politeness). submit() may be called from any thread;
//   completions run on the client's thread.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/result.hpp"
#include "daemon/config.hpp"

namespace podcastd::daemon {

struct FetchOptions {
  std::string method = "GET";                 // GET, HEAD or POST
  std::string body;                           // POST body
  std::vector<std::string> headers;           // "Name: value"
  std::chrono::milliseconds timeout{10'000};  // per hop: connect + transfer
  int max_redirects = 5;
  bool allow_private_addresses = false;
  std::string user_agent = "podcastd";
  std::size_t max_body_bytes = 64 * 1024 * 1024;
  // Stop at the first byte of the final body and keep none (link checks: the status is the
  // answer, a GET of a 200 MB episode need not download it).
  bool discard_body = false;
  // A HEAD the server refuses (400, 403, 405, 501, or the connection dropped with no answer or
  // reset) is asked again as a GET with discard_body: servers that mishandle HEAD (link
  // checks).
  bool get_when_head_refused = false;
  // Test seam: when set, decides which resolved addresses are refused instead of
  // is_private_address()/allow_private_addresses. Must be thread-safe.
  std::function<bool(std::string_view ip)> refuse_address;
};

// The configured policy ([outbound]: timeout, redirects, private addresses, User-Agent) as
// FetchOptions; callers set what is theirs (method, body, max_body_bytes).
FetchOptions outbound_options(const OutboundConfig& config);

struct FetchResponse {
  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // final response, names lower-case
  std::string final_url;
  std::vector<std::pair<int, std::string>> redirects;  // (status, Location) per hop followed
  std::chrono::milliseconds elapsed{0};

  // First header named `name` (lower-case), or "".
  std::string header(std::string_view name) const;
};

// Errors: ErrorCode::invalid_argument (not an http(s) URL), ErrorCode::refused (a private or
// loopback address under the policy, or a redirect to another scheme), ErrorCode::network
// (DNS, connect, TLS, timeout, too many redirects, body too large) — messages name the URL;
// a timeout's message contains "timed out".
Result<FetchResponse> fetch(const std::string& url, const FetchOptions& options);

// True for addresses the policy refuses: 127/8, 10/8, 172.16/12, 192.168/16, 169.254/16,
// 100.64/10, 0/8, 224/4, 240/4, ::1, ::, fc00::/7, fe80::/10, ff00::/8, IPv4-mapped forms.
bool is_private_address(std::string_view ip);

// The politeness key of a URL: its lower-case host name ("" when it has none).
std::string url_host(std::string_view url);

// Asynchronous requests on a curl-multi loop running on the client's own thread.
//
// Owned by whoever constructs it; submit() and stop() may be called from any thread.
// Completion callbacks run on the client thread, one at a time, and must not throw or block
// for long (post the result to your own executor); a request refused before it is queued
// (not an http(s) URL, client stopped) completes at once on the calling thread. Every
// submitted request gets exactly one callback: its result, or ErrorCode::network
// "URL: cancelled" when the client stops first. Destroy the client on another thread than
// its own (not from a callback).
class HttpClient {
 public:
  struct Limits {
    int max_parallel = 8;  // transfers in flight at once
    int max_per_host = 2;  // transfers in flight per host name
  };
  using Callback = std::function<void(Result<FetchResponse>)>;

  explicit HttpClient(Limits limits);
  // stop(), then joins the thread.
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Queues a request; redirect hops are queued again under their own host's limit.
  void submit(std::string url, FetchOptions options, Callback done);
  // Cancels what is queued or in flight (their callbacks get "cancelled") and ends the
  // thread. Idempotent; later submit()s are cancelled at once.
  void stop();

  // Requests submitted and not yet completed (any thread; a snapshot).
  std::size_t outstanding() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace podcastd::daemon
