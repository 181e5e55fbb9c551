#include "daemon/http_client.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <mutex>

#include "catalog/text.hpp"

namespace podcastd::daemon {
namespace {

struct Transfer {
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::size_t max_body = 0;
  bool too_large = false;
  bool allow_private = false;
  bool refused = false;
  std::string refused_ip;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t len = size * n;
  if (t->body.size() + len > t->max_body) {
    t->too_large = true;
    return 0;  // aborts the transfer
  }
  t->body.append(data, len);
  return len;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    t->headers.clear();  // a new response (after 100 Continue)
  } else if (std::size_t colon = line.find(':'); colon != std::string_view::npos) {
    t->headers.emplace_back(text::to_lower_ascii(text::trim(line.substr(0, colon))),
                            std::string(text::trim(line.substr(colon + 1))));
  }
  return size * n;
}

// Checks the address curl is about to connect to: the policy applies after DNS resolution.
curl_socket_t on_open_socket(void* user, curlsocktype, curl_sockaddr* addr) {
  auto* t = static_cast<Transfer*>(user);
  char buf[INET6_ADDRSTRLEN] = {};
  if (addr->family == AF_INET) {
    auto* in = reinterpret_cast<sockaddr_in*>(&addr->addr);
    inet_ntop(AF_INET, &in->sin_addr, buf, sizeof buf);
  } else if (addr->family == AF_INET6) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&addr->addr);
    inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof buf);
  } else {
    t->refused = true;
    return CURL_SOCKET_BAD;
  }
  if (!t->allow_private && is_private_address(buf)) {
    t->refused = true;
    t->refused_ip = buf;
    return CURL_SOCKET_BAD;
  }
  return ::socket(addr->family, addr->socktype | SOCK_CLOEXEC, addr->protocol);
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool is_http_url(std::string_view url) {
  return text::istarts_with_ascii(url, "http://") || text::istarts_with_ascii(url, "https://");
}

}  // namespace

std::string FetchResponse::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return "";
}

bool is_private_address(std::string_view ip) {
  std::string s(ip);
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    std::uint32_t a = ntohl(v4.s_addr);
    auto in = [a](std::uint32_t net, int bits) {
      std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
      return (a & mask) == net;
    };
    return in(0x00000000, 8) || in(0x0A000000, 8) || in(0x7F000000, 8) || in(0xA9FE0000, 16) ||
           in(0xAC100000, 12) || in(0xC0A80000, 16) || in(0x64400000, 10) || in(0xC0000000, 24) ||
           in(0xC6120000, 15) || in(0xE0000000, 4) || in(0xF0000000, 4);
  }
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    const unsigned char* b = v6.s6_addr;
    bool zero_prefix = std::all_of(b, b + 10, [](unsigned char c) { return c == 0; });
    if (zero_prefix && b[10] == 0xff && b[11] == 0xff) {
      char buf[INET_ADDRSTRLEN];
      inet_ntop(AF_INET, b + 12, buf, sizeof buf);
      return is_private_address(buf);  // IPv4-mapped
    }
    bool all_zero = std::all_of(b, b + 15, [](unsigned char c) { return c == 0; });
    if (all_zero && (b[15] == 0 || b[15] == 1)) return true;  // :: and ::1
    if ((b[0] & 0xfe) == 0xfc) return true;                   // fc00::/7 unique local
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return true;   // fe80::/10 link-local
    if (b[0] == 0xff) return true;                            // multicast
    return false;
  }
  return true;  // not an address: refuse
}

Result<FetchResponse> fetch(const std::string& start_url, const FetchOptions& options) {
  global_init();
  if (!is_http_url(start_url)) {
    return make_error(ErrorCode::invalid_argument,
                      start_url + ": only http:// and https:// URLs can be fetched");
  }
  FetchResponse response;
  auto started = std::chrono::steady_clock::now();
  std::string url = start_url;
  for (int hop = 0;; ++hop) {
    CURL* curl = curl_easy_init();
    if (!curl) return make_error(ErrorCode::network, url + ": cannot create a curl handle");
    Transfer t;
    t.max_body = options.max_body_bytes;
    t.allow_private = options.allow_private_addresses;
    char errbuf[CURL_ERROR_SIZE] = {};
    curl_slist* headers = nullptr;
    for (const std::string& h : options.headers) headers = curl_slist_append(headers, h.c_str());
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(options.timeout_s));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(options.timeout_s));
    curl_easy_setopt(curl, CURLOPT_USERAGENT, options.user_agent.c_str());
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // gzip/deflate, decoded
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, &t);
    if (headers) curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    if (options.method == "HEAD") {
      curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else if (options.method == "POST") {
      curl_easy_setopt(curl, CURLOPT_POST, 1L);
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, options.body.c_str());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(options.body.size()));
    }
    CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    char* redirect = nullptr;
    curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &redirect);
    std::string next = redirect ? redirect : "";
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (t.refused) {
      return make_error(
          ErrorCode::refused,
          url + ": refused: " +
              (t.refused_ip.empty() ? std::string("unsupported address family")
                                    : t.refused_ip + " is a private or loopback "
                                                     "address "
                                                     "(outbound.allow_private_addresses "
                                                     "is false)"));
    }
    if (t.too_large) {
      return make_error(ErrorCode::network, url + ": response larger than " +
                                                std::to_string(options.max_body_bytes) + " bytes");
    }
    if (rc != CURLE_OK) {
      return make_error(ErrorCode::network,
                        url + ": " + (errbuf[0] ? errbuf : curl_easy_strerror(rc)));
    }
    bool is_redirect =
        status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    if (is_redirect && !next.empty()) {
      if (hop >= options.max_redirects) {
        return make_error(
            ErrorCode::network,
            start_url + ": more than " + std::to_string(options.max_redirects) + " redirects");
      }
      if (!is_http_url(next)) {
        return make_error(ErrorCode::refused, url + ": redirect to a non-http URL: " + next);
      }
      response.redirects.emplace_back(static_cast<int>(status), next);
      url = next;
      continue;
    }
    response.status = static_cast<int>(status);
    response.body = std::move(t.body);
    response.headers = std::move(t.headers);
    response.final_url = url;
    response.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    return response;
  }
}

}  // namespace podcastd::daemon
