#pragma once
// Outgoing HTTP with libcurl under one outbound policy (issue: outbound): only http and https;
// every connection's address is checked after DNS resolution, so loopback, private,
// link-local, multicast and unspecified addresses are refused unless allowed (this also
// covers each redirect hop and DNS rebinding); redirects are followed by hand, at most
// max_redirects, each hop re-checked; bounded time and body size.
//
// fetch() is blocking and reentrant: call it from worker threads, never the I/O thread.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/result.hpp"

namespace podcastd::daemon {

struct FetchOptions {
  std::string method = "GET";        // GET, HEAD or POST
  std::string body;                  // POST body
  std::vector<std::string> headers;  // "Name: value"
  int timeout_s = 10;
  int max_redirects = 5;
  bool allow_private_addresses = false;
  std::string user_agent = "podcastd";
  std::size_t max_body_bytes = 64 * 1024 * 1024;
};

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
// (DNS, connect, TLS, timeout, too many redirects, body too large) — messages name the URL.
Result<FetchResponse> fetch(const std::string& url, const FetchOptions& options);

// True for addresses the policy refuses: 127/8, 10/8, 172.16/12, 192.168/16, 169.254/16,
// 100.64/10, 0/8, 224/4, 240/4, ::1, ::, fc00::/7, fe80::/10, ff00::/8, IPv4-mapped forms.
bool is_private_address(std::string_view ip);

}  // namespace podcastd::daemon
